"""Reads the messages an SMTP sink wrote (DIR/*.eml, in order) with Python's email package and their
calendar attachments with icalendar (PyPI), and prints them as JSON for tests/it/email.rs: each
message's headers, its plain text and HTML parts, and each attachment's type, name, text and, for
an .ics, what a calendar program takes from it. Fails when a message is not well-formed MIME or an
.ics does not parse.

    python mail_read.py DIR
"""

import email
import email.policy
import json
import os
import sys

import icalendar


def calendar(text):
    cal = icalendar.Calendar.from_ical(text)
    for required in ("VERSION", "PRODID", "METHOD"):
        if required not in cal:
            sys.exit(f"the invitation has no {required}")
    zones = {str(z["TZID"]): z.to_tz(lookup_tzid=False) for z in cal.walk("VTIMEZONE")}
    events = []
    for event in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "ORGANIZER"):
            if required not in event:
                sys.exit(f"an invitation's event has no {required}")
        start = event["DTSTART"].dt
        end = event["DTEND"].dt
        tzid = event["DTSTART"].params.get("TZID")
        if tzid in zones:
            start = start.replace(tzinfo=zones[tzid])
            end = end.replace(tzinfo=zones[tzid])
        events.append(
            {
                "uid": str(event["UID"]),
                "sequence": int(event["SEQUENCE"]),
                "status": str(event.get("STATUS", "")),
                "tzid": tzid,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "start_epoch": int(start.timestamp()),
                "end_epoch": int(end.timestamp()),
            }
        )
    return {"method": str(cal["METHOD"]), "events": events}


def main():
    directory = sys.argv[1]
    out = []
    for name in sorted(n for n in os.listdir(directory) if n.endswith(".eml")):
        with open(os.path.join(directory, name), "rb") as f:
            raw = f.read()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        item = {
            "headers": {k.lower(): str(v) for k, v in message.items()},
            "text": None,
            "html": None,
            "attachments": [],
            "raw": raw.decode("utf-8", "replace"),
        }
        for part in message.walk():
            if part.is_multipart():
                continue
            content_type = part.get_content_type()
            disposition = part.get_content_disposition()
            if disposition == "attachment":
                text = part.get_content()
                if isinstance(text, bytes):
                    text = text.decode("utf-8")
                attachment = {
                    "content_type": content_type,
                    "method": part.get_param("method"),
                    "filename": part.get_filename(),
                    "text": text,
                }
                if content_type == "text/calendar":
                    attachment["calendar"] = calendar(text)
                item["attachments"].append(attachment)
            elif content_type == "text/plain":
                item["text"] = part.get_content()
            elif content_type == "text/html":
                item["html"] = part.get_content()
        out.append(item)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
