"""Sessions: login, bearer and cookie authentication, CSRF, logout,
lockout after failed logins, and the idle timeout."""

import time

import pytest
import requests

from duban_client import (ADMIN_PASSWORD, HTTP_TIMEOUT, USER_PASSWORD,
                          assert_error, create_unit, create_user, login,
                          post_login, root_unit_id, unique)


# --- login ----------------------------------------------------------------

def test_login_returns_token_user_and_cookie(server):
    r = post_login(server.url, "admin", ADMIN_PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    assert isinstance(body["csrf_token"], str) and body["csrf_token"]
    assert body["csrf_token"] != body["token"]
    user = body["user"]
    assert user["username"] == "admin"
    assert isinstance(user["id"], int)
    assert isinstance(user["roles"], list)
    assert {"sysadmin", "secadmin", "auditor", "office"} <= set(user["roles"])
    assert "password_hash" not in user and "password" not in user
    cookie = r.headers.get("Set-Cookie", "")
    assert f"duban_session={body['token']}" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


def test_two_logins_get_different_tokens(server):
    a = post_login(server.url, "admin", ADMIN_PASSWORD).json()
    b = post_login(server.url, "admin", ADMIN_PASSWORD).json()
    assert a["token"] != b["token"]
    assert a["csrf_token"] != b["csrf_token"]


def test_wrong_password_is_401(server):
    r = post_login(server.url, "admin", "Wrong-Passw0rd")
    err = assert_error(r, 401, code="bad_credentials")
    assert "duban_session" not in r.headers.get("Set-Cookie", "")
    assert "token" not in r.json()
    assert err["message"]


def test_unknown_user_is_401_like_a_wrong_password(server):
    r = post_login(server.url, "nobody-" + unique("x"), "Wrong-Passw0rd")
    assert_error(r, 401, code="bad_credentials")


def test_login_missing_password_is_422(server):
    r = requests.post(f"{server.url}/api/v1/session",
                      json={"username": "admin"}, timeout=HTTP_TIMEOUT)
    assert_error(r, 422, field="password")


def test_login_password_of_wrong_type_is_422(server):
    r = requests.post(f"{server.url}/api/v1/session",
                      json={"username": "admin", "password": 12345678},
                      timeout=HTTP_TIMEOUT)
    assert_error(r, 422, field="password")


@pytest.mark.parametrize("body", [
    b'{"username": "admin", "password": ',      # truncated
    b"username=admin&password=x",               # not JSON
    b'{"username": "admin", "username": "x", "password": "y"}',  # dup key
    b"",                                        # no body
])
def test_login_malformed_body_is_400(server, body):
    r = requests.post(f"{server.url}/api/v1/session", data=body,
                      headers={"Content-Type": "application/json"},
                      timeout=HTTP_TIMEOUT)
    assert_error(r, 400)


def test_login_json_array_is_400(server):
    r = requests.post(f"{server.url}/api/v1/session",
                      json=[{"username": "admin", "password": ADMIN_PASSWORD}],
                      timeout=HTTP_TIMEOUT)
    assert_error(r, 400)


# --- who am I -------------------------------------------------------------

def test_me_with_bearer(admin):
    r = admin.get("/api/v1/me")
    assert r.status_code == 200, r.text
    me = r.json()
    assert me["username"] == "admin"
    assert "sysadmin" in me["roles"]
    unit = me["unit"]
    assert unit["id"] == me["unit_id"]
    assert unit["parent_id"] is None  # admin sits at the root
    assert {"id", "name", "kind", "parent_id", "code"} <= set(unit)


def test_me_without_auth_is_401(server):
    r = requests.get(f"{server.url}/api/v1/me", timeout=HTTP_TIMEOUT)
    assert_error(r, 401)


def test_me_with_a_made_up_token_is_401(server):
    r = requests.get(f"{server.url}/api/v1/me",
                     headers={"Authorization": "Bearer " + "A" * 43},
                     timeout=HTTP_TIMEOUT)
    assert_error(r, 401)


def test_logout_revokes_the_token(server):
    s = login(server.url, "admin", ADMIN_PASSWORD)
    assert s.get("/api/v1/me").status_code == 200
    r = s.delete("/api/v1/session")
    assert r.status_code == 200, r.text
    cookie = r.headers.get("Set-Cookie", "")
    assert "duban_session=" in cookie and "Max-Age=0" in cookie
    assert_error(s.get("/api/v1/me"), 401)
    # logging out again with the dead token is 401 too
    assert_error(s.delete("/api/v1/session"), 401)


def test_logout_leaves_other_sessions_alone(server):
    a = login(server.url, "admin", ADMIN_PASSWORD)
    b = login(server.url, "admin", ADMIN_PASSWORD)
    assert a.delete("/api/v1/session").status_code == 200
    assert b.get("/api/v1/me").status_code == 200


# --- cookie sessions and CSRF ---------------------------------------------

@pytest.fixture(scope="module")
def cookie_session(server):
    """A session authenticated by the cookie only (no Authorization)."""
    s = requests.Session()
    r = s.post(f"{server.url}/api/v1/session",
               json={"username": "admin", "password": ADMIN_PASSWORD},
               timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    assert s.cookies.get("duban_session") == r.json()["token"]
    s.csrf = r.json()["csrf_token"]
    s.root = r.json()["user"]["unit_id"]
    return s


def test_cookie_alone_authenticates_reads(server, cookie_session):
    r = cookie_session.get(f"{server.url}/api/v1/me", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    assert r.json()["username"] == "admin"
    assert "Authorization" not in r.request.headers


def _unit_body(parent):
    return {"name": unique("csrf"), "kind": "department", "parent_id": parent,
            "code": unique("CSRF")}


def test_cookie_write_without_csrf_is_403(server, cookie_session, admin):
    body = _unit_body(cookie_session.root)
    r = cookie_session.post(f"{server.url}/api/v1/units", json=body,
                            timeout=HTTP_TIMEOUT)
    assert_error(r, 403, code="csrf")
    # nothing was written
    codes = [u["code"] for u in
             admin.get("/api/v1/units?per_page=500").json()["items"]]
    assert body["code"] not in codes


def test_cookie_write_with_wrong_csrf_is_403(server, cookie_session):
    r = cookie_session.post(f"{server.url}/api/v1/units",
                            json=_unit_body(cookie_session.root),
                            headers={"X-CSRF-Token": "not-the-token"},
                            timeout=HTTP_TIMEOUT)
    assert_error(r, 403, code="csrf")


def test_cookie_write_with_another_sessions_csrf_is_403(server,
                                                         cookie_session):
    other = post_login(server.url, "admin", ADMIN_PASSWORD).json()
    r = cookie_session.post(f"{server.url}/api/v1/units",
                            json=_unit_body(cookie_session.root),
                            headers={"X-CSRF-Token": other["csrf_token"]},
                            timeout=HTTP_TIMEOUT)
    assert_error(r, 403, code="csrf")


def test_cookie_write_with_right_csrf_is_201(server, cookie_session):
    body = _unit_body(cookie_session.root)
    r = cookie_session.post(f"{server.url}/api/v1/units", json=body,
                            headers={"X-CSRF-Token": cookie_session.csrf},
                            timeout=HTTP_TIMEOUT)
    assert r.status_code == 201, r.text
    assert r.json()["code"] == body["code"]


def test_bearer_writes_need_no_csrf(admin):
    unit = create_unit(admin, root_unit_id(admin), kind="department")
    assert unit["id"] > 0


def test_cookie_logout_needs_csrf(server):
    s = requests.Session()
    r = s.post(f"{server.url}/api/v1/session",
               json={"username": "admin", "password": ADMIN_PASSWORD},
               timeout=HTTP_TIMEOUT)
    csrf, token = r.json()["csrf_token"], r.json()["token"]
    assert_error(s.delete(f"{server.url}/api/v1/session",
                          timeout=HTTP_TIMEOUT), 403, code="csrf")
    # still logged in
    assert s.get(f"{server.url}/api/v1/me",
                 timeout=HTTP_TIMEOUT).status_code == 200
    r = s.delete(f"{server.url}/api/v1/session",
                 headers={"X-CSRF-Token": csrf}, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    # the server cleared the cookie; sending the old one again fails
    assert "duban_session" not in s.cookies
    r = requests.get(f"{server.url}/api/v1/me",
                     cookies={"duban_session": token}, timeout=HTTP_TIMEOUT)
    assert_error(r, 401)


# --- lockout --------------------------------------------------------------

def test_five_wrong_passwords_lock_the_account(server, admin):
    user = create_user(admin, root_unit_id(admin), ["liaison"],
                       username=unique("locky"))
    name = user["username"]
    for i in range(5):
        r = post_login(server.url, name, "Wrong-Passw0rd")
        assert_error(r, 401, code="bad_credentials")
    r = post_login(server.url, name, USER_PASSWORD)
    err = assert_error(r, 403, code="account_locked")
    assert "token" not in r.json()
    assert err["message"]
    # other accounts are not affected
    assert post_login(server.url, "admin", ADMIN_PASSWORD).status_code == 200


def test_a_good_login_resets_the_failure_count(server, admin):
    user = create_user(admin, root_unit_id(admin), ["liaison"],
                       username=unique("resets"))
    name = user["username"]
    for _ in range(4):
        assert_error(post_login(server.url, name, "Wrong-Passw0rd"), 401)
    assert post_login(server.url, name, USER_PASSWORD).status_code == 200
    assert_error(post_login(server.url, name, "Wrong-Passw0rd"), 401)
    assert post_login(server.url, name, USER_PASSWORD).status_code == 200


# --- idle timeout ---------------------------------------------------------

@pytest.fixture(scope="module")
def idle_server(make_server):
    return make_server("--session-idle", "1")


def test_idle_session_expires(idle_server):
    s = login(idle_server.url, "admin", ADMIN_PASSWORD)
    assert s.get("/api/v1/me").status_code == 200
    time.sleep(2.5)
    assert_error(s.get("/api/v1/me"), 401, code="session_expired")
    # logging in again works
    s2 = login(idle_server.url, "admin", ADMIN_PASSWORD)
    assert s2.get("/api/v1/me").status_code == 200


def test_active_session_does_not_expire(idle_server):
    """--session-idle is an *idle* timeout: a session used every 0.4 s must
    outlive a 1 s idle limit.

    BUG candidate: session_resolve() only refreshes last_seen when it is 30 s
    or more old, so with --session-idle below 30 the idle timeout behaves as
    an absolute one: the session dies ~2 s after login however busy it is."""
    s = login(idle_server.url, "admin", ADMIN_PASSWORD)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 3.2:
        r = s.get("/api/v1/me")
        assert r.status_code == 200, (
            f"session in constant use expired after "
            f"{time.monotonic() - t0:.1f}s: {r.text}")
        time.sleep(0.4)
