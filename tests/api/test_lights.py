"""Warning lights (亮灯) at their boundaries: due soon in working days
across holidays and adjusted working days, the report due day, overdue
milestones and tasks, the campaign's own light settings, the counts per
lead unit and their roll-up along the unit tree.

    root
    ├── 葫芦岛市 (office)
    │   ├── 兴城市 A (liaison_a)
    │   │   └── 首山镇 A1
    │   └── 绥中县 B
    └── 锦州市 (office_x)

Working-day facts used (the statutory calendar, checked with `duban
calendar add`): 2021-04-30 is the Friday before the 5/1-5/5 holiday, so
2021-04-28 + 3 working days = 2021-05-06 and 2021-04-29 + 3 = 2021-05-07;
2021-05-08 (Saturday) was an adjusted working day.
"""

import pytest

from duban_client import (ADMIN_PASSWORD, USER_PASSWORD, assert_error,
                          campaign_body, create_campaign, create_task,
                          create_unit, create_user, login, root_unit_id,
                          run_cli, submit_report, task_body, unique)


class Tree:
    pass


@pytest.fixture(scope="module")
def tree(server, admin):
    t = Tree()
    t.root = root_unit_id(admin)
    t.city = create_unit(admin, t.root, kind="city", name="葫芦岛市")["id"]
    t.a = create_unit(admin, t.city, kind="county", name="兴城市")["id"]
    t.a1 = create_unit(admin, t.a, kind="township", name="首山镇")["id"]
    t.b = create_unit(admin, t.city, kind="county", name="绥中县")["id"]
    t.x = create_unit(admin, t.root, kind="city", name="锦州市")["id"]
    for attr, unit, roles in (("office", t.city, ["office"]),
                              ("liaison_a", t.a, ["liaison"]),
                              ("office_x", t.x, ["office"])):
        u = create_user(admin, unit, roles, username=unique(attr))
        setattr(t, attr, login(server.url, u["username"], USER_PASSWORD))
    t.cid = create_campaign(t.office, t.city)["id"]
    return t


def cli_add(day, n):
    cp = run_cli("calendar", "add", day, n)
    assert cp.returncode == 0, cp.stderr
    return cp.stdout.strip()


def light(s, task_id, as_of):
    r = s.get(f"/api/v1/tasks/{task_id}?as_of={as_of}")
    assert r.status_code == 200, r.text
    t = r.json()
    return t["light"], set(t["light_reasons"])


def ms(*days):
    return [{"title": f"节点{i + 1}", "due_on": d} for i, d in enumerate(days)]


def done(s, task, i, day):
    r = s.post(f"/api/v1/milestones/{task['milestones'][i]['id']}/complete",
               json={"completed_on": day, "evidence": "验收单"})
    assert r.status_code == 200, r.text


def reported_through(s, task, last_month):
    """Monthly reports from January to last_month (an int)."""
    for m in range(1, last_month + 1):
        submit_report(s, task["id"], f"2021-{m:02d}")


# --- due soon, in working days --------------------------------------------

def test_due_soon_counts_working_days_across_may_day(tree):
    assert cli_add("2021-04-28", 3) == "2021-05-06"
    near = create_task(tree.office, tree.cid, tree.a,
                       milestones=ms("2021-05-06"))
    far = create_task(tree.office, tree.cid, tree.a,
                      milestones=ms("2021-05-07"))
    for t in (near, far):
        reported_through(tree.liaison_a, t, 3)
    assert light(tree.office, near["id"], "2021-04-28") == (
        "yellow", {"milestone_due_soon"})
    assert light(tree.office, far["id"], "2021-04-28") == ("green", set())
    # one working day later the 5/7 milestone is near too
    assert light(tree.office, far["id"], "2021-04-29") == (
        "yellow", {"milestone_due_soon"})
    # as_of on a holiday counts from the holiday: 5/3 + 3 = 5/8 (adjusted
    # Saturday), so both are near, nothing overdue yet
    assert cli_add("2021-05-03", 3) == "2021-05-08"
    assert light(tree.office, near["id"], "2021-05-03") == (
        "yellow", {"milestone_due_soon"})


def test_due_today_is_yellow_due_yesterday_is_red(tree):
    t = create_task(tree.office, tree.cid, tree.a,
                    milestones=ms("2021-03-31"))
    reported_through(tree.liaison_a, t, 3)
    assert light(tree.office, t["id"], "2021-03-31") == (
        "yellow", {"milestone_due_soon"})
    assert light(tree.office, t["id"], "2021-04-01") == (
        "red", {"milestone_overdue"})
    # done late: no longer red
    done(tree.liaison_a, t, 0, "2021-04-02")
    assert light(tree.office, t["id"], "2021-04-06") == ("green", set())


def test_task_due_date(tree):
    t = create_task(tree.office, tree.cid, tree.a, due_on="2021-06-30",
                    indicators=[{"name": "签约项目", "unit": "个",
                                 "target": 300, "comparator": ">="}])
    iid = t["indicators"][0]["id"]
    for m in range(1, 6):
        submit_report(tree.liaison_a, t["id"], f"2021-{m:02d}", {iid: 250})
    assert light(tree.office, t["id"], "2021-06-24") == ("green", set())
    assert light(tree.office, t["id"], "2021-06-25") == (
        "yellow", {"task_due_soon"})
    assert light(tree.office, t["id"], "2021-06-30") == (
        "yellow", {"task_due_soon"})
    assert light(tree.office, t["id"], "2021-07-01") == (
        "red", {"task_overdue"})
    # reaching the target, even late, ends the red light
    submit_report(tree.liaison_a, t["id"], "2021-06", {iid: 301})
    assert light(tree.office, t["id"], "2021-07-01") == ("green", set())
    assert light(tree.office, t["id"], "2021-06-29") == ("green", set())


def test_the_campaigns_own_due_soon_setting(tree):
    c = create_campaign(tree.office, tree.city, due_soon_workdays=1)
    t = create_task(tree.office, c["id"], tree.a,
                    milestones=ms("2021-04-30", "2021-05-06"))
    reported_through(tree.liaison_a, t, 3)
    # 4/29 + 1 working day = 4/30
    assert light(tree.office, t["id"], "2021-04-29") == (
        "yellow", {"milestone_due_soon"})
    done(tree.liaison_a, t, 0, "2021-04-29")
    assert light(tree.office, t["id"], "2021-04-29") == ("green", set())
    assert light(tree.office, t["id"], "2021-04-30") == (
        "yellow", {"milestone_due_soon"})


@pytest.fixture(scope="module")
def apart(make_server):
    """A server of its own for the campaigns that break lights, so that
    they cannot disturb the other tests."""
    srv = make_server()
    adm = login(srv.url, "admin", ADMIN_PASSWORD)
    t = Tree()
    t.admin = adm
    t.city = create_unit(adm, root_unit_id(adm), kind="city")["id"]
    t.a = create_unit(adm, t.city, kind="county")["id"]
    for attr, unit, roles in (("office", t.city, ["office"]),
                              ("liaison_a", t.a, ["liaison"])):
        u = create_user(adm, unit, roles, username=unique(attr))
        setattr(t, attr, login(srv.url, u["username"], USER_PASSWORD))
    return t


def test_due_soon_workdays_zero_is_refused_or_works(apart):
    tree = apart
    r = tree.office.post("/api/v1/campaigns", json=campaign_body(
        tree.city, due_soon_workdays=0))
    if r.status_code == 422:
        assert r.json()["error"].get("field") == "due_soon_workdays"
        return
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    r = tree.office.post("/api/v1/tasks", json=task_body(
        cid, tree.a, milestones=ms("2021-04-30", "2021-05-06")))
    assert r.status_code == 201, r.text
    t = r.json()
    reported_through(tree.liaison_a, t, 3)
    # zero working days: only what is due today is near
    assert light(tree.office, t["id"], "2021-04-30") == (
        "yellow", {"milestone_due_soon"})
    assert light(tree.office, t["id"], "2021-04-29") == ("green", set())
    r = tree.office.get(f"/api/v1/campaigns/{cid}/lights?as_of=2021-04-30")
    assert r.status_code == 200, r.text


def test_a_refused_task_is_not_written(apart):
    tree = apart
    r = tree.office.post("/api/v1/campaigns", json=campaign_body(
        tree.city, due_soon_workdays=0))
    if r.status_code != 201:
        return  # the trigger was closed off at the campaign
    cid = r.json()["id"]
    # the task before it, in a campaign that works: the next id is ours
    before = create_task(tree.office, create_campaign(
        tree.office, tree.city)["id"], tree.a)
    r = tree.office.post("/api/v1/tasks", json=task_body(cid, tree.a))
    if r.status_code == 201:
        reports = tree.office.get(f"/api/v1/tasks/{r.json()['id']}/reports")
        assert reports.status_code == 200, reports.text
        everyone = tree.office.get("/api/v1/tasks?per_page=500")
        assert everyone.status_code == 200, everyone.text
        return
    # an error answer must mean that nothing was written
    trail = tree.admin.get(f"/api/v1/audit?entity=task&id={before['id'] + 1}")
    assert trail.status_code == 200, trail.text
    written = [i["after"] for i in trail.json()["items"]
               if i["action"] == "create"]
    assert written == [], (
        f"answered {r.status_code} {r.text} but wrote {written}")


# --- the report due day ---------------------------------------------------

def test_report_missing_after_the_fifth_working_day(tree):
    due = cli_add("2021-04-30", 5)
    after = cli_add("2021-04-30", 6)
    t = create_task(tree.office, tree.cid, tree.a)
    reported_through(tree.liaison_a, t, 3)
    assert light(tree.office, t["id"], due) == ("green", set())
    assert light(tree.office, t["id"], after) == ("yellow",
                                                  {"report_missing"})
    submit_report(tree.liaison_a, t["id"], "2021-04")
    assert light(tree.office, t["id"], after) == ("green", set())


def test_only_tasks_started_before_last_month_ended_owe_a_report(tree):
    after = cli_add("2021-03-31", 6)
    assert after == "2021-04-09"
    old = create_task(tree.office, tree.cid, tree.a, starts_on="2021-03-31")
    new = create_task(tree.office, tree.cid, tree.a, starts_on="2021-04-01")
    assert light(tree.office, old["id"], after) == ("yellow",
                                                    {"report_missing"})
    assert light(tree.office, new["id"], after) == ("green", set())


def test_the_campaigns_own_report_due_day(tree):
    c = create_campaign(tree.office, tree.city, report_due_workday=1)
    t = create_task(tree.office, c["id"], tree.a)
    first = cli_add("2021-04-30", 1)
    second = cli_add("2021-04-30", 2)
    assert (first, second) == ("2021-05-06", "2021-05-07")
    reported_through(tree.liaison_a, t, 3)
    assert light(tree.office, t["id"], first) == ("green", set())
    assert light(tree.office, t["id"], second) == ("yellow",
                                                   {"report_missing"})


def test_reasons_add_up(tree):
    t = create_task(tree.office, tree.cid, tree.a, due_on="2021-04-30",
                    milestones=ms("2021-03-31", "2021-04-30"))
    # nothing reported, nothing done, past everything
    assert light(tree.office, t["id"], "2021-05-12") == (
        "red", {"milestone_overdue", "task_overdue", "report_missing"})
    assert light(tree.office, t["id"], "2021-04-28") == (
        "red", {"milestone_overdue", "milestone_due_soon", "task_due_soon",
                "report_missing"})


# --- counts per unit ------------------------------------------------------

@pytest.fixture(scope="module")
def counted(tree):
    """A campaign of its own: A1 (township) leads a red task and a green
    one, A a yellow one (co-unit B), B a green one."""
    c = create_campaign(tree.office, tree.city)
    red = create_task(tree.office, c["id"], tree.a1,
                      milestones=ms("2021-03-31"))
    green = create_task(tree.office, c["id"], tree.a1)
    yellow = create_task(tree.office, c["id"], tree.a, co_unit_ids=[tree.b],
                         milestones=ms("2021-04-02"))
    other = create_task(tree.office, c["id"], tree.b)
    for t in (red, green, yellow, other):
        submit_report(tree.office, t["id"], "2021-03")
    return c["id"], red, yellow


def lights_of(s, cid, as_of="2021-04-01"):
    r = s.get(f"/api/v1/campaigns/{cid}/lights?as_of={as_of}")
    assert r.status_code == 200, r.text
    body = r.json()
    return ({u["unit_id"]: (u["green"], u["yellow"], u["red"])
             for u in body["units"]},
            {u["unit_id"]: (u["green"], u["yellow"], u["red"])
             for u in body["subtrees"]},
            (body["totals"]["green"], body["totals"]["yellow"],
             body["totals"]["red"]))


def test_counts_under_the_lead_unit_and_rolled_up(tree, counted):
    cid, _, _ = counted
    units, subtrees, totals = lights_of(tree.office, cid)
    # co-unit B does not count A's yellow task
    assert units == {tree.a1: (1, 0, 1), tree.a: (0, 1, 0),
                     tree.b: (1, 0, 0)}
    assert subtrees == {tree.a1: (1, 0, 1), tree.a: (1, 1, 1),
                        tree.b: (1, 0, 0), tree.city: (2, 1, 1)}
    assert totals == (2, 1, 1)


def test_a_county_counts_its_own_subtree_only(tree, counted):
    cid, red, _ = counted
    units, subtrees, totals = lights_of(tree.liaison_a, cid)
    assert units == {tree.a1: (1, 0, 1), tree.a: (0, 1, 0)}
    assert subtrees == {tree.a1: (1, 0, 1), tree.a: (1, 1, 1)}
    assert totals == (1, 1, 1)
    r = tree.liaison_a.get(f"/api/v1/campaigns/{cid}/red-tasks"
                           "?as_of=2021-04-01")
    assert [i["task_id"] for i in r.json()["items"]] == [red["id"]]


def test_red_tasks_say_why(tree, counted):
    cid, red, _ = counted
    r = tree.office.get(f"/api/v1/campaigns/{cid}/red-tasks?as_of=2021-04-01")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert len(items) == 1
    it = items[0]
    assert it["task_id"] == red["id"]
    assert it["reasons"] == ["milestone_overdue"]
    assert it["title"] == red["title"]
    assert it["progress"] == 0
    # the day before, nothing is red
    r = tree.office.get(f"/api/v1/campaigns/{cid}/red-tasks?as_of=2021-03-31")
    assert r.json()["items"] == []


def test_lights_of_another_branch_are_403(tree, counted):
    cid, _, _ = counted
    assert_error(tree.office_x.get(
        f"/api/v1/campaigns/{cid}/lights?as_of=2021-04-01"), 403)
    assert_error(tree.office_x.get(
        f"/api/v1/campaigns/{cid}/red-tasks?as_of=2021-04-01"), 403)
    assert_error(tree.office.get(
        "/api/v1/campaigns/987654/lights?as_of=2021-04-01"), 404)


@pytest.mark.parametrize("as_of", ["2021-02-29", "20210401", "tomorrow"])
def test_bad_as_of_is_422(tree, counted, as_of):
    cid, red, _ = counted
    assert_error(tree.office.get(
        f"/api/v1/campaigns/{cid}/lights?as_of={as_of}"), 422, field="as_of")
    assert_error(tree.office.get(f"/api/v1/tasks/{red['id']}?as_of={as_of}"),
                 422, field="as_of")


def test_lights_in_the_first_month_of_the_calendar(tree):
    c = create_campaign(tree.office, tree.city, starts_on="2020-01-01",
                        ends_on="2020-12-31", phases=[])
    t = create_task(tree.office, c["id"], tree.a, starts_on="2020-01-01",
                    due_on="2020-12-31", milestones=ms("2020-01-10"))
    r = tree.office.get(f"/api/v1/tasks/{t['id']}?as_of=2020-01-08")
    assert r.status_code == 200, r.text
    # 1/8 + 3 working days = 1/13
    assert (r.json()["light"], r.json()["light_reasons"]) == (
        "yellow", ["milestone_due_soon"])
    r = tree.office.get(f"/api/v1/campaigns/{c['id']}/lights"
                        "?as_of=2020-01-08")
    assert r.status_code == 200, r.text
