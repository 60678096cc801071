/*
 * Unit tests: json_out() writes what json_dumps() writes with the flags
 * the server used before it (compact, any value, 12 significant digits),
 * byte for byte, over strings with every escape, Chinese text, integers
 * at their limits, reals of every magnitude, nesting and key order; and
 * stops at the buffer's cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "core/dynbuf.h"
#include "http/json_out.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* json_out(v) equals json_dumps(v, ...); consumes v */
static void same_as_jansson(json_t *v)
{
	struct dynbuf b;
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
					   JSON_REAL_PRECISION(12));
	char *got = NULL;
	size_t len = 0;
	dynbuf_init(&b, 1 << 20);
	assert_true(json_out(&b, v));
	assert_int_equal(dynbuf_take(&b, &got, &len, "answer", NULL),
			 DUBAN_OK);
	assert_non_null(want);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(got);
	free(want);
	json_decref(v);
}

static void test_strings(void **state)
{
	static const char *const cases[] = {
		"",
		"plain",
		"葫芦岛市作风建设年活动",
		"quote \" backslash \\ slash /",
		"\b\f\n\r\t",
		"\x01\x02\x1f end",
		"\x7f DEL stays",
		"emoji \xf0\x9f\x98\x80 and \xe2\x80\xa8 line separator",
		"<script>alert(1)</script>",
	};
	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		same_as_jansson(json_string(cases[i]));
	/* a NUL inside a string */
	same_as_jansson(json_stringn("a\0b", 3));
}

static void test_numbers(void **state)
{
	static const json_int_t ints[] = {
		0, 1, -1, 9, 10, 1234567890123LL, INT64_MAX, INT64_MIN,
	};
	static const double reals[] = {
		0.0,   -0.0,   1.0,	  -1.5,	   85.3,    1.0 / 3.0,
		100.0, 1e20,   1.5e-7,	  -2.5e-300, 1e300,   123456789012345.0,
		0.1,   99.95,  1e-5,	  12345678.9,
	};
	(void)state;
	for (size_t i = 0; i < N(ints); i++)
		same_as_jansson(json_integer(ints[i]));
	for (size_t i = 0; i < N(reals); i++)
		same_as_jansson(json_real(reals[i]));
}

static void test_containers(void **state)
{
	(void)state;
	same_as_jansson(json_object());
	same_as_jansson(json_array());
	same_as_jansson(json_pack(
		"{s:I, s:s, s:[i, f, b, n, {}], s:{s:s, s:o}, s:b, s:n}", "id",
		(json_int_t)42, "title", "推进\"放管服\"改革", "list", 1, 2.5,
		1, "nested", "k", "v\n", "empty", json_array(), "ok", 0,
		"none"));
	/* keys in the order they were set, not sorted */
	json_t *o = json_object();
	json_object_set_new(o, "zeta", json_integer(1));
	json_object_set_new(o, "alpha", json_integer(2));
	json_object_set_new(o, "键", json_string("值"));
	json_object_set_new(o, "a\"b", json_true());
	same_as_jansson(o);
}

static void test_cap(void **state)
{
	struct dynbuf b;
	char *out = NULL;
	json_t *v = json_pack("[s, s]", "0123456789", "0123456789");
	(void)state;
	dynbuf_init(&b, 16);
	assert_false(json_out(&b, v));
	assert_int_equal(dynbuf_take(&b, &out, NULL, "answer", NULL),
			 DUBAN_E_TOO_LARGE);
	assert_null(out);
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
