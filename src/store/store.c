/*
 * store.c - the pool, units of work, statement cache and migrations, on top
 * of a driver (driver.h).
 *
 * Readers come from a fixed pool.  Writes go through group commit: one
 * writer thread owns the write connection; store_write() queues its unit of
 * work and sleeps until the writer has run it.  The writer takes every unit
 * waiting (up to BATCH_MAX), opens one write transaction, runs each unit in
 * a savepoint of its own (a unit that fails rolls back to its savepoint and
 * fails alone), commits once - one fsync for the whole batch - and only then
 * wakes each caller with its own result and error.  A failed COMMIT fails
 * every unit of the batch.  Nothing waits on purpose to fill a batch: the
 * units that arrive while one commit is on its way to disk form the next.
 *
 * Statements are cached per connection in a small hash table keyed by SQL
 * text.
 */
#include "store/store.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "store/driver.h"
#include "store/pg_sql.h"
#include "store/schema.h"

struct store_stmt {
	struct store_conn *conn;
	void *handle;
	char *sql;
	struct store_stmt *next_bucket;
	struct store_stmt *next_used; /* on the unit's list of statements */
	bool used;
};

#define STMT_BUCKETS 256

struct store_conn {
	struct store *store;
	void *handle;
	struct store_stmt *buckets[STMT_BUCKETS];
	struct store_stmt *used; /* statements touched in the current unit */
	bool busy;
};

/*
 * The most units one transaction commits.  It bounds what one failed COMMIT
 * takes down with it and how long the last caller of a batch waits behind
 * the others (units take tens to hundreds of microseconds, so 64 of them
 * stay within a few milliseconds, about one fsync); past a few dozen units
 * the fsync is amortised to almost nothing anyway.
 */
#define BATCH_MAX 64

/* a unit of work waiting for the writer thread; lives on the caller's
 * stack until `done` */
struct write_req {
	store_work_fn fn;
	void *ctx;
	struct duban_error *err; /* the caller's, may be NULL */
	duban_result result;
	bool done;
	pthread_cond_t cond;
	struct write_req *next;
};

struct store {
	uint64_t serial; /* store_serial() */
	const struct store_driver *driver;
	struct store_options opt;
	struct store_conn writer;
	struct store_conn *readers;
	int nreaders;
	int readers_busy;
	pthread_mutex_t read_lock;
	pthread_cond_t read_free;
	uint64_t reads, read_waits;
	/* the write queue and the writer thread, under q_lock */
	pthread_mutex_t q_lock;
	pthread_cond_t q_ready;
	struct write_req *q_head, *q_tail;
	pthread_t writer_thread;
	bool writer_started, stopping;
	uint64_t writes, write_failures, batches, commit_ns, commit_ns_max;
};

/*
 * The connection a unit of work runs on in this thread, if any: a unit that
 * calls store_read() or store_write() of its own store must not wait for a
 * connection that it holds itself (see those two).
 */
static _Thread_local struct store_conn *unit_conn;

static uint32_t hash_sql(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void conn_release(struct store_conn *c)
{
	const struct store_driver *d = c->store->driver;
	for (int i = 0; i < STMT_BUCKETS; i++) {
		struct store_stmt *st = c->buckets[i];
		while (st) {
			struct store_stmt *next = st->next_bucket;
			d->finalize(st->handle);
			free(st->sql);
			free(st);
			st = next;
		}
		c->buckets[i] = NULL;
	}
	if (c->handle)
		d->disconnect(c->handle);
	c->handle = NULL;
}

static void *writer_main(void *arg);

void store_free(struct store *s)
{
	if (!s)
		return;
	if (s->writer_started) {
		/* the writer drains the queue before it stops */
		pthread_mutex_lock(&s->q_lock);
		s->stopping = true;
		pthread_cond_signal(&s->q_ready);
		pthread_mutex_unlock(&s->q_lock);
		pthread_join(s->writer_thread, NULL);
	}
	for (int i = 0; i < s->nreaders; i++)
		conn_release(&s->readers[i]);
	conn_release(&s->writer);
	free(s->readers);
	pthread_mutex_destroy(&s->q_lock);
	pthread_cond_destroy(&s->q_ready);
	pthread_mutex_destroy(&s->read_lock);
	pthread_cond_destroy(&s->read_free);
	free(s);
}

/* Starts the writer thread with every signal blocked, so that a process
 * signal (SIGTERM for `duban serve`) goes to the thread that waits for it. */
static duban_result start_writer(struct store *s, struct duban_error *err)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&s->writer_thread, NULL, writer_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return duban_fail(err, DUBAN_E_INTERNAL, NULL,
				  "unable to start the writer thread: %s",
				  strerror(rc));
	s->writer_started = true;
	return DUBAN_OK;
}

static const struct store_driver *driver_for(const char *uri)
{
	if (strncmp(uri, "postgresql://", 13) == 0 ||
	    strncmp(uri, "postgres://", 11) == 0)
		return &store_pg_driver;
	return &store_sqlite_driver;
}

duban_result store_open(const char *uri, const struct store_options *opt,
			struct store **out, struct duban_error *err)
{
	duban_result result = DUBAN_E_STORE;
	static _Atomic uint64_t opened;
	struct store *s = xcalloc(1, sizeof(*s));
	s->serial = ++opened;
	*out = NULL;
	s->driver = driver_for(uri);
	if (!s->driver) {
		result = duban_fail(err, DUBAN_E_INVALID, "db",
				    "no storage driver for '%s' in this build",
				    uri);
		free(s);
		return result;
	}
	if (opt)
		s->opt = *opt;
	if (s->opt.readers <= 0)
		s->opt.readers = 4;
	if (s->opt.busy_timeout_ms <= 0)
		s->opt.busy_timeout_ms = 5000;
	pthread_mutex_init(&s->q_lock, NULL);
	pthread_cond_init(&s->q_ready, NULL);
	pthread_mutex_init(&s->read_lock, NULL);
	pthread_cond_init(&s->read_free, NULL);
	s->writer.store = s;
	s->readers = xcalloc((size_t)s->opt.readers, sizeof(*s->readers));
	result = s->driver->connect(uri, true, &s->opt, &s->writer.handle, err);
	if (result)
		goto out;
	for (int i = 0; i < s->opt.readers; i++) {
		s->readers[i].store = s;
		result = s->driver->connect(uri, false, &s->opt,
					    &s->readers[i].handle, err);
		if (result)
			goto out;
		s->nreaders++;
	}
	if ((result = start_writer(s, err)))
		goto out;
	*out = s;
	s = NULL;
out:
	store_free(s);
	return result;
}

char *store_display_name(const char *uri)
{
	if (strncmp(uri, "postgresql://", 13) == 0 ||
	    strncmp(uri, "postgres://", 11) == 0)
		return pg_redact_uri(uri);
	return xstrdup(uri);
}

const char *store_driver_name(const struct store *s)
{
	return s->driver->name;
}

void store_get_stats(struct store *s, struct store_stats *out)
{
	pthread_mutex_lock(&s->read_lock);
	out->readers = s->nreaders;
	out->readers_busy = s->readers_busy;
	out->reads = s->reads;
	out->read_waits = s->read_waits;
	pthread_mutex_unlock(&s->read_lock);
	pthread_mutex_lock(&s->q_lock);
	out->writes = s->writes;
	out->write_failures = s->write_failures;
	out->write_batches = s->batches;
	out->commit_seconds = (double)s->commit_ns / 1e9;
	out->commit_seconds_max = (double)s->commit_ns_max / 1e9;
	pthread_mutex_unlock(&s->q_lock);
}

struct store *store_conn_store(struct store_conn *c)
{
	return c->store;
}

bool store_conn_writing(const struct store_conn *c)
{
	return c == &c->store->writer;
}

uint64_t store_serial(const struct store *s)
{
	return s->serial;
}

/* Resets every statement the unit touched, so none holds a read cursor. */
static void unit_end(struct store_conn *c)
{
	struct store_stmt *st = c->used;
	while (st) {
		struct store_stmt *next = st->next_used;
		c->store->driver->reset(st->handle);
		st->used = false;
		st->next_used = NULL;
		st = next;
	}
	c->used = NULL;
}

static duban_result run_unit(struct store_conn *c, bool write,
			     store_work_fn fn, void *ctx,
			     struct duban_error *err)
{
	const struct store_driver *d = c->store->driver;
	duban_result result = d->begin(c->handle, write, err);
	if (result)
		return result;
	unit_conn = c;
	result = fn(c, ctx, err);
	unit_conn = NULL;
	unit_end(c);
	if (result == DUBAN_OK)
		result = d->commit(c->handle, err);
	if (result)
		d->rollback(c->handle);
	return result;
}

duban_result store_read(struct store *s, store_work_fn fn, void *ctx,
			struct duban_error *err)
{
	struct store_conn *c = NULL;
	/* inside a unit of work of this store (none should read this way):
	 * read on the connection it already holds, in its transaction, rather
	 * than wait for a reader - the pool could be empty, or the unit the
	 * writer */
	if (unit_conn && unit_conn->store == s)
		return fn(unit_conn, ctx, err);
	pthread_mutex_lock(&s->read_lock);
	if (s->readers_busy == s->nreaders)
		s->read_waits++;
	while (s->readers_busy == s->nreaders)
		pthread_cond_wait(&s->read_free, &s->read_lock);
	for (int i = 0; i < s->nreaders; i++) {
		if (!s->readers[i].busy) {
			c = &s->readers[i];
			break;
		}
	}
	c->busy = true;
	s->readers_busy++;
	s->reads++;
	pthread_mutex_unlock(&s->read_lock);

	duban_result result = run_unit(c, false, fn, ctx, err);

	pthread_mutex_lock(&s->read_lock);
	c->busy = false;
	s->readers_busy--;
	pthread_cond_signal(&s->read_free);
	pthread_mutex_unlock(&s->read_lock);
	return result;
}

/* --- group commit --- */

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void set_error(struct duban_error *dst, const struct duban_error *src)
{
	if (dst)
		*dst = *src;
}

/*
 * Runs one unit in its own savepoint of the open transaction.  *broken says
 * that the transaction itself is lost (a savepoint could not be set or
 * rolled back to): the batch must roll back.
 */
static duban_result run_in_savepoint(struct store *s, struct write_req *w,
				     bool *broken)
{
	const struct store_driver *d = s->driver;
	struct store_conn *c = &s->writer;
	struct duban_error scratch = { 0 };
	duban_result result = d->exec(c->handle, "SAVEPOINT w", &scratch);
	if (result) {
		set_error(w->err, &scratch);
		*broken = true;
		return result;
	}
	unit_conn = c;
	result = w->fn(c, w->ctx, w->err);
	unit_conn = NULL;
	unit_end(c);
	if (result == DUBAN_OK) {
		result = d->exec(c->handle, "RELEASE w", &scratch);
		if (result == DUBAN_OK)
			return DUBAN_OK;
		set_error(w->err, &scratch);
	}
	if (d->exec(c->handle, "ROLLBACK TO w", &scratch) ||
	    d->exec(c->handle, "RELEASE w", &scratch))
		*broken = true;
	return result;
}

/* Fails the units in [from, to) that had succeeded: their work is gone. */
static void fail_done(struct write_req **b, size_t from, size_t to,
		      duban_result result, const struct duban_error *e)
{
	for (size_t i = from; i < to; i++) {
		if (b[i]->result != DUBAN_OK)
			continue; /* rolled back already, with its own error */
		b[i]->result = result;
		set_error(b[i]->err, e);
	}
}

/* Runs a batch: one transaction, a savepoint per unit, one COMMIT.  When
 * the transaction breaks midway, the units before the break fail and the
 * rest go on in a new transaction. */
static void run_batch(struct store *s, struct write_req **b, size_t n,
		      uint64_t *commit_ns)
{
	const struct store_driver *d = s->driver;
	void *h = s->writer.handle;
	size_t start = 0;
	while (start < n) {
		struct duban_error e = { 0 };
		bool broken = false;
		size_t i;
		duban_result result = d->begin(h, true, &e);
		if (result) {
			for (i = start; i < n; i++) {
				b[i]->result = result;
				set_error(b[i]->err, &e);
			}
			return;
		}
		for (i = start; i < n && !broken; i++)
			b[i]->result = run_in_savepoint(s, b[i], &broken);
		if (broken) {
			d->rollback(h);
			duban_fail(&e, DUBAN_E_UNAVAILABLE, NULL,
				   "the write transaction failed, try again");
			fail_done(b, start, i, DUBAN_E_UNAVAILABLE, &e);
			start = i;
			continue;
		}
		uint64_t t0 = now_ns();
		result = d->commit(h, &e);
		*commit_ns += now_ns() - t0;
		if (result) {
			d->rollback(h);
			fail_done(b, start, i, result, &e);
		}
		start = i;
	}
}

static void *writer_main(void *arg)
{
	struct store *s = arg;
	struct write_req *batch[BATCH_MAX];
	pthread_setname_np(pthread_self(), "duban-writer");
	pthread_mutex_lock(&s->q_lock);
	for (;;) {
		size_t n = 0;
		uint64_t commit_ns = 0;
		while (!s->q_head && !s->stopping)
			pthread_cond_wait(&s->q_ready, &s->q_lock);
		if (!s->q_head)
			break; /* stopping, and nothing left */
		while (s->q_head && n < BATCH_MAX) {
			batch[n++] = s->q_head;
			s->q_head = s->q_head->next;
		}
		if (!s->q_head)
			s->q_tail = NULL;
		pthread_mutex_unlock(&s->q_lock);

		run_batch(s, batch, n, &commit_ns);

		pthread_mutex_lock(&s->q_lock);
		s->batches++;
		s->commit_ns += commit_ns;
		if (commit_ns > s->commit_ns_max)
			s->commit_ns_max = commit_ns;
		for (size_t i = 0; i < n; i++) {
			s->writes++;
			if (batch[i]->result)
				s->write_failures++;
			/* the caller frees it once it sees done, which it can
			 * only look at after we let go of q_lock */
			batch[i]->done = true;
			pthread_cond_signal(&batch[i]->cond);
		}
	}
	pthread_mutex_unlock(&s->q_lock);
	return NULL;
}

duban_result store_write(struct store *s, store_work_fn fn, void *ctx,
			 struct duban_error *err)
{
	struct write_req w = { fn, ctx, err, DUBAN_OK, false,
			       PTHREAD_COND_INITIALIZER, NULL };
	/* a write unit that writes again would wait for itself */
	if (unit_conn == &s->writer) {
		LOG(LOG_ERROR, "store_write() called inside a write unit");
		return duban_fail(err, DUBAN_E_INTERNAL, NULL,
				  "nested write unit");
	}
	pthread_mutex_lock(&s->q_lock);
	if (s->q_tail)
		s->q_tail->next = &w;
	else
		s->q_head = &w;
	s->q_tail = &w;
	pthread_cond_signal(&s->q_ready);
	while (!w.done)
		pthread_cond_wait(&w.cond, &s->q_lock);
	pthread_mutex_unlock(&s->q_lock);
	pthread_cond_destroy(&w.cond);
	return w.result;
}

static store_sql_hook prepare_hook;
static void *prepare_hook_arg;

void store_set_prepare_hook(store_sql_hook fn, void *arg)
{
	prepare_hook = fn;
	prepare_hook_arg = arg;
}

duban_result store_prepare(struct store_conn *c, const char *sql,
			   struct store_stmt **out, struct duban_error *err)
{
	const struct store_driver *d = c->store->driver;
	uint32_t b = hash_sql(sql) % STMT_BUCKETS;
	struct store_stmt *st;
	for (st = c->buckets[b]; st; st = st->next_bucket)
		if (strcmp(st->sql, sql) == 0)
			break;
	if (!st) {
		void *h = NULL;
		duban_result result = d->prepare(c->handle, sql, &h, err);
		if (result)
			return result;
		st = xcalloc(1, sizeof(*st));
		st->conn = c;
		st->handle = h;
		st->sql = xstrdup(sql);
		st->next_bucket = c->buckets[b];
		c->buckets[b] = st;
		if (prepare_hook)
			prepare_hook(prepare_hook_arg, sql);
	} else {
		d->reset(st->handle);
	}
	if (!st->used) {
		st->used = true;
		st->next_used = c->used;
		c->used = st;
	}
	*out = st;
	return DUBAN_OK;
}

void store_bind_int(struct store_stmt *st, int idx, int64_t v)
{
	st->conn->store->driver->bind_int(st->handle, idx, v);
}

void store_bind_double(struct store_stmt *st, int idx, double v)
{
	st->conn->store->driver->bind_double(st->handle, idx, v);
}

void store_bind_text(struct store_stmt *st, int idx, const char *s,
		     size_t len)
{
	st->conn->store->driver->bind_text(st->handle, idx, s, len);
}

void store_bind_str(struct store_stmt *st, int idx, const char *s)
{
	if (s)
		store_bind_text(st, idx, s, strlen(s));
	else
		store_bind_null(st, idx);
}

void store_bind_null(struct store_stmt *st, int idx)
{
	st->conn->store->driver->bind_null(st->handle, idx);
}

duban_result store_step(struct store_stmt *st, bool *row,
			struct duban_error *err)
{
	return st->conn->store->driver->step(st->handle, row, err);
}

bool store_col_null(struct store_stmt *st, int col)
{
	return st->conn->store->driver->col_null(st->handle, col);
}

int64_t store_col_int(struct store_stmt *st, int col)
{
	return st->conn->store->driver->col_int(st->handle, col);
}

double store_col_double(struct store_stmt *st, int col)
{
	return st->conn->store->driver->col_double(st->handle, col);
}

const char *store_col_text(struct store_stmt *st, int col)
{
	return st->conn->store->driver->col_text(st->handle, col);
}

size_t store_col_len(struct store_stmt *st, int col)
{
	return st->conn->store->driver->col_len(st->handle, col);
}

void store_reset(struct store_stmt *st)
{
	st->conn->store->driver->reset(st->handle);
}

duban_result store_exec(struct store_conn *c, const char *sql,
			struct duban_error *err)
{
	return c->store->driver->exec(c->handle, sql, err);
}

duban_result store_run(struct store_stmt *st, struct duban_error *err)
{
	bool row;
	duban_result result = store_step(st, &row, err);
	store_reset(st);
	return result;
}

duban_result store_one_int(struct store_stmt *st, int64_t *out, bool *found,
			   struct duban_error *err)
{
	bool row = false;
	duban_result result = store_step(st, &row, err);
	if (result == DUBAN_OK && row)
		*out = store_col_int(st, 0);
	if (found)
		*found = row;
	store_reset(st);
	return result;
}

int64_t store_changes(struct store_conn *c)
{
	return c->store->driver->changes(c->handle);
}

/* --- migrations --- */

/* Replaces @TOKEN@ with the driver's dialect for it. */
static char *dialect_sql(const struct store_driver *d, const char *sql)
{
	size_t cap = strlen(sql) * 2 + 64, n = 0;
	char *out = xmalloc(cap);
	for (const char *p = sql; *p;) {
		const char *end = NULL;
		const char *rep = NULL;
		size_t rlen = 1;
		if (*p == '@' && (end = strchr(p + 1, '@')) && end - p < 32) {
			char tok[32];
			memcpy(tok, p + 1, (size_t)(end - p - 1));
			tok[end - p - 1] = '\0';
			rep = d->dialect(tok);
		}
		if (rep) {
			rlen = strlen(rep);
		} else {
			rep = p;
			end = p;
		}
		if (n + rlen + 1 > cap) {
			cap = (n + rlen + 1) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + n, rep, rlen);
		n += rlen;
		p = end + 1;
	}
	out[n] = '\0';
	return out;
}

struct migrate_ctx {
	int from, to;
};

static duban_result read_version(struct store_conn *c, int *out,
				 struct duban_error *err)
{
	struct store_stmt *st;
	int64_t v = 0;
	bool found = false;
	duban_result result = store_exec(
		c,
		"CREATE TABLE IF NOT EXISTS schema_version "
		"(version INTEGER NOT NULL)",
		err);
	if (result)
		return result;
	result = store_prepare(c, "SELECT max(version) FROM schema_version",
			       &st, err);
	if (result)
		return result;
	result = store_one_int(st, &v, &found, err);
	*out = (int)v;
	return result;
}

static duban_result migrate_unit(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct migrate_ctx *m = ctx;
	const struct store_driver *d = c->store->driver;
	int version = 0;
	duban_result result = read_version(c, &version, err);
	if (result)
		return result;
	m->from = m->to = version;
	for (const struct schema_migration *mg = schema_migrations; mg->version;
	     mg++) {
		if (mg->version <= version)
			continue;
		const char *parts[2] = { mg->sql, NULL };
		if (strcmp(d->name, "sqlite") == 0)
			parts[1] = mg->sqlite_sql;
		else
			parts[1] = mg->pg_sql;
		for (int i = 0; i < 2; i++) {
			if (!parts[i])
				continue;
			char *sql = dialect_sql(d, parts[i]);
			result = store_exec(c, sql, err);
			free(sql);
			if (result)
				return result;
		}
		struct store_stmt *st;
		result = store_prepare(
			c, "INSERT INTO schema_version (version) VALUES (?)",
			&st, err);
		if (result)
			return result;
		store_bind_int(st, 1, mg->version);
		result = store_run(st, err);
		if (result)
			return result;
		LOG(LOG_INFO, "schema migrated to version %d", mg->version);
		m->to = mg->version;
	}
	return DUBAN_OK;
}

duban_result store_migrate(struct store *s, int *from, int *to,
			   struct duban_error *err)
{
	struct migrate_ctx m = { 0, 0 };
	duban_result result = store_write(s, migrate_unit, &m, err);
	if (from)
		*from = m.from;
	if (to)
		*to = m.to;
	return result;
}

static duban_result version_unit(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	return read_version(c, ctx, err);
}

duban_result store_schema_version(struct store *s, int *out,
				  struct duban_error *err)
{
	*out = 0;
	return store_write(s, version_unit, out, err);
}

int store_schema_latest(void)
{
	int v = 0;
	for (const struct schema_migration *mg = schema_migrations; mg->version;
	     mg++)
		v = mg->version;
	return v;
}
