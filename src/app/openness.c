/*
 * openness.c - the public page of a campaign (晒, 000 §三.二): what it set
 * out to do and how far it got, for anyone, without a login.
 */
#include "app/openness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/rows.h"
#include "app/tasks.h"
#include "app/taskset.h"
#include "base/date.h"
#include "base/xalloc.h"

struct public_ctx {
	int64_t id;
	int32_t as_of;
	json_t *out;
};

static duban_result public_campaign(struct store_conn *c,
				    struct public_ctx *x,
				    struct light_params *params,
				    struct duban_error *err)
{
	static const struct row_col cols[] = {
		{ "id", ROW_INT },	      { "title", ROW_TEXT },
		{ "doc_number", ROW_TEXT },   { "issuer", ROW_TEXT },
		{ "starts_on", ROW_TEXT },    { "ends_on", ROW_TEXT },
		{ "themes", ROW_TEXT },
	};
	static const struct row_col phase_cols[] = {
		{ "name", ROW_TEXT },
		{ "starts_on", ROW_TEXT },
		{ "ends_on", ROW_TEXT },
	};
	static const struct row_col cat_cols[] = {
		{ "code", ROW_TEXT },
		{ "name", ROW_TEXT },
		{ "planned_tasks", ROW_INT },
	};
	struct store_stmt *st;
	bool row = false;
	json_t *o = NULL, *phases = NULL, *cats = NULL;
	duban_result result = store_prepare(
		c,
		"SELECT c.id, c.title, c.doc_number, u.name, c.starts_on,"
		" c.ends_on, c.themes, c.due_soon_workdays,"
		" c.report_due_workday FROM campaigns c JOIN units u ON u.id"
		" = c.unit_id WHERE c.id = ?",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no campaign with id %lld",
				    (long long)x->id);
	if (result == DUBAN_OK) {
		o = row_json(st, cols, 7);
		params->due_soon_workdays = (int)store_col_int(st, 7);
		params->report_due_workday = (int)store_col_int(st, 8);
	}
	store_reset(st);
	if (result)
		return result;
	json_object_set_new(o, "themes",
			    json_loads(jstr(o, "themes"), 0, NULL));
	if ((result = store_prepare(c,
				    "SELECT name, starts_on, ends_on FROM"
				    " campaign_phases WHERE campaign_id = ?"
				    " ORDER BY seq",
				    &st, err)))
		goto out;
	store_bind_int(st, 1, x->id);
	if ((result = rows_json(st, phase_cols, 3, &phases, err)))
		goto out;
	if ((result = store_prepare(c,
				    "SELECT code, name, planned_tasks FROM"
				    " campaign_categories WHERE campaign_id ="
				    " ? ORDER BY seq",
				    &st, err)))
		goto out;
	store_bind_int(st, 1, x->id);
	if ((result = rows_json(st, cat_cols, 3, &cats, err)))
		goto out;
	/* the current phase: the latest-starting one that covers as_of */
	char today[11];
	date_format(x->as_of, today);
	json_t *cur = json_null(), *ph;
	size_t i;
	json_array_foreach(phases, i, ph)
	{
		if (strcmp(jstr(ph, "starts_on"), today) <= 0 &&
		    strcmp(jstr(ph, "ends_on"), today) >= 0)
			cur = json_object_get(ph, "name");
	}
	json_object_set(o, "current_phase", cur);
	json_object_set_new(o, "phases", phases);
	json_object_set_new(o, "categories", cats);
	phases = cats = NULL;
	json_object_set_new(x->out, "campaign", o);
	o = NULL;
out:
	json_decref(o);
	json_decref(phases);
	json_decref(cats);
	return result;
}

/* Targets: every task with its indicators and milestones, but not its
 * leader, team, reports or evidence. */
static duban_result public_targets(struct store_conn *c, struct public_ctx *x,
				   const struct light_params *params,
				   struct duban_error *err)
{
	struct taskset_ref ref;
	struct store_stmt *st;
	bool row = false;
	json_t *tasks = json_array();
	duban_result result = taskset_campaign(c, x->id, params, x->as_of,
					   &ref, err);
	if (result) {
		json_decref(tasks);
		return result;
	}
	const struct taskset *ts = ref.ts;
	result = store_prepare(c,
			       "SELECT t.id, t.parent_id, t.category_code,"
			       " t.title, t.lead_unit_id, u.name, t.starts_on,"
			       " t.due_on FROM tasks t JOIN units u ON u.id ="
			       " t.lead_unit_id WHERE t.campaign_id = ? ORDER"
			       " BY t.id",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	static const struct row_col tcols[] = {
		{ "id", ROW_INT },	     { "parent_id", ROW_INT },
		{ "category_code", ROW_TEXT }, { "title", ROW_TEXT },
		{ "lead_unit_id", ROW_INT },   { "lead_unit", ROW_TEXT },
		{ "starts_on", ROW_TEXT },     { "due_on", ROW_TEXT },
	};
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		json_t *t = row_json(st, tcols, 8);
		const struct ts_task *tt = taskset_find(ts, jint(t, "id", 0));
		json_object_set_new(t, "progress",
				    json_real(tt ? round(tt->progress * 10) /
							   10
						 : 0));
		json_object_set_new(t, "light",
				    json_string(light_name(
					    tt ? tt->light : LIGHT_GREEN)));
		json_object_set_new(t, "indicators", json_array());
		json_object_set_new(t, "milestones", json_array());
		json_array_append_new(tasks, t);
	}
	store_reset(st);
	if (result)
		goto out;
	/* indicators and milestones, in two more queries; tasks are in id
	 * order, so a binary search finds each one's task */
	static const struct {
		const char *sql, *list;
		struct row_col cols[6];
		int n;
	} parts[] = {
		{ "SELECT i.task_id, i.id, i.name, i.unit, i.target,"
		  " i.comparator FROM indicators i JOIN tasks t ON t.id ="
		  " i.task_id WHERE t.campaign_id = ? ORDER BY i.task_id,"
		  " i.seq",
		  "indicators",
		  { { "task_id", ROW_INT },
		    { "id", ROW_INT },
		    { "name", ROW_TEXT },
		    { "unit", ROW_TEXT },
		    { "target", ROW_REAL },
		    { "comparator", ROW_TEXT } },
		  6 },
		{ "SELECT m.task_id, m.title, m.due_on, m.completed_on FROM"
		  " milestones m JOIN tasks t ON t.id = m.task_id WHERE"
		  " t.campaign_id = ? ORDER BY m.task_id, m.seq",
		  "milestones",
		  { { "task_id", ROW_INT },
		    { "title", ROW_TEXT },
		    { "due_on", ROW_TEXT },
		    { "completed_on", ROW_TEXT } },
		  4 },
	};
	size_t next_ind = 0;
	for (size_t k = 0; k < 2 && result == DUBAN_OK; k++) {
		if ((result = store_prepare(c, parts[k].sql, &st, err)))
			break;
		store_bind_int(st, 1, x->id);
		while ((result = store_step(st, &row, err)) == DUBAN_OK &&
		       row) {
			int64_t tid = store_col_int(st, 0);
			size_t lo = 0, hi = json_array_size(tasks);
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (jint(json_array_get(tasks, mid), "id", 0) <
				    tid)
					lo = mid + 1;
				else
					hi = mid;
			}
			json_t *t = json_array_get(tasks, lo);
			if (!t || jint(t, "id", 0) != tid)
				continue;
			json_t *o = row_json(st, parts[k].cols, parts[k].n);
			json_object_del(o, "task_id");
			if (k == 0) {
				/* the latest value reported */
				/* the taskset loaded them in this same order */
				int64_t iid = jint(o, "id", 0);
				const struct ts_indicator *ind =
					next_ind < ts->nind &&
							ts->ind[next_ind].id == iid
						? &ts->ind[next_ind]
						: NULL;
				for (size_t j = 0; !ind && j < ts->nind; j++)
					if (ts->ind[j].id == iid)
						ind = &ts->ind[j];
				next_ind = ind ? (size_t)(ind - ts->ind) + 1 : 0;
				json_object_set_new(
					o, "value",
					ind && ind->has_value
						? json_real(ind->value)
						: json_null());
			}
			json_array_append_new(
				json_object_get(t, parts[k].list), o);
		}
		store_reset(st);
	}
out:
	taskset_ref_release(&ref);
	if (result)
		json_decref(tasks);
	else
		json_object_set_new(x->out, "targets", tasks);
	return result;
}

static duban_result public_lists(struct store_conn *c, struct public_ctx *x,
				 struct duban_error *err)
{
	static const struct row_col item_cols[] = {
		{ "unit_id", ROW_INT },	    { "unit", ROW_TEXT },
		{ "title", ROW_TEXT },	    { "description", ROW_TEXT },
		{ "status", ROW_TEXT },
	};
	static const struct row_col ledger_cols[] = {
		{ "unit_id", ROW_INT },	 { "unit", ROW_TEXT },
		{ "total", ROW_INT },	 { "closed", ROW_INT },
		{ "overdue", ROW_INT },
	};
	static const struct row_col bulletin_cols_pub[] = {
		{ "id", ROW_INT },	     { "serial", ROW_INT },
		{ "period", ROW_TEXT },	     { "doc_number", ROW_TEXT },
		{ "title", ROW_TEXT },	     { "published_on", ROW_TEXT },
	};
	struct store_stmt *st;
	json_t *items = NULL, *ledger = NULL, *bulletins = NULL, *v;
	char today[11];
	size_t i;
	duban_result result = store_prepare(
		c,
		"SELECT i.unit_id, u.name, i.title, i.description, i.status"
		" FROM items i JOIN units u ON u.id = i.unit_id WHERE"
		" i.campaign_id = ? AND i.status <> 'returned' ORDER BY"
		" i.unit_id, i.id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	if ((result = rows_json(st, item_cols, 5, &items, err)))
		return result;
	date_format(x->as_of, today);
	result = store_prepare(
		c,
		"SELECT p.unit_id, u.name, count(*), sum(CASE WHEN p.status ="
		" 'closed' THEN 1 ELSE 0 END), sum(CASE WHEN p.status NOT IN"
		" ('closed', 'rectified') AND p.due_on < ? THEN 1 ELSE 0 END)"
		" FROM problems p JOIN units u ON u.id = p.unit_id WHERE"
		" p.campaign_id = ? GROUP BY p.unit_id, u.name ORDER BY"
		" p.unit_id",
		&st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, today);
	store_bind_int(st, 2, x->id);
	if ((result = rows_json(st, ledger_cols, 5, &ledger, err)))
		goto out;
	json_array_foreach(ledger, i, v)
	{
		int64_t total = jint(v, "total", 0), closed = jint(v, "closed", 0);
		json_object_set_new(v, "open", json_integer(total - closed));
		json_object_set_new(v, "cleared",
				    json_boolean(total > 0 && closed == total));
	}
	result = store_prepare(c,
			       "SELECT id, serial, period, doc_number, title,"
			       " published_on FROM bulletins WHERE campaign_id"
			       " = ? AND status = 'published' ORDER BY serial",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	if ((result = rows_json(st, bulletin_cols_pub, 6, &bulletins, err)))
		goto out;
	json_array_foreach(bulletins, i, v)
	{
		char url[64];
		snprintf(url, sizeof(url), "/api/v1/public/bulletins/%lld.html",
			 (long long)jint(v, "id", 0));
		json_object_set_new(v, "html", json_string(url));
	}
	json_object_set_new(x->out, "items", items);
	json_object_set_new(x->out, "ledger", ledger);
	json_object_set_new(x->out, "bulletins", bulletins);
	items = ledger = bulletins = NULL;
out:
	json_decref(items);
	json_decref(ledger);
	json_decref(bulletins);
	return result;
}

static duban_result public_page(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct public_ctx *x = ctx;
	struct light_params params;
	char today[11];
	duban_result result;
	date_format(x->as_of, today);
	x->out = json_pack("{s:s}", "as_of", today);
	if ((result = public_campaign(c, x, &params, err)) ||
	    (result = public_targets(c, x, &params, err)) ||
	    (result = public_lists(c, x, err)))
		return result;
	return DUBAN_OK;
}

duban_result campaign_public(struct store *s, int64_t campaign_id,
			     int32_t as_of, json_t **out,
			     struct duban_error *err)
{
	struct public_ctx x = { campaign_id, as_of, NULL };
	duban_result result = store_read(s, public_page, &x, err);
	if (result) {
		json_decref(x.out);
		return result;
	}
	*out = x.out;
	return DUBAN_OK;
}
