"""Crash test: a server under concurrent writes is killed with SIGKILL at
random moments; every write it acknowledged (a 2xx) must be there after a
restart, and the audit chain must still verify.

The killed servers are started here, not through the ``make_server``
fixture, whose teardown requires exit status 0: these die on purpose.  The
last restart is stopped normally and must exit 0.
"""

import random
import threading
import time

import requests

from duban_client import (ADMIN_PASSWORD, DubanServer, init_db, log_tail,
                          login, root_unit_id, run_cli, unique)

ROUNDS = 3
WRITERS = 8
# the longest a round writes before the kill (the kill comes at a random
# moment within it)
MAX_WRITE_SECONDS = 1.5


def writer(base, token, parent, acked, stop):
    """Creates units until the server dies or ``stop`` is set; records the
    code of every unit the server answered 201 for."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    while not stop.is_set():
        code = unique("CRASH")
        try:
            r = s.post(f"{base}/api/v1/units",
                       json={"name": code, "kind": "township",
                             "parent_id": parent, "code": code},
                       timeout=10)
        except requests.RequestException:
            return  # the server is gone
        if r.status_code == 201:
            acked.append((code, r.json()["id"]))
        elif r.status_code >= 500 or r.status_code in (401, 403):
            return
    s.close()


def all_units(s):
    """Every unit in scope, by code."""
    units, page = {}, 1
    while True:
        r = s.get("/api/v1/units", params={"page": page, "per_page": 500})
        assert r.status_code == 200, r.text
        body = r.json()
        for u in body["items"]:
            units[u["code"]] = u["id"]
        if page * 500 >= body["total"]:
            return units
        page += 1


def kill(srv):
    srv.proc.kill()
    srv.returncode = srv.proc.wait(timeout=20)
    srv.proc.stdout.close()
    srv._log.close()


def test_acknowledged_writes_survive_sigkill(tmp_path):
    rng = random.Random()
    db = init_db(tmp_path)
    args = ["--threads", "8"]
    srv = DubanServer(tmp_path, db, args).start()
    acked = []
    try:
        admin = login(srv.url, "admin", ADMIN_PASSWORD)
        parent = root_unit_id(admin)
        for rnd in range(ROUNDS):
            stop = threading.Event()
            threads = [threading.Thread(
                target=writer,
                args=(srv.url, admin.token, parent, acked, stop))
                for _ in range(WRITERS)]
            for t in threads:
                t.start()
            # kill at a random moment while the writers are busy
            time.sleep(rng.uniform(0.2, MAX_WRITE_SECONDS))
            kill(srv)
            stop.set()
            for t in threads:
                t.join(timeout=20)
                assert not t.is_alive(), "a writer hung after the kill"

            cp = run_cli("audit", "verify", "--db", db)
            assert cp.returncode == 0, (
                f"round {rnd}: audit verify: {cp.stdout}{cp.stderr}")
            assert cp.stdout.startswith("ok "), cp.stdout

            srv = DubanServer(tmp_path, db, args).start()
            admin.base = srv.url  # the session itself survived the kill
            units = all_units(admin)
            missing = [(c, i) for c, i in acked if units.get(c) != i]
            assert not missing, (
                f"round {rnd}: {len(missing)} of {len(acked)} acknowledged "
                f"units lost after SIGKILL, e.g. {missing[:5]}\n"
                f"log:\n{log_tail(srv.log_path)}")
        print(f"{len(acked)} acknowledged writes over {ROUNDS} rounds")
        # the writers did write, and every unit made a record
        assert len(acked) >= ROUNDS, f"only {len(acked)} writes acknowledged"
        cp = run_cli("audit", "verify", "--db", db)
        n = int(cp.stdout.split()[1])
        assert n >= len(acked), cp.stdout
    finally:
        if srv.returncode is None:
            srv.assert_clean_exit()
