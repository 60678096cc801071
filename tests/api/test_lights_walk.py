"""挂图作战: one campaign walked month by month, January to June 2021.

The city of 葫芦岛 runs a Huludao-like campaign (seeds/004): six task
categories, a parent goal "争取上级资金突破60亿元" split into one small task
per county, a project task led by county A with county B as co-unit, and a
milestone-only institutional-innovation task of county B.

    root
    └── 葫芦岛市 (office)
        ├── 兴城市 A (liaison_a)      leads CA and PJ
        ├── 绥中县 B (liaison_b)      leads CB and IN, co-unit of PJ
        └── 市发改委 D (liaison_d)    leads the parent goal P

    P   重点指标  争取上级资金突破60亿元         no indicators; mean of CA, CB
    CA  └ 兴城市争取上级资金30亿元  >= 30 亿元;  milestones 3/31, 6/30
    CB  └ 绥中县争取上级资金30亿元  >= 30 亿元, 超支率 <= 5%;  milestone 5/7
    PJ  重大项目  签约项目不低于300个     >= 300 个; milestone 6/30; due 6/30
    IN  重大制度性创新 告知承诺制     milestones 2/26, 4/30, 6/30, 11/30

The story: county B skips its February reports; A's March figure for CA is a
typo (120 for 12), the office returns it and A resubmits; CA's first-quarter
milestone is completed late (4/9); B reports April late (after the 5th
working day); PJ misses its 300 by its due date; IN's third milestone is
completed two days late.

`as_of` only moves "today" over the current data, so every month first does
what happened in it and then looks at the lights as the office would on the
days that matter.  The tests run in file order and build on each other.
The working-day boundaries come from `duban calendar add`; every expected
number here is written out by hand.
"""

import functools

import pytest

from duban_client import (USER_PASSWORD, assert_error, create_campaign,
                          create_task, create_unit, create_user, login,
                          root_unit_id, run_cli, submit_report, unique)

KEYS = ["P", "CA", "CB", "PJ", "IN"]
GREEN = ("green", set())


class World:
    pass


def nth_workday(day_before, n):
    """The Nth working day after day_before, by `duban calendar add`."""
    cp = run_cli("calendar", "add", day_before, n)
    assert cp.returncode == 0, cp.stderr
    return cp.stdout.strip()


@pytest.fixture(scope="module")
def w(server, admin):
    w = World()
    w.root = root_unit_id(admin)
    w.city = create_unit(admin, w.root, kind="city", name="葫芦岛市")["id"]
    w.a = create_unit(admin, w.city, kind="county", name="兴城市")["id"]
    w.b = create_unit(admin, w.city, kind="county", name="绥中县")["id"]
    w.d = create_unit(admin, w.city, kind="department",
                      name="市发展和改革委员会")["id"]
    for attr, unit, roles in (("office", w.city, ["office"]),
                              ("liaison_a", w.a, ["liaison"]),
                              ("liaison_b", w.b, ["liaison"]),
                              ("liaison_d", w.d, ["liaison"])):
        u = create_user(admin, unit, roles, username=unique(attr))
        setattr(w, attr, login(server.url, u["username"], USER_PASSWORD))
    w.campaign = create_campaign(
        w.office, w.city, title="葫芦岛市“作风建设年”活动",
        themes=["转变作风", "提升效能", "优化环境"])
    cid = w.campaign["id"]
    w.cid = cid
    w.t = {}
    w.t["P"] = create_task(
        w.office, cid, w.d, category_code="ZDZB",
        title="争取上级资金突破60亿元", leader_name="王副市长")
    w.t["CA"] = create_task(
        w.office, cid, w.a, category_code="ZDZB", parent_id=w.t["P"]["id"],
        title="兴城市争取上级资金30亿元",
        indicators=[{"name": "争取上级资金", "unit": "亿元", "target": 30,
                     "comparator": ">="}],
        milestones=[{"title": "一季度抓前期", "due_on": "2021-03-31"},
                    {"title": "二季度抓开工", "due_on": "2021-06-30"}])
    w.t["CB"] = create_task(
        w.office, cid, w.b, category_code="ZDZB", parent_id=w.t["P"]["id"],
        title="绥中县争取上级资金30亿元",
        indicators=[{"name": "争取上级资金", "unit": "亿元", "target": 30,
                     "comparator": ">="},
                    {"name": "项目前期费用超支率", "unit": "%", "target": 5,
                     "comparator": "<="}],
        milestones=[{"title": "完成项目储备", "due_on": "2021-05-07"}])
    w.t["PJ"] = create_task(
        w.office, cid, w.a, category_code="ZDXM", co_unit_ids=[w.b],
        title="签约项目不低于300个", due_on="2021-06-30",
        indicators=[{"name": "签约项目", "unit": "个", "target": 300,
                     "comparator": ">="}],
        milestones=[{"title": "二季度抓开工", "due_on": "2021-06-30"}])
    w.t["IN"] = create_task(
        w.office, cid, w.b, category_code="ZDCX",
        title="推行证明事项告知承诺制",
        milestones=[{"title": "出台实施方案", "due_on": "2021-02-26"},
                    {"title": "试点运行", "due_on": "2021-04-30"},
                    {"title": "全面推开", "due_on": "2021-06-30"},
                    {"title": "总结评估", "due_on": "2021-11-30"}])
    w.id = {k: t["id"] for k, t in w.t.items()}
    w.key = {v: k for k, v in w.id.items()}
    w.ind = {k: [i["id"] for i in t["indicators"]] for k, t in w.t.items()}
    w.ms = {k: [m["id"] for m in t["milestones"]] for k, t in w.t.items()}
    w.reports = {}
    w.broken = None
    return w


def step(fn):
    """A month of the walk: it builds on the months before it, so once one
    fails the later ones are skipped instead of failing after it."""
    @functools.wraps(fn)
    def run(w):
        if w.broken:
            pytest.skip(f"an earlier month failed: {w.broken}")
        try:
            fn(w)
        except BaseException as e:
            if not isinstance(e, pytest.skip.Exception):
                w.broken = fn.__name__
            raise
    return run


# --- what the office looks at --------------------------------------------

def board(w, as_of, who=None):
    """{key: (light, {reasons}, progress)} for every task, from the task
    list, checked against each task's own page."""
    s = who or w.office
    r = s.get(f"/api/v1/tasks?campaign_id={w.cid}&as_of={as_of}"
              "&per_page=50")
    assert r.status_code == 200, r.text
    got = {}
    for t in r.json()["items"]:
        got[w.key[t["id"]]] = (t["light"], set(t["light_reasons"]),
                               t["progress"])
    for k, v in got.items():
        one = s.get(f"/api/v1/tasks/{w.id[k]}?as_of={as_of}")
        assert one.status_code == 200, one.text
        o = one.json()
        assert (o["light"], set(o["light_reasons"]), o["progress"]) == v, (
            f"{k}: list and task page disagree on {as_of}")
    return got


def expect(w, as_of, lights, progress):
    """lights: {key: (light, {reasons})}, every other task green;
    progress: {key: percent} for all five.  The red ones must also be the
    campaign's red-task list, with the same reasons and progress."""
    want = {k: lights.get(k, GREEN) + (progress[k],) for k in KEYS}
    assert board(w, as_of) == want, f"as of {as_of}"
    assert reds(w, as_of) == {k: (v[1], v[2]) for k, v in want.items()
                              if v[0] == "red"}, f"red tasks as of {as_of}"


def counts(w, as_of, who=None):
    """GET lights → ({unit: (g, y, r)}, {subtree unit: (g, y, r)}, totals)"""
    s = who or w.office
    r = s.get(f"/api/v1/campaigns/{w.cid}/lights?as_of={as_of}")
    assert r.status_code == 200, r.text
    body = r.json()

    def tab(rows):
        out = {}
        for u in rows:
            assert u["unit_id"] not in out, rows
            out[u["unit_id"]] = (u["green"], u["yellow"], u["red"])
        return out
    t = body["totals"]
    return (tab(body["units"]), tab(body["subtrees"]),
            (t["green"], t["yellow"], t["red"]))


def expect_counts(w, as_of, a, b, d):
    """(g, y, r) under each lead unit; the city's subtree is their sum."""
    units, subtrees, totals = counts(w, as_of)
    want = {u: c for u, c in ((w.a, a), (w.b, b), (w.d, d)) if sum(c)}
    assert units == want, f"as of {as_of}"
    city = tuple(map(sum, zip(a, b, d)))
    assert subtrees == {**want, w.city: city}, f"as of {as_of}"
    assert totals == city


def reds(w, as_of, who=None):
    s = who or w.office
    r = s.get(f"/api/v1/campaigns/{w.cid}/red-tasks?as_of={as_of}")
    assert r.status_code == 200, r.text
    return {w.key[i["task_id"]]: (set(i["reasons"]), i["progress"])
            for i in r.json()["items"]}


def values(w, key, as_of="2021-07-08"):
    """{indicator id: latest value} and {milestone id: completed_on}."""
    t = w.office.get(f"/api/v1/tasks/{w.id[key]}?as_of={as_of}").json()
    return ({i["id"]: i["value"] for i in t["indicators"]},
            {m["id"]: m["completed_on"] for m in t["milestones"]})


def report_month(w, period, figures, skip=()):
    """The liaisons report ``period``: figures {key: [values]} in the order
    of the task's indicators; tasks in ``skip`` are not reported."""
    who = {"P": w.liaison_d, "CA": w.liaison_a, "PJ": w.liaison_a,
           "CB": w.liaison_b, "IN": w.liaison_b}
    for k in KEYS:
        if k in skip:
            continue
        vals = dict(zip(w.ind[k], figures.get(k, [])))
        w.reports[(k, period)] = submit_report(who[k], w.id[k], period, vals)


def complete(s, milestone_id, day):
    r = s.post(f"/api/v1/milestones/{milestone_id}/complete",
               json={"completed_on": day, "evidence": f"{day} 验收材料.pdf"})
    assert r.status_code == 200, r.text
    assert r.json()["completed_on"] == day
    return r.json()


def review(s, report_id, decision, comment=None):
    body = {"decision": decision}
    if comment is not None:
        body["comment"] = comment
    r = s.post(f"/api/v1/reports/{report_id}/review", json=body)
    assert r.status_code == 200, r.text
    return r.json()


# --- January --------------------------------------------------------------

@step
def test_01_january_everything_green_nothing_reported(w):
    expect(w, "2021-01-20", {}, {"P": 0.0, "CA": 0.0, "CB": 0.0, "PJ": 0.0,
                                 "IN": 0.0})
    expect_counts(w, "2021-01-20", a=(2, 0, 0), b=(2, 0, 0), d=(1, 0, 0))
    assert reds(w, "2021-01-20") == {}
    c = w.office.get(f"/api/v1/campaigns/{w.cid}?as_of=2021-01-20").json()
    assert c["current_phase"] == "动员部署"
    ind, ms = values(w, "CB", "2021-01-20")
    assert list(ind.values()) == [None, None]
    assert list(ms.values()) == [None]


# --- February -------------------------------------------------------------

@step
def test_02_february_reports_due_by_the_fifth_working_day(w):
    due = nth_workday("2021-01-31", 5)
    after = nth_workday("2021-01-31", 6)
    # Sunday 2/7 was an adjusted working day (春节调休)
    assert (due, after) == ("2021-02-05", "2021-02-07")
    zero = {k: 0.0 for k in KEYS}
    # tasks started on 1/1, so January's report is owed only after the
    # 5th working day of February
    expect(w, due, {}, zero)
    missing = ("yellow", {"report_missing"})
    expect(w, after, {k: missing for k in KEYS}, zero)
    expect_counts(w, after, a=(0, 2, 0), b=(0, 2, 0), d=(0, 1, 0))


@step
def test_03_february_january_reports_come_in(w):
    report_month(w, "2021-01", {"CA": [3], "CB": [6, 4], "PJ": [20]})
    # CA 3/30 = 10%; CB (6/30 = 20% + 4<=5 = 100%)/2 = 60%;
    # P = (10 + 60)/2; PJ 20/300 = 6.67%; IN has no milestone done
    progress = {"P": 35.0, "CA": 10.0, "CB": 60.0, "PJ": 6.7, "IN": 0.0}
    expect(w, "2021-02-07", {}, progress)
    expect_counts(w, "2021-02-07", a=(2, 0, 0), b=(2, 0, 0), d=(1, 0, 0))
    ind, _ = values(w, "CB", "2021-02-07")
    assert ind == {w.ind["CB"][0]: 6, w.ind["CB"][1]: 4}
    # the office accepts January's reports; accepted figures still count
    for k in KEYS:
        rep = review(w.office, w.reports[(k, "2021-01")]["id"], "accept")
        assert rep["status"] == "accepted"
    expect(w, "2021-02-07", {}, progress)


@step
def test_04_february_milestone_due_soon_then_done_on_time(w):
    progress = {"P": 35.0, "CA": 10.0, "CB": 60.0, "PJ": 6.7, "IN": 0.0}
    # 2/22 + 3 working days = 2/25, so IN's 2/26 milestone is not yet near
    expect(w, "2021-02-22", {}, progress)
    expect(w, "2021-02-23", {"IN": ("yellow", {"milestone_due_soon"})},
           progress)
    expect_counts(w, "2021-02-23", a=(2, 0, 0), b=(1, 1, 0), d=(1, 0, 0))
    complete(w.liaison_b, w.ms["IN"][0], "2021-02-25")
    # one of four milestones: 25%
    expect(w, "2021-02-26", {}, dict(progress, IN=25.0))
    c = w.office.get(f"/api/v1/campaigns/{w.cid}?as_of=2021-02-26").json()
    assert c["current_phase"] == "攻坚推进"


# --- March: county B skips February ---------------------------------------

@step
def test_05_march_county_b_skips_its_february_reports(w):
    report_month(w, "2021-02", {"CA": [7.5], "PJ": [45]}, skip=("CB", "IN"))
    due = nth_workday("2021-02-28", 5)
    after = nth_workday("2021-02-28", 6)
    assert (due, after) == ("2021-03-05", "2021-03-08")
    # CA 7.5/30 = 25%; PJ 45/300 = 15%; CB still on January's figures
    progress = {"P": 42.5, "CA": 25.0, "CB": 60.0, "PJ": 15.0, "IN": 25.0}
    expect(w, due, {}, progress)
    missing = ("yellow", {"report_missing"})
    expect(w, after, {"CB": missing, "IN": missing}, progress)
    expect_counts(w, after, a=(2, 0, 0), b=(0, 2, 0), d=(1, 0, 0))
    assert reds(w, after) == {}


@step
def test_06_march_first_quarter_milestone_comes_near(w):
    progress = {"P": 42.5, "CA": 25.0, "CB": 60.0, "PJ": 15.0, "IN": 25.0}
    missing = ("yellow", {"report_missing"})
    # 3/25 (Thu) + 3 working days = 3/30; 3/26 (Fri) + 3 = 3/31
    expect(w, "2021-03-25", {"CB": missing, "IN": missing}, progress)
    expect(w, "2021-03-26", {"CA": ("yellow", {"milestone_due_soon"}),
                             "CB": missing, "IN": missing}, progress)
    expect_counts(w, "2021-03-26", a=(1, 1, 0), b=(0, 2, 0), d=(1, 0, 0))


# --- April: a typo returned, a milestone late ------------------------------

@step
def test_07_april_milestone_missed_turns_ca_red(w):
    # A reports 120 亿元 for CA by mistake (12 was meant)
    report_month(w, "2021-03", {"CA": [120], "CB": [9, 6], "PJ": [90]})
    # CA capped at 100%; CB (9/30 = 30% + 5/6 = 83.33%)/2 = 56.67%;
    # P = (100 + 56.67)/2 = 78.33; PJ 90/300 = 30%
    progress = {"P": 78.3, "CA": 100.0, "CB": 56.7, "PJ": 30.0, "IN": 25.0}
    # 4/6 is the first working day after the 清明 holiday
    expect(w, "2021-04-06", {"CA": ("red", {"milestone_overdue"})},
           progress)
    assert reds(w, "2021-04-06") == {"CA": ({"milestone_overdue"}, 100.0)}
    # B's February report never came, but in April only March's is owed:
    # CB and IN are green again
    expect_counts(w, "2021-04-06", a=(1, 0, 1), b=(2, 0, 0), d=(1, 0, 0))


@step
def test_08_april_office_returns_the_typo(w):
    rep = w.reports[("CA", "2021-03")]
    # a return needs a reason
    assert_error(w.office.post(f"/api/v1/reports/{rep['id']}/review",
                               json={"decision": "return"}), 422,
                 field="comment")
    back = review(w.office, rep["id"], "return", "120亿元应为12亿元，请核实后重报")
    assert back["status"] == "returned"
    assert back["review_comment"] == "120亿元应为12亿元，请核实后重报"
    # the returned figure no longer counts: CA falls back on February's
    # 7.5 (25%), and P = (25 + 56.67)/2 = 40.83
    progress = {"P": 40.8, "CA": 25.0, "CB": 56.7, "PJ": 30.0, "IN": 25.0}
    due = nth_workday("2021-03-31", 5)
    after = nth_workday("2021-03-31", 6)
    assert (due, after) == ("2021-04-08", "2021-04-09")
    expect(w, due, {"CA": ("red", {"milestone_overdue"})}, progress)
    # and after the 5th working day the returned report counts as missing
    expect(w, after, {"CA": ("red", {"milestone_overdue", "report_missing"})},
           progress)
    assert reds(w, after) == {
        "CA": ({"milestone_overdue", "report_missing"}, 25.0)}
    ind, _ = values(w, "CA", after)
    assert ind == {w.ind["CA"][0]: 7.5}


@step
def test_09_april_late_milestone_and_resubmitted_report(w):
    # the first-quarter milestone is done on 4/9, nine days late
    done = complete(w.liaison_a, w.ms["CA"][0], "2021-04-09")
    assert done["due_on"] == "2021-03-31"
    progress = {"P": 40.8, "CA": 25.0, "CB": 56.7, "PJ": 30.0, "IN": 25.0}
    expect(w, "2021-04-09", {"CA": ("yellow", {"report_missing"})},
           progress)
    assert reds(w, "2021-04-09") == {}
    # A resubmits March with the right figure
    first = w.reports[("CA", "2021-03")]
    again = submit_report(w.liaison_a, w.id["CA"], "2021-03",
                          {w.ind["CA"][0]: 12}, reason="更正笔误")
    assert again["status"] == "submitted"
    assert again["supersedes_id"] == first["id"]
    r = w.office.get(f"/api/v1/tasks/{w.id['CA']}/reports")
    assert r.status_code == 200, r.text
    march = {x["id"]: x for x in r.json()["items"]
             if x["period"] == "2021-03"}
    assert set(march) == {first["id"], again["id"]}
    assert march[first["id"]]["status"] == "superseded"
    assert march[first["id"]]["review_comment"] == "120亿元应为12亿元，请核实后重报"
    assert march[again["id"]]["status"] == "submitted"
    # CA 12/30 = 40%; P = (40 + 56.67)/2 = 48.33
    progress = dict(progress, P=48.3, CA=40.0)
    expect(w, "2021-04-09", {}, progress)
    ind, ms = values(w, "CA", "2021-04-09")
    assert ind == {w.ind["CA"][0]: 12}
    assert ms == {w.ms["CA"][0]: "2021-04-09", w.ms["CA"][1]: None}
    # the superseded report can no longer be reviewed; the new one can
    assert_error(w.office.post(f"/api/v1/reports/{first['id']}/review",
                               json={"decision": "accept"}), 409)
    assert review(w.office, again["id"], "accept")["status"] == "accepted"
    expect(w, "2021-04-09", {}, progress)


@step
def test_10_april_due_soon_across_the_may_day_holiday(w):
    progress = {"P": 48.3, "CA": 40.0, "CB": 56.7, "PJ": 30.0, "IN": 25.0}
    # 4/28 + 3 working days = 5/6 (4/29, 4/30, then 5/1-5/5 off): IN's 4/30
    # milestone is near, CB's 5/7 one not yet
    expect(w, "2021-04-28", {"IN": ("yellow", {"milestone_due_soon"})},
           progress)
    # 4/29 + 3 = 5/7
    soon = ("yellow", {"milestone_due_soon"})
    expect(w, "2021-04-29", {"IN": soon, "CB": soon}, progress)
    expect_counts(w, "2021-04-29", a=(2, 0, 0), b=(0, 2, 0), d=(1, 0, 0))
    complete(w.liaison_b, w.ms["IN"][1], "2021-04-29")
    expect(w, "2021-04-29", {"CB": soon}, dict(progress, IN=50.0))


# --- May: county B reports late -------------------------------------------

@step
def test_11_may_county_b_reports_april_after_the_deadline(w):
    report_month(w, "2021-04", {"CA": [15], "PJ": [120]}, skip=("CB", "IN"))
    complete(w.liaison_b, w.ms["CB"][0], "2021-05-06")
    due = nth_workday("2021-04-30", 5)
    after = nth_workday("2021-04-30", 6)
    assert (due, after) == ("2021-05-11", "2021-05-12")
    # CA 15/30 = 50%; P = (50 + 56.67)/2 = 53.33; PJ 120/300 = 40%
    progress = {"P": 53.3, "CA": 50.0, "CB": 56.7, "PJ": 40.0, "IN": 50.0}
    expect(w, due, {}, progress)
    missing = ("yellow", {"report_missing"})
    expect(w, after, {"CB": missing, "IN": missing}, progress)
    expect_counts(w, after, a=(2, 0, 0), b=(0, 2, 0), d=(1, 0, 0))
    report_month(w, "2021-04", {"CB": [12, 5]}, skip=("P", "CA", "PJ"))
    # CB (12/30 = 40% + 5<=5 = 100%)/2 = 70%; P = (50 + 70)/2 = 60
    progress = dict(progress, P=60.0, CB=70.0)
    expect(w, after, {}, progress)
    expect_counts(w, after, a=(2, 0, 0), b=(2, 0, 0), d=(1, 0, 0))


@step
def test_12_may_a_late_february_report_does_not_replace_april(w):
    # B files the February report it skipped; April's figures stay the
    # latest ones
    submit_report(w.liaison_b, w.id["CB"], "2021-02",
                  {w.ind["CB"][0]: 7, w.ind["CB"][1]: 10})
    ind, _ = values(w, "CB", "2021-05-12")
    assert ind == {w.ind["CB"][0]: 12, w.ind["CB"][1]: 5}
    progress = {"P": 60.0, "CA": 50.0, "CB": 70.0, "PJ": 40.0, "IN": 50.0}
    expect(w, "2021-05-12", {}, progress)


# --- June: the half-year deadline ------------------------------------------

@step
def test_13_june_everything_on_track_early_in_the_month(w):
    report_month(w, "2021-05", {"CA": [18], "CB": [15, 4], "PJ": [150]})
    # CA 60%; CB (50 + 100)/2 = 75%; P 67.5; PJ 50%
    progress = {"P": 67.5, "CA": 60.0, "CB": 75.0, "PJ": 50.0, "IN": 50.0}
    expect(w, "2021-06-08", {}, progress)
    expect_counts(w, "2021-06-08", a=(2, 0, 0), b=(2, 0, 0), d=(1, 0, 0))


@step
def test_14_june_half_year_milestones_come_near(w):
    progress = {"P": 67.5, "CA": 60.0, "CB": 75.0, "PJ": 50.0, "IN": 50.0}
    # 6/24 (Thu) + 3 working days = 6/29; 6/25 (Fri) + 3 = 6/30
    expect(w, "2021-06-24", {}, progress)
    soon = ("yellow", {"milestone_due_soon"})
    expect(w, "2021-06-25", {
        "CA": soon, "IN": soon,
        "PJ": ("yellow", {"milestone_due_soon", "task_due_soon"})},
        progress)
    expect_counts(w, "2021-06-25", a=(0, 2, 0), b=(1, 1, 0), d=(1, 0, 0))
    complete(w.liaison_a, w.ms["CA"][1], "2021-06-25")
    complete(w.liaison_a, w.ms["PJ"][0], "2021-06-28")
    # a task with indicators does not move with its milestones
    expect(w, "2021-06-28", {"IN": soon, "PJ": ("yellow", {"task_due_soon"})},
           progress)


@step
def test_15_july_first_pj_and_in_are_red(w):
    progress = {"P": 67.5, "CA": 60.0, "CB": 75.0, "PJ": 50.0, "IN": 50.0}
    want = {"PJ": ("red", {"task_overdue"}),
            "IN": ("red", {"milestone_overdue"})}
    expect(w, "2021-07-01", want, progress)
    assert reds(w, "2021-07-01") == {"PJ": ({"task_overdue"}, 50.0),
                                     "IN": ({"milestone_overdue"}, 50.0)}
    expect_counts(w, "2021-07-01", a=(1, 0, 1), b=(1, 0, 1), d=(1, 0, 0))
    r = w.office.get(f"/api/v1/tasks?campaign_id={w.cid}&light=red"
                     "&as_of=2021-07-01")
    assert r.status_code == 200, r.text
    assert sorted(t["id"] for t in r.json()["items"]) == sorted(
        [w.id["PJ"], w.id["IN"]])
    assert r.json()["total"] == 2


@step
def test_16_july_june_reports_and_the_late_milestone(w):
    report_month(w, "2021-06", {"CA": [24], "CB": [21, 5], "PJ": [210]})
    complete(w.liaison_b, w.ms["IN"][2], "2021-07-02")
    after = nth_workday("2021-06-30", 6)
    assert after == "2021-07-08"
    # CA 24/30 = 80%; CB (70 + 100)/2 = 85%; P 82.5; PJ 210/300 = 70%,
    # still short of 300 after its due date; IN three of four = 75%
    progress = {"P": 82.5, "CA": 80.0, "CB": 85.0, "PJ": 70.0, "IN": 75.0}
    expect(w, after, {"PJ": ("red", {"task_overdue"})}, progress)
    assert reds(w, after) == {"PJ": ({"task_overdue"}, 70.0)}
    expect_counts(w, after, a=(1, 0, 1), b=(2, 0, 0), d=(1, 0, 0))
    _, ms = values(w, "IN", after)
    assert list(ms.values()) == ["2021-02-25", "2021-04-29", "2021-07-02",
                                 None]
    # the whole history is there: each month once per task, plus CA's
    # superseded March and CB's late February
    r = w.office.get(f"/api/v1/tasks/{w.id['CB']}/reports")
    periods = sorted(x["period"] for x in r.json()["items"])
    assert periods == ["2021-01", "2021-02", "2021-03", "2021-04",
                       "2021-05", "2021-06"]


# --- the same board through the counties' eyes ---------------------------

@step
def test_17_liaison_of_a_sees_only_a(w):
    after = "2021-07-08"
    units, subtrees, totals = counts(w, after, w.liaison_a)
    assert units == {w.a: (1, 0, 1)}
    assert subtrees == {w.a: (1, 0, 1)}
    assert totals == (1, 0, 1)
    assert reds(w, after, w.liaison_a) == {"PJ": ({"task_overdue"}, 70.0)}
    assert set(board(w, after, w.liaison_a)) == {"CA", "PJ"}


@step
def test_18_liaison_of_b_sees_only_b(w):
    after = "2021-07-08"
    units, subtrees, totals = counts(w, after, w.liaison_b)
    assert units == {w.b: (2, 0, 0)}
    assert subtrees == {w.b: (2, 0, 0)}
    assert totals == (2, 0, 0)
    # B is co-unit of PJ and may follow it, but not county A's CA
    assert set(board(w, after, w.liaison_b)) == {"CB", "IN", "PJ"}


@step
def test_19_liaison_of_a_cannot_touch_b_tasks(w):
    r = w.liaison_a.get(f"/api/v1/tasks/{w.id['CB']}?as_of=2021-07-08")
    assert_error(r, 403)
    assert "绥中县争取上级资金" not in r.text
    r = w.liaison_a.post(f"/api/v1/tasks/{w.id['CB']}/reports", json={
        "period": "2021-07", "summary": "越权填报",
        "indicator_values": [{"indicator_id": w.ind["CB"][0], "value": 30}]})
    assert_error(r, 403)
    assert_error(w.liaison_a.get(f"/api/v1/tasks/{w.id['CB']}/reports"), 403)
    # nothing was written: CB's figures are June's
    ind, _ = values(w, "CB")
    assert ind == {w.ind["CB"][0]: 21, w.ind["CB"][1]: 5}
    r = w.liaison_a.post(f"/api/v1/milestones/{w.ms['IN'][3]}/complete",
                         json={"completed_on": "2021-07-08",
                               "evidence": "越权"})
    assert_error(r, 403)
    _, ms = values(w, "IN")
    assert ms[w.ms["IN"][3]] is None


@step
def test_20_co_unit_reads_but_does_not_report(w):
    r = w.liaison_b.get(f"/api/v1/tasks/{w.id['PJ']}?as_of=2021-07-08")
    assert r.status_code == 200, r.text
    assert r.json()["light"] == "red"
    r = w.liaison_b.post(f"/api/v1/tasks/{w.id['PJ']}/reports", json={
        "period": "2021-07", "summary": "责任单位代报",
        "indicator_values": [{"indicator_id": w.ind["PJ"][0],
                              "value": 300}]})
    assert_error(r, 403, code="not_lead_unit")
    # PJ stays red at 70%
    assert reds(w, "2021-07-08") == {"PJ": ({"task_overdue"}, 70.0)}
