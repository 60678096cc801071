/* Unit tests: dates and the result table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/date.h"
#include "base/result.h"

static void test_date_parse_table(void **state)
{
	static const struct {
		const char *in;
		bool ok;
		int y, m, d;
	} cases[] = {
		{ "2021-01-01", true, 2021, 1, 1 },
		{ "2020-02-29", true, 2020, 2, 29 },
		{ "2021-02-29", false, 0, 0, 0 },
		{ "2000-02-29", true, 2000, 2, 29 },
		{ "1900-02-29", false, 0, 0, 0 },
		{ "2021-13-01", false, 0, 0, 0 },
		{ "2021-04-31", false, 0, 0, 0 },
		{ "2021-4-01", false, 0, 0, 0 },
		{ "2021/04/01", false, 0, 0, 0 },
		{ "20210401", false, 0, 0, 0 },
		{ "2021-04-01x", false, 0, 0, 0 },
		{ "", false, 0, 0, 0 },
		{ "9999-12-31", true, 9999, 12, 31 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t day = 0;
		bool ok = date_parse(cases[i].in, strlen(cases[i].in), &day);
		assert_int_equal(ok, cases[i].ok);
		if (ok) {
			int y, m, d;
			char buf[11];
			date_to_ymd(day, &y, &m, &d);
			assert_int_equal(y, cases[i].y);
			assert_int_equal(m, cases[i].m);
			assert_int_equal(d, cases[i].d);
			date_format(day, buf);
			assert_string_equal(buf, cases[i].in);
		}
	}
}

static void test_date_epoch_and_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	/* 2021-03-01 was a Monday, 2026-11-23 a Monday, 2026-11-29 a Sunday */
	assert_int_equal(date_weekday(date_from_ymd(2021, 3, 1)), 0);
	assert_int_equal(date_weekday(date_from_ymd(2026, 11, 23)), 0);
	assert_int_equal(date_weekday(date_from_ymd(2026, 11, 29)), 6);
	/* round trip over fifty years */
	for (int32_t day = date_from_ymd(2000, 1, 1);
	     day < date_from_ymd(2050, 1, 1); day++) {
		int y, m, d;
		date_to_ymd(day, &y, &m, &d);
		assert_true(date_valid_ymd(y, m, d));
		assert_int_equal(date_from_ymd(y, m, d), day);
	}
}

static void test_date_cst(void **state)
{
	char ts[26];
	(void)state;
	/* 2021-06-30T16:00:00Z is already July 1st in China */
	time_t t = (time_t)1625068800;
	assert_int_equal(date_of_time(t), date_from_ymd(2021, 7, 1));
	assert_int_equal(date_of_time(t - 1), date_from_ymd(2021, 6, 30));
	date_format_timestamp(t, ts);
	assert_string_equal(ts, "2021-07-01T00:00:00+08:00");
}

static void test_result_status(void **state)
{
	struct duban_error err;
	(void)state;
	assert_int_equal(duban_result_status(DUBAN_OK), 200);
	assert_int_equal(duban_result_status(DUBAN_E_MALFORMED), 400);
	assert_int_equal(duban_result_status(DUBAN_E_AUTH), 401);
	assert_int_equal(duban_result_status(DUBAN_E_FORBIDDEN), 403);
	assert_int_equal(duban_result_status(DUBAN_E_NOT_FOUND), 404);
	assert_int_equal(duban_result_status(DUBAN_E_CONFLICT), 409);
	assert_int_equal(duban_result_status(DUBAN_E_TOO_LARGE), 413);
	assert_int_equal(duban_result_status(DUBAN_E_INVALID), 422);
	assert_int_equal(duban_result_status(DUBAN_E_RATE), 429);
	assert_int_equal(duban_result_status(DUBAN_E_STORE), 500);
	assert_int_equal(duban_fail(&err, DUBAN_E_INVALID, "kind",
				    "bad kind '%s'", "x"),
			 DUBAN_E_INVALID);
	assert_string_equal(err.code, "invalid_value");
	assert_string_equal(err.field, "kind");
	assert_string_equal(err.message, "bad kind 'x'");
}

/* a message cut to fit ends on a whole character, never inside one */
static void test_result_cut(void **state)
{
	struct duban_error err;
	char long_text[400] = "";
	(void)state;
	for (int i = 0; i < 120; i++)
		strcat(long_text, "中"); /* 360 bytes */
	for (int pad = 0; pad < 3; pad++) {
		duban_fail(&err, DUBAN_E_INVALID, NULL, "%.*s'%s'", pad, "ab",
			   long_text);
		size_t n = strlen(err.message);
		assert_true(n >= sizeof(err.message) - 3);
		assert_int_equal((n - (size_t)pad - 1) % 3, 0);
	}
	/* an incomplete character at the end of a short text goes too */
	duban_fail(&err, DUBAN_E_INVALID, NULL, "x%s", "\xE4\xB8");
	assert_string_equal(err.message, "x");
	duban_fail(&err, DUBAN_E_INVALID, NULL, "x%s", "中");
	assert_string_equal(err.message, "x中");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse_table),
		cmocka_unit_test(test_date_epoch_and_weekday),
		cmocka_unit_test(test_date_cst),
		cmocka_unit_test(test_result_status),
		cmocka_unit_test(test_result_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
