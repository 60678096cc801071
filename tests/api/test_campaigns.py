"""Campaigns (行动): create with phases and categories, read with the
current phase, scope, adoption down the tree; item lists with quotas
(事项清单, seeds/000 §二.三: each city 4 items, each department 2, due 7/15).

    root
    ├── 葫芦岛市 (office, liaison)
    │   ├── 兴城市 A   (office_a, liaison_a)
    │   ├── 绥中县 B   (liaison_b)
    │   ├── 建昌县 E
    │   └── 市发改委 D (department)
    └── 锦州市 (office_x)          another branch
        └── 凌海市 (a county, never in 葫芦岛's quotas)
"""

import datetime

import pytest

from duban_client import (HULUDAO_CATEGORIES, USER_PASSWORD, assert_error,
                          campaign_body, create_campaign, create_unit,
                          create_user, cst_today, login, root_unit_id,
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
    t.e = create_unit(admin, t.city, kind="county", name="建昌县")["id"]
    t.d = create_unit(admin, t.city, kind="department", name="市发改委")["id"]
    t.x = create_unit(admin, t.root, kind="city", name="锦州市")["id"]
    t.x1 = create_unit(admin, t.x, kind="county", name="凌海市")["id"]
    for attr, unit, roles in (("office", t.city, ["office"]),
                              ("liaison", t.city, ["liaison"]),
                              ("office_a", t.a, ["office"]),
                              ("liaison_a", t.a, ["liaison"]),
                              ("liaison_b", t.b, ["liaison"]),
                              ("office_x", t.x, ["office"])):
        u = create_user(admin, unit, roles, username=unique(attr))
        setattr(t, attr, login(server.url, u["username"], USER_PASSWORD))
    return t


@pytest.fixture(scope="module")
def campaign(tree):
    return create_campaign(tree.office, tree.city,
                           title="关于开展“作风建设年”活动的实施方案")


def ids_listed(s):
    r = s.get("/api/v1/campaigns?per_page=100")
    assert r.status_code == 200, r.text
    return {c["id"] for c in r.json()["items"]}


# --- creating -------------------------------------------------------------

def test_create_campaign(tree):
    b = campaign_body(tree.city, title="葫芦岛市作风建设年活动",
                      themes=["不能为", "不想为", "不敢为"])
    r = tree.office.post("/api/v1/campaigns", json=b)
    assert r.status_code == 201, r.text
    c = r.json()
    assert isinstance(c["id"], int)
    assert c["title"] == "葫芦岛市作风建设年活动"
    assert c["doc_number"] == "葫政办发〔2021〕16号"
    assert c["unit_id"] == tree.city
    assert (c["starts_on"], c["ends_on"]) == ("2021-01-01", "2021-12-31")
    assert [p["name"] for p in c["phases"]] == ["动员部署", "攻坚推进", "总结提升"]
    assert all(isinstance(p["id"], int) for p in c["phases"])
    assert len({p["id"] for p in c["phases"]}) == 3
    assert [(p["starts_on"], p["ends_on"]) for p in c["phases"]] == [
        ("2021-01-01", "2021-01-31"), ("2021-02-01", "2021-09-30"),
        ("2021-10-01", "2021-12-31")]
    assert [(k["code"], k["name"], k["planned_tasks"])
            for k in c["categories"]] == [
        (k["code"], k["name"], k["planned_tasks"]) for k in HULUDAO_CATEGORIES]
    assert sum(k["planned_tasks"] for k in c["categories"]) == 137
    assert c["themes"] == ["不能为", "不想为", "不敢为"]
    # the light settings default to 3 working days and the 5th working day
    assert c["due_soon_workdays"] == 3
    assert c["report_due_workday"] == 5
    # and it reads back the same
    again = tree.office.get(f"/api/v1/campaigns/{c['id']}").json()
    for k in ("title", "phases", "categories", "themes", "unit_id"):
        assert again[k] == c[k]


def test_light_settings_are_kept(tree):
    c = create_campaign(tree.office, tree.city, due_soon_workdays=5,
                        report_due_workday=10)
    got = tree.office.get(f"/api/v1/campaigns/{c['id']}").json()
    assert (got["due_soon_workdays"], got["report_due_workday"]) == (5, 10)


@pytest.mark.parametrize("over,field", [
    ({"starts_on": "2021-06-01", "ends_on": "2021-05-31"}, "ends_on"),
    ({"phases": [
        {"name": "动员部署", "starts_on": "2021-01-01", "ends_on": "2021-01-31"},
        {"name": "查摆问题", "starts_on": "2020-12-20",
         "ends_on": "2021-02-20"}]}, "phases[1].starts_on"),
    ({"phases": [
        {"name": "动员部署", "starts_on": "2021-01-01", "ends_on": "2021-01-31"},
        {"name": "总结深化", "starts_on": "2021-10-01",
         "ends_on": "2022-01-20"}]}, "phases[1].ends_on"),
    ({"categories": [
        {"code": "ZDZB", "name": "重点指标", "planned_tasks": 13},
        {"code": "ZDZB", "name": "重大项目", "planned_tasks": 6}]},
     "categories[1].code"),
    ({"phases": [{"name": "查摆问题", "starts_on": "2021-08-20",
                  "ends_on": "2021-08-01"}]}, "phases[0].ends_on"),
    ({"categories": [{"code": "ZDZB", "name": "重点指标",
                      "planned_tasks": -1}]}, "categories[0].planned_tasks"),
    ({"title": None}, "title"),
    ({"title": "   "}, "title"),
    ({"starts_on": "2021-02-30"}, "starts_on"),
    ({"report_due_workday": 0}, "report_due_workday"),
    ({"due_soon_workdays": 61}, "due_soon_workdays"),
], ids=["ends-before-start", "phase-starts-early", "phase-ends-late",
        "duplicate-category", "phase-backwards", "negative-planned",
        "no-title", "blank-title", "bad-date", "report-day-0",
        "due-soon-61"])
def test_invalid_campaign_is_422_naming_the_field(tree, over, field):
    before = ids_listed(tree.office)
    b = campaign_body(tree.city, **over)
    assert_error(tree.office.post("/api/v1/campaigns", json=b), 422,
                 field=field)
    # nothing half-written
    assert ids_listed(tree.office) == before


def test_only_the_office_creates_campaigns(tree):
    before = ids_listed(tree.office)
    assert_error(tree.liaison.post("/api/v1/campaigns",
                                   json=campaign_body(tree.city)), 403)
    assert ids_listed(tree.office) == before


def test_campaign_for_a_unit_outside_the_subtree_is_403(tree):
    # the county office cannot issue a campaign in the city's name, nor the
    # city office one in another city's
    assert_error(tree.office_a.post("/api/v1/campaigns",
                                    json=campaign_body(tree.city)), 403)
    assert_error(tree.office.post("/api/v1/campaigns",
                                  json=campaign_body(tree.x)), 403)


# --- the current phase ----------------------------------------------------

@pytest.fixture(scope="module")
def county_001(tree):
    """The phases of seeds/001: they share their boundary days."""
    return create_campaign(
        tree.office_a, tree.a, title="作风纪律专项整治", starts_on="2021-02-24",
        ends_on="2021-12-31", categories=[], phases=[
            {"name": "全面自查自纠", "starts_on": "2021-02-24",
             "ends_on": "2021-03-10"},
            {"name": "整改落实", "starts_on": "2021-03-10",
             "ends_on": "2021-06-10"},
            {"name": "巩固提升", "starts_on": "2021-06-10",
             "ends_on": "2021-12-10"}])


@pytest.mark.parametrize("as_of,phase", [
    ("2021-02-23", None),            # before the campaign
    ("2021-02-24", "全面自查自纠"),
    ("2021-03-09", "全面自查自纠"),
    ("2021-03-10", "整改落实"),       # the new phase starts that day
    ("2021-06-09", "整改落实"),
    ("2021-06-10", "巩固提升"),
    ("2021-12-10", "巩固提升"),
    ("2021-12-11", None),            # after the last phase, in the period
    ("2022-03-01", None),
])
def test_current_phase(tree, county_001, as_of, phase):
    r = tree.office_a.get(f"/api/v1/campaigns/{county_001['id']}"
                          f"?as_of={as_of}")
    assert r.status_code == 200, r.text
    assert r.json()["current_phase"] == phase


def test_bad_as_of_is_422(tree, campaign):
    r = tree.office.get(f"/api/v1/campaigns/{campaign['id']}?as_of=2021-13-01")
    assert_error(r, 422, field="as_of")


# --- who reads it ---------------------------------------------------------

def test_units_below_read_the_campaign(tree, campaign):
    for s in (tree.office, tree.liaison, tree.office_a, tree.liaison_a,
              tree.liaison_b):
        r = s.get(f"/api/v1/campaigns/{campaign['id']}?as_of=2021-03-01")
        assert r.status_code == 200, r.text
        assert r.json()["title"] == "关于开展“作风建设年”活动的实施方案"
        assert r.json()["current_phase"] == "攻坚推进"
        assert campaign["id"] in ids_listed(s)


def test_another_branch_cannot_read_it(tree, campaign):
    r = tree.office_x.get(f"/api/v1/campaigns/{campaign['id']}")
    assert_error(r, 403)
    assert "作风建设年" not in r.text
    assert campaign["id"] not in ids_listed(tree.office_x)


def test_a_county_campaign_is_not_read_by_its_neighbour(tree, county_001):
    assert_error(tree.liaison_b.get(f"/api/v1/campaigns/{county_001['id']}"),
                 403)
    assert county_001["id"] not in ids_listed(tree.liaison_b)
    # the city above reads it
    assert tree.office.get(
        f"/api/v1/campaigns/{county_001['id']}").status_code == 200
    assert county_001["id"] in ids_listed(tree.office)


def test_unknown_campaign_is_404(tree):
    assert_error(tree.office.get("/api/v1/campaigns/987654"), 404)


def test_list_is_paged(tree, campaign, county_001):
    r = tree.office.get("/api/v1/campaigns?per_page=1&page=2")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["page"], body["per_page"]) == (2, 1)
    assert len(body["items"]) == 1
    assert body["total"] == len(ids_listed(tree.office)) >= 2


# --- adoption down the tree (各市县参照) ----------------------------------

def test_county_adopts_the_city_campaign(tree, campaign):
    c = create_campaign(tree.office_a, tree.a, parent_id=campaign["id"],
                        title="兴城市贯彻落实方案", doc_number="兴政办发〔2021〕3号")
    assert c["parent_id"] == campaign["id"]
    assert c["unit_id"] == tree.a
    got = tree.liaison_a.get(f"/api/v1/campaigns/{c['id']}").json()
    assert got["parent_id"] == campaign["id"]


def test_cannot_adopt_a_campaign_from_elsewhere(tree, county_001):
    # county A's own campaign was not issued above the city
    before = ids_listed(tree.office)
    r = tree.office.post("/api/v1/campaigns", json=campaign_body(
        tree.city, parent_id=county_001["id"]))
    assert_error(r, 422, field="parent_id")
    # nor can the other city adopt it, nor anything that does not exist
    r = tree.office_x.post("/api/v1/campaigns", json=campaign_body(
        tree.x, parent_id=county_001["id"]))
    assert_error(r, 422, field="parent_id")
    r = tree.office.post("/api/v1/campaigns", json=campaign_body(
        tree.city, parent_id=999999))
    assert_error(r, 422, field="parent_id")
    assert ids_listed(tree.office) == before


# --- item lists and quotas (事项清单) -------------------------------------

def future(days):
    return (cst_today() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def items_campaign(tree):
    return create_campaign(tree.office, tree.city, title="争先创优事项清单")


def declare(s, campaign_id, unit_id, title=None):
    r = s.post(f"/api/v1/campaigns/{campaign_id}/items", json={
        "unit_id": unit_id, "title": title or unique("争先事项"),
        "description": "力争走在全省前列"})
    assert r.status_code == 201, r.text
    return r.json()


def status_of(s, campaign_id, as_of):
    r = s.get(f"/api/v1/campaigns/{campaign_id}/quota-status?as_of={as_of}")
    assert r.status_code == 200, r.text
    return {u["unit_id"]: (u["required"], u["declared"], u["status"])
            for u in r.json()["units"]}


def test_quota_by_kind_reaches_every_county_under_the_campaign(
        tree, items_campaign):
    r = tree.office.post(f"/api/v1/campaigns/{items_campaign['id']}/quotas",
                         json={"unit_kind": "county", "count": 2,
                               "due_on": future(30)})
    assert r.status_code == 201, r.text
    got = {q["unit_id"]: q["required"] for q in r.json()["quotas"]}
    # not the department, not 锦州's county
    assert got == {tree.a: 2, tree.b: 2, tree.e: 2}


def test_quota_by_ids(tree, items_campaign):
    r = tree.office.post(f"/api/v1/campaigns/{items_campaign['id']}/quotas",
                         json={"unit_ids": [tree.d], "count": 1,
                               "due_on": "2021-07-15"})
    assert r.status_code == 201, r.text
    assert [(q["unit_id"], q["required"]) for q in r.json()["quotas"]] == [
        (tree.d, 1)]


@pytest.mark.parametrize("body", [
    {"count": 2, "due_on": "2021-07-15"},
    {"count": 2, "due_on": "2021-07-15", "unit_kind": "county",
     "unit_ids": [1]},
], ids=["neither", "both"])
def test_quota_needs_ids_or_kind(tree, items_campaign, body):
    r = tree.office.post(f"/api/v1/campaigns/{items_campaign['id']}/quotas",
                         json=body)
    err = assert_error(r, 422)
    assert err.get("field") in ("unit_ids", "unit_kind")


def test_quota_is_set_by_the_office_only(tree, items_campaign):
    body = {"unit_ids": [tree.a], "count": 9, "due_on": "2021-07-15"}
    assert_error(tree.liaison.post(
        f"/api/v1/campaigns/{items_campaign['id']}/quotas", json=body), 403)
    # the county office does not manage the city's campaign
    assert_error(tree.office_a.post(
        f"/api/v1/campaigns/{items_campaign['id']}/quotas", json=body), 403)
    assert status_of(tree.office, items_campaign["id"],
                     cst_today().isoformat())[tree.a][0] == 2


def test_declaring_items_and_the_quota_status(tree, items_campaign):
    cid = items_campaign["id"]
    # A declares its two, B only one, E two of which one is returned; the
    # department declares its one, but only now, long after 2021-07-15
    day_before = cst_today().isoformat()
    a1 = declare(tree.liaison_a, cid, tree.a, "兴城市古城旅游提档升级")
    assert a1["status"] == "declared"
    assert a1["unit_id"] == tree.a
    assert a1["created_at"][:10] in (day_before, cst_today().isoformat())
    assert a1["created_at"].endswith("+08:00")
    declare(tree.liaison_a, cid, tree.a)
    declare(tree.liaison_b, cid, tree.b)
    e1 = declare(tree.office, cid, tree.e)
    e2 = declare(tree.office, cid, tree.e)
    declare(tree.office, cid, tree.d)
    r = tree.office.post(f"/api/v1/items/{e2['id']}/review",
                         json={"decision": "return", "comment": "与去年重复"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "returned"
    r = tree.office.post(f"/api/v1/items/{e1['id']}/review",
                         json={"decision": "approve"})
    assert r.json()["status"] == "approved"

    due = future(30)
    today = cst_today().isoformat()
    want_now = {tree.a: (2, 2, "complete"), tree.b: (2, 1, "short"),
                tree.e: (2, 1, "short"), tree.d: (1, 1, "late")}
    assert status_of(tree.office, cid, today) == want_now
    assert status_of(tree.office, cid, due) == want_now
    # the day after the due date the short ones are late
    after = (datetime.date.fromisoformat(due)
             + datetime.timedelta(days=1)).isoformat()
    assert status_of(tree.office, cid, after) == {
        tree.a: (2, 2, "complete"), tree.b: (2, 1, "late"),
        tree.e: (2, 1, "late"), tree.d: (1, 1, "late")}
    # B's liaison sees B only
    assert status_of(tree.liaison_b, cid, today) == {tree.b: (2, 1, "short")}


def test_item_review_rules(tree, items_campaign):
    cid = items_campaign["id"]
    it = declare(tree.liaison_b, cid, tree.b)
    url = f"/api/v1/items/{it['id']}/review"
    # a return needs a reason; a liaison does not review
    assert_error(tree.office.post(url, json={"decision": "return"}), 422,
                 field="comment")
    assert_error(tree.office.post(url, json={"decision": "maybe"}), 422,
                 field="decision")
    assert_error(tree.liaison.post(url, json={"decision": "approve"}), 403)
    r = tree.office.post(url, json={"decision": "approve", "comment": "同意"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved"
    # reviewing twice is a conflict, and changes nothing
    assert_error(tree.office.post(url, json={"decision": "return",
                                             "comment": "改主意"}), 409)
    # B reached its quota with this one
    assert status_of(tree.office, cid, cst_today().isoformat())[tree.b] == (
        2, 2, "complete")


def test_liaison_declares_only_for_its_own_subtree(tree, items_campaign):
    cid = items_campaign["id"]
    before = status_of(tree.office, cid, cst_today().isoformat())
    r = tree.liaison_a.post(f"/api/v1/campaigns/{cid}/items", json={
        "unit_id": tree.b, "title": "替绥中县申报", "description": "越权"})
    assert_error(r, 403)
    r = tree.liaison_a.post(f"/api/v1/campaigns/{cid}/items", json={
        "unit_id": tree.a, "title": ""})
    assert_error(r, 422, field="title")
    assert status_of(tree.office, cid, cst_today().isoformat()) == before


def test_quota_values_are_checked(tree, items_campaign):
    url = f"/api/v1/campaigns/{items_campaign['id']}/quotas"
    before = status_of(tree.office, items_campaign["id"], "2021-07-01")
    for body, field in (
            ({"unit_ids": [tree.a], "count": 0, "due_on": "2021-07-15"},
             "count"),
            ({"unit_ids": [tree.a], "count": 2, "due_on": "2021-07-32"},
             "due_on"),
            ({"unit_kind": "township", "count": 2, "due_on": "2021-07-15"},
             "unit_kind"),
            ({"unit_ids": [987654], "count": 2, "due_on": "2021-07-15"},
             "unit_ids[0]")):
        assert_error(tree.office.post(url, json=body), 422, field=field)
    # a unit of another city is out of scope
    assert_error(tree.office.post(url, json={
        "unit_ids": [tree.x1], "count": 2, "due_on": "2021-07-15"}), 403)
    assert status_of(tree.office, items_campaign["id"], "2021-07-01") == before


def test_items_are_listed_within_scope(tree, items_campaign):
    cid = items_campaign["id"]
    r = tree.liaison_a.get(f"/api/v1/campaigns/{cid}/items?per_page=100")
    assert r.status_code == 200, r.text
    mine = r.json()["items"]
    assert mine and {i["unit_id"] for i in mine} == {tree.a}
    assert r.json()["total"] == len(mine)
    r = tree.office.get(f"/api/v1/campaigns/{cid}/items?per_page=100")
    assert {i["unit_id"] for i in r.json()["items"]} >= {tree.a, tree.b,
                                                          tree.e, tree.d}
    assert_error(tree.liaison_a.get(
        f"/api/v1/campaigns/{cid}/items?unit_id={tree.b}"), 403)
    assert_error(tree.office_x.get(f"/api/v1/campaigns/{cid}/items"), 403)
    assert_error(tree.office_x.get(f"/api/v1/campaigns/{cid}/quota-status"),
                 403)


def test_an_item_for_a_unit_outside_the_campaign_is_422(tree, county_001):
    # county A's own campaign: the city office may reach B, but B is not
    # under A
    r = tree.office.post(f"/api/v1/campaigns/{county_001['id']}/items",
                         json={"unit_id": tree.b, "title": "不属于本行动"})
    assert_error(r, 422, field="unit_id")


def test_late_quota_in_the_past(tree):
    # due 2021-07-15: anything declared today is late, even when complete
    c = create_campaign(tree.office, tree.city)
    r = tree.office.post(f"/api/v1/campaigns/{c['id']}/quotas", json={
        "unit_ids": [tree.a, tree.b], "count": 1, "due_on": "2021-07-15"})
    assert r.status_code == 201, r.text
    declare(tree.liaison_a, c["id"], tree.a)
    assert status_of(tree.office, c["id"], "2021-07-10") == {
        tree.a: (1, 1, "late"), tree.b: (1, 0, "short")}
    assert status_of(tree.office, c["id"], "2021-07-16") == {
        tree.a: (1, 1, "late"), tree.b: (1, 0, "late")}
