/* Unit tests: the audit hash chain catches edits, deletions, re-hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app/audit.h"
#include "core/audit_hash.h"
#include "testdb.h"

static duban_result append_three(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct actor a;
	duban_result result = DUBAN_OK;
	(void)ctx;
	actor_system(&a, "test");
	for (int i = 1; i <= 3 && !result; i++) {
		json_t *after = json_pack("{s:i}", "n", i);
		result = audit_append(c, &a, "thing", i, 0, "create", NULL, after,
				      err);
		json_decref(after);
	}
	return result;
}

static duban_result tamper(struct store_conn *c, void *ctx,
			   struct duban_error *err)
{
	/* what someone with the database file could do */
	duban_result result =
		store_exec(c, "DROP TRIGGER audit_log_no_update;"
			      "DROP TRIGGER audit_log_no_delete;", err);
	if (result)
		return result;
	return store_exec(c, ctx, err);
}

static void check_tamper(const char *sql, int64_t expect_bad)
{
	struct testdb t;
	int64_t count = 0, bad = 0;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(store_write(t.store, append_three, NULL, NULL),
			 DUBAN_OK);
	assert_int_equal(audit_verify(t.store, &count, &bad, NULL), DUBAN_OK);
	assert_int_equal(count, 3);
	assert_int_equal(store_write(t.store, tamper, (void *)sql, NULL),
			 DUBAN_OK);
	assert_int_equal(audit_verify(t.store, &count, &bad, NULL),
			 DUBAN_E_CONFLICT);
	assert_int_equal(bad, expect_bad);
	testdb_close(&t);
}

static void test_edit_detected(void **state)
{
	(void)state;
	check_tamper("UPDATE audit_log SET after_json = '{\"n\":9}'"
		     " WHERE id = 2",
		     2);
}

static void test_delete_detected(void **state)
{
	(void)state;
	check_tamper("DELETE FROM audit_log WHERE id = 2", 2);
}

static void test_rehash_detected(void **state)
{
	(void)state;
	/* a forged hash on record 2 breaks the link stored in record 3 */
	check_tamper("UPDATE audit_log SET hash = prev_hash WHERE id = 2", 2);
}

static duban_result try_update(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	(void)ctx;
	return store_exec(c, "UPDATE audit_log SET actor = 'x'", err);
}

static void test_append_only(void **state)
{
	struct testdb t;
	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(store_write(t.store, append_three, NULL, NULL),
			 DUBAN_OK);
	assert_int_not_equal(store_write(t.store, try_update, NULL, NULL),
			     DUBAN_OK);
	testdb_close(&t);
}

static void test_hash_depends_on_every_field(void **state)
{
	struct audit_record r = { 1, 100, 7, "u", "127.0.0.1", "unit", 5, 1,
				  "create", NULL, "{}" };
	char h0[AUDIT_HASH_HEX], h1[AUDIT_HASH_HEX];
	(void)state;
	assert_int_equal(audit_hash(audit_genesis_hash, &r, h0), DUBAN_OK);
	assert_int_equal(strlen(h0), 64);
	r.before_json = "";
	assert_int_equal(audit_hash(audit_genesis_hash, &r, h1), DUBAN_OK);
	assert_string_not_equal(h0, h1); /* NULL and "" differ */
	r.before_json = NULL;
	r.entity_id = 6;
	assert_int_equal(audit_hash(audit_genesis_hash, &r, h1), DUBAN_OK);
	assert_string_not_equal(h0, h1);
	r.entity_id = 5;
	assert_int_equal(audit_hash(h0, &r, h1), DUBAN_OK);
	assert_string_not_equal(h0, h1); /* chained on the previous hash */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit_detected),
		cmocka_unit_test(test_delete_detected),
		cmocka_unit_test(test_rehash_detected),
		cmocka_unit_test(test_append_only),
		cmocka_unit_test(test_hash_depends_on_every_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
