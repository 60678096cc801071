"""Public complaints, ratings (好差评) and the three rates (issue 6).

One server for the module (``--public-rate 10000`` so that the public side
is not throttled here, ``--max-body 65536`` for the body-size check).  The
``w`` fixture builds a small tree and walks the whole loop once, keeping what
each step answered, so that the tests below only read it:

    root (the coordination office; admin works here)
    ├── city        (a campaign running today is issued here)
    │   ├── county A    (liaison_a; an old 2021 campaign is issued here)
    │   └── county B    (liaison_b; a campaign running today is issued here)
    └── ...

The loop, for county A:
    c1  filed by the public with no unit (category complex) → the office
        assigns it to A with due_workdays 3 → liaison A replies → internal
        call-back note → rated 1, not resolved (差评 → a problem)
    c2  filed for A → replied → rated 5, resolved
    c3  filed for A → replied → rated 3, resolved
    c4  filed for A → never answered
and c5 for county B → replied → rated 4, not resolved.
The three rates are read before any reply, after the replies, after the
first rating and at the end.
"""

import datetime
import time
import xml.etree.ElementTree as ET

import pytest

from duban_client import (ADMIN_PASSWORD, TRACKING_CODE_RE, USER_PASSWORD,
                          assert_error, calendar_add, complaint_id,
                          create_campaign, create_unit, create_user,
                          cst_today, file_complaint, login, public_get,
                          public_post, root_unit_id, unique)

CONTACT = "13912345678"
CONTACT2 = "13700001111"
CALLBACK_NOTE = "内部回访记录-已电话核实-XJ42"
REPLY = "经核查,已责令窗口整改,并对相关人员批评教育。"
# stored verbatim, whitespace, markup and all
CONTENT = "  窗口人员推诿扯皮 <script>alert(\"x\")</script> & 'q'\n第二行\t制表  "

PUBLIC_COMPLAINTS = "/api/v1/public/complaints"


def day(s):
    return datetime.date.fromisoformat(s)


def rating(base, code, **body):
    return public_post(base, f"{PUBLIC_COMPLAINTS}/{code}/rating", json=body)


def running_campaign(s, unit_id):
    """A campaign issued by ``unit_id`` that runs all of this year (CST)."""
    y = cst_today().year
    return create_campaign(
        s, unit_id, starts_on=f"{y}-01-01", ends_on=f"{y}-12-31",
        phases=[{"name": "全年推进", "starts_on": f"{y}-01-01",
                 "ends_on": f"{y}-12-31"}])


def stats(s, unit_id, today):
    r = s.get("/api/v1/complaints/stats",
              params={"unit_id": unit_id, "from": today, "to": today})
    assert r.status_code == 200, r.text
    return r.json()


def row(rows, unit_id):
    found = [u for u in rows if u["unit_id"] == unit_id]
    assert len(found) == 1, (unit_id, rows)
    return found[0]


def rates(entry):
    return (entry["received"], entry["response_rate"],
            entry["resolution_rate"], entry["satisfaction_rate"])


@pytest.fixture(scope="module")
def server(make_server):
    return make_server("--public-rate", "10000", "--max-body", "65536")


class World:
    pass


@pytest.fixture(scope="module")
def w(server, admin):
    w = World()
    w.url = server.url
    w.admin = admin
    w.root = root_unit_id(admin)
    w.city = create_unit(admin, w.root, kind="city", name=unique("市"))["id"]
    w.a = create_unit(admin, w.city, kind="county", name=unique("A县"))["id"]
    w.b = create_unit(admin, w.city, kind="county", name=unique("B县"))["id"]
    w.liaison_a = login(w.url, create_user(admin, w.a, ["liaison"])[
        "username"], USER_PASSWORD)
    w.liaison_b = login(w.url, create_user(admin, w.b, ["liaison"])[
        "username"], USER_PASSWORD)
    w.leader_city = login(w.url, create_user(admin, w.city, ["leader"])[
        "username"], USER_PASSWORD)
    # the campaign a bad rating of A's must land in: running, issued above A
    w.campaign = running_campaign(admin, w.city)["id"]
    # decoys: issued at A itself but over (2021); running but issued by B,
    # which is not above A (and created later, so "the latest" would pick it)
    w.stale = create_campaign(admin, w.a)["id"]
    w.sibling = running_campaign(admin, w.b)["id"]

    def reply(s, cid, text=REPLY):
        r = s.post(f"/api/v1/complaints/{cid}/reply", json={"reply": text})
        assert r.status_code == 200, r.text
        return r.json()

    def rate(code, score, resolved, **more):
        r = rating(w.url, code, score=score, resolved=resolved, **more)
        assert r.status_code == 201, r.text
        return r.json()

    def public(code):
        r = public_get(w.url, f"{PUBLIC_COMPLAINTS}/{code}")
        assert r.status_code == 200, r.text
        return r

    w.public_bodies = []  # every public answer about c1, raw text

    # c1: the public files with no unit; the office owns it
    r = public_post(w.url, PUBLIC_COMPLAINTS, json={
        "channel": "web", "category": "complex", "content": CONTENT,
        "contact": CONTACT})
    w.filed_status = r.status_code
    w.filed = r.json()
    w.public_bodies.append(r.text)
    w.code = w.filed["tracking_code"]
    w.today = w.filed["received_on"]
    r = public(w.code)
    w.public_received = r.json()
    w.public_bodies.append(r.text)
    r = admin.get("/api/v1/complaints", params={"per_page": 500})
    assert r.status_code == 200, r.text
    w.office_item = next(i for i in r.json()["items"]
                         if i["tracking_code"] == w.code)
    w.c1 = w.office_item["id"]
    w.a_sees_c1_before_assign = complaint_id(w.liaison_a, w.code) is not None
    r = admin.post(f"/api/v1/complaints/{w.c1}/assign",
                   json={"unit_id": w.a, "due_workdays": 3})
    assert r.status_code == 200, r.text
    w.assigned = r.json()
    w.a_sees_c1_after_assign = complaint_id(w.liaison_a, w.code) is not None
    w.b_sees_c1 = complaint_id(w.liaison_b, w.code) is not None

    # c2..c4 for A, c5 for B
    w.codes = {}
    for name, unit in (("c2", w.a), ("c3", w.a), ("c4", w.a), ("c5", w.b)):
        w.codes[name] = file_complaint(w.url, category="conduct",
                                       unit_id=unit,
                                       contact=CONTACT2)["tracking_code"]
    w.ids = {n: complaint_id(admin, c) for n, c in w.codes.items()}
    w.stats0 = stats(admin, w.city, w.today)

    w.replied = reply(w.liaison_a, w.c1)
    r = w.liaison_a.post(f"/api/v1/complaints/{w.c1}/callback",
                         json={"note": CALLBACK_NOTE})
    assert r.status_code == 200, r.text
    r = public(w.code)
    w.public_replied = r.json()
    w.public_bodies.append(r.text)
    reply(w.liaison_a, w.ids["c2"])
    reply(w.liaison_a, w.ids["c3"])
    reply(w.liaison_b, w.ids["c5"])
    w.stats1 = stats(admin, w.city, w.today)

    r = rating(w.url, w.code, score=1, resolved=False)
    w.rated_status = r.status_code
    w.rated = r.json()
    w.public_bodies.append(r.text)
    r = public(w.code)
    w.public_rated = r.json()
    w.public_bodies.append(r.text)
    w.stats2 = stats(admin, w.city, w.today)

    rate(w.codes["c2"], 5, True)
    rate(w.codes["c3"], 3, True)
    rate(w.codes["c5"], 4, False)
    w.stats3 = stats(admin, w.city, w.today)
    r = w.leader_city.get("/api/v1/complaints/stats",
                          params={"from": w.today, "to": w.today})
    assert r.status_code == 200, r.text
    w.leader_stats = r.json()

    r = admin.get(f"/api/v1/complaints/{w.c1}")
    assert r.status_code == 200, r.text
    w.staff_c1 = r.json()
    w.staff = {}
    for n, cid in w.ids.items():
        r = admin.get(f"/api/v1/complaints/{cid}")
        assert r.status_code == 200, r.text
        w.staff[n] = r.json()
    return w


# --- the loop ---------------------------------------------------------------

def test_filing_needs_no_account_and_answers_a_tracking_code(w):
    assert w.filed_status == 201
    assert w.filed["status"] == "received"
    assert TRACKING_CODE_RE.match(w.filed["tracking_code"]), w.filed
    # "today" in China Standard Time (a second may pass midnight meanwhile)
    assert abs((day(w.filed["received_on"]) - cst_today()).days) <= 1


def test_tracking_codes_are_unique_and_avoid_look_alikes(w):
    codes = [file_complaint(w.url)["tracking_code"] for _ in range(25)]
    codes.append(w.code)
    assert len(set(codes)) == len(codes), codes
    for c in codes:
        assert len(c) >= 8, c
        assert not set(c) & set("0O1IL"), c
        assert TRACKING_CODE_RE.match(c), c


def test_filing_sets_the_category_time_limit_in_working_days(w):
    # complex: 15 working days, conduct: 5 (the category defaults)
    assert w.filed["due_on"] == calendar_add(w.today, 15)
    assert w.staff["c2"]["due_on"] == calendar_add(w.today, 5)


def test_public_page_never_shows_the_contact_nor_internal_notes(w):
    forbidden = {"contact", "callback_note", "history", "notes", "note",
                 "replied_by", "created_by"}
    for body in (w.filed, w.public_received, w.public_replied, w.rated,
                 w.public_rated):
        assert not forbidden & set(body), sorted(body)
    for text in w.public_bodies:
        assert CONTACT not in text, text
        assert CALLBACK_NOTE not in text, text
    # ... while they were stored: the staff see both
    assert w.staff_c1["contact"] == CONTACT
    assert w.staff_c1["callback_note"] == CALLBACK_NOTE


def test_office_sees_the_new_complaint_with_its_contact(w):
    item = w.office_item
    assert item["contact"] == CONTACT
    assert item["content"] == CONTENT
    assert item["status"] == "received"
    assert item["owner_unit_id"] == w.root  # 谁受理、谁负责: nobody named
    assert item["channel"] == "web" and item["category"] == "complex"


def test_assignment_moves_ownership_with_a_due_date_in_working_days(w):
    assert w.assigned["owner_unit_id"] == w.a
    assert w.assigned["status"] == "assigned"
    assert w.assigned["due_on"] == calendar_add(w.today, 3)
    assert not w.a_sees_c1_before_assign
    assert w.a_sees_c1_after_assign
    assert not w.b_sees_c1
    # the public sees the new due date
    assert w.public_replied["due_on"] == calendar_add(w.today, 3)


def test_the_public_sees_the_reply_of_the_owning_unit(w):
    assert w.public_received["reply"] is None
    assert w.public_received["status"] == "received"
    assert w.replied["status"] == "replied"
    assert w.public_replied["status"] == "replied"
    assert w.public_replied["reply"] == REPLY
    assert w.public_replied["replied_on"] == w.today


def test_the_rating_closes_the_complaint(w):
    assert w.rated_status == 201
    assert w.public_rated["status"] == "closed"
    assert w.public_rated["rating_score"] == 1
    assert w.staff_c1["rating_score"] == 1
    assert w.staff_c1["rating_resolved"] is False


def test_a_bad_rating_opens_a_public_problem_for_the_owning_unit(w):
    r = w.admin.get("/api/v1/problems",
                    params={"campaign_id": w.campaign, "per_page": 500})
    assert r.status_code == 200, r.text
    mine = [p for p in r.json()["items"] if p["unit_id"] == w.a]
    assert len(mine) == 1, r.json()
    p = mine[0]
    assert p["source"] == "public"
    assert p["status"] == "open"
    assert p["found_on"] == w.today
    assert p["due_on"] == calendar_add(w.today, 5)
    assert w.staff_c1["problem_id"] == p["id"]
    r = w.admin.get(f"/api/v1/problems/{p['id']}")
    assert r.status_code == 200 and r.json()["unit_id"] == w.a, r.text


def test_the_problem_lands_only_in_a_running_campaign_above_the_unit(w):
    for campaign in (w.stale, w.sibling):
        r = w.admin.get("/api/v1/problems",
                        params={"campaign_id": campaign, "unit_id": w.a})
        assert r.status_code == 200, r.text
        assert r.json()["total"] == 0, (campaign, r.json())


def test_good_and_fair_ratings_open_no_problem(w):
    assert w.staff["c2"]["rating_score"] == 5
    assert w.staff["c2"]["problem_id"] is None
    assert w.staff["c3"]["problem_id"] is None
    assert w.staff["c5"]["problem_id"] is None
    r = w.admin.get("/api/v1/problems",
                    params={"campaign_id": w.campaign, "per_page": 500})
    assert r.status_code == 200, r.text
    assert [(p["unit_id"], p["source"]) for p in r.json()["items"]] == [
        (w.a, "public")]


def test_a_score_of_2_is_bad_too(w):
    code = file_complaint(w.url, unit_id=w.b)["tracking_code"]
    cid = complaint_id(w.admin, code)
    assert w.liaison_b.post(f"/api/v1/complaints/{cid}/reply",
                            json={"reply": "已办"}).status_code == 200
    r = rating(w.url, code, score=2, resolved=True, comment="态度差")
    assert r.status_code == 201, r.text
    pid = w.admin.get(f"/api/v1/complaints/{cid}").json()["problem_id"]
    assert isinstance(pid, int), pid
    p = w.admin.get(f"/api/v1/problems/{pid}").json()
    # B's problem goes to the campaign B issued itself: running, at or
    # above B, and both the latest and the deepest such campaign
    assert (p["unit_id"], p["source"], p["campaign_id"]) == (
        w.b, "public", w.sibling)


def test_the_three_rates_follow_the_loop(w):
    # filed, nothing answered: 4 received, none answered, nothing rated
    assert rates(row(w.stats0["units"], w.a)) == (4, 0.0, None, None)
    # c1, c2, c3 answered within their limits: 3 of 4
    assert rates(row(w.stats1["units"], w.a)) == (4, 0.75, None, None)
    # c1 rated 1, not resolved
    assert rates(row(w.stats2["units"], w.a)) == (4, 0.75, 0.0, 0.0)
    # + c2 rated 5 resolved, c3 rated 3 resolved
    received, response, resolution, satisfaction = rates(
        row(w.stats3["units"], w.a))
    assert (received, response) == (4, 0.75)
    assert resolution == pytest.approx(2 / 3, abs=1e-9)
    assert satisfaction == pytest.approx(1 / 3, abs=1e-9)
    assert rates(row(w.stats3["units"], w.b)) == (1, 1.0, 0.0, 1.0)


def test_rates_per_subtree(w):
    units = {u["unit_id"] for u in w.stats3["units"]}
    assert units == {w.a, w.b}  # the city itself received nothing
    city = row(w.stats3["subtrees"], w.city)
    # 5 received, 4 answered on time, 4 rated: 2 resolved, 2 scored 4-5
    assert rates(city) == (5, 0.8, 0.5, 0.5)
    assert rates(row(w.stats3["subtrees"], w.a)) == rates(
        row(w.stats3["units"], w.a))
    # nothing outside the city's subtree is counted there
    assert w.root not in {u["unit_id"] for u in w.stats3["subtrees"]}


def test_a_leader_gets_the_rates_of_their_own_subtree_only(w):
    body = w.leader_stats
    assert {u["unit_id"] for u in body["units"]} == {w.a, w.b}, body
    assert rates(row(body["subtrees"], w.city)) == (5, 0.8, 0.5, 0.5)


def test_stats_outside_scope_is_403(w):
    r = w.liaison_a.get("/api/v1/complaints/stats",
                        params={"unit_id": w.b})
    assert_error(r, 403)


def test_unanswered_complaints_light_yellow_then_red(w):
    due = w.staff["c4"]["due_on"]
    after = str(day(due) + datetime.timedelta(days=1))
    lights = {}
    for as_of in (w.today, due, after):
        r = w.liaison_a.get("/api/v1/complaints",
                            params={"as_of": as_of, "per_page": 500})
        assert r.status_code == 200, r.text
        lights[as_of] = {i["tracking_code"]: i["light"]
                         for i in r.json()["items"]}
    c4, c2 = w.codes["c4"], w.codes["c2"]
    assert lights[w.today][c4] == "green"
    assert lights[due][c4] == "yellow"
    assert lights[after][c4] == "red"
    assert lights[after][c2] == "green"  # answered: never red
    r = w.liaison_a.get("/api/v1/complaints",
                        params={"as_of": after, "overdue": "true",
                                "per_page": 500})
    codes = {i["tracking_code"] for i in r.json()["items"]}
    assert c4 in codes and c2 not in codes and w.code not in codes


# --- errors -----------------------------------------------------------------

@pytest.fixture
def replied(w):
    """A complaint of county A's, answered, not rated: (code, id)."""
    code = file_complaint(w.url, unit_id=w.a)["tracking_code"]
    cid = complaint_id(w.admin, code)
    r = w.liaison_a.post(f"/api/v1/complaints/{cid}/reply",
                         json={"reply": "已办结"})
    assert r.status_code == 200, r.text
    return code, cid


def test_unknown_tracking_code_is_404(w):
    assert_error(public_get(w.url, f"{PUBLIC_COMPLAINTS}/ZZZZ2222ZZ"), 404)
    assert_error(rating(w.url, "ZZZZ2222ZZ", score=4, resolved=True), 404)


@pytest.mark.parametrize("score", [0, 6, -1, 4.5, "5"])
def test_score_outside_1_to_5_is_422(w, replied, score):
    code, cid = replied
    assert_error(rating(w.url, code, score=score, resolved=True), 422,
                 field="score")
    # nothing was written: the complaint can still be rated
    r = public_get(w.url, f"{PUBLIC_COMPLAINTS}/{code}")
    assert r.json()["rating_score"] is None and r.json()["status"] == \
        "replied"


def test_rating_without_resolved_is_422(w, replied):
    code, _ = replied
    assert_error(rating(w.url, code, score=4), 422, field="resolved")
    assert_error(rating(w.url, code, score=4, resolved="yes"), 422,
                 field="resolved")


def test_rating_before_the_reply_is_409(w):
    code = file_complaint(w.url, unit_id=w.a)["tracking_code"]
    assert_error(rating(w.url, code, score=5, resolved=True), 409)
    assert public_get(w.url, f"{PUBLIC_COMPLAINTS}/{code}").json()[
        "status"] == "received"


def test_rating_twice_is_409(w, replied):
    code, cid = replied
    assert rating(w.url, code, score=5, resolved=True).status_code == 201
    assert_error(rating(w.url, code, score=1, resolved=False), 409)
    staff = w.admin.get(f"/api/v1/complaints/{cid}").json()
    assert (staff["rating_score"], staff["problem_id"]) == (5, None)


@pytest.mark.parametrize("over, field", [
    ({"channel": "fax"}, "channel"),
    ({"channel": None}, "channel"),
    ({"category": "no-such-category"}, "category"),
    ({"content": ""}, "content"),
    ({"content": "   \n "}, "content"),
    ({"content": None}, "content"),
    ({"unit_id": 987654321}, "unit_id"),
])
def test_invalid_filing_is_422(w, over, field):
    body = {"channel": "web", "category": "general", "content": "办事难"}
    for k, v in over.items():
        if v is None:
            body.pop(k)
        else:
            body[k] = v
    before = w.admin.get("/api/v1/complaints").json()["total"]
    assert_error(public_post(w.url, PUBLIC_COMPLAINTS, json=body), 422,
                 field=field)
    assert w.admin.get("/api/v1/complaints").json()["total"] == before


def test_all_listed_channels_are_accepted(w):
    for channel in ("web", "phone", "mailbox", "wechat", "tv", "visit",
                    "app", "letter"):
        assert file_complaint(w.url, channel=channel)["status"] == "received"


def test_a_liaison_of_another_unit_cannot_see_or_reply(w):
    code = file_complaint(w.url, unit_id=w.a)["tracking_code"]
    cid = complaint_id(w.admin, code)
    assert complaint_id(w.liaison_b, code) is None
    assert_error(w.liaison_b.get(f"/api/v1/complaints/{cid}"), 403)
    assert_error(w.liaison_b.post(f"/api/v1/complaints/{cid}/reply",
                                  json={"reply": "越权答复"}), 403)
    assert_error(w.liaison_b.post(f"/api/v1/complaints/{cid}/callback",
                                  json={"note": "越权回访"}), 403)
    # untouched, and still answerable by its own unit
    assert public_get(w.url, f"{PUBLIC_COMPLAINTS}/{code}").json()[
        "reply"] is None
    assert w.liaison_a.get(f"/api/v1/complaints/{cid}").status_code == 200
    r = w.liaison_a.post(f"/api/v1/complaints/{cid}/reply",
                         json={"reply": "本单位答复"})
    assert r.status_code == 200, r.text


def test_only_the_office_assigns(w):
    code = file_complaint(w.url, unit_id=w.a)["tracking_code"]
    cid = complaint_id(w.admin, code)
    for s in (w.liaison_a, w.leader_city):
        assert_error(s.post(f"/api/v1/complaints/{cid}/assign",
                            json={"unit_id": w.a, "due_workdays": 2}), 403)
    staff = w.admin.get(f"/api/v1/complaints/{cid}").json()
    assert staff["status"] == "received"
    assert staff["due_on"] == calendar_add(w.today, 5)


def test_assign_validates_the_time_limit(w):
    code = file_complaint(w.url, unit_id=w.a)["tracking_code"]
    cid = complaint_id(w.admin, code)
    for n in (0, -3, 101):
        assert_error(w.admin.post(f"/api/v1/complaints/{cid}/assign",
                                  json={"unit_id": w.b, "due_workdays": n}),
                     422, field="due_workdays")
    # without due_workdays, the category's limit (general: 5) from today
    r = w.admin.post(f"/api/v1/complaints/{cid}/assign",
                     json={"unit_id": w.b})
    assert r.status_code == 200, r.text
    assert (r.json()["owner_unit_id"], r.json()["due_on"]) == (
        w.b, calendar_add(w.today, 5))


def test_answered_complaints_cannot_be_answered_or_assigned_again(w,
                                                                  replied):
    code, cid = replied
    assert_error(w.liaison_a.post(f"/api/v1/complaints/{cid}/reply",
                                  json={"reply": "第二次答复"}), 409)
    assert_error(w.admin.post(f"/api/v1/complaints/{cid}/assign",
                              json={"unit_id": w.b}), 409)
    assert public_get(w.url, f"{PUBLIC_COMPLAINTS}/{code}").json()[
        "reply"] == "已办结"


def test_staff_record_offline_complaints_in_their_scope(w):
    r = w.liaison_a.post("/api/v1/complaints", json={
        "channel": "visit", "category": "general", "content": "来访反映",
        "unit_id": w.a, "contact": "来访人"})
    assert r.status_code == 201, r.text
    assert TRACKING_CODE_RE.match(r.json()["tracking_code"])
    assert complaint_id(w.liaison_a, r.json()["tracking_code"]) is not None
    assert_error(w.liaison_a.post("/api/v1/complaints", json={
        "channel": "phone", "category": "general", "content": "来电反映",
        "unit_id": w.b}), 403)


def test_category_time_limits_are_configurable(w):
    code = unique("cat")[:32]
    r = w.admin.post("/api/v1/complaint-categories", json={
        "code": code, "name": "噪声扰民", "due_workdays": 2})
    assert r.status_code in (200, 201), r.text
    cats = public_get(w.url, "/api/v1/public/complaint-categories").json()
    assert {"code": code, "due_workdays": 2}.items() <= next(
        c for c in cats["items"] if c["code"] == code).items()
    filed = file_complaint(w.url, category=code)
    assert filed["due_on"] == calendar_add(w.today, 2)
    assert_error(w.liaison_a.post("/api/v1/complaint-categories", json={
        "code": code, "name": "x", "due_workdays": 9}), 403)


# --- the red and black lists ------------------------------------------------

# satisfaction of ten units, as (scored 4-5, rated): all distinct
RANKED = [(1, 1), (4, 5), (3, 4), (2, 3), (3, 5), (1, 2), (2, 5), (1, 3),
          (1, 4), (0, 1)]


@pytest.fixture(scope="module")
def ranked(w):
    """Ten counties under a prefecture of their own, each with complaints
    rated so that their satisfaction rates are all different; a leader of
    the prefecture reads the lists (so only these units are in scope)."""
    admin = w.admin
    top = create_unit(admin, w.root, kind="city", name=unique("排名市"))["id"]
    units = [create_unit(admin, top, kind="county")["id"] for _ in RANKED]
    for unit, (good, n) in zip(units, RANKED):
        for k in range(n):
            code = file_complaint(w.url, unit_id=unit)["tracking_code"]
            cid = complaint_id(admin, code, unit_id=unit)
            r = admin.post(f"/api/v1/complaints/{cid}/reply",
                           json={"reply": "已办"})
            assert r.status_code == 200, r.text
            r = rating(w.url, code, score=5 if k < good else 3,
                       resolved=True)
            assert r.status_code == 201, r.text
    # a county that received nothing is on neither list
    idle = create_unit(admin, top, kind="county")["id"]
    leader = login(w.url, create_user(admin, top, ["leader"])["username"],
                   USER_PASSWORD)
    r = leader.get("/api/v1/complaints/rankings",
                   params={"month": w.today[:7]})
    assert r.status_code == 200, r.text
    return units, idle, r.json(), leader


def test_red_list_is_the_best_five_best_first(ranked):
    units, idle, body, _ = ranked
    red = body["red_list"]
    assert [u["unit_id"] for u in red] == units[:5]
    assert [u["satisfaction_rate"] for u in red] == pytest.approx(
        [g / n for g, n in RANKED[:5]])


def test_black_list_is_the_worst_five_worst_first(ranked):
    units, idle, body, _ = ranked
    black = body["black_list"]
    assert [u["unit_id"] for u in black] == units[::-1][:5]
    assert [u["satisfaction_rate"] for u in black] == pytest.approx(
        [g / n for g, n in RANKED[::-1][:5]])


def test_the_lists_are_distinct_and_hold_only_units_in_scope(ranked, w):
    units, idle, body, _ = ranked
    red = {u["unit_id"] for u in body["red_list"]}
    black = {u["unit_id"] for u in body["black_list"]}
    assert not red & black
    assert red | black == set(units)
    assert idle not in red | black
    assert not {w.a, w.b} & (red | black)


def test_another_month_has_empty_lists(ranked, w):
    _, _, _, leader = ranked
    first = day(w.today).replace(day=1)
    earlier = (first - datetime.timedelta(days=1)).strftime("%Y-%m")
    r = leader.get("/api/v1/complaints/rankings", params={"month": earlier})
    assert r.status_code == 200, r.text
    assert (r.json()["red_list"], r.json()["black_list"]) == ([], [])
    assert_error(leader.get("/api/v1/complaints/rankings",
                            params={"month": "2026-13"}), 422, field="month")


# --- bodies -----------------------------------------------------------------

def test_content_is_stored_verbatim_and_escaped_in_open311_xml(w):
    content = "<script>alert('x')</script> & <b>粗体</b> \"引号\""
    code = file_complaint(w.url, content=content,
                          contact=CONTACT)["tracking_code"]
    cid = complaint_id(w.admin, code)
    assert w.admin.get(f"/api/v1/complaints/{cid}").json()[
        "content"] == content
    r = public_get(w.url, f"/open311/v2/requests/{code}.json")
    assert r.status_code == 200, r.text
    assert r.json()[0]["description"] == content
    r = public_get(w.url, f"/open311/v2/requests/{code}.xml")
    assert r.status_code == 200, r.text
    assert "<script>" not in r.text and "<b>" not in r.text
    assert "&lt;script&gt;" in r.text
    root = ET.fromstring(r.content)
    assert root.find("request/description").text == content
    assert CONTACT not in r.text


def test_the_loop_content_kept_whitespace_and_markup(w):
    assert w.staff_c1["content"] == CONTENT


def test_a_2_mb_body_is_413(w):
    before = w.admin.get("/api/v1/complaints").json()["total"]
    big = {"channel": "web", "category": "general",
           "content": "长" * (2 * 1024 * 1024 // 3)}
    r = public_post(w.url, PUBLIC_COMPLAINTS, json=big)
    assert_error(r, 413)

    def chunks():  # no Content-Length: chunked
        for _ in range(32):
            yield b" " * 65536

    r = public_post(w.url, PUBLIC_COMPLAINTS, data=chunks(),
                    headers={"Content-Type": "application/json"})
    assert_error(r, 413)
    assert w.admin.get("/api/v1/complaints").json()["total"] == before


# --- service windows (一次一评) ---------------------------------------------

def test_service_window_instant_ratings(w):
    code = unique("WIN")
    r = w.admin.post("/api/v1/service-windows",
                     json={"code": code, "name": "不动产登记窗口",
                           "unit_id": w.a})
    assert r.status_code == 201, r.text
    for score in (5, 4, 2):
        r = public_post(w.url, "/api/v1/public/ratings",
                        json={"window_code": code, "score": score})
        assert r.status_code == 201, r.text
    assert_error(public_post(w.url, "/api/v1/public/ratings",
                             json={"window_code": "NO-SUCH-WINDOW",
                                   "score": 5}), 422, field="window_code")
    for bad in (0, 6):
        assert_error(public_post(w.url, "/api/v1/public/ratings",
                                 json={"window_code": code, "score": bad}),
                     422, field="score")
    r = w.liaison_a.get("/api/v1/service-windows")
    assert r.status_code == 200, r.text
    win = next(i for i in r.json()["items"] if i["code"] == code)
    assert (win["ratings"], win["good"], win["bad"]) == (3, 2, 1)
    assert win["satisfaction_rate"] == pytest.approx(2 / 3, abs=1e-9)
    # B's liaison does not see A's window; only the office creates windows
    r = w.liaison_b.get("/api/v1/service-windows")
    assert code not in {i["code"] for i in r.json()["items"]}
    assert_error(w.liaison_a.post("/api/v1/service-windows",
                                  json={"code": unique("W2"), "name": "x",
                                        "unit_id": w.a}), 403)


# --- privacy beyond the public page -----------------------------------------

def test_the_audit_trail_never_keeps_the_contact(w):
    r = w.admin.get("/api/v1/audit",
                    params={"entity": "complaint", "id": w.c1})
    assert r.status_code == 200, r.text
    assert len(r.json()["items"]) >= 4, r.text  # file, assign, reply, ...
    assert CONTACT not in r.text


# --- the rate limit -----------------------------------------------------------

def _fresh_minute(margin=6.0):
    """The limiter counts per calendar minute: start a burst early in one."""
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.2)


def test_public_endpoints_are_rate_limited_staff_ones_are_not(make_server):
    srv = make_server("--public-rate", "5")
    admin = login(srv.url, "admin", ADMIN_PASSWORD)
    _fresh_minute()
    code = file_complaint(srv.url)["tracking_code"]  # 1
    answers = [
        public_get(srv.url, f"{PUBLIC_COMPLAINTS}/{code}"),  # 2
        public_get(srv.url, "/api/v1/public/complaint-categories"),  # 3
        public_get(srv.url, "/open311/v2/services.json"),  # 4
        public_get(srv.url, f"{PUBLIC_COMPLAINTS}/{code}"),  # 5
    ]
    assert [r.status_code for r in answers] == [200] * 4
    r = public_post(srv.url, PUBLIC_COMPLAINTS, json={
        "channel": "web", "category": "general", "content": "第六次"})  # 6
    assert_error(r, 429)
    retry = r.headers.get("Retry-After")
    assert retry is not None and retry.isdigit() and 1 <= int(retry) <= 60, \
        r.headers
    # other public paths and a forged forwarding header do not get around it
    assert public_get(srv.url, "/open311/v2/requests.json").status_code == 429
    assert public_get(srv.url, f"{PUBLIC_COMPLAINTS}/{code}", headers={
        "X-Forwarded-For": "203.0.113.9"}).status_code == 429
    # the sixth complaint was not filed
    assert admin.get("/api/v1/complaints").json()["total"] == 1
    # staff endpoints are not limited
    for _ in range(8):
        assert admin.get("/api/v1/complaints").status_code == 200
        assert admin.get("/api/v1/complaints/stats").status_code == 200
    r = admin.post("/api/v1/complaints", json={
        "channel": "phone", "category": "general", "content": "来电"})
    assert r.status_code == 201, r.text
    assert public_get(srv.url, f"{PUBLIC_COMPLAINTS}/{code}").status_code \
        == 429
