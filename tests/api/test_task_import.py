"""Importing a campaign's task breakdown (任务分解表) from .xlsx or .csv:
POST /api/v1/campaigns/{id}/tasks/import and `duban import --kind tasks`.
Headers by name in any order, a task's further indicators and milestones on
the rows below it, sub-tasks by 上级序号 (a 序号 of the file or #ID), every
task checked as POST /tasks checks it, all rows or none with every bad row
named by row and column."""

import datetime
import io

import openpyxl
import pytest

from duban_client import (ADMIN_PASSWORD, assert_error, create_task,
                          create_unit, login, run_cli, unique)
from problem_helpers import make_tree, new_campaign

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["序号", "上级序号", "任务名称", "任务类别", "牵头单位", "配合单位",
           "责任领导", "工作专班", "开始日期", "完成时限", "指标名称", "目标值",
           "方向", "计量单位", "节点名称", "节点时限"]


@pytest.fixture(scope="module")
def tree(server, admin):
    t = make_tree(server, admin)
    # two townships of one name: naming it is ambiguous
    t.town_a = create_unit(admin, t.a, kind="township", name="城关镇")["id"]
    t.town_b = create_unit(admin, t.b, kind="township", name="城关镇")["id"]
    return t


def row(**cells):
    """A data row in HEADERS' order from {header: value}."""
    return [cells.get(h) for h in HEADERS]


def workbook(rows, headers=HEADERS, title=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    for line in ws.iter_rows():
        for c in line:
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
    return s.post(f"/api/v1/campaigns/{campaign_id}/tasks/import{query}",
                  data=body, headers={"Content-Type": content_type})


def count(s, campaign_id):
    r = s.get(f"/api/v1/tasks?campaign_id={campaign_id}&per_page=1")
    assert r.status_code == 200, r.text
    return r.json()["total"]


def tasks(s, ids):
    out = []
    for i in ids:
        r = s.get(f"/api/v1/tasks/{i}")
        assert r.status_code == 200, r.text
        out.append(r.json())
    return out


def bad_rows(r):
    err = assert_error(r, 422, code="invalid_rows")
    assert "nothing was imported" in err["message"]
    assert all(e["message"] for e in err["rows"])
    return {(e["row"], e["field"]) for e in err["rows"]}


# --- good files -----------------------------------------------------------------

def test_good_xlsx_with_sub_tasks_indicators_and_milestones(tree):
    c = new_campaign(tree)
    existing = create_task(tree.office, c["id"], tree.a,
                           starts_on="2026-01-01", due_on="2026-12-31")
    rows = [
        row(序号=1, 任务名称="招商引资攻坚", 任务类别="重点攻坚", 牵头单位="兴城市",
            配合单位="绥中县、市发改委", 责任领导="张副市长", 工作专班="李科长，王科员",
            开始日期=datetime.datetime(2026, 2, 1), 完成时限="2026年12月底",
            指标名称="签约项目", 目标值="不低于300个", 节点名称="一季度抓前期",
            节点时限=datetime.datetime(2026, 3, 31)),
        # merged cells: the rows below add indicators and milestones
        row(指标名称="争取上级资金", 目标值=60, 方向="≥", 计量单位="亿元",
            节点名称="二季度抓开工", 节点时限="2026/6/30"),
        row(序号=1, 指标名称="营商投诉", 目标值="≤5%"),
        row(序号="1.1", 上级序号=1, 任务名称="项目落地", 任务类别="ZDXM",
            牵头单位=tree.a_code, 完成时限="2026-09-30"),
        row(序号=2, 上级序号=f"#{existing['id']}", 任务名称="窗口服务提升",
            任务类别="重点民生", 牵头单位="绥中县", 完成时限="2026-11-30",
            指标名称="群众满意度", 目标值="95%以上"),
    ]
    r = post_import(tree.office, c["id"],
                    workbook(rows, title="作风建设行动任务分解表"),
                    query="?filename=任务分解表.xlsx")
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["campaign_id"] == c["id"]
    assert out["imported"] == 3 and len(out["ids"]) == 3
    assert out["format"] == "xlsx" and out["sheet"] == "任务分解表"
    t1, t2, t3 = tasks(tree.office, out["ids"])

    assert t1["title"] == "招商引资攻坚" and t1["category_code"] == "ZDGJ"
    assert t1["lead_unit_id"] == tree.a
    assert sorted(t1["co_unit_ids"]) == sorted([tree.b, tree.d])
    assert t1["leader_name"] == "张副市长"
    assert t1["team"] == ["李科长", "王科员"]
    assert (t1["starts_on"], t1["due_on"]) == ("2026-02-01", "2026-12-31")
    assert t1["parent_id"] is None
    assert [(i["name"], i["target"], i["comparator"], i["unit"])
            for i in t1["indicators"]] == [
        ("签约项目", 300, ">=", "个"), ("争取上级资金", 60, ">=", "亿元"),
        ("营商投诉", 5, "<=", "%")]
    assert [(m["title"], m["due_on"]) for m in t1["milestones"]] == [
        ("一季度抓前期", "2026-03-31"), ("二季度抓开工", "2026-06-30")]

    # a sub-task by its parent's 序号; no 开始日期: the campaign's first day
    assert t2["parent_id"] == t1["id"] and t2["category_code"] == "ZDXM"
    assert t2["lead_unit_id"] == tree.a
    assert (t2["starts_on"], t2["due_on"]) == ("2026-01-01", "2026-09-30")
    assert t2["indicators"] == [] and t2["milestones"] == []
    # a sub-task of a task already in the campaign
    assert t3["parent_id"] == existing["id"] and t3["lead_unit_id"] == tree.b
    assert [(i["name"], i["target"], i["comparator"], i["unit"])
            for i in t3["indicators"]] == [("群众满意度", 95, ">=", "%")]
    assert count(tree.office, c["id"]) == 4


def test_gb18030_csv_in_another_column_order_with_english_aliases(tree):
    c = new_campaign(tree)
    headers = ["title", "due_on", "lead_unit", "category", "备注", "序号",
               "co_units", "milestone", "milestone_due"]
    text = csv_text([
        ["“门难进、脸难看”专项整治", "2026-10-31", "市发改委", "ZDMS",
         "other columns are ignored", "一", "兴城市；绥中县", "", ""],
        ["", "", "", "", "", "一", "", "自查自纠", "2026年4月30日"],
        ["会议多, 文件多", "2026/12/31", "兴城市", "重大制度性创新", "", "二",
         "", "", ""],
    ], headers)
    body = text.encode("gb18030")
    assert body.decode("utf-8", errors="replace") != text  # not UTF-8
    r = post_import(tree.office, c["id"], body, "text/csv")
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["format"] == "csv" and out["encoding"] == "gb18030"
    assert out["sheet"] is None
    t1, t2 = tasks(tree.office, out["ids"])
    assert t1["title"] == "“门难进、脸难看”专项整治"
    assert t1["lead_unit_id"] == tree.d
    assert sorted(t1["co_unit_ids"]) == sorted([tree.a, tree.b])
    assert [(m["title"], m["due_on"]) for m in t1["milestones"]] == [
        ("自查自纠", "2026-04-30")]
    assert t2["title"] == "会议多, 文件多" and t2["category_code"] == "ZDCX"


def test_utf8_csv_told_by_the_format_query(tree):
    c = new_campaign(tree)
    body = b"\xef\xbb\xbf" + csv_text([
        row(序号=1, 任务名称="精文减会", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="2026-06-30")]).encode()
    r = post_import(tree.office, c["id"], body, "application/octet-stream",
                    "?format=csv")
    assert r.status_code == 201, r.text
    assert r.json()["encoding"] == "utf-8" and r.json()["imported"] == 1


def test_the_import_is_audited(tree, admin):
    c = new_campaign(tree)
    r = post_import(tree.office, c["id"], workbook([
        row(任务名称="留痕", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="2026-06-30")]))
    assert r.status_code == 201, r.text
    r = admin.get(f"/api/v1/audit?entity=campaign&id={c['id']}")
    assert r.status_code == 200, r.text
    actions = [a.get("action") for a in r.json()["items"]]
    assert "import_tasks" in actions


# --- bad files ------------------------------------------------------------------

def test_bad_rows_import_nothing_and_are_named(tree):
    c = new_campaign(tree)
    before = count(tree.office, c["id"])
    rows = [
        row(序号=1, 任务名称="好的一行", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="2026-12-31"),                                       # 3
        row(序号=2, 任务名称="单位不对", 任务类别="重点攻坚", 牵头单位="不存在的县",
            配合单位="绥中县、城关镇", 完成时限="2026-12-31"),               # 4
        row(序号=3, 任务名称="类别不对", 任务类别="不存在的类别", 牵头单位="兴城市",
            完成时限="2026-12-31"),                                       # 5
        row(序号=4, 任务名称="日期不对", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="明年"),                                              # 6
        row(序号=5, 任务名称="超出行动期限", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="2027-03-31"),                                       # 7
        row(序号=6, 任务名称="指标不对", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="2026-12-31", 指标名称="签约项目", 目标值="很多"),      # 8
        row(序号=6, 指标名称="落地项目", 目标值=200, 方向="差不多"),          # 9
        row(序号=7, 任务名称="节点超期", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="2026-12-31"),                                       # 10
        row(节点名称="节点超出期限", 节点时限="2027-01-31"),                  # 11
        row(序号=8, 上级序号=10, 任务名称="上级在后面", 任务类别="重点攻坚",
            牵头单位="兴城市", 完成时限="2026-12-31"),                      # 12
        row(序号=1, 任务名称="序号重复", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="2026-12-31"),                                       # 13
        [None] * len(HEADERS),                                           # 14
        row(序号=10, 任务名称="", 任务类别="重点攻坚", 牵头单位="兴城市"),     # 15
        row(序号=11, 任务名称="邻市的单位", 任务类别="重点攻坚", 牵头单位="锦州市",
            完成时限="2026-12-31"),                                       # 16
        row(序号=12, 上级序号="#999999", 任务名称="上级不存在", 任务类别="重点攻坚",
            牵头单位="兴城市", 完成时限="2026-12-31"),                      # 17
        row(序号=13, 任务名称="也是好的", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="2026-12-31"),                                       # 18
    ]
    r = post_import(tree.office, c["id"], workbook(rows, title="任务分解表"))
    assert bad_rows(r) == {
        (4, "牵头单位"), (4, "配合单位"),  # unknown; 城关镇 is ambiguous
        (5, "任务类别"), (6, "完成时限"), (7, "完成时限"),
        (8, "目标值"), (9, "方向"), (11, "节点时限"),
        (12, "上级序号"), (13, "序号"), (15, "任务名称"), (15, "完成时限"),
        (16, "牵头单位"), (17, "上级序号")}
    assert count(tree.office, c["id"]) == before


def test_a_continuation_row_must_not_change_its_task(tree):
    c = new_campaign(tree)
    rows = [row(序号=1, 任务名称="任务甲", 任务类别="重点攻坚", 牵头单位="兴城市",
                完成时限="2026-12-31"),
            row(序号=1, 任务名称="任务甲", 牵头单位="绥中县",
                节点名称="节点", 节点时限="2026-05-31")]
    assert bad_rows(post_import(tree.office, c["id"], workbook(rows))) == {
        (3, "牵头单位")}
    # a continuation row before any task
    rows = [row(指标名称="孤立的指标", 目标值=1)]
    assert bad_rows(post_import(tree.office, c["id"], workbook(rows))) == {
        (2, "任务名称"), (2, "牵头单位"), (2, "任务类别"), (2, "完成时限")}
    assert count(tree.office, c["id"]) == 0


def test_scope_roles_and_campaigns(tree):
    c = new_campaign(tree)
    body = workbook([row(任务名称="x", 任务类别="重点攻坚", 牵头单位="兴城市",
                         完成时限="2026-12-31")])
    # only an office managing the campaign imports
    for s in (tree.liaison, tree.leader, tree.inspector, tree.office_x):
        assert_error(post_import(s, c["id"], body), 403)
    assert_error(post_import(tree.office, 999999, body), 404)
    r = tree.office.post(f"/api/v1/campaigns/{c['id']}/tasks/import",
                         data=body, headers={"Authorization": ""})
    assert r.status_code == 401
    assert count(tree.office, c["id"]) == 0


@pytest.mark.parametrize("body, ctype, query, code, field", [
    (b"", "text/csv", "", None, "file"),
    (b"%PDF-1.7\n...", "application/pdf", "", "unsupported_type", "file"),
    (b"a,b\n", "text/csv", "?format=xls", "unsupported_type", "format"),
    (b"PK\x03\x04 not really a zip", XLSX, "", None, "file"),
    ("序号,任务名称,牵头单位,任务类别,完成时限\r\n".encode(), "text/csv", "", None,
     "file"),  # a header and no rows
])
def test_unreadable_files_are_422(tree, body, ctype, query, code, field):
    c = new_campaign(tree)
    assert_error(post_import(tree.office, c["id"], body, ctype, query), 422,
                 code=code, field=field)


def test_missing_columns_and_header(tree):
    c = new_campaign(tree)
    r = post_import(tree.office, c["id"], workbook(
        [["任务", "兴城市"]], headers=["任务名称", "牵头单位"]))
    err = assert_error(r, 422, code="missing_column", field="file")
    assert "任务类别" in err["message"]
    r = post_import(tree.office, c["id"],
                    csv_text([["x"]], headers=["问题描述", "单位"]).encode(),
                    "text/csv")
    assert_error(r, 422, code="no_header", field="file")


def test_import_size_limit(make_server):
    srv = make_server("--max-body", "4096")
    admin = login(srv.url, "admin", ADMIN_PASSWORD)
    t = make_tree(srv, admin)
    c = new_campaign(t)
    rows = [row(序号=i, 任务名称="任务" * 40, 任务类别="重点攻坚", 牵头单位="兴城市",
                完成时限="2026-12-31") for i in range(1, 40)]
    r = post_import(t.office, c["id"], csv_text(rows).encode(), "text/csv")
    assert_error(r, 413)
    assert count(t.office, c["id"]) == 0


# --- the command line -----------------------------------------------------------

def test_cli_import_tasks(tree, server, tmp_path):
    c = new_campaign(tree)
    good = tmp_path / "tasks.csv"
    good.write_bytes(csv_text([
        row(序号=1, 任务名称="命令行导入的任务", 任务类别="重点攻坚", 牵头单位="兴城市",
            完成时限="2026-12-31"),
        row(序号=2, 上级序号=1, 任务名称="子任务", 任务类别="重点攻坚",
            牵头单位="绥中县", 完成时限="2026-10-31")]).encode("gb18030"))
    cp = run_cli("import", "--db", server.db, "--campaign", c["id"],
                 "--kind", "tasks", good)
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout == f"imported 2 tasks into campaign {c['id']} " \
                        f"from '{good}'\n"
    r = tree.office.get(f"/api/v1/tasks?campaign_id={c['id']}")
    items = {t["title"]: t for t in r.json()["items"]}
    assert items["子任务"]["parent_id"] == items["命令行导入的任务"]["id"]

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([row(任务名称="x", 任务类别="重点攻坚",
                                  牵头单位="无此单位", 完成时限="2026-12-31")]))
    cp = run_cli("import", "--db", server.db, "--campaign", c["id"],
                 "--kind", "tasks", bad)
    assert cp.returncode == 2
    assert "row 2, 牵头单位:" in cp.stderr
    assert "nothing was imported" in cp.stderr
    assert count(tree.office, c["id"]) == 2

    cp = run_cli("import", "--db", server.db, "--campaign", c["id"],
                 "--kind", "meetings", good)
    assert cp.returncode == 2 and "kind" in cp.stderr
    # without --kind a task breakdown is read as a problem list
    cp = run_cli("import", "--db", server.db, "--campaign", c["id"], good)
    assert cp.returncode == 2 and "单位" in cp.stderr
    assert count(tree.office, c["id"]) == 2
