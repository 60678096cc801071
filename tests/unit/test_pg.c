/*
 * Unit tests: the PostgreSQL driver.
 *
 * The placeholder rewriting, URI redaction and the connection-failure
 * mapping need no server and always run.  The rest runs when
 * DUBAN_TEST_PG_URI names a server (an admin database URI, e.g. from
 * scripts/pg-test-cluster.sh): each test gets a database of its own,
 * created for it and dropped after; without the variable they are skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "app/audit.h"
#include "store/pg_sql.h"
#include "store/store.h"

/* --- pure: placeholder rewriting --- */

static void test_rewrite_table(void **state)
{
	static const struct {
		const char *in, *out;
		int n;
	} cases[] = {
		{ "SELECT 1", "SELECT 1", 0 },
		{ "", "", 0 },
		{ "SELECT ?", "SELECT $1", 1 },
		{ "INSERT INTO t VALUES (?,?, ?)",
		  "INSERT INTO t VALUES ($1,$2, $3)", 3 },
		{ "SELECT CAST(? AS TEXT) IS NULL OR a = ?",
		  "SELECT CAST($1 AS TEXT) IS NULL OR a = $2", 2 },
		/* string literals, with doubled quotes */
		{ "SELECT '?', ?", "SELECT '?', $1", 1 },
		{ "SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1 },
		{ "SELECT '', ?", "SELECT '', $1", 1 },
		{ "SELECT '甲?乙', ?", "SELECT '甲?乙', $1", 1 },
		/* a backslash ends nothing in a standard string... */
		{ "SELECT '\\', ?", "SELECT '\\', $1", 1 },
		/* ...but escapes the quote in an E'' string */
		{ "SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1 },
		{ "SELECT e'a\\\\', ?", "SELECT e'a\\\\', $1", 1 },
		/* a name ending in e is not an E'' prefix */
		{ "SELECT name'?', ?", "SELECT name'?', $1", 1 },
		/* quoted identifiers */
		{ "SELECT \"a?\" FROM t WHERE x = ?",
		  "SELECT \"a?\" FROM t WHERE x = $1", 1 },
		{ "SELECT \"a\"\"?\", ?", "SELECT \"a\"\"?\", $1", 1 },
		/* comments */
		{ "SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2 },
		{ "SELECT ? -- why?", "SELECT $1 -- why?", 1 },
		{ "SELECT /* ? /* nested ? */ still ? */ ?",
		  "SELECT /* ? /* nested ? */ still ? */ $1", 1 },
		{ "SELECT 4/2, ?", "SELECT 4/2, $1", 1 },
		{ "SELECT 4-2, ?", "SELECT 4-2, $1", 1 },
		/* dollar quoting, as in migrations */
		{ "SELECT $$ ? ' $$, ?", "SELECT $$ ? ' $$, $1", 1 },
		{ "AS $body$ SELECT ? $$ ? $body$; SELECT ?",
		  "AS $body$ SELECT ? $$ ? $body$; SELECT $1", 1 },
		{ "AS $fn_1$ ? $fn_1$ ?", "AS $fn_1$ ? $fn_1$ $1", 1 },
		/* $1 is a parameter, not a tag; a$b$ is an identifier */
		{ "SELECT $1, ?", "SELECT $1, $1", 1 },
		{ "SELECT a$b$, ?", "SELECT a$b$, $1", 1 },
		/* unterminated: copied, the server complains */
		{ "SELECT '?", "SELECT '?", 0 },
		{ "SELECT $$ ?", "SELECT $$ ?", 0 },
		{ "SELECT /* ?", "SELECT /* ?", 0 },
		{ "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?",
		  "SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11", 11 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = -2;
		char *out = pg_rewrite_placeholders(cases[i].in, &n);
		assert_non_null(out);
		if (strcmp(out, cases[i].out) != 0 || n != cases[i].n)
			fail_msg("case %zu: '%s' gave '%s' (%d), want '%s' (%d)",
				 i, cases[i].in, out, n, cases[i].out,
				 cases[i].n);
		free(out);
	}
}

static void test_rewrite_limit(void **state)
{
	size_t n = PG_MAX_PARAMS + 1;
	char *sql = malloc(n + 1);
	int count = 0;
	char *out;
	(void)state;
	memset(sql, '?', n);
	sql[n] = '\0';
	assert_null(pg_rewrite_placeholders(sql, &count));
	assert_int_equal(count, -1);
	sql[n - 1] = '\0';
	out = pg_rewrite_placeholders(sql, &count);
	assert_non_null(out);
	assert_int_equal(count, PG_MAX_PARAMS);
	assert_string_equal(out + strlen(out) - 12, "$65534$65535");
	free(out);
	free(sql);
}

static void test_redact_uri_table(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "postgresql://u@h/db", "postgresql://u@h/db" },
		{ "postgresql://u:secret@h:5432/db",
		  "postgresql://u@h:5432/db" },
		{ "postgres://u:se:cr@et@h/db", "postgres://u@h/db" },
		{ "postgresql://h/db?password=secret",
		  "postgresql://h/db" },
		{ "postgresql://u:p@h/db?sslmode=require&password=x&a=b",
		  "postgresql://u@h/db?sslmode=require&a=b" },
		{ "postgresql://h1,h2:5433/db?passwordx=1",
		  "postgresql://h1,h2:5433/db?passwordx=1" },
		{ "postgresql://", "postgresql://" },
		{ "postgresql://:pw@/db", "postgresql://@/db" },
		{ "host=h password=x", "(connection string)" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = pg_redact_uri(cases[i].in);
		if (strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu: '%s' gave '%s', want '%s'", i,
				 cases[i].in, out, cases[i].out);
		free(out);
	}
}

static void test_connect_failure_is_io(void **state)
{
	struct store *s = NULL;
	struct duban_error err = { 0 };
	(void)state;
	/* port 1: nothing listens, the refusal is immediate */
	assert_int_equal(store_open("postgresql://duban:s3cret@127.0.0.1:1/x",
				    NULL, &s, &err),
			 DUBAN_E_IO);
	assert_null(s);
	assert_non_null(strstr(err.message, "postgresql://duban@127.0.0.1:1/x"));
	assert_null(strstr(err.message, "s3cret"));
	assert_string_equal(err.field, "db");
}

/* --- a database of its own per test --- */

struct pgdb {
	char name[64];
	char uri[512];
	struct store *store;
};

static const char *admin_uri(void)
{
	const char *u = getenv("DUBAN_TEST_PG_URI");
	return u && *u ? u : NULL;
}

/* Runs one statement on the admin database; 0 when it worked. */
static int admin_exec(const char *sql)
{
	PGconn *pg = PQconnectdb(admin_uri());
	int rc = -1;
	if (PQstatus(pg) == CONNECTION_OK) {
		PGresult *res = PQexec(pg, sql);
		rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
		if (rc)
			fprintf(stderr, "test_pg: %s: %s", sql,
				PQresultErrorMessage(res));
		PQclear(res);
	} else {
		fprintf(stderr, "test_pg: %s", PQerrorMessage(pg));
	}
	PQfinish(pg);
	return rc;
}

/* The admin URI with its database replaced by name. */
static void uri_with_db(const char *admin, const char *name, char *out,
			size_t n)
{
	const char *auth = strstr(admin, "://");
	const char *path, *rest;
	auth = auth ? auth + 3 : admin;
	path = auth + strcspn(auth, "/?");
	rest = path + strcspn(path, "?");
	snprintf(out, n, "%.*s/%s%s", (int)(path - admin), admin, name, rest);
}

/* The databases created and not dropped yet: a failed test skips its
 * pgdb_close(), and the group teardown drops what is left. */
#define MAX_DBS 64
static char live_dbs[MAX_DBS][64];

static int drop_db(const char *name)
{
	char sql[128];
	/* PostgreSQL names are at most 63 bytes; the precision tells the
	 * compiler so */
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %.63s WITH (FORCE)",
		 name);
	if (admin_exec(sql))
		return -1;
	for (int i = 0; i < MAX_DBS; i++)
		if (strcmp(live_dbs[i], name) == 0)
			live_dbs[i][0] = '\0';
	return 0;
}

static int drop_leftovers(void **state)
{
	int rc = 0;
	(void)state;
	for (int i = 0; i < MAX_DBS; i++)
		if (live_dbs[i][0] && drop_db(live_dbs[i]))
			rc = -1;
	return rc;
}

static int pgdb_create(struct pgdb *t)
{
	static int counter;
	char sql[128];
	int slot = 0;
	while (slot < MAX_DBS && live_dbs[slot][0])
		slot++;
	if (slot == MAX_DBS)
		return -1;
	snprintf(t->name, sizeof(t->name), "duban_test_%ld_%d_%d",
		 (long)time(NULL), (int)getpid(), ++counter);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", t->name);
	if (admin_exec(sql))
		return -1;
	snprintf(live_dbs[slot], sizeof(live_dbs[slot]), "%s", t->name);
	uri_with_db(admin_uri(), t->name, t->uri, sizeof(t->uri));
	return 0;
}

/* A fresh, migrated store (skips the test without a server). */
static void pgdb_open(struct pgdb *t, const struct store_options *opt)
{
	struct duban_error err = { 0 };
	if (!admin_uri())
		skip();
	memset(t, 0, sizeof(*t));
	assert_int_equal(pgdb_create(t), 0);
	if (store_open(t->uri, opt, &t->store, &err) ||
	    store_migrate(t->store, NULL, NULL, &err))
		fail_msg("%s: %s", t->uri, err.message);
}

static void pgdb_close(struct pgdb *t)
{
	store_free(t->store);
	t->store = NULL;
	assert_int_equal(drop_db(t->name), 0);
}

/* --- the behaviours of test_store.c --- */

static const char insert_unit_sql[] =
	"INSERT INTO units (parent_id, name, kind, code, path, depth,"
	" created_at) VALUES (?, ?, 'city', ?, ?, 0, 0) RETURNING id";

static duban_result insert_unit(struct store_conn *c, int64_t parent,
				const char *code, const char *path,
				int64_t *id, struct duban_error *err)
{
	struct store_stmt *st;
	duban_result result = store_prepare(c, insert_unit_sql, &st, err);
	if (result)
		return result;
	if (parent)
		store_bind_int(st, 1, parent);
	else
		store_bind_null(st, 1);
	store_bind_str(st, 2, "单位");
	store_bind_str(st, 3, code);
	store_bind_str(st, 4, path);
	return store_one_int(st, id, NULL, err);
}

static duban_result insert_two(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	int64_t id = 0;
	duban_result result = insert_unit(c, 0, "A", "/", &id, err);
	if (result)
		return result;
	assert_true(id > 0);
	return insert_unit(c, 0, ctx, "/", &id, err);
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
	struct pgdb t;
	struct duban_error err = { 0 };
	int64_t n = -1;
	(void)state;
	pgdb_open(&t, NULL);
	/* the second insert repeats the unique code: the first must vanish */
	assert_int_equal(store_write(t.store, insert_two, "A", &err),
			 DUBAN_E_CONFLICT);
	assert_string_equal(err.code, "duplicate");
	assert_non_null(strstr(err.message, "already exists"));
	assert_int_equal(store_read(t.store, count_units, &n, NULL), DUBAN_OK);
	assert_int_equal(n, 0);
	/* and the writer is usable again: a good unit commits both */
	assert_int_equal(store_write(t.store, insert_two, "B", NULL),
			 DUBAN_OK);
	assert_int_equal(store_read(t.store, count_units, &n, NULL), DUBAN_OK);
	assert_int_equal(n, 2);
	pgdb_close(&t);
}

/* The materialised-path columns ("path") whose collation is not "C". */
static duban_result paths_not_bytewise(struct store_conn *c, void *ctx,
				       struct duban_error *err)
{
	struct store_stmt *st;
	int64_t *n = ctx;
	duban_result result = store_prepare(
		c,
		"SELECT count(*), sum(CASE WHEN collation_name = 'C' THEN 0"
		" ELSE 1 END) FROM information_schema.columns"
		" WHERE table_schema = 'public' AND column_name = ?",
		&st, err);
	bool row = false;
	if (result)
		return result;
	store_bind_str(st, 1, "path");
	result = store_step(st, &row, err);
	assert_true(row);
	n[0] = store_col_int(st, 0);
	n[1] = store_col_int(st, 1);
	store_reset(st);
	return result;
}

static duban_result append_one(struct store_conn *c, void *ctx,
			       struct duban_error *err);

static duban_result try_sql(struct store_conn *c, void *ctx,
			    struct duban_error *err)
{
	return store_exec(c, ctx, err);
}

static void test_migrate(void **state)
{
	struct pgdb t;
	struct duban_error err = { 0 };
	int from = -1, to = -1, v = 0, one = 1;
	int64_t paths[2] = { -1, -1 };
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_migrate(t.store, &from, &to, NULL), DUBAN_OK);
	assert_int_equal(from, store_schema_latest());
	assert_int_equal(to, store_schema_latest());
	assert_int_equal(store_schema_version(t.store, &v, NULL), DUBAN_OK);
	assert_int_equal(v, store_schema_latest());
	assert_string_equal(store_driver_name(t.store), "postgresql");
	/* subtree scans compare paths bytewise, whatever the database's
	 * collation: every materialised path (units, tasks, ...) */
	assert_int_equal(store_read(t.store, paths_not_bytewise, paths, NULL),
			 DUBAN_OK);
	assert_true(paths[0] >= 2);
	assert_int_equal(paths[1], 0);
	/* the audit trail only grows (row triggers need a row) */
	assert_int_equal(store_write(t.store, append_one, &one, NULL),
			 DUBAN_OK);
	assert_int_equal(store_write(t.store, try_sql,
				     "UPDATE audit_log SET actor = 'x'", &err),
			 DUBAN_E_STORE);
	assert_non_null(strstr(err.message, "append-only"));
	assert_int_equal(store_write(t.store, try_sql,
				     "DELETE FROM audit_log", &err),
			 DUBAN_E_STORE);
	assert_int_equal(store_write(t.store, try_sql,
				     "TRUNCATE audit_log", &err),
			 DUBAN_E_STORE);
	assert_non_null(strstr(err.message, "append-only"));
	pgdb_close(&t);
}

static duban_result subtree_count(struct store_conn *c, void *ctx,
				  struct duban_error *err)
{
	const char *paths[] = { "/1/", "/1/4/", "/1/4/5/", "/1/4/12/",
				"/1/40/", "/1/5/" };
	struct store_stmt *st;
	int64_t id;
	duban_result result = DUBAN_OK;
	for (size_t i = 0; i < 6 && !result; i++) {
		char code[8];
		snprintf(code, sizeof(code), "c%zu", i);
		result = insert_unit(c, 0, code, paths[i], &id, err);
	}
	if (result)
		return result;
	result = store_prepare(c,
			       "SELECT count(*) FROM units WHERE path >= ? AND"
			       " path < ?",
			       &st, err);
	if (result)
		return result;
	/* scope_bind_subtree's range for "/1/4/" */
	store_bind_str(st, 1, "/1/4/");
	store_bind_str(st, 2, "/1/40");
	return store_one_int(st, ctx, NULL, err);
}

static void test_subtree_range(void **state)
{
	struct pgdb t;
	int64_t n = 0;
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_write(t.store, subtree_count, &n, NULL),
			 DUBAN_OK);
	assert_int_equal(n, 3);
	pgdb_close(&t);
}

/* Server-side prepared statements on this connection. */
static int64_t prepared_count(struct store_conn *c)
{
	struct store_stmt *st;
	int64_t n = -1;
	assert_int_equal(store_prepare(c,
				       "SELECT count(*) FROM"
				       " pg_prepared_statements",
				       &st, NULL),
			 DUBAN_OK);
	assert_int_equal(store_one_int(st, &n, NULL, NULL), DUBAN_OK);
	return n;
}

static duban_result run_cached(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	static const char sql[] = "SELECT CAST(? AS BIGINT) IS NULL, ?";
	struct store_stmt *st, *again;
	int64_t before, v = -1;
	(void)ctx;
	(void)err;
	before = prepared_count(c);
	assert_int_equal(store_prepare(c, sql, &st, NULL), DUBAN_OK);
	store_bind_int(st, 1, 7);
	store_bind_int(st, 2, 8);
	assert_int_equal(store_one_int(st, &v, NULL, NULL), DUBAN_OK);
	assert_int_equal(v, 0);
	/* the same text comes back from the cache, bindings cleared... */
	assert_int_equal(store_prepare(c, sql, &again, NULL), DUBAN_OK);
	assert_ptr_equal(st, again);
	store_bind_int(st, 1, 9);
	store_bind_int(st, 2, 10);
	assert_int_equal(store_one_int(st, &v, NULL, NULL), DUBAN_OK);
	/* ...and the same types run the same server-side statement */
	assert_int_equal(prepared_count(c), before + 1);
	/* NULL is another type signature: prepared once more */
	store_bind_null(st, 1);
	store_bind_int(st, 2, 11);
	assert_int_equal(store_one_int(st, &v, NULL, NULL), DUBAN_OK);
	assert_int_equal(v, 1);
	assert_int_equal(prepared_count(c), before + 2);
	store_bind_int(st, 1, 12);
	store_bind_int(st, 2, 13);
	assert_int_equal(store_one_int(st, &v, NULL, NULL), DUBAN_OK);
	assert_int_equal(v, 0);
	assert_int_equal(prepared_count(c), before + 2);
	/* unbound parameters are NULL, as on SQLite */
	assert_int_equal(store_one_int(st, &v, NULL, NULL), DUBAN_OK);
	assert_int_equal(v, 1);
	return DUBAN_OK;
}

static void test_statement_cache(void **state)
{
	struct pgdb t;
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_write(t.store, run_cached, NULL, NULL),
			 DUBAN_OK);
	assert_int_equal(store_read(t.store, run_cached, NULL, NULL),
			 DUBAN_OK);
	pgdb_close(&t);
}

/* Sixteen type signatures of one statement: the connection keeps at most
 * eight of them prepared, and every one still runs. */
static duban_result many_signatures(struct store_conn *c, void *ctx,
				    struct duban_error *err)
{
	static const char sql[] =
		"SELECT CAST(? AS BIGINT), CAST(? AS BIGINT),"
		" CAST(? AS BIGINT), CAST(? AS BIGINT)";
	struct store_stmt *st;
	int64_t before = prepared_count(c), v;
	(void)ctx;
	for (int round = 0; round < 2; round++) {
		for (int mask = 0; mask < 16; mask++) {
			duban_result result = store_prepare(c, sql, &st, err);
			if (result)
				return result;
			for (int i = 0; i < 4; i++)
				if (mask & (1 << i))
					store_bind_null(st, i + 1);
				else
					store_bind_int(st, i + 1, 40 + i);
			v = -1;
			if ((result = store_one_int(st, &v, NULL, err)))
				return result;
			assert_int_equal(v, mask & 1 ? 0 : 40);
			assert_true(prepared_count(c) <= before + 8);
		}
	}
	assert_int_equal(prepared_count(c), before + 8);
	return DUBAN_OK;
}

static void test_type_signatures_are_bounded(void **state)
{
	struct pgdb t;
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_write(t.store, many_signatures, NULL, NULL),
			 DUBAN_OK);
	pgdb_close(&t);
}

static duban_result bad_sql(struct store_conn *c, void *ctx,
			    struct duban_error *err)
{
	struct store_stmt *st;
	bool row;
	duban_result result = store_prepare(c, ctx, &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, 1);
	return store_step(st, &row, err);
}

static void test_bad_sql_is_store_error(void **state)
{
	struct pgdb t;
	struct duban_error err = { 0 };
	int64_t n = -1;
	(void)state;
	pgdb_open(&t, NULL);
	/* without parameters it fails at once, as on SQLite */
	assert_int_equal(store_read(t.store, bad_sql, "SELECT x FROM nowhere",
				    &err),
			 DUBAN_E_STORE);
	assert_non_null(strstr(err.message, "nowhere"));
	/* with parameters, at the first step */
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_write(t.store, bad_sql,
				     "SELECT x FROM nowhere2 WHERE y = ?",
				     &err),
			 DUBAN_E_STORE);
	assert_non_null(strstr(err.message, "nowhere2"));
	/* a parameter nothing gives a type to */
	assert_int_equal(store_write(t.store, bad_sql, "SELECT ? IS NULL",
				     &err),
			 DUBAN_OK);
	assert_int_equal(store_write(t.store, bad_sql,
				     "SELECT 1 WHERE ? IS NULL AND ? IS NULL",
				     &err),
			 DUBAN_E_STORE);
	assert_non_null(strstr(err.message, "data type of parameter $2"));
	/* both connections are usable afterwards */
	assert_int_equal(store_read(t.store, count_units, &n, NULL), DUBAN_OK);
	assert_int_equal(store_write(t.store, count_units, &n, NULL),
			 DUBAN_OK);
	pgdb_close(&t);
}

static duban_result bad_reference(struct store_conn *c, void *ctx,
				  struct duban_error *err)
{
	int64_t id;
	(void)ctx;
	return insert_unit(c, 999, "X", "/", &id, err);
}

static void test_foreign_key_is_bad_reference(void **state)
{
	struct pgdb t;
	struct duban_error err = { 0 };
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_write(t.store, bad_reference, NULL, &err),
			 DUBAN_E_INVALID);
	assert_string_equal(err.code, "bad_reference");
	pgdb_close(&t);
}

/* --- NULLs, RETURNING, values --- */

struct null_ctx {
	int64_t root, child;
	bool root_parent_null, child_parent_null;
	int64_t child_parent;
};

static duban_result null_bigint(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct null_ctx *x = ctx;
	struct store_stmt *st;
	bool row = false;
	duban_result result = insert_unit(c, 0, "R", "/", &x->root, err);
	if (!result)
		result = insert_unit(c, x->root, "C", "/1/", &x->child, err);
	if (!result)
		result = insert_unit(c, 0, "R2", "/", &x->child_parent, err);
	if (result)
		return result;
	result = store_prepare(c,
			       "SELECT id, parent_id FROM units WHERE id IN"
			       " (?, ?) ORDER BY id",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->root);
	store_bind_int(st, 2, x->child);
	assert_int_equal(store_step(st, &row, err), DUBAN_OK);
	assert_true(row);
	x->root_parent_null = store_col_null(st, 1);
	assert_null(store_col_text(st, 1));
	assert_int_equal(store_col_int(st, 1), 0);
	assert_int_equal(store_step(st, &row, err), DUBAN_OK);
	assert_true(row);
	x->child_parent_null = store_col_null(st, 1);
	x->child_parent = store_col_int(st, 1);
	assert_int_equal(store_step(st, &row, err), DUBAN_OK);
	assert_false(row);
	assert_int_equal(store_step(st, &row, err), DUBAN_OK);
	assert_false(row);
	store_reset(st);
	return DUBAN_OK;
}

static void test_null_into_bigint_and_returning(void **state)
{
	struct pgdb t;
	struct null_ctx x = { 0 };
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_write(t.store, null_bigint, &x, NULL),
			 DUBAN_OK);
	/* RETURNING id hands back the identity column's values */
	assert_int_equal(x.root, 1);
	assert_int_equal(x.child, 2);
	assert_true(x.root_parent_null);
	assert_false(x.child_parent_null);
	assert_int_equal(x.child_parent, 1);
	pgdb_close(&t);
}

static duban_result values(struct store_conn *c, void *ctx,
			   struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	(void)ctx;
	duban_result result = store_prepare(
		c,
		"SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?, ?,"
		" 1 = 1, 1 = 2, CAST(? AS DOUBLE PRECISION), 7.9, ''",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, INT64_MAX);
	store_bind_int(st, 2, INT64_MIN);
	store_bind_double(st, 3, 0.1);
	store_bind_text(st, 4, "督办 it", strlen("督办 it"));
	store_bind_text(st, 5, "abc", 2);
	store_bind_double(st, 6, -INFINITY);
	assert_int_equal(store_step(st, &row, err), DUBAN_OK);
	assert_true(row);
	assert_true(store_col_int(st, 0) == INT64_MAX);
	assert_true(store_col_int(st, 1) == INT64_MIN);
	assert_true(store_col_double(st, 2) == 0.1);
	assert_string_equal(store_col_text(st, 3), "督办 it");
	assert_int_equal(store_col_len(st, 3), strlen("督办 it"));
	assert_string_equal(store_col_text(st, 4), "ab");
	assert_int_equal(store_col_int(st, 5), 1);
	assert_int_equal(store_col_int(st, 6), 0);
	assert_true(store_col_double(st, 7) < -1e308);
	assert_int_equal(store_col_int(st, 8), 7);
	assert_false(store_col_null(st, 9));
	assert_string_equal(store_col_text(st, 9), "");
	/* out of range columns read as NULL */
	assert_true(store_col_null(st, 10));
	assert_null(store_col_text(st, -1));
	store_reset(st);
	return DUBAN_OK;
}

static void test_values_round_trip(void **state)
{
	struct pgdb t;
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_read(t.store, values, NULL, NULL), DUBAN_OK);
	pgdb_close(&t);
}

static duban_result nul_text(struct store_conn *c, void *ctx,
			     struct duban_error *err)
{
	struct store_stmt *st;
	bool row;
	(void)ctx;
	duban_result result = store_prepare(c, "SELECT ?", &st, err);
	if (result)
		return result;
	store_bind_text(st, 1, "a\0b", 3);
	return store_step(st, &row, err);
}

static duban_result bind_out_of_range(struct store_conn *c, void *ctx,
				      struct duban_error *err)
{
	struct store_stmt *st;
	bool row;
	(void)ctx;
	duban_result result =
		store_prepare(c, "SELECT CAST(? AS BIGINT)", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, 1);
	store_bind_int(st, 2, 2);
	return store_step(st, &row, err);
}

static void test_bad_bindings_refused(void **state)
{
	struct pgdb t;
	struct duban_error err = { 0 };
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_read(t.store, nul_text, NULL, &err),
			 DUBAN_E_INVALID);
	/* SQLite ignores a binding past the last parameter; here it shows */
	assert_int_equal(store_read(t.store, bind_out_of_range, NULL, &err),
			 DUBAN_E_INTERNAL);
	pgdb_close(&t);
}

struct changes_ctx {
	int64_t after_update, after_select;
};

static duban_result changes(struct store_conn *c, void *ctx,
			    struct duban_error *err)
{
	struct changes_ctx *x = ctx;
	struct store_stmt *st;
	int64_t id, n;
	duban_result result = store_exec(
		c,
		"CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);"
		" INSERT INTO t VALUES (2); INSERT INTO t VALUES (3)",
		err);
	if (!result)
		result = insert_unit(c, 0, "A", "/", &id, err);
	if (!result)
		result = insert_unit(c, 0, "B", "/", &id, err);
	if (!result)
		result = store_prepare(c, "UPDATE units SET depth = ?", &st,
				       err);
	if (result)
		return result;
	store_bind_int(st, 1, 3);
	if ((result = store_run(st, err)))
		return result;
	x->after_update = store_changes(c);
	if ((result = store_prepare(c, "SELECT count(*) FROM t", &st, err)))
		return result;
	if ((result = store_one_int(st, &n, NULL, err)))
		return result;
	assert_int_equal(n, 3);
	x->after_select = store_changes(c);
	return DUBAN_OK;
}

static void test_exec_and_changes(void **state)
{
	struct pgdb t;
	struct changes_ctx x = { -1, -1 };
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_write(t.store, changes, &x, NULL), DUBAN_OK);
	assert_int_equal(x.after_update, 2);
	assert_int_equal(x.after_select, 2); /* a SELECT changes nothing */
	pgdb_close(&t);
}

/* --- several processes: the advisory write lock --- */

#define AUDIT_THREADS 2
#define AUDIT_UNITS 100

static pthread_barrier_t audit_start;

static duban_result append_one(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct actor a;
	json_t *after = json_pack("{s:i}", "n", *(int *)ctx);
	duban_result result;
	actor_system(&a, "test");
	result = audit_append(c, &a, "thing", *(int *)ctx, 0, "create", NULL,
			      after, err);
	json_decref(after);
	return result;
}

static void *append_many(void *arg)
{
	struct store *s = arg;
	intptr_t failures = 0;
	pthread_barrier_wait(&audit_start);
	for (int i = 1; i <= AUDIT_UNITS; i++) {
		struct duban_error err = { 0 };
		if (store_write(s, append_one, &i, &err)) {
			fprintf(stderr, "test_pg: append: %s\n", err.message);
			failures++;
		}
	}
	return (void *)failures;
}

static void test_audit_chain_two_writers(void **state)
{
	struct pgdb t;
	struct store *other[AUDIT_THREADS] = { 0 };
	pthread_t th[AUDIT_THREADS];
	struct store_options opt = { .readers = 1, .busy_timeout_ms = 30000 };
	int64_t count = 0, bad = 0;
	struct duban_error err = { 0 };
	(void)state;
	pgdb_open(&t, NULL);
	/* a store each, as two server processes would have: two writer
	 * connections that only the advisory lock keeps apart (without it,
	 * both read the same chain head and one insert of id = last + 1
	 * fails, or the chain forks) */
	for (int i = 0; i < AUDIT_THREADS; i++)
		assert_int_equal(store_open(t.uri, &opt, &other[i], NULL),
				 DUBAN_OK);
	pthread_barrier_init(&audit_start, NULL, AUDIT_THREADS);
	for (int i = 0; i < AUDIT_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, append_many,
						other[i]),
				 0);
	for (int i = 0; i < AUDIT_THREADS; i++) {
		void *failures;
		assert_int_equal(pthread_join(th[i], &failures), 0);
		assert_int_equal((intptr_t)failures, 0);
		store_free(other[i]);
	}
	pthread_barrier_destroy(&audit_start);
	assert_int_equal(audit_verify(t.store, &count, &bad, &err), DUBAN_OK);
	assert_int_equal(count, AUDIT_THREADS * AUDIT_UNITS);
	pgdb_close(&t);
}

struct hold_ctx {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool holding, release;
};

static duban_result hold_lock(struct store_conn *c, void *ctx,
			      struct duban_error *err)
{
	struct hold_ctx *h = ctx;
	(void)c;
	(void)err;
	pthread_mutex_lock(&h->lock);
	h->holding = true;
	pthread_cond_broadcast(&h->cond);
	while (!h->release)
		pthread_cond_wait(&h->cond, &h->lock);
	pthread_mutex_unlock(&h->lock);
	return DUBAN_OK;
}

static void *hold_thread(void *arg)
{
	struct store **s = arg;
	return (void *)(intptr_t)store_write(s[0], hold_lock, s[1], NULL);
}

static void test_write_lock_times_out(void **state)
{
	struct pgdb t;
	struct store *b = NULL;
	struct store_options opt = { .readers = 1, .busy_timeout_ms = 200 };
	struct hold_ctx h = { PTHREAD_MUTEX_INITIALIZER,
			      PTHREAD_COND_INITIALIZER, false, false };
	struct duban_error err = { 0 };
	void *args[2];
	pthread_t th;
	void *rc;
	int64_t n;
	struct timespec t0, t1;
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_open(t.uri, &opt, &b, NULL), DUBAN_OK);
	args[0] = t.store;
	args[1] = &h;
	assert_int_equal(pthread_create(&th, NULL, hold_thread, args), 0);
	pthread_mutex_lock(&h.lock);
	while (!h.holding)
		pthread_cond_wait(&h.cond, &h.lock);
	pthread_mutex_unlock(&h.lock);
	/* another "process" waits its busy timeout for the write lock */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(store_write(b, count_units, &n, &err),
			 DUBAN_E_UNAVAILABLE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
			    (t1.tv_nsec - t0.tv_nsec) / 1000000 >=
		    190);
	/* reads are not held up */
	assert_int_equal(store_read(b, count_units, &n, NULL), DUBAN_OK);
	pthread_mutex_lock(&h.lock);
	h.release = true;
	pthread_cond_broadcast(&h.cond);
	pthread_mutex_unlock(&h.lock);
	assert_int_equal(pthread_join(th, &rc), 0);
	assert_int_equal((intptr_t)rc, DUBAN_OK);
	/* and once the holder commits, the lock is free */
	assert_int_equal(store_write(b, count_units, &n, NULL), DUBAN_OK);
	store_free(b);
	pgdb_close(&t);
}

/* --- a server restart: the next unit reconnects --- */

static duban_result backend_pid(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct store_stmt *st;
	duban_result result =
		store_prepare(c, "SELECT pg_backend_pid()", &st, err);
	if (result)
		return result;
	return store_one_int(st, ctx, NULL, err);
}

static void test_reconnects_after_disconnect(void **state)
{
	struct pgdb t;
	int64_t pid = 0, pid2 = 0, n = -1;
	char sql[128];
	(void)state;
	pgdb_open(&t, NULL);
	assert_int_equal(store_write(t.store, insert_two, "B", NULL),
			 DUBAN_OK);
	assert_int_equal(store_write(t.store, backend_pid, &pid, NULL),
			 DUBAN_OK);
	snprintf(sql, sizeof(sql),
		 "DO $$ BEGIN PERFORM pg_terminate_backend(%lld); END $$",
		 (long long)pid);
	assert_int_equal(admin_exec(sql), 0);
	usleep(100 * 1000);
	/* the statements cached before are prepared again on the new
	 * session */
	assert_int_equal(store_write(t.store, count_units, &n, NULL),
			 DUBAN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_write(t.store, backend_pid, &pid2, NULL),
			 DUBAN_OK);
	assert_true(pid2 != pid);
	pgdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite_table),
		cmocka_unit_test(test_rewrite_limit),
		cmocka_unit_test(test_redact_uri_table),
		cmocka_unit_test(test_connect_failure_is_io),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_write_rolls_back_whole_unit),
		cmocka_unit_test(test_subtree_range),
		cmocka_unit_test(test_statement_cache),
		cmocka_unit_test(test_type_signatures_are_bounded),
		cmocka_unit_test(test_bad_sql_is_store_error),
		cmocka_unit_test(test_foreign_key_is_bad_reference),
		cmocka_unit_test(test_null_into_bigint_and_returning),
		cmocka_unit_test(test_values_round_trip),
		cmocka_unit_test(test_bad_bindings_refused),
		cmocka_unit_test(test_exec_and_changes),
		cmocka_unit_test(test_audit_chain_two_writers),
		cmocka_unit_test(test_write_lock_times_out),
		cmocka_unit_test(test_reconnects_after_disconnect),
	};
	if (!admin_uri())
		fprintf(stderr, "test_pg: DUBAN_TEST_PG_URI is not set; the "
				"tests that need a server are skipped\n");
	return cmocka_run_group_tests(tests, NULL, drop_leftovers);
}
