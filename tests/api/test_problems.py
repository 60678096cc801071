"""Problems and the rectification ledger (整改台账, issue 5): the workflow
through every state and every illegal move, who may make which move, stale
versions, deadlines in working days, the ledger and its exports.

    open -> rectifying -> rectified -> closed (销号)
                          rectified -> returned -> rectifying
                                       closed -> reopened -> rectifying
"""

import csv
import datetime
import io

import openpyxl
import pytest

from duban_client import assert_error
from problem_helpers import (PATH_TO, create_problem, make_tree, move,
                             must_move, new_campaign, problem_body,
                             problem_in)

STATES = ["open", "rectifying", "rectified", "returned", "closed", "reopened"]
ALLOWED = {("open", "rectifying"), ("rectifying", "rectified"),
           ("rectified", "closed"), ("rectified", "returned"),
           ("returned", "rectifying"), ("closed", "reopened"),
           ("reopened", "rectifying")}
OFFICE_ONLY = {("rectified", "closed"), ("rectified", "returned"),
               ("closed", "reopened")}


@pytest.fixture(scope="module")
def tree(server, admin):
    return make_tree(server, admin)


@pytest.fixture(scope="module")
def campaign(tree):
    return new_campaign(tree, title="关于开展作风建设年活动的实施方案")


# --- creating and reading ---------------------------------------------------

def test_create_problem(tree, campaign):
    p = create_problem(tree.liaison_a, campaign["id"], tree.a,
                       person_name="李四", source="audit",
                       audit_kind="巡视巡察", immediate=True)
    assert p["status"] == "open" and p["version"] == 1
    assert (p["unit_id"], p["campaign_id"]) == (tree.a, campaign["id"])
    assert (p["found_on"], p["due_on"]) == ("2026-01-05", "2026-03-31")
    assert p["person_name"] == "李四" and p["audit_kind"] == "巡视巡察"
    assert p["immediate"] is True
    r = tree.office.get(f"/api/v1/problems/{p['id']}?as_of=2026-03-31")
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["overdue"] is False
    assert [(e["from"], e["to"]) for e in got["history"]] == [(None, "open")]
    r = tree.office.get(f"/api/v1/problems/{p['id']}?as_of=2026-04-01")
    assert r.json()["overdue"] is True


@pytest.mark.parametrize("over, field", [
    ({"source": "rumour"}, "source"),
    ({"description": None}, "description"),
    ({"description": "   "}, "description"),
    ({"due_on": None}, "due_on"),
    ({"due_workdays": 3}, "due_on"),            # both given
    ({"due_on": None, "due_workdays": 0}, "due_workdays"),
    ({"due_on": "2026-02-30"}, "due_on"),
    ({"due_on": "2026-01-04"}, "due_on"),       # before found_on
    ({"category": "乱作为"}, "category"),        # not one of the themes
    ({"unit_id": 999999}, "unit_id"),
])
def test_invalid_problem_is_422_naming_the_field(tree, campaign, over, field):
    body = problem_body(campaign["id"], tree.a)
    body.update({k: v for k, v in over.items() if v is not None})
    for k in [k for k, v in over.items() if v is None]:
        body.pop(k)
    r = tree.office.post("/api/v1/problems", json=body)
    assert_error(r, 422, field=field)


def test_problem_outside_scope(tree, campaign):
    p = create_problem(tree.office, campaign["id"], tree.a)
    assert_error(tree.liaison_x.get(f"/api/v1/problems/{p['id']}"), 403)
    assert_error(tree.liaison_b.get(f"/api/v1/problems/{p['id']}"), 403)
    # a sibling county cannot file a problem against another
    r = tree.liaison_b.post("/api/v1/problems",
                            json=problem_body(campaign["id"], tree.a))
    assert_error(r, 403)
    assert_error(tree.office.get("/api/v1/problems/999999"), 404)


# --- deadlines in working days ------------------------------------------------

@pytest.mark.parametrize("found, days, due", [
    # 2026-02-14 is a Saturday worked before the Spring Festival (调休)
    ("2026-02-13", 1, "2026-02-14"),
    # then nine days off, 2026-02-15 to 2026-02-23
    ("2026-02-13", 2, "2026-02-24"),
    ("2026-02-14", 1, "2026-02-24"),
    ("2026-01-05", 5, "2026-01-12"),
])
def test_due_workdays_follow_the_statutory_calendar(tree, campaign, found,
                                                    days, due):
    p = create_problem(tree.office, campaign["id"], tree.a, found_on=found,
                       due_on=None, due_workdays=days)
    assert p["due_on"] == due


# --- the workflow ---------------------------------------------------------------

def test_walk_through_every_state(tree, campaign):
    p = create_problem(tree.liaison_a, campaign["id"], tree.a)
    steps = [(tree.liaison_a, "rectifying"), (tree.liaison_a, "rectified"),
             (tree.office, "returned"), (tree.liaison_a, "rectifying"),
             (tree.liaison_a, "rectified"), (tree.office, "closed"),
             (tree.office, "reopened"), (tree.liaison_a, "rectifying"),
             (tree.liaison_a, "rectified"), (tree.office, "closed")]
    version = p["version"]
    for who, to in steps:
        p = must_move(who, p, to)
        version += 1
        assert p["status"] == to and p["version"] == version
        if to == "closed":
            assert p["closed_on"] is not None
        else:
            assert p["closed_on"] is None
    r = tree.office.get(f"/api/v1/problems/{p['id']}")
    history = r.json()["history"]
    assert [e["to"] for e in history] == ["open"] + [to for _, to in steps]
    assert [e["from"] for e in history[1:]] == \
        ["open"] + [to for _, to in steps[:-1]]
    assert history[3]["note"] == "整改不到位"              # returned
    assert history[2]["evidence"] == "整改报告及照片"       # rectified
    assert all(e["actor"] and e["at"] for e in history)


@pytest.mark.parametrize("state", STATES)
def test_every_illegal_move_is_409(tree, campaign, state):
    p = problem_in(tree.office, campaign["id"], tree.a, state)
    for to in STATES:
        if (state, to) in ALLOWED:
            continue
        r = move(tree.office, p, to)
        assert_error(r, 409, code="invalid_transition")
    # nothing moved
    r = tree.office.get(f"/api/v1/problems/{p['id']}")
    assert (r.json()["status"], r.json()["version"]) == (state, p["version"])


def test_unknown_target_is_422(tree, campaign):
    p = create_problem(tree.office, campaign["id"], tree.a)
    assert_error(move(tree.office, p, "done"), 422, field="to")


@pytest.mark.parametrize("frm, to", sorted(OFFICE_ONLY))
def test_liaison_cannot_close_return_or_reopen(tree, campaign, frm, to):
    p = problem_in(tree.office, campaign["id"], tree.a, frm)
    for who in (tree.liaison_a, tree.liaison):
        assert_error(move(who, p, to), 403)
    r = tree.office.get(f"/api/v1/problems/{p['id']}")
    assert r.json()["status"] == frm
    assert must_move(tree.office, p, to)["status"] == to


def test_other_roles_cannot_move_problems(tree, campaign):
    p = create_problem(tree.office, campaign["id"], tree.a)
    for who in (tree.inspector, tree.leader):
        assert_error(move(who, p, "rectifying"), 403)


def test_stale_version_is_409(tree, campaign):
    p = create_problem(tree.liaison_a, campaign["id"], tree.a)
    moved = must_move(tree.liaison_a, p, "rectifying")
    r = move(tree.liaison_a, p, "rectified")          # version 1, now 2
    assert_error(r, 409, code="stale_version", field="version")
    r = tree.office.get(f"/api/v1/problems/{p['id']}")
    assert r.json()["status"] == "rectifying"
    assert must_move(tree.liaison_a, moved, "rectified")["version"] == 3


def test_a_move_needs_its_evidence_or_reason(tree, campaign):
    p = problem_in(tree.office, campaign["id"], tree.a, "rectifying")
    assert_error(move(tree.liaison_a, p, "rectified", evidence=None), 422,
                 field="evidence")
    p = must_move(tree.liaison_a, p, "rectified")
    assert_error(move(tree.office, p, "returned", note=None), 422,
                 field="note")


# --- the ledger ---------------------------------------------------------------

def ledger(s, campaign_id, as_of):
    r = s.get(f"/api/v1/campaigns/{campaign_id}/ledger?as_of={as_of}")
    assert r.status_code == 200, r.text
    return {u["unit_id"]: u for u in r.json()["units"]}, r.json()


def test_ledger_counts_and_cleared_to_zero(tree):
    c = new_campaign(tree)
    a1 = problem_in(tree.office, c["id"], tree.a, "closed")
    a2 = problem_in(tree.office, c["id"], tree.a, "rectified")
    problem_in(tree.office, c["id"], tree.b, "open", due_on="2026-02-27")
    problem_in(tree.office, c["id"], tree.b, "returned")
    units, body = ledger(tree.office, c["id"], "2026-03-01")
    assert set(units) == {tree.a, tree.b}
    a, b = units[tree.a], units[tree.b]
    assert (a["total"], a["closed"], a["open"], a["overdue"]) == (2, 1, 1, 0)
    assert a["cleared"] is False
    assert (b["total"], b["closed"], b["open"], b["overdue"]) == (2, 0, 2, 1)
    assert b["cleared"] is False
    assert b["by_status"]["open"] == 1 and b["by_status"]["returned"] == 1
    assert body["totals"]["total"] == 4 and body["totals"]["overdue"] == 1
    # 见底清零: every problem of A closed
    must_move(tree.office, a2, "closed")
    units, _ = ledger(tree.office, c["id"], "2026-03-01")
    assert units[tree.a]["cleared"] is True
    assert units[tree.a]["closed"] == units[tree.a]["total"] == 2
    # the city sees its subtree rolled up; a reopened problem un-clears
    must_move(tree.office, a1, "reopened")
    units, body = ledger(tree.office, c["id"], "2026-03-01")
    assert units[tree.a]["cleared"] is False
    subtree = {u["unit_id"]: u for u in body["subtrees"]}
    assert subtree[tree.city]["total"] == 4
    # a unit reads its own part only
    units, _ = ledger(tree.liaison_a, c["id"], "2026-03-01")
    assert set(units) == {tree.a}


def test_overdue_filter(tree):
    c = new_campaign(tree)
    late = create_problem(tree.office, c["id"], tree.a, due_on="2026-03-31")
    problem_in(tree.office, c["id"], tree.a, "rectified",
               due_on="2026-03-31")                      # waits on the office
    create_problem(tree.office, c["id"], tree.a, due_on="2026-06-30")

    def listed(as_of):
        r = tree.office.get(f"/api/v1/problems?campaign_id={c['id']}"
                            f"&overdue=true&as_of={as_of}")
        assert r.status_code == 200, r.text
        return [p["id"] for p in r.json()["items"]]

    assert listed("2026-03-31") == []
    assert listed("2026-04-01") == [late["id"]]
    r = tree.office.get(f"/api/v1/problems?campaign_id={c['id']}")
    assert r.json()["total"] == 3
    assert_error(tree.office.get("/api/v1/problems?overdue=maybe"), 422,
                 field="overdue")


# --- exports ------------------------------------------------------------------

HEADERS = ["序号", "单位", "问题来源", "问题类别", "问题描述", "整改措施",
           "责任人", "整改时限", "整改进展", "状态", "销号日期"]


@pytest.fixture(scope="module")
def exported(tree):
    c = new_campaign(tree)
    late = create_problem(tree.office, c["id"], tree.a, due_on="2026-03-31",
                          description="=cmd|' /C calc'!A0")
    closed = problem_in(tree.office, c["id"], tree.a, "closed",
                        due_on="2026-06-30", person_name="王五")
    fine = create_problem(tree.office, c["id"], tree.b, due_on="2026-06-30",
                          source="audit", audit_kind="统计督察")
    return c, late, closed, fine


def test_xlsx_export_opens_in_openpyxl(tree, exported):
    c, late, closed, fine = exported
    r = tree.office.get(f"/api/v1/campaigns/{c['id']}/ledger.xlsx"
                        "?as_of=2026-04-01")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in r.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    assert ws.title == "整改台账"
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:K4"
    rows = [[c for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[0].value for r in rows] == [1, 2, 3]
    by_desc = {r[4].value: r for r in rows}
    row = by_desc[late["description"]]
    assert row[1].value == "兴城市" and row[2].value == "自己找"
    assert row[3].value == "不想为" and row[9].value == "待整改"
    assert row[7].is_date
    assert row[7].value == datetime.datetime(2026, 3, 31)
    assert row[10].value is None
    # an overdue row stands out
    assert row[4].fill.fgColor.rgb.upper().endswith("FCE4D6")
    crow = by_desc[closed["description"]]
    assert crow[1].value == "兴城市(王五)"
    assert crow[9].value == "已销号"
    assert crow[10].is_date and crow[10].value is not None
    assert not crow[4].fill.fgColor.rgb.upper().endswith("FCE4D6")
    frow = by_desc[fine["description"]]
    assert frow[1].value == "绥中县" and frow[2].value == "统计督察"
    # column widths that fit: the description column is the widest
    assert ws.column_dimensions["E"].width > ws.column_dimensions["A"].width


def test_csv_export(tree, exported):
    c, late, closed, fine = exported
    r = tree.office.get(f"/api/v1/campaigns/{c['id']}/ledger.csv"
                        "?as_of=2026-04-01")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert len(rows) == 4
    by_desc = {row[4]: row for row in rows[1:]}
    # a formula is defused with a leading quote
    assert "'" + late["description"] in by_desc
    row = by_desc["'" + late["description"]]
    assert row[7] == "2026-03-31" and row[9] == "待整改" and row[10] == ""
    assert by_desc[closed["description"]][9] == "已销号"
    assert by_desc[closed["description"]][10] != ""


def test_exports_are_scoped(tree, exported):
    c = exported[0]
    r = tree.liaison_a.get(f"/api/v1/campaigns/{c['id']}/ledger.csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} <= {"兴城市", "兴城市(王五)"}
    assert_error(tree.liaison_x.get(f"/api/v1/campaigns/{c['id']}/"
                                    "ledger.xlsx"), 403)
