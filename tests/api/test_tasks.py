"""Tasks (任务): create with indicators and milestones, the task tree and
its progress, the task list and its filters, monthly reports with review
and supersession, milestones, and who may do which.

    root
    ├── 葫芦岛市 (office, liaison)
    │   ├── 兴城市 A  (office_a, liaison_a)
    │   ├── 绥中县 B  (liaison_b)
    │   └── 市发改委 D
    └── 锦州市 X (office_x)
"""

import datetime

import pytest

from duban_client import (USER_PASSWORD, assert_error, create_campaign,
                          create_task, create_unit, create_user, cst_today,
                          login, root_unit_id, submit_report, task_body,
                          unique)


class Tree:
    pass


@pytest.fixture(scope="module")
def tree(server, admin):
    t = Tree()
    t.root = root_unit_id(admin)
    t.city = create_unit(admin, t.root, kind="city", name="葫芦岛市")["id"]
    t.a = create_unit(admin, t.city, kind="county", name="兴城市")["id"]
    t.b = create_unit(admin, t.city, kind="county", name="绥中县")["id"]
    t.d = create_unit(admin, t.city, kind="department", name="市发改委")["id"]
    t.x = create_unit(admin, t.root, kind="city", name="锦州市")["id"]
    for attr, unit, roles in (("office", t.city, ["office"]),
                              ("liaison", t.city, ["liaison"]),
                              ("office_a", t.a, ["office"]),
                              ("liaison_a", t.a, ["liaison"]),
                              ("liaison_b", t.b, ["liaison"]),
                              ("office_x", t.x, ["office"])):
        u = create_user(admin, unit, roles, username=unique(attr))
        setattr(t, attr, login(server.url, u["username"], USER_PASSWORD))
    t.campaign = create_campaign(t.office, t.city)
    t.cid = t.campaign["id"]
    return t


def task_ids(s, query):
    r = s.get(f"/api/v1/tasks?{query}&per_page=100")
    assert r.status_code == 200, r.text
    return {t["id"] for t in r.json()["items"]}


def get(s, task_id, as_of="2021-03-01"):
    r = s.get(f"/api/v1/tasks/{task_id}?as_of={as_of}")
    assert r.status_code == 200, r.text
    return r.json()


def progress(s, task_id, as_of="2021-03-01"):
    return get(s, task_id, as_of)["progress"]


# --- creating -------------------------------------------------------------

def test_create_task(tree):
    b = task_body(
        tree.cid, tree.a, category_code="ZDXM", title="落地开工项目不低于200个",
        co_unit_ids=[tree.b, tree.d], leader_name="刘副市长",
        team=["市发改委 王科长", "兴城市 赵主任"],
        starts_on="2021-02-01", due_on="2021-11-30",
        indicators=[{"name": "落地开工项目", "unit": "个", "target": 200,
                     "comparator": ">="},
                    {"name": "产业项目占比", "unit": "%", "target": 80,
                     "comparator": ">="}],
        milestones=[{"title": "一季度抓前期", "due_on": "2021-03-31"},
                    {"title": "二季度抓开工", "due_on": "2021-06-30"}])
    r = tree.office.post("/api/v1/tasks", json=b)
    assert r.status_code == 201, r.text
    t = r.json()
    assert isinstance(t["id"], int)
    assert t["campaign_id"] == tree.cid
    assert t["category_code"] == "ZDXM"
    assert t["title"] == "落地开工项目不低于200个"
    assert t["lead_unit_id"] == tree.a
    assert sorted(t["co_unit_ids"]) == sorted([tree.b, tree.d])
    assert t["leader_name"] == "刘副市长"
    assert t["team"] == ["市发改委 王科长", "兴城市 赵主任"]
    assert (t["starts_on"], t["due_on"]) == ("2021-02-01", "2021-11-30")
    assert [(i["name"], i["unit"], i["target"], i["comparator"])
            for i in t["indicators"]] == [("落地开工项目", "个", 200, ">="),
                                          ("产业项目占比", "%", 80, ">=")]
    assert len({i["id"] for i in t["indicators"]}) == 2
    assert [(m["title"], m["due_on"]) for m in t["milestones"]] == [
        ("一季度抓前期", "2021-03-31"), ("二季度抓开工", "2021-06-30")]
    assert len({m["id"] for m in t["milestones"]}) == 2
    # read back for a day in the campaign: nothing reported, nothing done
    got = get(tree.office, t["id"], "2021-02-10")
    assert [i["value"] for i in got["indicators"]] == [None, None]
    assert [m["completed_on"] for m in got["milestones"]] == [None, None]
    assert got["progress"] == 0
    assert got["light"] == "green"
    assert got["light_reasons"] == []


def ms_outside(day):
    return {"milestones": [{"title": "节点", "due_on": day}]}


@pytest.mark.parametrize("over,field", [
    ({"category_code": "QTLB"}, "category_code"),
    ({"indicators": [{"name": "签约项目", "unit": "个", "target": 300,
                      "comparator": ">"}]}, "indicators[0].comparator"),
    ({"indicators": [{"name": "签约项目", "unit": "个", "target": 300,
                      "comparator": "="}]}, "indicators[0].comparator"),
    ({"indicators": [{"name": "签约项目", "unit": "个", "target": "三百",
                      "comparator": ">="}]}, "indicators[0].target"),
    (ms_outside("2022-01-15"), "milestones[0].due_on"),
    (ms_outside("2020-12-31"), "milestones[0].due_on"),
    ({"starts_on": "2021-05-01", "due_on": "2021-04-30"}, "due_on"),
    ({"starts_on": "2020-12-01"}, "starts_on"),
    ({"due_on": "2022-06-30"}, "due_on"),
    ({"title": None}, "title"),
    ({"lead_unit_id": 987654}, "lead_unit_id"),
    ({"parent_id": 987654}, "parent_id"),
], ids=["category", "comparator-gt", "comparator-eq", "target-text",
        "milestone-late", "milestone-early", "due-before-start",
        "starts-before-campaign", "due-after-campaign", "no-title",
        "lead-unknown", "parent-unknown"])
def test_invalid_task_is_422_naming_the_field(tree, over, field):
    before = task_ids(tree.office, f"campaign_id={tree.cid}")
    over = dict(over)
    lead = over.pop("lead_unit_id", tree.a)
    r = tree.office.post("/api/v1/tasks",
                         json=task_body(tree.cid, lead, **over))
    assert_error(r, 422, field=field)
    assert task_ids(tree.office, f"campaign_id={tree.cid}") == before


def test_lead_unit_outside_the_subtree_is_403(tree):
    before = task_ids(tree.office, f"campaign_id={tree.cid}")
    r = tree.office.post("/api/v1/tasks", json=task_body(tree.cid, tree.x))
    assert_error(r, 403)
    assert task_ids(tree.office, f"campaign_id={tree.cid}") == before


def test_only_the_office_managing_the_campaign_creates_tasks(tree):
    before = task_ids(tree.office, f"campaign_id={tree.cid}")
    assert_error(tree.liaison.post("/api/v1/tasks",
                                   json=task_body(tree.cid, tree.a)), 403)
    # the county office does not manage the city's campaign, not even for
    # a task of its own county
    assert_error(tree.office_a.post("/api/v1/tasks",
                                    json=task_body(tree.cid, tree.a)), 403)
    assert_error(tree.office_x.post("/api/v1/tasks",
                                    json=task_body(tree.cid, tree.a)), 403)
    assert task_ids(tree.office, f"campaign_id={tree.cid}") == before


def test_parent_from_another_campaign_is_422(tree):
    other = create_campaign(tree.office, tree.city)
    p = create_task(tree.office, other["id"], tree.a)
    r = tree.office.post("/api/v1/tasks", json=task_body(
        tree.cid, tree.a, parent_id=p["id"]))
    assert_error(r, 422, field="parent_id")


def test_unknown_task_is_404(tree):
    assert_error(tree.office.get("/api/v1/tasks/987654"), 404)


# --- progress -------------------------------------------------------------

def ind(target, comparator, name="指标"):
    return {"name": name, "unit": "", "target": target,
            "comparator": comparator}


def ms(*days):
    return [{"title": f"节点{i + 1}", "due_on": d} for i, d in enumerate(days)]


@pytest.mark.parametrize("indicators,values,want", [
    ([ind(300, ">=")], [400], 100.0),             # capped at 100
    ([ind(300, ">=")], [20], 6.7),                 # 6.666…
    ([ind(5, "<=")], [8], 62.5),                   # 100·5/8
    ([ind(5, "<=")], [5], 100.0),
    ([ind(5, "<=")], [0], 100.0),
    ([ind(60, ">="), ind(2, "<=")], [45, 3], 70.8),  # (75 + 66.67)/2
    ([ind(10, ">="), ind(10, ">=")], [10, None], 50.0),  # one not reported
], ids=["capped", "rounded", "at-most-over", "at-most-on", "at-most-zero",
        "two-indicators", "one-unreported"])
def test_progress_from_indicators(tree, indicators, values, want):
    t = create_task(tree.office, tree.cid, tree.a, indicators=indicators)
    vals = {i["id"]: v for i, v in zip(t["indicators"], values)
            if v is not None}
    submit_report(tree.liaison_a, t["id"], "2021-02", vals)
    assert progress(tree.office, t["id"]) == want


def test_progress_from_milestones(tree):
    t = create_task(tree.office, tree.cid, tree.a,
                    milestones=ms("2021-02-26", "2021-04-30", "2021-06-30"))
    assert progress(tree.office, t["id"]) == 0
    r = tree.liaison_a.post(
        f"/api/v1/milestones/{t['milestones'][0]['id']}/complete",
        json={"completed_on": "2021-02-25", "evidence": "实施方案.pdf"})
    assert r.status_code == 200, r.text
    assert progress(tree.office, t["id"]) == 33.3


def test_a_task_with_nothing_to_measure_is_at_zero(tree):
    t = create_task(tree.office, tree.cid, tree.a)
    submit_report(tree.liaison_a, t["id"], "2021-02")
    assert progress(tree.office, t["id"]) == 0


def test_parent_progress_is_the_mean_of_its_children(tree):
    """goal ─┬─ half ─┬─ m3 (1 of 3 milestones: 33.33)
             │        └─ full (indicator at 100)
             └─ zero (nothing reported)
    half = 66.67, goal = (66.67 + 0)/2 = 33.3 (a mean over the leaves
    would give 44.4)"""
    goal = create_task(tree.office, tree.cid, tree.d, title="大目标")
    half = create_task(tree.office, tree.cid, tree.d, parent_id=goal["id"],
                       title="分解目标")
    m3 = create_task(tree.office, tree.cid, tree.a, parent_id=half["id"],
                     milestones=ms("2021-02-26", "2021-04-30", "2021-06-30"))
    full = create_task(tree.office, tree.cid, tree.b, parent_id=half["id"],
                       indicators=[ind(30, ">=")])
    zero = create_task(tree.office, tree.cid, tree.b, parent_id=goal["id"],
                       indicators=[ind(30, ">=")])
    assert (half["parent_id"], zero["parent_id"]) == (goal["id"], goal["id"])
    r = tree.liaison_a.post(
        f"/api/v1/milestones/{m3['milestones'][0]['id']}/complete",
        json={"completed_on": "2021-02-20", "evidence": "方案"})
    assert r.status_code == 200, r.text
    submit_report(tree.liaison_b, full["id"], "2021-02",
                  {full["indicators"][0]["id"]: 31})
    got = {k: progress(tree.office, t["id"]) for k, t in
           (("goal", goal), ("half", half), ("m3", m3), ("full", full),
            ("zero", zero))}
    assert got == {"goal": 33.3, "half": 66.7, "m3": 33.3, "full": 100.0,
                   "zero": 0.0}
    # the list shows the same numbers
    r = tree.office.get(f"/api/v1/tasks?campaign_id={tree.cid}"
                        "&as_of=2021-03-01&per_page=100")
    listed = {t["id"]: t["progress"] for t in r.json()["items"]}
    assert listed[goal["id"]] == 33.3 and listed[half["id"]] == 66.7


def test_a_parent_ignores_its_own_indicators(tree):
    # progress of a split goal comes from its parts
    goal = create_task(tree.office, tree.cid, tree.a,
                       indicators=[ind(10, ">=")])
    part = create_task(tree.office, tree.cid, tree.a, parent_id=goal["id"],
                       indicators=[ind(10, ">=")])
    submit_report(tree.liaison_a, goal["id"], "2021-02",
                  {goal["indicators"][0]["id"]: 10})
    submit_report(tree.liaison_a, part["id"], "2021-02",
                  {part["indicators"][0]["id"]: 4})
    assert progress(tree.office, part["id"]) == 40.0
    assert progress(tree.office, goal["id"]) == 40.0


# --- the list -------------------------------------------------------------

@pytest.fixture(scope="module")
def listed(tree):
    """A campaign of its own: two tasks of A (one of them red on 4/1),
    one of B with A as co-unit, one of the department."""
    c = create_campaign(tree.office, tree.city)
    t = {}
    t["a1"] = create_task(tree.office, c["id"], tree.a, category_code="ZDXM",
                          milestones=ms("2021-03-31"))
    t["a2"] = create_task(tree.office, c["id"], tree.a, category_code="ZDMS")
    t["b1"] = create_task(tree.office, c["id"], tree.b, category_code="ZDMS",
                          co_unit_ids=[tree.a])
    t["d1"] = create_task(tree.office, c["id"], tree.d, category_code="ZDXM")
    return c["id"], {k: v["id"] for k, v in t.items()}


def test_list_filters(tree, listed):
    cid, t = listed
    q = f"campaign_id={cid}&as_of=2021-04-01"
    assert task_ids(tree.office, q) == set(t.values())
    assert task_ids(tree.office, f"{q}&unit_id={tree.a}") == {t["a1"], t["a2"]}
    assert task_ids(tree.office, f"{q}&unit_id={tree.city}") == set(
        t.values())
    assert task_ids(tree.office, f"{q}&category_code=ZDXM") == {t["a1"],
                                                                t["d1"]}
    assert task_ids(tree.office, f"{q}&category_code=ZDMS"
                                 f"&unit_id={tree.b}") == {t["b1"]}
    assert task_ids(tree.office, f"{q}&light=red") == {t["a1"]}
    assert task_ids(tree.office, f"{q}&light=green") == {t["a2"], t["b1"],
                                                         t["d1"]}
    assert task_ids(tree.office, f"{q}&light=yellow") == set()


def test_list_pages_with_and_without_a_light(tree, listed):
    cid, t = listed
    seen = []
    for page in (1, 2, 3):
        r = tree.office.get(f"/api/v1/tasks?campaign_id={cid}&as_of=2021-04-01"
                            f"&light=green&per_page=2&page={page}")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["total"] == 3
        assert (body["page"], body["per_page"]) == (page, 2)
        seen += [i["id"] for i in body["items"]]
        assert all(i["light"] == "green" for i in body["items"])
    assert sorted(seen) == sorted([t["a2"], t["b1"], t["d1"]])
    r = tree.office.get(f"/api/v1/tasks?campaign_id={cid}&per_page=3&page=2")
    assert r.json()["total"] == 4
    assert len(r.json()["items"]) == 1


def test_light_filter_needs_a_campaign(tree):
    assert_error(tree.office.get("/api/v1/tasks?light=red"), 422,
                 field="campaign_id")
    assert_error(tree.office.get(
        f"/api/v1/tasks?campaign_id={tree.cid}&light=orange"), 422,
        field="light")


def test_list_is_scoped(tree, listed):
    cid, t = listed
    q = f"campaign_id={cid}&as_of=2021-04-01"
    # A sees its own tasks and the one it is co-unit of
    assert task_ids(tree.liaison_a, q) == {t["a1"], t["a2"], t["b1"]}
    assert task_ids(tree.liaison_b, q) == {t["b1"]}
    assert task_ids(tree.office_x, "as_of=2021-04-01") == set()
    assert_error(tree.liaison_a.get(f"/api/v1/tasks?{q}&unit_id={tree.b}"),
                 403)
    # reading one task follows the same rule
    assert get(tree.liaison_a, t["b1"])["lead_unit_id"] == tree.b
    assert_error(tree.liaison_b.get(f"/api/v1/tasks/{t['a1']}"), 403)
    assert_error(tree.liaison_a.get(f"/api/v1/tasks/{t['d1']}"), 403)
    assert_error(tree.office_x.get(f"/api/v1/tasks/{t['d1']}"), 403)


# --- reports --------------------------------------------------------------

@pytest.fixture
def reported(tree):
    """A task of A with B as co-unit and two indicators."""
    return create_task(tree.office, tree.cid, tree.a, co_unit_ids=[tree.b],
                       indicators=[ind(300, ">=", "签约项目"),
                                   ind(80, ">=", "产业项目占比")])


def reports_of(s, task_id):
    r = s.get(f"/api/v1/tasks/{task_id}/reports")
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_submit_report(tree, reported):
    i1, i2 = (i["id"] for i in reported["indicators"])
    r = tree.liaison_a.post(f"/api/v1/tasks/{reported['id']}/reports", json={
        "period": "2021-03", "summary": "一季度签约项目45个",
        "indicator_values": [{"indicator_id": i1, "value": 45},
                             {"indicator_id": i2, "value": 82.5}],
        "blockers": "用地指标紧张", "next_steps": "四月集中开工"})
    assert r.status_code == 201, r.text
    rep = r.json()
    assert rep["status"] == "submitted"
    assert rep["task_id"] == reported["id"]
    assert rep["period"] == "2021-03"
    assert (rep["summary"], rep["blockers"], rep["next_steps"]) == (
        "一季度签约项目45个", "用地指标紧张", "四月集中开工")
    assert {v["indicator_id"]: v["value"] for v in rep["indicator_values"]} \
        == {i1: 45, i2: 82.5}
    got = get(tree.office, reported["id"], "2021-04-01")
    assert [i["value"] for i in got["indicators"]] == [45, 82.5]
    # (15 + 100)/2
    assert got["progress"] == 57.5
    assert [x["id"] for x in reports_of(tree.liaison_b, reported["id"])] == [
        rep["id"]]


@pytest.mark.parametrize("period", ["2021-13", "2021-00", "2021-3", "2021/03",
                                    "2021-03-01", "", "二〇二一年三月"])
def test_bad_period_is_422(tree, reported, period):
    r = tree.liaison_a.post(f"/api/v1/tasks/{reported['id']}/reports",
                            json={"period": period, "summary": "x"})
    assert_error(r, 422, field="period")
    assert reports_of(tree.office, reported["id"]) == []


def test_period_outside_the_campaign_is_422(tree, reported):
    for period in ("2020-12", "2022-01"):
        r = tree.liaison_a.post(f"/api/v1/tasks/{reported['id']}/reports",
                                json={"period": period, "summary": "x"})
        assert_error(r, 422, field="period")
    assert reports_of(tree.office, reported["id"]) == []


def test_indicator_of_another_task_is_422(tree, reported):
    other = create_task(tree.office, tree.cid, tree.a,
                        indicators=[ind(10, ">=")])
    r = tree.liaison_a.post(f"/api/v1/tasks/{reported['id']}/reports", json={
        "period": "2021-03", "summary": "串报",
        "indicator_values": [
            {"indicator_id": reported["indicators"][0]["id"], "value": 1},
            {"indicator_id": other["indicators"][0]["id"], "value": 10}]})
    err = assert_error(r, 422)
    assert err.get("field", "").startswith("indicator_values")
    assert reports_of(tree.office, reported["id"]) == []
    assert get(tree.office, other["id"])["indicators"][0]["value"] is None


def test_report_needs_a_summary_and_numbers(tree, reported):
    url = f"/api/v1/tasks/{reported['id']}/reports"
    i1 = reported["indicators"][0]["id"]
    assert_error(tree.liaison_a.post(url, json={"period": "2021-03"}), 422,
                 field="summary")
    r = tree.liaison_a.post(url, json={
        "period": "2021-03", "summary": "x",
        "indicator_values": [{"indicator_id": i1, "value": "四十五"}]})
    assert_error(r, 422)
    assert reports_of(tree.office, reported["id"]) == []


def test_only_the_lead_unit_reports(tree, reported):
    url = f"/api/v1/tasks/{reported['id']}/reports"
    body = {"period": "2021-03", "summary": "代报"}
    assert_error(tree.liaison_b.post(url, json=body), 403,
                 code="not_lead_unit")
    assert_error(tree.office_x.post(url, json=body), 403)
    assert reports_of(tree.office, reported["id"]) == []
    # the office above the lead unit may report for it
    assert tree.office.post(url, json=body).status_code == 201


def test_a_second_report_supersedes_the_first(tree, reported):
    i1 = reported["indicators"][0]["id"]
    first = submit_report(tree.liaison_a, reported["id"], "2021-03", {i1: 45})
    second = submit_report(tree.liaison_a, reported["id"], "2021-03",
                           {i1: 60}, reason="补录3月下旬签约项目")
    assert second["status"] == "submitted"
    assert second["supersedes_id"] == first["id"]
    items = {x["id"]: x for x in reports_of(tree.office, reported["id"])}
    assert set(items) == {first["id"], second["id"]}
    assert items[first["id"]]["status"] == "superseded"
    # the first one's figure is kept, not overwritten
    assert items[first["id"]]["indicator_values"] == [
        {"indicator_id": i1, "value": 45}]
    assert get(tree.office, reported["id"], "2021-04-01")[
        "indicators"][0]["value"] == 60
    # a superseded report cannot be reviewed any more
    assert_error(tree.office.post(f"/api/v1/reports/{first['id']}/review",
                                  json={"decision": "accept"}), 409)


def test_review_a_report(tree, reported):
    i1 = reported["indicators"][0]["id"]
    feb = submit_report(tree.liaison_a, reported["id"], "2021-02", {i1: 30})
    mar = submit_report(tree.liaison_a, reported["id"], "2021-03", {i1: 45})
    url = f"/api/v1/reports/{mar['id']}/review"
    assert_error(tree.office.post(url, json={"decision": "return"}), 422,
                 field="comment")
    assert_error(tree.office.post(url, json={"decision": "return",
                                              "comment": "  "}), 422,
                 field="comment")
    assert_error(tree.office.post(url, json={"decision": "reject",
                                              "comment": "x"}), 422,
                 field="decision")
    # liaisons do not review; nor does an office that does not manage the
    # campaign
    assert_error(tree.liaison_a.post(url, json={"decision": "accept"}), 403)
    assert_error(tree.office_a.post(url, json={"decision": "accept"}), 403)
    assert_error(tree.office_x.post(url, json={"decision": "accept"}), 403)
    r = tree.office.post(url, json={"decision": "return",
                                    "comment": "签约项目清单未附"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "returned"
    assert r.json()["review_comment"] == "签约项目清单未附"
    # reviewing a report that is no longer submitted is a conflict
    assert_error(tree.office.post(url, json={"decision": "accept"}), 409)
    # the returned figure no longer counts: February's 30 is the latest
    got = get(tree.office, reported["id"], "2021-04-01")
    assert got["indicators"][0]["value"] == 30
    assert got["progress"] == 5.0
    r = tree.office.post(f"/api/v1/reports/{feb['id']}/review",
                         json={"decision": "accept", "comment": "属实"})
    assert r.json()["status"] == "accepted"
    assert_error(tree.office.post(f"/api/v1/reports/{feb['id']}/review",
                                  json={"decision": "return",
                                        "comment": "x"}), 409)
    assert get(tree.office, reported["id"], "2021-04-01")[
        "indicators"][0]["value"] == 30


def test_reports_of_a_task_out_of_reach(tree, reported):
    assert_error(tree.office_x.get(f"/api/v1/tasks/{reported['id']}/reports"),
                 403)
    assert_error(tree.office.get("/api/v1/tasks/987654/reports"), 404)
    assert_error(tree.office.post("/api/v1/reports/987654/review",
                                  json={"decision": "accept"}), 404)


# --- milestones -----------------------------------------------------------

@pytest.fixture
def milestone(tree):
    t = create_task(tree.office, tree.cid, tree.a, co_unit_ids=[tree.b],
                    milestones=ms("2021-03-31", "2021-06-30"))
    return t, t["milestones"][0]["id"]


def completed(s, task_id):
    return [m["completed_on"] for m in get(s, task_id)["milestones"]]


def test_complete_a_milestone(tree, milestone):
    t, mid = milestone
    r = tree.liaison_a.post(f"/api/v1/milestones/{mid}/complete", json={
        "completed_on": "2021-03-30", "evidence": "项目前期手续批复文件"})
    assert r.status_code == 200, r.text
    assert r.json()["completed_on"] == "2021-03-30"
    assert r.json()["evidence"] == "项目前期手续批复文件"
    got = get(tree.office, t["id"], "2021-04-01")
    assert got["milestones"][0]["completed_on"] == "2021-03-30"
    assert got["milestones"][0]["evidence"] == "项目前期手续批复文件"
    assert got["progress"] == 50.0
    # twice is a conflict, and the first date stands
    r = tree.liaison_a.post(f"/api/v1/milestones/{mid}/complete", json={
        "completed_on": "2021-03-31", "evidence": "再报"})
    assert_error(r, 409)
    assert completed(tree.office, t["id"]) == ["2021-03-30", None]


def test_completion_in_the_future_is_422(tree, milestone):
    t, mid = milestone
    tomorrow = (cst_today() + datetime.timedelta(days=1)).isoformat()
    r = tree.liaison_a.post(f"/api/v1/milestones/{mid}/complete",
                            json={"completed_on": tomorrow, "evidence": "预报"})
    assert_error(r, 422, field="completed_on")
    for bad in ("2021-02-29", "yesterday"):
        r = tree.liaison_a.post(f"/api/v1/milestones/{mid}/complete",
                                json={"completed_on": bad, "evidence": "x"})
        assert_error(r, 422, field="completed_on")
    r = tree.liaison_a.post(f"/api/v1/milestones/{mid}/complete",
                            json={"completed_on": "2021-03-30"})
    assert_error(r, 422, field="evidence")
    assert completed(tree.office, t["id"]) == [None, None]


def test_only_the_lead_unit_completes_milestones(tree, milestone):
    t, mid = milestone
    body = {"completed_on": "2021-03-30", "evidence": "代报"}
    assert_error(tree.liaison_b.post(f"/api/v1/milestones/{mid}/complete",
                                     json=body), 403)
    assert_error(tree.office_x.post(f"/api/v1/milestones/{mid}/complete",
                                    json=body), 403)
    assert completed(tree.office, t["id"]) == [None, None]
    assert_error(tree.office.post("/api/v1/milestones/987654/complete",
                                  json=body), 404)
