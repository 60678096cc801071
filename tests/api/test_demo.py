"""`duban demo` on a fresh database, as a new user first sees it after
`make run`, whatever the day (issue 13): the demo is written as things
stood in November 2021 and moves on by whole months to this month, so its
figures are the same on every day it is loaded.

Checked: the Huludao campaign's tasks per category (葫政办发〔2021〕16号,
seeds/004), its phase, the red tasks of today and the rectification
ledger's open and overdue problems.
"""
import collections

import pytest

import duban_client
from duban_client import DubanServer, clean_env, cst_today, login, run_cli

DEMO_PASSWORD = "Demo-Passw0rd"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    db = duban_client.init_db(directory)
    cp = run_cli("demo", "--db", db,
                 env=clean_env(DUBAN_DEMO_PASSWORD=DEMO_PASSWORD))
    assert cp.returncode == 0, cp.stderr
    srv = DubanServer(directory, db).start()
    office = login(srv.url, "hld_office", DEMO_PASSWORD)
    camp = [c for c in office.get("/api/v1/campaigns").json()["items"]
            if c["doc_number"] == "葫政办发〔2021〕16号"][0]
    yield cp.stdout, office, camp
    srv.assert_clean_exit()


def test_the_demo_says_what_it_loaded(demo):
    out, _, _ = demo
    assert "23 tasks" in out and "8 problems" in out
    assert "hld_office" in out


def test_the_campaign_runs_now_in_its_middle_phase(demo):
    _, office, camp = demo
    c = office.get(f"/api/v1/campaigns/{camp['id']}").json()
    assert c["current_phase"] == "推进落实"
    today = cst_today().isoformat()
    assert c["starts_on"] < today < c["ends_on"]


def test_tasks_per_category(demo):
    _, office, camp = demo
    tasks = office.get("/api/v1/tasks", params={
        "campaign_id": camp["id"], "per_page": 100}).json()
    assert tasks["total"] == 23
    top = collections.Counter(t["category_code"] for t in tasks["items"]
                              if t["parent_id"] is None)
    assert top == {"ZDZB": 3, "ZDXM": 3, "ZDPT": 3, "ZDGJ": 5, "ZDMS": 3,
                   "ZDCX": 3}


def test_todays_red_tasks(demo):
    _, office, camp = demo
    red = office.get("/api/v1/tasks", params={
        "campaign_id": camp["id"], "light": "red", "per_page": 100}).json()
    assert red["total"] == 5
    # why they are red (a yellow reason may come with it once the month's
    # report day has passed)
    assert sorted(r for t in red["items"] for r in t["light_reasons"]
                  if r.endswith("_overdue")) == [
        "milestone_overdue"] * 4 + ["task_overdue"]
    assert "绥中县农村供水保障" in [t["title"] for t in red["items"]
                             if "task_overdue" in t["light_reasons"]]


def test_the_ledger_open_and_overdue(demo):
    _, office, camp = demo
    ledger = office.get(f"/api/v1/campaigns/{camp['id']}/ledger").json()
    assert ledger["totals"] == {"total": 8, "closed": 3, "open": 5,
                                "overdue": 2, "cleared": False}
