/*
 * sqlite.c - the SQLite driver: WAL, foreign keys, durable commits.
 *
 * Each connection is used by one thread at a time (the pool guarantees it),
 * so connections are opened without SQLite's own mutexes.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "store/driver.h"

/* the most of a database file mapped into memory (address space, not
 * memory: what is read stays in the OS page cache) */
#define MMAP_SIZE "4294967296"

static duban_result fail_db(sqlite3 *db, int rc, struct duban_error *err,
			    const char *what)
{
	int ext = db ? sqlite3_extended_errcode(db) : rc;
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	switch (ext) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return duban_fail_code(err, DUBAN_E_CONFLICT, "duplicate", NULL,
				       "already exists (%s)", msg);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return duban_fail_code(err, DUBAN_E_INVALID, "bad_reference",
				       NULL, "refers to a missing object");
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return duban_fail(err, DUBAN_E_UNAVAILABLE, NULL,
				  "database is busy, try again");
	default:
		break;
	}
	LOG(LOG_ERROR, "sqlite: %s: %s (%d)", what, msg, ext);
	return duban_fail(err, DUBAN_E_STORE, NULL, "database error: %s", msg);
}

/*
 * A connection, with the fixed statements that frame every unit of work
 * (store.c runs them through exec) prepared once: parsing "BEGIN" again
 * for every unit cost as much as a short query.
 */
static const char *const fixed_sql[] = {
	"BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK",
	"SAVEPOINT w", "RELEASE w", "ROLLBACK TO w",
};
#define NFIXED (sizeof(fixed_sql) / sizeof(fixed_sql[0]))

struct sq_conn {
	sqlite3 *db;
	sqlite3_stmt *fixed[NFIXED];
};

static duban_result exec_text(sqlite3 *db, const char *sql,
			      struct duban_error *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return fail_db(db, rc, err, "exec");
	return DUBAN_OK;
}

static duban_result sq_exec(void *conn, const char *sql,
			    struct duban_error *err)
{
	struct sq_conn *c = conn;
	for (size_t i = 0; i < NFIXED; i++) {
		if (strcmp(sql, fixed_sql[i]) != 0)
			continue;
		if (!c->fixed[i] &&
		    sqlite3_prepare_v3(c->db, sql, -1,
				       SQLITE_PREPARE_PERSISTENT, &c->fixed[i],
				       NULL) != SQLITE_OK)
			break; /* exec reports it */
		int rc = sqlite3_step(c->fixed[i]);
		sqlite3_reset(c->fixed[i]);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			return fail_db(c->db, rc, err, sql);
		return DUBAN_OK;
	}
	return exec_text(c->db, sql, err);
}

static duban_result sq_connect(const char *uri, bool writer,
			       const struct store_options *opt, void **out,
			       struct duban_error *err)
{
	sqlite3 *db = NULL;
	duban_result result;
	int flags = SQLITE_OPEN_NOMUTEX |
		    (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
			    : SQLITE_OPEN_READONLY);
	if (strncmp(uri, "sqlite:", 7) == 0)
		uri += 7;
	int rc = sqlite3_open_v2(uri, &db, flags, NULL);
	if (rc != SQLITE_OK) {
		result = duban_fail(err, DUBAN_E_IO, "db",
				    "unable to open '%s': %s", uri,
				    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return result;
	}
	sqlite3_busy_timeout(db, opt->busy_timeout_ms);
	sqlite3_extended_result_codes(db, 1);
	/* WAL lets readers run beside the writer; FULL makes every commit
	 * durable before the request is answered.  Reads go through a memory
	 * map of the file: the pages live once, in the OS page cache that
	 * every connection shares, instead of in a small cache per connection
	 * that a 100,000-task campaign overflows with a read() per page. */
	const char *pragmas =
		writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
			 "PRAGMA mmap_size=" MMAP_SIZE ";"
		       : "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
			 "PRAGMA mmap_size=" MMAP_SIZE ";";
	result = exec_text(db, pragmas, err);
	if (result) {
		sqlite3_close(db);
		return result;
	}
	struct sq_conn *c = xcalloc(1, sizeof(*c));
	c->db = db;
	*out = c;
	return DUBAN_OK;
}

static void sq_disconnect(void *conn)
{
	struct sq_conn *c = conn;
	for (size_t i = 0; i < NFIXED; i++)
		sqlite3_finalize(c->fixed[i]);
	sqlite3_close(c->db);
	free(c);
}

static duban_result sq_begin(void *conn, bool write, struct duban_error *err)
{
	return sq_exec(conn, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

static duban_result sq_commit(void *conn, struct duban_error *err)
{
	return sq_exec(conn, "COMMIT", err);
}

static void sq_rollback(void *conn)
{
	struct sq_conn *c = conn;
	if (!sqlite3_get_autocommit(c->db))
		sq_exec(conn, "ROLLBACK", NULL);
}

static duban_result sq_prepare(void *conn, const char *sql, void **out,
			       struct duban_error *err)
{
	struct sq_conn *c = conn;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    &st, NULL);
	if (rc != SQLITE_OK)
		return fail_db(c->db, rc, err, sql);
	*out = st;
	return DUBAN_OK;
}

static void sq_finalize(void *st)
{
	sqlite3_finalize(st);
}

static void sq_bind_int(void *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st, idx, v);
}

static void sq_bind_double(void *st, int idx, double v)
{
	sqlite3_bind_double(st, idx, v);
}

static void sq_bind_text(void *st, int idx, const char *s, size_t len)
{
	sqlite3_bind_text64(st, idx, s, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void sq_bind_null(void *st, int idx)
{
	sqlite3_bind_null(st, idx);
}

static duban_result sq_step(void *st, bool *row, struct duban_error *err)
{
	int rc = sqlite3_step(st);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return DUBAN_OK;
	return fail_db(sqlite3_db_handle(st), rc, err, sqlite3_sql(st));
}

static bool sq_col_null(void *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

static int64_t sq_col_int(void *st, int col)
{
	return sqlite3_column_int64(st, col);
}

static double sq_col_double(void *st, int col)
{
	return sqlite3_column_double(st, col);
}

static const char *sq_col_text(void *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static size_t sq_col_len(void *st, int col)
{
	return (size_t)sqlite3_column_bytes(st, col);
}

static void sq_reset(void *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int64_t sq_changes(void *conn)
{
	return sqlite3_changes64(((struct sq_conn *)conn)->db);
}

static const char *sq_dialect(const char *token)
{
	static const struct {
		const char *token, *sql;
	} map[] = {
		{ "ID", "INTEGER PRIMARY KEY" },
		{ "BIGINT", "INTEGER" },
		{ "BLOB", "BLOB" },
		{ "REAL", "REAL" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].token, token) == 0)
			return map[i].sql;
	return NULL;
}

const struct store_driver store_sqlite_driver = {
	.name = "sqlite",
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.exec = sq_exec,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.bind_int = sq_bind_int,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_null = sq_col_null,
	.col_int = sq_col_int,
	.col_double = sq_col_double,
	.col_text = sq_col_text,
	.col_len = sq_col_len,
	.reset = sq_reset,
	.changes = sq_changes,
	.dialect = sq_dialect,
};
