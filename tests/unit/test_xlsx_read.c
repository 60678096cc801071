/*
 * Unit tests: the xlsx reader, on workbooks written in the test by
 * libxlsxwriter (shared strings; inline strings in constant-memory mode)
 * and on archives put together part by part with libzip for what
 * libxlsxwriter does not write (prefixed namespaces, rich text, phonetic
 * runs, the 1904 date system, hostile and broken files).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "base/date.h"
#include "core/csv.h"
#include "core/xlsx_read.h"

/* --- collecting what the reader hands over, as text --- */

struct dump {
	char text[8192];
	size_t len;
	int stop_after; /* rows before the callback fails; 0: never */
	int rows;
};

static void put(struct dump *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct dump *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(d->text + d->len, sizeof(d->text) - d->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		d->len += (size_t)n;
}

/* "row:" then each non-empty cell as COL=TYPE:TEXT, a day when it has one */
static duban_result collect(void *ctx, uint32_t row,
			    const struct xlsx_cell *cells, size_t n,
			    struct duban_error *err)
{
	static const char types[] = "-snbe";
	struct dump *d = ctx;
	put(d, "%u:", (unsigned)row);
	for (size_t i = 0; i < n; i++) {
		const struct xlsx_cell *c = &cells[i];
		if (c->type == XLSX_EMPTY)
			continue;
		put(d, " %c=%c:%s", (char)('A' + i), types[c->type], c->text);
		if (c->date && c->has_day) {
			char day[11];
			date_format(c->day, day);
			put(d, "@%s", day);
		}
	}
	put(d, "\n");
	if (d->stop_after && ++d->rows >= d->stop_after)
		return duban_fail(err, DUBAN_E_INVALID, "stop", "stopped");
	return DUBAN_OK;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static char *temp_path(const char *suffix)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/duban-xlsx-%d%s", (int)getpid(),
		 suffix);
	return path;
}

/* --- workbooks written by libxlsxwriter --- */

static void write_ledger(lxw_workbook *wb)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "整改台账");
	lxw_format *date = workbook_add_format(wb);
	lxw_datetime due = { 2026, 3, 1, 0, 0, 0 };
	format_set_num_format(date, "yyyy-mm-dd");
	worksheet_write_string(ws, 0, 0, "序号", NULL);
	worksheet_write_string(ws, 0, 1, "单位", NULL);
	worksheet_write_string(ws, 0, 2, "整改时限", NULL);
	worksheet_write_number(ws, 1, 0, 1, NULL);
	worksheet_write_string(ws, 1, 1, "兴城市", NULL);
	worksheet_write_datetime(ws, 1, 2, &due, date);
	/* row 3 left empty; row 4 has a gap in column B */
	worksheet_write_number(ws, 3, 0, 2.5, NULL);
	worksheet_write_boolean(ws, 3, 2, 1, NULL);
	worksheet_write_formula_str(ws, 4, 1, "=\"A\"&\"B\"", NULL, "AB");
	worksheet_write_formula_num(ws, 4, 3, "=1+2", NULL, 3);
	/* a number that is a serial but not formatted as a date */
	worksheet_write_number(ws, 5, 0, 46066, NULL);
}

static const char ledger_rows[] =
	"1: A=s:序号 B=s:单位 C=s:整改时限\n"
	"2: A=n:1 B=s:兴城市 C=n:46082@2026-03-01\n"
	"4: A=n:2.5 C=b:1\n"
	"5: B=s:AB D=n:3\n"
	"6: A=n:46066\n";

static void read_written(bool constant_memory, const char *expect)
{
	char *path = temp_path(".xlsx");
	lxw_workbook_options opt = { .constant_memory = constant_memory,
				     .tmpdir = "/tmp" };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	struct dump d;
	struct xlsx_info info;
	struct duban_error err = { 0 };
	size_t len;
	assert_non_null(wb);
	write_ledger(wb);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	char *buf = slurp(path, &len);
	unlink(path);
	memset(&d, 0, sizeof(d));
	assert_int_equal(xlsx_read(buf, len, NULL, collect, &d, &info, &err),
			 DUBAN_OK);
	assert_string_equal(d.text, expect);
	assert_string_equal(info.sheet, "整改台账");
	assert_false(info.date1904);
	assert_int_equal(info.rows, 5);
	free(buf);
}

static void test_shared_strings(void **state)
{
	(void)state;
	read_written(false, ledger_rows);
}

static void test_inline_strings(void **state)
{
	/* constant-memory mode writes strings inline (t="inlineStr") */
	(void)state;
	read_written(true, ledger_rows);
}

/* --- archives put together part by part --- */

struct part {
	const char *name, *xml;
};

static const char content_types[] =
	"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats."
	"org/package/2006/content-types\"/>";
static const char rels_ns[] =
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships";

static char *make_zip(const struct part *parts, size_t *len)
{
	char *path = temp_path(".zip");
	int zerr = 0;
	unlink(path);
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(za);
	for (const struct part *p = parts; p->name; p++) {
		zip_source_t *src =
			zip_source_buffer(za, p->xml, strlen(p->xml), 0);
		assert_non_null(src);
		assert_true(zip_file_add(za, p->name, src, ZIP_FL_ENC_UTF_8) >=
			    0);
	}
	assert_int_equal(zip_close(za), 0);
	char *buf = slurp(path, len);
	unlink(path);
	return buf;
}

#define WORKBOOK(pr)                                                        \
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/" \
	"2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"           \
	"officeDocument/2006/relationships\">" pr                            \
	"<sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId7\"/>"         \
	"<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId8\"/></sheets>"        \
	"</workbook>"
#define RELS                                                                \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"  \
	"2006/relationships\"><Relationship Id=\"rId8\" Type=\"x/worksheet\"" \
	" Target=\"worksheets/other.xml\"/><Relationship Id=\"rId7\""        \
	" Type=\"x/worksheet\" Target=\"/xl/worksheets/data.xml\"/>"         \
	"<Relationship Id=\"rId9\" Type=\"x/sharedStrings\""                 \
	" Target=\"strings.xml\"/><Relationship Id=\"rId10\""                \
	" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>"
#define STYLES                                                              \
	"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml" \
	"/2006/main\"><numFmts><numFmt numFmtId=\"164\" formatCode=\"[$-804]" \
	"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/><numFmt"         \
	" numFmtId=\"165\" formatCode=\"&quot;元&quot;#,##0.00\"/></numFmts>" \
	"<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>"         \
	"<xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"    \
	"<xf numFmtId=\"14\"/></cellXfs></styleSheet>"
/* rich text, and a phonetic run that is not part of the text */
#define STRINGS                                                             \
	"<x:sst xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/"  \
	"2006/main\"><x:si><x:t>单位</x:t></x:si><x:si><x:r><x:t>问题</x:t>" \
	"</x:r><x:r><x:t xml:space=\"preserve\"> 描述</x:t></x:r><x:rPh>"    \
	"<x:t>もんだい</x:t></x:rPh></x:si><x:si><x:t>a&amp;b</x:t></x:si>"  \
	"</x:sst>"
#define SHEET(rows)                                                         \
	"<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/"          \
	"spreadsheetml/2006/main\"><x:sheetData>" rows                        \
	"</x:sheetData></x:worksheet>"

static const struct part other_sheet = {
	"xl/worksheets/other.xml",
	SHEET("<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>wrong "
	      "sheet</x:t></x:is></x:c></x:row>")
};

static const struct {
	const char *name;
	const char *workbook, *sheet; /* NULL: no such part */
	bool with_rels;
	duban_result result;
	const char *expect; /* the rows, or a part of the error message */
} cases[] = {
	{ "prefixed names, rich text, styles, first sheet by r:id",
	  WORKBOOK(""),
	  SHEET("<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>0</x:v></x:c>"
		"<x:c r=\"C2\" t=\"s\"><x:v>1</x:v></x:c></x:row>"
		"<x:row r=\"3\"><x:c r=\"A3\" s=\"1\"><x:v>46066</x:v></x:c>"
		"<x:c r=\"B3\" s=\"2\"><x:v>12.5</x:v></x:c>"
		"<x:c r=\"C3\" s=\"3\"><x:v>46082.75</x:v></x:c>"
		"<x:c r=\"D3\" t=\"s\"><x:v>2</x:v></x:c></x:row>"),
	  true, DUBAN_OK,
	  "2: A=s:单位 C=s:问题 描述\n"
	  "3: A=n:46066@2026-02-13 B=n:12.5 C=n:46082.75@2026-03-01 "
	  "D=s:a&b\n" },
	{ "cells without references, str, e, d, inline rich text",
	  WORKBOOK(""),
	  SHEET("<x:row><x:c t=\"str\"><x:f>A1</x:f><x:v>x</x:v></x:c>"
		"<x:c t=\"e\"><x:v>#N/A</x:v></x:c><x:c t=\"d\"><x:v>"
		"2026-02-14T00:00:00</x:v></x:c><x:c t=\"inlineStr\"><x:is>"
		"<x:r><x:t>甲</x:t></x:r><x:r><x:t>乙</x:t></x:r></x:is>"
		"</x:c><x:c/><x:c><x:v>7</x:v></x:c></x:row>"
		"<x:row><x:c r=\"B2\"/></x:row><x:row><x:c><x:v>abc</x:v>"
		"</x:c></x:row>"),
	  true, DUBAN_OK,
	  "1: A=s:x B=e:#N/A C=s:2026-02-14T00:00:00 D=s:甲乙 F=n:7\n"
	  "3: A=s:abc\n" },
	{ "the 1904 date system", WORKBOOK("<workbookPr date1904=\"1\"/>"),
	  SHEET("<x:row r=\"1\"><x:c s=\"3\"><x:v>0</x:v></x:c><x:c s=\"3\">"
		"<x:v>44604</x:v></x:c></x:row>"),
	  true, DUBAN_OK, "1: A=n:0@1904-01-01 B=n:44604@2026-02-13\n" },
	{ "no relationships: sheet1.xml", WORKBOOK(""),
	  SHEET("<x:row r=\"4\"><x:c r=\"B4\" t=\"inlineStr\"><x:is><x:t>ok"
		"</x:t></x:is></x:c></x:row>"),
	  false, DUBAN_OK, "4: B=s:ok\n" },
	{ "no workbook", NULL, SHEET(""), true, DUBAN_E_INVALID,
	  "no 'xl/workbook.xml'" },
	{ "no sheet", WORKBOOK(""), NULL, true, DUBAN_E_INVALID,
	  "no 'xl/worksheets/data.xml'" },
	{ "a document type declaration", WORKBOOK(""),
	  "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>" SHEET(""), true,
	  DUBAN_E_INVALID, "declares a document type" },
	{ "malformed XML", WORKBOOK(""), SHEET("<x:row><x:c>"), true,
	  DUBAN_E_INVALID, "malformed XML" },
	{ "a shared string that is not there", WORKBOOK(""),
	  SHEET("<x:row><x:c t=\"s\"><x:v>9</x:v></x:c></x:row>"), true,
	  DUBAN_E_INVALID, "missing shared string" },
	{ "rows out of order", WORKBOOK(""),
	  SHEET("<x:row r=\"3\"/><x:row r=\"2\"/>"), true, DUBAN_E_INVALID,
	  "bad row number" },
	{ "a bad cell reference", WORKBOOK(""),
	  SHEET("<x:row><x:c r=\"12\"><x:v>1</x:v></x:c></x:row>"), true,
	  DUBAN_E_INVALID, "bad cell reference" },
	{ "a column past the limit", WORKBOOK(""),
	  SHEET("<x:row><x:c r=\"XFE1\"><x:v>1</x:v></x:c></x:row>"), true,
	  DUBAN_E_TOO_LARGE, "more than 16384 columns" },
};

static void test_parts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct part parts[8];
		size_t n = 0, len;
		struct dump d;
		struct duban_error err = { 0 };
		parts[n++] = (struct part){ "[Content_Types].xml",
					    content_types };
		if (cases[i].workbook)
			parts[n++] = (struct part){ "xl/workbook.xml",
						    cases[i].workbook };
		if (cases[i].with_rels)
			parts[n++] = (struct part){ "xl/_rels/workbook.xml.rels",
						    RELS };
		parts[n++] = (struct part){ "xl/styles.xml", STYLES };
		parts[n++] = (struct part){ "xl/strings.xml", STRINGS };
		parts[n++] = other_sheet;
		if (cases[i].sheet)
			parts[n++] = (struct part){
				cases[i].with_rels ? "xl/worksheets/data.xml"
						   : "xl/worksheets/sheet1.xml",
				cases[i].sheet
			};
		parts[n] = (struct part){ NULL, NULL };
		char *buf = make_zip(parts, &len);
		memset(&d, 0, sizeof(d));
		duban_result r = xlsx_read(buf, len, NULL, collect, &d, NULL,
					   &err);
		free(buf);
		if (r != cases[i].result || (r == DUBAN_OK &&
					     strcmp(d.text, cases[i].expect)) ||
		    (r != DUBAN_OK && !strstr(err.message, cases[i].expect)))
			fail_msg("%s: result %d, rows:\n%s\nerror: %s",
				 cases[i].name, r, d.text, err.message);
		if (r != DUBAN_OK)
			assert_string_equal(err.field, "file");
	}
	(void)rels_ns;
}

static void test_not_a_workbook(void **state)
{
	static const struct {
		const char *data;
		size_t len;
		const char *msg;
	} bad[] = {
		{ "", 0, "not a zip archive" },
		{ "序号,单位\n1,兴城市\n", 22, "not a zip archive" },
		{ "PK\x03\x04garbage that is not a zip", 30, "not an xlsx" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dump d;
		struct duban_error err = { 0 };
		memset(&d, 0, sizeof(d));
		assert_int_equal(xlsx_read(bad[i].data, bad[i].len, NULL,
					   collect, &d, NULL, &err),
				 DUBAN_E_INVALID);
		assert_non_null(strstr(err.message, bad[i].msg));
	}
}

static void test_limits_and_stop(void **state)
{
	struct part parts[] = {
		{ "xl/workbook.xml", WORKBOOK("") },
		{ "xl/_rels/workbook.xml.rels", RELS },
		{ "xl/worksheets/data.xml",
		  SHEET("<x:row><x:c><x:v>1</x:v></x:c></x:row>"
			"<x:row><x:c><x:v>2</x:v></x:c></x:row>"
			"<x:row><x:c><x:v>3</x:v></x:c></x:row>") },
		{ NULL, NULL },
	};
	size_t len;
	struct dump d;
	struct duban_error err = { 0 };
	struct xlsx_limits two_rows = { .rows = 2 }, tiny = { .part_bytes = 64 };
	(void)state;
	char *buf = make_zip(parts, &len);
	memset(&d, 0, sizeof(d));
	assert_int_equal(xlsx_read(buf, len, &two_rows, collect, &d, NULL,
				   &err),
			 DUBAN_E_TOO_LARGE);
	assert_string_equal(d.text, "1: A=n:1\n2: A=n:2\n");
	memset(&d, 0, sizeof(d));
	assert_int_equal(xlsx_read(buf, len, &tiny, collect, &d, NULL, &err),
			 DUBAN_E_TOO_LARGE);
	assert_non_null(strstr(err.message, "uncompressed"));
	/* the callback's failure stops the reading and comes back */
	memset(&d, 0, sizeof(d));
	d.stop_after = 1;
	assert_int_equal(xlsx_read(buf, len, NULL, collect, &d, NULL, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.field, "stop");
	assert_string_equal(d.text, "1: A=n:1\n");
	free(buf);
}

/* what the file names is cut to fit at a whole character: the sheet's
 * name and the error messages go into JSON (found by tests/fuzz) */
static void test_cut_at_whole_characters(void **state)
{
	char workbook[1024], sheet[1024], name[256] = "", ref[512] = "";
	struct part parts[] = {
		{ "xl/workbook.xml", workbook },
		{ "xl/worksheets/sheet1.xml", sheet },
		{ NULL, NULL },
	};
	struct xlsx_info info;
	struct duban_error err = { 0 };
	struct dump d;
	size_t len;
	(void)state;
	for (int i = 0; i < 60; i++)
		strcat(name, "表"); /* 180 bytes */
	for (int i = 0; i < 100; i++)
		strcat(ref, "中");
	snprintf(workbook, sizeof(workbook),
		 "<workbook><sheets><sheet name=\"%s\"/></sheets></workbook>",
		 name);
	snprintf(sheet, sizeof(sheet), SHEET("<x:row><x:c r=\"%s\"><x:v>1"
					     "</x:v></x:c></x:row>"),
		 ref);
	char *buf = make_zip(parts, &len);
	memset(&d, 0, sizeof(d));
	assert_int_equal(xlsx_read(buf, len, NULL, collect, &d, &info, &err),
			 DUBAN_E_INVALID);
	free(buf);
	assert_int_equal(strlen(info.sheet), 42 * 3);
	assert_true(utf8_valid(info.sheet, strlen(info.sheet)));
	assert_non_null(strstr(err.message, "bad cell reference '中中"));
	assert_true(utf8_valid(err.message, strlen(err.message)));
}

static void test_serial_day(void **state)
{
	static const struct {
		double serial;
		bool date1904, ok;
		const char *day;
	} t[] = {
		{ 1, false, true, "1900-01-01" },
		{ 59, false, true, "1900-02-28" },
		{ 60, false, false, NULL }, /* Lotus's 1900-02-29 */
		{ 61, false, true, "1900-03-01" },
		{ 44392, false, true, "2021-07-15" },
		{ 46066.99, false, true, "2026-02-13" },
		{ 2958465, false, true, "9999-12-31" },
		{ 2958466, false, false, NULL },
		{ 0, false, false, NULL },
		{ -1, false, false, NULL },
		{ 0, true, true, "1904-01-01" },
		{ 44604, true, true, "2026-02-13" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int32_t day = 0;
		char s[11];
		bool ok = xlsx_serial_day(t[i].serial, t[i].date1904, &day);
		assert_int_equal(ok, t[i].ok);
		if (ok) {
			date_format(day, s);
			assert_string_equal(s, t[i].day);
		}
	}
}

static void test_date_formats(void **state)
{
	static const struct {
		const char *code;
		bool date;
	} t[] = {
		{ "yyyy-mm-dd", true },
		{ "m/d/yy h:mm", true },
		{ "[$-804]yyyy\"年\"m\"月\"d\"日\"", true },
		{ "[h]:mm:ss", true },
		{ "General", false },
		{ "0.00", false },
		{ "#,##0;[Red]-#,##0", false },
		{ "\"元\"#,##0.00", false },
		{ "0.00E+00", false },
		{ "@", false },
		{ "[Red]0.00", false },
		{ "\\d0", false },
		{ "_(* #,##0_)", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (xlsx_format_is_date(t[i].code) != t[i].date)
			fail_msg("'%s' should %sbe a date format", t[i].code,
				 t[i].date ? "" : "not ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_strings),
		cmocka_unit_test(test_inline_strings),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_not_a_workbook),
		cmocka_unit_test(test_limits_and_stop),
		cmocka_unit_test(test_cut_at_whole_characters),
		cmocka_unit_test(test_serial_day),
		cmocka_unit_test(test_date_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
