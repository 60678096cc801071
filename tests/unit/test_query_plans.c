/*
 * Unit tests: every filter of API.md has an index.  The business
 * operations behind the hot reads (the task list and each of its filters,
 * one task, lights, roll-ups, reports, the problem list and each of its
 * filters, the ledger) run on a small database while a hook records every
 * SQL text they prepare; then each of those statements goes through
 * EXPLAIN QUERY PLAN, and no plan may read a big table whole (`SCAN
 * tasks`, `SCAN t USING INDEX ...`, an automatic index, ...).  Task
 * trees both dense and sparse in ids are read, since the lights' loader
 * picks its queries by that.  The database has no
 * sqlite_stat1, as in production, so the plans are the ones a province's
 * database gets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "app/campaigns.h"
#include "app/problems.h"
#include "app/tasks.h"
#include "app/units.h"
#include "app/workcal.h"
#include "base/date.h"
#include "testdb.h"

/* the tables that grow with a province: a plan may only SEARCH them */
static const char *const big_tables[] = {
	"tasks",      "reports",  "report_values", "milestones", "indicators",
	"audit_log",  "problems", "problem_events", "task_co_units", NULL,
};

/* statements that read a big table whole on purpose, and why */
static const struct {
	const char *sql_start;
	const char *why;
} allowed[] = {
	{ "SELECT id, at, actor_id, actor, client_addr, entity,",
	  "audit verify reads the whole chain" },
	{ "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
	  "the chain head: one step from the end of the rowid b-tree" },
	{ NULL, NULL },
};

/*
 * statements that read a whole campaign's rows in an order and stream
 * them: they may sort a unit's rows at a time ("RIGHT PART OF ORDER
 * BY"), never the whole result, which would hold it all in memory
 */
static const char *const streamed[] = {
	"SELECT u.name, p.source, p.category, p.description,", /* ledger */
	NULL,
};

static bool is_streamed(const char *sql)
{
	for (int i = 0; streamed[i]; i++)
		if (strncmp(sql, streamed[i], strlen(streamed[i])) == 0)
			return true;
	return false;
}

#define MAX_SQL 512

struct captured {
	char *sql[MAX_SQL];
	int n;
};

static void capture(void *arg, const char *sql)
{
	struct captured *c = arg;
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->sql[i], sql) == 0)
			return;
	if (c->n < MAX_SQL)
		c->sql[c->n++] = strdup(sql);
}

static bool is_big(const char *table)
{
	for (int i = 0; big_tables[i]; i++)
		if (strcmp(big_tables[i], table) == 0)
			return true;
	return false;
}

static bool allowed_whole(const char *sql)
{
	for (int i = 0; allowed[i].sql_start; i++)
		if (strncmp(sql, allowed[i].sql_start,
			    strlen(allowed[i].sql_start)) == 0)
			return true;
	return false;
}

/*
 * "SCAN tasks", "SCAN t", "SCAN t USING INDEX x", "SCAN t USING COVERING
 * INDEX x": a whole table or index.  The alias is resolved through the
 * FROM clause: "tasks t", "JOIN tasks t".  Returns the big table scanned or
 * NULL.
 */
static const char *scanned_big_table(const char *sql, const char *detail)
{
	static char name[64];
	const char *p = strncmp(detail, "SCAN ", 5) == 0 ? detail + 5 : NULL;
	size_t n;
	/* an automatic index is built by reading the table whole */
	if (!p && strncmp(detail, "SEARCH ", 7) == 0 &&
	    strstr(detail, "AUTOMATIC"))
		p = detail + 7;
	if (!p)
		return NULL;
	n = strcspn(p, " ");
	if (n == 0 || n >= sizeof(name))
		return NULL;
	memcpy(name, p, n);
	name[n] = '\0';
	if (is_big(name))
		return name;
	/* an alias: find "<table> <alias>" in the SQL */
	for (int i = 0; big_tables[i]; i++) {
		char pat[96];
		snprintf(pat, sizeof(pat), "%s %s", big_tables[i], name);
		const char *hit = strstr(sql, pat);
		while (hit) {
			char after = hit[strlen(pat)];
			bool word = (hit == sql || hit[-1] == ' ') &&
				    (after == ' ' || after == '\0' ||
				     after == ',' || after == ')');
			if (word)
				return big_tables[i];
			hit = strstr(hit + 1, pat);
		}
	}
	return NULL;
}

static int check_plans(const char *db_path, struct captured *c)
{
	sqlite3 *db = NULL;
	int bad = 0;
	/* DUBAN_PLANS=1 prints every statement with its plan */
	bool verbose = getenv("DUBAN_PLANS") != NULL;
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY,
					 NULL),
			 SQLITE_OK);
	for (int i = 0; i < c->n; i++) {
		const char *sql = c->sql[i];
		char *q;
		sqlite3_stmt *st = NULL;
		if (strncmp(sql, "SELECT", 6) != 0 &&
		    strncmp(sql, "UPDATE", 6) != 0 &&
		    strncmp(sql, "DELETE", 6) != 0 &&
		    strncmp(sql, "INSERT", 6) != 0)
			continue;
		q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
		int rc = sqlite3_prepare_v2(db, q, -1, &st, NULL);
		if (rc != SQLITE_OK)
			fail_msg("EXPLAIN %s: %s", sql, sqlite3_errmsg(db));
		if (verbose)
			print_message("%s\n", sql);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *detail =
				(const char *)sqlite3_column_text(st, 3);
			if (verbose)
				print_message("    %s\n", detail);
			const char *t = scanned_big_table(sql, detail);
			if (t && !allowed_whole(sql)) {
				print_error("full scan of %s (%s) in:\n  %s\n",
					    t, detail, sql);
				bad++;
			}
			if (is_streamed(sql) &&
			    strcmp(detail, "USE TEMP B-TREE FOR ORDER BY") ==
				    0) {
				print_error("sorts its whole result:\n  %s\n",
					    sql);
				bad++;
			}
		}
		sqlite3_finalize(st);
		sqlite3_free(q);
	}
	sqlite3_close(db);
	return bad;
}

/* --- a small data set through the business operations --- */

static int64_t id_of(json_t *o)
{
	int64_t id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	return id;
}

static int64_t make_unit(struct store *s, const struct actor *a,
			 int64_t parent, const char *kind, const char *code)
{
	json_t *in = json_pack("{s:s, s:s, s:I, s:s}", "name", code, "kind",
			       kind, "parent_id", (json_int_t)parent, "code",
			       code);
	json_t *out = NULL;
	struct duban_error err = { 0 };
	duban_result result = unit_create(s, a, in, &out, &err);
	json_decref(in);
	if (result)
		fail_msg("unit %s: %s", code, err.message);
	return id_of(out);
}

static duban_result count_row(const struct ledger_row *r, void *ctx,
			      struct duban_error *err)
{
	(void)r;
	(void)err;
	++*(size_t *)ctx;
	return DUBAN_OK;
}

static void test_filters_use_indexes(void **state)
{
	struct testdb t;
	struct actor sys;
	struct duban_error err = { 0 };
	static struct captured cap;
	json_t *in, *out = NULL;
	int64_t root = 0;
	(void)state;
	/* the writes too: creating, reporting, the audit trail */
	store_set_prepare_hook(capture, &cap);
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(workcal_load(t.store, &err), DUBAN_OK);
	actor_system(&sys, "test");
	assert_int_equal(unit_create_root(t.store, "root", "office", "ROOT",
					  &root, &err),
			 DUBAN_OK);
	int64_t city = make_unit(t.store, &sys, root, "city", "C1");
	int64_t county = make_unit(t.store, &sys, city, "county", "K1");

	in = json_pack(
		"{s:s, s:I, s:s, s:s, s:[{s:s, s:s, s:s}],"
		" s:[{s:s, s:s, s:i}], s:[s]}",
		"title", "c", "unit_id", (json_int_t)city, "starts_on",
		"2021-01-01", "ends_on", "2021-12-31", "phases", "name", "p",
		"starts_on", "2021-01-01", "ends_on", "2021-12-31",
		"categories", "code", "ZDGJ", "name", "重点攻坚",
		"planned_tasks", 3, "themes", "不能为");
	if (campaign_create(t.store, &sys, in, &out, &err))
		fail_msg("campaign: %s", err.message);
	json_decref(in);
	int64_t campaign = id_of(out);

	/* campaign A: a task P, ten more, then (after forty tasks of
	 * campaign B) a subtask of P - so P's subtree and A itself are sparse
	 * in ids; each task of A reports on its indicator */
	in = json_pack("{s:s, s:I, s:s, s:s, s:[{s:s, s:s, s:s}],"
		       " s:[{s:s, s:s, s:i}], s:[s]}",
		       "title", "b", "unit_id", (json_int_t)city, "starts_on",
		       "2021-01-01", "ends_on", "2021-12-31", "phases", "name",
		       "p", "starts_on", "2021-01-01", "ends_on", "2021-12-31",
		       "categories", "code", "ZDGJ", "name", "重点攻坚",
		       "planned_tasks", 3, "themes", "不能为");
	if (campaign_create(t.store, &sys, in, &out, &err))
		fail_msg("campaign: %s", err.message);
	json_decref(in);
	int64_t campaign_b = id_of(out);
	int64_t parent = 0, task = 0;
	for (int i = 0; i < 52; i++) {
		bool in_b = i >= 11 && i < 51;
		in = json_pack(
			"{s:I, s:s, s:s, s:I, s:[], s:[], s:s, s:s,"
			" s:[{s:s, s:s, s:f, s:s}], s:[{s:s, s:s}]}",
			"campaign_id",
			(json_int_t)(in_b ? campaign_b : campaign),
			"category_code", "ZDGJ", "title", "t", "lead_unit_id",
			(json_int_t)county, "co_unit_ids", "team",
			"starts_on", "2021-01-01", "due_on", "2021-12-31",
			"indicators", "name", "n", "comparator", ">=",
			"target", 100.0, "unit", "%", "milestones", "title",
			"m", "due_on", "2021-06-30");
		if (i == 51)
			json_object_set_new(in, "parent_id",
					    json_integer(parent));
		if (task_create(t.store, &sys, in, &out, &err))
			fail_msg("task: %s", err.message);
		json_decref(in);
		json_t *inds = json_object_get(out, "indicators");
		int64_t ind = json_integer_value(
			json_object_get(json_array_get(inds, 0), "id"));
		task = id_of(out);
		if (!parent)
			parent = task;
		if (in_b)
			continue;
		in = json_pack("{s:s, s:s, s:[{s:I, s:f}]}", "period",
			       "2021-02", "summary", "s", "indicator_values",
			       "indicator_id", (json_int_t)ind, "value", 50.0);
		if (report_submit(t.store, &sys, task, in, &out, &err))
			fail_msg("report: %s", err.message);
		json_decref(in);
		json_decref(out);
	}
	in = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "campaign_id",
		       (json_int_t)campaign, "unit_id", (json_int_t)county,
		       "source", "self", "description", "d", "found_on",
		       "2021-03-01", "due_on", "2021-04-01");
	if (problem_create(t.store, &sys, in, &out, &err))
		fail_msg("problem: %s", err.message);
	json_decref(in);
	int64_t problem = id_of(out);

	/* the reads, with every filter alone and together */
	int32_t as_of = date_from_ymd(2021, 3, 1);
	const char *cats[] = { NULL, "ZDGJ" };
	for (int k = 0; k < 32; k++) {
		struct task_filter f = {
			.campaign_id = k & 1 ? campaign : 0,
			.unit_id = k & 2 ? city : 0,
			.category_code = cats[(k >> 2) & 1],
			.light = k & 8 ? 2 : -1,
			.as_of = as_of,
			.page = k & 16 ? 2 : 1,
			.per_page = 25,
			.milestones = k & 1, /* the timeline's batch */
		};
		if (f.light >= 0 && !f.campaign_id)
			continue;
		assert_int_equal(task_list(t.store, &sys, &f, &out, &err),
				 DUBAN_OK);
		json_decref(out);
	}
	/* a leaf (dense) and P (sparse) */
	assert_int_equal(task_get(t.store, &sys, task, as_of, &out, &err),
			 DUBAN_OK);
	json_decref(out);
	assert_int_equal(task_get(t.store, &sys, parent, as_of, &out, &err),
			 DUBAN_OK);
	json_decref(out);
	assert_int_equal(report_list(t.store, &sys, task, &out, &err),
			 DUBAN_OK);
	json_decref(out);
	/* campaign A is sparse in ids, B dense */
	assert_int_equal(campaign_lights(t.store, &sys, campaign, as_of, &out,
					 &err),
			 DUBAN_OK);
	json_decref(out);
	assert_int_equal(campaign_lights(t.store, &sys, campaign_b, as_of,
					 &out, &err),
			 DUBAN_OK);
	json_decref(out);
	assert_int_equal(campaign_red_tasks(t.store, &sys, campaign, as_of,
					    &out, &err),
			 DUBAN_OK);
	json_decref(out);
	assert_int_equal(campaign_rollup(t.store, &sys, campaign, "2021-Q1",
					 as_of, &out, &err),
			 DUBAN_OK);
	json_decref(out);
	const char *statuses[] = { NULL, "open" };
	for (int k = 0; k < 16; k++) {
		struct problem_filter f = {
			.campaign_id = k & 1 ? campaign : 0,
			.unit_id = k & 2 ? city : 0,
			.status = statuses[(k >> 2) & 1],
			.overdue_only = k & 8,
			.as_of = as_of,
			.page = 1,
			.per_page = 25,
		};
		assert_int_equal(problem_list(t.store, &sys, &f, &out, &err),
				 DUBAN_OK);
		json_decref(out);
	}
	assert_int_equal(problem_get(t.store, &sys, problem, as_of, &out,
				     &err),
			 DUBAN_OK);
	json_decref(out);
	assert_int_equal(campaign_ledger(t.store, &sys, campaign, as_of, &out,
					 &err),
			 DUBAN_OK);
	json_decref(out);
	size_t ledger_rows = 0;
	assert_int_equal(campaign_ledger_rows(t.store, &sys, campaign, as_of,
					      count_row, &ledger_rows, &err),
			 DUBAN_OK);
	assert_true(ledger_rows > 0);
	store_set_prepare_hook(NULL, NULL);

	print_message("%d statements checked\n", cap.n);
	assert_true(cap.n > 10);
	assert_int_equal(check_plans(t.path, &cap), 0);
	for (int i = 0; i < cap.n; i++)
		free(cap.sql[i]);
	workcal_release();
	testdb_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters_use_indexes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
