/*
 * test_lunar.c - the Chinese calendar, the holiday law's provisional
 * schedules and the calendar's provisional years.
 *
 * The table of lunar holidays below is written out by hand from the
 * published Chinese calendar (万年历), independently of the code; the
 * rules of the law are checked against the State Council's notices shipped
 * in data/calendar (a notice always gives the statutory days off).
 * tests/api/test_calendar_ephemeris.py compares 2027-2040 with an
 * independent ephemeris (python3-ephem).
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
#include "core/calendar.h"
#include "core/calendar_builtin.h"
#include "core/lunar.h"
#include "core/statutory.h"

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (!date_parse(s, strlen(s), &d))
		fail_msg("bad test date '%s'", s);
	return d;
}

static void assert_day(int32_t got, const char *want, const char *what,
		       int year)
{
	char g[11];

	date_format(got, g);
	if (strcmp(g, want) != 0)
		fail_msg("%d %s: %s, expected %s", year, what, g, want);
}

/* 春节 (正月初一), 清明, 端午 (五月初五), 中秋 (八月十五) */
static const struct {
	int year;
	const char *spring, *qingming, *duanwu, *zhongqiu;
} lunar_table[] = {
	{ 2008, "2008-02-07", "2008-04-04", "2008-06-08", "2008-09-14" },
	{ 2017, "2017-01-28", "2017-04-04", "2017-05-30", "2017-10-04" },
	{ 2020, "2020-01-25", "2020-04-04", "2020-06-25", "2020-10-01" },
	{ 2023, "2023-01-22", "2023-04-05", "2023-06-22", "2023-09-29" },
	{ 2025, "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06" },
	{ 2026, "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25" },
	{ 2027, "2027-02-06", "2027-04-05", "2027-06-09", "2027-09-15" },
	{ 2028, "2028-01-26", "2028-04-04", "2028-05-28", "2028-10-03" },
	{ 2029, "2029-02-13", "2029-04-04", "2029-06-16", "2029-09-22" },
	{ 2030, "2030-02-03", "2030-04-05", "2030-06-05", "2030-09-12" },
	{ 2031, "2031-01-23", "2031-04-05", "2031-06-24", "2031-10-01" },
	/* 2033 has the leap 11th month that almanacs disputed before
	 * GB/T 33661-2017: 春节 of 2034 comes one month later */
	{ 2033, "2033-01-31", "2033-04-04", "2033-06-01", "2033-09-08" },
	{ 2034, "2034-02-19", "2034-04-05", "2034-06-20", "2034-09-27" },
};

static void test_lunar_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(lunar_table) / sizeof(lunar_table[0]);
	     i++) {
		int y = lunar_table[i].year;
		assert_day(lunar_new_year(y), lunar_table[i].spring, "春节", y);
		assert_day(lunar_solar_term(y, 15), lunar_table[i].qingming,
			   "清明", y);
		assert_day(lunar_day(y, 5, 5), lunar_table[i].duanwu, "端午",
			   y);
		assert_day(lunar_day(y, 8, 15), lunar_table[i].zhongqiu,
			   "中秋", y);
	}
}

static void test_solar_terms(void **state)
{
	(void)state;
	/* the solstices and equinoxes of 2026 (CST) */
	assert_day(lunar_solar_term(2026, 0), "2026-03-20", "春分", 2026);
	assert_day(lunar_solar_term(2026, 90), "2026-06-21", "夏至", 2026);
	assert_day(lunar_solar_term(2026, 180), "2026-09-23", "秋分", 2026);
	assert_day(lunar_solar_term(2026, 270), "2026-12-22", "冬至", 2026);
	/* 小寒 falls in January of the year asked for */
	assert_day(lunar_solar_term(2027, 285), "2027-01-05", "小寒", 2027);
	/* the terms come in order, 14 to 17 days apart, every year */
	for (int y = 1990; y <= 2200; y++) {
		int32_t prev = lunar_solar_term(y, 285);
		for (int k = 1; k < 24; k++) {
			int32_t d = lunar_solar_term(y, (285 + 15 * k) % 360);
			if (d - prev < 14 || d - prev > 17)
				fail_msg("%d: term %d is %d days after the one "
					 "before",
					 y, (285 + 15 * k) % 360, d - prev);
			prev = d;
		}
	}
}

static void test_lunar_months(void **state)
{
	(void)state;
	for (int y = 1990; y <= 2200; y++) {
		int32_t spring = lunar_new_year(y);
		int yy, m, d;
		date_to_ymd(spring, &yy, &m, &d);
		/* 春节 is the second new moon after the winter solstice (the
		 * third after a leap 11th or 12th month): January 21 to
		 * February 20 */
		if (yy != y || spring < date_from_ymd(y, 1, 21) ||
		    spring > date_from_ymd(y, 2, 20))
			fail_msg("%d: 春节 on %04d-%02d-%02d", y, yy, m, d);
		/* months are 29 or 30 days */
		int32_t prev = spring;
		for (int month = 2; month <= 12; month++) {
			int32_t first = lunar_day(y, month, 1);
			int len = first - prev;
			if (len != 29 && len != 30 && len != 58 && len != 59 &&
			    len != 60)
				fail_msg("%d: month %d starts %d days after "
					 "month %d",
					 y, month, len, month - 1);
			prev = first;
		}
		/* the year ends the day before the next 春节 */
		int32_t len = lunar_new_year(y + 1) - spring;
		if (len != 354 && len != 355 && len != 353 && len != 383 &&
		    len != 384 && len != 385)
			fail_msg("%d: a Chinese year of %d days", y, len);
	}
}

/* ---- the law --------------------------------------------------------- */

static struct calendar *provisional_only(int first, int last)
{
	struct calendar *cal = calendar_new();
	calendar_fill_provisional(cal, first, last);
	return cal;
}

static bool off(const struct calendar *cal, const char *day)
{
	struct duban_error err;
	bool w = true;
	if (calendar_is_workday(cal, D(day), &w, &err))
		fail_msg("%s: %s", day, err.message);
	return !w;
}

static bool workday(const struct calendar *cal, const char *day)
{
	return !off(cal, day);
}

static size_t off_days(const struct calendar_year *y)
{
	size_t n = 0;
	for (size_t i = 0; i < y->nranges; i++) {
		assert_int_equal(y->ranges[i].kind, CALENDAR_OFF);
		n += (size_t)(y->ranges[i].last - y->ranges[i].first + 1);
	}
	return n;
}

static const struct calendar_year *year_of(const struct calendar *cal,
					   int year)
{
	for (size_t i = 0; i < calendar_year_count(cal); i++)
		if (calendar_year_at(cal, i)->year == year)
			return calendar_year_at(cal, i);
	fail_msg("year %d not in the calendar", year);
	return NULL;
}

static void test_versions_of_the_law(void **state)
{
	(void)state;
	struct calendar *cal = provisional_only(2000, 2200);
	/* 2024 revision: 13 days, 除夕 among them, May 1-2 */
	assert_int_equal(off_days(year_of(cal, 2027)), 13);
	assert_true(off(cal, "2027-02-05"));  /* 除夕 */
	assert_true(off(cal, "2027-05-02"));
	assert_false(off(cal, "2027-02-09")); /* no 调休 is guessed */
	/* 2013 revision (2014 to 2024): 11 days, 初一 to 初三, May 1 only */
	assert_int_equal(off_days(year_of(cal, 2024)), 11);
	assert_false(off(cal, "2024-02-09")); /* 除夕, a Friday */
	assert_true(off(cal, "2024-02-12"));  /* 初三, a Monday */
	assert_false(off(cal, "2024-05-02"));
	/* 2007 revision (2008 to 2013): 除夕 to 初二 */
	assert_true(off(cal, "2010-02-13") && off(cal, "2010-02-15"));
	assert_false(off(cal, "2010-02-16")); /* 初三, a Tuesday */
	assert_true(off(cal, "2010-04-05"));  /* 清明 */
	/* 1999 revision (2000 to 2007): May 1-3, no 清明, 端午 or 中秋 */
	assert_int_equal(off_days(year_of(cal, 2005)), 10);
	assert_true(off(cal, "2005-05-03"));
	assert_false(off(cal, "2005-04-05")); /* 清明, a Tuesday */
	/* 中秋 inside 国庆 is one holiday (2031-10-01) */
	const struct calendar_year *y = year_of(cal, 2031);
	assert_string_equal(y->ranges[y->nranges - 1].name, "国庆节、中秋节");
	assert_int_equal(off_days(y), 12);
	/* every provisional year is marked so and names no notice */
	for (int year = 2000; year <= 2200; year++) {
		assert_true(calendar_year_provisional(cal, year));
		assert_int_equal(year_of(cal, year)->nnotices, 0);
	}
	/* before the first law the calendar covers, nothing is guessed */
	struct duban_error err;
	bool w;
	assert_int_not_equal(
		calendar_is_workday(cal, D("1999-06-01"), &w, &err), 0);
	assert_null(statutory_schedule(1999, NULL));
	assert_null(statutory_schedule(2201, NULL));
	calendar_free(cal);
}

/*
 * Each notice gives at least the law's days off, and no more weekdays off
 * than the law's days plus the make-up and bridge days it moves: the law's
 * provisional schedule agrees with 2020 to 2026 as published.
 */
static void test_the_notices_give_the_statutory_days(void **state)
{
	(void)state;
	struct calendar *notices = calendar_new(), *law = calendar_new();
	struct duban_error err;
	assert_int_equal(calendar_load_builtin(notices, &err), 0);
	calendar_fill_provisional(law, 2020, 2026);
	for (int year = 2020; year <= 2026; year++) {
		const struct calendar_year *y = year_of(law, year);
		for (size_t i = 0; i < y->nranges; i++)
			for (int32_t d = y->ranges[i].first;
			     d <= y->ranges[i].last; d++) {
				bool w = true;
				char ds[11];
				date_format(d, ds);
				assert_int_equal(
					calendar_is_workday(notices, d, &w,
							    &err),
					0);
				if (w)
					fail_msg("%s (%s) is a statutory holiday"
						 " but the notice of %d makes it"
						 " a working day",
						 ds, y->ranges[i].name, year);
			}
	}
	calendar_free(notices);
	calendar_free(law);
}

/* ---- provisional years in a calendar ----------------------------------- */

static void test_provisional_years(void **state)
{
	(void)state;
	struct calendar *cal = calendar_new();
	struct duban_error err;
	bool w = false;
	int32_t out = 0;
	int64_t n = 0;
	assert_int_equal(calendar_load_builtin(cal, &err), 0);
	calendar_fill_provisional(cal, STATUTORY_YEAR_MIN, STATUTORY_YEAR_MAX);
	/* a shipped year keeps its notice */
	assert_false(calendar_year_provisional(cal, 2026));
	assert_int_equal(year_of(cal, 2026)->nnotices, 1);
	assert_false(calendar_is_provisional(cal, D("2026-12-31")));
	assert_true(calendar_is_provisional(cal, D("2027-01-01")));
	assert_true(calendar_is_provisional(cal, D("2019-06-03")));
	/* counting runs on across the year end */
	assert_int_equal(calendar_add(cal, D("2026-12-28"), 5, &out, &err), 0);
	assert_int_equal(out, D("2027-01-05"));
	assert_true(calendar_span_provisional(cal, D("2026-12-29"), out));
	assert_false(calendar_span_provisional(cal, D("2026-12-01"),
					       D("2026-12-31")));
	assert_true(calendar_span_provisional(cal, D("2027-01-05"),
					      D("2026-12-29")));
	assert_int_equal(calendar_workdays_between(cal, D("2026-12-31"),
						   D("2027-01-08"), &n, &err),
			 0);
	assert_int_equal(n, 5);
	assert_int_equal(calendar_is_workday(cal, D("2150-01-01"), &w, &err),
			 0);
	assert_false(w);

	/* loading the notice replaces the provisional year */
	static const char y2027[] =
		"year 2027\n"
		"notice 国办发明电〔2026〕99号 2026-11-20\n"
		"off 2027-01-01 2027-01-03 元旦\n"
		"off 2027-02-05 2027-02-12 春节\n"
		"work 2027-02-20 春节调休上班\n";
	assert_int_equal(calendar_load_text(cal, y2027, strlen(y2027), NULL,
					    &err),
			 0);
	assert_false(calendar_year_provisional(cal, 2027));
	assert_false(calendar_is_provisional(cal, D("2027-02-20")));
	assert_true(workday(cal, "2027-02-20"));
	assert_false(workday(cal, "2027-02-09"));
	assert_false(calendar_span_provisional(cal, D("2026-12-29"),
					       D("2027-12-31")));
	assert_true(calendar_span_provisional(cal, D("2027-12-31"),
					      D("2028-01-01")));

	/* merging provisional years never replaces a loaded one */
	struct calendar *guess = provisional_only(2026, 2028);
	calendar_merge(cal, guess);
	assert_false(calendar_year_provisional(cal, 2026));
	assert_false(calendar_year_provisional(cal, 2027));
	assert_true(workday(cal, "2027-02-20"));
	assert_true(workday(cal, "2026-02-14")); /* the notice's 调休 */
	struct calendar *copy = calendar_clone(cal);
	assert_true(calendar_year_provisional(copy, 2028));
	assert_false(calendar_year_provisional(copy, 2027));
	calendar_free(copy);
	calendar_free(guess);
	calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lunar_table),
		cmocka_unit_test(test_solar_terms),
		cmocka_unit_test(test_lunar_months),
		cmocka_unit_test(test_versions_of_the_law),
		cmocka_unit_test(test_the_notices_give_the_statutory_days),
		cmocka_unit_test(test_provisional_years),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
