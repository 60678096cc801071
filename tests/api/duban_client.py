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


# --- the clock ---------------------------------------------------------------
#
# Tests never depend on the real date (tests/README.md).  A test that needs
# a fixed "today" starts its server with clock="YYYY-MM-DD HH:MM" (China
# Standard Time): the server runs under libfaketime from Debian, its clock
# starting at that moment and running on.  scripts/at-time.sh does the same
# for a whole run (make test-dates).

def _faketime_lib():
    import glob
    for pattern in ("/usr/lib/*/faketime/libfaketimeMT.so.1",
                    "/usr/lib/faketime/libfaketimeMT.so.1"):
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    pytest.fail("libfaketime is not installed (scripts/deps.sh installs it)")


def clock_env(moment):
    """The environment settings that start a process's clock at ``moment``
    ("YYYY-MM-DD HH:MM", China Standard Time)."""
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", moment), moment
    lib = _faketime_lib()
    preload = os.environ.get("LD_PRELOAD", "")
    if lib not in preload.split(":"):
        preload = f"{lib}:{preload}" if preload else lib
    asan = os.environ.get("ASAN_OPTIONS", "")
    return {"LD_PRELOAD": preload, "FAKETIME": f"@{moment}:00",
            "FAKETIME_DONT_RESET": "1", "TZ": "Asia/Shanghai",
            "ASAN_OPTIONS": (asan + ":" if asan else "")
            + "verify_asan_link_order=0"}


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


def init_db(directory, password=ADMIN_PASSWORD, clock=None):
    """``duban init`` a fresh database in ``directory`` (at ``clock``, see
    clock_env); returns its path."""
    db = Path(directory) / "duban.db"
    cp = run_cli("init", "--db", db,
                 env=clean_env(DUBAN_ADMIN_PASSWORD=password,
                               **(clock_env(clock) if clock else {})))
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

    def __init__(self, directory, db, extra_args=(), clock=None):
        self.clock = clock
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
            env=clean_env(**(clock_env(self.clock) if self.clock else {})),
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


def start_server(directory, extra_args=(), admin_password=ADMIN_PASSWORD,
                 clock=None):
    """A server on a fresh database; with ``clock`` ("YYYY-MM-DD HH:MM",
    CST) its clock starts at that moment (clock_env)."""
    db = init_db(directory, admin_password, clock=clock)
    return DubanServer(directory, db, extra_args, clock=clock).start()


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


# --- campaigns, tasks and reports -------------------------------------------

# the six task categories of 葫政办发〔2021〕16号 (seeds/004), with the number
# of tasks it plans in each
HULUDAO_CATEGORIES = [
    {"code": "ZDZB", "name": "重点指标", "planned_tasks": 13},
    {"code": "ZDXM", "name": "重大项目", "planned_tasks": 6},
    {"code": "ZDPT", "name": "重大平台", "planned_tasks": 9},
    {"code": "ZDGJ", "name": "重点攻坚", "planned_tasks": 67},
    {"code": "ZDMS", "name": "重点民生", "planned_tasks": 29},
    {"code": "ZDCX", "name": "重大制度性创新", "planned_tasks": 13},
]


def cst_today():
    """Today in China Standard Time (the business time zone), a date."""
    import datetime
    tz = datetime.timezone(datetime.timedelta(hours=8))
    return datetime.datetime.now(tz).date()


def campaign_body(unit_id, **over):
    """A valid POST /api/v1/campaigns body for the year 2021; ``over``
    replaces fields (a value of None removes the field)."""
    b = {"title": unique("作风建设年活动"), "doc_number": "葫政办发〔2021〕16号",
         "unit_id": unit_id, "starts_on": "2021-01-01",
         "ends_on": "2021-12-31",
         "phases": [
             {"name": "动员部署", "starts_on": "2021-01-01",
              "ends_on": "2021-01-31"},
             {"name": "攻坚推进", "starts_on": "2021-02-01",
              "ends_on": "2021-09-30"},
             {"name": "总结提升", "starts_on": "2021-10-01",
              "ends_on": "2021-12-31"}],
         "categories": [dict(c) for c in HULUDAO_CATEGORIES],
         "themes": ["不能为", "不想为", "不敢为"]}
    for k, v in over.items():
        if v is None:
            b.pop(k, None)
        else:
            b[k] = v
    return b


def create_campaign(s, unit_id, **over):
    r = s.post("/api/v1/campaigns", json=campaign_body(unit_id, **over))
    assert r.status_code == 201, f"create campaign: {r.status_code} {r.text}"
    return r.json()


def task_body(campaign_id, lead_unit_id, **over):
    """A valid POST /api/v1/tasks body (category 重点攻坚, the year 2021, no
    indicators or milestones); ``over`` replaces fields (None removes)."""
    b = {"campaign_id": campaign_id, "category_code": "ZDGJ",
         "title": unique("任务"), "lead_unit_id": lead_unit_id,
         "co_unit_ids": [], "leader_name": "张副市长", "team": ["李科长"],
         "starts_on": "2021-01-01", "due_on": "2021-12-31",
         "indicators": [], "milestones": []}
    for k, v in over.items():
        if v is None:
            b.pop(k, None)
        else:
            b[k] = v
    return b


def create_task(s, campaign_id, lead_unit_id, **over):
    r = s.post("/api/v1/tasks", json=task_body(campaign_id, lead_unit_id,
                                               **over))
    assert r.status_code == 201, f"create task: {r.status_code} {r.text}"
    return r.json()


def submit_report(s, task_id, period, values=None, **over):
    """POST /api/v1/tasks/{id}/reports for ``period`` with ``values``
    ({indicator_id: value}); asserts 201 and returns the report."""
    b = {"period": period, "summary": f"{period} 月度调度情况",
         "indicator_values": [{"indicator_id": k, "value": v}
                              for k, v in (values or {}).items()],
         "blockers": "无", "next_steps": "继续推进"}
    b.update(over)
    r = s.post(f"/api/v1/tasks/{task_id}/reports", json=b)
    assert r.status_code == 201, (
        f"report on {task_id}: {r.status_code} {r.text}")
    return r.json()


# --- complaints and Open311 (issue 6) ---------------------------------------

# a tracking code: 8+ characters, none of the look-alikes 0/O/1/I/L
TRACKING_CODE_RE = re.compile(r"^[2-9A-HJKMNP-Z]{8,}$")

_calendar_cache = {}


def calendar_add(day, n):
    """``duban calendar add DAY N``: the Nth working day after DAY by the
    statutory calendar, as 'YYYY-MM-DD' (cached)."""
    key = (str(day), int(n))
    if key not in _calendar_cache:
        cp = run_cli("calendar", "add", key[0], key[1])
        assert cp.returncode == 0, (
            f"duban calendar add {key[0]} {key[1]}: {cp.stderr}")
        _calendar_cache[key] = cp.stdout.strip()
    return _calendar_cache[key]


def public_post(base, path, **kwargs):
    """A POST with no session at all (the public)."""
    kwargs.setdefault("timeout", HTTP_TIMEOUT)
    return requests.post(base + path, **kwargs)


def public_get(base, path, **kwargs):
    """A GET with no session at all (the public)."""
    kwargs.setdefault("timeout", HTTP_TIMEOUT)
    return requests.get(base + path, **kwargs)


def file_complaint(base, channel="web", category="general", content=None,
                   **fields):
    """POST /api/v1/public/complaints with no session; asserts 201 and
    returns the answer (tracking_code, status, due_on, ...)."""
    body = {"channel": channel, "category": category,
            "content": content if content is not None else unique("投诉"),
            **fields}
    r = public_post(base, "/api/v1/public/complaints", json=body)
    assert r.status_code == 201, f"file complaint: {r.status_code} {r.text}"
    return r.json()


def complaint_id(s, tracking_code, **query):
    """The staff-side id of the complaint with ``tracking_code``, looked up
    in GET /api/v1/complaints as ``s``; None when ``s`` does not see it."""
    params = {"per_page": 500, **query}
    page = 1
    while True:
        params["page"] = page
        r = s.get("/api/v1/complaints", params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        for item in body["items"]:
            if item["tracking_code"] == tracking_code:
                return item["id"]
        if page * body["per_page"] >= body["total"]:
            return None
        page += 1
