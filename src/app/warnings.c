#include "app/warnings.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/campaigns.h"
#include "app/jalloc.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/taskset.h"
#include "app/text.h"
#include "app/workcal.h"
#include "base/date.h"
#include "core/roles.h"

static const struct row_col warning_cols[] = {
	{ "id", ROW_INT },	    { "campaign_id", ROW_INT },
	{ "task_id", ROW_INT },	    { "unit_id", ROW_INT },
	{ "red_since", ROW_TEXT },  { "reasons", ROW_TEXT },
	{ "created_on", ROW_TEXT }, { "status", ROW_TEXT },
	{ "held_on", ROW_TEXT },    { "notes", ROW_TEXT },
	{ "report", ROW_TEXT },	    { "report_due_on", ROW_TEXT },
	{ "reported_at", ROW_TIME }, { "closed_comment", ROW_TEXT },
	{ "version", ROW_INT },	    { "provisional_dates", ROW_BOOL },
};
#define WARNING_NCOLS 16
#define WARNING_SELECT                                                      \
	"SELECT w.id, w.campaign_id, w.task_id, w.unit_id, w.red_since,"    \
	" w.reasons, w.created_on, w.status, w.held_on, w.notes, w.report," \
	" w.report_due_on, w.reported_at, w.closed_comment, w.version,"     \
	" w.provisional_dates FROM warnings w"

static json_t *warning_row(struct store_stmt *st)
{
	json_t *o = row_json(st, warning_cols, WARNING_NCOLS);
	json_object_set_new(o, "reasons",
			    json_loads(jstr(o, "reasons"), 0, NULL));
	return o;
}

static duban_result load_warning(struct store_conn *c, int64_t id,
				 json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result =
		store_prepare(c, WARNING_SELECT " WHERE w.id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no warning interview with id %lld",
				    (long long)id);
	if (result == DUBAN_OK)
		*out = warning_row(st);
	store_reset(st);
	return result;
}

struct scan_ctx {
	const struct actor *a;
	int64_t id;
	int32_t as_of;
	json_t *out;
};

static duban_result scan(struct store_conn *c, void *ctx,
			 struct duban_error *err)
{
	struct scan_ctx *x = ctx;
	struct campaign_meta m;
	struct taskset ts;
	struct store_stmt *st;
	char today[11], since[11], due[11];
	duban_result result = campaign_meta_load(c, x->a, x->id, true, &m, err);
	if (result)
		return result;
	if ((result = taskset_load(c, x->id, NULL, &m.params, x->as_of, &ts,
				   err)))
		return result;
	date_format(x->as_of, today);
	for (size_t i = 0; i < ts.n && !result; i++) {
		struct ts_task *t = &ts.t[i];
		int64_t open = 0;
		int32_t report_due;
		bool prov = false;
		if (t->light != LIGHT_RED || !t->red_since ||
		    x->as_of - t->red_since < m.warning_red_days)
			continue;
		/* one open interview per task at a time */
		result = store_prepare(c,
				       "SELECT count(*) FROM warnings WHERE"
				       " task_id = ? AND status <> 'closed'",
				       &st, err);
		if (result)
			break;
		store_bind_int(st, 1, t->id);
		if ((result = store_one_int(st, &open, NULL, err)) || open)
			continue;
		/* the written report is due 5 working days on */
		if ((result = workcal_add(x->as_of, 5, &report_due, &prov,
					  err)))
			break;
		json_t *reasons = json_array();
		for (unsigned bit = 1; bit <= LIGHT_REASON_LAST; bit <<= 1)
			if (t->reasons & bit)
				json_array_append_new(
					reasons,
					json_string(light_reason_name(bit)));
		char *rs = json_text(reasons, JSON_COMPACT);
		json_decref(reasons);
		date_format(t->red_since, since);
		date_format(report_due, due);
		int64_t wid = 0;
		result = store_prepare(
			c,
			"INSERT INTO warnings (campaign_id, task_id, unit_id,"
			" red_since, reasons, created_on, status,"
			" report_due_on, provisional_dates) VALUES"
			" (?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
			&st, err);
		if (result == DUBAN_OK) {
			store_bind_int(st, 1, x->id);
			store_bind_int(st, 2, t->id);
			store_bind_int(st, 3, t->lead_unit_id);
			store_bind_str(st, 4, since);
			store_bind_str(st, 5, rs);
			store_bind_str(st, 6, today);
			store_bind_str(st, 7, due);
			store_bind_int(st, 8, prov);
			result = store_one_int(st, &wid, NULL, err);
		}
		free(rs);
		json_t *w = NULL;
		if (result == DUBAN_OK &&
		    (result = load_warning(c, wid, &w, err)) == DUBAN_OK) {
			result = audit_append(c, x->a, "warning", wid,
					      t->lead_unit_id, "create", NULL,
					      w, err);
			json_array_append_new(x->out, w);
		}
	}
	taskset_release(&ts);
	return result;
}

duban_result warning_scan(struct store *s, const struct actor *a,
			  int64_t campaign_id, int32_t as_of, json_t **out,
			  struct duban_error *err)
{
	struct scan_ctx x = { a, campaign_id, as_of, json_array() };
	duban_result result = store_write(s, scan, &x, err);
	if (result) {
		json_decref(x.out);
		return result;
	}
	*out = json_pack("{s:o}", "created", x.out);
	return DUBAN_OK;
}

struct list_ctx {
	const struct actor *a;
	int64_t id;
	const char *status;
	json_t *out;
};

static duban_result list(struct store_conn *c, void *ctx,
			 struct duban_error *err)
{
	struct list_ctx *l = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	bool row = false;
	json_t *items = json_array();
	duban_result result = campaign_meta_load(c, l->a, l->id, false, &m, err);
	if (result)
		goto out;
	result = store_prepare(c,
			       WARNING_SELECT " JOIN units u ON u.id = w.unit_id"
					      " WHERE w.campaign_id = ? AND"
					      " u.path >= ? AND u.path < ? AND"
					      " (? = '' OR w.status = ?)"
					      " ORDER BY w.id",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, l->id);
	scope_bind_subtree(st, 2, l->a);
	store_bind_str(st, 4, l->status ? l->status : "");
	store_bind_str(st, 5, l->status ? l->status : "");
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		json_array_append_new(items, warning_row(st));
	store_reset(st);
	if (result)
		goto out;
	l->out = json_pack("{s:o}", "items", items);
	items = NULL;
out:
	json_decref(items);
	return result;
}

duban_result warning_list(struct store *s, const struct actor *a,
			  int64_t campaign_id, const char *status,
			  json_t **out, struct duban_error *err)
{
	struct list_ctx l = { a, campaign_id, status, NULL };
	duban_result result = store_read(s, list, &l, err);
	*out = l.out;
	return result;
}

struct act_ctx {
	const struct actor *a;
	int64_t id;
	const char *action;
	const json_t *in;
	json_t *out;
};

static duban_result act(struct store_conn *c, void *ctx,
			struct duban_error *err)
{
	struct act_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *before = NULL;
	const char *from, *to;
	bool office = strcmp(x->action, "report") != 0;
	duban_result result = load_warning(c, x->id, &before, err);
	if (result)
		return result;
	if (strcmp(x->action, "hold") == 0) {
		from = "pending";
		to = "held";
	} else if (strcmp(x->action, "report") == 0) {
		from = "held";
		to = "reported";
	} else {
		from = "reported";
		to = "closed";
	}
	/* the office at the campaign's unit holds and closes; the unit
	 * interviewed writes the report */
	if (office) {
		result = campaign_meta_load(c, x->a,
					    jint(before, "campaign_id", 0),
					    true, &m, err);
		if (result == DUBAN_OK && !(x->a->roles & ROLE_OFFICE))
			result = duban_fail(err, DUBAN_E_FORBIDDEN, NULL,
					    "only the office may %s an "
					    "interview",
					    x->action);
	} else {
		result = scope_require_unit(c, x->a, jint(before, "unit_id", 0),
					    NULL, NULL, err);
	}
	if (result)
		goto out;
	if (strcmp(jstr(before, "status"), from) != 0) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT,
					 "invalid_transition", NULL,
					 "cannot %s an interview that is %s",
					 x->action, jstr(before, "status"));
		goto out;
	}
	if (strcmp(x->action, "hold") == 0) {
		int32_t held, due;
		bool prov = false;
		date_parse(jstr(x->in, "held_on"), 10, &held);
		int64_t n = jint(x->in, "report_workdays", 5);
		if ((result = workcal_add(held, (int)n, &due, &prov, err)))
			goto out;
		char d[11];
		date_format(due, d);
		result = store_prepare(c,
				       "UPDATE warnings SET status = ?, held_on"
				       " = ?, notes = ?, report_due_on = ?,"
				       " provisional_dates = ?,"
				       " version = version + 1 WHERE id = ?",
				       &st, err);
		if (result)
			goto out;
		store_bind_str(st, 1, to);
		store_bind_str(st, 2, jstr(x->in, "held_on"));
		store_bind_str(st, 3, jstr(x->in, "notes"));
		store_bind_str(st, 4, d);
		store_bind_int(st, 5, prov);
		store_bind_int(st, 6, x->id);
	} else if (strcmp(x->action, "report") == 0) {
		result = store_prepare(c,
				       "UPDATE warnings SET status = ?, report ="
				       " ?, reported_at = ?, version = version"
				       " + 1 WHERE id = ?",
				       &st, err);
		if (result)
			goto out;
		store_bind_str(st, 1, to);
		store_bind_str(st, 2, jstr(x->in, "report"));
		store_bind_int(st, 3, (int64_t)time(NULL));
		store_bind_int(st, 4, x->id);
	} else {
		result = store_prepare(c,
				       "UPDATE warnings SET status = ?,"
				       " closed_comment = ?, version = version"
				       " + 1 WHERE id = ?",
				       &st, err);
		if (result)
			goto out;
		store_bind_str(st, 1, to);
		store_bind_str(st, 2, jstr(x->in, "comment"));
		store_bind_int(st, 3, x->id);
	}
	if ((result = store_run(st, err)))
		goto out;
	if ((result = load_warning(c, x->id, &x->out, err)))
		goto out;
	result = audit_append(c, x->a, "warning", x->id,
			      jint(before, "unit_id", 0), x->action, before,
			      x->out, err);
out:
	json_decref(before);
	return result;
}

duban_result warning_act(struct store *s, const struct actor *a, int64_t id,
			 const char *action, const json_t *in, json_t **out,
			 struct duban_error *err)
{
	struct act_ctx x = { a, id, action, in, NULL };
	duban_result result = DUBAN_OK;
	int32_t d;
	if (strcmp(action, "hold") == 0) {
		int64_t n = jint(in, "report_workdays", 5);
		if ((result = field_date(in, NULL, -1, "held_on", true, &d, NULL,
					 err)) ||
		    (result = text_require(in, "notes", 0, 5000, false, err)))
			return result;
		if (n < 1 || n > 60)
			return duban_fail(err, DUBAN_E_INVALID,
					  "report_workdays",
					  "report_workdays must be from 1 to 60");
	} else if (strcmp(action, "report") == 0) {
		result = text_require(in, "report", 1, 20000, true, err);
	} else {
		result = text_require(in, "comment", 0, 5000, false, err);
	}
	if (result)
		return result;
	return write_answer(s, act, &x, &x.out, out,
			    err);
}
