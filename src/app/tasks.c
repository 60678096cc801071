#include "app/tasks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/attachments.h"
#include "app/audit.h"
#include "app/campaigns.h"
#include "app/jalloc.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/taskset.h"
#include "app/unitsum.h"
#include "app/text.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/roles.h"

static bool parse_day(const char *s, int32_t *out)
{
	return s && date_parse(s, strlen(s), out);
}

/* --- reading a task --- */

static const struct row_col task_cols[] = {
	{ "id", ROW_INT },	    { "campaign_id", ROW_INT },
	{ "parent_id", ROW_INT },   { "category_code", ROW_TEXT },
	{ "title", ROW_TEXT },	    { "lead_unit_id", ROW_INT },
	{ "leader_name", ROW_TEXT }, { "team", ROW_TEXT },
	{ "starts_on", ROW_TEXT },  { "due_on", ROW_TEXT },
	{ "version", ROW_INT },	    { "created_at", ROW_TIME },
	{ "path", ROW_TEXT },
};
#define TASK_NCOLS 13
#define TASK_COLUMNS                                                       \
	"SELECT t.id, t.campaign_id, t.parent_id, t.category_code, t.title," \
	" t.lead_unit_id, t.leader_name, t.team, t.starts_on, t.due_on,"     \
	" t.version, t.created_at, t.path"
#define TASK_SELECT TASK_COLUMNS " FROM tasks t"

static const struct row_col ind_cols[] = {
	{ "id", ROW_INT },     { "name", ROW_TEXT },	   { "unit", ROW_TEXT },
	{ "target", ROW_REAL }, { "comparator", ROW_TEXT },
};
static const struct row_col ms_cols[] = {
	{ "id", ROW_INT },	      { "title", ROW_TEXT },
	{ "due_on", ROW_TEXT },	      { "completed_on", ROW_TEXT },
	{ "evidence", ROW_TEXT },     { "version", ROW_INT },
};

static json_t *reasons_json(unsigned reasons)
{
	json_t *arr = json_array();
	for (unsigned bit = 1; bit <= LIGHT_REASON_LAST; bit <<= 1)
		if (reasons & bit)
			json_array_append_new(
				arr, json_string(light_reason_name(bit)));
	return arr;
}

static double round1(double v)
{
	return round(v * 10.0) / 10.0;
}

static void put_light(json_t *o, const struct ts_task *t)
{
	json_object_set_new(o, "light", json_string(light_name(t->light)));
	json_object_set_new(o, "light_reasons", reasons_json(t->reasons));
	json_object_set_new(o, "progress", json_real(round1(t->progress)));
}

/* Loads the task row (no light) into *out; 404 when missing. */
static duban_result load_task_row(struct store_conn *c, int64_t id,
				  json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result =
		store_prepare(c, TASK_SELECT " WHERE t.id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no task with id %lld", (long long)id);
	if (result == DUBAN_OK) {
		*out = row_json(st, task_cols, TASK_NCOLS);
		json_object_set_new(*out, "team",
				    json_loads(jstr(*out, "team"), 0, NULL));
	}
	store_reset(st);
	return result;
}

static duban_result co_units(struct store_conn *c, int64_t id, json_t **out,
			     struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT unit_id FROM task_co_units WHERE task_id = ?"
		" ORDER BY unit_id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	*out = json_array();
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		json_array_append_new(*out, json_integer(store_col_int(st, 0)));
	store_reset(st);
	return result;
}

/*
 * Who may read a task: anyone whose subtree holds its lead unit or one of
 * its co-units, or the campaign's unit (the office above).
 */
static duban_result task_access(struct store_conn *c, const struct actor *a,
				json_t *task, json_t *co, bool lead_only,
				struct duban_error *err)
{
	struct duban_error scratch;
	duban_result result = scope_require_unit(
		c, a, jint(task, "lead_unit_id", 0), NULL, NULL, &scratch);
	if (result != DUBAN_E_FORBIDDEN || lead_only) {
		if (result && err)
			*err = scratch;
		return result;
	}
	size_t i;
	json_t *v;
	json_array_foreach(co, i, v)
	{
		if (scope_require_unit(c, a, json_integer_value(v), NULL, NULL,
				       NULL) == DUBAN_OK)
			return DUBAN_OK;
	}
	if (err)
		*err = scratch;
	return result;
}

struct get_ctx {
	const struct actor *a;
	int64_t id;
	int32_t as_of;
	json_t *out;
};

static duban_result full_task(struct store_conn *c, const struct actor *a,
			      int64_t id, int32_t as_of, json_t **out,
			      struct duban_error *err)
{
	json_t *t = NULL, *co = NULL, *inds = NULL, *mss = NULL;
	struct store_stmt *st;
	struct campaign_meta m;
	struct taskset_ref ref = { 0 };
	duban_result result = load_task_row(c, id, &t, err);
	if (result)
		return result;
	if ((result = co_units(c, id, &co, err)))
		goto out;
	result = campaign_meta_load(c, a, jint(t, "campaign_id", 0), false, &m,
				    NULL);
	if (result == DUBAN_E_FORBIDDEN || result == DUBAN_OK) {
		/* the office above reaches every task of its campaign */
		bool office_above = result == DUBAN_OK &&
				    scope_require_unit(c, a, m.unit_id, NULL,
						       NULL, NULL) == DUBAN_OK;
		if (!office_above &&
		    (result = task_access(c, a, t, co, false, err)))
			goto out;
		result = DUBAN_OK;
	}
	if (result)
		goto out;
	result = store_prepare(c,
			       "SELECT id, name, unit, target, comparator FROM"
			       " indicators WHERE task_id = ? ORDER BY seq",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, id);
	if ((result = rows_json(st, ind_cols, 5, &inds, err)))
		goto out;
	result = store_prepare(c,
			       "SELECT id, title, due_on, completed_on,"
			       " evidence, version FROM milestones WHERE"
			       " task_id = ? ORDER BY seq",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, id);
	if ((result = rows_json(st, ms_cols, 6, &mss, err)))
		goto out;
	const char *path = jstr(t, "path");
	result = taskset_subtrees(c, m.id, &path, 1, &m.params, as_of, &ref,
				  err);
	if (result)
		goto out;
	const struct ts_task *tt = taskset_find(ref.ts, id);
	if (tt) {
		put_light(t, tt);
		size_t i;
		json_t *v;
		json_array_foreach(inds, i, v)
		{
			json_t *val = json_null();
			for (size_t k = 0; k < tt->ind_count; k++) {
				const struct ts_indicator *ind =
					&ref.ts->ind[tt->ind_first + k];
				if (ind->id == jint(v, "id", 0) &&
				    ind->has_value)
					val = json_real(ind->value);
			}
			json_object_set_new(v, "value", val);
		}
	}
	json_object_set_new(t, "co_unit_ids", co);
	json_object_set_new(t, "indicators", inds);
	json_object_set_new(t, "milestones", mss);
	json_object_del(t, "path");
	co = inds = mss = NULL;
	*out = t;
	t = NULL;
out:
	taskset_ref_release(&ref);
	json_decref(t);
	json_decref(co);
	json_decref(inds);
	json_decref(mss);
	return result;
}

static duban_result get_task(struct store_conn *c, void *ctx,
			     struct duban_error *err)
{
	struct get_ctx *g = ctx;
	return full_task(c, g->a, g->id, g->as_of, &g->out, err);
}

duban_result task_get(struct store *s, const struct actor *a, int64_t id,
		      int32_t as_of, json_t **out, struct duban_error *err)
{
	struct get_ctx g = { a, id, as_of, NULL };
	duban_result result = store_read(s, get_task, &g, err);
	*out = g.out;
	return result;
}

/* --- creating a task --- */

duban_result task_check(const json_t *in, struct duban_error *err)
{
	duban_result result;
	int32_t start, due, d;
	size_t i;
	json_t *v;
	if ((result = text_require(in, "title", 1, 300, true, err)) ||
	    (result = text_require(in, "category_code", 1, 32, true, err)) ||
	    (result = text_require(in, "leader_name", 1, 50, false, err)) ||
	    (result = field_date(in, NULL, -1, "starts_on", true, &start, NULL,
				 err)) ||
	    (result = field_date(in, NULL, -1, "due_on", true, &due, NULL,
				 err)))
		return result;
	if (due < start)
		return duban_fail(err, DUBAN_E_INVALID, "due_on",
				  "due_on is before starts_on");
	json_array_foreach(json_object_get(in, "team"), i, v)
	{
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 100)
			return duban_fail(err, DUBAN_E_INVALID, "team",
					  "team must list names as texts");
	}
	json_array_foreach(json_object_get(in, "co_unit_ids"), i, v)
	{
		if (!json_is_integer(v))
			return duban_fail(err, DUBAN_E_INVALID, "co_unit_ids",
					  "co_unit_ids must list unit ids");
	}
	json_array_foreach(json_object_get(in, "indicators"), i, v)
	{
		int k = (int)i;
		double target;
		char name[64];
		const char *cmp = jstr(v, "comparator");
		if (!json_is_object(v))
			return duban_fail(err, DUBAN_E_INVALID, "indicators",
					  "each indicator must be an object");
		if ((result = field_text(v, "indicators", k, "name", 1, 200,
					 true, err)) ||
		    (result = field_text(v, "indicators", k, "unit", 0, 20,
					 false, err)) ||
		    (result = field_number(v, "indicators", k, "target",
					   &target, err)))
			return result;
		field_name(name, sizeof(name), "indicators", k, "comparator");
		if (!cmp || (strcmp(cmp, ">=") != 0 && strcmp(cmp, "<=") != 0))
			return duban_fail(err, DUBAN_E_INVALID, name,
					  "%s must be >= or <=", name);
	}
	json_array_foreach(json_object_get(in, "milestones"), i, v)
	{
		int k = (int)i;
		if (!json_is_object(v))
			return duban_fail(err, DUBAN_E_INVALID, "milestones",
					  "each milestone must be an object");
		if ((result = field_text(v, "milestones", k, "title", 1, 200,
					 true, err)) ||
		    (result = field_date(v, "milestones", k, "due_on", true, &d,
					 NULL, err)))
			return result;
	}
	return DUBAN_OK;
}

struct create_ctx {
	const struct actor *a;
	const json_t *in;
	json_t *out;
};

static duban_result check_in_campaign(struct store_conn *c,
				      const struct actor *a,
				      const struct campaign_meta *m,
				      int64_t unit, const char *field,
				      struct duban_error *err)
{
	char path[256];
	duban_result result =
		scope_require_unit(c, a, unit, field, path, err);
	if (result)
		return result;
	if (!scope_path_contains(m->unit_path, path))
		return duban_fail(err, DUBAN_E_INVALID, field,
				  "unit %lld is not under the campaign's unit",
				  (long long)unit);
	return DUBAN_OK;
}

static duban_result insert_parts(struct store_conn *c, int64_t id,
				 const json_t *in, struct duban_error *err)
{
	struct store_stmt *st;
	size_t i;
	json_t *v;
	duban_result result = DUBAN_OK;
	json_array_foreach(json_object_get(in, "indicators"), i, v)
	{
		result = store_prepare(
			c,
			"INSERT INTO indicators (task_id, seq, name, unit,"
			" target, comparator) VALUES (?, ?, ?, ?, ?, ?)",
			&st, err);
		if (result)
			return result;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, (int64_t)i + 1);
		store_bind_str(st, 3, jstr(v, "name"));
		store_bind_str(st, 4, jstr(v, "unit"));
		store_bind_double(st, 5,
				  json_number_value(json_object_get(v, "target")));
		store_bind_str(st, 6, jstr(v, "comparator"));
		if ((result = store_run(st, err)))
			return result;
	}
	json_array_foreach(json_object_get(in, "milestones"), i, v)
	{
		result = store_prepare(
			c,
			"INSERT INTO milestones (task_id, seq, title, due_on)"
			" VALUES (?, ?, ?, ?)",
			&st, err);
		if (result)
			return result;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, (int64_t)i + 1);
		store_bind_str(st, 3, jstr(v, "title"));
		store_bind_str(st, 4, jstr(v, "due_on"));
		if ((result = store_run(st, err)))
			return result;
	}
	json_array_foreach(json_object_get(in, "co_unit_ids"), i, v)
	{
		result = store_prepare(c,
				       "INSERT INTO task_co_units (task_id,"
				       " unit_id) VALUES (?, ?)",
				       &st, err);
		if (result)
			return result;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, json_integer_value(v));
		if ((result = store_run(st, err)))
			return result == DUBAN_E_CONFLICT
				       ? duban_fail(err, DUBAN_E_INVALID,
						    "co_unit_ids",
						    "co_unit_ids names a unit "
						    "twice")
				       : result;
	}
	return result;
}

static duban_result create_task(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct create_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	char parent_path[256] = "/";
	int64_t id = 0, found = 0, parent = jint(x->in, "parent_id", 0);
	int32_t start, due;
	bool has = false;
	char *team = NULL;
	size_t i;
	json_t *v;
	duban_result result = campaign_meta_load(
		c, x->a, jint(x->in, "campaign_id", 0), true, &m, err);
	if (result == DUBAN_E_NOT_FOUND)
		return duban_fail(err, DUBAN_E_INVALID, "campaign_id",
				  "no campaign with id %lld",
				  (long long)jint(x->in, "campaign_id", 0));
	if (result)
		return result;
	parse_day(jstr(x->in, "starts_on"), &start);
	parse_day(jstr(x->in, "due_on"), &due);
	if (start < m.starts_on || due > m.ends_on)
		return duban_fail(err, DUBAN_E_INVALID,
				  start < m.starts_on ? "starts_on" : "due_on",
				  "the task's dates lie outside the campaign "
				  "period");
	json_array_foreach(json_object_get(x->in, "milestones"), i, v)
	{
		int32_t d;
		parse_day(jstr(v, "due_on"), &d);
		if (d < m.starts_on || d > m.ends_on) {
			char name[64];
			field_name(name, sizeof(name), "milestones", (int)i,
				   "due_on");
			return duban_fail(err, DUBAN_E_INVALID, name,
					  "%s lies outside the campaign period",
					  name);
		}
	}
	result = store_prepare(c,
			       "SELECT count(*) FROM campaign_categories WHERE"
			       " campaign_id = ? AND code = ?",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, m.id);
	store_bind_str(st, 2, jstr(x->in, "category_code"));
	if ((result = store_one_int(st, &found, &has, err)))
		return result;
	if (!found)
		return duban_fail(err, DUBAN_E_INVALID, "category_code",
				  "category '%s' is not in the campaign",
				  jstr(x->in, "category_code"));
	if ((result = check_in_campaign(c, x->a, &m,
					jint(x->in, "lead_unit_id", 0),
					"lead_unit_id", err)))
		return result;
	json_array_foreach(json_object_get(x->in, "co_unit_ids"), i, v)
	{
		if ((result = check_in_campaign(c, x->a, &m,
						json_integer_value(v),
						"co_unit_ids", err)))
			return result;
	}
	if (parent) {
		json_t *p = NULL;
		result = load_task_row(c, parent, &p, err);
		if (result == DUBAN_E_NOT_FOUND ||
		    (result == DUBAN_OK && jint(p, "campaign_id", 0) != m.id)) {
			json_decref(p);
			return duban_fail(err, DUBAN_E_INVALID, "parent_id",
					  "no task %lld in this campaign",
					  (long long)parent);
		}
		if (result)
			return result;
		snprintf(parent_path, sizeof(parent_path), "%s",
			 jstr(p, "path"));
		json_decref(p);
	}
	json_t *tm = json_object_get(x->in, "team");
	team = tm ? json_text(tm, JSON_COMPACT) : xstrdup("[]");
	result = store_prepare(
		c,
		"INSERT INTO tasks (campaign_id, parent_id, path,"
		" category_code, title, lead_unit_id, leader_name, team,"
		" starts_on, due_on, created_at) VALUES"
		" (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, m.id);
	if (parent)
		store_bind_int(st, 2, parent);
	else
		store_bind_null(st, 2);
	store_bind_str(st, 3, jstr(x->in, "category_code"));
	store_bind_str(st, 4, jstr(x->in, "title"));
	store_bind_int(st, 5, jint(x->in, "lead_unit_id", 0));
	store_bind_str(st, 6, jstr(x->in, "leader_name"));
	store_bind_str(st, 7, team);
	store_bind_str(st, 8, jstr(x->in, "starts_on"));
	store_bind_str(st, 9, jstr(x->in, "due_on"));
	store_bind_int(st, 10, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)))
		goto out;
	char path[300];
	snprintf(path, sizeof(path), "%s%lld/", parent_path, (long long)id);
	if (strlen(path) > 255) {
		result = duban_fail(err, DUBAN_E_INVALID, "parent_id",
				    "the task tree is too deep");
		goto out;
	}
	result = store_prepare(c, "UPDATE tasks SET path = ? WHERE id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, path);
	store_bind_int(st, 2, id);
	if ((result = store_run(st, err)))
		goto out;
	if ((result = insert_parts(c, id, x->in, err)))
		goto out;
	if ((result = full_task(c, x->a, id, date_today(), &x->out, err)) ==
	    DUBAN_E_INVALID) {
		/* no calendar for the days the light needs: answer without a
		 * light, and do not leave the calendar's complaint behind */
		if (err)
			memset(err, 0, sizeof(*err));
		result = load_task_row(c, id, &x->out, err);
	}
	if (result)
		goto out;
	result = audit_append(c, x->a, "task", id, jint(x->in, "lead_unit_id", 0), "create", NULL, x->out,
			      err);
out:
	free(team);
	return result;
}

duban_result task_insert(struct store_conn *c, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err)
{
	struct create_ctx x = { a, in, NULL };
	duban_result result = create_task(c, &x, err);
	if (result) {
		json_decref(x.out);
		x.out = NULL;
	}
	*out = x.out;
	return result;
}

duban_result task_create(struct store *s, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err)
{
	struct create_ctx x = { a, in, NULL };
	duban_result result = task_check(in, err);
	if (result)
		return result;
	return write_answer(s, create_task, &x, &x.out, out,
			    err);
}

/* --- listing tasks --- */

/*
 * A task is visible when its lead unit, one of its co-units, or its
 * campaign's unit lies in the actor's subtree.
 *
 * The list's SQL is put together from the filters given (at most 8 texts,
 * each cached), so that every filter is a plain conjunct an index can serve
 * (`? = 0 OR t.campaign_id = ?` hides it from the planner):
 *  - a unit filter drives from the unit's subtree (units_path, then
 *    tasks_lead_campaign); campaign and category are then only checked
 *    (`+t.campaign_id` and `CAST(t.category_code AS TEXT)` keep the
 *    planner from starting with all the campaign's tasks, or from walking
 *    every task in page order; unary + on text is SQLite-only, the CAST
 *    works on both);
 *  - else a campaign drives, in page order (tasks_campaign_lights);
 *  - with neither, the visible tasks are gathered from the actor's units,
 *    as lead, as the campaign's unit and as co-unit, each by an index.
 * tests/unit/test_query_plans.c reads the plans.
 */
#define TASK_FROM " FROM tasks t JOIN units lu ON lu.id = t.lead_unit_id WHERE"
#define TASK_VISIBLE_EXISTS                                                \
	" ((lu.path >= ? AND lu.path < ?)"                                 \
	" OR EXISTS (SELECT 1 FROM campaigns c JOIN units cu"              \
	" ON cu.id = c.unit_id WHERE c.id = t.campaign_id"                 \
	" AND cu.path >= ? AND cu.path < ?)"                               \
	" OR EXISTS (SELECT 1 FROM task_co_units x JOIN units xu"          \
	" ON xu.id = x.unit_id WHERE x.task_id = t.id"                     \
	" AND xu.path >= ? AND xu.path < ?))"
#define TASK_VISIBLE_IN                                                    \
	" t.id IN (SELECT t2.id FROM units u2 JOIN tasks t2"               \
	" ON t2.lead_unit_id = u2.id WHERE u2.path >= ? AND u2.path < ?"   \
	" UNION SELECT t3.id FROM units u3 JOIN campaigns c3"               \
	" ON c3.unit_id = u3.id JOIN tasks t3 ON t3.campaign_id = c3.id"   \
	" WHERE u3.path >= ? AND u3.path < ?"                              \
	" UNION SELECT x.task_id FROM units xu JOIN task_co_units x"       \
	" ON x.unit_id = xu.id WHERE xu.path >= ? AND xu.path < ?)"

struct list_ctx {
	const struct actor *a;
	const struct task_filter *f;
	char unit_lo[256], unit_hi[256];
	json_t *out;
};

static bool has_category(const struct task_filter *f)
{
	return f->category_code && f->category_code[0];
}

/*
 * With a unit filter the visibility test goes: the unit was checked to be
 * in the actor's scope, so every task led in its subtree is visible (the
 * first of the three ways), and the filter alone is a range of the units'
 * path index - what keeps a county's page and its count cheap.
 */
static void list_sql(const struct task_filter *f, const char *head,
		     const char *tail, char *buf, size_t n)
{
	snprintf(buf, n, "%s" TASK_FROM "%s%s%s%s", head,
		 f->unit_id	 ? " lu.path >= ? AND lu.path < ?"
		 : f->campaign_id ? TASK_VISIBLE_EXISTS
				  : TASK_VISIBLE_IN,
		 !f->campaign_id ? ""
		 : f->unit_id	 ? " AND +t.campaign_id = ?"
				 : " AND t.campaign_id = ?",
		 !has_category(f) ? ""
		 : f->unit_id	  ? " AND CAST(t.category_code AS TEXT) = ?"
				  : " AND t.category_code = ?",
		 tail);
}

/* Binds what list_sql() wrote; returns the next parameter's number. */
static int bind_visible(struct store_stmt *st, struct list_ctx *l)
{
	int i = 1;
	if (l->f->unit_id) {
		store_bind_str(st, i++, l->unit_lo);
		store_bind_str(st, i++, l->unit_hi);
	} else {
		scope_bind_subtree(st, 1, l->a);
		scope_bind_subtree(st, 3, l->a);
		scope_bind_subtree(st, 5, l->a);
		i = 7;
	}
	if (l->f->campaign_id)
		store_bind_int(st, i++, l->f->campaign_id);
	if (has_category(l->f))
		store_bind_str(st, i++, l->f->category_code);
	return i;
}

/* Lights for the tasks of one campaign, loaded once per campaign. */
struct light_cache {
	int64_t campaign_id;
	struct taskset_ref ref;
	bool loaded;
};

/*
 * With `rows` (a page, ordered by campaign), only the subtrees of the page's
 * tasks of this campaign, from rows[from] on, are loaded; without, the
 * whole campaign (a light filter reads every candidate).
 */
static duban_result lights_for(struct store_conn *c, const struct actor *a,
			       struct light_cache *lc, int64_t campaign,
			       json_t *rows, size_t from, int32_t as_of,
			       struct duban_error *err)
{
	struct campaign_meta m;
	duban_result result;
	if (lc->loaded && lc->campaign_id == campaign)
		return DUBAN_OK;
	taskset_ref_release(&lc->ref);
	lc->loaded = false;
	/* reading rights were checked per task; the meta is for params */
	result = campaign_meta_load(c, a, campaign, false, &m, NULL);
	if (result && result != DUBAN_E_FORBIDDEN)
		return duban_fail(err, result, NULL, "campaign %lld",
				  (long long)campaign);
	if (rows) {
		size_t n = 0, cap = json_array_size(rows) - from;
		const char **paths = xmalloc((cap ? cap : 1) * sizeof(*paths));
		for (size_t i = from; i < json_array_size(rows); i++) {
			json_t *r = json_array_get(rows, i);
			if (jint(r, "campaign_id", 0) != campaign)
				break;
			paths[n++] = jstr(r, "path");
		}
		result = taskset_subtrees(c, campaign, paths, n, &m.params,
					  as_of, &lc->ref, err);
		free(paths);
	} else {
		result = taskset_campaign(c, campaign, &m.params, as_of,
					  &lc->ref, err);
	}
	if (result)
		return result;
	lc->campaign_id = campaign;
	lc->loaded = true;
	return DUBAN_OK;
}

/*
 * Each listed task with its milestones (a timeline): MS_BATCH task ids a
 * statement, those past the end bound 0 (no task has it), so a page of
 * 500 takes eight queries of one text.
 */
#define MS_BATCH 64
static duban_result attach_milestones(struct store_conn *c, json_t *items,
				      struct duban_error *err)
{
	char sql[512] = "SELECT id, title, due_on, completed_on, evidence,"
			" version, task_id FROM milestones WHERE task_id IN (";
	size_t n = json_array_size(items), len = strlen(sql);
	for (int k = 0; k < MS_BATCH; k++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s?",
					k ? "," : "");
	snprintf(sql + len, sizeof(sql) - len, ") ORDER BY task_id, seq");
	for (size_t i = 0; i < n; i++)
		json_object_set_new(json_array_get(items, i), "milestones",
				    json_array());
	for (size_t from = 0; from < n; from += MS_BATCH) {
		struct store_stmt *st;
		bool row = false;
		size_t to = from + MS_BATCH < n ? from + MS_BATCH : n;
		duban_result result = store_prepare(c, sql, &st, err);
		if (result)
			return result;
		for (size_t k = 0; k < MS_BATCH; k++)
			store_bind_int(st, (int)k + 1,
				       from + k < to
					       ? jint(json_array_get(items,
								     from + k),
						      "id", 0)
					       : 0);
		while ((result = store_step(st, &row, err)) == DUBAN_OK &&
		       row) {
			int64_t task = store_col_int(st, 6);
			for (size_t i = from; i < to; i++) {
				json_t *t = json_array_get(items, i);
				if (jint(t, "id", 0) == task) {
					json_array_append_new(
						json_object_get(t,
								"milestones"),
						row_json(st, ms_cols, 6));
					break;
				}
			}
		}
		store_reset(st);
		if (result)
			return result;
	}
	return DUBAN_OK;
}

static duban_result list_tasks(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct list_ctx *l = ctx;
	const struct task_filter *f = l->f;
	struct store_stmt *st;
	struct light_cache lc;
	int64_t total = 0;
	bool row = false;
	json_t *items = json_array();
	duban_result result = DUBAN_OK;
	memset(&lc, 0, sizeof(lc));
	if (f->unit_id) {
		result = scope_require_unit(c, l->a, f->unit_id, "unit_id",
					    l->unit_lo, err);
		if (result)
			goto out;
		snprintf(l->unit_hi, sizeof(l->unit_hi), "%s", l->unit_lo);
		l->unit_hi[strlen(l->unit_hi) - 1] = '0';
	}
	char sql[2048];
	int next;
	if (f->light < 0) {
		list_sql(f, "SELECT count(*)", "", sql, sizeof(sql));
		result = store_prepare(c, sql, &st, err);
		if (result)
			goto out;
		bind_visible(st, l);
		if ((result = store_one_int(st, &total, NULL, err)))
			goto out;
	}
	/* with a light filter every candidate is read and filtered here;
	 * without one the database pages */
	list_sql(f, TASK_COLUMNS,
		 " ORDER BY t.campaign_id, t.id LIMIT ? OFFSET ?", sql,
		 sizeof(sql));
	result = store_prepare(c, sql, &st, err);
	if (result)
		goto out;
	next = bind_visible(st, l);
	if (f->light < 0) {
		store_bind_int(st, next, f->per_page);
		store_bind_int(st, next + 1,
			       (int64_t)(f->page - 1) * f->per_page);
	} else {
		store_bind_int(st, next, INT64_MAX / 2);
		store_bind_int(st, next + 1, 0);
	}
	int64_t skip = (int64_t)(f->page - 1) * f->per_page, seen = 0;
	json_t *rows = json_array();
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		json_array_append_new(rows, row_json(st, task_cols, TASK_NCOLS));
	store_reset(st);
	size_t i;
	json_t *t;
	json_array_foreach(rows, i, t)
	{
		if (result)
			break;
		result = lights_for(c, l->a, &lc, jint(t, "campaign_id", 0),
				    f->light < 0 ? rows : NULL, i, f->as_of,
				    err);
		if (result)
			break;
		const struct ts_task *tt =
			lc.ref.ts ? taskset_find(lc.ref.ts, jint(t, "id", 0))
				  : NULL;
		if (f->light >= 0 && (!tt || (int)tt->light != f->light))
			continue;
		if (f->light >= 0) {
			total++;
			if (seen++ < skip ||
			    (int64_t)json_array_size(items) >= f->per_page)
				continue;
		}
		/* the row itself: the lights above read only the rows after
		 * this one */
		json_t *o = json_incref(t);
		json_object_set_new(o, "team",
				    json_loads(jstr(o, "team"), 0, NULL));
		json_object_del(o, "path");
		if (tt)
			put_light(o, tt);
		json_array_append_new(items, o);
	}
	json_decref(rows);
	if (result == DUBAN_OK && f->milestones)
		result = attach_milestones(c, items, err);
	if (result)
		goto out;
	l->out = page_json(items, total, f->page, f->per_page);
	items = NULL;
out:
	taskset_ref_release(&lc.ref);
	json_decref(items);
	return result;
}

duban_result task_list(struct store *s, const struct actor *a,
		       const struct task_filter *f, json_t **out,
		       struct duban_error *err)
{
	struct list_ctx l;
	duban_result result;
	memset(&l, 0, sizeof(l));
	l.a = a;
	l.f = f;
	if (f->light >= 0 && !f->campaign_id)
		return duban_fail(err, DUBAN_E_INVALID, "campaign_id",
				  "filtering by light needs a campaign_id");
	result = store_read(s, list_tasks, &l, err);
	*out = l.out;
	return result;
}

/* --- monthly reports --- */

static const struct row_col report_cols[] = {
	{ "id", ROW_INT },	      { "task_id", ROW_INT },
	{ "period", ROW_TEXT },	      { "summary", ROW_TEXT },
	{ "blockers", ROW_TEXT },     { "next_steps", ROW_TEXT },
	{ "status", ROW_TEXT },	      { "supersedes_id", ROW_INT },
	{ "reason", ROW_TEXT },	      { "submitted_by", ROW_INT },
	{ "submitted_at", ROW_TIME }, { "review_comment", ROW_TEXT },
	{ "reviewed_by", ROW_INT },   { "reviewed_at", ROW_TIME },
	{ "version", ROW_INT },
};
#define REPORT_NCOLS 15
#define REPORT_SELECT                                                       \
	"SELECT id, task_id, period, summary, blockers, next_steps, status," \
	" supersedes_id, reason, submitted_by, submitted_at,"               \
	" review_comment, reviewed_by, reviewed_at, version FROM reports"

static duban_result report_values(struct store_conn *c, json_t *report,
				  struct duban_error *err)
{
	static const struct row_col cols[] = {
		{ "indicator_id", ROW_INT },
		{ "value", ROW_REAL },
	};
	struct store_stmt *st;
	json_t *vals = NULL;
	duban_result result = store_prepare(
		c,
		"SELECT indicator_id, value FROM report_values WHERE"
		" report_id = ? ORDER BY indicator_id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, jint(report, "id", 0));
	if ((result = rows_json(st, cols, 2, &vals, err)))
		return result;
	json_object_set_new(report, "indicator_values", vals);
	json_t *att = NULL;
	if ((result = attachment_report_ids(c, jint(report, "id", 0), &att,
					    err)))
		return result;
	json_object_set_new(report, "attachment_ids", att);
	return DUBAN_OK;
}

static duban_result load_report(struct store_conn *c, int64_t id,
				json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result =
		store_prepare(c, REPORT_SELECT " WHERE id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no report with id %lld", (long long)id);
	if (result == DUBAN_OK)
		*out = row_json(st, report_cols, REPORT_NCOLS);
	store_reset(st);
	if (result == DUBAN_OK && (result = report_values(c, *out, err))) {
		json_decref(*out);
		*out = NULL;
	}
	return result;
}

static bool period_valid(const char *p, int32_t *first, int32_t *last)
{
	int32_t d;
	char buf[11];
	if (!p || strlen(p) != 7)
		return false;
	snprintf(buf, sizeof(buf), "%s-01", p);
	if (!date_parse(buf, 10, &d))
		return false;
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	*first = d;
	*last = (m == 12 ? date_from_ymd(y + 1, 1, 1)
			 : date_from_ymd(y, m + 1, 1)) - 1;
	return true;
}

struct report_ctx {
	const struct actor *a;
	int64_t id;
	const json_t *in;
	json_t *out;
};

static duban_result submit_report(struct store_conn *c, void *ctx,
				  struct duban_error *err)
{
	struct report_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *task = NULL, *co = NULL;
	int64_t prev = 0, rid = 0;
	bool has_prev = false;
	int32_t first, last;
	size_t i;
	json_t *v;
	duban_result result = load_task_row(c, x->id, &task, err);
	if (result)
		return result;
	if ((result = co_units(c, x->id, &co, err)))
		goto out;
	/* only the lead unit's people report; co-units comment */
	result = task_access(c, x->a, task, co, true, err);
	if (result == DUBAN_E_FORBIDDEN &&
	    task_access(c, x->a, task, co, false, NULL) == DUBAN_OK)
		result = duban_fail_code(err, DUBAN_E_FORBIDDEN,
					 "not_lead_unit", NULL,
					 "only the lead unit reports on task "
					 "%lld; co-responsible units comment",
					 (long long)x->id);
	if (result)
		goto out;
	result = campaign_meta_load(c, x->a, jint(task, "campaign_id", 0),
				    false, &m, err);
	if (result)
		goto out;
	period_valid(jstr(x->in, "period"), &first, &last);
	if (last < m.starts_on || first > m.ends_on) {
		result = duban_fail(err, DUBAN_E_INVALID, "period",
				    "period %s lies outside the campaign",
				    jstr(x->in, "period"));
		goto out;
	}
	json_array_foreach(json_object_get(x->in, "indicator_values"), i, v)
	{
		int64_t found = 0;
		result = store_prepare(c,
				       "SELECT count(*) FROM indicators WHERE"
				       " id = ? AND task_id = ?",
				       &st, err);
		if (result)
			goto out;
		store_bind_int(st, 1, jint(v, "indicator_id", 0));
		store_bind_int(st, 2, x->id);
		if ((result = store_one_int(st, &found, NULL, err)))
			goto out;
		if (!found) {
			char name[64];
			field_name(name, sizeof(name), "indicator_values",
				   (int)i, "indicator_id");
			result = duban_fail(err, DUBAN_E_INVALID, name,
					    "indicator %lld is not one of "
					    "task %lld's",
					    (long long)jint(v, "indicator_id",
							    0),
					    (long long)x->id);
			goto out;
		}
	}
	/* the report this one supersedes: the last standing one of the
	 * period, or a returned one */
	result = store_prepare(c,
			       "SELECT id FROM reports WHERE task_id = ? AND"
			       " period = ? AND status <> 'superseded'"
			       " ORDER BY id DESC LIMIT 1",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, jstr(x->in, "period"));
	if ((result = store_one_int(st, &prev, &has_prev, err)))
		goto out;
	if (has_prev) {
		result = store_prepare(c,
				       "UPDATE reports SET status = 'superseded',"
				       " version = version + 1 WHERE id = ?",
				       &st, err);
		if (result)
			goto out;
		store_bind_int(st, 1, prev);
		if ((result = store_run(st, err)))
			goto out;
	}
	result = store_prepare(
		c,
		"INSERT INTO reports (task_id, period, summary, blockers,"
		" next_steps, status, supersedes_id, reason, submitted_by,"
		" submitted_at) VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?)"
		" RETURNING id",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, jstr(x->in, "period"));
	store_bind_str(st, 3, jstr(x->in, "summary"));
	store_bind_str(st, 4, jstr(x->in, "blockers"));
	store_bind_str(st, 5, jstr(x->in, "next_steps"));
	if (has_prev)
		store_bind_int(st, 6, prev);
	else
		store_bind_null(st, 6);
	store_bind_str(st, 7, jstr(x->in, "reason"));
	store_bind_int(st, 8, x->a->user_id);
	store_bind_int(st, 9, (int64_t)time(NULL));
	if ((result = store_one_int(st, &rid, NULL, err)))
		goto out;
	json_array_foreach(json_object_get(x->in, "indicator_values"), i, v)
	{
		result = store_prepare(c,
				       "INSERT INTO report_values (report_id,"
				       " indicator_id, value) VALUES (?, ?, ?)",
				       &st, err);
		if (result)
			goto out;
		store_bind_int(st, 1, rid);
		store_bind_int(st, 2, jint(v, "indicator_id", 0));
		store_bind_double(st, 3, json_number_value(
						 json_object_get(v, "value")));
		if ((result = store_run(st, err))) {
			if (result == DUBAN_E_CONFLICT)
				result = duban_fail(
					err, DUBAN_E_INVALID,
					"indicator_values",
					"an indicator is given twice");
			goto out;
		}
	}
	if ((result = attachment_link_report(
		     c, x->a, rid, jint(task, "lead_unit_id", 0),
		     json_object_get(x->in, "attachment_ids"), "attachment_ids",
		     err)))
		goto out;
	if ((result = load_report(c, rid, &x->out, err)))
		goto out;
	result = audit_append(c, x->a, "report", rid, jint(task, "lead_unit_id", 0),
			      has_prev ? "resubmit" : "submit", NULL, x->out,
			      err);
out:
	json_decref(task);
	json_decref(co);
	return result;
}

duban_result report_submit(struct store *s, const struct actor *a,
			   int64_t task_id, const json_t *in, json_t **out,
			   struct duban_error *err)
{
	struct report_ctx x = { a, task_id, in, NULL };
	int32_t first, last;
	size_t i;
	json_t *v;
	duban_result result;
	if (!period_valid(jstr(in, "period"), &first, &last))
		return duban_fail(err, DUBAN_E_INVALID, "period",
				  "period must be a month as YYYY-MM");
	if ((result = attachment_ids_check(json_object_get(in,
							   "attachment_ids"),
					   "attachment_ids", err)))
		return result;
	if ((result = text_require(in, "summary", 1, 10000, true, err)) ||
	    (result = text_require(in, "blockers", 0, 10000, false, err)) ||
	    (result = text_require(in, "next_steps", 0, 10000, false, err)) ||
	    (result = text_require(in, "reason", 0, 2000, false, err)))
		return result;
	json_array_foreach(json_object_get(in, "indicator_values"), i, v)
	{
		double d;
		char name[64];
		field_name(name, sizeof(name), "indicator_values", (int)i,
			   "indicator_id");
		if (!json_is_object(v) ||
		    !json_is_integer(json_object_get(v, "indicator_id")))
			return duban_fail(err, DUBAN_E_INVALID, name,
					  "%s must be an indicator id", name);
		if ((result = field_number(v, "indicator_values", (int)i,
					   "value", &d, err)))
			return result;
		if (!isfinite(d))
			return duban_fail(err, DUBAN_E_INVALID,
					  "indicator_values",
					  "values must be finite numbers");
	}
	return write_answer(s, submit_report, &x, &x.out, out,
			    err);
}

static duban_result review_report(struct store_conn *c, void *ctx,
				  struct duban_error *err)
{
	struct report_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *before = NULL, *task = NULL;
	const char *d = jstr(x->in, "decision");
	duban_result result = load_report(c, x->id, &before, err);
	if (result)
		return result;
	if ((result = load_task_row(c, jint(before, "task_id", 0), &task,
				    err)))
		goto out;
	/* the office at or above the campaign's unit reviews */
	result = campaign_meta_load(c, x->a, jint(task, "campaign_id", 0),
				    true, &m, err);
	if (result)
		goto out;
	if (strcmp(jstr(before, "status"), "submitted") != 0) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT,
					 "invalid_transition", "decision",
					 "report %lld is %s, not submitted",
					 (long long)x->id,
					 jstr(before, "status"));
		goto out;
	}
	result = store_prepare(c,
			       "UPDATE reports SET status = ?, review_comment"
			       " = ?, reviewed_by = ?, reviewed_at = ?,"
			       " version = version + 1 WHERE id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, strcmp(d, "accept") == 0 ? "accepted"
						       : "returned");
	store_bind_str(st, 2, jstr(x->in, "comment"));
	store_bind_int(st, 3, x->a->user_id);
	store_bind_int(st, 4, (int64_t)time(NULL));
	store_bind_int(st, 5, x->id);
	if ((result = store_run(st, err)))
		goto out;
	if ((result = load_report(c, x->id, &x->out, err)))
		goto out;
	result = audit_append(c, x->a, "report", x->id, jint(task, "lead_unit_id", 0), d, before, x->out,
			      err);
out:
	json_decref(before);
	json_decref(task);
	return result;
}

duban_result report_review(struct store *s, const struct actor *a, int64_t id,
			   const json_t *in, json_t **out,
			   struct duban_error *err)
{
	struct report_ctx x = { a, id, in, NULL };
	duban_result result;
	if ((result = review_input(in, "accept", 5000, err)))
		return result;
	return write_answer(s, review_report, &x, &x.out, out,
			    err);
}

static duban_result list_reports(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct report_ctx *x = ctx;
	struct store_stmt *st;
	json_t *t = NULL, *items = NULL;
	duban_result result = full_task(c, x->a, x->id, date_today(), &t, err);
	if (result == DUBAN_E_INVALID) { /* no calendar for today: still list */
		if (err)
			memset(err, 0, sizeof(*err));
		result = DUBAN_OK;
	}
	json_decref(t);
	if (result)
		return result;
	result = store_prepare(c,
			       REPORT_SELECT " WHERE task_id = ?"
					     " ORDER BY period DESC, id DESC",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	if ((result = rows_json(st, report_cols, REPORT_NCOLS, &items, err)))
		return result;
	size_t i;
	json_t *r;
	json_array_foreach(items, i, r)
	{
		if ((result = report_values(c, r, err))) {
			json_decref(items);
			return result;
		}
	}
	x->out = json_pack("{s:o}", "items", items);
	return DUBAN_OK;
}

duban_result report_list(struct store *s, const struct actor *a,
			 int64_t task_id, json_t **out,
			 struct duban_error *err)
{
	struct report_ctx x = { a, task_id, NULL, NULL };
	duban_result result = store_read(s, list_reports, &x, err);
	*out = x.out;
	return result;
}

/* --- milestones --- */

static duban_result complete_milestone(struct store_conn *c, void *ctx,
				       struct duban_error *err)
{
	struct report_ctx *x = ctx;
	struct store_stmt *st;
	json_t *task = NULL, *co = NULL, *before = NULL;
	int64_t task_id = 0;
	bool found = false;
	duban_result result = store_prepare(
		c, "SELECT task_id FROM milestones WHERE id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	if ((result = store_one_int(st, &task_id, &found, err)))
		return result;
	if (!found)
		return duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				  "no milestone with id %lld",
				  (long long)x->id);
	if ((result = load_task_row(c, task_id, &task, err)) ||
	    (result = co_units(c, task_id, &co, err)) ||
	    (result = task_access(c, x->a, task, co, true, err)))
		goto out;
	result = store_prepare(c,
			       "SELECT id, title, due_on, completed_on,"
			       " evidence, version FROM milestones WHERE id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	bool row = false;
	if ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		before = row_json(st, ms_cols, 6);
	store_reset(st);
	if (result)
		goto out;
	if (!json_is_null(json_object_get(before, "completed_on"))) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT,
					 "already_completed", NULL,
					 "milestone %lld was completed on %s",
					 (long long)x->id,
					 jstr(before, "completed_on"));
		goto out;
	}
	result = store_prepare(c,
			       "UPDATE milestones SET completed_on = ?,"
			       " evidence = ?, version = version + 1"
			       " WHERE id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, jstr(x->in, "completed_on"));
	store_bind_str(st, 2, jstr(x->in, "evidence"));
	store_bind_int(st, 3, x->id);
	if ((result = store_run(st, err)))
		goto out;
	x->out = json_deep_copy(before);
	json_object_set(x->out, "completed_on",
			json_object_get(x->in, "completed_on"));
	json_object_set_new(x->out, "evidence",
			    json_string(jstr(x->in, "evidence")));
	json_object_set_new(x->out, "version",
			    json_integer(jint(before, "version", 0) + 1));
	json_object_set_new(x->out, "task_id", json_integer(task_id));
	result = audit_append(c, x->a, "milestone", x->id, jint(task, "lead_unit_id", 0), "complete", before,
			      x->out, err);
out:
	json_decref(task);
	json_decref(co);
	json_decref(before);
	return result;
}

duban_result milestone_complete(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err)
{
	struct report_ctx x = { a, id, in, NULL };
	int32_t day;
	duban_result result;
	if ((result = field_date(in, NULL, -1, "completed_on", true, &day,
				 NULL, err)) ||
	    (result = text_require(in, "evidence", 1, 5000, true, err)))
		return result;
	if (day > date_today())
		return duban_fail(err, DUBAN_E_INVALID, "completed_on",
				  "completed_on is in the future");
	return write_answer(s, complete_milestone, &x, &x.out, out,
			    err);
}

/* --- lights per unit --- */

struct lights_ctx {
	const struct actor *a;
	int64_t id;
	int32_t as_of;
	bool red_only;
	json_t *out;
};

static json_t *counts_json(int64_t id, const int64_t *c)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "unit_id", (json_int_t)id,
			 "green", (json_int_t)c[LIGHT_GREEN], "yellow",
			 (json_int_t)c[LIGHT_YELLOW], "red",
			 (json_int_t)c[LIGHT_RED]);
}

static duban_result compute_lights(struct store_conn *c, void *ctx,
				   struct duban_error *err)
{
	struct lights_ctx *l = ctx;
	struct campaign_meta m;
	struct taskset_ref ref;
	struct store_stmt *st;
	struct unitsum units = { 0 };
	bool row = false;
	int64_t total[3] = { 0, 0, 0 };
	duban_result result = campaign_meta_load(c, l->a, l->id, false, &m, err);
	if (result)
		return result;
	if ((result = taskset_campaign(c, l->id, &m.params, l->as_of, &ref,
				       err)))
		goto out;
	const struct taskset *ts = ref.ts;
	/* the units in the actor's scope, to count per lead unit and to
	 * roll up along their paths */
	if ((result = unitsum_load(c, l->a, NULL, NULL, 3, &units, err)))
		goto out;
	json_t *red = json_array();
	for (size_t i = 0; i < ts->n; i++) {
		const struct ts_task *t = &ts->t[i];
		struct unitsum_unit *u = unitsum_find(&units, t->lead_unit_id);
		if (!u)
			continue; /* outside the actor's scope */
		u->own[t->light]++;
		total[t->light]++;
		if (l->red_only && t->light == LIGHT_RED)
			json_array_append_new(
				red, json_pack("{s:I, s:I, s:o}", "task_id",
					       (json_int_t)t->id,
					       "lead_unit_id",
					       (json_int_t)t->lead_unit_id,
					       "reasons",
					       reasons_json(t->reasons)));
	}
	/* each unit's counts go to every ancestor in scope */
	unitsum_roll_up(&units);
	char d[11];
	date_format(l->as_of, d);
	if (l->red_only) {
		/* titles and dates for the red list, in one more query */
		size_t i;
		json_t *it;
		json_array_foreach(red, i, it)
		{
			json_t *row_t = NULL;
			if ((result = load_task_row(c, jint(it, "task_id", 0),
						    &row_t, err)))
				break;
			json_object_set(it, "title",
					json_object_get(row_t, "title"));
			json_object_set(it, "due_on",
					json_object_get(row_t, "due_on"));
			json_object_set(it, "category_code",
					json_object_get(row_t,
							"category_code"));
			const struct ts_task *t =
				taskset_find(ts, jint(it, "task_id", 0));
			json_object_set_new(it, "progress",
					    json_real(round1(t->progress)));
			json_decref(row_t);
		}
		if (result) {
			json_decref(red);
			goto out;
		}
		l->out = json_pack("{s:I, s:s, s:o}", "campaign_id",
				   (json_int_t)l->id, "as_of", d, "items",
				   red);
		goto out;
	}
	json_decref(red);
	/* campaigns that adopted this one, rolled up for the office above */
	json_t *adopted = json_array();
	int64_t child_ids[256];
	size_t nchild = 0;
	result = store_prepare(c,
			       "SELECT id FROM campaigns WHERE parent_id = ?"
			       " ORDER BY id",
			       &st, err);
	if (result) {
		json_decref(adopted);
		goto out;
	}
	store_bind_int(st, 1, l->id);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row &&
	       nchild < 256)
		child_ids[nchild++] = store_col_int(st, 0);
	store_reset(st);
	for (size_t k = 0; result == DUBAN_OK && k < nchild; k++) {
		struct campaign_meta cm;
		struct taskset_ref cref;
		int64_t ct[3] = { 0, 0, 0 };
		if (campaign_meta_load(c, l->a, child_ids[k], false, &cm,
				       NULL) != DUBAN_OK)
			continue;
		if ((result = taskset_campaign(c, child_ids[k], &cm.params,
					       l->as_of, &cref, err))) {
			taskset_ref_release(&cref);
			break;
		}
		for (size_t i = 0; i < cref.ts->n; i++) {
			const struct ts_task *t = &cref.ts->t[i];
			if (unitsum_find(&units, t->lead_unit_id)) {
				ct[t->light]++;
				total[t->light]++;
			}
		}
		taskset_ref_release(&cref);
		json_array_append_new(
			adopted,
			json_pack("{s:I, s:I, s:{s:I, s:I, s:I}}",
				  "campaign_id", (json_int_t)child_ids[k],
				  "unit_id", (json_int_t)cm.unit_id, "totals",
				  "green", (json_int_t)ct[0], "yellow",
				  (json_int_t)ct[1], "red", (json_int_t)ct[2]));
	}
	if (result) {
		json_decref(adopted);
		goto out;
	}
	json_t *lead = json_array(), *sub = json_array();
	for (size_t i = 0; i < units.n; i++) {
		const struct unitsum_unit *u = &units.u[i];
		if (u->own[0] + u->own[1] + u->own[2])
			json_array_append_new(lead, counts_json(u->id, u->own));
		if (u->sub[0] + u->sub[1] + u->sub[2])
			json_array_append_new(sub, counts_json(u->id, u->sub));
	}
	/* totals include the adopting campaigns' tasks; units and
	 * subtrees count this campaign's own */
	l->out = json_pack("{s:I, s:s, s:o, s:o, s:o, s:{s:I, s:I, s:I}}",
			   "campaign_id", (json_int_t)l->id, "as_of", d,
			   "units", lead, "subtrees", sub, "adopted", adopted,
			   "totals", "green", (json_int_t)total[0], "yellow",
			   (json_int_t)total[1], "red", (json_int_t)total[2]);
out:
	unitsum_release(&units);
	taskset_ref_release(&ref);
	return result;
}

duban_result campaign_lights(struct store *s, const struct actor *a,
			     int64_t id, int32_t as_of, json_t **out,
			     struct duban_error *err)
{
	struct lights_ctx l = { a, id, as_of, false, NULL };
	duban_result result = store_read(s, compute_lights, &l, err);
	*out = l.out;
	return result;
}

duban_result campaign_red_tasks(struct store *s, const struct actor *a,
				int64_t id, int32_t as_of, json_t **out,
				struct duban_error *err)
{
	struct lights_ctx l = { a, id, as_of, true, NULL };
	duban_result result = store_read(s, compute_lights, &l, err);
	*out = l.out;
	return result;
}

/* --- roll-ups over a period --- */

bool period_parse(const char *p, int32_t *first, int32_t *last)
{
	size_t n = p ? strlen(p) : 0;
	int y = 0;
	if (n < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		y = y * 10 + (p[i] - '0');
	}
	if (y < 1900 || y > 2200)
		return false;
	int m0 = 1, m1 = 12;
	if (n == 4) {
		/* a year */
	} else if (n == 7 && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' &&
		   p[6] <= '4') {
		m0 = (p[6] - '1') * 3 + 1;
		m1 = m0 + 2;
	} else if (n == 7 && p[4] == '-' && p[5] == 'H' &&
		   (p[6] == '1' || p[6] == '2')) {
		m0 = p[6] == '1' ? 1 : 7;
		m1 = m0 + 5;
	} else if (n == 7 && p[4] == '-') {
		int32_t f, l;
		if (!period_valid(p, &f, &l))
			return false;
		*first = f;
		*last = l;
		return true;
	} else {
		return false;
	}
	*first = date_from_ymd(y, m0, 1);
	*last = (m1 == 12 ? date_from_ymd(y + 1, 1, 1)
			  : date_from_ymd(y, m1 + 1, 1)) - 1;
	return true;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The ids of the units in the actor's subtree, sorted (one query). */
static duban_result units_in_scope(struct store_conn *c, const struct actor *a,
				   int64_t **ids, size_t *n,
				   struct duban_error *err)
{
	struct store_stmt *st;
	size_t cap = 0;
	bool row = false;
	duban_result result = store_prepare(
		c, "SELECT id FROM units WHERE path >= ? AND path < ? ORDER BY id",
		&st, err);
	*ids = NULL;
	*n = 0;
	if (result)
		return result;
	scope_bind_subtree(st, 1, a);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = store_col_int(st, 0);
	}
	store_reset(st);
	return result;
}

struct rollup_row {
	char key[48];
	int64_t tasks, lights[3], missing;
	double progress_sum;
};

struct rollup_ctx {
	const struct actor *a;
	int64_t id;
	const char *period;
	int32_t as_of;
	json_t *out;
};

static struct rollup_row *rollup_find(struct rollup_row **rows, size_t *n,
				      size_t *cap, const char *key)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*rows)[i].key, key) == 0)
			return &(*rows)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*rows = xrealloc(*rows, *cap * sizeof(**rows));
	}
	struct rollup_row *r = &(*rows)[(*n)++];
	memset(r, 0, sizeof(*r));
	snprintf(r->key, sizeof(r->key), "%s", key);
	return r;
}

static json_t *rollup_json(const struct rollup_row *r, const char *key_name,
			   bool key_is_int)
{
	json_t *o = json_pack(
		"{s:I, s:I, s:I, s:I, s:f, s:I}", "tasks", (json_int_t)r->tasks,
		"green", (json_int_t)r->lights[0], "yellow",
		(json_int_t)r->lights[1], "red", (json_int_t)r->lights[2],
		"mean_progress",
		r->tasks ? round1(r->progress_sum / (double)r->tasks) : 0.0,
		"reports_missing", (json_int_t)r->missing);
	json_object_set_new(o, key_name,
			    key_is_int ? json_integer(strtoll(r->key, NULL, 10))
				       : json_string(r->key));
	return o;
}

static duban_result compute_rollup(struct store_conn *c, void *ctx,
				   struct duban_error *err)
{
	struct rollup_ctx *x = ctx;
	struct campaign_meta m;
	struct taskset_ref ref;
	struct store_stmt *st;
	int32_t first, last;
	struct rollup_row *cats = NULL, *units = NULL;
	size_t ncat = 0, ccat = 0, nunit = 0, cunit = 0;
	bool *reported = NULL;
	bool row = false;
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m, err);
	if (result)
		return result;
	period_parse(x->period, &first, &last);
	int32_t at = last < x->as_of ? last : x->as_of;
	if ((result = taskset_campaign(c, x->id, &m.params, at, &ref, err))) {
		taskset_ref_release(&ref);
		return result;
	}
	const struct taskset *ts = ref.ts;
	/* the months of the period, and which (task, month) had a report */
	int y0, mo0, d0, y1, mo1, d1;
	date_to_ymd(first, &y0, &mo0, &d0);
	date_to_ymd(last, &y1, &mo1, &d1);
	int months = (y1 - y0) * 12 + (mo1 - mo0) + 1;
	reported = xcalloc(ts->n * (size_t)months + 1, sizeof(*reported));
	char p0[8], p1[8];
	snprintf(p0, sizeof(p0), "%04u-%02u", (unsigned)y0 % 10000u,
		 (unsigned)mo0 % 100u);
	snprintf(p1, sizeof(p1), "%04u-%02u", (unsigned)y1 % 10000u,
		 (unsigned)mo1 % 100u);
	result = store_prepare(c,
			       "SELECT r.task_id, r.period FROM reports r JOIN"
			       " tasks t ON t.id = r.task_id WHERE"
			       " t.campaign_id = ? AND r.period >= ? AND"
			       " r.period <= ? AND r.status IN ('submitted',"
			       " 'accepted')",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, p0);
	store_bind_str(st, 3, p1);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		const struct ts_task *t = taskset_find(ts, store_col_int(st, 0));
		const char *p = store_col_text(st, 1);
		if (!t || !p || strlen(p) != 7)
			continue;
		int yy = (int)strtol(p, NULL, 10), mm = (int)strtol(p + 5,
								    NULL, 10);
		int k = (yy - y0) * 12 + (mm - mo0);
		if (k >= 0 && k < months)
			reported[(size_t)(t - ts->t) * (size_t)months +
				 (size_t)k] = true;
	}
	store_reset(st);
	if (result)
		goto out;
	/* the office above sees every task; others those of their units */
	bool all = scope_require_unit(c, x->a, m.unit_id, NULL, NULL, NULL) ==
		   DUBAN_OK;
	int64_t *scope_ids = NULL;
	size_t nscope = 0;
	if (!all && (result = units_in_scope(c, x->a, &scope_ids, &nscope,
					     err)))
		goto out;
	for (size_t i = 0; i < ts->n; i++) {
		const struct ts_task *t = &ts->t[i];
		char unit_key[32];
		if (!all && (!nscope || !bsearch(&t->lead_unit_id, scope_ids,
						 nscope, sizeof(int64_t),
						 cmp_i64)))
			continue;
		int64_t missing = 0;
		for (int k = 0; k < months; k++) {
			int yy = y0 + (mo0 - 1 + k) / 12,
			    mm = (mo0 - 1 + k) % 12 + 1;
			int32_t mstart = date_from_ymd(yy, mm, 1);
			int32_t mend = (mm == 12 ? date_from_ymd(yy + 1, 1, 1)
						 : date_from_ymd(yy, mm + 1, 1)) -
				       1;
			/* a month is owed once it has ended, by a task that
			 * had started and was not yet due before it began */
			if (mend >= at || t->starts_on > mend ||
			    t->due_on < mstart)
				continue;
			if (!reported[i * (size_t)months + (size_t)k])
				missing++;
		}
		snprintf(unit_key, sizeof(unit_key), "%lld",
			 (long long)t->lead_unit_id);
		struct rollup_row *rows[2] = {
			rollup_find(&cats, &ncat, &ccat, t->category),
			rollup_find(&units, &nunit, &cunit, unit_key),
		};
		for (int k = 0; k < 2; k++) {
			rows[k]->tasks++;
			rows[k]->lights[t->light]++;
			rows[k]->missing += missing;
			rows[k]->progress_sum += t->progress;
		}
	}
	free(scope_ids);
	json_t *jc = json_array(), *ju = json_array();
	for (size_t i = 0; i < ncat; i++)
		json_array_append_new(jc, rollup_json(&cats[i], "category_code",
						      false));
	for (size_t i = 0; i < nunit; i++)
		json_array_append_new(ju,
				      rollup_json(&units[i], "unit_id", true));
	char a[11], b[11], d[11];
	date_format(first, a);
	date_format(last, b);
	date_format(at, d);
	x->out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}",
			   "campaign_id", (json_int_t)x->id, "period",
			   x->period, "from", a, "to", b, "as_of", d,
			   "by_category", jc, "by_unit", ju);
out:
	free(reported);
	free(cats);
	free(units);
	taskset_ref_release(&ref);
	return result;
}

duban_result campaign_rollup(struct store *s, const struct actor *a,
			     int64_t id, const char *period, int32_t as_of,
			     json_t **out, struct duban_error *err)
{
	struct rollup_ctx x = { a, id, period, as_of, NULL };
	int32_t f, l;
	duban_result result;
	if (!period_parse(period, &f, &l))
		return duban_fail(err, DUBAN_E_INVALID, "period",
				  "period must be YYYY, YYYY-MM, YYYY-Q1..Q4 or"
				  " YYYY-H1/H2");
	result = store_read(s, compute_rollup, &x, err);
	*out = x.out;
	return result;
}
