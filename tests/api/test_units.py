"""Units: create, list (paged), get, update with optimistic versions."""

import pytest
import requests

from duban_client import (HTTP_TIMEOUT, assert_error, create_unit,
                          root_unit_id, unique)

KINDS = ["province", "city", "county", "township", "department", "office",
         "other"]


@pytest.fixture(scope="module")
def root(admin):
    return root_unit_id(admin)


@pytest.fixture(scope="module")
def city(admin, root):
    return create_unit(admin, root, kind="city", name="南京市")


def body(parent, **over):
    b = {"name": unique("unit"), "kind": "county", "parent_id": parent,
         "code": unique("C")}
    b.update(over)
    return b


# --- create ---------------------------------------------------------------

def test_create_unit(admin, root):
    b = body(root, name="苏州市 作风办", kind="city")
    r = admin.post("/api/v1/units", json=b)
    assert r.status_code == 201, r.text
    u = r.json()
    assert isinstance(u["id"], int) and u["id"] > root
    assert u["parent_id"] == root
    assert u["kind"] == "city"
    assert u["code"] == b["code"]
    assert u["name"] == "苏州市 作风办"
    assert u["version"] == 1
    # and it can be read back
    r = admin.get(f"/api/v1/units/{u['id']}")
    assert r.status_code == 200
    assert r.json()["name"] == "苏州市 作风办"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_accepted(admin, city, kind):
    u = create_unit(admin, city["id"], kind=kind)
    assert u["kind"] == kind


@pytest.mark.parametrize("kind", ["village", "City", "", "市"])
def test_invalid_kind_is_422(admin, city, kind):
    r = admin.post("/api/v1/units", json=body(city["id"], kind=kind))
    assert_error(r, 422, field="kind")


def test_duplicate_code_is_409(admin, city):
    b = body(city["id"])
    assert admin.post("/api/v1/units", json=b).status_code == 201
    again = body(city["id"], code=b["code"])
    err = assert_error(admin.post("/api/v1/units", json=again), 409)
    assert err.get("field") == "code"
    # nothing half-written: the second name does not exist
    names = [u["name"] for u in
             admin.get("/api/v1/units?per_page=500").json()["items"]]
    assert again["name"] not in names


def test_parent_that_does_not_exist_is_422(admin):
    r = admin.post("/api/v1/units", json=body(999999))
    assert_error(r, 422, field="parent_id")


@pytest.mark.parametrize("parent", [0, -3])
def test_parent_not_positive_is_422(admin, parent):
    r = admin.post("/api/v1/units", json=body(parent))
    assert_error(r, 422, field="parent_id")


@pytest.mark.parametrize("missing", ["name", "kind", "parent_id", "code"])
def test_missing_field_is_422(admin, city, missing):
    b = body(city["id"])
    del b[missing]
    assert_error(admin.post("/api/v1/units", json=b), 422, field=missing)


@pytest.mark.parametrize("field,value", [
    ("parent_id", "1"), ("parent_id", 1.5), ("name", 17), ("code", ["A"]),
    ("kind", {"k": "city"}),
])
def test_wrong_type_is_422(admin, city, field, value):
    b = body(city["id"])
    b[field] = value
    assert_error(admin.post("/api/v1/units", json=b), 422, field=field)


@pytest.mark.parametrize("name", ["", "   ", "a\u0001b", "x" * 101])
def test_bad_name_is_422(admin, city, name):
    assert_error(admin.post("/api/v1/units", json=body(city["id"], name=name)),
                 422, field="name")


def test_unauthenticated_create_is_401(server, city):
    r = requests.post(f"{server.url}/api/v1/units", json=body(city["id"]),
                      timeout=HTTP_TIMEOUT)
    assert_error(r, 401)


# --- list -----------------------------------------------------------------

def test_list_units_is_paged(admin, root, city):
    r = admin.get("/api/v1/units")
    assert r.status_code == 200, r.text
    page = r.json()
    assert set(page) >= {"items", "total", "page", "per_page"}
    assert page["page"] == 1 and page["per_page"] == 50
    assert page["total"] >= 2
    ids = [u["id"] for u in page["items"]]
    assert root in ids and city["id"] in ids
    for u in page["items"]:
        assert {"id", "name", "kind", "parent_id", "code"} <= set(u)


def test_list_units_page_two(admin, city):
    first = admin.get("/api/v1/units?per_page=1&page=1").json()
    second = admin.get("/api/v1/units?per_page=1&page=2").json()
    assert first["per_page"] == 1 and second["per_page"] == 1
    assert second["page"] == 2
    assert len(first["items"]) == 1 and len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert first["total"] == second["total"] >= 2
    # past the end: an empty page, same total
    last = admin.get(f"/api/v1/units?per_page=1&page={first['total'] + 1}")
    assert last.status_code == 200
    assert last.json()["items"] == []
    assert last.json()["total"] == first["total"]


def test_list_units_pages_cover_everything_once(admin):
    total = admin.get("/api/v1/units?per_page=500").json()
    seen = []
    for p in range(1, total["total"] // 3 + 2):
        seen += [u["id"] for u in
                 admin.get(f"/api/v1/units?per_page=3&page={p}").json()["items"]]
    assert sorted(seen) == sorted(u["id"] for u in total["items"])


@pytest.mark.parametrize("query,field", [
    ("per_page=0", "per_page"), ("per_page=501", "per_page"),
    ("per_page=x", "per_page"), ("page=0", "page"), ("page=-1", "page"),
    ("parent_id=abc", "parent_id"),
])
def test_list_units_bad_query_is_422(admin, query, field):
    assert_error(admin.get(f"/api/v1/units?{query}"), 422, field=field)


def test_list_units_by_parent(admin, city):
    child = create_unit(admin, city["id"], kind="county")
    grandchild = create_unit(admin, child["id"], kind="township")
    r = admin.get(f"/api/v1/units?parent_id={city['id']}&per_page=500")
    assert r.status_code == 200
    ids = [u["id"] for u in r.json()["items"]]
    assert child["id"] in ids
    assert grandchild["id"] not in ids
    assert all(u["parent_id"] == city["id"] for u in r.json()["items"])


# --- get ------------------------------------------------------------------

def test_get_unit(admin, city):
    r = admin.get(f"/api/v1/units/{city['id']}")
    assert r.status_code == 200
    u = r.json()
    assert u["id"] == city["id"] and u["name"] == "南京市"
    assert u["kind"] == "city" and u["code"] == city["code"]


def test_get_unknown_unit_is_404(admin):
    assert_error(admin.get("/api/v1/units/987654"), 404)


# --- update ---------------------------------------------------------------

def test_patch_unit_bumps_the_version(admin, root):
    u = create_unit(admin, root, kind="department")
    r = admin.patch(f"/api/v1/units/{u['id']}",
                    json={"name": "改名后", "version": u["version"]})
    assert r.status_code == 200, r.text
    v2 = r.json()
    assert v2["name"] == "改名后"
    assert v2["version"] == u["version"] + 1
    assert v2["code"] == u["code"] and v2["kind"] == u["kind"]
    assert admin.get(f"/api/v1/units/{u['id']}").json()["name"] == "改名后"
    # the same (now stale) version again
    r = admin.patch(f"/api/v1/units/{u['id']}",
                    json={"name": "再改", "version": u["version"]})
    assert_error(r, 409)
    assert admin.get(f"/api/v1/units/{u['id']}").json()["name"] == "改名后"
    # the current version works
    r = admin.patch(f"/api/v1/units/{u['id']}",
                    json={"code": unique("NEW"), "version": v2["version"]})
    assert r.status_code == 200, r.text
    assert r.json()["version"] == v2["version"] + 1
    assert r.json()["name"] == "改名后"


def test_patch_without_version_is_422(admin, city):
    r = admin.patch(f"/api/v1/units/{city['id']}", json={"name": "x"})
    assert_error(r, 422, field="version")


def test_patch_to_an_existing_code_is_409(admin, root, city):
    u = create_unit(admin, root, kind="department")
    r = admin.patch(f"/api/v1/units/{u['id']}",
                    json={"code": city["code"], "version": u["version"]})
    assert_error(r, 409)
    assert admin.get(f"/api/v1/units/{u['id']}").json()["version"] == \
        u["version"]


def test_patch_empty_name_is_422(admin, root):
    u = create_unit(admin, root, kind="department")
    r = admin.patch(f"/api/v1/units/{u['id']}",
                    json={"name": "", "version": u["version"]})
    assert_error(r, 422, field="name")


def test_patch_unknown_unit_is_404(admin):
    r = admin.patch("/api/v1/units/987654", json={"name": "x", "version": 1})
    assert_error(r, 404)
