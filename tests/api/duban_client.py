"""Helpers for the black-box tests of the duban HTTP API and command line.

Every test drives the real binary: ``duban init`` makes a database in a
temporary directory, ``duban serve --listen 127.0.0.1:0`` serves it on a port
the server picks, and the first line on its standard output tells us which.
The server's standard error (its log) goes to ``serve.log`` beside the
database.

Teardown sends SIGTERM and asserts exit status 0: under AddressSanitizer /
LeakSanitizer a leak or a memory error turns that into a failure, and the
tail of the log is printed with it.

The binary is ``$DUBAN_BIN``, by default ``build/duban`` under the repository
root.  Run with Debian's interpreter:  /usr/bin/python3 -m pytest tests/api -q
"""

import itertools
import os
import re
import selectors
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
_bin = Path(os.environ.get("DUBAN_BIN", "build/duban"))
DUBAN_BIN = str(_bin if _bin.is_absolute() else (REPO_ROOT / _bin).resolve())

# policy: 8+ characters mixing three of lower, upper, digits, other
ADMIN_PASSWORD = "Adm1n-Secret!"
USER_PASSWORD = "Us3r-Secret!"

SANITIZER_REPORT = re.compile(r"==\d+==ERROR|ERROR: (Address|Leak)Sanitizer|"
                              r"runtime error:|SUMMARY: \w+Sanitizer")

START_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0
HTTP_TIMEOUT = 15.0


# --- running the binary ---------------------------------------------------

def clean_env(**extra):
    """The caller's environment without any DUBAN_* setting (the binary reads
    DUBAN_DB, DUBAN_LISTEN, ... from it), plus ``extra``; a value of None
    removes the variable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUBAN_")}
    for k, v in extra.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def run_cli(*args, env=None, input=None, timeout=60, cwd=None):
    """Runs ``duban ARGS...`` to completion; returns the CompletedProcess
    (text mode, stdout and stderr captured)."""
    cp = subprocess.run(
        [DUBAN_BIN, *map(str, args)],
        env=env if env is not None else clean_env(),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )
    # under the sanitizers a report can hide behind an expected failure
    if SANITIZER_REPORT.search(cp.stderr):
        pytest.fail(f"sanitizer report from duban {' '.join(map(str, args))}"
                    f":\n{cp.stderr[-6000:]}")
    return cp


def init_db(directory, password=ADMIN_PASSWORD):
    """``duban init`` a fresh database in ``directory``; returns its path."""
    db = Path(directory) / "duban.db"
    cp = run_cli("init", "--db", db, env=clean_env(DUBAN_ADMIN_PASSWORD=password))
    assert cp.returncode == 0, f"duban init failed: {cp.stdout}{cp.stderr}"
    return db


def log_tail(path, lines=60):
    """The end of a log; when a sanitizer reported, its report instead (from
    the first report line on, up to 200 lines)."""
    try:
        text = Path(path).read_text(errors="replace").splitlines()
    except OSError as e:
        return f"(no log: {e})"
    for i, line in enumerate(text):
        if SANITIZER_REPORT.search(line):
            return "\n".join(text[i:i + 200])
    return "\n".join(text[-lines:])


class DubanServer:
    """One ``duban serve`` process on a database of its own."""

    def __init__(self, directory, db, extra_args=()):
        self.dir = Path(directory)
        self.db = Path(db)
        self.extra_args = list(map(str, extra_args))
        self.log_path = self.dir / "serve.log"
        self.proc = None
        self.url = None
        self.returncode = None

    def start(self):
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [DUBAN_BIN, "serve", "--db", str(self.db), "--listen",
             "127.0.0.1:0", *self.extra_args],
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=clean_env(),
            cwd=self.dir,
        )
        line = self._first_line()
        prefix = "duban: listening on "
        if not line.startswith(prefix):
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"unexpected first line from duban serve: {line!r}\n"
                        f"log:\n{log_tail(self.log_path)}")
        self.url = line[len(prefix):].strip().rstrip("/")
        return self

    def _first_line(self):
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT
        buf = b""
        try:
            while b"\n" not in buf:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(timeout=left):
                    self.proc.kill()
                    self.proc.wait()
                    pytest.fail("duban serve did not announce its address in "
                                f"{START_TIMEOUT}s\nlog:\n"
                                f"{log_tail(self.log_path)}")
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    rc = self.proc.wait()
                    pytest.fail(f"duban serve exited with {rc} before "
                                f"listening\nlog:\n{log_tail(self.log_path)}")
                buf += chunk
        finally:
            sel.close()
        return buf.split(b"\n", 1)[0].decode()

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM, wait; returns the exit status (killing it on timeout)."""
        if self.returncode is not None:
            return self.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.returncode = "timeout"
        self.proc.stdout.close()
        self._log.close()
        return self.returncode

    def exit_problem(self):
        """None when the server stopped with status 0 and its log holds no
        sanitizer report; else a description with the log's tail."""
        rc = self.stop()
        try:
            report = SANITIZER_REPORT.search(self.log_path.read_text(
                errors="replace"))
        except OSError:
            report = None
        if rc == 0 and not report:
            return None
        return (f"duban serve on {self.db} exited with {rc} (expected 0) "
                f"after SIGTERM{' with a sanitizer report' if report else ''};"
                f" tail of {self.log_path}:\n{log_tail(self.log_path)}")

    def assert_clean_exit(self):
        problem = self.exit_problem()
        assert problem is None, problem


def start_server(directory, extra_args=(), admin_password=ADMIN_PASSWORD):
    db = init_db(directory, admin_password)
    return DubanServer(directory, db, extra_args).start()


# --- the client -----------------------------------------------------------

class ApiSession(requests.Session):
    """A requests.Session whose relative paths go to ``base``."""

    def __init__(self, base):
        super().__init__()
        self.base = base
        self.token = None
        self.csrf = None
        self.user = None

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base + url
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return super().request(method, url, *args, **kwargs)


def post_login(base, username, password):
    return requests.post(f"{base}/api/v1/session",
                         json={"username": username, "password": password},
                         timeout=HTTP_TIMEOUT)


def login(base, username, password):
    """Logs in; returns an ApiSession that authenticates with
    ``Authorization: Bearer <token>`` only (no cookie)."""
    r = post_login(base, username, password)
    assert r.status_code == 200, f"login {username}: {r.status_code} {r.text}"
    body = r.json()
    s = ApiSession(base)
    s.headers["Authorization"] = f"Bearer {body['token']}"
    s.token = body["token"]
    s.csrf = body["csrf_token"]
    s.user = body["user"]
    return s


_counter = itertools.count(1)


def unique(prefix):
    return f"{prefix}-{next(_counter)}-{uuid.uuid4().hex[:6]}"


def create_unit(s, parent_id, kind="city", name=None, code=None):
    body = {"name": name or unique("unit"), "kind": kind,
            "parent_id": parent_id, "code": code or unique("U")}
    r = s.post("/api/v1/units", json=body)
    assert r.status_code == 201, f"create unit: {r.status_code} {r.text}"
    return r.json()


def create_user(s, unit_id, roles, username=None, password=USER_PASSWORD,
                display_name=None):
    body = {"username": username or unique("user"), "password": password,
            "unit_id": unit_id, "roles": list(roles)}
    if display_name is not None:
        body["display_name"] = display_name
    r = s.post("/api/v1/users", json=body)
    assert r.status_code == 201, f"create user: {r.status_code} {r.text}"
    return r.json()


def root_unit_id(s):
    r = s.get("/api/v1/me")
    assert r.status_code == 200, r.text
    return r.json()["unit"]["id"]


def assert_error(resp, status, code=None, field=None):
    """Asserts the status and the error envelope of API.md:
    {"error": {"code", "message", "field"?}}; returns the inner object."""
    assert resp.status_code == status, (
        f"expected {status}, got {resp.status_code}: {resp.text[:500]}")
    assert resp.headers.get("Content-Type", "").startswith("application/json")
    body = resp.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    err = body["error"]
    assert isinstance(err.get("code"), str) and err["code"], err
    assert isinstance(err.get("message"), str) and err["message"], err
    if code is not None:
        assert err["code"] == code, err
    if field is not None:
        assert err.get("field") == field, err
    return err
