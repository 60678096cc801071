"""The audit trail: the API that reads it, `duban audit verify`, and that a
tampered record is found."""

import re
import sqlite3

import pytest

from duban_client import (ADMIN_PASSWORD, USER_PASSWORD, assert_error,
                          create_unit, create_user, login, post_login,
                          root_unit_id, run_cli, unique)

HEX64 = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture(scope="module")
def root(admin):
    return root_unit_id(admin)


@pytest.fixture(scope="module")
def patched_unit(admin, root):
    """A unit created and then renamed by admin."""
    u = create_unit(admin, root, kind="department", name="审计前")
    r = admin.patch(f"/api/v1/units/{u['id']}",
                    json={"name": "审计后", "version": u["version"]})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def liaison(server, admin, root):
    u = create_user(admin, root, ["liaison"], username=unique("liaison"))
    return login(server.url, u["username"], USER_PASSWORD)


def test_audit_of_a_unit(admin, patched_unit):
    uid = patched_unit["id"]
    r = admin.get(f"/api/v1/audit?entity=unit&id={uid}")
    assert r.status_code == 200, r.text
    page = r.json()
    assert {"items", "total", "page", "per_page"} <= set(page)
    items = page["items"]
    assert page["total"] == len(items) == 2
    by_action = {i["action"]: i for i in items}
    assert set(by_action) == {"create", "update"}
    for i in items:
        assert i["entity"] == "unit" and i["entity_id"] == uid
        assert HEX64.match(i["hash"]), i["hash"]
        assert i["actor"] == "admin"
        assert isinstance(i["after"], dict)
    assert len({i["hash"] for i in items}) == 2
    create, update = by_action["create"], by_action["update"]
    assert create["before"] is None
    assert create["after"]["name"] == "审计前"
    assert update["before"]["name"] == "审计前"
    assert update["after"]["name"] == "审计后"
    assert update["after"]["version"] == create["after"]["version"] + 1
    assert update["id"] > create["id"]


def test_audit_of_a_user_never_holds_the_password(admin, liaison):
    r = admin.get(f"/api/v1/audit?entity=user&id={liaison.user['id']}")
    assert r.status_code == 200, r.text
    actions = [i["action"] for i in r.json()["items"]]
    assert "create" in actions and "login" in actions
    for i in r.json()["items"]:
        for side in ("before", "after"):
            if isinstance(i[side], dict):
                assert not any("password" in k for k in i[side]), i[side]
    assert "$argon2" not in r.text
    assert USER_PASSWORD not in r.text


def test_audit_records_failed_logins(server, admin, root):
    u = create_user(admin, root, ["liaison"], username=unique("fails"))
    assert post_login(server.url, u["username"], "Wrong-Passw0rd")\
        .status_code == 401
    r = admin.get(f"/api/v1/audit?entity=user&id={u['id']}")
    assert "login_failed" in [i["action"] for i in r.json()["items"]]


def test_audit_needs_the_auditor_role(liaison, patched_unit):
    assert_error(liaison.get(
        f"/api/v1/audit?entity=unit&id={patched_unit['id']}"), 403)


@pytest.mark.parametrize("query,field", [
    ("entity=unit&id=abc", "id"), ("entity=&id=1", "entity"),
    ("entity=" + "x" * 33, "entity"), ("per_page=0", "per_page"),
])
def test_audit_bad_query_is_422(admin, query, field):
    assert_error(admin.get(f"/api/v1/audit?{query}"), 422, field=field)


def test_audit_of_nothing_is_empty(admin):
    r = admin.get("/api/v1/audit?entity=unit&id=987654")
    assert r.status_code == 200
    assert r.json()["items"] == [] and r.json()["total"] == 0


def test_verify_while_the_server_runs(server, admin, patched_unit, liaison):
    # writes so far: the root unit, admin, two logins, a unit created and
    # patched, a user: at least 7
    total = admin.get("/api/v1/audit?per_page=1").json()["total"]
    assert total >= 7
    cp = run_cli("audit", "verify", "--db", server.db)
    assert cp.returncode == 0, cp.stdout + cp.stderr
    m = re.search(r"ok (\d+) records", cp.stdout)
    assert m, cp.stdout
    assert int(m.group(1)) == total
    # a write later, the count follows
    create_unit(admin, root_unit_id(admin), kind="other")
    cp = run_cli("audit", "verify", "--db", server.db)
    assert cp.returncode == 0
    assert f"ok {total + 1} records" in cp.stdout


def test_tampering_is_detected(make_server):
    srv = make_server()
    s = login(srv.url, "admin", ADMIN_PASSWORD)
    u = create_unit(s, root_unit_id(s), kind="department")
    s.patch(f"/api/v1/units/{u['id']}", json={"name": "x", "version": 1})
    cp = run_cli("audit", "verify", "--db", srv.db)
    assert cp.returncode == 0, cp.stdout + cp.stderr
    assert re.search(r"ok \d+ records", cp.stdout)

    db = sqlite3.connect(srv.db, timeout=10, isolation_level=None)
    try:
        # the table is append-only
        for sql in ("UPDATE audit_log SET after_json = '{}' WHERE id = 2",
                    "DELETE FROM audit_log WHERE id = 2"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute(sql)
        before = db.execute("SELECT after_json FROM audit_log WHERE id = 2")\
            .fetchone()[0]
        assert before and '"admin"' in before
        # someone with the file drops the guard and edits record 2
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute("BEGIN")
        db.execute("UPDATE audit_log SET after_json = ? WHERE id = 2",
                   (before.replace('"admin"', '"mallory"'),))
        db.execute("COMMIT")
    finally:
        db.close()

    cp = run_cli("audit", "verify", "--db", srv.db)
    out = cp.stdout + cp.stderr
    assert cp.returncode == 1, out
    assert re.search(r"\brecord 2\b", out), out
    assert not re.search(r"\bok \d+ records", cp.stdout), out


def test_a_deleted_record_is_detected(make_server):
    srv = make_server()
    login(srv.url, "admin", ADMIN_PASSWORD)  # record 3: a login
    db = sqlite3.connect(srv.db, timeout=10, isolation_level=None)
    try:
        db.execute("DROP TRIGGER audit_log_no_delete")
        db.execute("DELETE FROM audit_log WHERE id = 2")
    finally:
        db.close()
    cp = run_cli("audit", "verify", "--db", srv.db)
    out = cp.stdout + cp.stderr
    assert cp.returncode == 1, out
    assert re.search(r"\brecord 2\b", out), out
