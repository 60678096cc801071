/*
 * pg.c - the PostgreSQL driver (libpq).
 *
 * Placeholders.  Portable SQL arrives with `?`; it becomes `$1..$n` once,
 * when the statement is created (pg_rewrite_placeholders).
 *
 * Lazy prepare.  PostgreSQL fixes every parameter's type at PREPARE, but
 * the store only learns the types at bind time, so a statement is prepared
 * on its first execution: server side, under a name unique to the
 * connection, with the types bound then (int8, float8, text; "unknown" for
 * NULL, which lets the server infer it from the context).  The prepared
 * variant is cached under that type signature; an execution that binds
 * other types (NULL where a value was, say) prepares a second variant once.
 * A statement without parameters has only one signature, so it is prepared
 * at once, and bad SQL fails in store_prepare() as it does on SQLite.
 * Values travel in text format and results come back as text; col_*
 * parse them with bounds.  Results are read whole, so several statements
 * can be open on a connection at a time, as on SQLite.
 *
 * Transactions: see pg_begin().  Each connection is used by one thread at a
 * time (the pool guarantees it); libpq needs nothing more.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "store/driver.h"
#include "store/pg_sql.h"

/* type OIDs (from the server's pg_type.dat; not part of libpq-dev) */
#define OID_UNKNOWN 0 /* a NULL: the server infers the type */
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701

/* prepared variants kept per statement; more type signatures than this
 * (never seen in practice) evict the least recently used */
#define MAX_VARIANTS 8

/* the advisory lock every write unit holds: the bytes "duban\0\0\1" */
#define WRITE_LOCK_KEY "7238800146664783873"

/* PostgreSQL 11 brought EXECUTE FUNCTION in triggers, used by schema.c */
#define MIN_SERVER_VERSION 110000

struct pg_conn {
	PGconn *pg;
	char *uri_safe;	    /* without its password, for messages */
	int lock_timeout_ms;
	uint64_t next_name; /* numbers the server-side statements */
	uint64_t epoch;	    /* bumped when the session is re-established */
	int64_t changes;
};

struct pg_param {
	Oid type;
	char *value; /* NULL for SQL NULL; buf or a heap copy */
	bool heap;
	char buf[32];
};

struct pg_variant {
	char name[32];
	Oid *types; /* the signature it was prepared with */
	struct pg_variant *next;
};

struct pg_stmt {
	struct pg_conn *conn;
	char *sql; /* rewritten to $n */
	int nparams;
	struct pg_param *params;
	const char **values; /* scratch for PQexecPrepared */
	Oid *types;	     /* scratch: the signature being looked up */
	int bad_index;	     /* a parameter bound out of range, or 0 */
	bool bad_nul;	     /* text with a NUL byte was bound */
	struct pg_variant *variants; /* most recently used first */
	int nvariants;
	uint64_t epoch; /* the session the variants belong to */
	PGresult *res;
	int nrows;
	int row; /* the current row, -1 before the first step */
	bool executed;
};

/* --- messages and errors --- */

/* Copies a libpq message onto one line: newlines and tabs become spaces,
 * trailing space goes. */
static void one_line(char *dst, size_t n, const char *src)
{
	size_t k = 0;
	bool space = false;
	for (const char *p = src ? src : ""; *p && k + 1 < n; p++) {
		if (isspace((unsigned char)*p)) {
			space = k > 0;
			continue;
		}
		if (space && k + 2 < n)
			dst[k++] = ' ';
		space = false;
		dst[k++] = *p;
	}
	dst[k] = '\0';
}

static duban_result fail_conn(struct pg_conn *c, struct duban_error *err,
			      const char *verb)
{
	char msg[200];
	one_line(msg, sizeof(msg), PQerrorMessage(c->pg));
	LOG(LOG_ERROR, "pg: %s '%s': %s", verb, c->uri_safe, msg);
	return duban_fail(err, DUBAN_E_IO, "db", "%s '%s': %s", verb,
			  c->uri_safe, msg);
}

/* Maps a failed result (res may be NULL) to a duban error by SQLSTATE. */
static duban_result fail_res(struct pg_conn *c, const PGresult *res,
			     struct duban_error *err, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;
	const char *primary =
		res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char msg[200];
	if (PQstatus(c->pg) != CONNECTION_OK ||
	    (state && (strncmp(state, "08", 2) == 0 ||
		       strncmp(state, "57P0", 4) == 0)))
		return fail_conn(c, err, "lost the connection to");
	one_line(msg, sizeof(msg),
		 primary ? primary : PQerrorMessage(c->pg));
	if (!state)
		state = "";
	if (strcmp(state, "23505") == 0)
		return duban_fail_code(err, DUBAN_E_CONFLICT, "duplicate", NULL,
				       "already exists (%s)", msg);
	if (strcmp(state, "23503") == 0)
		return duban_fail_code(err, DUBAN_E_INVALID, "bad_reference",
				       NULL, "refers to a missing object");
	/* serialization failure, deadlock, and lock_timeout (set from the
	 * store's busy timeout: SQLite's SQLITE_BUSY) */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return duban_fail(err, DUBAN_E_UNAVAILABLE, NULL,
				  "database is busy, try again");
	LOG(LOG_ERROR, "pg: %s: %s (%s)", what, msg, state);
	return duban_fail(err, DUBAN_E_STORE, NULL, "database error: %s", msg);
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ||
	       s == PGRES_EMPTY_QUERY;
}

/* sqlite3_changes() counts the rows of the last INSERT, UPDATE or DELETE
 * only; a SELECT leaves it alone */
static void note_changes(struct pg_conn *c, PGresult *res)
{
	const char *tag = PQcmdStatus(res);
	if (strncmp(tag, "INSERT ", 7) && strncmp(tag, "UPDATE ", 7) &&
	    strncmp(tag, "DELETE ", 7) && strncmp(tag, "MERGE ", 6))
		return;
	c->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

/* Runs sql (one or several statements) that returns nothing we read. */
static duban_result run_simple(struct pg_conn *c, const char *sql,
			       struct duban_error *err, const char *what)
{
	duban_result result = DUBAN_OK;
	PGresult *res = PQexec(c->pg, sql);
	if (!result_ok(res))
		result = fail_res(c, res, err, what);
	else
		note_changes(c, res);
	PQclear(res);
	return result;
}

/* --- connections --- */

static void notice(void *arg, const char *message)
{
	char msg[200];
	(void)arg;
	one_line(msg, sizeof(msg), message);
	LOG(LOG_DEBUG, "pg: %s", msg);
}

/* What every session needs, after connecting and after a reconnect. */
static duban_result session_setup(struct pg_conn *c, struct duban_error *err)
{
	char sql[64];
	PQsetNoticeProcessor(c->pg, notice, NULL);
	if (PQserverVersion(c->pg) < MIN_SERVER_VERSION)
		return duban_fail(err, DUBAN_E_STORE, "db",
				  "'%s' runs PostgreSQL %d; duban needs 11 or "
				  "newer",
				  c->uri_safe, PQserverVersion(c->pg) / 10000);
	/* how long a statement waits for a lock, the advisory write lock
	 * included: the store's busy timeout, as on SQLite */
	snprintf(sql, sizeof(sql), "SET lock_timeout = %d", c->lock_timeout_ms);
	return run_simple(c, sql, err, "session setup");
}

static void pg_disconnect(void *conn)
{
	struct pg_conn *c = conn;
	if (!c)
		return;
	PQfinish(c->pg);
	free(c->uri_safe);
	free(c);
}

static duban_result pg_connect(const char *uri, bool writer,
			       const struct store_options *opt, void **out,
			       struct duban_error *err)
{
	/* keywords after dbname override what the URI says; those before it
	 * are defaults the URI may override */
	const char *const keys[] = { "connect_timeout",
				     "fallback_application_name", "dbname",
				     "client_encoding", NULL };
	const char *const vals[] = { "10", "duban", uri, "UTF8", NULL };
	struct pg_conn *c = xcalloc(1, sizeof(*c));
	duban_result result;
	(void)writer; /* readers are kept read-only by their BEGIN */
	c->uri_safe = pg_redact_uri(uri);
	c->lock_timeout_ms = opt->busy_timeout_ms;
	c->pg = PQconnectdbParams(keys, vals, 1);
	if (!c->pg) {
		result = duban_fail(err, DUBAN_E_IO, "db",
				    "unable to connect to '%s': out of memory",
				    c->uri_safe);
		goto out;
	}
	if (PQstatus(c->pg) != CONNECTION_OK) {
		result = fail_conn(c, err, "unable to connect to");
		goto out;
	}
	result = session_setup(c, err);
out:
	if (result) {
		pg_disconnect(c);
		return result;
	}
	*out = c;
	return DUBAN_OK;
}

/* A server restart or a network cut leaves the connection dead; units of
 * work run on it later reconnect once, at their start.  Server-side
 * statements died with the old session (the epoch tells statements). */
static duban_result ensure_connected(struct pg_conn *c,
				     struct duban_error *err)
{
	if (PQstatus(c->pg) == CONNECTION_OK)
		return DUBAN_OK;
	LOG(LOG_WARN, "pg: reconnecting to '%s'", c->uri_safe);
	PQreset(c->pg);
	c->epoch++;
	if (PQstatus(c->pg) != CONNECTION_OK)
		return fail_conn(c, err, "unable to connect to");
	return session_setup(c, err);
}

static duban_result pg_exec(void *conn, const char *sql,
			    struct duban_error *err)
{
	/* PQexec runs every statement of a multi-statement string */
	return run_simple(conn, sql, err, "exec");
}

/*
 * Transactions.
 *
 * Reads run in REPEATABLE READ READ ONLY: one snapshot for the whole unit
 * (store.h promises "a snapshot"; a count and the page it describes must
 * agree, as they do on SQLite), and a read-only transaction never fails
 * with a serialization error, so it costs nothing over READ COMMITTED.
 * READ ONLY also keeps a misrouted write off the read pool, as SQLite's
 * read-only reader connections do.
 *
 * Writes run in READ COMMITTED and first take a transaction-scoped advisory
 * lock with a fixed key, so the write units of every duban process on the
 * database run one at a time, as the one writer connection makes them run
 * within a process.  The audit trail depends on it: audit_append() reads
 * the chain head and appends after it inside the unit.  It has to be READ
 * COMMITTED: each statement then sees what was committed before it began,
 * so the head read after the lock is granted is the true head, whereas a
 * REPEATABLE READ snapshot would be taken by the lock statement itself,
 * before the wait, and miss the previous holder's commit.
 */
static duban_result pg_begin(void *conn, bool write, struct duban_error *err)
{
	struct pg_conn *c = conn;
	const char *sql =
		write ? "BEGIN ISOLATION LEVEL READ COMMITTED;"
			" SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")"
		      : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	PGresult *res;
	duban_result result = ensure_connected(c, err);
	if (result)
		return result;
	res = PQexec(c->pg, sql);
	/* a connection that died while idle shows only now; nothing of the
	 * unit has run yet, so reconnecting and beginning again is safe */
	if (!result_ok(res) && PQstatus(c->pg) != CONNECTION_OK) {
		PQclear(res);
		res = NULL;
		result = ensure_connected(c, err);
		if (result)
			return result;
		res = PQexec(c->pg, sql);
	}
	if (!result_ok(res))
		result = fail_res(c, res, err, "begin");
	PQclear(res);
	/* the store does not roll back a unit whose begin failed */
	if (result && PQstatus(c->pg) == CONNECTION_OK &&
	    PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		PQclear(PQexec(c->pg, "ROLLBACK"));
	return result;
}

static duban_result pg_commit(void *conn, struct duban_error *err)
{
	struct pg_conn *c = conn;
	duban_result result = DUBAN_OK;
	PGresult *res;
	/* COMMIT of a failed transaction rolls back and reports success */
	if (PQtransactionStatus(c->pg) == PQTRANS_INERROR)
		return duban_fail(err, DUBAN_E_STORE, NULL,
				  "database error: the transaction failed "
				  "earlier and was not committed");
	res = PQexec(c->pg, "COMMIT");
	if (!result_ok(res))
		result = fail_res(c, res, err, "commit");
	else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
		result = duban_fail(err, DUBAN_E_STORE, NULL,
				    "database error: the transaction was "
				    "rolled back");
	PQclear(res);
	return result;
}

static void pg_rollback(void *conn)
{
	struct pg_conn *c = conn;
	PGresult *res;
	if (PQstatus(c->pg) != CONNECTION_OK ||
	    PQtransactionStatus(c->pg) == PQTRANS_IDLE)
		return;
	res = PQexec(c->pg, "ROLLBACK");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		LOG(LOG_WARN, "pg: rollback failed: %s",
		    PQresultErrorMessage(res));
	PQclear(res);
}

/* --- statements --- */

static void drop_variants(struct pg_stmt *st)
{
	while (st->variants) {
		struct pg_variant *v = st->variants;
		st->variants = v->next;
		free(v->types);
		free(v);
	}
	st->nvariants = 0;
}

/* The variant prepared for the bound types, preparing it if need be. */
static duban_result variant_for(struct pg_stmt *st, struct pg_variant **out,
				struct duban_error *err)
{
	struct pg_conn *c = st->conn;
	struct pg_variant *v, **link;
	size_t sig = (size_t)st->nparams * sizeof(Oid);
	duban_result result = DUBAN_OK;
	PGresult *res;
	if (st->epoch != c->epoch) {
		drop_variants(st); /* gone with the old session */
		st->epoch = c->epoch;
	}
	for (int i = 0; i < st->nparams; i++)
		st->types[i] = st->params[i].type;
	for (link = &st->variants; (v = *link); link = &v->next) {
		if (sig == 0 || memcmp(v->types, st->types, sig) == 0) {
			*link = v->next; /* move to the front */
			v->next = st->variants;
			st->variants = v;
			*out = v;
			return DUBAN_OK;
		}
	}
	if (st->nvariants == MAX_VARIANTS) {
		char sql[64];
		for (link = &st->variants; (*link)->next;
		     link = &(*link)->next)
			;
		v = *link;
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", v->name);
		result = run_simple(c, sql, err, sql);
		if (result)
			return result;
		*link = NULL;
		free(v->types);
		free(v);
		st->nvariants--;
	}
	v = xcalloc(1, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "duban_%" PRIu64, c->next_name++);
	v->types = xmalloc(sig ? sig : 1);
	if (sig)
		memcpy(v->types, st->types, sig);
	res = PQprepare(c->pg, v->name, st->sql, st->nparams, st->types);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		result = fail_res(c, res, err, st->sql);
	PQclear(res);
	if (result) {
		free(v->types);
		free(v);
		return result;
	}
	v->next = st->variants;
	st->variants = v;
	st->nvariants++;
	*out = v;
	return DUBAN_OK;
}

static void pg_finalize(void *stmt);

static duban_result pg_prepare(void *conn, const char *sql, void **out,
			       struct duban_error *err)
{
	struct pg_conn *c = conn;
	struct pg_stmt *st;
	struct pg_variant *v;
	int n = 0;
	char *rewritten = pg_rewrite_placeholders(sql, &n);
	duban_result result;
	if (!rewritten)
		return duban_fail(err, DUBAN_E_STORE, NULL,
				  "database error: more than %d parameters",
				  PG_MAX_PARAMS);
	st = xcalloc(1, sizeof(*st));
	st->conn = c;
	st->sql = rewritten;
	st->nparams = n;
	st->params = xcalloc((size_t)n + 1, sizeof(*st->params));
	st->values = xcalloc((size_t)n + 1, sizeof(*st->values));
	st->types = xcalloc((size_t)n + 1, sizeof(*st->types));
	st->epoch = c->epoch;
	st->row = -1;
	if (n == 0) {
		result = variant_for(st, &v, err);
		if (result) {
			pg_finalize(st);
			return result;
		}
	}
	*out = st;
	return DUBAN_OK;
}

static void clear_params(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		struct pg_param *p = &st->params[i];
		if (p->heap)
			free(p->value);
		p->value = NULL;
		p->heap = false;
		p->type = OID_UNKNOWN;
	}
	st->bad_index = 0;
	st->bad_nul = false;
}

/* The server-side statements are not deallocated: store.c finalizes only
 * right before it disconnects, which drops them with the session. */
static void pg_finalize(void *stmt)
{
	struct pg_stmt *st = stmt;
	if (!st)
		return;
	PQclear(st->res);
	clear_params(st);
	drop_variants(st);
	free(st->params);
	free(st->values);
	free(st->types);
	free(st->sql);
	free(st);
}

/* The parameter idx (from 1), emptied, or NULL when out of range. */
static struct pg_param *param(struct pg_stmt *st, int idx)
{
	struct pg_param *p;
	if (idx < 1 || idx > st->nparams) {
		if (!st->bad_index)
			st->bad_index = idx ? idx : -1;
		return NULL;
	}
	p = &st->params[idx - 1];
	if (p->heap)
		free(p->value);
	p->value = NULL;
	p->heap = false;
	p->type = OID_UNKNOWN;
	return p;
}

static void pg_bind_int(void *stmt, int idx, int64_t v)
{
	struct pg_param *p = param(stmt, idx);
	if (!p)
		return;
	snprintf(p->buf, sizeof(p->buf), "%" PRId64, v);
	p->value = p->buf;
	p->type = OID_INT8;
}

static void pg_bind_double(void *stmt, int idx, double v)
{
	struct pg_param *p = param(stmt, idx);
	if (!p)
		return;
	if (isnan(v))
		snprintf(p->buf, sizeof(p->buf), "NaN");
	else if (isinf(v))
		snprintf(p->buf, sizeof(p->buf), "%sInfinity",
			 v < 0 ? "-" : "");
	else
		snprintf(p->buf, sizeof(p->buf), "%.17g", v);
	p->value = p->buf;
	p->type = OID_FLOAT8;
}

static void pg_bind_text(void *stmt, int idx, const char *s, size_t len)
{
	struct pg_stmt *st = stmt;
	struct pg_param *p = param(st, idx);
	if (!p || !s) /* a NULL pointer binds NULL, as in SQLite */
		return;
	/* text format ends a value at its first NUL; PostgreSQL text holds
	 * no NUL either, so refuse rather than truncate */
	if (memchr(s, '\0', len))
		st->bad_nul = true;
	p->value = xstrndup(s, len);
	p->heap = true;
	p->type = OID_TEXT;
}

static void pg_bind_null(void *stmt, int idx)
{
	param(stmt, idx);
}

static duban_result execute(struct pg_stmt *st, struct duban_error *err)
{
	struct pg_conn *c = st->conn;
	struct pg_variant *v;
	duban_result result;
	PGresult *res;
	/* SQLite ignores such a binding; it is a bug all the same */
	if (st->bad_index) {
		LOG(LOG_ERROR, "pg: %s: parameter %d bound out of range",
		    st->sql, st->bad_index);
		return duban_fail(err, DUBAN_E_INTERNAL, NULL,
				  "parameter %d is out of range",
				  st->bad_index);
	}
	if (st->bad_nul)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "text must not contain a NUL character");
	result = variant_for(st, &v, err);
	if (result)
		return result;
	for (int i = 0; i < st->nparams; i++)
		st->values[i] = st->params[i].value;
	res = PQexecPrepared(c->pg, v->name, st->nparams, st->values, NULL,
			     NULL, 0);
	if (!result_ok(res)) {
		result = fail_res(c, res, err, st->sql);
		PQclear(res);
		return result;
	}
	note_changes(c, res);
	st->res = res;
	st->nrows = PQntuples(res);
	st->row = -1;
	st->executed = true;
	return DUBAN_OK;
}

static duban_result pg_step(void *stmt, bool *row, struct duban_error *err)
{
	struct pg_stmt *st = stmt;
	*row = false;
	if (!st->executed) {
		duban_result result = execute(st, err);
		if (result)
			return result;
	}
	if (st->row < st->nrows)
		st->row++;
	*row = st->row < st->nrows;
	return DUBAN_OK;
}

/* The current row's cell, or false when there is none. */
static bool cell(struct pg_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 &&
	       col < PQnfields(st->res);
}

static bool pg_col_null(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	return !cell(st, col) || PQgetisnull(st->res, st->row, col);
}

static const char *pg_col_text(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	if (pg_col_null(st, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static size_t pg_col_len(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	if (pg_col_null(st, col))
		return 0;
	return (size_t)PQgetlength(st->res, st->row, col);
}

/* Integers come as text; booleans as t/f (our schema stores 0/1, but an
 * expression may yield one); a fraction is truncated, as SQLite does. */
static int64_t pg_col_int(void *stmt, int col)
{
	const char *s = pg_col_text(stmt, col);
	char *end;
	long long v;
	double d;
	if (!s)
		return 0;
	if (strcmp(s, "t") == 0 || strcmp(s, "f") == 0)
		return s[0] == 't';
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == 0 && end != s && *end == '\0')
		return v;
	d = strtod(s, &end);
	if (end == s || isnan(d))
		return 0;
	if (d >= 9223372036854775807.0)
		return INT64_MAX;
	if (d <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

static double pg_col_double(void *stmt, int col)
{
	const char *s = pg_col_text(stmt, col);
	char *end;
	double d;
	if (!s)
		return 0;
	d = strtod(s, &end); /* takes Infinity, -Infinity and NaN too */
	return end == s ? 0 : d;
}

static void pg_reset(void *stmt)
{
	struct pg_stmt *st = stmt;
	PQclear(st->res);
	st->res = NULL;
	st->nrows = 0;
	st->row = -1;
	st->executed = false;
	clear_params(st);
}

static int64_t pg_changes(void *conn)
{
	return ((struct pg_conn *)conn)->changes;
}

static const char *pg_dialect(const char *token)
{
	static const struct {
		const char *token, *sql;
	} map[] = {
		{ "ID", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
		{ "BIGINT", "BIGINT" },
		{ "BLOB", "BYTEA" },
		{ "REAL", "DOUBLE PRECISION" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].token, token) == 0)
			return map[i].sql;
	return NULL;
}

const struct store_driver store_pg_driver = {
	.name = "postgresql",
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_null = pg_col_null,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_len = pg_col_len,
	.reset = pg_reset,
	.changes = pg_changes,
	.dialect = pg_dialect,
};

/* --- pure text work (pg_sql.h) --- */

static bool ident_char(unsigned char ch)
{
	return isalnum(ch) || ch == '_' || ch == '$' || ch >= 0x80;
}

/* The length of the dollar-quote tag at p ("$$", "$body$"), or 0. */
static size_t dollar_tag(const char *p)
{
	size_t n = 1;
	unsigned char ch = (unsigned char)p[1];
	if (p[0] != '$')
		return 0;
	if (ch == '$')
		return 2;
	if (!(isalpha(ch) || ch == '_' || ch >= 0x80))
		return 0;
	while ((ch = (unsigned char)p[n]) &&
	       (isalnum(ch) || ch == '_' || ch >= 0x80))
		n++;
	return p[n] == '$' ? n + 1 : 0;
}

/* The length of the quoted text at p (quote char q, doubled to escape it;
 * backslash escapes too when bs), up to and including its closing quote,
 * or to the end when it has none. */
static size_t quoted_len(const char *p, char q, bool bs)
{
	size_t n = 1;
	while (p[n]) {
		if (bs && p[n] == '\\' && p[n + 1]) {
			n += 2;
		} else if (p[n] == q) {
			if (p[n + 1] != q)
				return n + 1;
			n += 2;
		} else {
			n++;
		}
	}
	return n;
}

/* The length of the nested block comment at p, or to the end. */
static size_t comment_len(const char *p)
{
	size_t n = 2;
	int depth = 1;
	while (p[n] && depth > 0) {
		if (p[n] == '/' && p[n + 1] == '*') {
			depth++;
			n += 2;
		} else if (p[n] == '*' && p[n + 1] == '/') {
			depth--;
			n += 2;
		} else {
			n++;
		}
	}
	return n;
}

char *pg_rewrite_placeholders(const char *sql, int *nparams)
{
	size_t len = strlen(sql), marks = 0, n = 0;
	int count = 0;
	char *out;
	for (const char *p = sql; *p; p++)
		marks += *p == '?';
	/* "?" becomes at most "$65535" */
	out = xmalloc(len + marks * 5 + 1);
	for (const char *p = sql; *p;) {
		size_t span = 1;
		bool after_ident = p > sql && ident_char((unsigned char)p[-1]);
		if (*p == '\'') {
			/* E'..' takes backslash escapes, '..' does not */
			bool esc = p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
				   !(p - 1 > sql &&
				     ident_char((unsigned char)p[-2]));
			span = quoted_len(p, '\'', esc);
		} else if (*p == '"') {
			span = quoted_len(p, '"', false);
		} else if (p[0] == '-' && p[1] == '-') {
			span = strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			span = comment_len(p);
		} else if (*p == '$' && !after_ident && dollar_tag(p)) {
			size_t tag = dollar_tag(p);
			const char *end = p + tag;
			while ((end = strchr(end, '$')) &&
			       strncmp(end, p, tag) != 0)
				end++;
			span = end ? (size_t)(end - p) + tag : strlen(p);
		} else if (*p == '?') {
			if (++count > PG_MAX_PARAMS) {
				free(out);
				*nparams = -1;
				return NULL;
			}
			n += (size_t)snprintf(out + n, 7, "$%d", count);
			p++;
			continue;
		}
		memcpy(out + n, p, span);
		n += span;
		p += span;
	}
	out[n] = '\0';
	*nparams = count;
	return out;
}

/* Appends s[0..len) to out at *n. */
static void put(char *out, size_t *n, const char *s, size_t len)
{
	memcpy(out + *n, s, len);
	*n += len;
}

char *pg_redact_uri(const char *uri)
{
	const char *scheme = strstr(uri, "://");
	const char *auth, *auth_end, *at, *colon, *query;
	char *out = xmalloc(strlen(uri) + 1);
	size_t n = 0;
	if (!scheme) {
		/* not a URI: keep nothing that could hold a password */
		free(out);
		return xstrdup("(connection string)");
	}
	auth = scheme + 3;
	auth_end = auth + strcspn(auth, "/?#");
	put(out, &n, uri, (size_t)(auth - uri));
	at = NULL;
	for (const char *p = auth; p < auth_end; p++)
		if (*p == '@')
			at = p;
	if (at) {
		colon = memchr(auth, ':', (size_t)(at - auth));
		put(out, &n, auth, (size_t)((colon ? colon : at) - auth));
		auth = at;
	}
	put(out, &n, auth, (size_t)(auth_end - auth));
	query = strchr(auth_end, '?');
	if (!query) {
		put(out, &n, auth_end, strlen(auth_end));
		out[n] = '\0';
		return out;
	}
	put(out, &n, auth_end, (size_t)(query - auth_end));
	/* the query: every parameter but password */
	bool first = true;
	for (const char *p = query + 1; *p;) {
		size_t plen = strcspn(p, "&#");
		if (!(plen >= 9 && strncmp(p, "password=", 9) == 0) &&
		    !(plen == 8 && strncmp(p, "password", 8) == 0) && plen) {
			put(out, &n, first ? "?" : "&", 1);
			put(out, &n, p, plen);
			first = false;
		}
		p += plen;
		if (*p == '#') {
			put(out, &n, p, strlen(p));
			break;
		}
		if (*p == '&')
			p++;
	}
	out[n] = '\0';
	return out;
}
