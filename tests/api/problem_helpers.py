"""Helpers shared by the problem, import, attachment and inspection suites
(issue 5): a unit tree with people in it, problem bodies, workflow moves.

    root (admin)
    ├── 葫芦岛市 city (office, liaison, inspector, inspector2, leader, leader2)
    │   ├── 兴城市 A    (liaison_a)
    │   ├── 绥中县 B    (liaison_b)
    │   └── 市发改委 D  department
    └── 锦州市 X     (office_x, liaison_x)     another branch
"""

from duban_client import (USER_PASSWORD, campaign_body, create_campaign,
                          create_unit, create_user, login, root_unit_id,
                          unique)

THEMES = ["不能为", "不想为", "不敢为"]


class Tree:
    pass


def make_tree(server, admin):
    t = Tree()
    t.server = server
    t.root = root_unit_id(admin)
    t.city = create_unit(admin, t.root, kind="city", name="葫芦岛市",
                         code=unique("HLD"))["id"]
    t.a_code = unique("XC")
    t.a = create_unit(admin, t.city, kind="county", name="兴城市",
                      code=t.a_code)["id"]
    t.b = create_unit(admin, t.city, kind="county", name="绥中县",
                      code=unique("SZ"))["id"]
    t.d = create_unit(admin, t.city, kind="department", name="市发改委",
                      code=unique("FGW"))["id"]
    t.x = create_unit(admin, t.root, kind="city", name="锦州市",
                      code=unique("JZ"))["id"]
    t.users = {}
    for attr, unit, roles in (("office", t.city, ["office"]),
                              ("liaison", t.city, ["liaison"]),
                              ("inspector", t.city, ["inspector"]),
                              ("inspector2", t.city, ["inspector"]),
                              ("leader", t.city, ["leader"]),
                              ("leader2", t.city, ["leader"]),
                              ("liaison_a", t.a, ["liaison"]),
                              ("liaison_b", t.b, ["liaison"]),
                              ("office_x", t.x, ["office"]),
                              ("liaison_x", t.x, ["liaison"])):
        u = create_user(admin, unit, roles, username=unique(attr),
                        display_name=attr)
        t.users[attr] = u
        setattr(t, attr, login(server.url, u["username"], USER_PASSWORD))
    return t


def new_campaign(t, **over):
    over.setdefault("starts_on", "2026-01-01")
    over.setdefault("ends_on", "2026-12-31")
    over.setdefault("phases", [{"name": "整改落实", "starts_on": "2026-01-01",
                                "ends_on": "2026-12-31"}])
    over.setdefault("themes", THEMES)
    return create_campaign(t.office, t.city, **over)


def problem_body(campaign_id, unit_id, **over):
    """A valid POST /problems body, found on 2026-01-05 and due on
    2026-03-31; ``over`` replaces fields (None removes one)."""
    b = {"campaign_id": campaign_id, "unit_id": unit_id, "source": "self",
         "category": "不想为", "description": unique("会议多、文件多"),
         "measures": "精简会议文件", "responsible_name": "张科长",
         "found_on": "2026-01-05", "due_on": "2026-03-31"}
    for k, v in over.items():
        if v is None:
            b.pop(k, None)
        else:
            b[k] = v
    return b


def create_problem(s, campaign_id, unit_id, **over):
    r = s.post("/api/v1/problems", json=problem_body(campaign_id, unit_id,
                                                     **over))
    assert r.status_code == 201, f"create problem: {r.status_code} {r.text}"
    return r.json()


def move(s, p, to, **extra):
    """POST /problems/{id}/transition from the problem object p (its
    version); returns the response."""
    body = {"to": to, "version": p["version"]}
    if to == "rectified":
        body["evidence"] = "整改报告及照片"
    if to in ("returned", "reopened"):
        body["note"] = "整改不到位"
    body.update(extra)
    return s.post(f"/api/v1/problems/{p['id']}/transition", json=body)


def must_move(s, p, to, **extra):
    r = move(s, p, to, **extra)
    assert r.status_code == 200, f"{p['status']} -> {to}: {r.status_code} {r.text}"
    return r.json()


# the path from open to each status, by the office (which may make every move)
PATH_TO = {
    "open": [],
    "rectifying": ["rectifying"],
    "rectified": ["rectifying", "rectified"],
    "returned": ["rectifying", "rectified", "returned"],
    "closed": ["rectifying", "rectified", "closed"],
    "reopened": ["rectifying", "rectified", "closed", "reopened"],
}


def problem_in(s, campaign_id, unit_id, status, **over):
    p = create_problem(s, campaign_id, unit_id, **over)
    for to in PATH_TO[status]:
        p = must_move(s, p, to)
    assert p["status"] == status
    return p
