/* Unit tests: the light rules and indicator attainment, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/date.h"
#include "core/calendar.h"
#include "core/calendar_builtin.h"
#include "core/lights.h"

static int32_t D(const char *s)
{
	int32_t d = 0;
	assert_true(date_parse(s, strlen(s), &d));
	return d;
}

static struct calendar *cal;

static int setup(void **state)
{
	(void)state;
	cal = calendar_new();
	return calendar_load_builtin(cal, NULL) == DUBAN_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

static void test_inputs_follow_the_statutory_calendar(void **state)
{
	struct light_params p = { 3, 5 };
	struct light_inputs in;
	char buf[11];
	(void)state;
	/* 2021-04-28 (Wed) + 3 working days crosses the May Day holiday */
	assert_int_equal(lights_inputs_init(&in, D("2021-04-28"), &p, cal,
					    NULL),
			 DUBAN_OK);
	date_format(in.due_soon_until, buf);
	assert_string_equal(buf, "2021-05-06");
	assert_string_equal(in.prev_period, "2021-03");
	assert_int_equal(in.prev_month_end, D("2021-03-31"));
	assert_true(in.report_window_passed);
	/* April's 5th working day is 4/8 (4/3-4/5 off for Qingming) */
	assert_int_equal(lights_inputs_init(&in, D("2021-04-08"), &p, cal,
					    NULL),
			 DUBAN_OK);
	assert_false(in.report_window_passed);
	assert_int_equal(lights_inputs_init(&in, D("2021-04-09"), &p, cal,
					    NULL),
			 DUBAN_OK);
	assert_true(in.report_window_passed);
	/* no schedule for 2031: an error, never a guess */
	assert_int_equal(lights_inputs_init(&in, D("2031-04-09"), &p, cal,
					    NULL),
			 DUBAN_E_INVALID);
}

static void test_reason_table(void **state)
{
	struct light_params p = { 3, 5 };
	struct light_inputs in;
	(void)state;
	assert_int_equal(lights_inputs_init(&in, D("2021-04-28"), &p, cal,
					    NULL),
			 DUBAN_OK);
	struct light_milestone overdue[] = { { D("2021-04-27"), false } };
	struct light_milestone done[] = { { D("2021-04-27"), true } };
	struct light_milestone soon[] = { { D("2021-05-06"), false } };
	struct light_milestone later[] = { { D("2021-05-07"), false } };
	struct light_milestone today[] = { { D("2021-04-28"), false } };
	static const struct {
		const char *name;
		const char *starts, *due;
		double progress;
		int ms; /* which milestone set */
		bool report;
		unsigned reasons;
		enum light light;
	} cases[] = {
		{ "all well", "2021-01-01", "2021-12-31", 10, 0, true, 0,
		  LIGHT_GREEN },
		{ "milestone overdue", "2021-01-01", "2021-12-31", 10, 1, true,
		  LIGHT_MILESTONE_OVERDUE, LIGHT_RED },
		{ "milestone done", "2021-01-01", "2021-12-31", 10, 2, true, 0,
		  LIGHT_GREEN },
		{ "milestone within 3 working days", "2021-01-01", "2021-12-31",
		  10, 3, true, LIGHT_MILESTONE_DUE_SOON, LIGHT_YELLOW },
		{ "milestone on the 4th working day", "2021-01-01",
		  "2021-12-31", 10, 4, true, 0, LIGHT_GREEN },
		{ "milestone due today is not overdue", "2021-01-01",
		  "2021-12-31", 10, 5, true, LIGHT_MILESTONE_DUE_SOON,
		  LIGHT_YELLOW },
		{ "task overdue", "2021-01-01", "2021-04-27", 99.9, 0, true,
		  LIGHT_TASK_OVERDUE, LIGHT_RED },
		{ "task overdue but done", "2021-01-01", "2021-04-27", 100, 0,
		  true, 0, LIGHT_GREEN },
		{ "task due soon", "2021-01-01", "2021-05-06", 50, 0, true,
		  LIGHT_TASK_DUE_SOON, LIGHT_YELLOW },
		{ "report missing", "2021-01-01", "2021-12-31", 10, 0, false,
		  LIGHT_REPORT_MISSING, LIGHT_YELLOW },
		{ "started after March: no March report owed", "2021-04-01",
		  "2021-12-31", 10, 0, false, 0, LIGHT_GREEN },
		{ "started on March 31: owes it", "2021-03-31", "2021-12-31",
		  10, 0, false, LIGHT_REPORT_MISSING, LIGHT_YELLOW },
		{ "red beats yellow", "2021-01-01", "2021-12-31", 10, 1, false,
		  LIGHT_MILESTONE_OVERDUE | LIGHT_REPORT_MISSING, LIGHT_RED },
	};
	const struct light_milestone *sets[] = { NULL, overdue, done,
						 soon, later, today };
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct light_task t = {
			.starts_on = D(cases[i].starts),
			.due_on = D(cases[i].due),
			.progress = cases[i].progress,
			.milestones = sets[cases[i].ms],
			.nmilestones = cases[i].ms ? 1 : 0,
			.prev_report = cases[i].report,
		};
		unsigned r = light_reasons(&t, &in);
		if (r != cases[i].reasons)
			fail_msg("%s: reasons %u, expected %u", cases[i].name,
				 r, cases[i].reasons);
		assert_int_equal(light_of(r), cases[i].light);
	}
}

static void test_report_not_owed_before_due_day(void **state)
{
	struct light_params p = { 3, 5 };
	struct light_inputs in;
	struct light_task t = { .starts_on = D("2021-01-01"),
				.due_on = D("2021-12-31"),
				.progress = 0 };
	(void)state;
	assert_int_equal(lights_inputs_init(&in, D("2021-04-08"), &p, cal,
					    NULL),
			 DUBAN_OK);
	assert_int_equal(light_reasons(&t, &in), 0);
}

static void test_attainment_table(void **state)
{
	static const struct {
		double value, target;
		bool at_most;
		double expect;
	} cases[] = {
		{ 30, 60, false, 50 },	{ 60, 60, false, 100 },
		{ 90, 60, false, 100 }, { 0, 60, false, 0 },
		{ -5, 60, false, 0 },	{ 5, 0, false, 100 },
		{ 80, 100, true, 100 }, { 100, 100, true, 100 },
		{ 125, 100, true, 80 }, { 0, 0, true, 100 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_float_equal(indicator_attainment(cases[i].value,
							cases[i].target,
							cases[i].at_most),
				   cases[i].expect, 1e-9);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(light_name(LIGHT_RED), "red");
	assert_int_equal(light_parse("yellow"), LIGHT_YELLOW);
	assert_int_equal(light_parse("blue"), -1);
	assert_string_equal(light_reason_name(LIGHT_REPORT_MISSING),
			    "report_missing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inputs_follow_the_statutory_calendar),
		cmocka_unit_test(test_reason_table),
		cmocka_unit_test(test_report_not_owed_before_due_day),
		cmocka_unit_test(test_attainment_table),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
