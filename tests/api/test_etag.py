"""ETag and 304 Not Modified on GETs of single objects (units, tasks,
campaigns, ...): a strong validator over the JSON body; If-None-Match with
it answers 304 without a body; any change to the object changes it."""

import re

import pytest

from duban_client import (assert_error, create_campaign, create_task,
                          create_unit, create_user, login, root_unit_id,
                          submit_report, USER_PASSWORD)

ETAG = re.compile(r'^"[0-9a-f]{32}"$')


@pytest.fixture(scope="module")
def root(admin):
    return root_unit_id(admin)


def etag_of(s, path):
    r = s.get(path)
    assert r.status_code == 200, r.text
    etag = r.headers.get("ETag")
    assert etag and ETAG.match(etag), r.headers
    return etag, r


def test_unit_etag_and_304(admin, root):
    u = create_unit(admin, root, kind="department")
    path = f"/api/v1/units/{u['id']}"
    etag, first = etag_of(admin, path)
    # the same body, the same validator
    assert admin.get(path).headers["ETag"] == etag
    r = admin.get(path, headers={"If-None-Match": etag})
    assert r.status_code == 304
    assert r.content == b""
    assert r.headers["ETag"] == etag
    # in a list, weak or not, or *
    for inm in (f'"nope", {etag}', f"W/{etag}", "*"):
        r = admin.get(path, headers={"If-None-Match": inm})
        assert r.status_code == 304, inm
    r = admin.get(path, headers={"If-None-Match": '"0123"'})
    assert r.status_code == 200 and r.json() == first.json()
    # a change makes a new validator: the old one gets the new body
    r = admin.patch(path, json={"name": "改名", "version": u["version"]})
    assert r.status_code == 200, r.text
    r = admin.get(path, headers={"If-None-Match": etag})
    assert r.status_code == 200
    assert r.json()["name"] == "改名"
    assert r.headers["ETag"] != etag


def test_task_and_campaign_etags(admin, root):
    city = create_unit(admin, root, kind="city")["id"]
    c = create_campaign(admin, city)
    t = create_task(admin, c["id"], city,
                    indicators=[{"name": "完成率", "unit": "%",
                                 "target": 100, "comparator": ">="}])
    cpath = f"/api/v1/campaigns/{c['id']}"
    tpath = f"/api/v1/tasks/{t['id']}?as_of=2021-03-01"
    cetag, _ = etag_of(admin, cpath)
    tetag, _ = etag_of(admin, tpath)
    assert admin.get(cpath, headers={"If-None-Match": cetag}).status_code \
        == 304
    assert admin.get(tpath, headers={"If-None-Match": tetag}).status_code \
        == 304
    # a report moves the task's progress: a new body, a new validator
    submit_report(admin, t["id"], "2021-02",
                  {t["indicators"][0]["id"]: 50})
    r = admin.get(tpath, headers={"If-None-Match": tetag})
    assert r.status_code == 200
    assert r.headers["ETag"] != tetag


def test_no_etag_on_lists_errors_or_writes(admin, root):
    r = admin.get("/api/v1/units")
    assert r.status_code == 200 and "ETag" not in r.headers
    r = admin.get("/api/v1/units/999999", headers={"If-None-Match": "*"})
    assert_error(r, 404)
    assert "ETag" not in r.headers
    r = admin.post("/api/v1/units", json={"name": "x", "kind": "city",
                                          "parent_id": root,
                                          "code": "ETAG-W"})
    assert r.status_code == 201 and "ETag" not in r.headers


def test_304_only_after_the_scope_check(server, admin, root):
    a = create_unit(admin, root, kind="city")["id"]
    b = create_unit(admin, root, kind="city")["id"]
    etag, _ = etag_of(admin, f"/api/v1/units/{a}")
    user = create_user(admin, b, ["office"])
    s = login(server.url, user["username"], USER_PASSWORD)
    r = s.get(f"/api/v1/units/{a}", headers={"If-None-Match": etag})
    assert_error(r, 403)
