/* Unit tests: units of work, rollback, statement cache, error mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "testdb.h"

static duban_result insert_two(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct store_stmt *st;
	const char *second = ctx;
	duban_result result = store_prepare(
		c,
		"INSERT INTO units (name, kind, code, path, depth, created_at)"
		" VALUES (?, 'city', ?, '/', 0, 0) RETURNING id",
		&st, err);
	int64_t id;
	if (result)
		return result;
	store_bind_str(st, 1, "甲");
	store_bind_str(st, 2, "A");
	if ((result = store_one_int(st, &id, NULL, err)))
		return result;
	assert_true(id > 0);
	/* the same SQL text comes back from the cache, bindings cleared */
	result = store_prepare(
		c,
		"INSERT INTO units (name, kind, code, path, depth, created_at)"
		" VALUES (?, 'city', ?, '/', 0, 0) RETURNING id",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, "乙");
	store_bind_str(st, 2, second);
	return store_one_int(st, &id, NULL, err);
}

static duban_result count_units(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct store_stmt *st;
	duban_result result =
		store_prepare(c, "SELECT count(*) FROM units", &st, err);
	if (result)
		return result;
	return store_one_int(st, ctx, NULL, err);
}

static void test_write_rolls_back_whole_unit(void **state)
{
	struct testdb t;
	struct duban_error err = { 0 };
	int64_t n = -1;
	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	/* the second insert repeats the unique code: the first must vanish */
	assert_int_equal(store_write(t.store, insert_two, "A", &err),
			 DUBAN_E_CONFLICT);
	assert_string_equal(err.code, "duplicate");
	assert_int_equal(store_read(t.store, count_units, &n, NULL), DUBAN_OK);
	assert_int_equal(n, 0);
	/* and a good unit commits both */
	assert_int_equal(store_write(t.store, insert_two, "B", NULL),
			 DUBAN_OK);
	assert_int_equal(store_read(t.store, count_units, &n, NULL), DUBAN_OK);
	assert_int_equal(n, 2);
	testdb_close(&t);
}

static void test_migrate_is_idempotent(void **state)
{
	struct testdb t;
	int from = -1, to = -1, v = 0;
	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(store_migrate(t.store, &from, &to, NULL), DUBAN_OK);
	assert_int_equal(from, store_schema_latest());
	assert_int_equal(to, store_schema_latest());
	assert_int_equal(store_schema_version(t.store, &v, NULL), DUBAN_OK);
	assert_int_equal(v, store_schema_latest());
	testdb_close(&t);
}

static duban_result bad_sql(struct store_conn *c, void *ctx,
			    struct duban_error *err)
{
	struct store_stmt *st;
	(void)ctx;
	return store_prepare(c, "SELECT x FROM nowhere", &st, err);
}

static void test_bad_sql_is_store_error(void **state)
{
	struct testdb t;
	struct duban_error err = { 0 };
	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(store_read(t.store, bad_sql, NULL, &err),
			 DUBAN_E_STORE);
	assert_non_null(strstr(err.message, "nowhere"));
	testdb_close(&t);
}

static void test_open_unwritable_path(void **state)
{
	struct store *s = NULL;
	struct duban_error err = { 0 };
	(void)state;
	assert_int_equal(store_open("/nonexistent-dir/x/duban.db", NULL, &s,
				    &err),
			 DUBAN_E_IO);
	assert_null(s);
	assert_non_null(strstr(err.message, "/nonexistent-dir/x/duban.db"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_rolls_back_whole_unit),
		cmocka_unit_test(test_migrate_is_idempotent),
		cmocka_unit_test(test_bad_sql_is_store_error),
		cmocka_unit_test(test_open_unwritable_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
