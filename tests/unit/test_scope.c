/* Unit tests: roles and the subtree test behind every scope check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/scope.h"
#include "app/units.h"
#include "core/roles.h"
#include "testdb.h"

static void test_path_contains_table(void **state)
{
	static const struct {
		const char *scope, *unit;
		bool in;
	} cases[] = {
		{ "/1/", "/1/", true },	     { "/1/", "/1/4/9/", true },
		{ "/1/4/", "/1/4/9/", true },  { "/1/4/", "/1/45/", false },
		{ "/1/4/", "/1/", false },     { "/1/4/", "/1/5/4/", false },
		{ "/", "/1/2/", true },	     { "", "/1/", false },
		{ "/1/4", "/1/45/", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(
			scope_path_contains(cases[i].scope, cases[i].unit),
			cases[i].in);
}

static void test_roles(void **state)
{
	struct actor a;
	(void)state;
	assert_int_equal(role_parse("office"), ROLE_OFFICE);
	assert_int_equal(role_parse("inspector"), ROLE_INSPECTOR);
	assert_int_equal(role_parse("root"), 0);
	memset(&a, 0, sizeof(a));
	a.roles = ROLE_LIAISON;
	assert_int_equal(scope_require_role(&a, ROLE_ANY, NULL), DUBAN_OK);
	assert_int_equal(scope_require_role(&a, ROLE_LIAISON | ROLE_OFFICE,
					    NULL),
			 DUBAN_OK);
	assert_int_equal(scope_require_role(&a, ROLE_OFFICE, NULL),
			 DUBAN_E_FORBIDDEN);
}

struct check {
	struct actor *a;
	int64_t unit;
	const char *field;
	struct duban_error err;
};

static duban_result check_unit(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct check *k = ctx;
	(void)err;
	return scope_require_unit(c, k->a, k->unit, k->field, NULL, &k->err);
}

static json_t *mk(const char *name, const char *code, int64_t parent)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "name", name, "kind", "city",
			 "code", code, "parent_id", (json_int_t)parent);
}

static int64_t create(struct store *s, const char *name, const char *code,
		      int64_t parent)
{
	struct actor sys;
	json_t *in = mk(name, code, parent), *out = NULL;
	actor_system(&sys, "test");
	assert_int_equal(unit_create(s, &sys, in, &out, NULL), DUBAN_OK);
	int64_t id = json_integer_value(json_object_get(out, "id"));
	json_decref(in);
	json_decref(out);
	return id;
}

static void test_unit_scope_in_store(void **state)
{
	struct testdb t;
	int64_t root = 0;
	struct actor a;
	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(unit_create_root(t.store, "省", "province", "R",
					  &root, NULL),
			 DUBAN_OK);
	int64_t city_a = create(t.store, "甲市", "A", root);
	int64_t county = create(t.store, "甲县", "A1", city_a);
	int64_t city_b = create(t.store, "乙市", "B", root);
	/* an actor at city A */
	memset(&a, 0, sizeof(a));
	snprintf(a.unit_path, sizeof(a.unit_path), "/%lld/%lld/",
		 (long long)root, (long long)city_a);
	struct check k = { &a, county, NULL, { 0 } };
	assert_int_equal(store_read(t.store, check_unit, &k, NULL), DUBAN_OK);
	k.unit = city_b;
	assert_int_equal(store_read(t.store, check_unit, &k, NULL),
			 DUBAN_E_FORBIDDEN);
	assert_string_equal(k.err.code, "out_of_scope");
	k.unit = root;
	assert_int_equal(store_read(t.store, check_unit, &k, NULL),
			 DUBAN_E_FORBIDDEN);
	k.unit = 999;
	assert_int_equal(store_read(t.store, check_unit, &k, NULL),
			 DUBAN_E_NOT_FOUND);
	k.field = "unit_id";
	assert_int_equal(store_read(t.store, check_unit, &k, NULL),
			 DUBAN_E_INVALID);
	assert_string_equal(k.err.field, "unit_id");
	/* listing through the actor sees only A's subtree */
	json_t *page = NULL;
	assert_int_equal(unit_list(t.store, &a, 0, 1, 50, &page, NULL),
			 DUBAN_OK);
	assert_int_equal(json_integer_value(json_object_get(page, "total")),
			 2);
	json_decref(page);
	testdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_contains_table),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_unit_scope_in_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
