"""Evidence attachments (issue 5): checked by content, stored once by their
SHA-256, served back byte for byte only within scope, linked to the moves
of problems and shown in their history."""

import hashlib
import io
import random
import struct
import urllib.parse
import zipfile
import zlib
from pathlib import Path

import pytest

from duban_client import ADMIN_PASSWORD, ApiSession, assert_error, login
from problem_helpers import (create_problem, make_tree, move, must_move,
                             new_campaign, problem_in)


def png(width=2, height=2, seed=0):
    """A real PNG of width x height pixels; seed varies the pixels."""
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rnd = random.Random(seed)
    raw = b"".join(b"\0" + rnd.randbytes(width * 3) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0,
                                       0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Override'
                   ' PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.'
                   'document.main+xml"/></Types>')
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


ELF = b"\x7fELF\x02\x01\x01\0" + b"\0" * 120


def upload(s, data, filename="整改照片.png", ctype="application/octet-stream"):
    q = "" if filename is None else "?filename=" + urllib.parse.quote(filename)
    return s.post(f"/api/v1/attachments{q}", data=data,
                  headers={"Content-Type": ctype})


def must_upload(s, data, filename="整改照片.png"):
    r = upload(s, data, filename)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture(scope="module")
def tree(server, admin):
    return make_tree(server, admin)


@pytest.fixture(scope="module")
def campaign(tree):
    return new_campaign(tree)


def test_png_is_stored_and_served_back_byte_identical(tree):
    data = png(seed=1)
    a = must_upload(tree.liaison_a, data)
    assert a["sha256"] == hashlib.sha256(data).hexdigest()
    assert a["size"] == len(data)
    assert a["content_type"] == "image/png"
    assert a["filename"] == "整改照片.png"
    assert a["unit_id"] == tree.a and isinstance(a["id"], int)
    r = tree.liaison_a.get(f"/api/v1/attachments/{a['id']}")
    assert r.status_code == 200
    assert r.content == data
    assert r.headers["Content-Type"] == "image/png"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r.headers["Content-Security-Policy"]
    disp = r.headers["Content-Disposition"]
    assert disp.startswith("inline; filename=\"attachment-")
    assert "filename*=UTF-8''" + urllib.parse.quote("整改照片.png") in disp


@pytest.mark.parametrize("data, name, ctype", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "报告.pdf", "application/pdf"),
    (b"\xff\xd8\xff\xe0\0\x10JFIF\0", "现场.jpg", "image/jpeg"),
    (b"GIF89a\x01\0\x01\0\0\0\0;", "a.gif", "image/gif"),
    (b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0", "a.webp", "image/webp"),
    (None, "整改方案.docx", "application/vnd.openxmlformats-officedocument."
     "wordprocessingml.document"),
])
def test_evidence_types_are_accepted(tree, data, name, ctype):
    data = data or docx()
    a = must_upload(tree.office, data, name)
    assert a["content_type"] == ctype
    r = tree.office.get(f"/api/v1/attachments/{a['id']}")
    assert r.content == data and r.headers["Content-Type"] == ctype


@pytest.mark.parametrize("data, name", [
    (ELF, "photo.png"),                          # the name does not matter
    (b"MZ\x90\0\x03\0\0\0\x04\0", "setup.exe"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "a.svg"),
    (b"#!/bin/sh\nrm -rf /\n", "a.sh"),
])
def test_other_content_is_refused(tree, data, name):
    r = upload(tree.office, data, name, "image/png")
    assert_error(r, 422, code="unsupported_type", field="file")


def test_bad_names_and_empty_files(tree):
    assert_error(upload(tree.office, png(), None), 422, field="filename")
    assert_error(upload(tree.office, png(), "a/b.png"), 422, field="filename")
    assert_error(upload(tree.office, png(), "x" * 256), 422, field="filename")
    assert_error(upload(tree.office, b"", "a.png"), 422, field="file")
    assert_error(upload(ApiSession(tree.server.url), png()), 401)


def test_roles_may_upload(tree):
    for who in (tree.office, tree.liaison, tree.inspector, tree.leader):
        must_upload(who, png(seed=7))


def test_out_of_scope_is_403(tree):
    a = must_upload(tree.liaison_a, png(seed=2))
    assert_error(tree.liaison_b.get(f"/api/v1/attachments/{a['id']}"), 403)
    assert_error(tree.liaison_x.get(f"/api/v1/attachments/{a['id']}"), 403)
    # the city's subtree holds the uploader's unit
    assert tree.office.get(f"/api/v1/attachments/{a['id']}").status_code == 200
    assert_error(tree.office.get("/api/v1/attachments/999999"), 404)


def test_same_content_twice_is_stored_once(tree, server):
    data = png(width=3, height=3, seed=3)
    a1 = must_upload(tree.liaison_a, data, "第一次.png")
    a2 = must_upload(tree.liaison_b, data, "第二次.png")
    assert a1["id"] != a2["id"] and a1["sha256"] == a2["sha256"]
    assert a2["filename"] == "第二次.png" and a2["unit_id"] == tree.b
    store = Path(server.dir) / "var" / "data" / "attachments"
    files = [p for p in store.rglob("*") if p.is_file()]
    named = [p for p in files if p.name == a1["sha256"]]
    assert len(named) == 1
    assert named[0].read_bytes() == data
    assert named[0].parent.name == a1["sha256"][2:4]
    assert not [p for p in files if p.name.startswith(".upload-")]
    # each upload keeps its own scope
    assert_error(tree.liaison_a.get(f"/api/v1/attachments/{a2['id']}"), 403)


def test_linked_to_a_move_and_shown_in_history(tree, campaign):
    p = problem_in(tree.office, campaign["id"], tree.a, "rectifying")
    # uploaded by the city's office: outside the county's scope until linked
    photo = must_upload(tree.office, png(seed=4), "整改后.png")
    report = must_upload(tree.office, b"%PDF-1.4\n", "整改报告.pdf")
    assert_error(tree.liaison_a.get(f"/api/v1/attachments/{photo['id']}"), 403)
    # attachments are evidence enough to report a problem rectified
    p = must_move(tree.office, p, "rectified", evidence=None,
                  attachment_ids=[photo["id"], report["id"]])
    r = tree.liaison_a.get(f"/api/v1/attachments/{photo['id']}")
    assert r.status_code == 200 and r.content == png(seed=4)
    h = tree.office.get(f"/api/v1/problems/{p['id']}").json()["history"]
    assert h[0]["attachments"] == [] and h[1]["attachments"] == []
    got = h[2]["attachments"]
    assert [x["id"] for x in got] == [photo["id"], report["id"]]
    assert got[0]["filename"] == "整改后.png"
    assert got[0]["sha256"] == photo["sha256"]
    assert got[1]["content_type"] == "application/pdf"
    # a returned problem can be rectified again with the same photo
    p = must_move(tree.office, p, "returned")
    p = must_move(tree.liaison_a, p, "rectifying")
    p = must_move(tree.liaison_a, p, "rectified", attachment_ids=[photo["id"]])
    h = tree.office.get(f"/api/v1/problems/{p['id']}").json()["history"]
    assert [x["id"] for x in h[-1]["attachments"]] == [photo["id"]]


def test_linking_checks_the_attachments(tree, campaign):
    p = problem_in(tree.office, campaign["id"], tree.a, "rectifying")
    foreign = must_upload(tree.liaison_b, png(seed=5))
    # a county cannot smuggle a neighbour's file into its own problem
    assert_error(move(tree.liaison_a, p, "rectified",
                      attachment_ids=[foreign["id"]]), 403)
    assert_error(move(tree.liaison_a, p, "rectified",
                      attachment_ids=[999999]), 422, field="attachment_ids")
    assert_error(move(tree.liaison_a, p, "rectified", attachment_ids=[0]),
                 422, field="attachment_ids")
    mine = must_upload(tree.liaison_a, png(seed=6))
    assert_error(move(tree.liaison_a, p, "rectified",
                      attachment_ids=[mine["id"], mine["id"]]), 422,
                 field="attachment_ids")
    assert_error(move(tree.liaison_a, p, "rectified", attachment_ids="x"), 422,
                 field="attachment_ids")
    # nothing of that was written
    got = tree.office.get(f"/api/v1/problems/{p['id']}").json()
    assert got["status"] == "rectifying" and got["version"] == p["version"]
    assert must_move(tree.liaison_a, p, "rectified",
                     attachment_ids=[mine["id"]])["status"] == "rectified"


def test_size_limit_is_413(make_server):
    srv = make_server("--max-attachment", "2048", "--max-body", "1024")
    admin = login(srv.url, "admin", ADMIN_PASSWORD)
    t = make_tree(srv, admin)
    small = png(width=20, height=20, seed=9)
    assert 1024 < len(small) < 2048   # over the JSON cap, under the upload cap
    must_upload(t.office, small)
    big = png(width=40, height=40, seed=9)
    assert len(big) > 2048
    err = assert_error(upload(t.office, big), 413)
    assert "2048" in err["message"]


def test_linked_to_a_monthly_report(tree, campaign):
    """Evidence uploaded with a report is listed on it and readable by the
    report's lead unit above the uploader, never outside the tree."""
    r = tree.office.post("/api/v1/tasks", json={
        "campaign_id": campaign["id"],
        "category_code": campaign["categories"][0]["code"],
        "title": "开复工项目", "lead_unit_id": tree.a,
        "starts_on": "2026-01-01", "due_on": "2026-12-31"})
    assert r.status_code == 201, r.text
    task = r.json()
    photo = must_upload(tree.liaison_a, png(seed=41), "开工现场.png")
    r = tree.liaison_a.post(f"/api/v1/tasks/{task['id']}/reports", json={
        "period": "2026-03", "summary": "已开工",
        "attachment_ids": [photo["id"]]})
    assert r.status_code == 201, r.text
    assert r.json()["attachment_ids"] == [photo["id"]]
    reports = tree.office.get(f"/api/v1/tasks/{task['id']}/reports").json()
    assert reports["items"][0]["attachment_ids"] == [photo["id"]]
    assert tree.office.get(
        f"/api/v1/attachments/{photo['id']}").content == png(seed=41)
    assert tree.liaison_x.get(
        f"/api/v1/attachments/{photo['id']}").status_code == 403
    # an unknown attachment is refused and nothing is written
    r = tree.liaison_a.post(f"/api/v1/tasks/{task['id']}/reports", json={
        "period": "2026-04", "summary": "x", "attachment_ids": [999999]})
    assert_error(r, 422, field="attachment_ids")
    reports = tree.office.get(f"/api/v1/tasks/{task['id']}/reports").json()
    assert [x["period"] for x in reports["items"]] == ["2026-03"]
