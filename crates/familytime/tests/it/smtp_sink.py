"""A real SMTP server for the e-mail tests (tests/it/email.rs): Python's aiosmtpd (PyPI, pinned in
email.rs) on 127.0.0.1 at the port given, writing each message it accepts, as received, to
DIR/NNNN.eml. With --refuse it answers every message 550 (a permanent refusal). Prints "ready" once
it is listening, and runs until it is killed.

    python smtp_sink.py PORT DIR [--refuse]
"""

import os
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, refuse):
        self.directory = directory
        self.refuse = refuse
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        with self.lock:
            self.count += 1
            name = os.path.join(self.directory, f"{self.count:04}.eml")
        with open(name + ".part", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(name + ".part", name)
        return "250 2.0.0 Accepted by the test sink"


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    refuse = "--refuse" in sys.argv[3:]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory, refuse), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
