"""The ledger over time: GET /api/v1/campaigns/{id}/ledger/trend."""
import pytest

from duban_client import (ADMIN_PASSWORD, USER_PASSWORD, assert_error,
                          create_unit, create_user, login, root_unit_id)


@pytest.fixture(scope="module")
def world(make_server):
    # the problems are closed "now": the server's clock stands in November
    server = make_server(clock="2026-11-23 10:00")
    admin = login(server.url, "admin", ADMIN_PASSWORD)
    city = create_unit(admin, root_unit_id(admin), "city")
    county = create_unit(admin, city["id"], "county")
    office = create_user(admin, city["id"], ["office"])
    s = login(server.url, office["username"], USER_PASSWORD)
    r = s.post("/api/v1/campaigns", json={
        "title": "整改行动", "unit_id": city["id"],
        "starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    assert r.status_code == 201, r.text
    camp = r.json()["id"]

    def problem(found, due):
        r = s.post("/api/v1/problems", json={
            "campaign_id": camp, "unit_id": county["id"], "source": "self",
            "description": "问题", "found_on": found, "due_on": due})
        assert r.status_code == 201, r.text
        return r.json()

    early = problem("2026-08-10", "2026-08-31")
    problem("2026-10-05", "2026-12-31")
    # the early one is rectified and closed now (November)
    for step in ({"to": "rectifying"}, {"to": "rectified", "evidence": "报告"},
                 {"to": "closed"}):
        cur = s.get(f"/api/v1/problems/{early['id']}").json()
        r = s.post(f"/api/v1/problems/{early['id']}/transition",
                   json={**step, "version": cur["version"]})
        assert r.status_code == 200, r.text
    return s, camp


def test_months_rebuild_the_state_at_each_month_end(world):
    s, camp = world
    r = s.get(f"/api/v1/campaigns/{camp}/ledger/trend",
              params={"from": "2026-07-01", "to": "2026-11-23"})
    assert r.status_code == 200, r.text
    months = {m["month"]: m for m in r.json()["months"]}
    assert list(months) == ["2026-07", "2026-08", "2026-09", "2026-10",
                            "2026-11"]
    assert months["2026-07"]["total"] == 0
    # found in August, due on the 31st: open, not yet overdue at its end
    assert (months["2026-08"]["total"], months["2026-08"]["closed"],
            months["2026-08"]["overdue"]) == (1, 0, 0)
    # at the end of September it was still open and past due
    assert (months["2026-09"]["total"], months["2026-09"]["overdue"]) == (1, 1)
    assert (months["2026-10"]["total"], months["2026-10"]["open"]) == (2, 2)
    # closed in November
    assert (months["2026-11"]["closed"], months["2026-11"]["open"],
            months["2026-11"]["overdue"]) == (1, 1, 0)


def test_bad_range_is_422(world):
    s, camp = world
    r = s.get(f"/api/v1/campaigns/{camp}/ledger/trend",
              params={"from": "2026-11-01", "to": "2026-10-01"})
    assert_error(r, 422, field="to")
    r = s.get(f"/api/v1/campaigns/{camp}/ledger/trend",
              params={"from": "2026-13-01"})
    assert_error(r, 422, field="from")
