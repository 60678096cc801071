"""GET /api/v1/people: the names staff may pick (a group's leader and
members, a linked leader) - active accounts in the caller's scope with the
roles asked for, and nothing but id, display name, unit and roles.

    root
    └── 葫芦岛市 (office, leader, inspector, liaison, a retired leader)
        └── 兴城市 (leader_k)
    锦州市 (leader_x: another branch)
"""

import sqlite3

import pytest

from duban_client import (USER_PASSWORD, assert_error, create_unit,
                          create_user, login, root_unit_id, unique)


class World:
    pass


@pytest.fixture(scope="module")
def world(server, admin):
    w = World()
    root = root_unit_id(admin)
    w.city = create_unit(admin, root, kind="city", name="葫芦岛市")["id"]
    w.county = create_unit(admin, w.city, kind="county", name="兴城市")["id"]
    w.other = create_unit(admin, root, kind="city", name="锦州市")["id"]
    w.users = {}
    for name, unit, roles in (
            ("office", w.city, ["office"]),
            ("leader", w.city, ["leader"]),
            ("inspector", w.city, ["inspector", "liaison"]),
            ("liaison", w.city, ["liaison"]),
            ("retired", w.city, ["leader"]),
            ("leader_k", w.county, ["leader"]),
            ("leader_x", w.other, ["leader"])):
        u = create_user(admin, unit, roles, username=unique(name),
                        display_name=f"{name}同志")
        w.users[name] = u
    w.server = server
    w.office = login(server.url, w.users["office"]["username"],
                     USER_PASSWORD)
    w.liaison = login(server.url, w.users["liaison"]["username"],
                      USER_PASSWORD)
    w.admin = admin
    return w


def people(s, query=""):
    r = s.get(f"/api/v1/people{query}")
    assert r.status_code == 200, r.text
    return r.json()


def names(page):
    return {p["display_name"] for p in page["items"]}


def test_the_office_sees_the_leaders_of_its_subtree(world):
    page = people(world.office, "?role=leader")
    got = names(page)
    assert {"leader同志", "leader_k同志"} <= got
    assert "leader_x同志" not in got  # another branch
    assert "office同志" not in got and "liaison同志" not in got
    assert page["total"] == len(page["items"])


def test_an_account_switched_off_is_no_one_to_pick(world):
    assert "retired同志" in names(people(world.office, "?role=leader"))
    # no endpoint switches an account off yet: the database does
    db = sqlite3.connect(str(world.server.db), timeout=30)
    with db:
        db.execute("UPDATE users SET active = 0 WHERE id = ?",
                   (world.users["retired"]["id"],))
    db.close()
    assert "retired同志" not in names(people(world.office, "?role=leader"))


def test_only_names_units_and_roles(world):
    for p in people(world.office, "?role=leader,inspector")["items"]:
        assert set(p) == {"id", "display_name", "unit_id", "roles"}
        assert set(p["roles"]) & {"leader", "inspector"}


def test_roles_combine_and_units_narrow(world):
    got = names(people(world.office, "?role=leader,inspector"))
    assert {"leader同志", "inspector同志", "leader_k同志"} <= got
    got = names(people(world.office,
                       f"?role=leader&unit_id={world.county}"))
    assert got == {"leader_k同志"}
    # every role when none is asked for
    got = names(people(world.office))
    assert {"office同志", "liaison同志", "leader同志"} <= got


def test_bad_requests(world):
    assert_error(world.office.get("/api/v1/people?role=mayor"), 422,
                 field="role")
    assert_error(world.office.get("/api/v1/people?role=leader,"), 422,
                 field="role")
    assert_error(world.office.get(
        f"/api/v1/people?unit_id={world.other}"), 403)
    assert_error(world.office.get("/api/v1/people?per_page=0"), 422,
                 field="per_page")


def test_who_may_ask(world, server):
    assert_error(world.liaison.get("/api/v1/people?role=leader"), 403)
    import requests
    r = requests.get(f"{server.url}/api/v1/people", timeout=10)
    assert r.status_code == 401
    assert names(people(world.admin, "?role=leader")) >= {
        "leader同志", "leader_k同志", "leader_x同志"}
