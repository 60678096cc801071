"""Inspections (督查/督导, issue 5): inspection groups with a leader, members
and assigned units (分包); visits open or unannounced (明查/暗访); findings
fed back on the spot with a deadline (当面反馈、限期整改) that become
problems with source inspection; linked leaders (联点) and their visits."""

import pytest

from duban_client import assert_error
from problem_helpers import make_tree, new_campaign


@pytest.fixture(scope="module")
def server(make_server):
    """The visits below are dated in 2026 and a visit cannot be dated in
    the future: the server's clock stands in December 2026."""
    return make_server(clock="2026-12-04 10:00")


@pytest.fixture(scope="module")
def tree(server, admin):
    return make_tree(server, admin)


@pytest.fixture(scope="module")
def campaign(tree):
    return new_campaign(tree, title="作风建设督查")


def uid(tree, name):
    return tree.users[name]["id"]


@pytest.fixture(scope="module")
def group(tree, campaign):
    r = tree.office.post(
        f"/api/v1/campaigns/{campaign['id']}/inspection-groups",
        json={"name": "第一督查组", "leader_id": uid(tree, "leader"),
              "member_ids": [uid(tree, "inspector")],
              "unit_ids": [tree.a, tree.b], "note": "分包兴城市、绥中县"})
    assert r.status_code == 201, r.text
    return r.json()


def visit_body(units, **over):
    b = {"kind": "open", "visited_on": "2026-02-13", "place": "兴城市政务服务中心",
         "unit_ids": units, "notes": "现场查看窗口服务"}
    b.update(over)
    return b


def problem(s, pid):
    r = s.get(f"/api/v1/problems/{pid}")
    assert r.status_code == 200, r.text
    return r.json()


def count(s, campaign_id):
    r = s.get(f"/api/v1/problems?campaign_id={campaign_id}&per_page=1")
    return r.json()["total"]


# --- groups -----------------------------------------------------------------------

def test_group_is_created_by_the_office(tree, campaign, group):
    assert group["name"] == "第一督查组"
    assert group["campaign_id"] == campaign["id"]
    assert group["leader_id"] == uid(tree, "leader")
    assert group["leader_name"] == "leader"
    assert [m["id"] for m in group["members"]] == [uid(tree, "inspector")]
    assert group["unit_ids"] == sorted([tree.a, tree.b])
    assert group["version"] == 1
    r = tree.liaison_a.get(f"/api/v1/inspection-groups/{group['id']}")
    assert r.status_code == 200 and r.json()["name"] == "第一督查组"
    r = tree.office.get(f"/api/v1/campaigns/{campaign['id']}/inspection-groups")
    assert r.status_code == 200
    assert [g["id"] for g in r.json()["items"]] == [group["id"]]
    assert_error(tree.liaison_x.get(f"/api/v1/inspection-groups/{group['id']}"),
                 403)


@pytest.mark.parametrize("who", ["liaison", "inspector", "leader"])
def test_only_the_office_manages_groups(tree, campaign, who):
    r = getattr(tree, who).post(
        f"/api/v1/campaigns/{campaign['id']}/inspection-groups",
        json={"name": "x", "leader_id": uid(tree, "leader"),
              "unit_ids": [tree.a]})
    assert_error(r, 403)


@pytest.mark.parametrize("over, field", [
    ({"leader_id": "liaison"}, "leader_id"),      # not a leader or inspector
    ({"leader_id": 999999}, "leader_id"),
    ({"member_ids": ["liaison_a"]}, "member_ids"),
    ({"unit_ids": []}, "unit_ids"),
    ({"unit_ids": ["a", "a"]}, "unit_ids"),
    ({"name": " "}, "name"),
])
def test_invalid_group_is_422(tree, campaign, over, field):
    body = {"name": "第二督查组", "leader_id": uid(tree, "leader"),
            "member_ids": [], "unit_ids": [tree.a]}
    for k, v in over.items():
        if k == "leader_id" and isinstance(v, str):
            v = uid(tree, v)
        elif k == "member_ids":
            v = [uid(tree, x) for x in v]
        elif k == "unit_ids":
            v = [getattr(tree, x) for x in v]
        body[k] = v
    r = tree.office.post(
        f"/api/v1/campaigns/{campaign['id']}/inspection-groups", json=body)
    assert_error(r, 422, field=field)


def test_group_units_must_be_in_scope(tree, campaign):
    r = tree.office.post(
        f"/api/v1/campaigns/{campaign['id']}/inspection-groups",
        json={"name": "越界组", "leader_id": uid(tree, "leader"),
              "unit_ids": [tree.x]})
    assert_error(r, 403, field="unit_ids")


def test_update_group_with_version(tree, campaign):
    r = tree.office.post(
        f"/api/v1/campaigns/{campaign['id']}/inspection-groups",
        json={"name": "第三督查组", "leader_id": uid(tree, "inspector2"),
              "unit_ids": [tree.d]})
    assert r.status_code == 201, r.text
    g = r.json()
    r = tree.office.patch(f"/api/v1/inspection-groups/{g['id']}",
                          json={"name": "第三督导组", "unit_ids": [tree.d, tree.b],
                                "member_ids": [uid(tree, "inspector")],
                                "version": 1})
    assert r.status_code == 200, r.text
    g2 = r.json()
    assert g2["name"] == "第三督导组" and g2["version"] == 2
    assert g2["unit_ids"] == sorted([tree.b, tree.d])
    assert [m["id"] for m in g2["members"]] == [uid(tree, "inspector")]
    r = tree.office.patch(f"/api/v1/inspection-groups/{g['id']}",
                          json={"name": "过期", "version": 1})
    assert_error(r, 409, code="stale_version")


# --- visits and findings ------------------------------------------------------------

def test_finding_becomes_a_problem_with_the_deadline_given_on_the_spot(
        tree, campaign, group):
    body = visit_body([tree.a], findings=[
        {"description": "窗口人员脱岗", "measures": "立即整改、通报批评",
         "responsible_name": "窗口负责人", "category": "不想为",
         "due_workdays": 1},
        {"description": "办事指南未公开", "due_on": "2026-03-15",
         "person_name": "王某"}])
    r = tree.inspector.post(f"/api/v1/inspection-groups/{group['id']}/visits",
                            json=body)
    assert r.status_code == 201, r.text
    v = r.json()
    assert (v["kind"], v["visited_on"], v["group_id"], v["link_id"]) == \
        ("open", "2026-02-13", group["id"], None)
    assert v["unit_ids"] == [tree.a]
    assert v["recorded_by"] == tree.users["inspector"]["username"]
    f1, f2 = v["findings"]
    p1 = problem(tree.office, f1["id"])
    assert (p1["source"], p1["unit_id"], p1["campaign_id"]) == \
        ("inspection", tree.a, campaign["id"])
    # found on the day of the visit; one working day later is the Saturday
    # worked before the Spring Festival
    assert (p1["found_on"], p1["due_on"]) == ("2026-02-13", "2026-02-14")
    assert p1["status"] == "open" and p1["measures"] == "立即整改、通报批评"
    p2 = problem(tree.office, f2["id"])
    assert (p2["due_on"], p2["person_name"]) == ("2026-03-15", "王某")
    # the unit sees the problems the inspection opened
    assert problem(tree.liaison_a, f1["id"])["id"] == f1["id"]
    r = tree.office.get(f"/api/v1/problems?campaign_id={campaign['id']}"
                        "&source=inspection")
    assert {p["id"] for p in r.json()["items"]} >= {f1["id"], f2["id"]}


def test_findings_added_after_the_visit(tree, campaign, group):
    r = tree.leader.post(f"/api/v1/inspection-groups/{group['id']}/visits",
                         json=visit_body([tree.a, tree.b], kind="unannounced",
                                         visited_on="2026-03-02"))
    assert r.status_code == 201, r.text
    v = r.json()
    assert v["kind"] == "unannounced" and v["findings"] == []
    before = count(tree.office, campaign["id"])
    # the unit must be one the visit went to, and named when there were two
    for finding, field in (
            ({"description": "x", "due_on": "2026-03-10"}, "findings[0].unit_id"),
            ({"unit_id": tree.d, "description": "x", "due_on": "2026-03-10"},
             "findings[0].unit_id"),
            ({"unit_id": tree.b, "due_on": "2026-03-10"},
             "findings[0].description"),
            ({"unit_id": tree.b, "description": "x"}, "findings[0].due_on"),
            ({"unit_id": tree.b, "description": "x", "due_on": "2026-03-01"},
             "findings[0].due_on"),                 # before the visit
            ({"unit_id": tree.b, "description": "x", "due_on": "2026-03-10",
              "source": "self"}, "findings[0].source")):
        r = tree.inspector.post(f"/api/v1/visits/{v['id']}/findings",
                                json={"findings": [finding]})
        assert_error(r, 422, field=field)
    # all or none: the second finding is bad, the first is not written
    r = tree.inspector.post(f"/api/v1/visits/{v['id']}/findings", json={
        "findings": [{"unit_id": tree.b, "description": "好", "due_on":
                      "2026-03-10"},
                     {"unit_id": tree.d, "description": "坏", "due_on":
                      "2026-03-10"}]})
    assert_error(r, 422, field="findings[1].unit_id")
    assert count(tree.office, campaign["id"]) == before
    r = tree.inspector.post(f"/api/v1/visits/{v['id']}/findings", json={
        "findings": [{"unit_id": tree.b, "description": "台账不全",
                      "due_workdays": 5, "immediate": False}]})
    assert r.status_code == 201, r.text
    (f,) = r.json()["findings"]
    p = problem(tree.office, f["id"])
    assert (p["source"], p["unit_id"], p["found_on"], p["due_on"]) == \
        ("inspection", tree.b, "2026-03-02", "2026-03-09")
    assert count(tree.office, campaign["id"]) == before + 1


def test_visit_rules(tree, campaign, group):
    url = f"/api/v1/inspection-groups/{group['id']}/visits"
    # not one of the group
    assert_error(tree.inspector2.post(url, json=visit_body([tree.a])), 403,
                 code="not_member")
    # a unit not assigned to the group
    assert_error(tree.inspector.post(url, json=visit_body([tree.d])), 403,
                 code="not_assigned")
    # roles
    assert_error(tree.liaison.post(url, json=visit_body([tree.a])), 403)
    for over, field in (({"kind": "secret"}, "kind"),
                        ({"visited_on": "2099-01-01"}, "visited_on"),
                        ({"visited_on": "2026-02-30"}, "visited_on"),
                        ({"unit_ids": []}, "unit_ids"),
                        ({"findings": [{"description": "x", "due_on":
                                        "2026-03-01", "color": "red"}]},
                         "findings[0].color")):
        assert_error(tree.inspector.post(url, json=visit_body([tree.a],
                                                              **over)),
                     422, field=field)
    assert_error(tree.inspector.post("/api/v1/inspection-groups/999999/visits",
                                     json=visit_body([tree.a])), 404)


def test_reading_visits(tree, campaign, group):
    r = tree.inspector.post(f"/api/v1/inspection-groups/{group['id']}/visits",
                            json=visit_body([tree.a, tree.b], findings=[
                                {"unit_id": tree.a, "description": "甲问题",
                                 "due_on": "2026-03-31"},
                                {"unit_id": tree.b, "description": "乙问题",
                                 "due_on": "2026-03-31"}]))
    assert r.status_code == 201, r.text
    v = r.json()
    # the group and the office see everything
    for who in (tree.inspector, tree.leader, tree.office):
        got = who.get(f"/api/v1/visits/{v['id']}?as_of=2026-04-01").json()
        assert len(got["findings"]) == 2
        assert all(f["overdue"] for f in got["findings"])
    # a visited unit sees the visit and its own findings only
    got = tree.liaison_a.get(f"/api/v1/visits/{v['id']}").json()
    assert [f["description"] for f in got["findings"]] == ["甲问题"]
    assert_error(tree.liaison_x.get(f"/api/v1/visits/{v['id']}"), 403)
    r = tree.liaison_a.get(f"/api/v1/inspection-groups/{group['id']}/visits")
    assert r.status_code == 200
    ids = [x["id"] for x in r.json()["items"]]
    assert v["id"] in ids
    r = tree.office.get(f"/api/v1/inspection-groups/{group['id']}/visits"
                        "?per_page=100")
    assert r.json()["total"] >= len(ids)


# --- linked leaders ---------------------------------------------------------------

@pytest.fixture(scope="module")
def link(tree, campaign):
    r = tree.office.post("/api/v1/leader-links", json={
        "campaign_id": campaign["id"], "leader_id": uid(tree, "leader2"),
        "unit_ids": [tree.a, tree.d], "note": "联点兴城市、市发改委"})
    assert r.status_code == 201, r.text
    return r.json()


def test_leader_link(tree, campaign, link):
    assert link["leader_id"] == uid(tree, "leader2")
    assert link["unit_ids"] == sorted([tree.a, tree.d])
    r = tree.office.post("/api/v1/leader-links", json={
        "campaign_id": campaign["id"], "leader_id": uid(tree, "leader2"),
        "unit_ids": [tree.b]})
    assert_error(r, 409, code="duplicate")
    r = tree.office.post("/api/v1/leader-links", json={
        "campaign_id": campaign["id"], "leader_id": uid(tree, "inspector"),
        "unit_ids": [tree.b]})
    assert_error(r, 422, field="leader_id")
    assert_error(tree.liaison.post("/api/v1/leader-links", json={
        "campaign_id": campaign["id"], "leader_id": uid(tree, "leader"),
        "unit_ids": [tree.b]}), 403)
    # the leader lists their own links; the office lists the campaign's
    r = tree.leader2.get("/api/v1/leader-links")
    assert [x["id"] for x in r.json()["items"]] == [link["id"]]
    r = tree.office.get(f"/api/v1/leader-links?campaign_id={campaign['id']}")
    assert link["id"] in [x["id"] for x in r.json()["items"]]
    assert_error(tree.office.get("/api/v1/leader-links?leader_id="
                                 f"{uid(tree, 'leader2')}"), 422,
                 field="campaign_id")
    r = tree.office.patch(f"/api/v1/leader-links/{link['id']}",
                          json={"note": "联点", "version": 1})
    assert r.status_code == 200 and r.json()["version"] == 2


def test_linked_leader_records_visits_the_same_way(tree, campaign, link):
    url = f"/api/v1/leader-links/{link['id']}/visits"
    r = tree.leader2.post(url, json=visit_body(
        [tree.d], kind="unannounced", visited_on="2026-02-13",
        place="市发改委", findings=[{"description": "审批超时",
                                  "due_workdays": 2}]))
    assert r.status_code == 201, r.text
    v = r.json()
    assert (v["link_id"], v["group_id"], v["kind"]) == \
        (link["id"], None, "unannounced")
    p = problem(tree.office, v["findings"][0]["id"])
    assert (p["source"], p["unit_id"], p["found_on"], p["due_on"]) == \
        ("inspection", tree.d, "2026-02-13", "2026-02-24")
    # another leader, and a unit not linked
    assert_error(tree.leader.post(url, json=visit_body([tree.d])), 403,
                 code="not_member")
    assert_error(tree.leader2.post(url, json=visit_body([tree.b])), 403,
                 code="not_assigned")
    assert_error(tree.inspector.post(url, json=visit_body([tree.d])), 403)
    r = tree.leader2.get(url)
    assert [x["id"] for x in r.json()["items"]] == [v["id"]]
