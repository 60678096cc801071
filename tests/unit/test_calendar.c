/*
 * test_calendar.c - the statutory working-day calendar.
 *
 * The expected schedules below are written out independently of
 * the files in data/calendar/, from the State Council notices, so that a slip in
 * either shows up as a difference.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/result.h"
#include "core/calendar.h"
#include "core/calendar_builtin.h"

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (!date_parse(s, strlen(s), &d))
		fail_msg("bad test date '%s'", s);
	return d;
}

/* ---- the notices, 2020 to 2026 ----------------------------------------- */

struct period {
	const char *name;
	const char *first, *last; /* off, inclusive */
	const char *work[3];      /* adjusted working days, NULL-terminated */
};

static const struct period periods[] = {
	/* 国办发明电〔2019〕16号, extended by 国办发明电〔2020〕1号 */
	{ "2020 元旦", "2020-01-01", "2020-01-01", { NULL } },
	{ "2020 春节 (extended)", "2020-01-24", "2020-02-02",
	  { "2020-01-19", NULL } },
	{ "2020 清明节", "2020-04-04", "2020-04-06", { NULL } },
	{ "2020 劳动节", "2020-05-01", "2020-05-05",
	  { "2020-04-26", "2020-05-09", NULL } },
	{ "2020 端午节", "2020-06-25", "2020-06-27", { "2020-06-28", NULL } },
	{ "2020 国庆节、中秋节", "2020-10-01", "2020-10-08",
	  { "2020-09-27", "2020-10-10", NULL } },
	/* 国办发明电〔2020〕27号 */
	{ "2021 元旦", "2021-01-01", "2021-01-03", { NULL } },
	{ "2021 春节", "2021-02-11", "2021-02-17",
	  { "2021-02-07", "2021-02-20", NULL } },
	{ "2021 清明节", "2021-04-03", "2021-04-05", { NULL } },
	{ "2021 劳动节", "2021-05-01", "2021-05-05",
	  { "2021-04-25", "2021-05-08", NULL } },
	{ "2021 端午节", "2021-06-12", "2021-06-14", { NULL } },
	{ "2021 中秋节", "2021-09-19", "2021-09-21", { "2021-09-18", NULL } },
	{ "2021 国庆节", "2021-10-01", "2021-10-07",
	  { "2021-09-26", "2021-10-09", NULL } },
	/* 国办发明电〔2021〕11号 */
	{ "2022 元旦", "2022-01-01", "2022-01-03", { NULL } },
	{ "2022 春节", "2022-01-31", "2022-02-06",
	  { "2022-01-29", "2022-01-30", NULL } },
	{ "2022 清明节", "2022-04-03", "2022-04-05", { "2022-04-02", NULL } },
	{ "2022 劳动节", "2022-04-30", "2022-05-04",
	  { "2022-04-24", "2022-05-07", NULL } },
	{ "2022 端午节", "2022-06-03", "2022-06-05", { NULL } },
	{ "2022 中秋节", "2022-09-10", "2022-09-12", { NULL } },
	{ "2022 国庆节", "2022-10-01", "2022-10-07",
	  { "2022-10-08", "2022-10-09", NULL } },
	/* 国办发明电〔2022〕16号 */
	{ "2023 元旦", "2022-12-31", "2023-01-02", { NULL } },
	{ "2023 春节", "2023-01-21", "2023-01-27",
	  { "2023-01-28", "2023-01-29", NULL } },
	{ "2023 清明节", "2023-04-05", "2023-04-05", { NULL } },
	{ "2023 劳动节", "2023-04-29", "2023-05-03",
	  { "2023-04-23", "2023-05-06", NULL } },
	{ "2023 端午节", "2023-06-22", "2023-06-24", { "2023-06-25", NULL } },
	{ "2023 中秋节、国庆节", "2023-09-29", "2023-10-06",
	  { "2023-10-07", "2023-10-08", NULL } },
	/* 国办发明电〔2023〕7号 */
	{ "2024 元旦", "2024-01-01", "2024-01-01", { NULL } },
	{ "2024 春节", "2024-02-10", "2024-02-17",
	  { "2024-02-04", "2024-02-18", NULL } },
	{ "2024 清明节", "2024-04-04", "2024-04-06", { "2024-04-07", NULL } },
	{ "2024 劳动节", "2024-05-01", "2024-05-05",
	  { "2024-04-28", "2024-05-11", NULL } },
	{ "2024 端午节", "2024-06-10", "2024-06-10", { NULL } },
	{ "2024 中秋节", "2024-09-15", "2024-09-17", { "2024-09-14", NULL } },
	{ "2024 国庆节", "2024-10-01", "2024-10-07",
	  { "2024-09-29", "2024-10-12", NULL } },
	/* 国办发明电〔2024〕12号 */
	{ "2025 元旦", "2025-01-01", "2025-01-01", { NULL } },
	{ "2025 春节", "2025-01-28", "2025-02-04",
	  { "2025-01-26", "2025-02-08", NULL } },
	{ "2025 清明节", "2025-04-04", "2025-04-06", { NULL } },
	{ "2025 劳动节", "2025-05-01", "2025-05-05", { "2025-04-27", NULL } },
	{ "2025 端午节", "2025-05-31", "2025-06-02", { NULL } },
	{ "2025 国庆节、中秋节", "2025-10-01", "2025-10-08",
	  { "2025-09-28", "2025-10-11", NULL } },
	/* 国办发明电〔2025〕7号 */
	{ "2026 元旦", "2026-01-01", "2026-01-03", { "2026-01-04", NULL } },
	{ "2026 春节", "2026-02-15", "2026-02-23",
	  { "2026-02-14", "2026-02-28", NULL } },
	{ "2026 清明节", "2026-04-04", "2026-04-06", { NULL } },
	{ "2026 劳动节", "2026-05-01", "2026-05-05", { "2026-05-09", NULL } },
	{ "2026 端午节", "2026-06-19", "2026-06-21", { NULL } },
	{ "2026 中秋节", "2026-09-25", "2026-09-27", { NULL } },
	{ "2026 国庆节", "2026-10-01", "2026-10-07",
	  { "2026-09-20", "2026-10-10", NULL } },
};

#define NPERIODS (sizeof(periods) / sizeof(periods[0]))

/* What the table says about a day: -1 nothing, 0 off, 1 work. */
static int table_says(int32_t day)
{
	int says = -1;

	for (size_t i = 0; i < NPERIODS; i++) {
		if (day >= D(periods[i].first) && day <= D(periods[i].last)) {
			assert_int_equal(says, -1);
			says = 0;
		}
		for (size_t k = 0; periods[i].work[k]; k++) {
			if (day == D(periods[i].work[k])) {
				assert_int_equal(says, -1);
				says = 1;
			}
		}
	}
	return says;
}

static bool expected_workday(int32_t day)
{
	int says = table_says(day);

	return says >= 0 ? says == 1 : date_weekday(day) < 5;
}

static struct calendar *builtin;

static int setup(void **state)
{
	struct duban_error err;

	(void)state;
	builtin = calendar_new();
	if (calendar_load_builtin(builtin, &err)) {
		fprintf(stderr, "builtin: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(builtin);
	return 0;
}

static bool workday(const struct calendar *cal, int32_t day)
{
	struct duban_error err;
	bool w = false;

	if (calendar_is_workday(cal, day, &w, &err))
		fail_msg("%s", err.message);
	return w;
}

static int32_t add(const struct calendar *cal, int32_t day, int n)
{
	struct duban_error err;
	int32_t out = 0;

	if (calendar_add(cal, day, n, &out, &err))
		fail_msg("%s", err.message);
	return out;
}

static int64_t between(const struct calendar *cal, int32_t a, int32_t b)
{
	struct duban_error err;
	int64_t out = 0;

	if (calendar_workdays_between(cal, a, b, &out, &err))
		fail_msg("%s", err.message);
	return out;
}

/* ---- tests ------------------------------------------------------------- */

static void test_builtin_years(void **state)
{
	(void)state;
	assert_int_equal(calendar_year_count(builtin), 7);
	for (int y = 2020; y <= 2026; y++) {
		assert_true(calendar_has_year(builtin, y));
		assert_int_equal(calendar_year_at(builtin, (size_t)(y - 2020))->year,
				 y);
	}
	assert_false(calendar_has_year(builtin, 2019));
	assert_false(calendar_has_year(builtin, 2027));

	const struct calendar_year *y2020 = calendar_year_at(builtin, 0);
	assert_int_equal(y2020->nnotices, 2);
	assert_string_equal(y2020->notices[0].number, "国办发明电〔2019〕16号");
	assert_int_equal(y2020->notices[0].date, D("2019-11-21"));
	assert_string_equal(y2020->notices[1].number, "国办发明电〔2020〕1号");
	assert_int_equal(y2020->notices[1].date, D("2020-01-26"));

	const struct calendar_year *y2026 = calendar_year_at(builtin, 6);
	assert_int_equal(y2026->nnotices, 1);
	assert_string_equal(y2026->notices[0].number, "国办发明电〔2025〕7号");
	assert_int_equal(y2026->notices[0].date, D("2025-11-04"));
	assert_string_equal(y2026->notices[0].title,
			    "国务院办公厅关于2026年部分节假日安排的通知");
	assert_null(calendar_year_at(builtin, 7));
}

/* Adjusted working days fall on weekends, as the lead's notes say. */
static void test_table_weekdays(void **state)
{
	(void)state;
	for (size_t i = 0; i < NPERIODS; i++)
		for (size_t k = 0; periods[i].work[k]; k++)
			assert_true(date_weekday(D(periods[i].work[k])) >= 5);
}

/* Every day of every holiday period and every adjusted working day. */
static void test_every_period(void **state)
{
	(void)state;
	for (size_t i = 0; i < NPERIODS; i++) {
		const struct period *p = &periods[i];
		for (int32_t d = D(p->first); d <= D(p->last); d++) {
			if (workday(builtin, d))
				fail_msg("%s: day %d should be off", p->name,
					 (int)(d - D(p->first)));
		}
		for (size_t k = 0; p->work[k]; k++)
			if (!workday(builtin, D(p->work[k])))
				fail_msg("%s: %s should be a working day",
					 p->name, p->work[k]);
		/* The days around a period follow the plain rule. */
		int32_t before = D(p->first) - 1, after = D(p->last) + 1;
		if (before >= D("2020-01-01"))
			assert_int_equal(workday(builtin, before),
					 expected_workday(before));
		assert_int_equal(workday(builtin, after),
				 expected_workday(after));
	}
}

/* Every day of 2020 to 2026 against the table and the weekday rule. */
static void test_every_day(void **state)
{
	(void)state;
	for (int32_t d = D("2020-01-01"); d <= D("2026-12-31"); d++) {
		if (workday(builtin, d) != expected_workday(d)) {
			char ds[11];
			date_format(d, ds);
			fail_msg("%s: expected %s", ds,
				 expected_workday(d) ? "workday" : "off");
		}
	}
}

static void test_spot_checks(void **state)
{
	static const struct {
		const char *day;
		int weekday; /* 0 = Monday */
		bool work;
	} cases[] = {
		/* 2020: the extension */
		{ "2020-01-19", 6, true },  { "2020-01-23", 3, true },
		{ "2020-01-24", 4, false }, { "2020-01-30", 3, false },
		{ "2020-01-31", 4, false }, { "2020-02-01", 5, false },
		{ "2020-02-02", 6, false }, { "2020-02-03", 0, true },
		/* plain days */
		{ "2026-03-02", 0, true },  { "2026-03-07", 5, false },
		{ "2026-03-08", 6, false }, { "2024-02-09", 4, true },
		/* 2026 */
		{ "2026-01-04", 6, true },  { "2026-02-14", 5, true },
		{ "2026-02-15", 6, false }, { "2026-02-23", 0, false },
		{ "2026-02-24", 1, true },  { "2026-02-28", 5, true },
		{ "2026-05-09", 5, true },  { "2026-09-20", 6, true },
		{ "2026-10-08", 3, true },  { "2026-10-10", 5, true },
		/* 2023 starts on a holiday that began in 2022 */
		{ "2022-12-31", 5, false }, { "2023-01-02", 0, false },
		{ "2023-01-03", 1, true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t d = D(cases[i].day);
		assert_int_equal(date_weekday(d), cases[i].weekday);
		if (workday(builtin, d) != cases[i].work)
			fail_msg("%s", cases[i].day);
	}
}

static void test_add(void **state)
{
	static const struct {
		const char *from;
		int n;
		const char *to;
	} cases[] = {
		{ "2026-02-13", 1, "2026-02-14" }, /* the working Saturday */
		{ "2026-02-14", 1, "2026-02-24" },
		{ "2026-02-13", 2, "2026-02-24" },
		{ "2026-02-13", 3, "2026-02-25" }, /* docs/calendar.md */
		{ "2026-02-15", 1, "2026-02-24" }, /* from a day off */
		{ "2026-02-24", 4, "2026-02-28" }, /* Wed Thu Fri, Sat works */
		{ "2025-12-31", 1, "2026-01-04" }, /* year end, Sunday works */
		{ "2025-12-31", 2, "2026-01-05" },
		{ "2024-12-31", 1, "2025-01-02" },
		{ "2022-12-30", 1, "2023-01-03" },
		{ "2020-01-23", 1, "2020-02-03" }, /* over the extension */
		{ "2020-01-18", 1, "2020-01-19" },
		{ "2023-09-28", 1, "2023-10-07" },
		{ "2020-01-01", 1, "2020-01-02" },
		{ "2026-03-02", 5, "2026-03-09" },
		{ "2026-12-30", 1, "2026-12-31" },
		{ "2021-12-31", 1, "2022-01-04" },
		/* 签批 within 3 working days of 2025-09-30: Thu, Fri, Sat */
		{ "2025-09-30", 3, "2025-10-11" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t got = add(builtin, D(cases[i].from), cases[i].n);
		if (got != D(cases[i].to)) {
			char ds[11];
			date_format(got, ds);
			fail_msg("%s + %d: got %s, want %s", cases[i].from,
				 cases[i].n, ds, cases[i].to);
		}
	}

	/* The whole loaded span in one step, and one more is too far. */
	int64_t all = between(builtin, D("2020-01-01"), D("2026-12-31"));
	assert_int_equal(add(builtin, D("2020-01-01"), (int)all),
			 D("2026-12-31"));
	struct duban_error err;
	int32_t out = 0;
	assert_int_equal(calendar_add(builtin, D("2020-01-01"), (int)all + 1,
				      &out, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.message,
			    "no working-day schedule loaded for year 2027");
	assert_int_equal(calendar_add(builtin, D("2026-12-31"), 1, &out, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.message,
			    "no working-day schedule loaded for year 2027");
	assert_int_equal(calendar_add(builtin, D("2026-12-31"), 2147483647,
				      &out, &err),
			 DUBAN_E_INVALID);
}

static void test_add_bad_n(void **state)
{
	static const int bad[] = { 0, -1, -2147483647 - 1 };
	struct duban_error err;
	int32_t out = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(calendar_add(builtin, D("2026-03-02"), bad[i],
					      &out, &err),
				 DUBAN_E_INVALID);
		assert_string_equal(err.code, "invalid_value");
		assert_non_null(strstr(err.message, "less than 1"));
		assert_int_equal(out, 12345);
	}
	/* A NULL err is allowed. */
	assert_int_equal(calendar_add(builtin, D("2026-03-02"), 0, &out, NULL),
			 DUBAN_E_INVALID);
}

static void test_between(void **state)
{
	static const struct {
		const char *from, *to;
		int64_t n;
	} cases[] = {
		{ "2026-02-13", "2026-02-24", 2 },
		{ "2026-02-24", "2026-02-13", -2 },
		{ "2026-02-13", "2026-02-13", 0 },
		{ "2026-02-14", "2026-02-23", 0 },
		{ "2025-12-31", "2026-01-05", 2 },
		{ "2020-01-23", "2020-02-03", 1 },
		{ "2026-03-01", "2026-03-31", 22 },
		{ "2026-02-01", "2026-02-28", 16 },
		{ "2025-09-30", "2025-10-11", 3 },
		{ "2025-09-30", "2025-10-12", 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = between(builtin, D(cases[i].from), D(cases[i].to));
		if (got != cases[i].n)
			fail_msg("%s..%s: got %lld, want %lld", cases[i].from,
				 cases[i].to, (long long)got,
				 (long long)cases[i].n);
	}
}

/* Working days per year; the table and the weekday rule, counted. */
static void test_year_totals(void **state)
{
	static const int64_t totals[] = { 249, 250, 249, 249, 251, 248, 248 };

	(void)state;
	for (int y = 2020; y <= 2026; y++) {
		int32_t a = date_from_ymd(y, 1, 1), b = date_from_ymd(y, 12, 31);
		int64_t want = 0;
		for (int32_t d = a; d <= b; d++)
			want += expected_workday(d);
		/* (a - 1, b] needs the year before; count from Jan 1. */
		int64_t got = between(builtin, a, b) + workday(builtin, a);
		assert_int_equal(got, want);
		assert_int_equal(got, totals[y - 2020]);
		print_message("%d: %lld working days\n", y, (long long)got);
	}
}

/* add and between against each other and a day-by-day count. */
static void test_consistency(void **state)
{
	const int32_t first = D("2020-01-01"), last = D("2026-12-31");

	(void)state;
	for (int32_t d = first; d <= last; d++) {
		int32_t t = d;
		for (int k = 1; k <= 25; k++) {
			struct duban_error err;
			int32_t next;
			if (calendar_add(builtin, d, k, &next, &err)) {
				assert_true(t + 60 > last);
				break;
			}
			/* the k-th is the next working day after the k-1-th */
			int32_t x = t + 1;
			while (!workday(builtin, x))
				x++;
			assert_int_equal(next, x);
			assert_int_equal(between(builtin, d, next), k);
			assert_int_equal(between(builtin, d, next - 1), k - 1);
			assert_int_equal(between(builtin, next, d), -k);
			t = next;
		}
	}
	/* add(d, between(d, x)) is the last working day on or before x. */
	for (int32_t d = first; d <= last; d += 7) {
		for (int32_t x = d + 1; x <= d + 60 && x <= last; x++) {
			int64_t n = between(builtin, d, x);
			if (n < 1)
				continue;
			int32_t back = x;
			while (!workday(builtin, back))
				back--;
			assert_int_equal(add(builtin, d, (int)n), back);
		}
	}
	/* between is additive over long spans. */
	for (int32_t d = first; d <= last; d += 37) {
		int64_t a = between(builtin, first, d);
		int64_t b = between(builtin, d, last);
		assert_int_equal(a + b, between(builtin, first, last));
	}
}

static void test_unknown_year(void **state)
{
	struct calendar *empty = calendar_new();
	struct duban_error err;
	bool w;
	int32_t out;
	int64_t n;

	(void)state;
	assert_int_equal(calendar_is_workday(builtin, D("2031-05-06"), &w, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.message,
			    "no working-day schedule loaded for year 2031");
	assert_string_equal(err.code, "invalid_value");
	assert_int_equal(calendar_is_workday(builtin, D("2019-12-31"), &w, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.message,
			    "no working-day schedule loaded for year 2019");
	assert_int_equal(calendar_add(builtin, D("2019-12-31"), 1, &out, &err),
			 DUBAN_E_INVALID);
	assert_int_equal(calendar_workdays_between(builtin, D("2026-01-05"),
						   D("2027-01-05"), &n, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.message,
			    "no working-day schedule loaded for year 2027");
	assert_int_equal(calendar_workdays_between(builtin, D("2019-01-05"),
						   D("2026-01-05"), &n, &err),
			 DUBAN_E_INVALID);
	assert_int_equal(calendar_is_workday(empty, D("2026-01-05"), &w, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.message,
			    "no working-day schedule loaded for year 2026");
	assert_int_equal(calendar_is_workday(empty, INT32_MAX, &w, &err),
			 DUBAN_E_INVALID);
	assert_int_equal(calendar_is_workday(empty, INT32_MIN, &w, &err),
			 DUBAN_E_INVALID);
	assert_int_equal(calendar_is_workday(builtin, INT32_MAX, &w, NULL),
			 DUBAN_E_INVALID);
	calendar_free(empty);
}

/* A gap between loaded years: queries must not reach across it. */
static void test_gap(void **state)
{
	static const char y2030[] = "year 2030\noff 2030-01-01 元旦\n";
	struct calendar *cal = calendar_clone(builtin);
	struct duban_error err;
	int32_t out;
	int64_t n;
	bool w;
	int year = 0;

	(void)state;
	assert_int_equal(calendar_load_text(cal, y2030, sizeof(y2030) - 1,
					    &year, &err),
			 DUBAN_OK);
	assert_int_equal(year, 2030);
	assert_false(workday(cal, D("2030-01-01")));
	assert_true(workday(cal, D("2030-01-02")));
	assert_int_equal(calendar_is_workday(cal, D("2028-06-01"), &w, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.message,
			    "no working-day schedule loaded for year 2028");
	assert_int_equal(calendar_add(cal, D("2026-12-31"), 1, &out, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.message,
			    "no working-day schedule loaded for year 2027");
	assert_int_equal(calendar_workdays_between(cal, D("2030-06-01"),
						   D("2026-06-01"), &n, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.message,
			    "no working-day schedule loaded for year 2027");
	assert_int_equal(add(cal, D("2030-12-30"), 1), D("2030-12-31"));
	/* the original snapshot is untouched */
	assert_false(calendar_has_year(builtin, 2030));
	calendar_free(cal);
}

/*
 * Days named by the next year's notice apply to the year before and win
 * over it: the 2019 notice made 2018-12-29 a working Saturday and
 * 2018-12-31 a holiday.
 */
static void test_adjacent_year(void **state)
{
	static const char y2018[] =
		"year 2018\n"
		"off 2018-02-15 2018-02-21 春节\n"
		"off 2018-12-29 test: overridden by 2019\n";
	static const char y2019[] =
		"year 2019\n"
		"notice 国办发明电〔2018〕15号 2018-12-06\n"
		"off 2018-12-30 2019-01-01 元旦\n"
		"work 2018-12-29 元旦调休上班\n";
	struct calendar *cal = calendar_new();
	struct duban_error err;
	bool w;

	(void)state;
	assert_int_equal(calendar_load_text(cal, y2019, sizeof(y2019) - 1, NULL,
					    &err),
			 DUBAN_OK);
	assert_false(workday(cal, D("2019-01-01")));
	assert_true(workday(cal, D("2019-01-02")));
	/* 2018 is not loaded: its days are still unknown */
	assert_int_equal(calendar_is_workday(cal, D("2018-12-31"), &w, &err),
			 DUBAN_E_INVALID);
	assert_int_equal(calendar_load_text(cal, y2018, sizeof(y2018) - 1, NULL,
					    &err),
			 DUBAN_OK);
	assert_false(workday(cal, D("2018-12-31"))); /* a Monday */
	assert_false(workday(cal, D("2018-12-30")));
	assert_true(workday(cal, D("2018-12-29")));  /* 2019 wins */
	assert_true(workday(cal, D("2018-12-28")));
	assert_false(workday(cal, D("2018-02-15")));
	assert_int_equal(add(cal, D("2018-12-28"), 1), D("2018-12-29"));
	assert_int_equal(add(cal, D("2018-12-29"), 1), D("2019-01-02"));
	assert_int_equal(between(cal, D("2018-12-28"), D("2019-01-02")), 2);
	calendar_free(cal);
}

static const char good_2026[] =
	"# test\n"
	"year 2026\n"
	"notice 国办发明电〔2025〕7号 2025-11-04\n"
	"off 2026-02-15 2026-02-23 春节\n"
	"work 2026-02-14 春节调休上班\n";

static void test_malformed(void **state)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "", "missing 'year' line" },
		{ "# only a comment\n", "missing 'year' line" },
		{ "year 2026\n", "no holidays listed for 2026" },
		{ "year 2026\nwork 2026-02-14 x\n",
		  "no holidays listed for 2026" },
		{ "year 26\n", "line 1: bad year '26' (1900 to 2200)" },
		{ "year 3000\n", "line 1: bad year '3000' (1900 to 2200)" },
		{ "year 2026 extra\n", "line 1: unexpected 'extra'" },
		{ "year 2026\nyear 2026\n", "line 2: second 'year' line" },
		{ "off 2026-01-01 元旦\nyear 2026\n",
		  "line 1: 'off' before the 'year' line" },
		{ "year 2026\noff 2026-02-30 春节\n",
		  "line 2: bad date '2026-02-30'" },
		{ "year 2026\noff 2026-1-1 元旦\n",
		  "line 2: bad date '2026-1-1'" },
		{ "year 2026\noff 2026-01-01 2026-13-01 元旦\n",
		  "line 2: bad date '2026-13-01'" },
		{ "year 2026\noff\n", "line 2: missing date" },
		{ "year 2026\noff 2026-01-01\n", "line 2: missing name" },
		{ "year 2026\noff 2026-01-01   \t\n", "line 2: missing name" },
		{ "year 2026\n\noff 2026-02-15 2026-02-10 春节\n",
		  "line 3: range '2026-02-15' to '2026-02-10' ends before it starts" },
		{ "year 2026\noff 2026-01-01 2026-03-01 元旦\n",
		  "line 2: range '2026-01-01' to '2026-03-01' is longer than 31 days" },
		{ "year 2026\noff 2025-06-01 x\n",
		  "line 2: '2025-06-01' lies outside 2026 (one schedule holds one year)" },
		{ "year 2026\noff 2027-01-31 2027-02-01 x\n",
		  "line 2: '2027-02-01' lies outside 2026 (one schedule holds one year)" },
		{ "year 2026\noff 2026-01-01 元旦\nwork 2026-01-05 元旦调休\n",
		  "line 3: adjusted working day '2026-01-05' is a monday" },
		{ "year 2026\noff 2026-01-01 元旦\noff 2026-01-01 元旦\n",
		  "line 3: '2026-01-01' already listed on line 2" },
		{ "year 2026\noff 2026-02-14 2026-02-16 a\nwork 2026-02-14 b\n",
		  "line 3: '2026-02-14' already listed on line 2" },
		{ "year 2026\nholiday 2026-01-01 x\n",
		  "line 2: unknown keyword 'holiday'" },
		{ "year 2026\nOFF 2026-01-01 x\n",
		  "line 2: unknown keyword 'OFF'" },
		{ "year 2026\nnotice\n", "line 2: missing notice number" },
		{ "year 2026\nnotice 国办发明电〔2025〕7号\n",
		  "line 2: missing date" },
		{ "year 2026\nnotice 国办发明电〔2025〕7号 2025-13-04\n",
		  "line 2: bad date '2025-13-04'" },
		{ "year 2026\noff 2026-01-01 x\x01y\n",
		  "line 2: control character 0x01" },
		{ "year 2026\noff 2026-01-01 x\ry\n",
		  "line 2: control character 0x0d" },
		{ "year 2026\noff 2026-01-01 \xff\n", "line 2: invalid UTF-8" },
		{ "year 2026\noff 2026-01-01 \xe5\xae\n", "line 2: invalid UTF-8" },
		{ "year 2026\noff 2026-01-01 \xc0\xaf\n", "line 2: invalid UTF-8" },
		{ "year 2026\noff 2026-01-01 "
		  "0123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789"
		  "0123456789012345\n",
		  "line 2: name too long (at most 95 bytes)" },
	};
	struct calendar *cal = calendar_new();
	struct duban_error err;
	int year = 0;

	(void)state;
	assert_int_equal(calendar_load_text(cal, good_2026,
					    sizeof(good_2026) - 1, &year, &err),
			 DUBAN_OK);
	assert_int_equal(year, 2026);
	char *before = calendar_year_text(cal, 2026, NULL);
	assert_non_null(before);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		year = 0;
		memset(&err, 0, sizeof(err));
		duban_result r = calendar_load_text(cal, cases[i].text,
						    strlen(cases[i].text),
						    &year, &err);
		if (r != DUBAN_E_INVALID || strcmp(err.message, cases[i].message))
			fail_msg("case %zu: got %d '%s', want '%s'", i, r,
				 err.message, cases[i].message);
		assert_int_equal(year, 0);
		/* nothing changed: 2026 is as it was */
		assert_int_equal(calendar_year_count(cal), 1);
		char *after = calendar_year_text(cal, 2026, NULL);
		assert_string_equal(before, after);
		free(after);
		assert_true(workday(cal, D("2026-02-14")));
		assert_false(workday(cal, D("2026-02-16")));
		assert_true(workday(cal, D("2026-01-05")));
	}

	/* Too large */
	size_t big = CALENDAR_INPUT_MAX + 1;
	char *text = malloc(big);
	assert_non_null(text);
	memset(text, '\n', big);
	assert_int_equal(calendar_load_text(cal, text, big, &year, &err),
			 DUBAN_E_TOO_LARGE);
	free(text);

	free(before);
	calendar_free(cal);
}

static void test_text_details(void **state)
{
	/* CRLF, BOM, tabs, indented comments, a name with '#' and spaces,
	 * a name that starts like a date, several notices. */
	static const char text[] =
		"\xef\xbb\xbf# header\r\n"
		"\t# indented comment\r\n"
		"year\t2026\r\n"
		"notice A1 2025-11-04\r\n"
		"notice B-2 2025-12-01  a  title \r\n"
		"off 2026-02-15\t2026-02-23   春节 #1  \r\n"
		"work 2026-02-14 2026-02-14 2026 春节\r\n"
		"off 2026-10-01 2026-10-01 2026-99-99 odd\r\n";
	struct calendar *cal = calendar_new();
	struct duban_error err;
	int year = 0;

	(void)state;
	if (calendar_load_text(cal, text, sizeof(text) - 1, &year, &err))
		fail_msg("%s", err.message);
	const struct calendar_year *y = calendar_year_at(cal, 0);
	assert_int_equal(y->nnotices, 2);
	assert_string_equal(y->notices[0].number, "A1");
	assert_string_equal(y->notices[0].title, "");
	assert_string_equal(y->notices[1].title, "a  title");
	assert_int_equal(y->nranges, 3);
	assert_string_equal(y->ranges[0].name, "春节 #1");
	assert_int_equal(y->ranges[0].first, D("2026-02-15"));
	assert_int_equal(y->ranges[0].last, D("2026-02-23"));
	assert_int_equal(y->ranges[0].kind, CALENDAR_OFF);
	assert_string_equal(y->ranges[1].name, "2026 春节");
	assert_int_equal(y->ranges[1].kind, CALENDAR_WORK);
	assert_string_equal(y->ranges[2].name, "2026-99-99 odd");

	/* Written back and read again, it is the same schedule. */
	size_t len = 0;
	char *out = calendar_year_text(cal, 2026, &len);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	struct calendar *again = calendar_new();
	if (calendar_load_text(again, out, len, NULL, &err))
		fail_msg("%s\n%s", err.message, out);
	char *out2 = calendar_year_text(again, 2026, NULL);
	assert_string_equal(out, out2);
	assert_null(calendar_year_text(again, 2025, NULL));
	free(out);
	free(out2);
	calendar_free(again);
	calendar_free(cal);
}

/* Every shipped year survives writing back and reading again. */
static void test_builtin_roundtrip(void **state)
{
	struct calendar *cal = calendar_new();
	struct duban_error err;

	(void)state;
	for (int y = 2020; y <= 2026; y++) {
		size_t len;
		char *text = calendar_year_text(builtin, y, &len);
		assert_non_null(text);
		if (calendar_load_text(cal, text, len, NULL, &err))
			fail_msg("%d: %s", y, err.message);
		free(text);
	}
	for (int32_t d = D("2020-01-01"); d <= D("2026-12-31"); d++)
		assert_int_equal(workday(cal, d), workday(builtin, d));
	calendar_free(cal);
}

static void test_clone_merge(void **state)
{
	static const char alt[] = "year 2026\noff 2026-03-02 test\n";
	struct calendar *snap = calendar_clone(builtin);
	struct calendar *other = calendar_new();
	struct duban_error err;

	(void)state;
	assert_int_equal(calendar_year_count(snap), 7);
	assert_int_equal(calendar_load_text(snap, alt, sizeof(alt) - 1, NULL,
					    &err),
			 DUBAN_OK);
	/* replaced in the clone only */
	assert_int_equal(calendar_year_count(snap), 7);
	assert_false(workday(snap, D("2026-03-02")));
	assert_true(workday(snap, D("2026-02-14") + 2)); /* 02-16, no 春节 */
	assert_true(workday(builtin, D("2026-03-02")));
	assert_false(workday(builtin, D("2026-02-16")));

	calendar_merge(other, snap);
	assert_int_equal(calendar_year_count(other), 7);
	assert_false(workday(other, D("2026-03-02")));
	calendar_merge(other, builtin);
	assert_true(workday(other, D("2026-03-02")));
	assert_false(workday(other, D("2026-02-16")));
	calendar_free(snap);
	calendar_free(other);
}

/* ---- iCalendar --------------------------------------------------------- */

/*
 * As published by holiday feeds: CRLF, folded lines (one fold inside the
 * UTF-8 of 班), a VTIMEZONE, a VALARM whose SUMMARY must not count, a
 * CANCELLED event, an X-DUBAN-KIND override and an event that starts in the
 * December before.
 */
static const char sample_ics[] =
	"BEGIN:VCALENDAR\r\n"
	"VERSION:2.0\r\n"
	"PRODID:-//test//holidays//CN\r\n"
	"X-WR-CALNAME:中国节假日\r\n"
	"BEGIN:VTIMEZONE\r\n"
	"TZID:Asia/Shanghai\r\n"
	"BEGIN:STANDARD\r\n"
	"DTSTART:19700101T000000\r\n"
	"TZOFFSETFROM:+0800\r\n"
	"TZOFFSETTO:+0800\r\n"
	"END:STANDARD\r\n"
	"END:VTIMEZONE\r\n"
	"BEGIN:VEVENT\r\n"
	"UID:1@test\r\n"
	"DTSTART;VALUE=DATE:20251231\r\n"
	"DTEND;VALUE=DATE:20260104\r\n"
	"SUMMARY:元旦 休\r\n"
	"END:VEVENT\r\n"
	"BEGIN:VEVENT\r\n"
	"UID:2@test\r\n"
	"DTSTART;VALUE=DATE:20260104\r\n"
	"SUMMARY:元旦 补\xe7\r\n"
	" \x8f\xad\r\n"
	"END:VEVENT\r\n"
	"BEGIN:VEVENT\r\n"
	"UID:3@test\r\n"
	"DTSTART;VALUE=DATE:20260215\r\n"
	"DURATION:P9D\r\n"
	"SUMMARY:春节\r\n"
	"BEGIN:VALARM\r\n"
	"ACTION:DISPLAY\r\n"
	"SUMMARY:上班提醒\r\n"
	"TRIGGER:-PT15M\r\n"
	"END:VALARM\r\n"
	"END:VEVENT\r\n"
	"BEGIN:VEVENT\r\n"
	"DTSTART;VALUE=DATE:20260214\r\n"
	"DTEND;VALUE=DATE:20260215\r\n"
	"SUMMARY;LANGUAGE=zh-CN:春节调休上\r\n"
	"\t班\r\n"
	"END:VEVENT\r\n"
	"BEGIN:VEVENT\r\n"
	"DTSTART:20260228\r\n"
	"SUMMARY:Spring Festival makeup day\r\n"
	"X-DUBAN-KIND:work\r\n"
	"END:VEVENT\r\n"
	"BEGIN:VEVENT\r\n"
	"DTSTART;VALUE=DATE:20260302\r\n"
	"SUMMARY:withdrawn\r\n"
	"STATUS:CANCELLED\r\n"
	"END:VEVENT\r\n"
	"BEGIN:VEVENT\r\n"
	"DTSTART;VALUE=DATE:20261001\r\n"
	"DTEND;VALUE=DATE:20261008\r\n"
	"SUMMARY:国庆节\\, 放假\r\n"
	"END:VEVENT\r\n"
	"BEGIN:VEVENT\r\n"
	"DTSTART;VALUE=DATE:20261006\r\n"
	"DTEND;VALUE=DATE:20261009\r\n"
	"SUMMARY:overlap of the same kind\r\n"
	"END:VEVENT\r\n"
	"END:VCALENDAR\r\n";

static void test_ics(void **state)
{
	struct calendar *cal = calendar_new();
	struct duban_error err;
	int year = 0;

	(void)state;
	if (calendar_load_ics(cal, sample_ics, sizeof(sample_ics) - 1, &year,
			      &err))
		fail_msg("%s", err.message);
	assert_int_equal(year, 2026);
	assert_int_equal(calendar_year_count(cal), 1);

	const struct calendar_year *y = calendar_year_at(cal, 0);
	assert_int_equal(y->nnotices, 0);
	assert_int_equal(y->nranges, 7);
	assert_string_equal(y->ranges[0].name, "元旦 休");
	assert_int_equal(y->ranges[0].first, D("2025-12-31"));
	assert_int_equal(y->ranges[0].last, D("2026-01-03"));
	assert_string_equal(y->ranges[1].name, "元旦 补班");
	assert_int_equal(y->ranges[1].kind, CALENDAR_WORK);
	assert_int_equal(y->ranges[2].last, D("2026-02-23"));
	assert_int_equal(y->ranges[2].kind, CALENDAR_OFF);
	assert_string_equal(y->ranges[3].name, "春节调休上班");
	assert_int_equal(y->ranges[3].kind, CALENDAR_WORK);
	assert_int_equal(y->ranges[4].kind, CALENDAR_WORK);
	assert_string_equal(y->ranges[5].name, "国庆节, 放假");
	/* the overlap keeps only its new day */
	assert_int_equal(y->ranges[6].first, D("2026-10-08"));
	assert_int_equal(y->ranges[6].last, D("2026-10-08"));

	assert_false(workday(cal, D("2026-01-01")));
	assert_true(workday(cal, D("2026-01-04")));
	assert_true(workday(cal, D("2026-02-14")));
	assert_false(workday(cal, D("2026-02-23")));
	assert_true(workday(cal, D("2026-02-24")));
	assert_true(workday(cal, D("2026-02-28")));
	assert_true(workday(cal, D("2026-03-02"))); /* cancelled */
	assert_false(workday(cal, D("2026-10-07")));
	assert_false(workday(cal, D("2026-10-08")));
	assert_true(workday(cal, D("2026-10-09")));
	assert_int_equal(add(cal, D("2026-02-13"), 1), D("2026-02-14"));
	assert_int_equal(add(cal, D("2026-02-14"), 1), D("2026-02-24"));

	/* Stored as text, it reads back the same. */
	size_t len;
	char *text = calendar_year_text(cal, 2026, &len);
	struct calendar *again = calendar_new();
	if (calendar_load_text(again, text, len, NULL, &err))
		fail_msg("%s\n%s", err.message, text);
	for (int32_t d = D("2026-01-01"); d <= D("2026-12-31"); d++)
		assert_int_equal(workday(again, d), workday(cal, d));
	free(text);
	calendar_free(again);

	/* LF line ends and lower-case names work too. */
	static const char lf[] =
		"begin:vcalendar\n"
		"begin:vevent\n"
		"dtstart;value=date:20270101\n"
		"summary:元旦\n"
		"end:vevent\n"
		"end:vcalendar\n";
	assert_int_equal(calendar_load_ics(cal, lf, sizeof(lf) - 1, &year,
					   &err),
			 DUBAN_OK);
	assert_int_equal(year, 2027);
	assert_false(workday(cal, D("2027-01-01")));
	assert_int_equal(add(cal, D("2026-12-31"), 1), D("2027-01-04"));

	/* An event around an earlier one keeps the days on both sides. */
	static const char around[] =
		"BEGIN:VCALENDAR\n"
		"BEGIN:VEVENT\nDTSTART:20270105\nDTEND:20270107\n"
		"SUMMARY:a\nEND:VEVENT\n"
		"BEGIN:VEVENT\nDTSTART:20270104\nDTEND:20270109\n"
		"SUMMARY:b\nEND:VEVENT\n"
		"END:VCALENDAR\n";
	assert_int_equal(calendar_load_ics(cal, around, sizeof(around) - 1,
					   &year, &err),
			 DUBAN_OK);
	y = calendar_year_at(cal, 1);
	assert_int_equal(y->year, 2027);
	assert_int_equal(y->nranges, 3);
	assert_int_equal(y->ranges[1].first, D("2027-01-04"));
	assert_int_equal(y->ranges[1].last, D("2027-01-04"));
	assert_int_equal(y->ranges[2].first, D("2027-01-07"));
	assert_int_equal(y->ranges[2].last, D("2027-01-08"));
	assert_true(workday(cal, D("2027-01-01")));
	assert_int_equal(add(cal, D("2027-01-01"), 1), D("2027-01-11"));
	calendar_free(cal);
}

#define EV(body) \
	"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" body "END:VEVENT\r\nEND:VCALENDAR\r\n"

static void test_ics_malformed(void **state)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "", "not an iCalendar file" },
		{ "hello\r\n", "line 1: not an iCalendar content line" },
		{ "VERSION:2.0\r\n", "line 1: expected BEGIN:VCALENDAR" },
		{ "BEGIN:VEVENT\r\n", "line 1: unexpected BEGIN:VEVENT" },
		{ "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n",
		  "unexpected end of file inside VEVENT" },
		{ "BEGIN:VCALENDAR\r\nEND:VEVENT\r\n",
		  "line 2: unexpected END:VEVENT" },
		{ "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
		  "no events in the calendar" },
		{ EV("DTSTART:20260101T000000Z\r\nSUMMARY:x\r\n"),
		  "line 3: DTSTART '20260101T000000Z' is not a date (only all-day events are supported)" },
		{ EV("DTSTART;VALUE=DATE-TIME:20260101\r\nSUMMARY:x\r\n"),
		  "line 3: DTSTART '20260101' is not a date (only all-day events are supported)" },
		{ EV("DTSTART;VALUE=DATE:20260230\r\nSUMMARY:x\r\n"),
		  "line 3: bad date '20260230'" },
		{ EV("SUMMARY:x\r\n"), "line 2: event without DTSTART" },
		{ EV("DTSTART;VALUE=DATE:20260101\r\n"),
		  "line 2: event without SUMMARY" },
		{ EV("DTSTART;VALUE=DATE:20260101\r\nSUMMARY:   \r\n"),
		  "line 2: event without SUMMARY" },
		{ EV("DTSTART;VALUE=DATE:20260101\r\nDTSTART;VALUE=DATE:20260102\r\n"),
		  "line 4: second DTSTART in one event" },
		{ EV("DTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260105\r\nSUMMARY:x\r\n"),
		  "line 2: DTEND '2026-01-05' is not after DTSTART" },
		{ EV("DTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260106\r\nDURATION:P1D\r\nSUMMARY:x\r\n"),
		  "line 2: event with both DTEND and DURATION" },
		{ EV("DTSTART;VALUE=DATE:20260105\r\nDURATION:PT1H\r\nSUMMARY:x\r\n"),
		  "line 4: unsupported DURATION 'PT1H' (whole days or weeks only)" },
		{ EV("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:x\r\n"),
		  "line 4: recurring events (RRULE) are not supported" },
		{ EV("DTSTART;VALUE=DATE:20260101\r\nSUMMARY:x\r\nX-DUBAN-KIND:maybe\r\n"),
		  "line 5: X-DUBAN-KIND 'maybe' is neither 'work' nor 'off'" },
		{ EV("DTSTART;VALUE=DATE:20260105\r\nSUMMARY:补班\r\n"),
		  "line 2: adjusted working day '2026-01-05' is a monday" },
		{ EV("DTSTART;VALUE=DATE:20260101\r\nDURATION:P5W\r\nSUMMARY:x\r\n"),
		  "line 2: range '2026-01-01' to '2026-02-04' is longer than 31 days" },
		{ "BEGIN:VCALENDAR\r\n"
		  "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250301\r\nSUMMARY:a\r\nEND:VEVENT\r\n"
		  "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:b\r\nEND:VEVENT\r\n"
		  "END:VCALENDAR\r\n",
		  "line 2: '2025-03-01' lies outside 2026 (one schedule holds one year)" },
		{ "BEGIN:VCALENDAR\r\n"
		  "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260214\r\nSUMMARY:春节\r\nEND:VEVENT\r\n"
		  "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260214\r\nSUMMARY:补班\r\nEND:VEVENT\r\n"
		  "END:VCALENDAR\r\n",
		  "line 6: '2026-02-14' already listed on line 2" },
		{ EV("DTSTART;VALUE=DATE:20260214\r\nSUMMARY:补班\r\n"),
		  "no holidays listed for 2026" },
		{ EV("DTSTART;VALUE=DATE:20260101\r\nSUMMARY:\xff\r\n"),
		  "line 4: invalid UTF-8" },
	};
	struct calendar *cal = calendar_new();
	struct duban_error err;
	int year;

	(void)state;
	assert_int_equal(calendar_load_text(cal, good_2026,
					    sizeof(good_2026) - 1, NULL, &err),
			 DUBAN_OK);
	char *before = calendar_year_text(cal, 2026, NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		year = 0;
		memset(&err, 0, sizeof(err));
		duban_result r = calendar_load_ics(cal, cases[i].text,
						   strlen(cases[i].text),
						   &year, &err);
		if (r != DUBAN_E_INVALID || strcmp(err.message, cases[i].message))
			fail_msg("case %zu: got %d '%s', want '%s'", i, r,
				 err.message, cases[i].message);
		assert_int_equal(year, 0);
		assert_int_equal(calendar_year_count(cal), 1);
		char *after = calendar_year_text(cal, 2026, NULL);
		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	calendar_free(cal);
}

/* Bytes of every kind must not crash either parser. */
/* A SUMMARY cut to fit the name at a blank keeps no blank at its end, so
 * the year written as text reads back with the same name (tests/fuzz). */
static void test_ics_long_summary(void **state)
{
	struct calendar *cal = calendar_new(), *again = calendar_new();
	struct duban_error err;
	char ics[512], words[256];
	size_t len;

	(void)state;
	memset(words, 'a', 94);
	snprintf(words + 94, sizeof(words) - 94, " bbbbbbbbbb");
	snprintf(ics, sizeof(ics), EV("DTSTART;VALUE=DATE:20260101\r\n"
				      "SUMMARY:%s\r\n"),
		 words);
	if (calendar_load_ics(cal, ics, strlen(ics), NULL, &err))
		fail_msg("%s", err.message);
	const char *name = calendar_year_at(cal, 0)->ranges[0].name;
	assert_int_equal(strlen(name), 94);
	char *text = calendar_year_text(cal, 2026, &len);
	if (calendar_load_text(again, text, len, NULL, &err))
		fail_msg("%s\n%s", err.message, text);
	assert_string_equal(calendar_year_at(again, 0)->ranges[0].name, name);
	free(text);
	calendar_free(cal);
	calendar_free(again);
}

static void test_garbage(void **state)
{
	struct calendar *cal = calendar_new();
	unsigned seed = 12345;
	char buf[512];

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		size_t len = (size_t)(seed % sizeof(buf));
		/* mostly valid fragments, some noise */
		static const char *const bits[] = {
			"year 2026\n", "off ", "work ", "2026-02-14 ",
			"2026-02-15 ", "x\n", "\n", "BEGIN:VCALENDAR\r\n",
			"BEGIN:VEVENT\r\n", "END:VEVENT\r\n",
			"DTSTART;VALUE=DATE:20260215\r\n", "SUMMARY:班\r\n",
			" ", "\r\n ", "\xe7", "\xff", "notice ", "#",
		};
		while (n < len) {
			seed = seed * 1103515245u + 12345u;
			const char *b = bits[(seed >> 16) % 18];
			size_t l = strlen(b);
			if (n + l > len)
				break;
			memcpy(buf + n, b, l);
			n += l;
		}
		seed = seed * 1103515245u + 12345u;
		if (round & 1)
			(void)calendar_load_text(cal, buf, n, NULL, NULL);
		else
			(void)calendar_load_ics(cal, buf, n, NULL, NULL);
	}
	calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_years),
		cmocka_unit_test(test_table_weekdays),
		cmocka_unit_test(test_every_period),
		cmocka_unit_test(test_every_day),
		cmocka_unit_test(test_spot_checks),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_add_bad_n),
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_year_totals),
		cmocka_unit_test(test_consistency),
		cmocka_unit_test(test_unknown_year),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_adjacent_year),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_text_details),
		cmocka_unit_test(test_builtin_roundtrip),
		cmocka_unit_test(test_clone_merge),
		cmocka_unit_test(test_ics),
		cmocka_unit_test(test_ics_malformed),
		cmocka_unit_test(test_ics_long_summary),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
