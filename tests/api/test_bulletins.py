"""Bulletins (通报) as official documents, typical cases (典型案例), and the
public page of a campaign (晒) (issue 7).

The ``w`` fixture builds one campaign of 2021 with data for the first
half-year, then drafts a bulletin from it:

    root (admin)
    └── 葫芦岛市 city (office)
        ├── 连山区 A  (liaison_a) a red task (missed milestone), an overdue
        │             problem on a person's list, evaluation 92 → excellent
        ├── 龙港区 B  a green task, evaluation 80
        ├── 南票区 C  evaluation 75
        ├── 兴城市 D  evaluation 70
        └── 绥中县 E  evaluation 96, vetoed → fair, last

The .docx is opened with python3-docx (Debian) and its XML read directly
for what python-docx does not model (the document grid, the footers).
"""

import io
import re
import zipfile
import xml.etree.ElementTree as ET

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Length

from duban_client import (USER_PASSWORD, assert_error, create_campaign,
                          create_task, create_unit, create_user,
                          file_complaint, login, public_get, root_unit_id)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

DOC_NUMBER = "葫政办发〔2021〕16号"
LEADER = "王副市长甲"            # a task's named leader
TEAM_MEMBER = "李科长乙"
PERSON = "赵某某丙"              # a person on the personal problem list
RESPONSIBLE = "钱主任丁"          # a problem's responsible person
CONTACT = "13912345678"
CASE_TITLE = "<script>alert('x')</script> 一网通办 & “零跑腿”"
BAD_CASE = "文山会海 <b>未见成效</b>"


@pytest.fixture(scope="module")
def server(make_server):
    return make_server("--public-rate", "10000")


class World:
    pass


@pytest.fixture(scope="module")
def w(server, admin):
    w = World()
    w.url = server.url
    w.admin = admin
    w.root = root_unit_id(admin)
    w.city = create_unit(admin, w.root, kind="city", name="葫芦岛市")["id"]
    names = ["连山区", "龙港区", "南票区", "兴城市", "绥中县"]
    w.u = [create_unit(admin, w.city, kind="county", name=n)["id"]
           for n in names]
    w.names = dict(zip(w.u, names))
    w.office = login(w.url, create_user(admin, w.city, ["office"])[
        "username"], USER_PASSWORD)
    w.liaison_a = login(w.url, create_user(admin, w.u[0], ["liaison"])[
        "username"], USER_PASSWORD)
    w.cid = create_campaign(w.office, w.city, title="“带头抓落实”专项行动",
                            doc_number=DOC_NUMBER)["id"]
    cid = w.cid
    # A: a milestone missed at the end of March: red on 2021-06-30
    w.red = create_task(w.office, cid, w.u[0], title="争取上级资金突破60亿元",
                        leader_name=LEADER, team=[TEAM_MEMBER],
                        indicators=[{"name": "上级资金", "unit": "亿元",
                                     "target": 60, "comparator": ">="}],
                        milestones=[{"title": "一季度抓前期",
                                     "due_on": "2021-03-31"}])
    w.green = create_task(w.office, cid, w.u[1], title="落地开工项目不低于200个",
                          leader_name=LEADER, team=[TEAM_MEMBER])
    r = w.office.post("/api/v1/problems", json={
        "campaign_id": cid, "unit_id": w.u[0], "person_name": PERSON,
        "source": "inspection", "description": "审批超时限办理",
        "measures": "限期整改", "responsible_name": RESPONSIBLE,
        "found_on": "2021-03-01", "due_on": "2021-04-30"})
    assert r.status_code == 201, r.text
    # the public files a complaint with a contact about A
    file_complaint(w.url, unit_id=w.u[0], contact=CONTACT)
    # the item lists
    r = w.office.post(f"/api/v1/campaigns/{cid}/items", json={
        "unit_id": w.u[1], "title": "项目审批提速争先",
        "description": "审批时限压缩一半"})
    assert r.status_code == 201, r.text
    # the assessment: evaluations only, and a veto
    r = w.office.put(f"/api/v1/campaigns/{cid}/assessment-scheme", json={
        "weights": {"progress": 0, "not_red": 0, "reports_on_time": 0,
                    "ledger_closure": 0, "overdue_problems": 0,
                    "complaint_response": 0, "complaint_resolution": 0,
                    "complaint_satisfaction": 0, "evaluation": 100}})
    assert r.status_code == 200, r.text
    for unit, score in zip(w.u, [92, 80, 75, 70, 96]):
        r = w.office.post(f"/api/v1/campaigns/{cid}/evaluations", json={
            "unit_id": unit, "period": "2021-H1", "score": score})
        assert r.status_code == 201, r.text
    r = w.office.post(f"/api/v1/campaigns/{cid}/vetoes", json={
        "unit_id": w.u[4], "period": "2021-H1", "reason": "虚报项目进度"})
    assert r.status_code == 201, r.text
    r = w.office.post(f"/api/v1/campaigns/{cid}/adjustments", json={
        "unit_id": w.u[1], "period": "2021-H1", "kind": "bonus",
        "points": 1, "reason": "招商引资工作受到省政府通报表扬"})
    assert r.status_code == 201, r.text
    # typical cases, good and bad, one of another period
    for body in ({"unit_id": w.u[1], "kind": "good", "title": CASE_TITLE,
                  "summary": "企业开办 1 个工作日办结 <i>全市推广</i>"},
                 {"unit_id": w.u[3], "kind": "bad", "title": BAD_CASE,
                  "summary": "一季度召开会议 40 余次"},
                 {"kind": "good", "title": "下半年的案例", "summary": "不应出现",
                  "period": "2021-H2"}):
        r = w.office.post(f"/api/v1/campaigns/{cid}/cases",
                          json={"period": "2021-H1", **body})
        assert r.status_code == 201, r.text
    r = w.office.post(f"/api/v1/campaigns/{cid}/bulletins",
                      json={"period": "2021-H1", "doc_number": DOC_NUMBER})
    assert r.status_code == 201, r.text
    w.draft = r.json()
    w.bid = w.draft["id"]
    return w


def texts(b):
    return [p.get("text") for p in b["paragraphs"]]


def html(s, bid):
    r = s.get(f"/api/v1/bulletins/{bid}.html")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    return r


def word(s, bid):
    r = s.get(f"/api/v1/bulletins/{bid}.docx")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document")
    assert "attachment" in r.headers["Content-Disposition"]
    return r.content


# --- the draft --------------------------------------------------------------

def test_the_draft_is_generated_from_the_data(w):
    b = w.draft
    assert b["status"] == "draft" and b["version"] == 1
    assert b["serial"] is None and b["published_on"] is None
    assert b["doc_number"] == DOC_NUMBER and b["period"] == "2021-H1"
    assert b["period_label"] == "2021年上半年"
    assert b["title"] == "关于2021年上半年“带头抓落实”专项行动工作推进情况的通报"
    assert b["issuer"] == "葫芦岛市" and b["signature"] == "葫芦岛市"
    assert b["data_as_of"] == "2021-06-30"
    t = texts(b)
    headings = [(p["level"], p["text"]) for p in b["paragraphs"]
                if p.get("level")]
    assert [h for h in headings if h[0] == 1] == [
        (1, "总体进展情况"), (1, "考核排名情况"), (1, "红灯任务和逾期问题"),
        (1, "通报表扬和通报批评"), (1, "典型案例"), (1, "下一步工作要求")]
    body = "\n".join(x for x in t if x)
    # the progress summary counts on the period's last day
    assert "共部署任务2项" in body and "红灯1项" in body
    assert "整改台账共登记问题1个" in body and "逾期未整改1个" in body
    # red tasks and overdue problems, by unit, without persons
    assert "争取上级资金突破60亿元（牵头单位：连山区，完成时限：2021-12-31）。" in t
    assert "连山区：审批超时限办理（整改时限：2021-04-30）。" in t
    for name in (LEADER, TEAM_MEMBER, PERSON, RESPONSIBLE, CONTACT):
        assert name not in body
    # the ranking table, from the ranking
    assert {"table": "ranking"} in b["paragraphs"]
    rows = b["tables"]["ranking"]["rows"]
    assert b["tables"]["ranking"]["columns"] == ["名次", "单位", "得分", "等次",
                                                 "较上期"]
    assert [r[:4] for r in rows] == [
        [1, "连山区", "92.00", "优秀"], [2, "龙港区", "81.00", "较好"],
        [3, "南票区", "75.00", "较好"], [4, "兴城市", "70.00", "较好"],
        [5, "绥中县", "96.00", "一般"]]
    # commendations and criticisms from grades, bonus points and vetoes
    assert "对考核等次为“优秀”的连山区予以通报表扬。" in t
    assert "龙港区招商引资工作受到省政府通报表扬，在考核中加1分。" in t
    assert any(x and x.startswith("对考核等次为“一般”的绥中县予以通报批评")
               for x in t)
    assert "绥中县因虚报项目进度，实行“一票否决”，考核等次直接降为“一般”。" in t
    # typical cases of the period, good and bad
    assert (2, "正面典型") in headings and (2, "反面典型") in headings
    assert "龙港区：" + CASE_TITLE in t
    assert "兴城市：" + BAD_CASE in t
    assert "下半年的案例" not in body


def test_cases_are_listed_and_checked(w):
    r = w.office.get(f"/api/v1/campaigns/{w.cid}/cases",
                     params={"period": "2021-H1"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(c["kind"], c["unit_name"]) for c in items] == [
        ("good", "龙港区"), ("bad", "兴城市")]
    for body, field in (({"kind": "neutral"}, "kind"),
                        ({"title": ""}, "title"),
                        ({"period": "2021-Q9"}, "period")):
        b = {"period": "2021-H1", "kind": "good", "title": "t",
             "summary": "s", **body}
        assert_error(w.office.post(f"/api/v1/campaigns/{w.cid}/cases",
                                   json=b), 422, field=field)
    assert_error(w.liaison_a.post(f"/api/v1/campaigns/{w.cid}/cases", json={
        "period": "2021-H1", "kind": "good", "title": "t", "summary": "s"}),
        403)


def test_the_page_is_escaped(w):
    r = html(w.office, w.bid)
    page = r.text
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    assert "script-src" not in r.headers["Content-Security-Policy"]
    assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
    # the office's text is shown, never run
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert ("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; 一网通办 &amp; "
            "“零跑腿”") in page
    assert "文山会海 &lt;b&gt;未见成效&lt;/b&gt;" in page
    assert "&lt;i&gt;全市推广&lt;/i&gt;" in page
    # the parts of the document, numbered
    assert "葫芦岛市文件" in page and DOC_NUMBER in page
    assert "<h2>一、总体进展情况</h2>" in page
    assert "<h2>二、考核排名情况</h2>" in page
    assert "<h3>（一）红灯任务</h3>" in page
    assert "<p>1.争取上级资金突破60亿元" in page
    assert "<td>连山区</td>" in page
    assert "草稿" in page


def test_editing_the_draft(w):
    b = w.office.get(f"/api/v1/bulletins/{w.bid}").json()
    paras = b["paragraphs"] + [{"level": 1, "text": "附加说明"},
                               {"level": 0, "text": "请各单位 <认真> 落实。"}]
    r = w.office.patch(f"/api/v1/bulletins/{w.bid}", json={
        "version": b["version"], "paragraphs": paras,
        "addressee": "各县（市）区人民政府，各市属开发区管委会，市政府各部门："})
    assert r.status_code == 200, r.text
    e = r.json()
    assert e["version"] == b["version"] + 1
    assert e["paragraphs"][-1] == {"level": 0, "text": "请各单位 <认真> 落实。"}
    assert e["addressee"].startswith("各县（市）区人民政府")
    assert e["tables"] == b["tables"]  # the data's tables stay
    page = html(w.office, w.bid).text
    assert "<h2>七、附加说明</h2>" in page
    assert "请各单位 &lt;认真&gt; 落实。" in page
    # a stale version
    assert_error(w.office.patch(f"/api/v1/bulletins/{w.bid}", json={
        "version": b["version"], "title": "x"}), 409, "stale_version")
    # bad paragraphs
    for bad, field in (([{"level": 5, "text": "x"}], "paragraphs[0].level"),
                       ([{"text": ""}], "paragraphs[0].text"),
                       ([{"table": "nothing"}], "paragraphs[0].table"),
                       ([{"text": "x", "style": "red"}], "paragraphs[0]"),
                       (["x"], "paragraphs")):
        assert_error(w.office.patch(f"/api/v1/bulletins/{w.bid}", json={
            "version": e["version"], "paragraphs": bad}), 422, field=field)
    # only the office
    assert_error(w.liaison_a.patch(f"/api/v1/bulletins/{w.bid}", json={
        "version": e["version"], "title": "x"}), 403)


def test_drafts_are_for_the_office(w):
    # a unit below reads the campaign but not its drafts
    assert_error(w.liaison_a.get(f"/api/v1/bulletins/{w.bid}"), 403)
    assert_error(w.liaison_a.get(f"/api/v1/bulletins/{w.bid}.html"), 403)
    listed = w.liaison_a.get(f"/api/v1/campaigns/{w.cid}/bulletins").json()
    assert listed["items"] == []
    listed = w.office.get(f"/api/v1/campaigns/{w.cid}/bulletins").json()
    assert [b["id"] for b in listed["items"]] == [w.bid]
    # and the public never
    r = public_get(w.url, f"/api/v1/public/bulletins/{w.bid}.html")
    assert r.status_code == 404


# --- the Word document ------------------------------------------------------

def test_the_word_document_is_laid_out_per_gbt_9704(w):
    data = word(w.office, w.bid)
    d = docx.Document(io.BytesIO(data))
    assert len(d.sections) == 1
    s = d.sections[0]
    # A4, top 37 mm, binding (left) 28 mm, type area 156 x 225 mm
    assert (s.page_width.twips, s.page_height.twips) == (11906, 16838)
    assert s.page_width.mm == pytest.approx(210, abs=0.05)
    assert s.page_height.mm == pytest.approx(297, abs=0.05)
    assert s.top_margin.mm == pytest.approx(37, abs=0.05)
    assert s.left_margin.mm == pytest.approx(28, abs=0.05)
    assert Length(s.page_width - s.left_margin - s.right_margin).mm == \
        pytest.approx(156, abs=0.05)
    assert Length(s.page_height - s.top_margin - s.bottom_margin).mm == \
        pytest.approx(225, abs=0.05)
    assert s.orientation == 0  # portrait
    # the issuer's mark, the number centred under it, the title
    paras = [p for p in d.paragraphs if p.text]
    assert paras[0].text == "葫芦岛市文件" and paras[0].style.name == "Issuer"
    assert paras[1].text == DOC_NUMBER
    assert paras[1].style.paragraph_format.alignment == \
        WD_ALIGN_PARAGRAPH.CENTER
    title = paras[2]
    assert title.text == w.draft["title"] and title.style.name == "Title"
    assert title.style.paragraph_format.alignment == \
        WD_ALIGN_PARAGRAPH.CENTER
    assert title.style.font.size.pt == 22
    assert d.styles["Normal"].font.size.pt == 16
    # the red separator line under the number
    bdr = d.styles["Document Number"].element.find(
        f"{W}pPr/{W}pBdr/{W}bottom")
    assert bdr.get(f"{W}color") == "FF0000"
    # headings 一、 in 黑体, （一） in 楷体
    h1 = [p for p in paras if p.style.name == "Heading 1"]
    assert [p.text for p in h1][:2] == ["一、总体进展情况", "二、考核排名情况"]
    h2 = [p.text for p in paras if p.style.name == "Heading 2"]
    assert h2[:2] == ["（一）红灯任务", "（二）逾期未整改问题"]
    fonts = {name: d.styles[name].element.find(f"{W}rPr/{W}rFonts").get(
        f"{W}eastAsia") for name in ("Normal", "Title", "Heading 1",
                                     "Heading 2")}
    assert fonts == {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体",
                     "Heading 1": "黑体", "Heading 2": "楷体_GB2312"}
    assert any(p.text == "1.争取上级资金突破60亿元（牵头单位：连山区，完成时限："
               "2021-12-31）。" for p in paras)
    # the text as written, escaped back by the XML
    assert any(p.text == "2.龙港区：" + CASE_TITLE or
               p.text == "1.龙港区：" + CASE_TITLE for p in paras)
    # the ranking table
    t = d.tables[0]
    assert [c.text for c in t.rows[0].cells] == ["名次", "单位", "得分", "等次",
                                                 "较上期"]
    assert [c.text for c in t.rows[1].cells][:4] == ["1", "连山区", "92.00",
                                                     "优秀"]
    assert len(t.rows) == 6
    # the signature and the date close the document
    assert paras[-2].text == "葫芦岛市"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", paras[-1].text)
    assert d.core_properties.title == w.draft["title"]
    for name in (LEADER, PERSON, RESPONSIBLE, CONTACT):
        assert all(name not in p.text for p in d.paragraphs)


def test_the_word_package(w):
    z = zipfile.ZipFile(io.BytesIO(word(w.office, w.bid)))
    names = z.namelist()
    assert names[0] == "[Content_Types].xml"
    for part in ("_rels/.rels", "word/document.xml", "word/styles.xml",
                 "word/settings.xml", "word/footer1.xml", "word/footer2.xml",
                 "word/_rels/document.xml.rels", "docProps/core.xml",
                 "docProps/app.xml", "word/fontTable.xml"):
        assert part in names
    for name in names:
        ET.fromstring(z.read(name))  # every part is well-formed XML
    doc = ET.fromstring(z.read("word/document.xml"))
    sect = doc.find(f"{W}body/{W}sectPr")
    grid = sect.find(f"{W}docGrid")
    # 22 lines of 28 characters
    assert grid.get(f"{W}type") == "linesAndChars"
    assert grid.get(f"{W}linePitch") == "579"
    assert grid.get(f"{W}charSpace") == "-842"
    mar = sect.find(f"{W}pgMar")
    assert {k: mar.get(f"{W}{k}") for k in ("top", "bottom", "left",
                                           "right")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    refs = {r.get(f"{W}type") for r in sect.findall(f"{W}footerReference")}
    assert refs == {"default", "even"}
    # page numbers "— 1 —", 4号 宋体, outside: right on odd, left on even
    odd = ET.fromstring(z.read("word/footer1.xml"))
    even = ET.fromstring(z.read("word/footer2.xml"))
    text = "".join(t.text or "" for t in odd.iter(f"{W}t"))
    assert text == "— 1 —"
    assert any(" PAGE " == (i.text or "") for i in odd.iter(f"{W}instrText"))
    assert odd.find(f".//{W}jc").get(f"{W}val") == "right"
    assert even.find(f".//{W}jc").get(f"{W}val") == "left"
    settings = ET.fromstring(z.read("word/settings.xml"))
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    styles = ET.fromstring(z.read("word/styles.xml"))
    footer = [s for s in styles.findall(f"{W}style")
              if s.get(f"{W}styleId") == "Footer"][0]
    assert footer.find(f"{W}rPr/{W}sz").get(f"{W}val") == "28"
    assert footer.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii") == "宋体"


# --- publishing -------------------------------------------------------------

def test_publishing_numbers_and_freezes(w, admin):
    b = w.office.get(f"/api/v1/bulletins/{w.bid}").json()
    assert_error(w.office.post(f"/api/v1/bulletins/{w.bid}/publish",
                               json={"version": b["version"] - 1}), 409)
    assert_error(w.liaison_a.post(f"/api/v1/bulletins/{w.bid}/publish",
                                  json={"version": b["version"]}), 403)
    r = w.office.post(f"/api/v1/bulletins/{w.bid}/publish",
                      json={"version": b["version"]})
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["status"] == "published" and p["serial"] == 1
    assert p["published_on"] and p["version"] == b["version"] + 1
    assert p["paragraphs"] == b["paragraphs"]
    # frozen
    assert_error(w.office.patch(f"/api/v1/bulletins/{w.bid}", json={
        "version": p["version"], "title": "改"}), 409, "published")
    assert_error(w.office.post(f"/api/v1/bulletins/{w.bid}/publish",
                               json={"version": p["version"]}), 409)
    # later data does not change it
    r = w.office.post(f"/api/v1/campaigns/{w.cid}/evaluations", json={
        "unit_id": w.u[3], "period": "2021-H1", "score": 100})
    assert r.status_code == 201
    again = w.office.get(f"/api/v1/bulletins/{w.bid}").json()
    assert again["tables"] == p["tables"]
    assert again["paragraphs"] == p["paragraphs"]
    # the same document each time it is fetched
    d1, d2 = word(w.office, w.bid), word(w.office, w.bid)
    assert d1 == d2
    page = html(w.liaison_a, w.bid).text  # readers below see it now
    assert "草稿" not in page
    listed = w.liaison_a.get(f"/api/v1/campaigns/{w.cid}/bulletins").json()
    assert [(x["id"], x["serial"]) for x in listed["items"]] == [(w.bid, 1)]
    # a document number is used once
    r = w.office.post(f"/api/v1/campaigns/{w.cid}/bulletins",
                      json={"period": "2021-H1", "doc_number": DOC_NUMBER})
    assert r.status_code == 201
    second = r.json()
    assert second["tables"]["ranking"]["rows"][0][1] == "兴城市"
    assert_error(w.office.post(f"/api/v1/bulletins/{second['id']}/publish",
                               json={"version": 1}), 409, "duplicate")
    r = w.office.patch(f"/api/v1/bulletins/{second['id']}", json={
        "version": 1, "doc_number": "葫政办发〔2021〕17号"})
    assert r.status_code == 200, r.text
    r = w.office.post(f"/api/v1/bulletins/{second['id']}/publish",
                      json={"version": 2})
    assert r.status_code == 200 and r.json()["serial"] == 2
    # every step is audited
    audit = admin.get("/api/v1/audit", params={"entity": "bulletin",
                                              "id": w.bid}).json()
    assert {a["action"] for a in audit["items"]} >= {"create", "update",
                                                     "publish"}


def test_a_published_ranking_feeds_the_bulletin(w):
    r = w.office.post(f"/api/v1/campaigns/{w.cid}/ranking/publish",
                      params={"period": "2021-Q1"})
    assert r.status_code == 201, r.text
    r = w.office.post(f"/api/v1/campaigns/{w.cid}/bulletins",
                      json={"period": "2021-Q1", "doc_number": "葫政办发〔2021〕9号",
                            "title": "一季度通报"})
    assert r.status_code == 201, r.text
    b = r.json()
    assert b["ranking_version"] == 1 and b["title"] == "一季度通报"
    assert b["data_as_of"] == "2021-03-31"
    # nothing of Q1 is red yet (the milestone was due on the 31st)
    assert "本期无亮红灯任务。" in texts(b)


def test_bulletin_input_is_checked(w):
    base = f"/api/v1/campaigns/{w.cid}/bulletins"
    assert_error(w.office.post(base, json={"period": "2021-H1"}), 422,
                 field="doc_number")
    assert_error(w.office.post(base, json={"period": "2021-H3",
                                           "doc_number": "x"}), 422,
                 field="period")
    assert_error(w.liaison_a.post(base, json={"period": "2021-H1",
                                              "doc_number": "x"}), 403)
    assert_error(w.office.get("/api/v1/bulletins/999999"), 404)
    assert_error(w.office.get("/api/v1/bulletins/999999.docx"), 404)


# --- the public page (晒) ---------------------------------------------------

def test_the_public_page(w):
    r = public_get(w.url, f"/api/v1/public/campaigns/{w.cid}",
                   params={"as_of": "2021-06-30"})
    assert r.status_code == 200, r.text
    page = r.json()
    c = page["campaign"]
    assert c["title"] == "“带头抓落实”专项行动" and c["doc_number"] == DOC_NUMBER
    assert c["issuer"] == "葫芦岛市" and c["current_phase"] == "攻坚推进"
    targets = {t["title"]: t for t in page["targets"]}
    red = targets["争取上级资金突破60亿元"]
    assert red["light"] == "red" and red["lead_unit"] == "连山区"
    assert red["indicators"][0]["name"] == "上级资金"
    assert red["indicators"][0]["target"] == 60
    assert red["milestones"][0]["title"] == "一季度抓前期"
    # no report for May: yellow (报告缺报)
    assert targets["落地开工项目不低于200个"]["light"] == "yellow"
    assert [i["title"] for i in page["items"]] == ["项目审批提速争先"]
    ledger = {x["unit_id"]: x for x in page["ledger"]}
    assert ledger[w.u[0]]["total"] == 1 and ledger[w.u[0]]["overdue"] == 1
    assert set(ledger[w.u[0]]) == {"unit_id", "unit", "total", "closed",
                                   "open", "overdue", "cleared"}
    assert [(b["id"], b["doc_number"]) for b in page["bulletins"]][0] == (
        w.bid, DOC_NUMBER)
    # no person, no contact, no notes
    for secret in (LEADER, TEAM_MEMBER, PERSON, RESPONSIBLE, CONTACT,
                   "审批超时限办理", "leader_name", "team", "person_name",
                   "responsible_name", "contact", "evidence"):
        assert secret not in r.text, secret
    # the published bulletin itself, for everyone
    r = public_get(w.url, page["bulletins"][0]["html"])
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert DOC_NUMBER in r.text and "&lt;script&gt;" in r.text
    assert "<script>" not in r.text
    assert public_get(w.url, "/api/v1/public/campaigns/999999").status_code \
        == 404


def test_the_public_page_is_rate_limited(make_server):
    srv = make_server("--public-rate", "3")
    codes = [public_get(srv.url, "/api/v1/public/campaigns/1").status_code
             for _ in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]
