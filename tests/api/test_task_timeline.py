"""GET /api/v1/tasks?include=milestones: a page of tasks with each one's
milestones, in their order - what the wall chart's timeline draws, in one
request instead of one per task."""

import pytest

from duban_client import (assert_error, create_campaign, create_task,
                          create_unit, root_unit_id)


@pytest.fixture(scope="module")
def campaign(admin):
    root = root_unit_id(admin)
    city = create_unit(admin, root, kind="city")["id"]
    cid = create_campaign(admin, city)["id"]
    tasks = []
    for i in range(70):  # more than one batch of the server's query
        ms = [{"title": f"节点{i}-{k}", "due_on": f"2021-{k + 3:02d}-15"}
              for k in range(i % 3)]
        tasks.append(create_task(admin, cid, city, milestones=ms))
    return cid, tasks


def test_each_task_comes_with_its_milestones(admin, campaign):
    cid, tasks = campaign
    r = admin.get(f"/api/v1/tasks?campaign_id={cid}&include=milestones"
                  "&per_page=100")
    assert r.status_code == 200, r.text
    items = {t["id"]: t for t in r.json()["items"]}
    assert len(items) == 70
    for t in tasks:
        got = items[t["id"]]["milestones"]
        assert [m["title"] for m in got] == \
            [m["title"] for m in t["milestones"]]
        assert [m["id"] for m in got] == [m["id"] for m in t["milestones"]]
        for m in got:
            assert set(m) >= {"id", "title", "due_on", "completed_on"}
    # the same as each task's own page says
    one = admin.get(f"/api/v1/tasks/{tasks[5]['id']}").json()
    assert items[tasks[5]["id"]]["milestones"] == one["milestones"]


def test_pages_and_filters_still_apply(admin, campaign):
    cid, tasks = campaign
    r = admin.get(f"/api/v1/tasks?campaign_id={cid}&include=milestones"
                  "&per_page=10&page=7")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 70 and len(body["items"]) == 10
    assert all("milestones" in t for t in body["items"])


def test_without_include_no_milestones(admin, campaign):
    cid, _ = campaign
    r = admin.get(f"/api/v1/tasks?campaign_id={cid}&per_page=5")
    assert all("milestones" not in t for t in r.json()["items"])


def test_unknown_include(admin, campaign):
    cid, _ = campaign
    assert_error(admin.get(f"/api/v1/tasks?campaign_id={cid}"
                           "&include=reports"), 422, field="include")
