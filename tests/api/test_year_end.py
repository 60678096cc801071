"""Year ends (issue 13): a campaign spanning two years, a problem due across
1 January, a complaint time limit over the Spring Festival, the lights and
roll-ups of January computed on 2 January, a ranking of 2026 computed in
2027 — each on a server whose clock is set (duban_client's clock_env).

2026 is shipped; 2027 is provisional (the law's holidays, no 调休): 01-01 元旦
(a Friday), 02-05 to 02-08 春节.  January 2027's report of December is due
on its 5th working day, 01-08.
"""
import pytest

from duban_client import (ADMIN_PASSWORD, USER_PASSWORD, complaint_id,
                          create_campaign, create_task, create_unit,
                          create_user, file_complaint, login, root_unit_id,
                          submit_report)

PHASES = [{"name": "部署", "starts_on": "2026-10-01", "ends_on": "2026-12-31"},
          {"name": "攻坚", "starts_on": "2027-01-01", "ends_on": "2027-06-30"}]


class World:
    pass


def world_at(make_server, clock, *args):
    w = World()
    w.srv = make_server(*args, clock=clock)
    w.admin = login(w.srv.url, "admin", ADMIN_PASSWORD)
    w.city = create_unit(w.admin, root_unit_id(w.admin), "city")["id"]
    w.a = create_unit(w.admin, w.city, "county")["id"]
    w.b = create_unit(w.admin, w.city, "county")["id"]
    w.office = login(w.srv.url, create_user(w.admin, w.city, ["office"])[
        "username"], USER_PASSWORD)
    return w


@pytest.fixture(scope="module")
def january(make_server):
    """2 January 2027, a Saturday: the office looks at the new year."""
    w = world_at(make_server, "2027-01-02 10:00")
    w.cid = create_campaign(w.office, w.city, starts_on="2026-10-01",
                            ends_on="2027-06-30", phases=PHASES)["id"]
    # A: a task of the old year, not finished; B: one running across,
    # reported for December; and one of B's starting in the new year
    w.late = create_task(w.office, w.cid, w.a, starts_on="2026-10-01",
                         due_on="2026-12-31")
    w.across = create_task(w.office, w.cid, w.b, starts_on="2026-10-01",
                           due_on="2027-06-30",
                           milestones=[{"title": "一月底完成方案",
                                        "due_on": "2027-01-06"}])
    submit_report(w.office, w.across["id"], "2026-12")
    w.fresh = create_task(w.office, w.cid, w.b, starts_on="2027-01-04",
                          due_on="2027-03-31")
    return w


def task(s, tid, **query):
    r = s.get(f"/api/v1/tasks/{tid}", params=query)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_campaign_spanning_two_years_is_in_its_second_phase(january):
    w = january
    r = w.office.get(f"/api/v1/campaigns/{w.cid}")
    assert r.status_code == 200, r.text
    assert r.json()["current_phase"] == "攻坚"
    r = w.office.get(f"/api/v1/campaigns/{w.cid}", params={
        "as_of": "2026-12-31"})
    assert r.json()["current_phase"] == "部署"


def test_the_lights_of_january_on_the_second(january):
    w = january
    # the old year's task is red, past due on 12-31
    t = task(w.office, w.late["id"])
    assert (t["light"], t["light_reasons"]) == ("red", ["task_overdue"])
    # 01-02 + 3 working days: 01-04, 01-05, 01-06 - the milestone is due
    # soon, counted across the provisional 2027
    t = task(w.office, w.across["id"])
    assert t["light"] == "yellow"
    assert set(t["light_reasons"]) == {"milestone_due_soon",
                                       "provisional_calendar"}
    # December's report is not missing before 01-08, its 5th working day
    t = task(w.office, w.late["id"], as_of="2027-01-08")
    assert "report_missing" not in t["light_reasons"]
    t = task(w.office, w.late["id"], as_of="2027-01-11")
    assert {"task_overdue", "report_missing",
            "provisional_calendar"} == set(t["light_reasons"])
    # B reported December
    t = task(w.office, w.across["id"], as_of="2027-01-11")
    assert "report_missing" not in t["light_reasons"]


def test_the_roll_up_of_january(january):
    w = january
    r = w.office.get(f"/api/v1/campaigns/{w.cid}/lights")
    assert r.status_code == 200, r.text
    body = r.json()
    units = {u["unit_id"]: (u["green"], u["yellow"], u["red"])
             for u in body["units"]}
    assert units == {w.a: (0, 0, 1), w.b: (1, 1, 0)}
    subtrees = {u["unit_id"]: (u["green"], u["yellow"], u["red"])
                for u in body["subtrees"]}
    assert subtrees[w.city] == (1, 1, 1)
    # the same campaign on New Year's Eve: nothing was overdue yet
    r = w.office.get(f"/api/v1/campaigns/{w.cid}/lights",
                     params={"as_of": "2026-12-31"})
    assert r.status_code == 200, r.text
    assert r.json()["totals"]["red"] == 0


def test_a_problem_due_across_new_year(january):
    w = january
    r = w.office.post("/api/v1/problems", json={
        "campaign_id": w.cid, "unit_id": w.a, "source": "inspection",
        "description": "年底突击花钱", "found_on": "2026-12-28",
        "due_workdays": 5})
    assert r.status_code == 201, r.text
    p = r.json()
    assert (p["due_on"], p["provisional_dates"], p["overdue"]) == (
        "2027-01-05", True, False)
    r = w.office.get(f"/api/v1/problems/{p['id']}",
                     params={"as_of": "2027-01-06"})
    assert r.status_code == 200, r.text
    assert r.json()["overdue"] is True
    r = w.office.get("/api/v1/problems", params={
        "campaign_id": w.cid, "overdue": "true", "as_of": "2027-01-06"})
    assert [x["id"] for x in r.json()["items"]] == [p["id"]]


def assign(w, tracking_code, workdays):
    cid = complaint_id(w.admin, tracking_code)
    r = w.admin.post(f"/api/v1/complaints/{cid}/assign",
                     json={"unit_id": w.a, "due_workdays": workdays})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_complaint_time_limit_over_the_shipped_spring_festival(
        make_server):
    # 2026-02-12, a Thursday; 春节 2026-02-15 to 02-23, 02-14 (Saturday)
    # an adjusted working day: 02-13, 02-14, then 02-24
    w = world_at(make_server, "2026-02-12 09:30", "--public-rate", "100")
    c = file_complaint(w.srv.url, unit_id=w.a)
    a = assign(w, c["tracking_code"], 3)
    assert (a["received_on"], a["due_on"], a["provisional_dates"]) == (
        "2026-02-12", "2026-02-24", False)


def test_a_complaint_time_limit_over_a_provisional_spring_festival(
        make_server):
    # 2027-02-03, a Wednesday: 02-04, (02-05 除夕 to 02-08), 02-09, 02-10
    w = world_at(make_server, "2027-02-03 15:00", "--public-rate", "100")
    c = file_complaint(w.srv.url, unit_id=w.a)
    a = assign(w, c["tracking_code"], 3)
    assert (a["received_on"], a["due_on"], a["provisional_dates"]) == (
        "2027-02-03", "2027-02-10", True)


def test_a_ranking_of_2026_computed_in_2027(make_server):
    w = world_at(make_server, "2027-01-04 09:00")
    cid = create_campaign(w.office, w.city, starts_on="2026-01-01",
                          ends_on="2026-12-31", phases=[])["id"]
    for unit, score in ((w.a, 92), (w.b, 85.5)):
        r = w.office.post(f"/api/v1/campaigns/{cid}/evaluations", json={
            "unit_id": unit, "period": "2026", "score": score,
            "respondents": 100, "method": "问卷调查"})
        assert r.status_code == 201, r.text
    r = w.office.put(f"/api/v1/campaigns/{cid}/assessment-scheme", json={
        "weights": {"progress": 0, "not_red": 0, "reports_on_time": 0,
                    "ledger_closure": 0, "overdue_problems": 0,
                    "complaint_response": 0, "complaint_resolution": 0,
                    "complaint_satisfaction": 0, "evaluation": 100}})
    assert r.status_code == 200, r.text
    r = w.office.get(f"/api/v1/campaigns/{cid}/ranking",
                     params={"period": "2026"})
    assert r.status_code == 200, r.text
    rows = [(u["unit_id"], u["score"], u["rank"]) for u in r.json()["units"]]
    assert rows == [(w.a, 92.0, 1), (w.b, 85.5, 2)]
    # and it can be published in the new year
    r = w.office.post(f"/api/v1/campaigns/{cid}/ranking/publish",
                      params={"period": "2026"})
    assert r.status_code == 201, r.text
