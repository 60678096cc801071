"""Open311 GeoReport v2 over the complaints (issue 6), at /open311/v2/.

Services come from the complaint categories; a service request is a
complaint and its service_request_id is the tracking code; statuses are
open (received, assigned) and closed (answered).  JSON and XML (the format
the standard requires); the reporter's email or phone never comes out.

The ``o`` fixture files three requests on the module's own server:
    email  form-encoded, general, with lat/long and an email; answered by
           the office → closed
    phone  form-encoded, complex, with a phone number → open
    json   a JSON body, conduct → open
"""

import datetime
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from duban_client import (TRACKING_CODE_RE, assert_error, complaint_id,
                          public_get, public_post, root_unit_id)

EMAIL = "reporter.open311@example.cn"
PHONE = "13987654321"
DESC_EMAIL = "路灯不亮 & 积水=深 <b>50%</b> a+b"
DESC_PHONE = "小区门口占道经营,多次反映无人处理"
DESC_JSON = "办事窗口态度生硬"
REPLY = "已安排维修,三日内完成。"

SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata",
                  "type", "keywords", "group")
REQUEST_FIELDS = ("service_request_id", "status", "service_code",
                  "service_name", "description", "requested_datetime",
                  "updated_datetime")
DEFAULT_CATEGORIES = {"urgent", "general", "complex", "conduct", "service"}


@pytest.fixture(scope="module")
def server(make_server):
    return make_server("--public-rate", "10000")


def post_form(base, fields, fmt="json"):
    """POST requests.{fmt} with the standard's form encoding."""
    return public_post(base, f"/open311/v2/requests.{fmt}", data=fields)


def xml_requests(resp):
    """The <request> elements of a service_requests document, as dicts."""
    assert resp.status_code == 200, resp.text
    assert "xml" in resp.headers.get("Content-Type", ""), resp.headers
    root = ET.fromstring(resp.content)
    assert root.tag == "service_requests", resp.text
    return [{child.tag: (child.text or "") for child in req}
            for req in root.findall("request")]


class O:
    pass


@pytest.fixture(scope="module")
def o(server, admin):
    o = O()
    o.url = server.url
    o.admin = admin
    o.outputs = []  # every Open311 answer, raw text

    def keep(r):
        o.outputs.append(r.text)
        return r

    r = keep(post_form(o.url, {"service_code": "general",
                               "description": DESC_EMAIL, "lat": "40.1234",
                               "long": "116.5678", "email": EMAIL}))
    o.post_status, o.post_type, o.post_body = (
        r.status_code, r.headers.get("Content-Type", ""), r.json())
    o.email = o.post_body[0]["service_request_id"]
    r = keep(post_form(o.url, {"service_code": "complex",
                               "description": DESC_PHONE, "phone": PHONE}))
    assert r.status_code == 201, r.text
    o.phone = r.json()[0]["service_request_id"]
    r = keep(public_post(o.url, "/open311/v2/requests.json",
                         json={"service_code": "conduct",
                               "description": DESC_JSON}))
    assert r.status_code == 201, r.text
    o.json = r.json()[0]["service_request_id"]
    o.today = public_get(o.url, f"/api/v1/public/complaints/{o.json}").json()[
        "received_on"]
    o.email_id = complaint_id(admin, o.email)
    o.phone_id = complaint_id(admin, o.phone)
    r = admin.post(f"/api/v1/complaints/{o.email_id}/reply",
                   json={"reply": REPLY})
    assert r.status_code == 200, r.text
    return o


def get(o, path, **params):
    r = public_get(o.url, path, params=params)
    o.outputs.append(r.text)
    return r


def ids(resp):
    assert resp.status_code == 200, resp.text
    return {x["service_request_id"] for x in resp.json()}


# --- services -----------------------------------------------------------------

def test_services_json_lists_the_categories(o):
    r = get(o, "/open311/v2/services.json")
    assert r.status_code == 200, r.text
    services = r.json()
    assert isinstance(services, list)
    assert {s["service_code"] for s in services} >= DEFAULT_CATEGORIES
    for s in services:
        assert set(SERVICE_FIELDS) <= set(s), s
        assert s["type"] in ("realtime", "batch", "blackbox"), s
        assert isinstance(s["metadata"], bool), s
    general = next(s for s in services if s["service_code"] == "general")
    assert general["service_name"] == "一般诉求"


def test_services_xml_matches_the_json(o):
    r = get(o, "/open311/v2/services.xml")
    assert r.status_code == 200, r.text
    assert "xml" in r.headers.get("Content-Type", "")
    root = ET.fromstring(r.content)
    assert root.tag == "services"
    services = root.findall("service")
    from_json = {s["service_code"]: s for s in
                 get(o, "/open311/v2/services.json").json()}
    assert len(services) == len(from_json)
    for el in services:
        for f in SERVICE_FIELDS:
            assert el.find(f) is not None, (f, ET.tostring(el))
        code = el.findtext("service_code")
        assert el.findtext("service_name") == from_json[code]["service_name"]
        assert el.findtext("metadata") in ("true", "false")


# --- creating requests ----------------------------------------------------------

def test_post_form_answers_a_request_id_and_a_notice(o):
    assert o.post_status == 201
    assert o.post_type.startswith("application/json")
    assert isinstance(o.post_body, list) and len(o.post_body) == 1
    item = o.post_body[0]
    assert TRACKING_CODE_RE.match(item["service_request_id"]), item
    assert isinstance(item["service_notice"], str) and item["service_notice"]
    assert len({o.email, o.phone, o.json}) == 3


def test_the_request_id_is_the_public_tracking_code(o):
    r = public_get(o.url, f"/api/v1/public/complaints/{o.phone}")
    assert r.status_code == 200, r.text
    assert (r.json()["tracking_code"], r.json()["category"]) == (
        o.phone, "complex")


def test_form_fields_are_decoded_and_stored(o):
    staff = o.admin.get(f"/api/v1/complaints/{o.email_id}").json()
    assert staff["content"] == DESC_EMAIL
    assert staff["category"] == "general"
    assert staff["contact"] == EMAIL  # kept for the staff ...
    assert staff["lat"] == pytest.approx(40.1234)
    assert staff["long"] == pytest.approx(116.5678)
    phone = o.admin.get(f"/api/v1/complaints/{o.phone_id}").json()
    assert phone["contact"] == PHONE


def test_post_requests_xml_answers_xml(o):
    r = post_form(o.url, {"service_code": "urgent",
                          "description": "井盖缺失", "email": EMAIL}, "xml")
    o.outputs.append(r.text)
    assert r.status_code == 201, r.text
    root = ET.fromstring(r.content)
    assert root.tag == "service_requests"
    code = root.findtext("request/service_request_id")
    assert TRACKING_CODE_RE.match(code or ""), r.text
    assert root.findtext("request/service_notice")


@pytest.mark.parametrize("fields, field", [
    ({"description": "无类别"}, "service_code"),
    ({"service_code": "no-such-service", "description": "x"},
     "service_code"),
    ({"service_code": "general"}, "description"),
    ({"service_code": "general", "description": ""}, "description"),
    ({"service_code": "general", "description": "x", "lat": "abc"}, "lat"),
    ({"service_code": "general", "description": "x", "lat": "91"}, "lat"),
    ({"service_code": "general", "description": "x", "long": "-181"},
     "long"),
])
def test_invalid_requests_are_422(o, fields, field):
    assert_error(post_form(o.url, fields), 422, field=field)


def test_a_malformed_json_body_is_400(o):
    r = public_post(o.url, "/open311/v2/requests.json", data="{not json",
                    headers={"Content-Type": "application/json"})
    assert_error(r, 400)


# --- reading requests -------------------------------------------------------------

def test_get_one_request_json(o):
    r = get(o, f"/open311/v2/requests/{o.phone}.json")
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body, list) and len(body) == 1
    req = body[0]
    for f in REQUEST_FIELDS:
        assert f in req, (f, req)
    assert req["service_request_id"] == o.phone
    assert req["status"] == "open"
    assert req["service_code"] == "complex"
    assert req["service_name"] == "复杂诉求"
    assert req["description"] == DESC_PHONE
    assert req["requested_datetime"].startswith(o.today + "T")
    datetime.datetime.fromisoformat(req["requested_datetime"])


def test_get_one_request_keeps_its_coordinates(o):
    req = get(o, f"/open311/v2/requests/{o.email}.json").json()[0]
    assert req["lat"] == pytest.approx(40.1234)
    assert req["long"] == pytest.approx(116.5678)
    [x] = xml_requests(get(o, f"/open311/v2/requests/{o.email}.xml"))
    assert float(x["lat"]) == pytest.approx(40.1234)
    assert float(x["long"]) == pytest.approx(116.5678)


def test_get_one_request_xml_matches_the_json(o):
    js = get(o, f"/open311/v2/requests/{o.email}.json").json()[0]
    [x] = xml_requests(get(o, f"/open311/v2/requests/{o.email}.xml"))
    for f in REQUEST_FIELDS:
        assert x[f] == js[f], f
    assert x["description"] == DESC_EMAIL


def test_an_answered_request_is_closed_with_the_reply_as_notes(o):
    req = get(o, f"/open311/v2/requests/{o.email}.json").json()[0]
    assert req["status"] == "closed"
    assert req["status_notes"] == REPLY
    [x] = xml_requests(get(o, f"/open311/v2/requests/{o.email}.xml"))
    assert (x["status"], x["status_notes"]) == ("closed", REPLY)
    # an assigned but unanswered one stays open
    r = o.admin.post(f"/api/v1/complaints/{o.phone_id}/assign",
                     json={"unit_id": root_unit_id(o.admin)})
    assert r.status_code == 200, r.text
    assert get(o, f"/open311/v2/requests/{o.phone}.json").json()[0][
        "status"] == "open"


def test_unknown_request_is_404(o):
    assert_error(get(o, "/open311/v2/requests/ZZZZ2222ZZ.json"), 404)
    r = get(o, "/open311/v2/requests/ZZZZ2222ZZ.xml")
    assert r.status_code == 404, r.text


# --- listing with the standard filters ------------------------------------------

def test_list_by_request_ids(o):
    r = get(o, "/open311/v2/requests.json",
            service_request_id=f"{o.email},{o.phone}")
    assert ids(r) == {o.email, o.phone}
    r = get(o, "/open311/v2/requests.json", service_request_id=o.json)
    assert ids(r) == {o.json}
    r = get(o, "/open311/v2/requests.xml",
            service_request_id=f"{o.phone},{o.json}")
    assert {x["service_request_id"] for x in xml_requests(r)} == {
        o.phone, o.json}


def test_list_by_service_code(o):
    r = get(o, "/open311/v2/requests.json", service_code="complex")
    assert o.phone in ids(r)
    assert {x["service_code"] for x in r.json()} == {"complex"}
    assert not {o.email, o.json} & ids(r)


def test_list_by_status(o):
    opened = get(o, "/open311/v2/requests.json", status="open")
    closed = get(o, "/open311/v2/requests.json", status="closed")
    assert {o.phone, o.json} <= ids(opened) and o.email not in ids(opened)
    assert o.email in ids(closed) and not {o.phone, o.json} & ids(closed)
    assert {x["status"] for x in opened.json()} == {"open"}
    assert {x["status"] for x in closed.json()} == {"closed"}
    xs = xml_requests(get(o, "/open311/v2/requests.xml", status="closed"))
    assert o.email in {x["service_request_id"] for x in xs}
    assert {x["status"] for x in xs} == {"closed"}


def test_list_by_dates(o):
    today = datetime.date.fromisoformat(o.today)
    yesterday = str(today - datetime.timedelta(days=1))
    tomorrow = str(today + datetime.timedelta(days=1))
    mine = {o.email, o.phone, o.json}
    assert mine <= ids(get(o, "/open311/v2/requests.json",
                           start_date=o.today, end_date=o.today))
    assert mine <= ids(get(o, "/open311/v2/requests.json",
                           start_date=f"{o.today}T00:00:00+08:00"))
    assert ids(get(o, "/open311/v2/requests.json",
                   start_date=tomorrow)) == set()
    assert ids(get(o, "/open311/v2/requests.json",
                   end_date=yesterday)) == set()
    assert_error(get(o, "/open311/v2/requests.json", start_date="someday"),
                 422, field="start_date")


def test_filters_combine(o):
    r = get(o, "/open311/v2/requests.json", service_code="general",
            status="open", service_request_id=f"{o.email},{o.phone}")
    assert ids(r) == set()
    r = get(o, "/open311/v2/requests.json", service_code="general",
            status="closed", start_date=o.today)
    assert o.email in ids(r)


def test_bogus_status_is_422(o):
    assert_error(get(o, "/open311/v2/requests.json", status="bogus"), 422,
                 field="status")


# --- privacy ------------------------------------------------------------------------

def test_the_email_and_phone_never_appear_in_open311_output(o):
    # make sure every kind of output was produced at least once
    for path in ("/open311/v2/requests.json", "/open311/v2/requests.xml",
                 f"/open311/v2/requests/{o.email}.json",
                 f"/open311/v2/requests/{o.email}.xml",
                 f"/open311/v2/requests/{o.phone}.json",
                 f"/open311/v2/requests/{o.phone}.xml"):
        r = get(o, path)
        assert r.status_code == 200, (path, r.text)
    r = get(o, "/open311/v2/requests.json",
            service_request_id=f"{o.email},{o.phone}")
    assert len(r.json()) == 2
    for text in o.outputs:
        assert EMAIL not in text, text
        assert PHONE not in text, text
        assert "example.cn" not in text, text
    for req in r.json():
        assert not {"email", "phone", "contact", "first_name",
                    "last_name"} & set(req), req


# --- an old request among many newer ones ------------------------------------------

def test_an_old_request_is_still_found_by_its_id(make_server):
    srv = make_server("--public-rate", "100000")
    r = post_form(srv.url, {"service_code": "general",
                            "description": "最早的一件"})
    assert r.status_code == 201, r.text
    first = r.json()[0]["service_request_id"]
    session = requests.Session()

    def one(i):
        return session.post(f"{srv.url}/api/v1/public/complaints", json={
            "channel": "web", "category": "general",
            "content": f"后来的第{i}件"}, timeout=30).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(one, range(1000))) == {201}
    assert public_get(srv.url, f"/api/v1/public/complaints/{first}"
                      ).status_code == 200
    r = public_get(srv.url, f"/open311/v2/requests/{first}.json")
    assert r.status_code == 200, r.text
    r = public_get(srv.url, "/open311/v2/requests.json",
                   params={"service_request_id": first})
    assert ids(r) == {first}
