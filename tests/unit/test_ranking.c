/* Unit tests: scores, competition ranks, vetoes and grades (core/ranking). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/ranking.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_centi(void **state)
{
	static const struct {
		double points;
		int64_t centi;
	} cases[] = {
		{ 0, 0 },	     { 1, 100 },	 { 12.345, 1235 },
		{ 12.344, 1234 },    { 62.5 / 3, 2083 }, { -1.005, -101 },
		{ 100.0 / 3, 3333 }, { 0.125, 13 },	 { 99.995, 10000 },
	};
	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(ranking_centi(cases[i].points),
				 cases[i].centi);
}

/* the contributions and the extras add up to the score, exactly */
static void test_score_sums(void **state)
{
	struct score_part p[3] = {
		{ .weight = 25, .applicable = true, .value = 80 },
		{ .weight = 15, .applicable = true, .value = 100.0 / 3 },
		{ .weight = 10, .applicable = false, .value = 50 },
	};
	struct score_extra ex = { .bonus = 7, .bonus_cap = 5,
				  .deduction = 1.5, .deduction_cap = 10 };
	(void)state;
	int64_t score = ranking_score(p, 3, &ex);
	/* 25/40 * 80 = 50; 15/40 * 33.33 = 12.5; the third is left out */
	assert_int_equal(p[0].contribution, 5000);
	assert_int_equal(p[1].contribution, 1250);
	assert_int_equal(p[2].contribution, 0);
	assert_float_equal(p[0].share, 62.5, 1e-9);
	assert_float_equal(p[2].share, 0, 1e-9);
	assert_int_equal(ex.bonus_c, 500); /* capped */
	assert_int_equal(ex.deduction_c, 150);
	assert_int_equal(score, 5000 + 1250 + 500 - 150);
	assert_int_equal(score, p[0].contribution + p[1].contribution +
					p[2].contribution + ex.bonus_c -
					ex.deduction_c);
}

static void test_score_nothing_to_measure(void **state)
{
	struct score_part p[2] = {
		{ .weight = 10, .applicable = false },
		{ .weight = 0, .applicable = true, .value = 100 },
	};
	(void)state;
	assert_int_equal(ranking_score(p, 2, NULL), 0);
	/* values outside 0..100 are held to it */
	struct score_part q[1] = { { .weight = 1, .applicable = true,
				     .value = 250 } };
	assert_int_equal(ranking_score(q, 1, NULL), 10000);
	/* a negative cap is no cap */
	struct score_extra ex = { .bonus = 30, .bonus_cap = -1 };
	assert_int_equal(ranking_score(q, 1, &ex), 13000);
}

struct expect {
	int64_t unit;
	int rank;
	enum rank_grade grade;
};

static void check(struct rank_entry *e, size_t n, const struct expect *x)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(e[i].unit_id, x[i].unit);
		assert_int_equal(e[i].rank, x[i].rank);
		assert_int_equal(e[i].grade, x[i].grade);
	}
}

static const struct grade_rule shares = { .excellent_share = 0.2,
					  .fair_share = 0.2 };

/* competition ranking "1, 2, 2, 4", ties listed by unit id */
static void test_ties(void **state)
{
	struct rank_entry e[] = {
		{ .unit_id = 7, .score = 8000 }, { .unit_id = 3, .score = 9000 },
		{ .unit_id = 5, .score = 8000 }, { .unit_id = 9, .score = 7000 },
		{ .unit_id = 1, .score = 6000 },
	};
	static const struct expect x[] = {
		{ 3, 1, GRADE_EXCELLENT }, { 5, 2, GRADE_GOOD },
		{ 7, 2, GRADE_GOOD },	   { 9, 4, GRADE_GOOD },
		{ 1, 5, GRADE_FAIR },
	};
	(void)state;
	ranking_rank(e, N(e));
	ranking_grade(e, N(e), &shares);
	check(e, N(e), x);
	assert_int_equal(e[1].first, 2);
	assert_int_equal(e[1].last, 3);
}

/* a vetoed unit is fair and below every unit not vetoed, whatever its
 * score; vetoed units rank among themselves by score */
static void test_veto(void **state)
{
	struct rank_entry e[] = {
		{ .unit_id = 1, .score = 9900, .vetoed = true },
		{ .unit_id = 2, .score = 5000 },
		{ .unit_id = 3, .score = 7000 },
		{ .unit_id = 4, .score = 4000, .vetoed = true },
		{ .unit_id = 5, .score = 6000 },
		{ .unit_id = 6, .score = 8000 },
		{ .unit_id = 7, .score = 9900, .vetoed = true },
	};
	static const struct expect x[] = {
		{ 6, 1, GRADE_EXCELLENT }, /* floor(7 * 0.2) = 1 */
		{ 3, 2, GRADE_GOOD }, { 5, 3, GRADE_GOOD },
		{ 2, 4, GRADE_GOOD }, { 1, 5, GRADE_FAIR },
		{ 7, 5, GRADE_FAIR }, { 4, 7, GRADE_FAIR },
	};
	(void)state;
	ranking_rank(e, N(e));
	ranking_grade(e, N(e), &shares);
	check(e, N(e), x);
	/* the tied vetoed pair shares rank 5 and positions 5..6 */
	assert_int_equal(e[4].first, 5);
	assert_int_equal(e[5].last, 6);
}

/* grade boundaries by shares: a tied group gets excellent only when it
 * fits in the share, fair only when all of it lies in the bottom share */
static void test_share_boundaries(void **state)
{
	static const struct {
		int64_t scores[10];
		size_t n;
		enum rank_grade grades[10]; /* in ranking order */
	} cases[] = {
		/* 10 units, all different: 2 excellent, 2 fair */
		{ { 100, 90, 80, 70, 60, 50, 40, 30, 20, 10 },
		  10,
		  { 0, 0, 1, 1, 1, 1, 1, 1, 2, 2 } },
		/* a tie across the excellent boundary: neither is excellent */
		{ { 100, 90, 90, 70, 60, 50, 40, 30, 20, 10 },
		  10,
		  { 0, 1, 1, 1, 1, 1, 1, 1, 2, 2 } },
		/* a tie across the fair boundary: neither is fair */
		{ { 100, 90, 80, 70, 60, 50, 40, 20, 20, 10 },
		  10,
		  { 0, 0, 1, 1, 1, 1, 1, 1, 1, 2 } },
		/* all tied: all good */
		{ { 50, 50, 50, 50, 50 }, 5, { 1, 1, 1, 1, 1 } },
		/* 4 units: floor(0.8) = 0 in each share */
		{ { 40, 30, 20, 10 }, 4, { 1, 1, 1, 1 } },
		/* 5 units: one each */
		{ { 40, 30, 20, 10, 5 }, 5, { 0, 1, 1, 1, 2 } },
		/* one unit */
		{ { 40 }, 1, { 1 } },
	};
	(void)state;
	for (size_t k = 0; k < N(cases); k++) {
		struct rank_entry e[10];
		memset(e, 0, sizeof(e));
		for (size_t i = 0; i < cases[k].n; i++) {
			e[i].unit_id = (int64_t)i + 1;
			e[i].score = cases[k].scores[i];
		}
		ranking_rank(e, cases[k].n);
		ranking_grade(e, cases[k].n, &shares);
		for (size_t i = 0; i < cases[k].n; i++)
			assert_int_equal(e[i].grade, cases[k].grades[i]);
	}
}

static void test_threshold_boundaries(void **state)
{
	struct grade_rule rule = { .by_threshold = true,
				   .excellent_min = 9000,
				   .good_min = 7500 };
	struct rank_entry e[] = {
		{ .unit_id = 1, .score = 9000 },
		{ .unit_id = 2, .score = 8999 },
		{ .unit_id = 3, .score = 7500 },
		{ .unit_id = 4, .score = 7499 },
		{ .unit_id = 5, .score = 9500, .vetoed = true },
	};
	static const struct expect x[] = {
		{ 1, 1, GRADE_EXCELLENT }, { 2, 2, GRADE_GOOD },
		{ 3, 3, GRADE_GOOD },	   { 4, 4, GRADE_FAIR },
		{ 5, 5, GRADE_FAIR },
	};
	(void)state;
	ranking_rank(e, N(e));
	ranking_grade(e, N(e), &rule);
	check(e, N(e), x);
}

static void test_names_and_periods(void **state)
{
	static const struct {
		const char *p, *prev;
	} cases[] = {
		{ "2021-H1", "2020-H2" }, { "2021-H2", "2021-H1" },
		{ "2021-Q1", "2020-Q4" }, { "2021-Q3", "2021-Q2" },
		{ "2021-01", "2020-12" }, { "2021-10", "2021-09" },
		{ "2021", "2020" },	  { "2021-13", NULL },
		{ "2021-H3", NULL },	  { "21", NULL },
		{ "", NULL },		  { "2021-Q0", NULL },
	};
	char out[8];
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		bool ok = ranking_period_previous(cases[i].p, out);
		assert_int_equal(ok, cases[i].prev != NULL);
		if (ok)
			assert_string_equal(out, cases[i].prev);
	}
	assert_false(ranking_period_previous(NULL, out));
	assert_string_equal(ranking_grade_name(GRADE_EXCELLENT), "excellent");
	assert_string_equal(ranking_grade_label(GRADE_GOOD), "较好");
	assert_string_equal(ranking_grade_label(GRADE_FAIR), "一般");
	assert_int_equal(ranking_grade_parse("fair"), GRADE_FAIR);
	assert_int_equal(ranking_grade_parse("best"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_centi),
		cmocka_unit_test(test_score_sums),
		cmocka_unit_test(test_score_nothing_to_measure),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_veto),
		cmocka_unit_test(test_share_boundaries),
		cmocka_unit_test(test_threshold_boundaries),
		cmocka_unit_test(test_names_and_periods),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
