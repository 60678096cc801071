/* Unit tests: CSV records and the UTF-8 / GB18030 decision. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/csv.h"

struct dump {
	char text[2048];
	size_t len;
};

/* "row|field|field\n" */
static duban_result collect(void *ctx, uint32_t row,
			    const struct csv_field *f, size_t n,
			    struct duban_error *err)
{
	struct dump *d = ctx;
	(void)err;
	d->len += (size_t)snprintf(d->text + d->len, sizeof(d->text) - d->len,
				   "%u", (unsigned)row);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(f[i].p), f[i].len);
		d->len += (size_t)snprintf(d->text + d->len,
					   sizeof(d->text) - d->len, "|%s",
					   f[i].p);
	}
	d->len += (size_t)snprintf(d->text + d->len, sizeof(d->text) - d->len,
				   "\n");
	return DUBAN_OK;
}

static void test_records(void **state)
{
	static const struct {
		const char *in;
		char sep;
		const char *out;
	} t[] = {
		{ "a,b,c\n1,2,3\n", ',', "1|a|b|c\n2|1|2|3\n" },
		{ "a,b\r\n1,2", ',', "1|a|b\n2|1|2\n" },
		{ "a,b\r1,2\r", ',', "1|a|b\n2|1|2\n" },
		{ "\"x,y\",\"say \"\"hi\"\"\"\n", ',', "1|x,y|say \"hi\"\n" },
		/* a quoted line break: the next record is on row 3 */
		{ "\"two\nlines\",b\nc,d\n", ',', "1|two\nlines|b\n3|c|d\n" },
		{ "a,,\n\n,b\n", ',', "1|a||\n2|\n3||b\n" },
		{ "单位;问题描述\n兴城市;台账不全\n", 0,
		  "1|单位|问题描述\n2|兴城市|台账不全\n" },
		{ "a\tb\tc,d\n1\t2\t3,4\n", 0, "1|a|b|c,d\n2|1|2|3,4\n" },
		{ "a,b;c\n", 0, "1|a|b;c\n" },
		{ "\"q\"tail,x\n", ',', "1|qtail|x\n" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct dump d;
		memset(&d, 0, sizeof(d));
		assert_int_equal(csv_parse(t[i].in, strlen(t[i].in), t[i].sep,
					   collect, &d, NULL),
				 DUBAN_OK);
		assert_string_equal(d.text, t[i].out);
	}
}

static void test_bad_records(void **state)
{
	struct dump d;
	struct duban_error err = { 0 };
	char *wide;
	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(csv_parse("a\n\"open,b\n", 10, ',', collect, &d,
				   &err),
			 DUBAN_E_INVALID);
	assert_non_null(strstr(err.message, "row 2"));
	assert_string_equal(err.field, "file");
	/* more than 1024 fields */
	wide = malloc(3000);
	memset(wide, ',', 2000);
	memset(&d, 0, sizeof(d));
	assert_int_equal(csv_parse(wide, 2000, ',', collect, &d, &err),
			 DUBAN_E_INVALID);
	assert_non_null(strstr(err.message, "fields"));
	free(wide);
}

/* the whole characters of a text cut anywhere */
static void test_utf8_whole(void **state)
{
	const char *s = "办a结\xF0\x9F\x98\x80";
	(void)state;
	/* 办 is 3 bytes, a 1, 结 3, the emoji 4: cuts inside a character
	 * fall back to the one before it */
	static const size_t want[] = { 0, 0, 0, 3, 4, 4, 4, 7, 7, 7, 7, 11 };
	for (size_t n = 0; n < sizeof(want) / sizeof(want[0]); n++)
		assert_int_equal(utf8_whole(s, n), want[n]);
	assert_int_equal(utf8_whole("\xFF", 1), 0);
}

static void test_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		bool ok;
	} t[] = {
		{ "plain", true },
		{ "整改台账", true },
		{ "\xF0\x9F\x98\x80", true },		/* U+1F600 */
		{ "\xC0\xAF", false },			/* overlong / */
		{ "\xE0\x80\xAF", false },		/* overlong / */
		{ "\xED\xA0\x80", false },		/* a surrogate */
		{ "\xF4\x90\x80\x80", false },		/* above U+10FFFF */
		{ "\xE6\x95", false },			/* cut short */
		{ "\xD5\xFB\xB8\xC4", false },		/* 整改 in GB18030 */
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(utf8_valid(t[i].s, strlen(t[i].s)), t[i].ok);
}

static void test_encodings(void **state)
{
	static const struct {
		const char *in;
		const char *out, *encoding;
		duban_result result;
	} t[] = {
		{ "单位,问题\n", "单位,问题\n", "utf-8", DUBAN_OK },
		{ "\xEF\xBB\xBF单位\n", "单位\n", "utf-8", DUBAN_OK },
		/* 单位,问题 in GB18030 */
		{ "\xB5\xA5\xCE\xBB,\xCE\xCA\xCC\xE2\n", "单位,问题\n",
		  "gb18030", DUBAN_OK },
		/* a four-byte GB18030 sequence: U+1F600 */
		{ "\x94\x39\xFC\x36", "\xF0\x9F\x98\x80", "gb18030", DUBAN_OK },
		{ "\xFF\xFE" "a\0", NULL, NULL, DUBAN_E_INVALID },
		{ "\xEF\xBB\xBF\xB5\xA5", NULL, NULL, DUBAN_E_INVALID },
		{ "\x81\x20", NULL, NULL, DUBAN_E_INVALID },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *out = NULL;
		size_t len = 0;
		const char *enc = NULL;
		struct duban_error err = { 0 };
		size_t n = strlen(t[i].in);
		if (t[i].in[0] == '\xFF')
			n = 4;
		assert_int_equal(csv_to_utf8(t[i].in, n, &out, &len, &enc, &err),
				 t[i].result);
		if (t[i].result == DUBAN_OK) {
			assert_string_equal(out, t[i].out);
			assert_int_equal(len, strlen(t[i].out));
			assert_string_equal(enc, t[i].encoding);
		} else {
			assert_null(out);
			assert_string_equal(err.field, "file");
		}
		free(out);
	}
}

static void test_nul_is_not_text(void **state)
{
	struct duban_error err = { 0 };
	char *out = NULL;
	size_t len;
	const char *enc;
	(void)state;
	assert_int_equal(csv_to_utf8("a\0b", 3, &out, &len, &enc, &err),
			 DUBAN_E_INVALID);
	assert_non_null(strstr(err.message, "NUL"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_whole),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_nul_is_not_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
