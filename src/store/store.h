/*
 * store.h - the one storage interface that business code calls.
 *
 * A store is a database with one writer and a pool of readers.  Business
 * code never opens a transaction itself: it hands a unit of work (a
 * function and its context) to store_read() or store_write(), and the store
 * runs it on a connection it owns, inside a transaction it owns.  That is
 * what lets the write path later commit the work of concurrent requests
 * together (group commit) without any caller changing.
 *
 * SQL handed to store_prepare() is portable: `?` placeholders, integer
 * booleans, integer UNIX timestamps, dates as 'YYYY-MM-DD' text, `INSERT ...
 * RETURNING id`, `||` for concatenation, `ON CONFLICT ... DO UPDATE`, no
 * backend-only functions.  A parameter whose type the context does not fix
 * (`? IS NULL`) is written `CAST(? AS TEXT)` or `CAST(? AS BIGINT)`, since
 * PostgreSQL must know every parameter's type.  Each driver (sqlite.c, and
 * a PostgreSQL one) maps it to its dialect.
 *
 * Ownership: statements belong to their connection and are cached by SQL
 * text; a unit of work never frees them.  Column text returned by
 * store_col_text() is valid until the next store_step() or store_reset() on
 * that statement.  Every statement used in a unit of work is reset when the
 * unit ends.
 */
#ifndef DUBAN_STORE_STORE_H
#define DUBAN_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"

struct store;
struct store_conn;
struct store_stmt;

/** Knobs for store_open(); zero means the default. */
struct store_options {
	int readers;        /* read connections in the pool (default 4) */
	int busy_timeout_ms; /* how long to wait on a lock (default 5000) */
};

/** Pool figures for /metrics. */
struct store_stats {
	int readers;
	int readers_busy;
	uint64_t reads;
	uint64_t writes;
	uint64_t write_failures;
	uint64_t read_waits; /* reads that waited for a free connection */
	uint64_t write_batches; /* transactions committed by group commit */
	double commit_seconds;	   /* time spent in COMMIT, all batches */
	double commit_seconds_max; /* the slowest COMMIT */
};

typedef duban_result (*store_work_fn)(struct store_conn *c, void *ctx,
				      struct duban_error *err);

/**
 * Opens a store: a file path for SQLite, or a postgresql:// URI.
 * Does not create or migrate the schema (see store_migrate()).
 */
duban_result store_open(const char *uri, const struct store_options *opt,
			struct store **out, struct duban_error *err);

/**
 * uri as it may be shown to a person: a PostgreSQL URI without its
 * password.  The caller frees the result.
 */
char *store_display_name(const char *uri);

/** Closes every connection and frees the store; NULL is fine. */
void store_free(struct store *s);

/**
 * A number no other store opened by this process has: what a cache keyed
 * on a store keeps, since a freed store's address may come back.
 */
uint64_t store_serial(const struct store *s);

/** "sqlite" or "postgresql". */
const char *store_driver_name(const struct store *s);

void store_get_stats(struct store *s, struct store_stats *out);

/** Runs fn on a read connection, in one read transaction (a snapshot). */
duban_result store_read(struct store *s, store_work_fn fn, void *ctx,
			struct duban_error *err);

/**
 * Runs fn in a write transaction owned by the store: committed durably when
 * fn returns DUBAN_OK, rolled back otherwise (and fn's result returned).
 *
 * Group commit: fn runs on the store's writer thread, in a savepoint of a
 * transaction that it may share with the units of other callers; this call
 * returns once that transaction is durable (or fn's work was rolled back),
 * with fn's result and err written by fn - or the COMMIT's error, which
 * fails every unit of the transaction.  fn must not call store_write() (it
 * gets DUBAN_E_INTERNAL); a store_read() inside it runs in fn's own
 * transaction.  Units of one caller run in the order it called.
 */
duban_result store_write(struct store *s, store_work_fn fn, void *ctx,
			 struct duban_error *err);

/** Brings the schema to the newest version; *from and *to say what it did. */
duban_result store_migrate(struct store *s, int *from, int *to,
			   struct duban_error *err);

/** The schema version in the database (0 when empty). */
duban_result store_schema_version(struct store *s, int *out,
				  struct duban_error *err);

/** The newest schema version this build knows. */
int store_schema_latest(void);

/* --- inside a unit of work --- */

/** The store a connection belongs to. */
struct store *store_conn_store(struct store_conn *c);

/** Whether c runs a write unit (what it reads may not be committed yet). */
bool store_conn_writing(const struct store_conn *c);

/**
 * A prepared statement for sql, cached on the connection by its text.
 * Bindings are cleared.  The statement is reset at the end of the unit.
 */
duban_result store_prepare(struct store_conn *c, const char *sql,
			   struct store_stmt **out, struct duban_error *err);

/* Parameters are numbered from 1.  Text is copied. */
void store_bind_int(struct store_stmt *st, int idx, int64_t v);
void store_bind_double(struct store_stmt *st, int idx, double v);
void store_bind_text(struct store_stmt *st, int idx, const char *s,
		     size_t len);
void store_bind_str(struct store_stmt *st, int idx, const char *s); /* NULL binds NULL */
void store_bind_null(struct store_stmt *st, int idx);

/** Advances: *row is true while a row is available. */
duban_result store_step(struct store_stmt *st, bool *row,
			struct duban_error *err);

/* Columns are numbered from 0. */
bool store_col_null(struct store_stmt *st, int col);
int64_t store_col_int(struct store_stmt *st, int col);
double store_col_double(struct store_stmt *st, int col);
const char *store_col_text(struct store_stmt *st, int col); /* NULL for NULL */
size_t store_col_len(struct store_stmt *st, int col);

/** Ends the current execution so the statement can run again. */
void store_reset(struct store_stmt *st);

/** Runs sql with no parameters and no result (DDL, a fixed update). */
duban_result store_exec(struct store_conn *c, const char *sql,
			struct duban_error *err);

/** Runs a prepared statement that returns no rows (step once, reset). */
duban_result store_run(struct store_stmt *st, struct duban_error *err);

/**
 * Steps once and reads column 0 as an integer: *found says whether a row
 * came back.  Resets the statement.  For `SELECT count(*)`, `RETURNING id`.
 */
duban_result store_one_int(struct store_stmt *st, int64_t *out, bool *found,
			   struct duban_error *err);

/** Rows changed by the last statement run on the connection. */
int64_t store_changes(struct store_conn *c);

/* --- diagnostics --- */

typedef void (*store_sql_hook)(void *arg, const char *sql);

/**
 * For tests and diagnostics (the query-plan test): fn sees the SQL text of
 * every statement a connection prepares, once per connection, when it
 * enters the cache.  Process-wide; NULL turns it off.  Set it while no
 * store is in use: fn runs in the threads that prepare.
 */
void store_set_prepare_hook(store_sql_hook fn, void *arg);

#endif
