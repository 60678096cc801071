"""The calendar never stops: a year without its State Council notice is
provisional, computed from the holiday law (statutory holidays and
weekends, no 调休), and every answer that rests on such a day says so
(issue 13, docs/calendar.md).

The years used: 2026 is shipped (国办发明电〔2025〕7号); 2027 is not, so it is
provisional until a test imports it.  The law's 2027 (2024 revision):
元旦 01-01, 春节 02-05 (除夕) to 02-08, 清明 04-05, 劳动节 05-01 and 02, 端午
06-09, 中秋 09-15, 国庆 10-01 to 03.  The servers' clocks stand in December
2026, when an office is waiting for the 2027 notice.
"""
import sqlite3

import pytest

from duban_client import (ADMIN_PASSWORD, USER_PASSWORD, assert_error,
                          clean_env, create_campaign, create_task,
                          create_unit, create_user, login, root_unit_id,
                          run_cli)

DECEMBER = "2026-12-04 10:00"

NOTICE_2027 = """year 2027
notice 国办发明电〔2026〕99号 2026-11-20 国务院办公厅关于2027年部分节假日安排的通知
off 2027-01-01 2027-01-03 元旦
off 2027-02-05 2027-02-12 春节
work 2027-02-20 春节调休上班
off 2027-04-03 2027-04-05 清明节
off 2027-05-01 2027-05-05 劳动节
off 2027-06-09 2027-06-11 端午节
off 2027-09-15 2027-09-17 中秋节
off 2027-10-01 2027-10-07 国庆节
work 2027-10-09 国庆节调休上班
"""


@pytest.fixture(scope="module")
def world(make_server):
    srv = make_server(clock=DECEMBER)
    admin = login(srv.url, "admin", ADMIN_PASSWORD)
    city = create_unit(admin, root_unit_id(admin), "city")["id"]
    office = login(srv.url, create_user(admin, city, ["office"])["username"],
                   USER_PASSWORD)
    camp = create_campaign(office, city, starts_on="2026-01-01",
                           ends_on="2027-12-31", phases=[])["id"]
    return srv, admin, office, city, camp


def is_workday(s, day):
    r = s.get("/api/v1/calendar/is-workday", params={"date": day})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_year_without_its_notice_answers_by_the_law(world):
    _, admin, *_ = world
    # the eve of the Spring Festival and the three days after it are off
    for day in ("2027-02-05", "2027-02-08", "2027-06-09", "2027-09-15",
                "2027-10-01", "2027-05-02"):
        body = is_workday(admin, day)
        assert (body["workday"], body["provisional"]) == (False, True), body
    # no 调休 is guessed: a weekday after a holiday is a working day, a
    # weekend stays off
    assert is_workday(admin, "2027-02-09") == {
        "date": "2027-02-09", "workday": True, "status": "workday",
        "provisional": True}
    assert is_workday(admin, "2027-02-20")["workday"] is False
    # a shipped year is not provisional, with its 调休 (2026-02-14, Saturday)
    assert is_workday(admin, "2026-02-14") == {
        "date": "2026-02-14", "workday": True, "status": "workday",
        "provisional": False}


def test_years_list_where_each_comes_from(world):
    _, admin, *_ = world
    r = admin.get("/api/v1/calendar/years")
    assert r.status_code == 200, r.text
    years = {y["year"]: y for y in r.json()["items"]}
    assert years[2026]["source"] == "builtin"
    assert years[2026]["notices"][0]["number"] == "国办发明电〔2025〕7号"
    assert years[2027]["source"] == "provisional"
    assert years[2027]["provisional"] is True
    assert years[2027]["notices"] == []
    assert years[2027]["adjusted_workdays"] == 0
    # 13 days off by the 2024 law; 除夕 is one of them
    assert years[2027]["holiday_days"] == 13
    assert {"kind": "off", "first": "2027-02-05", "last": "2027-02-08",
            "name": "春节"} in years[2027]["ranges"]
    # one year on its own, also far ahead
    r = admin.get("/api/v1/calendar/years/2035")
    assert r.status_code == 200, r.text
    assert r.json()["source"] == "provisional"
    assert {"kind": "off", "first": "2035-02-07", "last": "2035-02-10",
            "name": "春节"} in r.json()["ranges"]
    assert_error(admin.get("/api/v1/calendar/years/1800"), 404)


def test_counting_across_the_year_end(world):
    _, admin, *_ = world
    r = admin.get("/api/v1/calendar/add",
                  params={"from": "2026-12-28", "workdays": 5})
    assert r.status_code == 200, r.text
    # 12-29, 12-30, 12-31, (01-01 元旦, 01-02 and 03 the weekend), 01-04, 01-05
    assert r.json() == {"from": "2026-12-28", "workdays": 5,
                        "date": "2027-01-05", "provisional": True}
    r = admin.get("/api/v1/calendar/add",
                  params={"from": "2026-12-01", "workdays": 5})
    assert r.json()["provisional"] is False
    r = admin.get("/api/v1/calendar/workdays",
                  params={"from": "2026-12-31", "to": "2027-01-08"})
    assert r.json() == {"from": "2026-12-31", "to": "2027-01-08",
                        "workdays": 5, "provisional": True}


def test_a_problem_due_across_new_year_is_counted_and_marked(world):
    _, _, office, city, camp = world
    r = office.post("/api/v1/problems", json={
        "campaign_id": camp, "unit_id": city, "source": "self",
        "description": "台账不全", "found_on": "2026-12-28",
        "due_workdays": 5})
    assert r.status_code == 201, r.text
    assert (r.json()["due_on"], r.json()["provisional_dates"]) == (
        "2027-01-05", True)
    r = office.post("/api/v1/problems", json={
        "campaign_id": camp, "unit_id": city, "source": "self",
        "description": "材料报送迟", "found_on": "2026-12-01",
        "due_workdays": 5})
    assert r.status_code == 201, r.text
    assert (r.json()["due_on"], r.json()["provisional_dates"]) == (
        "2026-12-08", False)


def test_the_cli_answers_with_a_warning_and_exit_0():
    cp = run_cli("calendar", "is-workday", "2027-02-08")
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout == "off\n"
    assert "provisional" in cp.stderr and "2027" in cp.stderr
    cp = run_cli("calendar", "add", "2026-12-28", "5")
    assert (cp.returncode, cp.stdout) == (0, "2027-01-05\n")
    assert "warning" in cp.stderr
    # a shipped year says nothing on stderr
    cp = run_cli("calendar", "is-workday", "2026-02-14")
    assert (cp.returncode, cp.stdout, cp.stderr) == (0, "workday\n", "")
    cp = run_cli("calendar", "show", "2027")
    assert cp.returncode == 0
    assert "off  2027-02-05 2027-02-08 春节" in cp.stdout
    # bad input still exits 2
    assert run_cli("calendar", "add", "2027-02-30", "1").returncode == 2
    assert run_cli("calendar", "add", "2027-02-01", "0").returncode == 2


@pytest.fixture(scope="module")
def imported(make_server):
    """A server of its own whose 2027 is imported by the tests below, in
    order."""
    srv = make_server(clock=DECEMBER)
    admin = login(srv.url, "admin", ADMIN_PASSWORD)
    city = create_unit(admin, root_unit_id(admin), "city")["id"]
    camp = create_campaign(admin, city, starts_on="2026-01-01",
                           ends_on="2027-12-31", phases=[])["id"]
    r = admin.post("/api/v1/problems", json={
        "campaign_id": camp, "unit_id": city, "source": "self",
        "description": "春节前整改", "found_on": "2027-02-01",
        "due_workdays": 5})
    assert r.status_code == 201, r.text
    # 02-02, 02-03, 02-04, (02-05 除夕 to 02-08), 02-09, 02-10
    assert r.json()["due_on"] == "2027-02-10"
    return srv, admin, r.json()


def test_importing_the_notice_replaces_the_provisional_year(imported):
    srv, admin, problem = imported
    r = admin.post("/api/v1/calendar/years",
                   json={"content": NOTICE_2027, "format": "text"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["source"] == "imported"
    changed = {d["date"]: (d["before"], d["after"])
               for d in body["changed_days"]}
    assert changed["2027-02-09"] == ("workday", "off")
    assert changed["2027-02-20"] == ("off", "workday")
    assert "2027-02-08" not in changed
    assert is_workday(admin, "2027-02-09") == {
        "date": "2027-02-09", "workday": False, "status": "off",
        "provisional": False}
    years = {y["year"]: y for y in admin.get(
        "/api/v1/calendar/years").json()["items"]}
    assert years[2027]["source"] == "imported"
    # a deadline already stored is not rewritten, and says how it was
    # counted
    p = admin.get(f"/api/v1/problems/{problem['id']}").json()
    assert (p["due_on"], p["provisional_dates"]) == ("2027-02-10", True)
    # the audit says what changed ('admin' reads the trail until the
    # administrators are separated, issue 15)
    rec = admin.get("/api/v1/audit", params={"entity": "calendar_year",
                                         "id": 2027}).json()["items"]
    assert rec and rec[-1]["action"] == "import"
    assert rec[-1]["before"]["source"] == "provisional"
    assert {"date": "2027-02-20", "before": "off", "after": "workday"} in \
        rec[-1]["after"]["changed_days"]


def test_a_loaded_year_is_replaced_only_by_a_later_notice(imported):
    _, admin, _ = imported
    # the same notice again: refused, nothing changes
    r = admin.post("/api/v1/calendar/years",
                   json={"content": NOTICE_2027, "format": "text"})
    assert_error(r, 409, code="calendar_year_loaded", field="content")
    # a feed without any notice cannot replace it either
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
           "DTSTART;VALUE=DATE:20270101\r\nSUMMARY:元旦\r\nEND:VEVENT\r\n"
           "END:VCALENDAR\r\n")
    assert_error(admin.post("/api/v1/calendar/years",
                            json={"content": ics, "format": "ics"}),
                 409, code="calendar_year_loaded")
    # nor can anything replace a shipped year but a later notice
    shipped = ("year 2026\nnotice 国办发明电〔2025〕7号 2025-11-04\n"
               "off 2026-01-01 元旦\n")
    assert_error(admin.post("/api/v1/calendar/years",
                            json={"content": shipped}), 409,
                 code="calendar_year_loaded")
    assert is_workday(admin, "2026-01-02")["workday"] is False
    # an amendment, issued later, replaces it (as in 2020)
    amended = NOTICE_2027.replace(
        "work 2027-02-20 春节调休上班\n", "").replace(
        "notice 国办发明电〔2026〕99号 2026-11-20 国务院办公厅关于2027年部分节假日安排的通知",
        "notice 国办发明电〔2026〕99号 2026-11-20\n"
        "notice 国办发明电〔2027〕1号 2027-01-26 关于延长2027年春节假期的通知")
    r = admin.post("/api/v1/calendar/years", json={"content": amended})
    assert r.status_code == 201, r.text
    assert [d["date"] for d in r.json()["changed_days"]] == ["2027-02-20"]
    assert is_workday(admin, "2027-02-20")["workday"] is False


def test_the_provisional_schedule_is_not_stored(imported):
    srv, *_ = imported
    con = sqlite3.connect(srv.db)
    try:
        years = [y for (y,) in con.execute(
            "SELECT year FROM calendar_years ORDER BY year")]
    finally:
        con.close()
    assert years == [2027]


def test_the_cli_sees_the_imported_year(imported, tmp_path):
    srv, *_ = imported
    if "postgresql://" in str(srv.db):
        pytest.skip("reads the server's SQLite file")
    cp = run_cli("calendar", "is-workday", "2027-02-09", "--db", srv.db,
                 env=clean_env())
    assert (cp.returncode, cp.stdout, cp.stderr) == (0, "off\n", "")
