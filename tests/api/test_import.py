"""Importing a problem list or ledger (issue 5): .xlsx and .csv (UTF-8 with
or without BOM, GB18030), headers by name in any order, all rows or none
with every bad row named, wrong formats refused, and `duban import`."""

import datetime
import io
import os
import pty
import subprocess

import openpyxl
import pytest

from duban_client import (ADMIN_PASSWORD, DUBAN_BIN, assert_error,
                          clean_env, cst_today, login, run_cli)
from problem_helpers import make_tree, new_campaign, problem_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["序号", "单位", "问题来源", "问题类别", "问题描述", "整改措施",
           "责任人", "整改时限", "整改进展", "状态", "销号日期"]


@pytest.fixture(scope="module")
def tree(server, admin):
    return make_tree(server, admin)


def workbook(rows, headers=HEADERS, title=None):
    """An .xlsx (bytes) with an optional title row, the headers, the rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "问题清单"
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, datetime.datetime):
                c.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_text(rows, headers=HEADERS):
    def cell(v):
        v = "" if v is None else str(v)
        if any(ch in v for ch in ',"\n'):
            v = '"' + v.replace('"', '""') + '"'
        return v
    return "".join(",".join(cell(v) for v in r) + "\r\n"
                   for r in [headers] + rows)


def post_import(s, campaign_id, body, content_type=XLSX, query=""):
    return s.post(f"/api/v1/campaigns/{campaign_id}/problems/import{query}",
                  data=body, headers={"Content-Type": content_type})


def count(s, campaign_id):
    r = s.get(f"/api/v1/problems?campaign_id={campaign_id}&per_page=1")
    assert r.status_code == 200, r.text
    return r.json()["total"]


def problems(s, ids):
    out = []
    for i in ids:
        r = s.get(f"/api/v1/problems/{i}")
        assert r.status_code == 200, r.text
        out.append(r.json())
    return out


# --- good files -----------------------------------------------------------------

def test_good_xlsx(tree):
    c = new_campaign(tree)
    rows = [
        [1, "兴城市", "群众提", "不想为", "窗口办事推诿扯皮", "建立首问负责制",
         "张三", datetime.datetime(2026, 12, 31), "", "待整改", None],
        [2, tree.a_code, "self", "不敢为", "项目审批拖延", None, None,
         "2026/12/1", None, None, None],
        [3, "绥中县(李四)", "巡视巡察", None, "个人作风问题", "谈话提醒", "李四",
         "立行立改", None, "open", None],
    ]
    r = post_import(tree.office, c["id"], workbook(rows, title="问题清单（第一批）"),
                    query="?filename=" + "问题清单.xlsx")
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["imported"] == 3 and len(out["ids"]) == 3
    assert out["format"] == "xlsx" and out["sheet"] == "问题清单"
    p1, p2, p3 = problems(tree.office, out["ids"])
    assert (p1["unit_id"], p1["source"], p1["category"]) == \
        (tree.a, "public", "不想为")
    assert p1["due_on"] == "2026-12-31" and p1["status"] == "open"
    assert p1["measures"] == "建立首问负责制"
    assert p1["responsible_name"] == "张三"
    assert (p2["unit_id"], p2["source"], p2["due_on"]) == \
        (tree.a, "self", "2026-12-01")
    assert p2["person_name"] is None
    assert (p3["unit_id"], p3["person_name"]) == (tree.b, "李四")
    assert (p3["source"], p3["audit_kind"]) == ("audit", "巡视巡察")
    assert p3["immediate"] is True and p3["due_on"] == p3["found_on"]
    assert p3["history"][0]["to"] == "open"


def test_headers_in_any_order_with_found_date_and_workdays(tree):
    c = new_campaign(tree)
    passed = cst_today() - datetime.timedelta(days=40)
    headers = ["整改时限", "问题描述", "发现日期", "问题来源", "单位", "备注"]
    rows = [["1个工作日", "节前值班缺岗", datetime.datetime(2026, 2, 13),
             "组织查", "市发改委", "extra columns are ignored"],
            ["2 个工作日", "节后上班迟到", "2026-02-13", "inspection",
             "市发改委", None],
            [passed.isoformat(), "问题已过期限", None, "上级点", "绥中县",
             None]]
    r = post_import(tree.office, c["id"], workbook(rows, headers))
    assert r.status_code == 201, r.text
    p1, p2, p3 = problems(tree.office, r.json()["ids"])
    assert (p1["found_on"], p1["due_on"]) == ("2026-02-13", "2026-02-14")
    assert (p2["found_on"], p2["due_on"]) == ("2026-02-13", "2026-02-24")
    assert p1["source"] == "inspection" and p1["unit_id"] == tree.d
    # no found date and a deadline that has passed: overdue from the start
    assert (p3["found_on"], p3["due_on"]) == (passed.isoformat(),
                                              passed.isoformat())
    after = passed + datetime.timedelta(days=1)
    r = tree.office.get(f"/api/v1/problems/{p3['id']}?as_of={after}")
    assert r.json()["overdue"] is True


def test_good_gb18030_csv(tree):
    c = new_campaign(tree)
    text = csv_text([
        ["1", "兴城市", "群众提", "不想为", "“门难进、脸难看”问题", "整改, 并公开承诺",
         "王五", "2026-12-31", "", "待整改", ""],
        ["2", "绥中县", "自己找", "", "会议多\n文件多", "", "", "2026/12/20", "",
         "", ""],
    ])
    body = text.encode("gb18030")
    assert body.decode("utf-8", errors="replace") != text  # not UTF-8
    r = post_import(tree.liaison, c["id"], body, "text/csv")
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["format"] == "csv" and out["encoding"] == "gb18030"
    p1, p2 = problems(tree.office, out["ids"])
    assert p1["description"] == "“门难进、脸难看”问题"
    assert p1["measures"] == "整改, 并公开承诺"
    assert p2["description"] == "会议多\n文件多"
    assert p2["unit_id"] == tree.b and p2["due_on"] == "2026-12-20"


def test_utf8_csv_with_bom_and_format_query(tree):
    c = new_campaign(tree)
    body = b"\xef\xbb\xbf" + csv_text(
        [["1", "兴城市", "上级点", "", "'=SUM(A1)", "", "", "2026-12-31",
          "", "", ""]]).encode()
    r = post_import(tree.office, c["id"], body, "application/octet-stream",
                    "?format=csv")
    assert r.status_code == 201, r.text
    assert r.json()["encoding"] == "utf-8"
    (p,) = problems(tree.office, r.json()["ids"])
    # the export's defusing quote comes off again
    assert p["description"] == "=SUM(A1)"


def test_export_then_import_round_trip(tree):
    src = new_campaign(tree)
    for unit in (tree.a, tree.b):
        problem_in(tree.office, src["id"], unit, "open", due_on="2026-12-31",
                   person_name="赵六" if unit == tree.b else None)
    problem_in(tree.office, src["id"], tree.a, "open", source="audit",
               audit_kind="统计督察", due_on="2026-12-31")
    r = tree.office.get(f"/api/v1/campaigns/{src['id']}/ledger.xlsx")
    assert r.status_code == 200
    dst = new_campaign(tree)
    r = post_import(tree.office, dst["id"], r.content)
    assert r.status_code == 201, r.text
    assert r.json()["imported"] == 3
    got = problems(tree.office, r.json()["ids"])
    assert sorted((p["unit_id"], p["person_name"], p["source"],
                   p["audit_kind"], p["due_on"]) for p in got) == sorted([
        (tree.a, None, "self", None, "2026-12-31"),
        (tree.a, None, "audit", "统计督察", "2026-12-31"),
        (tree.b, "赵六", "self", None, "2026-12-31")])


# --- bad files ------------------------------------------------------------------

def test_a_broken_row_imports_nothing_and_is_named(tree):
    c = new_campaign(tree)
    before = count(tree.office, c["id"])
    rows = [
        [1, "兴城市", "群众提", "不想为", "好的一行", None, None, "2026-12-31",
         None, None, None],
        [2, "不存在的县", "群众提", None, "单位不对", None, None, "2026-12-31",
         None, None, None],
        [3, "绥中县", "听说的", None, "来源不对", None, None, "下个月", None,
         "已销号", "2026-03-01"],
        [4, "兴城市", "自己找", "乱作为", "类别不在主题里", None, None,
         "2026-12-31", None, None, None],
        [5, "兴城市", "自己找", None, None, None, None, "2026-12-31", None,
         None, None],
        [None] * 11,                      # a blank row is skipped
        [7, "兴城市", "自己找", None, "也是好的", None, None, "2026-12-31",
         None, None, None],
    ]
    r = post_import(tree.office, c["id"], workbook(rows))
    err = assert_error(r, 422, code="invalid_rows")
    bad = {(e["row"], e["field"]) for e in err["rows"]}
    assert bad == {(3, "单位"), (4, "问题来源"), (4, "整改时限"), (4, "状态"),
                   (4, "销号日期"), (5, "问题类别"), (6, "问题描述")}
    assert all(e["message"] for e in err["rows"])
    assert "nothing was imported" in err["message"]
    assert count(tree.office, c["id"]) == before


def test_rows_outside_the_importers_scope(tree):
    c = new_campaign(tree)
    rows = [[1, "兴城市", "自己找", None, "本县的问题", None, None, "2026-12-31",
             None, None, None],
            [2, "绥中县", "自己找", None, "邻县的问题", None, None, "2026-12-31",
             None, None, None]]
    r = post_import(tree.liaison_a, c["id"], workbook(rows))
    err = assert_error(r, 422, code="invalid_rows")
    assert [(e["row"], e["field"]) for e in err["rows"]] == [(3, "单位")]
    assert count(tree.office, c["id"]) == 0
    # a campaign of another branch is out of reach altogether
    assert_error(post_import(tree.liaison_x, c["id"], workbook(rows[:1])), 403)
    assert_error(post_import(tree.office, 999999, workbook(rows[:1])), 404)


@pytest.mark.parametrize("body, ctype, query, code, field", [
    (b"%PDF-1.7\n...", "application/pdf", "", "unsupported_type", "file"),
    (b"\x89PNG\r\n\x1a\n\0\0", "application/octet-stream", "",
     "unsupported_type", "file"),
    (b"\x89PNG\r\n\x1a\n\0\0", XLSX, "", None, "file"),
    (b"\x89PNG\r\n\x1a\n\0\0", "text/csv", "", None, "file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "application/octet-stream", "", "unsupported_type", "file"),
    (b"a,b\n", "text/csv", "?format=xls", "unsupported_type", "format"),
    (b"PK\x03\x04 not really a zip", XLSX, "", None, "file"),
    (b"", "text/csv", "", None, "file"),
])
def test_wrong_format_is_422(tree, body, ctype, query, code, field):
    c = new_campaign(tree)
    r = post_import(tree.office, c["id"], body, ctype, query)
    assert_error(r, 422, code=code, field=field)


def test_missing_columns_and_header(tree):
    c = new_campaign(tree)
    r = post_import(tree.office, c["id"], workbook(
        [["兴城市", "问题"]], headers=["单位", "问题描述"]))
    err = assert_error(r, 422, code="missing_column", field="file")
    assert "问题来源" in err["message"]
    r = post_import(tree.office, c["id"], csv_text([["x"]], headers=["甲", "乙"])
                    .encode(), "text/csv")
    assert_error(r, 422, code="no_header", field="file")


def test_import_size_limit(make_server):
    srv = make_server("--max-body", "4096")
    admin = login(srv.url, "admin", ADMIN_PASSWORD)
    t = make_tree(srv, admin)
    c = new_campaign(t)
    rows = [[i, "兴城市", "自己找", None, "问题" * 40, None, None, "2026-12-31",
             None, None, None] for i in range(1, 40)]
    r = post_import(t.office, c["id"], csv_text(rows).encode(), "text/csv")
    assert_error(r, 413)
    assert count(t.office, c["id"]) == 0


def test_roles(tree):
    c = new_campaign(tree)
    body = workbook([[1, "兴城市", "自己找", None, "x", None, None,
                      "2026-12-31", None, None, None]])
    assert_error(post_import(tree.leader, c["id"], body), 403)
    r = tree.office.post(f"/api/v1/campaigns/{c['id']}/problems/import",
                         data=body, headers={"Authorization": ""})
    assert r.status_code == 401


# --- the command line -----------------------------------------------------------

def test_cli_import(tree, server, tmp_path):
    c = new_campaign(tree)
    good = tmp_path / "ledger.csv"
    good.write_bytes(csv_text([
        ["1", "兴城市", "群众提", "", "命令行导入的问题", "", "", "2026-12-31", "",
         "", ""]]).encode("gb18030"))
    cp = run_cli("import", "--db", server.db, "--campaign", c["id"], good)
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout == f"imported 1 problems into campaign {c['id']} " \
                        f"from '{good}'\n"
    assert count(tree.office, c["id"]) == 1
    r = tree.office.get(f"/api/v1/problems?campaign_id={c['id']}")
    assert r.json()["items"][0]["description"] == "命令行导入的问题"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([[1, "无此单位", "群众提", None, "x", None, None,
                               "2026-12-31", None, None, None]]))
    cp = run_cli("import", "--db", server.db, "--campaign", c["id"], bad)
    assert cp.returncode == 2
    assert "row 2, 单位:" in cp.stderr and "nothing was imported" in cp.stderr
    assert count(tree.office, c["id"]) == 1
    cp = run_cli("import", "--db", server.db, good)
    assert cp.returncode == 2 and "usage" in cp.stderr


def test_cli_import_shows_progress_on_a_terminal(tree, server, tmp_path):
    c = new_campaign(tree)
    f = tmp_path / "many.csv"
    f.write_text(csv_text([[str(i), "兴城市", "自己找", "", f"问题{i}", "", "",
                            "2026-12-31", "", "", ""]
                           for i in range(1, 2501)]))
    master, slave = pty.openpty()
    proc = subprocess.Popen([DUBAN_BIN, "import", "--db", str(server.db),
                             "--campaign", str(c["id"]), str(f)],
                            stdout=slave, stderr=subprocess.PIPE,
                            env=clean_env())
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    proc.stderr.close()
    text = out.decode()
    assert "import: writing" in text and "(100%)" in text
    assert text.rstrip().endswith(f"imported 2500 problems into campaign "
                                  f"{c['id']} from '{f}'")
    assert count(tree.office, c["id"]) == 2500
