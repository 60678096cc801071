#!/usr/bin/env python3
"""Writes the seed inputs of tests/fuzz/corpus/ (see README.md).

Run it again after changing a seed here; the crashers found by fuzzing are
committed next to the seeds as crash-<what>, and this script leaves them be.
"""
import io
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PNS = 'http://schemas.openxmlformats.org/package/2006/relationships'
XLSX_CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml'

TABLE = [['序号', '单位', '问题描述', '整改时限', '数量'],
         ['1', '兴城市', '台账不全, "见底清零"未完成', '2026年3月底', '3'],
         ['2', '绥中县', '两行\n的描述', '2026/4/1', '12.5']]


def csv_text(rows, sep=','):
    def q(f):
        if any(c in f for c in sep + '"\n\r'):
            return '"' + f.replace('"', '""') + '"'
        return f
    return ''.join(sep.join(q(f) for f in r) + '\r\n' for r in rows)


def parts(rows):
    """The XML parts of a workbook holding rows, with shared strings,
    a date format and a number."""
    strings, cells = [], []
    for r, row in enumerate(rows, 1):
        cs = []
        for c, v in enumerate(row):
            ref = chr(ord('A') + c) + str(r)
            if r > 1 and c == 3:
                cs.append(f'<c r="{ref}" s="1"><v>46112</v></c>')
            elif r > 1 and c in (0, 4):
                cs.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                strings.append(v)
                cs.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        cells.append(f'<row r="{r}">{"".join(cs)}</row>')
    esc = lambda s: s.replace('&', '&amp;').replace('<', '&lt;')
    return {
        'xl/worksheets/sheet1.xml':
            f'<worksheet xmlns="{NS}"><sheetData>{"".join(cells)}'
            '</sheetData></worksheet>',
        'xl/sharedStrings.xml':
            f'<sst xmlns="{NS}">' + ''.join(
                f'<si><t>{esc(s)}</t></si>' for s in strings) + '</sst>',
        'xl/styles.xml':
            f'<styleSheet xmlns="{NS}"><numFmts><numFmt numFmtId="164" '
            'formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
            '</numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/>'
            '</cellXfs></styleSheet>',
        'xl/workbook.xml':
            f'<workbook xmlns="{NS}" xmlns:r="{RNS}"><workbookPr/><sheets>'
            '<sheet name="问题清单" sheetId="1" r:id="rId1"/></sheets>'
            '</workbook>',
        'xl/_rels/workbook.xml.rels':
            f'<Relationships xmlns="{PNS}"><Relationship Id="rId1" '
            f'Type="{RNS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RNS}/sharedStrings" '
            'Target="sharedStrings.xml"/><Relationship Id="rId3" '
            f'Type="{RNS}/styles" Target="styles.xml"/></Relationships>',
    }


def xlsx(rows):
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml',
                   '<Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Override PartName="/xl/workbook.xml"'
                   f' ContentType="{XLSX_CT}.sheet.main+xml"/></Types>')
        z.writestr('_rels/.rels', f'<Relationships xmlns="{PNS}"/>')
        for name, text in parts(rows).items():
            z.writestr(name, text)
    return out.getvalue()


def nul_parts(rows):
    """fuzz_xlsx's own form: sheet, strings, styles, workbook, rels."""
    p = parts(rows)
    order = ['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml',
             'xl/styles.xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels']
    return b'\0'.join(p[n].encode() for n in order)


def ole(stream):
    head = bytearray(512)
    head[:8] = b'\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1'
    head[30] = 9  # 512-byte sectors
    entry = bytearray(128)
    name = stream.encode('utf-16-le') + b'\0\0'
    entry[:len(name)] = name
    entry[64] = len(name)
    entry[66] = 2
    return bytes(head) + bytes(entry)


ICS = '''BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//duban//fuzz//ZH\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20251231\r
DTEND;VALUE=DATE:20260104\r
SUMMARY:元旦\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20260104\r
SUMMARY:元旦调休上\r
 班\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20260215\r
DURATION:P9D\r
SUMMARY:春节\\, 放假\r
X-DUBAN-KIND:off\r
BEGIN:VALARM\r
TRIGGER:-PT1H\r
END:VALARM\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20260301\r
SUMMARY:取消\r
STATUS:CANCELLED\r
END:VEVENT\r
END:VCALENDAR\r
'''

ROUTER = [
    'POST /api/v1/session\n{"username":"admin","password":"Duban-demo-2026"}',
    'POST /api/v1/units\n{"name":"兴城市","kind":"city","parent_id":1,'
    '"code":"XC","role":"sysadmin"}',
    'PATCH /api/v1/units/42\n{"name":"x","version":3}',
    'HEAD /api/v1/units/7\n',
    'GET /open311/v2/requests/ABC-123.json\n',
    'POST /api/v1/public/complaints/TRK-9/rating\n{"score":5}',
    'POST /fuzz\n{"name":"a","count":3,"score":1.5,"done":true,"ids":[1],'
    '"extra":{},"due_on":"2026-02-28","note":null}',
    'POST /fuzz\n{"name":"a","due_on":"2026-02-30"}',
    'POST /fuzz\n{"name":"a","name":"b"}',
]


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def main():
    text = csv_text(TABLE)
    write('csv', 'utf8.csv', text)
    write('csv', 'gb18030.csv', text.encode('gb18030'))
    write('csv', 'bom-semicolon.csv', '\ufeff' + csv_text(TABLE, ';'))
    write('csv', 'tab-cr.csv', csv_text(TABLE, '\t').replace('\r\n', '\r'))
    write('csv', 'quotes.csv', '"q"tail,"a""b",\n\n"open\r\nline",x')

    book = xlsx(TABLE)
    write('xlsx', 'minimal.xlsx', book)
    write('xlsx', 'parts.xml', nul_parts(TABLE))
    write('xlsx', 'inline.xml',
          f'<worksheet xmlns="{NS}"><sheetData><row><c t="inlineStr"><is>'
          '<r><t>富</t></r><r><t>文本</t></r><rPh><t>ふ</t></rPh></is></c>'
          '<c r="C1" t="b"><v>1</v></c><c t="e"><v>#N/A</v></c></row>'
          '<row r="5"><c t="str"><v>x</v></c><c><v>1e3</v></c></row>'
          '</sheetData></worksheet>')
    write('xlsx', 'date-format.xml', 'yyyy"年"m"月"d"日";[Red]0.00')

    write('filetype', 'minimal.xlsx', book)
    write('filetype', 'png', b'\x89PNG\r\n\x1a\n\0\0\0\rIHDR')
    write('filetype', 'jpeg', b'\xff\xd8\xff\xe0\0\x10JFIF\0')
    write('filetype', 'gif', b'GIF89a\1\0\1\0')
    write('filetype', 'webp', b'RIFF\x1a\0\0\0WEBPVP8 ')
    write('filetype', 'pdf', b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')
    write('filetype', 'doc', ole('WordDocument'))
    write('filetype', 'xls', ole('Workbook'))

    with open(os.path.join(HERE, '..', '..', 'data', 'calendar',
                           '2026.txt'), 'rb') as f:
        write('calendar', '2026.txt', f.read())
    write('calendar', 'minimal.txt',
          'year 2027\noff 2027-01-01 元旦\r\nwork 2027-01-02 2027-01-02 '
          '2027-01-03 名字像日期\n# comment\n')
    write('calendar', '2026.ics', ICS)

    for i, body in enumerate(ROUTER):
        write('router', f'body-{i}', body)

    write('import', 'utf8.csv', text)
    write('import', 'gb18030.csv', ('问题清单（标题行）\n' + text)
          .encode('gb18030'))
    write('import', 'minimal.xlsx', book)


if __name__ == '__main__':
    main()
