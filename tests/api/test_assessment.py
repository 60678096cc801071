"""Assessment (考核): schemes, public evaluations (评议), bonus points and
deductions, vetoes (一票否决), the ranking with grades and its explanation,
rank changes, and published (frozen) versions (issue 7).

Most tests weigh only the public evaluation, so that each unit's score is
the survey score the test recorded and ranks, ties and grade boundaries
can be set up exactly; one test uses the default weights over real tasks,
reports, problems and complaints and checks that every explanation adds up
to its score.

    root (admin: the office at the top)
    └── 葫芦岛市 city (office_city)
        ├── ten counties  U0 .. U9   (liaison_u0 at U0)
        └── ...
    锦州市 (another city: units outside the campaign)
"""

import pytest

from duban_client import (ADMIN_PASSWORD, USER_PASSWORD, assert_error, create_campaign,
                          create_task, create_unit, create_user,
                          file_complaint, complaint_id, login, public_post,
                          root_unit_id, submit_report, unique)

ONLY_EVALUATION = {"progress": 0, "not_red": 0, "reports_on_time": 0,
                   "ledger_closure": 0, "overdue_problems": 0,
                   "complaint_response": 0, "complaint_resolution": 0,
                   "complaint_satisfaction": 0, "evaluation": 100}

COMPONENT_KEYS = ["progress", "not_red", "reports_on_time", "ledger_closure",
                  "overdue_problems", "complaint_response",
                  "complaint_resolution", "complaint_satisfaction",
                  "evaluation", "bonus", "deduction"]


@pytest.fixture(scope="module")
def server(make_server):
    return make_server("--public-rate", "10000")


class World:
    pass


def build_world(server, admin):
    w = World()
    w.url = server.url
    w.admin = admin
    w.root = root_unit_id(admin)
    w.city = create_unit(admin, w.root, kind="city", name="葫芦岛市")["id"]
    w.other_city = create_unit(admin, w.root, kind="city",
                               name="锦州市")["id"]
    w.units = [create_unit(admin, w.city, kind="county",
                           name=f"{n}")["id"]
               for n in ("连山区", "龙港区", "南票区", "兴城市", "绥中县",
                         "建昌县", "杨家杖子", "北港工业区", "葫芦岛经开区",
                         "高新区")]
    w.office = login(w.url, create_user(admin, w.city, ["office"])[
        "username"], USER_PASSWORD)
    w.liaison_u0 = login(w.url, create_user(admin, w.units[0], ["liaison"])[
        "username"], USER_PASSWORD)
    w.leader = login(w.url, create_user(admin, w.city, ["leader"])[
        "username"], USER_PASSWORD)
    return w


@pytest.fixture(scope="module")
def w(server, admin):
    return build_world(server, admin)


# a server whose clock stands in mid-September 2026: the first quarter is
# over, and the complaints received "today" fall in the year assessed
SEPTEMBER = "2026-09-15 10:00"


@pytest.fixture(scope="module")
def september(make_server):
    srv = make_server("--public-rate", "10000", clock=SEPTEMBER)
    return srv, build_world(srv, login(srv.url, "admin", ADMIN_PASSWORD))


def new_campaign(w, **over):
    return create_campaign(w.office, w.city, **over)["id"]


def set_scheme(s, cid, expect=200, **body):
    r = s.put(f"/api/v1/campaigns/{cid}/assessment-scheme", json=body)
    assert r.status_code == expect, r.text
    return r.json()


def evaluate(s, cid, unit, period, score):
    r = s.post(f"/api/v1/campaigns/{cid}/evaluations",
               json={"unit_id": unit, "period": period, "score": score,
                     "respondents": 120, "method": "问卷调查"})
    assert r.status_code == 201, r.text
    return r.json()


def veto(s, cid, unit, period, reason="数据弄虚作假、虚报瞒报"):
    return s.post(f"/api/v1/campaigns/{cid}/vetoes",
                  json={"unit_id": unit, "period": period, "reason": reason})


def ranking(s, cid, period, **query):
    r = s.get(f"/api/v1/campaigns/{cid}/ranking",
              params={"period": period, **query})
    assert r.status_code == 200, r.text
    return r.json()


def by_unit(rk):
    return {u["unit_id"]: u for u in rk["units"]}


def table(rk):
    """(unit_id, score, rank, grade, vetoed) in the order answered."""
    return [(u["unit_id"], u["score"], u["rank"], u["grade"], u["vetoed"])
            for u in rk["units"]]


def evaluation_campaign(w, scores, period="2021-H1", **scheme):
    """A campaign weighing only the evaluation, with scores[i] recorded
    for units[i] in period."""
    cid = new_campaign(w)
    set_scheme(w.office, cid, weights=ONLY_EVALUATION, **scheme)
    for unit, score in zip(w.units, scores):
        evaluate(w.office, cid, unit, period, score)
    return cid


# --- the ranking of API.md ------------------------------------------------

def test_ranking_with_ties_and_a_veto(w):
    u = w.units
    cid = evaluation_campaign(w, [90, 80, 80, 70, 95])
    r = veto(w.office, cid, u[4], "2021-H1")
    assert r.status_code == 201, r.text
    v = r.json()
    assert v["unit_id"] == u[4] and v["status"] == "active" and v["id"]
    rk = ranking(w.office, cid, "2021-H1")
    # ties share a rank and the next rank skips (competition ranking,
    # "1,2,2,4"); tied units are listed by id; the vetoed unit is below
    # every unit not vetoed although it scored highest, and is fair
    assert table(rk) == [
        (u[0], 90.0, 1, "excellent", False),
        (u[1], 80.0, 2, "good", False),
        (u[2], 80.0, 2, "good", False),
        (u[3], 70.0, 4, "good", False),
        (u[4], 95.0, 5, "fair", True),
    ]
    for unit in rk["units"]:
        assert {"unit_id", "score", "rank", "grade", "vetoed"} <= set(unit)
        assert isinstance(unit["unit_id"], int)
        assert isinstance(unit["rank"], int)
        assert unit["grade"] in ("excellent", "good", "fair")
        assert isinstance(unit["vetoed"], bool)
    vetoed = by_unit(rk)[u[4]]
    assert vetoed["vetoes"][0]["reason"] == "数据弄虚作假、虚报瞒报"
    assert vetoed["grade_label"] == "一般"
    assert rk["published"] is False and rk["version"] is None
    assert (rk["period"], rk["from"], rk["to"]) == (
        "2021-H1", "2021-01-01", "2021-06-30")


def test_vetoes_sink_below_a_lower_score_and_rank_among_themselves(w):
    u = w.units
    cid = evaluation_campaign(w, [60, 99, 98, 50, 97])
    for unit in (u[1], u[4], u[2]):
        assert veto(w.office, cid, unit, "2021-H1").status_code == 201
    rk = ranking(w.office, cid, "2021-H1")
    assert [(x[0], x[2], x[4]) for x in table(rk)] == [
        (u[0], 1, False), (u[3], 2, False),
        (u[1], 3, True), (u[2], 4, True), (u[4], 5, True)]
    assert all(x["grade"] == "fair" for x in rk["units"] if x["vetoed"])


def test_a_veto_for_a_quarter_counts_in_its_half_year_not_in_another(w):
    u = w.units
    cid = evaluation_campaign(w, [90, 80, 70])
    assert veto(w.office, cid, u[0], "2021-Q2").status_code == 201
    assert by_unit(ranking(w.office, cid, "2021-H1"))[u[0]]["vetoed"]
    assert by_unit(ranking(w.office, cid, "2021"))[u[0]]["vetoed"]
    # nothing of H2 was recorded and the Q2 veto does not reach it: no one
    # is assessed there
    assert u[0] not in by_unit(ranking(w.office, cid, "2021-H2"))


def test_veto_rules(w):
    u = w.units
    cid = evaluation_campaign(w, [90, 80])
    assert veto(w.office, cid, u[1], "2021-H1").status_code == 201
    # one standing veto per unit and period
    assert_error(veto(w.office, cid, u[1], "2021-H1"), 409, "duplicate")
    assert_error(veto(w.office, cid, u[1], "2021-H7"), 422, field="period")
    assert_error(veto(w.office, cid, u[1], "2021-H1", reason=" "), 422,
                 field="reason")
    assert_error(veto(w.office, cid, w.other_city, "2021-H1"), 403)
    assert_error(veto(w.admin, cid, w.other_city, "2021-H1"), 422,
                 field="unit_id")
    assert_error(veto(w.office, cid, 999999, "2021-H1"), 422,
                 field="unit_id")
    # only the office, and only the office that manages the campaign
    assert_error(veto(w.liaison_u0, cid, u[1], "2021-H1"), 403)
    assert_error(veto(w.leader, cid, u[1], "2021-H1"), 403)
    r = w.office.post(f"/api/v1/campaigns/{cid}/vetoes",
                      json={"unit_id": u[1], "period": "2021-H1"})
    assert_error(r, 422, field="reason")
    listed = w.office.get(f"/api/v1/campaigns/{cid}/vetoes",
                          params={"period": "2021-H1"}).json()["items"]
    assert [(v["unit_id"], v["status"]) for v in listed] == [
        (u[1], "active")]
    # revoked, the unit is ranked by its score again
    r = w.office.post(f"/api/v1/vetoes/{listed[0]['id']}/revoke",
                      json={"reason": "经复核，数据属实"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "revoked"
    assert_error(w.office.post(f"/api/v1/vetoes/{listed[0]['id']}/revoke",
                               json={"reason": "再次"}), 409)
    rk = ranking(w.office, cid, "2021-H1")
    assert [(x[0], x[4]) for x in table(rk)] == [(u[0], False),
                                                 (u[1], False)]
    # and may be vetoed again
    assert veto(w.office, cid, u[1], "2021-H1").status_code == 201


# --- grades ---------------------------------------------------------------

def test_grade_boundaries_by_shares(w):
    # ten units: floor(10 x 20 %) = 2 excellent and 2 fair
    scores = [95, 90, 85, 80, 75, 70, 65, 60, 55, 50]
    cid = evaluation_campaign(w, scores)
    rk = ranking(w.office, cid, "2021-H1")
    assert [x[3] for x in table(rk)] == ["excellent"] * 2 + ["good"] * 6 + \
        ["fair"] * 2
    # a tie across the excellent boundary: neither unit is excellent (the
    # share is a cap); across the fair boundary: neither is fair
    cid = evaluation_campaign(w, [95, 90, 90, 80, 75, 70, 65, 55, 55, 50])
    rk = ranking(w.office, cid, "2021-H1")
    assert [(x[2], x[3]) for x in table(rk)] == [
        (1, "excellent"), (2, "good"), (2, "good"), (4, "good"),
        (5, "good"), (6, "good"), (7, "good"), (8, "good"), (8, "good"),
        (10, "fair")]
    # other shares: 30 % excellent, 10 % fair
    set_scheme(w.office, cid, version=1,
               grading={"excellent_share": 0.3, "fair_share": 0.1})
    rk = ranking(w.office, cid, "2021-H1")
    assert [x[3] for x in table(rk)] == [
        "excellent", "excellent", "excellent", "good", "good", "good",
        "good", "good", "good", "fair"]


def test_grade_boundaries_by_thresholds(w):
    scores = [85, 84.99, 75, 74.99, 100, 0]
    cid = evaluation_campaign(
        w, scores, grading={"mode": "threshold", "excellent_min": 85,
                            "good_min": 75})
    u = w.units
    got = {x[0]: (x[1], x[3]) for x in table(ranking(w.office, cid,
                                                     "2021-H1"))}
    assert got == {u[0]: (85.0, "excellent"), u[1]: (84.99, "good"),
                   u[2]: (75.0, "good"), u[3]: (74.99, "fair"),
                   u[4]: (100.0, "excellent"), u[5]: (0.0, "fair")}
    # a veto is fair whatever the threshold says
    assert veto(w.office, cid, u[4], "2021-H1").status_code == 201
    assert by_unit(ranking(w.office, cid, "2021-H1"))[u[4]]["grade"] == \
        "fair"


# --- schemes --------------------------------------------------------------

def test_default_scheme_and_its_changes(w):
    cid = new_campaign(w)
    r = w.leader.get(f"/api/v1/campaigns/{cid}/assessment-scheme")
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["source"] == "builtin" and s["version"] is None
    assert s["weights"] == {"progress": 25, "not_red": 15,
                            "reports_on_time": 10, "ledger_closure": 15,
                            "overdue_problems": 10, "complaint_response": 5,
                            "complaint_resolution": 5,
                            "complaint_satisfaction": 5, "evaluation": 10}
    assert sum(s["weights"].values()) == 100
    assert s["grading"] == {"mode": "share", "excellent_share": 0.2,
                            "fair_share": 0.2, "excellent_min": 90,
                            "good_min": 75}
    assert (s["bonus_cap"], s["deduction_cap"]) == (5, 10)
    # the campaign's own: fields left out keep their values
    s = set_scheme(w.office, cid, weights={"evaluation": 40}, bonus_cap=3)
    assert s["source"] == "campaign" and s["version"] == 1
    assert s["weights"]["evaluation"] == 40 and s["weights"]["progress"] == 25
    assert s["bonus_cap"] == 3
    # a change needs the version; a stale one is 409
    assert_error(w.office.put(f"/api/v1/campaigns/{cid}/assessment-scheme",
                              json={"bonus_cap": 4}), 422, field="version")
    assert_error(w.office.put(f"/api/v1/campaigns/{cid}/assessment-scheme",
                              json={"bonus_cap": 4, "version": 7}), 409)
    s = set_scheme(w.office, cid, bonus_cap=4, version=1)
    assert s["version"] == 2 and s["bonus_cap"] == 4
    # a period of its own inherits the campaign's, and is read for it
    s = set_scheme(w.office, cid, period="2021-H2",
                   weights={"evaluation": 0, "progress": 50})
    assert s["source"] == "period" and s["period"] == "2021-H2"
    assert s["weights"]["progress"] == 50 and s["bonus_cap"] == 4
    got = w.office.get(f"/api/v1/campaigns/{cid}/assessment-scheme",
                       params={"period": "2021-H1"}).json()
    assert got["source"] == "campaign" and got["weights"]["evaluation"] == 40
    got = w.office.get(f"/api/v1/campaigns/{cid}/assessment-scheme",
                       params={"period": "2021-H2"}).json()
    assert got["source"] == "period" and got["weights"]["progress"] == 50


@pytest.mark.parametrize("body,field", [
    ({"weights": {"speed": 10}}, "weights.speed"),
    ({"weights": {"progress": -1}}, "weights.progress"),
    ({"weights": {"progress": "x"}}, "weights.progress"),
    ({"weights": dict.fromkeys(ONLY_EVALUATION, 0)}, "weights"),
    ({"grading": {"mode": "curve"}}, "grading.mode"),
    ({"grading": {"excellent_share": 0.7, "fair_share": 0.4}},
     "grading.fair_share"),
    ({"grading": {"excellent_share": 1.5}}, "grading.excellent_share"),
    ({"grading": {"excellent_min": 70, "good_min": 80}}, "grading.good_min"),
    ({"bonus_cap": 1000}, "bonus_cap"),
    ({"period": "2021-Q5"}, "period"),
    ({"unit_ids": ["x"]}, "unit_ids"),
])
def test_scheme_values_are_checked(w, body, field):
    cid = new_campaign(w)
    r = w.office.put(f"/api/v1/campaigns/{cid}/assessment-scheme", json=body)
    assert_error(r, 422, field=field)
    # nothing was stored
    assert w.office.get(f"/api/v1/campaigns/{cid}/assessment-scheme").json()[
        "source"] == "builtin"


def test_scheme_rights(w):
    cid = new_campaign(w)
    for s in (w.liaison_u0, w.leader):
        assert_error(s.put(f"/api/v1/campaigns/{cid}/assessment-scheme",
                           json={"bonus_cap": 1}), 403)
    # unit_ids outside the campaign's issuing unit are refused
    r = w.admin.put(f"/api/v1/campaigns/{cid}/assessment-scheme",
                    json={"unit_ids": [w.other_city]})
    assert_error(r, 422, field="unit_ids")


def test_explicit_unit_list(w):
    u = w.units
    cid = evaluation_campaign(w, [90, 80, 70])
    set_scheme(w.office, cid, version=1, unit_ids=[u[1], u[5]])
    rk = ranking(w.office, cid, "2021-H1")
    # the list decides; U5 has nothing to measure and scores 0
    assert [(x[0], x[1]) for x in table(rk)] == [(u[1], 80.0), (u[5], 0.0)]
    ev = by_unit(rk)[u[5]]["components"]
    assert all(c["applicable"] is False for c in ev)


# --- the explanation ------------------------------------------------------

def check_explanation(rk):
    for unit in rk["units"]:
        comps = unit["components"]
        assert [c["key"] for c in comps] == COMPONENT_KEYS
        total = sum(c["contribution"] for c in comps)
        assert total == pytest.approx(unit["score"], abs=1e-6), unit
        shares = sum(c["share"] for c in comps[:9])
        applicable = [c for c in comps[:9] if c["applicable"]]
        if any(c["weight"] > 0 for c in applicable):
            assert shares == pytest.approx(100, abs=0.05), unit
        for c in comps[:9]:
            assert c["name"]
            if not c["applicable"]:
                assert c["value"] is None and c["contribution"] == 0
                continue
            assert 0 <= c["value"] <= 100
            # contribution = value x its share of the weights, rounded
            assert c["contribution"] == pytest.approx(
                c["value"] * c["share"] / 100, abs=0.011), c


def test_explanation_sums_to_the_score_over_real_data(september):
    """Default weights over tasks, reports, problems, complaints,
    evaluations, bonus points and deductions, in 2026 seen from September
    (the complaints are received that day)."""
    server, w = september
    u = w.units
    year = 2026
    period = str(year)
    cid = create_campaign(
        w.office, w.city, starts_on=f"{year}-01-01",
        ends_on=f"{year}-12-31",
        phases=[{"name": "全年", "starts_on": f"{year}-01-01",
                 "ends_on": f"{year}-12-31"}])["id"]
    # U0: an indicator half reached, a milestone done; U1: a missed
    # milestone (red); U2: a task that has not started
    t0 = create_task(w.office, cid, u[0], starts_on=f"{year}-01-01",
                     due_on=f"{year}-12-31",
                     indicators=[{"name": "签约项目", "unit": "个",
                                  "target": 300, "comparator": ">="}],
                     milestones=[{"title": "一季度抓前期",
                                  "due_on": f"{year}-03-31"}])
    w.office.post(f"/api/v1/milestones/{t0['milestones'][0]['id']}/complete",
                  json={"completed_on": f"{year}-03-30", "evidence": "纪要"})
    submit_report(w.office, t0["id"], f"{year}-01",
                  {t0["indicators"][0]["id"]: 150})
    create_task(w.office, cid, u[1], starts_on=f"{year}-01-01",
                due_on=f"{year}-12-31",
                milestones=[{"title": "二季度抓开工",
                             "due_on": f"{year}-06-30"}])
    create_task(w.office, cid, u[2], starts_on=f"{year}-12-31",
                due_on=f"{year}-12-31")
    # problems: U0 one closed of two, one overdue; U3 one open, not due
    for unit, due in ((u[0], f"{year}-01-10"), (u[0], f"{year}-01-10"),
                      (u[3], f"{year + 1}-06-30")):
        r = w.office.post("/api/v1/problems", json={
            "campaign_id": cid, "unit_id": unit, "source": "inspection",
            "description": "会议多、文件多", "due_on": due,
            "found_on": f"{year}-01-05"})
        assert r.status_code == 201, r.text
    p = w.office.get("/api/v1/problems", params={
        "campaign_id": cid, "unit_id": u[0]}).json()["items"][0]
    for to, extra in (("rectifying", {}), ("rectified", {"evidence": "整改"}),
                      ("closed", {})):
        r = w.office.post(f"/api/v1/problems/{p['id']}/transition",
                          json={"to": to, "version": p["version"], **extra})
        assert r.status_code == 200, r.text
        p = r.json()
    # complaints of U4: one answered and rated 5, one never answered
    c1 = file_complaint(server.url, unit_id=u[4])
    file_complaint(server.url, unit_id=u[4])
    cid1 = complaint_id(w.admin, c1["tracking_code"])
    r = w.admin.post(f"/api/v1/complaints/{cid1}/reply",
                     json={"reply": "已办结"})
    assert r.status_code == 200, r.text
    r = public_post(server.url,
                    f"/api/v1/public/complaints/{c1['tracking_code']}/rating",
                    json={"score": 5, "resolved": True})
    assert r.status_code == 201, r.text
    # survey, bonus points and deductions
    evaluate(w.office, cid, u[1], f"{year}-H1", 88.5)
    evaluate(w.office, cid, u[1], f"{year}-Q3", 91)
    for unit, kind, points, reason in (
            (u[0], "bonus", 3, "招商引资成效突出"),
            (u[0], "bonus", 4, "项目建设受到省政府表扬"),
            (u[1], "deduction", 2.5, "调度数据报送不及时")):
        r = w.office.post(f"/api/v1/campaigns/{cid}/adjustments", json={
            "unit_id": unit, "period": period, "kind": kind,
            "points": points, "reason": reason})
        assert r.status_code == 201, r.text

    rk = ranking(w.office, cid, period)
    check_explanation(rk)
    units = by_unit(rk)
    assert set(units) == {u[0], u[1], u[2], u[3], u[4]}
    c = {x["key"]: x for x in units[u[0]]["components"]}
    assert c["progress"]["value"] == 50.0
    assert c["not_red"]["value"] == 100.0
    assert c["ledger_closure"]["value"] == 50.0
    assert c["overdue_problems"]["value"] == 50.0
    assert c["complaint_response"]["applicable"] is False
    # bonus points are capped (5 by default)
    assert c["bonus"]["value"] == 7.0 and c["bonus"]["contribution"] == 5.0
    assert [i["reason"] for i in c["bonus"]["detail"]["items"]] == [
        "招商引资成效突出", "项目建设受到省政府表扬"]
    c = {x["key"]: x for x in units[u[1]]["components"]}
    assert c["not_red"]["value"] == 0.0
    assert c["evaluation"]["value"] == pytest.approx(89.75)
    assert c["deduction"]["contribution"] == -2.5
    # U2's task has not started: nothing to measure there
    assert units[u[2]]["score"] == 0.0
    c = {x["key"]: x for x in units[u[4]]["components"]}
    assert c["complaint_response"]["value"] == 50.0
    assert c["complaint_satisfaction"]["value"] == 100.0
    assert c["complaint_resolution"]["value"] == 100.0
    # the three rates are those of /complaints/stats
    st = w.admin.get("/api/v1/complaints/stats", params={
        "unit_id": u[4], "from": f"{year}-01-01",
        "to": f"{year}-12-31"}).json()
    row = [x for x in st["units"] if x["unit_id"] == u[4]][0]
    assert row["response_rate"] * 100 == pytest.approx(
        c["complaint_response"]["value"])
    # a published version explains itself the same way
    r = w.office.post(f"/api/v1/campaigns/{cid}/ranking/publish",
                      params={"period": period})
    assert r.status_code == 201, r.text
    check_explanation(r.json())


# --- published versions -----------------------------------------------------

def test_published_results_are_frozen(w):
    u = w.units
    cid = evaluation_campaign(w, [90, 80, 70])
    r = w.office.post(f"/api/v1/campaigns/{cid}/ranking/publish",
                      params={"period": "2021-H1"})
    assert r.status_code == 201, r.text
    v1 = r.json()
    assert v1["published"] is True and v1["version"] == 1
    assert v1["published_at"]
    # the data changes: U2 now leads, U0 is vetoed
    evaluate(w.office, cid, u[2], "2021-H1", 99)
    assert veto(w.office, cid, u[0], "2021-H1").status_code == 201
    got = ranking(w.office, cid, "2021-H1")
    assert got == v1
    assert table(got)[0][:3] == (u[0], 90.0, 1)
    # the live view shows the change without storing it
    live = ranking(w.office, cid, "2021-H1", live="true")
    assert live["published"] is False and live["version"] is None
    assert [x[0] for x in table(live)] == [u[2], u[1], u[0]]
    assert ranking(w.office, cid, "2021-H1") == v1
    # publishing again computes a new version; the old one stays readable
    r = w.office.post(f"/api/v1/campaigns/{cid}/ranking/publish",
                      params={"period": "2021-H1"})
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2
    assert [x[0] for x in table(ranking(w.office, cid, "2021-H1"))] == [
        u[2], u[1], u[0]]
    assert ranking(w.office, cid, "2021-H1", version=1) == v1
    assert_error(w.office.get(f"/api/v1/campaigns/{cid}/ranking",
                              params={"period": "2021-H1", "version": 3}),
                 404)
    versions = w.office.get(f"/api/v1/campaigns/{cid}/ranking/versions",
                            params={"period": "2021-H1"}).json()["items"]
    assert [v["version"] for v in versions] == [1, 2]
    # only the office publishes
    assert_error(w.leader.post(f"/api/v1/campaigns/{cid}/ranking/publish",
                               params={"period": "2021-H1"}), 403)
    assert_error(w.office.post(f"/api/v1/campaigns/{cid}/ranking/publish",
                               params={"period": "H1"}), 422, field="period")
    # the publication is in the audit trail
    audit = w.admin.get("/api/v1/audit", params={"entity": "ranking"}).json()
    assert any(a["action"] == "publish" for a in audit["items"])


def test_rank_change_since_the_previous_period(w):
    u = w.units
    cid = evaluation_campaign(w, [90, 80, 70], period="2021-Q1")
    for unit, score in zip(u, [70, 95, 80, 60]):
        evaluate(w.office, cid, unit, "2021-Q2", score)
    rk = ranking(w.office, cid, "2021-Q2")
    assert rk["previous_period"] == "2021-Q1"
    got = {x["unit_id"]: (x["rank"], x["previous_rank"], x["rank_change"])
           for x in rk["units"]}
    # up is positive; a unit not ranked before has no change
    assert got == {u[1]: (1, 2, 1), u[2]: (2, 3, 1), u[0]: (3, 1, -2),
                   u[3]: (4, None, None)}
    # the first quarter of the campaign has nothing before it
    q1 = ranking(w.office, cid, "2021-Q1")
    assert q1["previous_period"] is None
    assert all(x["rank_change"] is None for x in q1["units"])
    # once Q1 is published, Q2 compares with the published version
    r = w.office.post(f"/api/v1/campaigns/{cid}/ranking/publish",
                      params={"period": "2021-Q1"})
    assert r.status_code == 201
    evaluate(w.office, cid, u[3], "2021-Q1", 100)  # after publication
    got = {x["unit_id"]: x["previous_rank"]
           for x in ranking(w.office, cid, "2021-Q2")["units"]}
    assert got[u[3]] is None and got[u[0]] == 1


def test_readers_below_see_their_own_units_with_the_overall_rank(w):
    u = w.units
    cid = evaluation_campaign(w, [70, 90, 80])
    rk = ranking(w.liaison_u0, cid, "2021-H1")
    assert [(x["unit_id"], x["rank"]) for x in rk["units"]] == [(u[0], 3)]
    assert len(ranking(w.leader, cid, "2021-H1")["units"]) == 3
    # the liaison cannot record evaluations, and the unit's neighbour
    # city's office cannot read the campaign at all
    r = w.liaison_u0.post(f"/api/v1/campaigns/{cid}/evaluations",
                          json={"unit_id": u[0], "period": "2021-H1",
                                "score": 100})
    assert_error(r, 403)


def test_evaluations_replace_and_are_checked(w):
    u = w.units
    cid = new_campaign(w)
    first = evaluate(w.office, cid, u[0], "2021-H1", 80)
    second = evaluate(w.office, cid, u[0], "2021-H1", 85.5)
    assert second["id"] == first["id"] and second["version"] == 2
    assert second["score"] == 85.5
    items = w.office.get(f"/api/v1/campaigns/{cid}/evaluations").json()[
        "items"]
    assert [(e["unit_id"], e["score"]) for e in items] == [(u[0], 85.5)]
    for body, field in (({"score": 101}, "score"), ({"score": -1}, "score"),
                        ({"period": "2021-13"}, "period"),
                        ({"unit_id": w.other_city}, "unit_id")):
        b = {"unit_id": u[0], "period": "2021-H1", "score": 80, **body}
        r = w.admin.post(f"/api/v1/campaigns/{cid}/evaluations", json=b)
        assert_error(r, 422, field=field)
    for body, field in (({"kind": "gift"}, "kind"), ({"points": 0}, "points"),
                        ({"points": 500}, "points"), ({"reason": ""},
                                                      "reason")):
        b = {"unit_id": u[0], "period": "2021-H1", "kind": "bonus",
             "points": 2, "reason": "表彰", **body}
        r = w.office.post(f"/api/v1/campaigns/{cid}/adjustments", json=b)
        assert_error(r, 422, field=field)


def test_revoked_adjustments_no_longer_count(w):
    u = w.units
    cid = evaluation_campaign(w, [80])
    r = w.office.post(f"/api/v1/campaigns/{cid}/adjustments", json={
        "unit_id": u[0], "period": "2021-05", "kind": "bonus", "points": 2,
        "reason": "通报表扬"})
    assert r.status_code == 201
    aid = r.json()["id"]
    assert by_unit(ranking(w.office, cid, "2021-H1"))[u[0]]["score"] == 82.0
    # a bonus for May is not in the first quarter
    assert u[0] not in by_unit(ranking(w.office, cid, "2021-Q1"))
    r = w.office.post(f"/api/v1/adjustments/{aid}/revoke",
                      json={"reason": "录入有误"})
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    assert by_unit(ranking(w.office, cid, "2021-H1"))[u[0]]["score"] == 80.0


def test_ranking_query_is_checked(w):
    cid = new_campaign(w)
    base = f"/api/v1/campaigns/{cid}/ranking"
    assert_error(w.office.get(base), 422, field="period")
    assert_error(w.office.get(base, params={"period": "2021-H3"}), 422,
                 field="period")
    assert_error(w.office.get(base, params={"period": "2021",
                                            "live": "maybe"}), 422,
                 field="live")
    assert_error(w.office.get(base, params={"period": "2021",
                                            "as_of": "2021-02-30"}), 422,
                 field="as_of")
    assert_error(w.office.get("/api/v1/campaigns/999999/ranking",
                              params={"period": "2021"}), 404)
    # a campaign with nobody to assess answers an empty list
    assert ranking(w.office, cid, "2021")["units"] == []
