"""The cache of campaigns' computed progress and lights (app/taskset.c).

The server keeps a whole campaign's progress and lights computed, keyed on
a stamp that triggers move on with every write to tasks, indicators,
milestones, reports and their values.  Whatever it holds, every answer must
be the one the database gives now: after writes through this server, after
a write by another process, and the same as a server that keeps nothing
(``--task-cache 0``).
"""

import sqlite3
import time

import pytest

from duban_client import (ADMIN_PASSWORD, DubanServer, create_campaign,
                          create_task, create_unit, login, root_unit_id,
                          submit_report)

AS_OF = "2021-06-15"


def metric(url, name):
    import requests
    text = requests.get(f"{url}/metrics", timeout=10).text
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} missing from /metrics")


class World:
    pass


@pytest.fixture(scope="module")
def world(server, admin):
    w = World()
    w.server = server
    w.admin = admin
    root = root_unit_id(admin)
    w.city = create_unit(admin, root, kind="city")["id"]
    w.county = create_unit(admin, w.city, kind="county")["id"]
    w.cid = create_campaign(admin, w.city)["id"]
    ms = [{"title": "方案", "due_on": "2021-03-31"},
          {"title": "验收", "due_on": "2021-11-30"}]
    w.parent = create_task(admin, w.cid, w.city, milestones=ms)
    w.child = create_task(
        admin, w.cid, w.county, parent_id=w.parent["id"],
        indicators=[{"name": "完成率", "unit": "%", "target": 100,
                     "comparator": ">="}])
    return w


def task(s, tid):
    r = s.get(f"/api/v1/tasks/{tid}?as_of={AS_OF}")
    assert r.status_code == 200, r.text
    return r.json()


def lights(s, cid):
    r = s.get(f"/api/v1/campaigns/{cid}/lights?as_of={AS_OF}")
    assert r.status_code == 200, r.text
    return r.json()


def page(s, cid):
    r = s.get(f"/api/v1/tasks?campaign_id={cid}&as_of={AS_OF}&per_page=50")
    assert r.status_code == 200, r.text
    return r.json()


def test_a_campaigns_answers_come_from_the_cache(world):
    s = world.admin
    lights(s, world.cid)  # computes the whole campaign and keeps it
    hits = metric(world.server.url, "duban_task_cache_hits_total")
    first = task(s, world.child["id"])
    assert task(s, world.child["id"]) == first
    assert page(s, world.cid)["total"] == 2
    assert metric(world.server.url, "duban_task_cache_hits_total") >= hits + 3


def test_writes_through_the_server_change_the_answers(world):
    s = world.admin
    before = task(s, world.parent["id"])
    assert before["light"] == "red"  # the March milestone is overdue
    lights(s, world.cid)
    ms_id = before["milestones"][0]["id"]
    r = s.post(f"/api/v1/milestones/{ms_id}/complete",
               json={"completed_on": "2021-03-30", "evidence": "方案印发"})
    assert r.status_code == 200, r.text
    after = task(s, world.parent["id"])
    assert after["light"] != "red"
    # a report with the indicator's value moves the child's progress and,
    # through it, its parent's
    ind = world.child["indicators"][0]["id"]
    submit_report(s, world.child["id"], "2021-05", values={ind: 60})
    child = task(s, world.child["id"])
    assert child["progress"] == 60
    assert task(s, world.parent["id"])["progress"] == 60
    totals = lights(s, world.cid)["totals"]
    assert totals["red"] == 0


def test_a_write_by_another_process_is_seen(world):
    s = world.admin
    lights(s, world.cid)
    assert task(s, world.child["id"])["progress"] == 60
    # another process (here Python's sqlite3) changes a report's value
    db = sqlite3.connect(str(world.server.db), timeout=30)
    with db:
        db.execute("UPDATE report_values SET value = 90 WHERE indicator_id"
                   " = ?", (world.child["indicators"][0]["id"],))
    db.close()
    assert task(s, world.child["id"])["progress"] == 90
    assert task(s, world.parent["id"])["progress"] == 90
    items = {t["id"]: t for t in page(s, world.cid)["items"]}
    assert items[world.child["id"]]["progress"] == 90


def test_a_failed_write_leaves_the_answers_alone(world):
    s = world.admin
    before = task(s, world.child["id"])
    r = s.post(f"/api/v1/tasks/{world.child['id']}/reports",
               json={"period": "2021-13", "summary": "坏的月份"})
    assert r.status_code == 422, r.text
    assert task(s, world.child["id"]) == before


def test_the_builder_fills_the_cache_after_a_miss(world):
    s = world.admin
    builds = metric(world.server.url, "duban_task_cache_builds_total")
    # a write moves the stamp on; the next task read misses and hands the
    # whole campaign to the builder thread
    ind = world.child["indicators"][0]["id"]
    submit_report(s, world.child["id"], "2021-05", values={ind: 70},
                  reason="数据更正")
    assert task(s, world.child["id"])["progress"] == 70
    deadline = time.monotonic() + 30
    while metric(world.server.url,
                 "duban_task_cache_builds_total") <= builds:
        assert time.monotonic() < deadline, "the builder never built"
        time.sleep(0.1)
    hits = metric(world.server.url, "duban_task_cache_hits_total")
    assert task(s, world.child["id"])["progress"] == 70
    assert metric(world.server.url, "duban_task_cache_hits_total") > hits


def test_a_server_without_the_cache_answers_the_same(world):
    s = world.admin
    plain = DubanServer(world.server.dir, world.server.db,
                        ["--task-cache", "0"]).start()
    try:
        p = login(plain.url, "admin", ADMIN_PASSWORD)
        for tid in (world.parent["id"], world.child["id"]):
            assert task(p, tid) == task(s, tid)
        assert page(p, world.cid) == page(s, world.cid)
        assert lights(p, world.cid) == lights(s, world.cid)
        assert metric(plain.url, "duban_task_cache_tasks") == 0
    finally:
        plain.stop()
    assert plain.exit_problem() is None
