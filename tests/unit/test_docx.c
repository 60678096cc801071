/* Unit tests: the Word writer (core/docx) and its buffer (core/dynbuf). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <expat.h>
#include <zip.h>

#include "core/docx.h"
#include "core/dynbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* mm to twips: 1440 per inch, 25.4 mm per inch */
static void test_twips(void **state)
{
	static const struct {
		double mm;
		int twips;
	} cases[] = {
		{ 210, 11906 }, { 297, 16838 }, { 37, 2098 }, { 28, 1587 },
		{ 26, 1474 },	{ 35, 1984 },	{ 156, 8844 }, { 225, 12756 },
		{ 0, 0 },	{ 25.4, 1440 },
	};
	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(docx_twips(cases[i].mm), cases[i].twips);
}

/* GB/T 9704-2012: A4, top 37 mm, binding 28 mm, type area 156 x 225 mm,
 * 22 lines of 28 characters */
static void test_page(void **state)
{
	struct docx_page p;
	(void)state;
	docx_page_gbt9704(&p);
	assert_int_equal(p.width, 11906);
	assert_int_equal(p.height, 16838);
	assert_int_equal(p.top, 2098);
	assert_int_equal(p.left, 1587);
	assert_int_equal(p.right, 1474);  /* 210 - 28 - 156 = 26 mm */
	assert_int_equal(p.bottom, 1984); /* 297 - 37 - 225 = 35 mm */
	int type_w = p.width - p.left - p.right;
	int type_h = p.height - p.top - p.bottom;
	assert_in_range(type_w, 8844 - 1, 8844 + 1);   /* 156 mm */
	assert_in_range(type_h, 12756 - 1, 12756 + 1); /* 225 mm */
	assert_int_equal(p.lines, 22);
	assert_int_equal(p.chars, 28);
	/* 22 lines fit, 23 do not */
	assert_int_equal(p.line_pitch, 579);
	assert_true(22 * p.line_pitch <= type_h);
	assert_true(23 * p.line_pitch > type_h);
	/* the character pitch, 16 pt + charSpace/4096 pt, puts 28 in a line
	 * and not 29 (20 twips a point) */
	assert_int_equal(p.char_space, -842);
	double pitch = (16.0 + p.char_space / 4096.0) * 20.0;
	assert_true(28 * pitch <= type_w);
	assert_true(29 * pitch > type_w);
	assert_int_equal(p.body_half_points, 32);
}

static void test_heading_prefix(void **state)
{
	static const struct {
		int level, n;
		const char *want;
	} cases[] = {
		{ 1, 1, "一、" },     { 1, 6, "六、" },	  { 1, 10, "十、" },
		{ 1, 11, "十一、" },  { 1, 20, "二十、" }, { 1, 21, "二十一、" },
		{ 2, 1, "（一）" },   { 2, 3, "（三）" },  { 3, 1, "1." },
		{ 3, 12, "12." },     { 4, 2, "（2）" },   { 1, 0, "一、" },
	};
	char buf[32];
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		docx_heading_prefix(cases[i].level, cases[i].n, buf,
				    sizeof(buf));
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_escape_and_cap(void **state)
{
	struct dynbuf b;
	char *out = NULL;
	size_t len = 0;
	struct duban_error err = { 0 };
	(void)state;
	dynbuf_init(&b, 1024);
	assert_true(dynbuf_add_xml(&b, "a<b>&\"'\x01\tc 葫政办发〔2021〕16号"));
	assert_int_equal(dynbuf_take(&b, &out, &len, "x", NULL), DUBAN_OK);
	assert_string_equal(out, "a&lt;b&gt;&amp;&quot;&#39;\tc "
				 "葫政办发〔2021〕16号");
	assert_int_equal(len, strlen(out));
	free(out);
	/* past the cap: freed, every later append fails, take says so */
	dynbuf_init(&b, 8);
	assert_true(dynbuf_add(&b, "12345678"));
	assert_false(dynbuf_add(&b, "9"));
	assert_true(b.toobig);
	assert_null(b.p);
	assert_false(dynbuf_addf(&b, "%d", 1));
	assert_int_equal(dynbuf_take(&b, &out, &len, "the page", &err),
			 DUBAN_E_TOO_LARGE);
	assert_string_equal(err.message, "the page is larger than 8 bytes");
	/* a long formatted append */
	dynbuf_init(&b, 4096);
	assert_true(dynbuf_addf(&b, "%0600d|%s", 7, "end"));
	assert_int_equal(b.len, 604);
	dynbuf_release(&b);
}

/* well-formed XML, by expat */
static int parses(const char *xml, size_t len)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	int ok = XML_Parse(p, xml, (int)len, 1) == XML_STATUS_OK;
	if (!ok)
		fprintf(stderr, "XML error: %s at line %lu column %lu\n",
			XML_ErrorString(XML_GetErrorCode(p)),
			(unsigned long)XML_GetCurrentLineNumber(p),
			(unsigned long)XML_GetCurrentColumnNumber(p));
	XML_ParserFree(p);
	return ok;
}

static struct docx *sample(void)
{
	static const char *const cells[] = {
		"名次", "单位",		"得分",	 "等次",
		"1",	"连山区<&>",	"92.50", "优秀",
		"2",	"龙港区\"'",	"88.00", "较好",
	};
	static const unsigned widths[] = { 1, 4, 2, 2 };
	struct docx *d = docx_new("关于<2021年>上半年工作情况的通报",
				  "葫芦岛市人民政府办公室", 1626307200);
	docx_para(d, DOCX_ISSUER, "葫芦岛市人民政府办公室文件");
	docx_para(d, DOCX_DOCNO, "葫政办发〔2021〕16号");
	docx_para(d, DOCX_TITLE, "关于<2021年>上半年工作情况的通报");
	docx_para(d, DOCX_ADDRESSEE, "各县（市）区人民政府：");
	docx_para(d, DOCX_H1, "一、总体进展情况");
	docx_para(d, DOCX_BODY, "正文 <script>alert(1)</script> & \x01"
				"第二行\n第三行\t制表");
	docx_para(d, DOCX_H2, "（一）红灯任务");
	docx_para(d, DOCX_H3, "1.任务");
	docx_para(d, DOCX_H4, "（1）子项");
	docx_table(d, 3, 4, cells, widths);
	docx_para(d, DOCX_BLANK, NULL);
	docx_para(d, DOCX_SIGNATURE, "葫芦岛市人民政府办公室");
	docx_para(d, DOCX_DATE, "2021年7月15日");
	return d;
}

static char *part(struct docx *d, const char *name, size_t *len)
{
	char *out = NULL;
	assert_int_equal(docx_part(d, name, &out, len, NULL), DUBAN_OK);
	return out;
}

static void test_parts_parse(void **state)
{
	struct docx *d = sample();
	struct duban_error err = { 0 };
	char *x;
	size_t len;
	(void)state;
	for (int i = 0; docx_part_names[i]; i++) {
		x = part(d, docx_part_names[i], &len);
		assert_true(parses(x, len));
		assert_int_equal(strlen(x), len);
		free(x);
	}
	assert_int_equal(docx_part(d, "word/nothing.xml", &x, &len, &err),
			 DUBAN_E_NOT_FOUND);

	x = part(d, "word/document.xml", &len);
	/* the section: A4, margins, footers, the grid */
	assert_non_null(strstr(x, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
	assert_non_null(strstr(x, "<w:pgMar w:top=\"2098\" w:right=\"1474\""
				  " w:bottom=\"1984\" w:left=\"1587\""));
	assert_non_null(strstr(x, "<w:docGrid w:type=\"linesAndChars\""
				  " w:linePitch=\"579\""
				  " w:charSpace=\"-842\"/>"));
	assert_non_null(strstr(x, "<w:footerReference w:type=\"default\""
				  " r:id=\"rId4\"/>"));
	assert_non_null(strstr(x, "<w:footerReference w:type=\"even\""
				  " r:id=\"rId5\"/>"));
	/* text escaped, control characters dropped, lines and tabs kept */
	assert_non_null(strstr(x, "正文 &lt;script&gt;alert(1)&lt;/script&gt;"
				  " &amp; 第二行</w:t><w:br/>"));
	assert_null(strstr(x, "<script>"));
	assert_null(strstr(x, "\x01"));
	assert_non_null(strstr(x, "<w:tab/>"));
	assert_non_null(strstr(x, "连山区&lt;&amp;&gt;"));
	assert_non_null(strstr(x, "龙港区&quot;&#39;"));
	assert_non_null(strstr(x, "葫政办发〔2021〕16号"));
	assert_non_null(strstr(x, "<w:pStyle w:val=\"Title\"/>"));
	assert_non_null(strstr(x, "<w:pStyle w:val=\"Heading2\"/>"));
	assert_non_null(strstr(x, "<w:tblHeader/>"));
	/* the issuer mark: 13 characters at 884/13 = 68 half points */
	assert_non_null(strstr(x, "<w:sz w:val=\"68\"/>"));
	/* the table spans the type area */
	assert_non_null(strstr(x, "<w:tblW w:w=\"8845\" w:type=\"dxa\"/>"));
	free(x);

	x = part(d, "word/styles.xml", &len);
	assert_non_null(strstr(x, "w:eastAsia=\"仿宋_GB2312\""));
	assert_non_null(strstr(x, "<w:sz w:val=\"32\"/>"));   /* 三号 */
	assert_non_null(strstr(x, "w:eastAsia=\"方正小标宋简体\""));
	assert_non_null(strstr(x, "<w:sz w:val=\"44\"/>"));   /* 二号 */
	assert_non_null(strstr(x, "w:eastAsia=\"黑体\""));
	assert_non_null(strstr(x, "w:eastAsia=\"楷体_GB2312\""));
	assert_non_null(strstr(x, "<w:color w:val=\"FF0000\"/>"));
	assert_non_null(strstr(x, "<w:bottom w:val=\"single\" w:sz=\"12\""
				  " w:space=\"11\" w:color=\"FF0000\"/>"));
	assert_non_null(strstr(x, "<w:spacing w:line=\"579\""
				  " w:lineRule=\"exact\"/>"));
	free(x);

	x = part(d, "word/footer1.xml", &len);
	assert_non_null(strstr(x, "— </w:t>"));
	assert_non_null(strstr(x, " PAGE "));
	assert_non_null(strstr(x, "<w:jc w:val=\"right\"/>"));
	free(x);
	x = part(d, "word/footer2.xml", &len);
	assert_non_null(strstr(x, "<w:jc w:val=\"left\"/>"));
	free(x);
	x = part(d, "word/settings.xml", &len);
	assert_non_null(strstr(x, "<w:evenAndOddHeaders/>"));
	free(x);
	x = part(d, "docProps/core.xml", &len);
	assert_non_null(strstr(x, "关于&lt;2021年&gt;上半年"));
	assert_non_null(strstr(x, "2021-07-15T00:00:00Z"));
	free(x);
	docx_free(d);
}

static void test_package(void **state)
{
	struct docx *d = sample();
	char *a = NULL, *b = NULL, *want;
	size_t alen = 0, blen = 0, wlen;
	zip_error_t ze;
	(void)state;
	assert_int_equal(docx_build(d, &a, &alen, NULL), DUBAN_OK);
	assert_int_equal(docx_build(d, &b, &blen, NULL), DUBAN_OK);
	/* the same document, the same bytes */
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	assert_memory_equal(a, "PK\x03\x04", 4);
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(a, alen, 0, &ze);
	assert_non_null(src);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(za);
	int n = 0;
	while (docx_part_names[n])
		n++;
	assert_int_equal(zip_get_num_entries(za, 0), n);
	assert_string_equal(zip_get_name(za, 0, 0), "[Content_Types].xml");
	for (int i = 0; i < n; i++) {
		zip_stat_t zs;
		assert_int_equal(zip_stat(za, docx_part_names[i], 0, &zs), 0);
		char *got = malloc(zs.size + 1);
		zip_file_t *zf = zip_fopen(za, docx_part_names[i], 0);
		assert_non_null(zf);
		assert_int_equal(zip_fread(zf, got, zs.size),
				 (zip_int64_t)zs.size);
		zip_fclose(zf);
		want = part(d, docx_part_names[i], &wlen);
		assert_int_equal(zs.size, wlen);
		assert_memory_equal(got, want, wlen);
		free(want);
		free(got);
	}
	zip_close(za);
	zip_error_fini(&ze);
	free(a);
	free(b);
	docx_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twips),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_heading_prefix),
		cmocka_unit_test(test_escape_and_cap),
		cmocka_unit_test(test_parts_parse),
		cmocka_unit_test(test_package),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
