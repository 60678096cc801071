"""Users: creation by the security administrator, the password policy,
roles, duplicates, listing and reading."""

import pytest

from duban_client import (USER_PASSWORD, assert_error, create_user, login,
                          post_login, root_unit_id, unique)


@pytest.fixture(scope="module")
def root(admin):
    return root_unit_id(admin)


@pytest.fixture(scope="module")
def liaison(server, admin, root):
    u = create_user(admin, root, ["liaison"], username=unique("liaison"))
    return login(server.url, u["username"], USER_PASSWORD)


def body(unit_id, **over):
    b = {"username": unique("u"), "password": USER_PASSWORD,
         "display_name": "张三", "unit_id": unit_id,
         "roles": ["office", "leader"]}
    b.update(over)
    return b


def test_create_user(server, admin, root):
    b = body(root)
    r = admin.post("/api/v1/users", json=b)
    assert r.status_code == 201, r.text
    u = r.json()
    assert isinstance(u["id"], int)
    assert u["username"] == b["username"]
    assert u["display_name"] == "张三"
    assert u["unit_id"] == root
    assert sorted(u["roles"]) == ["leader", "office"]
    assert "password" not in u and "password_hash" not in u
    assert USER_PASSWORD not in r.text
    # the new user can log in with that password and sees those roles
    s = post_login(server.url, b["username"], USER_PASSWORD)
    assert s.status_code == 200, s.text
    assert sorted(s.json()["user"]["roles"]) == ["leader", "office"]


def test_display_name_defaults_to_username(admin, root):
    b = body(root)
    del b["display_name"]
    r = admin.post("/api/v1/users", json=b)
    assert r.status_code == 201, r.text
    assert r.json()["display_name"] == b["username"]


@pytest.mark.parametrize("password", [
    "abcdefgh",      # one class only
    "abcd1234",      # two classes
    "ABCDEFGH12",    # two classes
])
def test_weak_password_is_422(admin, root, password):
    r = admin.post("/api/v1/users", json=body(root, password=password))
    assert_error(r, 422, field="password")


@pytest.mark.parametrize("password", ["Ab1!", "Ab1!xyz", ""])
def test_short_password_is_422(admin, root, password):
    r = admin.post("/api/v1/users", json=body(root, password=password))
    assert_error(r, 422, field="password")


def test_policy_counts_characters_not_bytes(admin, root):
    # six CJK characters, an upper-case letter and a digit: 8 characters
    # mixing three classes (other, upper, digit), so acceptable
    r = admin.post("/api/v1/users", json=body(root, password="督办作风建设A1"))
    assert r.status_code == 201, r.text
    # three CJK characters and "A1": 11 bytes but only 5 characters, too short
    r = admin.post("/api/v1/users", json=body(root, password="督办作A1"))
    assert_error(r, 422, field="password")


@pytest.mark.parametrize("roles", [["root"], ["office", "boss"], [],
                                   "office", [3]])
def test_bad_roles_are_422(admin, root, roles):
    r = admin.post("/api/v1/users", json=body(root, roles=roles))
    assert_error(r, 422, field="roles")


@pytest.mark.parametrize("username", ["a", "has space", "斜杠/", "x" * 65])
def test_bad_username_is_422(admin, root, username):
    r = admin.post("/api/v1/users", json=body(root, username=username))
    assert_error(r, 422, field="username")


@pytest.mark.parametrize("missing", ["username", "password", "unit_id",
                                     "roles"])
def test_missing_field_is_422(admin, root, missing):
    b = body(root)
    del b[missing]
    assert_error(admin.post("/api/v1/users", json=b), 422, field=missing)


def test_unknown_unit_is_422(admin):
    r = admin.post("/api/v1/users", json=body(999999))
    assert_error(r, 422, field="unit_id")


def test_duplicate_username_is_409(admin, root):
    b = body(root)
    assert admin.post("/api/v1/users", json=b).status_code == 201
    err = assert_error(admin.post("/api/v1/users",
                                  json=body(root, username=b["username"])),
                       409)
    assert err.get("field") == "username"


def test_liaison_cannot_create_users(liaison, root):
    r = liaison.post("/api/v1/users", json=body(root))
    assert_error(r, 403)


def test_liaison_cannot_list_or_read_users(liaison, admin):
    assert_error(liaison.get("/api/v1/users"), 403)
    assert_error(liaison.get(f"/api/v1/users/{admin.user['id']}"), 403)


def test_list_users(admin, liaison):
    r = admin.get("/api/v1/users?per_page=500")
    assert r.status_code == 200, r.text
    page = r.json()
    assert {"items", "total", "page", "per_page"} <= set(page)
    names = [u["username"] for u in page["items"]]
    assert "admin" in names
    assert liaison.user["username"] in names
    assert page["total"] == len(page["items"])
    for u in page["items"]:
        assert "password_hash" not in u
        assert isinstance(u["roles"], list)


def test_list_users_by_unit_and_page(admin, root, liaison):
    r = admin.get(f"/api/v1/users?unit_id={root}&per_page=1&page=2")
    assert r.status_code == 200
    p = r.json()
    assert p["page"] == 2 and p["per_page"] == 1 and len(p["items"]) == 1
    assert all(u["unit_id"] == root for u in p["items"])
    assert_error(admin.get("/api/v1/users?per_page=0"), 422, field="per_page")
    assert_error(admin.get("/api/v1/users?unit_id=999999"), 422,
                 field="unit_id")


def test_get_user(admin, liaison):
    uid = liaison.user["id"]
    r = admin.get(f"/api/v1/users/{uid}")
    assert r.status_code == 200
    u = r.json()
    assert u["id"] == uid
    assert u["username"] == liaison.user["username"]
    assert u["roles"] == ["liaison"]
    assert "password_hash" not in u


def test_get_unknown_user_is_404(admin):
    assert_error(admin.get("/api/v1/users/987654"), 404)
