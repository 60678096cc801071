/*
 * Unit tests: group commit.  Many callers write at once; each unit runs in
 * its own savepoint of a shared transaction, so a failing one rolls back
 * alone, every other one commits, and each caller gets its own result and
 * error.  A failing COMMIT fails the whole batch.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "testdb.h"

#define NTHREADS 16
#define PER_THREAD 40

/* one write: a unit with code "T<thread>-<seq>"; `fail` inserts it and
 * then fails, so the row must vanish with the unit's savepoint */
struct unit_write {
	int thread, seq;
	bool fail;
	bool dangling; /* a parent that does not exist, checked at COMMIT */
	int64_t id;    /* the id the unit inserted, set by the unit */
	int64_t *sleep_ms;
};

static duban_result insert_unit(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct unit_write *w = ctx;
	struct store_stmt *st;
	char code[32];
	duban_result result;
	if (w->dangling &&
	    (result = store_exec(c, "PRAGMA defer_foreign_keys = ON", err)))
		return result;
	result = store_prepare(
		c,
		"INSERT INTO units (name, kind, code, path, depth, parent_id,"
		" created_at) VALUES ('x', 'city', ?, '/', 0, ?, 0) RETURNING id",
		&st, err);
	if (result)
		return result;
	snprintf(code, sizeof(code), "T%d-%d", w->thread, w->seq);
	store_bind_str(st, 1, code);
	if (w->dangling)
		store_bind_int(st, 2, 987654321);
	else
		store_bind_null(st, 2);
	if ((result = store_one_int(st, &w->id, NULL, err)))
		return result;
	if (w->sleep_ms && *w->sleep_ms)
		usleep((useconds_t)(*w->sleep_ms * 1000));
	if (w->fail)
		return duban_fail(err, DUBAN_E_INVALID, "seq",
				  "unit %d/%d refused", w->thread, w->seq);
	return DUBAN_OK;
}

struct code_query {
	const char *code;
	int64_t id;
	bool found;
};

static duban_result find_code(struct store_conn *c, void *ctx,
			      struct duban_error *err)
{
	struct code_query *q = ctx;
	struct store_stmt *st;
	duban_result result = store_prepare(
		c, "SELECT id FROM units WHERE code = ?", &st, err);
	if (result)
		return result;
	store_bind_str(st, 1, q->code);
	return store_one_int(st, &q->id, &q->found, err);
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

struct writer_arg {
	struct store *store;
	int thread;
	duban_result results[PER_THREAD];
	struct duban_error errs[PER_THREAD];
	int64_t ids[PER_THREAD];
};

/* thread 3 fails every write; every seventh write of the others fails */
static bool should_fail(int thread, int seq)
{
	return thread == 3 || seq % 7 == 5;
}

static void *writer(void *p)
{
	struct writer_arg *a = p;
	for (int i = 0; i < PER_THREAD; i++) {
		struct unit_write w = { a->thread, i, should_fail(a->thread, i),
					false, 0, NULL };
		a->results[i] = store_write(a->store, insert_unit, &w,
					    &a->errs[i]);
		a->ids[i] = w.id;
	}
	return NULL;
}

static void test_concurrent_writers_one_failing(void **state)
{
	struct testdb t;
	pthread_t th[NTHREADS];
	static struct writer_arg args[NTHREADS];
	struct store_stats before, after;
	int64_t n = -1, expect = 0;
	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	store_get_stats(t.store, &before);
	for (int i = 0; i < NTHREADS; i++) {
		memset(&args[i], 0, sizeof(args[i]));
		args[i].store = t.store;
		args[i].thread = i;
		assert_int_equal(pthread_create(&th[i], NULL, writer, &args[i]),
				 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	store_get_stats(t.store, &after);
	for (int i = 0; i < NTHREADS; i++) {
		for (int k = 0; k < PER_THREAD; k++) {
			struct code_query q = { NULL, 0, false };
			char code[32];
			snprintf(code, sizeof(code), "T%d-%d", i, k);
			q.code = code;
			assert_int_equal(store_read(t.store, find_code, &q,
						    NULL),
					 DUBAN_OK);
			if (should_fail(i, k)) {
				/* its own result and its own message */
				char msg[64];
				assert_int_equal(args[i].results[k],
						 DUBAN_E_INVALID);
				snprintf(msg, sizeof(msg), "unit %d/%d refused",
					 i, k);
				assert_string_equal(args[i].errs[k].message,
						    msg);
				assert_string_equal(args[i].errs[k].field,
						    "seq");
				assert_false(q.found);
			} else {
				assert_int_equal(args[i].results[k], DUBAN_OK);
				assert_true(q.found);
				/* the id the caller saw is its own row's */
				assert_int_equal(q.id, args[i].ids[k]);
				expect++;
			}
		}
	}
	assert_int_equal(store_read(t.store, count_units, &n, NULL), DUBAN_OK);
	assert_int_equal(n, expect);
	assert_int_equal(after.writes - before.writes, NTHREADS * PER_THREAD);
	assert_int_equal(after.write_failures - before.write_failures,
			 NTHREADS * PER_THREAD - expect);
	assert_true(after.write_batches - before.write_batches <=
		    after.writes - before.writes);
	print_message("%llu writes in %llu batches\n",
		      (unsigned long long)(after.writes - before.writes),
		      (unsigned long long)(after.write_batches -
					   before.write_batches));
	testdb_close(&t);
}

/* --- one batch, deterministically: a slow unit holds the writer while
 * the others queue up behind it --- */

#define NQUEUED 10

struct queued_arg {
	struct store *store;
	struct unit_write w;
	struct duban_error err;
	duban_result result;
};

static void *queued_writer(void *p)
{
	struct queued_arg *a = p;
	a->result = store_write(a->store, insert_unit, &a->w, &a->err);
	return NULL;
}

static void *slow_writer(void *p)
{
	return queued_writer(p);
}

/* Starts the slow unit, then NQUEUED units that wait behind it (and so
 * form the next batch), and waits for them all. */
static void run_queued(struct store *s, struct queued_arg *slow,
		       struct queued_arg *q, int64_t sleep_ms)
{
	pthread_t ts, tq[NQUEUED];
	struct store_stats st;
	static int64_t slow_ms;
	slow_ms = sleep_ms;
	slow->store = s;
	slow->w.sleep_ms = &slow_ms;
	store_get_stats(s, &st);
	uint64_t writes0 = st.writes;
	assert_int_equal(pthread_create(&ts, NULL, slow_writer, slow), 0);
	/* let the slow unit reach the writer before the others queue */
	usleep(50000);
	for (int i = 0; i < NQUEUED; i++) {
		q[i].store = s;
		assert_int_equal(pthread_create(&tq[i], NULL, queued_writer,
						&q[i]),
				 0);
	}
	pthread_join(ts, NULL);
	for (int i = 0; i < NQUEUED; i++)
		pthread_join(tq[i], NULL);
	store_get_stats(s, &st);
	assert_int_equal(st.writes - writes0, NQUEUED + 1);
}

static void test_one_batch_one_failure(void **state)
{
	struct testdb t;
	struct queued_arg slow, q[NQUEUED];
	struct store_stats before, after;
	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	memset(&slow, 0, sizeof(slow));
	memset(q, 0, sizeof(q));
	slow.w = (struct unit_write){ 100, 0, false, false, 0, NULL };
	for (int i = 0; i < NQUEUED; i++)
		q[i].w = (struct unit_write){ 101, i, i == 4, false, 0, NULL };
	store_get_stats(t.store, &before);
	run_queued(t.store, &slow, q, 400);
	store_get_stats(t.store, &after);
	/* the slow unit's batch, then (nearly always) one for the rest */
	print_message("%llu batches for %d units\n",
		      (unsigned long long)(after.write_batches -
					   before.write_batches),
		      NQUEUED + 1);
	assert_true(after.write_batches - before.write_batches <= 3);
	assert_int_equal(slow.result, DUBAN_OK);
	for (int i = 0; i < NQUEUED; i++) {
		struct code_query cq = { NULL, 0, false };
		char code[32];
		snprintf(code, sizeof(code), "T101-%d", i);
		cq.code = code;
		assert_int_equal(store_read(t.store, find_code, &cq, NULL),
				 DUBAN_OK);
		if (i == 4) {
			assert_int_equal(q[i].result, DUBAN_E_INVALID);
			assert_string_equal(q[i].err.message,
					    "unit 101/4 refused");
			assert_false(cq.found);
		} else {
			assert_int_equal(q[i].result, DUBAN_OK);
			assert_int_equal(q[i].err.result, DUBAN_OK);
			assert_true(cq.found);
			assert_int_equal(cq.id, q[i].w.id);
		}
	}
	testdb_close(&t);
}

static void test_failed_commit_fails_the_batch(void **state)
{
	struct testdb t;
	struct queued_arg slow, q[NQUEUED];
	int64_t n = -1;
	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	memset(&slow, 0, sizeof(slow));
	memset(q, 0, sizeof(q));
	slow.w = (struct unit_write){ 200, 0, false, false, 0, NULL };
	/* one unit defers its foreign key check to COMMIT, where it fails:
	 * every unit of that transaction fails with it */
	for (int i = 0; i < NQUEUED; i++)
		q[i].w = (struct unit_write){ 201, i, false, i == 6, 0, NULL };
	run_queued(t.store, &slow, q, 400);
	assert_int_equal(slow.result, DUBAN_OK);
	int failed = 0;
	for (int i = 0; i < NQUEUED; i++) {
		if (q[i].result == DUBAN_OK)
			continue;
		failed++;
		assert_int_equal(q[i].result, DUBAN_E_INVALID);
		assert_string_equal(q[i].err.code, "bad_reference");
	}
	assert_int_equal(q[6].result, DUBAN_E_INVALID);
	/* what failed is gone, what succeeded is there */
	assert_int_equal(store_read(t.store, count_units, &n, NULL), DUBAN_OK);
	assert_int_equal(n, 1 + NQUEUED - failed);
	print_message("%d of %d units failed with the COMMIT\n", failed,
		      NQUEUED);
	/* the batch of ten committed together: they all fail (unless the
	 * scheduler split them, then at least the dangling one) */
	assert_true(failed >= 1);
	/* and the store writes on */
	struct unit_write w = { 202, 0, false, false, 0, NULL };
	assert_int_equal(store_write(t.store, insert_unit, &w, NULL), DUBAN_OK);
	testdb_close(&t);
}

/* --- units that call back into the store --- */

static duban_result read_inside(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	static int seq;
	int64_t *n = ctx;
	struct unit_write w = { 300, seq++, false, false, 0, NULL };
	duban_result result = insert_unit(c, &w, err);
	if (result)
		return result;
	/* a read inside a write unit sees the unit's own row and does not
	 * wait for the (single, held) reader */
	return store_read(store_conn_store(c), count_units, n, err);
}

static duban_result write_inside(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct unit_write w = { 301, 0, false, false, 0, NULL };
	(void)ctx;
	return store_write(store_conn_store(c), insert_unit, &w, err);
}

static duban_result hold_reader(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	/* a read unit that writes, holding the only reader meanwhile */
	struct duban_error e = { 0 };
	int64_t n = -1;
	(void)c;
	duban_result *out = ctx;
	*out = store_write(store_conn_store(c), read_inside, &n, &e);
	(void)err;
	return DUBAN_OK;
}

static void test_reentrant_units_do_not_deadlock(void **state)
{
	struct testdb t;
	struct store_options opt = { .readers = 1 };
	struct duban_error err = { 0 };
	int64_t n = -1;
	duban_result inner = -1;
	(void)state;
	snprintf(t.dir, sizeof(t.dir), "/tmp/duban-unit-XXXXXX");
	assert_non_null(mkdtemp(t.dir));
	snprintf(t.path, sizeof(t.path), "%s/t.db", t.dir);
	assert_int_equal(store_open(t.path, &opt, &t.store, NULL), DUBAN_OK);
	assert_int_equal(store_migrate(t.store, NULL, NULL, NULL), DUBAN_OK);
	assert_int_equal(store_write(t.store, read_inside, &n, &err),
			 DUBAN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_write(t.store, write_inside, NULL, &err),
			 DUBAN_E_INTERNAL);
	/* the reader is held by a read unit that writes, and that write
	 * reads: still no deadlock */
	assert_int_equal(store_read(t.store, hold_reader, &inner, &err),
			 DUBAN_OK);
	assert_int_equal(inner, DUBAN_OK);
	assert_int_equal(store_read(t.store, count_units, &n, NULL), DUBAN_OK);
	assert_int_equal(n, 2);
	testdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_writers_one_failing),
		cmocka_unit_test(test_one_batch_one_failure),
		cmocka_unit_test(test_failed_commit_fails_the_batch),
		cmocka_unit_test(test_reentrant_units_do_not_deadlock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
