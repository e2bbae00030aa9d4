"""What the scripts that drive the real server share (scripts/api-fuzz, scripts/api-client-check):
building the binary, starting `familytime serve --demo` on a free loopback port against a fresh
SQLite directory or a fresh PostgreSQL database, reading the demo's accounts, giving an account a
personal API token, and keeping a virtual environment of pinned PyPI packages under
~/.cache/familytime. Only loopback addresses are used; `stop` ends the server and drops the database.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.expanduser("~/.cache/familytime")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_venv(name, packages, log):
    """A virtual environment under ~/.cache/familytime holding exactly these pinned packages
    (`name==version`); made or topped up when one is missing or at another version."""
    venv = os.path.join(CACHE, name)
    python = os.path.join(venv, "bin", "python")
    if os.path.exists(python):
        frozen = subprocess.run(
            [python, "-m", "pip", "freeze"], capture_output=True, text=True
        ).stdout.lower()
        installed = {line.strip().replace("_", "-") for line in frozen.splitlines()}
        if all(p.lower().replace("_", "-") in installed for p in packages):
            return venv
    log(f"installing {', '.join(packages)} into {venv}")
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", *packages], check=True)
    return venv


def build_binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "-q", "-p", "familytime"], cwd=ROOT, check=True)
    return os.path.join(target, "debug", "familytime")


def with_database(url, name):
    base, _, query = url.partition("?")
    scheme, _, rest = base.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/{name}" + (f"?{query}" if query else "")


def psql(admin_url, sql):
    subprocess.run(["psql", admin_url, "-qAtc", sql], check=True, capture_output=True)


class Server:
    """familytime serve --demo, on a free port, against a fresh database. `name` says whose
    messages these are and names the scratch directory and database."""

    def __init__(self, binary, database_url, name):
        self.binary = binary
        self.name = name
        tag = re.sub(r"[^a-z0-9]", "_", name.lower())
        self.dir = tempfile.mkdtemp(prefix=f"ft-{tag}-")
        self.admin_url = database_url
        self.db_name = None
        if database_url:
            self.db_name = f"ft_test_{tag}_{uuid.uuid4().hex[:12]}"
            psql(database_url, f"CREATE DATABASE {self.db_name}")
            self.db_args = ["--database-url", with_database(database_url, self.db_name)]
        else:
            self.db_args = ["--data-dir", self.dir]
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.dir, "server.log")
        self.process = None

    @property
    def backend(self):
        return "postgres" if self.db_name else "sqlite"

    def start(self):
        out = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--demo", "--listen", f"127.0.0.1:{self.port}", *self.db_args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "FAMILYTIME_LOG": "warn"},
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name}: the server stopped at start:\n{self.server_log()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)  # waiting for the server to listen, not timing anything
        raise SystemExit(f"{self.name}: the server did not answer /healthz within 300 s")

    def server_log(self):
        with open(self.log_path) as f:
            return f.read()

    def passwords(self):
        """Each demo account's e-mail address → the password the demo printed for it."""
        found = {}
        for line in self.server_log().splitlines():
            parts = line.split()
            if len(parts) == 3 and "@" in parts[1] and re.fullmatch(r"[a-z_]+", parts[0]):
                found[parts[1]] = parts[2]
        return found

    def token(self, email):
        out = subprocess.run(
            [self.binary, "users", "token", "--email", email, "--name", self.name, *self.db_args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        tokens = re.findall(r"\b[A-Za-z0-9_-]{32,}\b", out)
        if not tokens:
            raise SystemExit(f"{self.name}: no token printed for {email}")
        return tokens[-1]

    def panics(self):
        return [line for line in self.server_log().splitlines() if "panicked" in line]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.db_name:
            try:
                psql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            except subprocess.CalledProcessError:
                print(f"{self.name}: could not drop {self.db_name}", flush=True)
        shutil.rmtree(self.dir, ignore_errors=True)
