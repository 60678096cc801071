/* Unit tests: the rectification workflow table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/problem_flow.h"

static void test_every_pair(void **state)
{
	static const char *const st[] = { "open",     "rectifying",
					  "rectified", "returned",
					  "closed",   "reopened" };
	/* the moves API.md allows, and who may make them */
	static const struct {
		const char *from, *to;
		bool office, note, evidence;
	} allowed[] = {
		{ "open", "rectifying", false, false, false },
		{ "rectifying", "rectified", false, false, true },
		{ "rectified", "closed", true, false, false },
		{ "rectified", "returned", true, true, false },
		{ "returned", "rectifying", false, false, false },
		{ "closed", "reopened", true, true, false },
		{ "reopened", "rectifying", false, false, false },
	};
	(void)state;
	for (size_t i = 0; i < 6; i++) {
		for (size_t j = 0; j < 6; j++) {
			struct problem_move mv;
			struct duban_error err = { 0 };
			duban_result r =
				problem_move_check(st[i], st[j], &mv, &err);
			int k = -1;
			for (size_t a = 0;
			     a < sizeof(allowed) / sizeof(allowed[0]); a++)
				if (strcmp(allowed[a].from, st[i]) == 0 &&
				    strcmp(allowed[a].to, st[j]) == 0)
					k = (int)a;
			if (k < 0) {
				assert_int_equal(r, DUBAN_E_CONFLICT);
				assert_string_equal(err.code,
						    "invalid_transition");
				continue;
			}
			assert_int_equal(r, DUBAN_OK);
			assert_int_equal(mv.office_only, allowed[k].office);
			assert_int_equal(mv.needs_note, allowed[k].note);
			assert_int_equal(mv.needs_evidence,
					 allowed[k].evidence);
		}
	}
}

static void test_unknown_target(void **state)
{
	struct problem_move mv;
	struct duban_error err = { 0 };
	(void)state;
	assert_int_equal(problem_move_check("open", "done", &mv, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.field, "to");
}

static void test_sources_and_pending(void **state)
{
	(void)state;
	assert_true(problem_source_valid("inspection"));
	assert_true(problem_source_valid("audit"));
	assert_false(problem_source_valid("rumour"));
	assert_true(problem_status_pending("open"));
	assert_true(problem_status_pending("returned"));
	assert_false(problem_status_pending("rectified"));
	assert_false(problem_status_pending("closed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_unknown_target),
		cmocka_unit_test(test_sources_and_pending),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
