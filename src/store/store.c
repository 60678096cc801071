/*
 * store.c - the pool, units of work, statement cache and migrations, on top
 * of a driver (driver.h).
 *
 * One writer connection, guarded by a mutex, runs write units one at a time;
 * readers come from a fixed pool.  Statements are cached per connection in a
 * small hash table keyed by SQL text.
 */
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xalloc.h"
#include "store/driver.h"
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

struct store {
	const struct store_driver *driver;
	struct store_options opt;
	struct store_conn writer;
	pthread_mutex_t write_lock;
	struct store_conn *readers;
	int nreaders;
	int readers_busy;
	pthread_mutex_t read_lock;
	pthread_cond_t read_free;
	uint64_t reads, writes, write_failures, read_waits;
};

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

void store_free(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nreaders; i++)
		conn_release(&s->readers[i]);
	conn_release(&s->writer);
	free(s->readers);
	pthread_mutex_destroy(&s->write_lock);
	pthread_mutex_destroy(&s->read_lock);
	pthread_cond_destroy(&s->read_free);
	free(s);
}

static const struct store_driver *driver_for(const char *uri)
{
	if (strncmp(uri, "postgresql://", 13) == 0 ||
	    strncmp(uri, "postgres://", 11) == 0)
		return NULL; /* filled in when the PostgreSQL driver lands */
	return &store_sqlite_driver;
}

duban_result store_open(const char *uri, const struct store_options *opt,
			struct store **out, struct duban_error *err)
{
	duban_result result = DUBAN_E_STORE;
	struct store *s = xcalloc(1, sizeof(*s));
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
	pthread_mutex_init(&s->write_lock, NULL);
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
	*out = s;
	s = NULL;
out:
	store_free(s);
	return result;
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
	pthread_mutex_lock(&s->write_lock);
	out->writes = s->writes;
	out->write_failures = s->write_failures;
	pthread_mutex_unlock(&s->write_lock);
}

struct store *store_conn_store(struct store_conn *c)
{
	return c->store;
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
	result = fn(c, ctx, err);
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

duban_result store_write(struct store *s, store_work_fn fn, void *ctx,
			 struct duban_error *err)
{
	pthread_mutex_lock(&s->write_lock);
	duban_result result = run_unit(&s->writer, true, fn, ctx, err);
	s->writes++;
	if (result)
		s->write_failures++;
	pthread_mutex_unlock(&s->write_lock);
	return result;
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
