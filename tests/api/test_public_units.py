"""GET /api/v1/public/units: the units the public may name when filing a
complaint (names of government units are public).

No session is needed; the answer is ``{"units": [{id, name, kind,
parent_id}]}`` for every unit of the tree, by path - never a unit's code,
path or version, nor anything about accounts.  Like the other public
endpoints it is rate-limited per address (``--public-rate``).
"""

import time

import pytest
import requests

from duban_client import (ADMIN_PASSWORD, USER_PASSWORD, assert_error,
                          create_unit, create_user, file_complaint, login,
                          public_get, root_unit_id, unique)

PATH = "/api/v1/public/units"


@pytest.fixture(scope="module")
def srv(make_server):
    return make_server("--public-rate", "10000")


@pytest.fixture(scope="module")
def tree(srv):
    """root → city → (county, department); an account in the county."""
    admin = login(srv.url, "admin", ADMIN_PASSWORD)
    root = root_unit_id(admin)
    city = create_unit(admin, root, kind="city", name="兴城市",
                       code=unique("CITY"))
    county = create_unit(admin, city["id"], kind="county", name="首山镇",
                         code=unique("TOWN"))
    dept = create_unit(admin, city["id"], kind="department",
                       name="兴城市市场监督管理局", code=unique("SCJG"))
    user = create_user(admin, county["id"], ["liaison"],
                       display_name="首山镇联络员 张三")
    return {"admin": admin, "root": root, "city": city, "county": county,
            "dept": dept, "user": user}


def test_lists_every_unit_without_a_session(srv, tree):
    r = public_get(srv.url, PATH)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"units"}
    units = body["units"]
    ids = [u["id"] for u in units]
    assert tree["root"] in ids
    for k in ("city", "county", "dept"):
        assert tree[k]["id"] in ids
    assert len(ids) == len(set(ids))
    by_id = {u["id"]: u for u in units}
    assert by_id[tree["root"]]["parent_id"] is None
    assert by_id[tree["city"]["id"]] == {
        "id": tree["city"]["id"], "name": "兴城市", "kind": "city",
        "parent_id": tree["root"]}
    assert by_id[tree["dept"]["id"]]["parent_id"] == tree["city"]["id"]
    assert by_id[tree["dept"]["id"]]["kind"] == "department"
    # by path: a parent comes before its children
    assert ids.index(tree["root"]) < ids.index(tree["city"]["id"]) \
        < ids.index(tree["county"]["id"])


def test_answers_exactly_these_fields(srv, tree):
    units = public_get(srv.url, PATH).json()["units"]
    assert units
    for u in units:
        assert set(u) == {"id", "name", "kind", "parent_id"}, u
        assert isinstance(u["id"], int) and isinstance(u["name"], str)
    text = public_get(srv.url, PATH).text
    # nothing of the units' codes, nor of any account
    assert tree["city"]["code"] not in text
    assert tree["dept"]["code"] not in text
    assert tree["user"]["username"] not in text
    assert "首山镇联络员" not in text


def test_a_session_changes_nothing(srv, tree):
    """Staff get the same public list (the whole tree), not their scope."""
    county_user = login(srv.url, tree["user"]["username"], USER_PASSWORD)
    mine = county_user.get(PATH)
    assert mine.status_code == 200, mine.text
    assert mine.json() == public_get(srv.url, PATH).json()


def test_only_get(srv):
    r = requests.post(srv.url + PATH, json={"name": "x"}, timeout=10)
    assert r.status_code in (404, 405), r.text


def test_a_listed_unit_can_be_named_in_a_complaint(srv, tree):
    units = public_get(srv.url, PATH).json()["units"]
    dept = next(u for u in units if u["name"] == "兴城市市场监督管理局")
    c = file_complaint(srv.url, unit_id=dept["id"])
    admin = tree["admin"]
    items = admin.get("/api/v1/complaints", params={"per_page": 100}).json()
    got = next(i for i in items["items"]
               if i["tracking_code"] == c["tracking_code"])
    assert got["owner_unit_id"] == dept["id"]


def _fresh_minute(margin=6.0):
    """The limiter counts per calendar minute: start a burst early in one."""
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.2)


def test_is_rate_limited(make_server):
    srv = make_server("--public-rate", "3")
    _fresh_minute()
    codes = [public_get(srv.url, PATH).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429], codes
    r = public_get(srv.url, PATH)
    assert_error(r, 429)
    retry = r.headers.get("Retry-After")
    assert retry is not None and retry.isdigit() and 1 <= int(retry) <= 60
    # the other public endpoints share the address's budget
    assert public_get(srv.url, "/api/v1/public/complaint-categories") \
        .status_code == 429
