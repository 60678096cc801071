#include "app/problems.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/attachments.h"
#include "app/audit.h"
#include "app/campaigns.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/unitsum.h"
#include "app/text.h"
#include "app/workcal.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/problem_flow.h"
#include "core/roles.h"

const char *problem_label(const char *code)
{
	static const struct {
		const char *code, *label;
	} labels[] = {
		{ "open", "待整改" },	     { "rectifying", "整改中" },
		{ "rectified", "已整改待销号" }, { "returned", "退回重改" },
		{ "closed", "已销号" },	     { "reopened", "重新打开" },
		{ "self", "自己找" },	     { "public", "群众提" },
		{ "superior", "上级点" },     { "inspection", "组织查" },
		{ "audit", "巡视审计" },
	};
	for (size_t i = 0; code && i < sizeof(labels) / sizeof(labels[0]);
	     i++)
		if (strcmp(labels[i].code, code) == 0)
			return labels[i].label;
	return code ? code : "";
}

static const struct row_col problem_cols[] = {
	{ "id", ROW_INT },	       { "campaign_id", ROW_INT },
	{ "unit_id", ROW_INT },	       { "person_name", ROW_TEXT },
	{ "source", ROW_TEXT },	       { "audit_kind", ROW_TEXT },
	{ "category", ROW_TEXT },      { "description", ROW_TEXT },
	{ "measures", ROW_TEXT },      { "responsible_name", ROW_TEXT },
	{ "found_on", ROW_TEXT },      { "due_on", ROW_TEXT },
	{ "immediate", ROW_BOOL },     { "status", ROW_TEXT },
	{ "progress_note", ROW_TEXT }, { "closed_on", ROW_TEXT },
	{ "created_at", ROW_TIME },    { "version", ROW_INT },
	{ "provisional_dates", ROW_BOOL },
};
#define PROBLEM_NCOLS 19
#define PROBLEM_COLUMNS                                                     \
	"SELECT p.id, p.campaign_id, p.unit_id, p.person_name, p.source,"   \
	" p.audit_kind, p.category, p.description, p.measures,"             \
	" p.responsible_name, p.found_on, p.due_on, p.immediate, p.status," \
	" p.progress_note, p.closed_on, p.created_at, p.version,"           \
	" p.provisional_dates"

/* Adds "overdue" for as_of to a problem object. */
static void put_overdue(json_t *p, int32_t as_of)
{
	int32_t due;
	const char *d = jstr(p, "due_on");
	bool over = d && date_parse(d, strlen(d), &due) && due < as_of &&
		    problem_status_pending(jstr(p, "status"));
	json_object_set_new(p, "overdue", json_boolean(over));
}

static duban_result load_problem(struct store_conn *c, int64_t id,
				 json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c, PROBLEM_COLUMNS " FROM problems p WHERE p.id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no problem with id %lld", (long long)id);
	if (result == DUBAN_OK)
		*out = row_json(st, problem_cols, PROBLEM_NCOLS);
	store_reset(st);
	return result;
}

/* --- creating --- */

duban_result problem_check(const json_t *in, struct duban_error *err)
{
	duban_result result;
	int32_t d;
	bool has_due = false;
	const char *source = jstr(in, "source");
	json_t *wd = json_object_get(in, "due_workdays");
	if ((result = text_require(in, "description", 1, 5000, true, err)) ||
	    (result = text_require(in, "measures", 0, 5000, false, err)) ||
	    (result = text_require(in, "person_name", 1, 50, false, err)) ||
	    (result = text_require(in, "responsible_name", 1, 50, false,
				   err)) ||
	    (result = text_require(in, "category", 1, 100, false, err)) ||
	    (result = text_require(in, "audit_kind", 1, 50, false, err)) ||
	    (result = field_date(in, NULL, -1, "found_on", false, &d, NULL,
				 err)) ||
	    (result = field_date(in, NULL, -1, "due_on", false, &d, &has_due,
				 err)))
		return result;
	if (!problem_source_valid(source))
		return duban_fail(err, DUBAN_E_INVALID, "source",
				  "source must be one of self, public, "
				  "superior, inspection, audit");
	if (has_due == (wd && !json_is_null(wd)))
		return duban_fail(err, DUBAN_E_INVALID, "due_on",
				  "give either due_on or due_workdays");
	if (wd && !json_is_null(wd) &&
	    (!json_is_integer(wd) || json_integer_value(wd) < 1 ||
	     json_integer_value(wd) > 1000))
		return duban_fail(err, DUBAN_E_INVALID, "due_workdays",
				  "due_workdays must be a whole number from 1 "
				  "to 1000");
	return DUBAN_OK;
}

duban_result problem_insert(struct store_conn *c, const struct actor *a,
			    const json_t *in, json_t **out,
			    struct duban_error *err)
{
	struct campaign_meta m;
	struct store_stmt *st;
	char path[256], found_s[11], due_s[11];
	int32_t found = date_today(), due = 0;
	bool prov = false;
	int64_t id = 0, unit = jint(in, "unit_id", 0);
	duban_result result = campaign_meta_load(
		c, a, jint(in, "campaign_id", 0), false, &m, err);
	if (result == DUBAN_E_NOT_FOUND)
		return duban_fail(err, DUBAN_E_INVALID, "campaign_id",
				  "no campaign with id %lld",
				  (long long)jint(in, "campaign_id", 0));
	if (result)
		return result;
	if ((result = scope_require_unit(c, a, unit, "unit_id", path, err)))
		return result;
	if (!scope_path_contains(m.unit_path, path))
		return duban_fail(err, DUBAN_E_INVALID, "unit_id",
				  "unit %lld is not under the campaign's unit",
				  (long long)unit);
	/* the category comes from the campaign's themes when it has any */
	const char *cat = jstr(in, "category");
	if (cat) {
		json_t *themes = NULL;
		bool hit = false;
		result = store_prepare(c, "SELECT themes FROM campaigns WHERE"
					  " id = ?",
				       &st, err);
		if (result)
			return result;
		store_bind_int(st, 1, m.id);
		bool row = false;
		if ((result = store_step(st, &row, err)) == DUBAN_OK && row)
			themes = json_loads(store_col_text(st, 0), 0, NULL);
		store_reset(st);
		if (result) {
			json_decref(themes);
			return result;
		}
		size_t i;
		json_t *v;
		json_array_foreach(themes, i, v)
		{
			if (json_is_string(v) &&
			    strcmp(json_string_value(v), cat) == 0)
				hit = true;
		}
		size_t nthemes = json_array_size(themes);
		json_decref(themes);
		if (nthemes && !hit)
			return duban_fail(err, DUBAN_E_INVALID, "category",
					  "category '%s' is not one of the "
					  "campaign's themes",
					  cat);
	}
	const char *f = jstr(in, "found_on");
	if (f)
		date_parse(f, strlen(f), &found);
	const char *d = jstr(in, "due_on");
	if (d) {
		date_parse(d, strlen(d), &due);
	} else if ((result = workcal_add(found,
					 (int)jint(in, "due_workdays", 1),
					 &due, &prov, err))) {
		if (err)
			snprintf(err->field, sizeof(err->field),
				 "due_workdays");
		return result;
	}
	if (due < found)
		return duban_fail(err, DUBAN_E_INVALID, "due_on",
				  "due_on is before found_on");
	date_format(found, found_s);
	date_format(due, due_s);
	result = store_prepare(
		c,
		"INSERT INTO problems (campaign_id, unit_id, person_name,"
		" source, audit_kind, category, description, measures,"
		" responsible_name, found_on, due_on, immediate, status,"
		" created_by, created_at, provisional_dates) VALUES"
		" (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)"
		" RETURNING id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, m.id);
	store_bind_int(st, 2, unit);
	store_bind_str(st, 3, jstr(in, "person_name"));
	store_bind_str(st, 4, jstr(in, "source"));
	store_bind_str(st, 5, jstr(in, "audit_kind"));
	store_bind_str(st, 6, cat);
	store_bind_str(st, 7, jstr(in, "description"));
	store_bind_str(st, 8, jstr(in, "measures"));
	store_bind_str(st, 9, jstr(in, "responsible_name"));
	store_bind_str(st, 10, found_s);
	store_bind_str(st, 11, due_s);
	store_bind_int(st, 12,
		       json_is_true(json_object_get(in, "immediate")));
	store_bind_int(st, 13, a->user_id);
	store_bind_int(st, 14, (int64_t)time(NULL));
	store_bind_int(st, 15, prov);
	if ((result = store_one_int(st, &id, NULL, err)))
		return result;
	result = store_prepare(c,
			       "INSERT INTO problem_events (problem_id,"
			       " to_status, note, actor_id, actor, at) VALUES"
			       " (?, 'open', ?, ?, ?, ?)",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	store_bind_str(st, 2, "found");
	store_bind_int(st, 3, a->user_id);
	store_bind_str(st, 4, a->username);
	store_bind_int(st, 5, (int64_t)time(NULL));
	if ((result = store_run(st, err)))
		return result;
	if ((result = load_problem(c, id, out, err)))
		return result;
	put_overdue(*out, date_today());
	return audit_append(c, a, "problem", id, unit, "create", NULL, *out,
			    err);
}

struct create_ctx {
	const struct actor *a;
	const json_t *in;
	json_t *out;
};

static duban_result create(struct store_conn *c, void *ctx,
			   struct duban_error *err)
{
	struct create_ctx *x = ctx;
	return problem_insert(c, x->a, x->in, &x->out, err);
}

duban_result problem_create(struct store *s, const struct actor *a,
			    const json_t *in, json_t **out,
			    struct duban_error *err)
{
	struct create_ctx x = { a, in, NULL };
	duban_result result = problem_check(in, err);
	if (result)
		return result;
	return write_answer(s, create, &x, &x.out, out,
			    err);
}

/* --- reading --- */

static const struct row_col event_cols[] = {
	{ "id", ROW_INT },	 { "from", ROW_TEXT },	 { "to", ROW_TEXT },
	{ "note", ROW_TEXT },	 { "evidence", ROW_TEXT }, { "actor", ROW_TEXT },
	{ "at", ROW_TIME },
};

struct get_ctx {
	const struct actor *a;
	int64_t id;
	int32_t as_of;
	json_t *out;
};

static duban_result get(struct store_conn *c, void *ctx,
			struct duban_error *err)
{
	struct get_ctx *g = ctx;
	struct store_stmt *st;
	json_t *p = NULL, *history = NULL;
	duban_result result = load_problem(c, g->id, &p, err);
	if (result)
		return result;
	result = scope_require_unit(c, g->a, jint(p, "unit_id", 0), NULL, NULL,
				    err);
	if (result)
		goto out;
	result = store_prepare(c,
			       "SELECT id, from_status, to_status, note,"
			       " evidence, actor, at FROM problem_events WHERE"
			       " problem_id = ? ORDER BY id",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, g->id);
	if ((result = rows_json(st, event_cols, 7, &history, err)) ||
	    (result = attachment_problem_history(c, g->id, history, err)))
		goto out;
	put_overdue(p, g->as_of);
	json_object_set_new(p, "history", history);
	g->out = p;
	p = NULL;
out:
	json_decref(p);
	return result;
}

duban_result problem_get(struct store *s, const struct actor *a, int64_t id,
			 int32_t as_of, json_t **out, struct duban_error *err)
{
	struct get_ctx g = { a, id, as_of, NULL };
	duban_result result = store_read(s, get, &g, err);
	*out = g.out;
	return result;
}

/*
 * The filters of GET /problems, in one statement: unused ones are switched
 * off by their guard parameter.
 */
#define PROBLEM_WHERE                                                        \
	" FROM problems p JOIN units u ON u.id = p.unit_id"                  \
	" WHERE u.path >= ? AND u.path < ?"                                  \
	" AND (? = 0 OR p.campaign_id = ?)"                                  \
	" AND (? = '' OR (u.path >= ? AND u.path < ?))"                      \
	" AND (? = '' OR p.status = ?)"                                      \
	" AND (? = '' OR p.source = ?)"                                      \
	" AND (? = '' OR (? = 'person' AND p.person_name IS NOT NULL)"       \
	" OR (? = 'unit' AND p.person_name IS NULL))"                        \
	" AND (? = 0 OR (p.status NOT IN ('closed', 'rectified')"            \
	" AND p.due_on < ?))"

struct list_ctx {
	const struct actor *a;
	const struct problem_filter *f;
	char lo[256], hi[256];
	json_t *out;
};

static int bind_filters(struct store_stmt *st, void *ctx)
{
	struct list_ctx *l = ctx;
	const struct problem_filter *f = l->f;
	char today[11];
	const char *status = f->status ? f->status : "";
	const char *source = f->source ? f->source : "";
	const char *kind = f->kind ? f->kind : "";
	date_format(f->as_of, today);
	scope_bind_subtree(st, 1, l->a);
	store_bind_int(st, 3, f->campaign_id);
	store_bind_int(st, 4, f->campaign_id);
	store_bind_str(st, 5, l->lo);
	store_bind_str(st, 6, l->lo);
	store_bind_str(st, 7, l->hi);
	store_bind_str(st, 8, status);
	store_bind_str(st, 9, status);
	store_bind_str(st, 10, source);
	store_bind_str(st, 11, source);
	store_bind_str(st, 12, kind);
	store_bind_str(st, 13, kind);
	store_bind_str(st, 14, kind);
	store_bind_int(st, 15, f->overdue_only);
	store_bind_str(st, 16, today);
	return 17;
}

static json_t *list_row(struct store_stmt *st, void *ctx)
{
	const struct list_ctx *l = ctx;
	json_t *o = row_json(st, problem_cols, PROBLEM_NCOLS);
	put_overdue(o, l->f->as_of);
	return o;
}

static duban_result list(struct store_conn *c, void *ctx,
			 struct duban_error *err)
{
	struct list_ctx *l = ctx;
	if (l->f->unit_id) {
		duban_result result = scope_require_unit(
			c, l->a, l->f->unit_id, "unit_id", l->lo, err);
		if (result)
			return result;
		memcpy(l->hi, l->lo, sizeof(l->hi));
		l->hi[strlen(l->hi) - 1] = '0';
	}
	const struct page_query q = {
		"SELECT count(*)" PROBLEM_WHERE,
		PROBLEM_COLUMNS PROBLEM_WHERE " ORDER BY p.id LIMIT ? OFFSET ?",
		bind_filters, list_row, l, l->f->page, l->f->per_page,
	};
	return page_query_run(c, &q, &l->out, err);
}

duban_result problem_list(struct store *s, const struct actor *a,
			  const struct problem_filter *f, json_t **out,
			  struct duban_error *err)
{
	struct list_ctx l;
	duban_result result;
	memset(&l, 0, sizeof(l));
	l.a = a;
	l.f = f;
	if (f->status && !problem_status_valid(f->status))
		return duban_fail(err, DUBAN_E_INVALID, "status",
				  "unknown status '%s'", f->status);
	if (f->source && !problem_source_valid(f->source))
		return duban_fail(err, DUBAN_E_INVALID, "source",
				  "unknown source '%s'", f->source);
	if (f->kind && strcmp(f->kind, "unit") != 0 &&
	    strcmp(f->kind, "person") != 0)
		return duban_fail(err, DUBAN_E_INVALID, "kind",
				  "kind must be unit or person");
	result = store_read(s, list, &l, err);
	*out = l.out;
	return result;
}

/* --- moving through the workflow --- */

struct move_ctx {
	const struct actor *a;
	int64_t id;
	const json_t *in;
	json_t *out;
};

static duban_result move(struct store_conn *c, void *ctx,
			 struct duban_error *err)
{
	struct move_ctx *x = ctx;
	struct store_stmt *st;
	struct problem_move mv;
	json_t *before = NULL;
	const char *to = jstr(x->in, "to");
	char today[11];
	int64_t event_id = 0;
	duban_result result = load_problem(c, x->id, &before, err);
	if (result)
		return result;
	if ((result = scope_require_unit(c, x->a, jint(before, "unit_id", 0),
					 NULL, NULL, err)))
		goto out;
	if ((result = problem_move_check(jstr(before, "status"), to, &mv,
					 err)))
		goto out;
	if (mv.office_only && !(x->a->roles & ROLE_OFFICE)) {
		result = duban_fail_code(err, DUBAN_E_FORBIDDEN, "office_only",
					 "to",
					 "only the office may move a problem "
					 "to %s",
					 to);
		goto out;
	}
	if (jint(before, "version", 0) != jint(x->in, "version", -1)) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT, "stale_version",
					 "version",
					 "problem %lld was changed by someone "
					 "else (version %lld)",
					 (long long)x->id,
					 (long long)jint(before, "version", 0));
		goto out;
	}
	if (mv.needs_note && !jstr(x->in, "note")) {
		result = duban_fail(err, DUBAN_E_INVALID, "note",
				    "a note is required to move a problem to "
				    "%s",
				    to);
		goto out;
	}
	/* a photo or a document is evidence as much as a sentence is */
	if (mv.needs_evidence && !jstr(x->in, "evidence") &&
	    !json_array_size(json_object_get(x->in, "attachment_ids"))) {
		result = duban_fail(err, DUBAN_E_INVALID, "evidence",
				    "evidence of the rectification is "
				    "required");
		goto out;
	}
	date_format(date_today(), today);
	result = store_prepare(
		c,
		"UPDATE problems SET status = ?, progress_note ="
		" coalesce(?, progress_note), closed_on = ?, version ="
		" version + 1 WHERE id = ? AND version = ?",
		&st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, to);
	store_bind_str(st, 2, jstr(x->in, "note"));
	if (strcmp(to, "closed") == 0)
		store_bind_str(st, 3, today);
	else
		store_bind_null(st, 3);
	store_bind_int(st, 4, x->id);
	store_bind_int(st, 5, jint(before, "version", 0));
	if ((result = store_run(st, err)))
		goto out;
	result = store_prepare(c,
			       "INSERT INTO problem_events (problem_id,"
			       " from_status, to_status, note, evidence,"
			       " actor_id, actor, at) VALUES"
			       " (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, jstr(before, "status"));
	store_bind_str(st, 3, to);
	store_bind_str(st, 4, jstr(x->in, "note"));
	store_bind_str(st, 5, jstr(x->in, "evidence"));
	store_bind_int(st, 6, x->a->user_id);
	store_bind_str(st, 7, x->a->username);
	store_bind_int(st, 8, (int64_t)time(NULL));
	if ((result = store_one_int(st, &event_id, NULL, err)) ||
	    (result = attachment_link_problem(
		     c, x->a, x->id, jint(before, "unit_id", 0), event_id,
		     json_object_get(x->in, "attachment_ids"),
		     "attachment_ids", err)))
		goto out;
	if ((result = load_problem(c, x->id, &x->out, err)))
		goto out;
	put_overdue(x->out, date_today());
	result = audit_append(c, x->a, "problem", x->id,
			      jint(before, "unit_id", 0), to, before, x->out,
			      err);
out:
	json_decref(before);
	return result;
}

duban_result problem_transition(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err)
{
	struct move_ctx x = { a, id, in, NULL };
	duban_result result;
	if ((result = text_require(in, "note", 1, 5000, false, err)) ||
	    (result = text_require(in, "evidence", 1, 5000, false, err)) ||
	    (result = attachment_ids_check(json_object_get(in,
							   "attachment_ids"),
					   "attachment_ids", err)))
		return result;
	if (!problem_status_valid(jstr(in, "to")))
		return duban_fail(err, DUBAN_E_INVALID, "to",
				  "to must be one of open, rectifying, "
				  "rectified, returned, closed, reopened");
	return write_answer(s, move, &x, &x.out, out,
			    err);
}

/* --- the ledger --- */

/* a unit's counters: by status (status_index()), then these */
enum { L_TOTAL = 6, L_CLOSED, L_OVERDUE, L_COUNTERS };

static int status_index(const char *s)
{
	static const char *const order[] = { "open",	 "rectifying",
					     "rectified", "returned",
					     "closed",	 "reopened" };
	for (int i = 0; i < 6; i++)
		if (s && strcmp(s, order[i]) == 0)
			return i;
	return 0;
}

struct ledger_ctx {
	const struct actor *a;
	int64_t id;
	int32_t as_of;
	json_t *out;
};

static json_t *ledger_json(int64_t id, int64_t total, int64_t closed,
			   int64_t overdue)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:b}", "unit_id",
			 (json_int_t)id, "total", (json_int_t)total, "closed",
			 (json_int_t)closed, "open", (json_int_t)(total - closed),
			 "overdue", (json_int_t)overdue, "cleared",
			 total > 0 && closed == total);
}

static duban_result ledger(struct store_conn *c, void *ctx,
			   struct duban_error *err)
{
	static const char *const order[] = { "open",	 "rectifying",
					     "rectified", "returned",
					     "closed",	 "reopened" };
	struct ledger_ctx *l = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	struct unitsum units = { 0 };
	bool row = false;
	char today[11];
	duban_result result = campaign_meta_load(c, l->a, l->id, false, &m, err);
	if (result)
		return result;
	date_format(l->as_of, today);
	if ((result = unitsum_load(c, l->a, NULL, NULL, L_COUNTERS, &units,
				   err)))
		return result;
	/* one grouped pass: counts per unit and status, overdue apart */
	result = store_prepare(
		c,
		"SELECT p.unit_id, p.status, count(*), sum(CASE WHEN p.status"
		" NOT IN ('closed', 'rectified') AND p.due_on < ? THEN 1 ELSE 0"
		" END) FROM problems p WHERE p.campaign_id = ?"
		" GROUP BY p.unit_id, p.status",
		&st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, today);
	store_bind_int(st, 2, l->id);
	int64_t totals[3] = { 0, 0, 0 };
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		int k = status_index(store_col_text(st, 1));
		int64_t v[L_COUNTERS] = { 0 };
		v[k] = v[L_TOTAL] = store_col_int(st, 2);
		v[L_CLOSED] = k == 4 ? v[L_TOTAL] : 0;
		v[L_OVERDUE] = store_col_int(st, 3);
		if (!unitsum_add(&units, store_col_int(st, 0), v))
			continue;
		totals[0] += v[L_TOTAL];
		totals[1] += v[L_CLOSED];
		totals[2] += v[L_OVERDUE];
	}
	store_reset(st);
	if (result)
		goto out;
	/* roll up along the paths into every ancestor in scope */
	unitsum_roll_up(&units);
	json_t *ju = json_array(), *js = json_array();
	for (size_t i = 0; i < units.n; i++) {
		const struct unitsum_unit *u = &units.u[i];
		if (u->own[L_TOTAL]) {
			json_t *o = ledger_json(u->id, u->own[L_TOTAL],
						u->own[L_CLOSED],
						u->own[L_OVERDUE]);
			json_t *bs = json_object();
			for (int k = 0; k < 6; k++)
				json_object_set_new(bs, order[k],
						    json_integer(u->own[k]));
			json_object_set_new(o, "by_status", bs);
			json_array_append_new(ju, o);
		}
		if (u->sub[L_TOTAL])
			json_array_append_new(js,
					      ledger_json(u->id, u->sub[L_TOTAL],
							  u->sub[L_CLOSED],
							  u->sub[L_OVERDUE]));
	}
	json_t *tot = ledger_json(0, totals[0], totals[1], totals[2]);
	json_object_del(tot, "unit_id");
	l->out = json_pack("{s:I, s:s, s:o, s:o, s:o}", "campaign_id",
			   (json_int_t)l->id, "as_of", today, "units", ju,
			   "subtrees", js, "totals", tot);
out:
	unitsum_release(&units);
	return result;
}

duban_result campaign_ledger(struct store *s, const struct actor *a,
			     int64_t campaign_id, int32_t as_of, json_t **out,
			     struct duban_error *err)
{
	struct ledger_ctx l = { a, campaign_id, as_of, NULL };
	duban_result result = store_read(s, ledger, &l, err);
	*out = l.out;
	return result;
}

struct rows_ctx {
	const struct actor *a;
	int64_t id;
	int32_t as_of;
	ledger_row_fn fn;
	void *ctx;
};

static duban_result export_rows(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct rows_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	bool row = false;
	int64_t seq = 0;
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m, err);
	if (result)
		return result;
	result = store_prepare(
		c,
		"SELECT u.name, p.source, p.category, p.description,"
		" p.measures, p.responsible_name, p.progress_note, p.status,"
		" p.due_on, p.closed_on, p.audit_kind, p.person_name"
		/* units in path order outside, each one's problems inside:
		 * only a unit's problems are sorted at a time, where sorting
		 * the whole join held a million rows in memory */
		" FROM units u CROSS JOIN problems p"
		" WHERE p.unit_id = u.id AND p.campaign_id = ? AND"
		" u.path >= ? AND u.path < ?"
		" ORDER BY u.path, p.id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	scope_bind_subtree(st, 2, x->a);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct ledger_row r;
		char unit[300], source[120];
		const char *due = store_col_text(st, 8),
			   *closed = store_col_text(st, 9);
		memset(&r, 0, sizeof(r));
		r.seq = ++seq;
		/* a personal list names the person after the unit */
		if (store_col_text(st, 11))
			snprintf(unit, sizeof(unit), "%s(%s)",
				 store_col_text(st, 0), store_col_text(st, 11));
		else
			snprintf(unit, sizeof(unit), "%s",
				 store_col_text(st, 0));
		r.unit = unit;
		/* an audit's kind (巡视巡察, 统计督察 ...) says more */
		if (store_col_text(st, 10))
			snprintf(source, sizeof(source), "%s",
				 store_col_text(st, 10));
		else
			snprintf(source, sizeof(source), "%s",
				 problem_label(store_col_text(st, 1)));
		r.source = source;
		r.category = store_col_text(st, 2);
		r.description = store_col_text(st, 3);
		r.measures = store_col_text(st, 4);
		r.responsible = store_col_text(st, 5);
		r.progress = store_col_text(st, 6);
		r.status = problem_label(store_col_text(st, 7));
		if (due)
			date_parse(due, strlen(due), &r.due_on);
		if (closed)
			date_parse(closed, strlen(closed), &r.closed_on);
		r.overdue = r.due_on && r.due_on < x->as_of &&
			    problem_status_pending(store_col_text(st, 7));
		if ((result = x->fn(&r, x->ctx, err)))
			break;
	}
	store_reset(st);
	return result;
}

duban_result campaign_ledger_rows(struct store *s, const struct actor *a,
				  int64_t campaign_id, int32_t as_of,
				  ledger_row_fn fn, void *ctx,
				  struct duban_error *err)
{
	struct rows_ctx x = { a, campaign_id, as_of, fn, ctx };
	return store_read(s, export_rows, &x, err);
}

/* --- the ledger over time --- */

struct trend_ctx {
	const struct actor *a;
	int64_t id;
	int32_t from, to;
	json_t *out;
};

#define TREND_MAX_MONTHS 36

struct trend_month {
	int32_t end;
	int64_t total, closed, overdue;
};

/* Counts one problem into every month, from its state at each month's end. */
static void trend_count(struct trend_month *m, int nm, int32_t found,
			int32_t due, const int32_t *ev_day,
			const char *const *ev_to, int nev)
{
	for (int k = 0; k < nm; k++) {
		/* recorded before its first move reached the ledger: open */
		const char *state = "open";
		if (found > m[k].end)
			continue;
		for (int e = 0; e < nev; e++)
			if (ev_day[e] <= m[k].end)
				state = ev_to[e];
		m[k].total++;
		if (state && strcmp(state, "closed") == 0)
			m[k].closed++;
		else if (due < m[k].end && problem_status_pending(state))
			m[k].overdue++;
	}
}

static duban_result trend(struct store_conn *c, void *ctx,
			  struct duban_error *err)
{
	struct trend_ctx *x = ctx;
	struct campaign_meta cm;
	struct store_stmt *st;
	struct trend_month months[TREND_MAX_MONTHS];
	int nm = 0, y, mo, d;
	bool row = false;
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &cm,
						 err);
	if (result)
		return result;
	date_to_ymd(x->from, &y, &mo, &d);
	while (nm < TREND_MAX_MONTHS) {
		int32_t start = date_from_ymd(y, mo, 1);
		if (start > x->to)
			break;
		mo++;
		if (mo > 12) {
			mo = 1;
			y++;
		}
		months[nm].end = date_from_ymd(y, mo, 1) - 1;
		months[nm].total = months[nm].closed = months[nm].overdue = 0;
		nm++;
	}
	result = store_prepare(
		c,
		"SELECT p.id, p.found_on, p.due_on, e.to_status, e.at"
		" FROM problems p JOIN units u ON u.id = p.unit_id"
		" LEFT JOIN problem_events e ON e.problem_id = p.id"
		" WHERE p.campaign_id = ? AND u.path >= ? AND u.path < ?"
		" ORDER BY p.id, e.id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	scope_bind_subtree(st, 2, x->a);
	int64_t cur = -1;
	int32_t found = 0, due = 0;
	int32_t ev_day[64];
	char ev_to[64][16];
	const char *ev_ptr[64];
	int nev = 0;
	for (;;) {
		if ((result = store_step(st, &row, err)))
			break;
		int64_t id = row ? store_col_int(st, 0) : -2;
		if (id != cur && cur >= 0)
			trend_count(months, nm, found, due, ev_day, ev_ptr,
				    nev);
		if (!row)
			break;
		if (id != cur) {
			const char *f = store_col_text(st, 1),
				   *du = store_col_text(st, 2);
			cur = id;
			nev = 0;
			date_parse(f, strlen(f), &found);
			date_parse(du, strlen(du), &due);
		}
		/* a problem's moves, oldest first; beyond 64 the last wins */
		if (!store_col_null(st, 3)) {
			int k = nev < 64 ? nev++ : 63;
			ev_day[k] = date_of_time((time_t)store_col_int(st, 4));
			snprintf(ev_to[k], sizeof(ev_to[k]), "%s",
				 store_col_text(st, 3));
			ev_ptr[k] = ev_to[k];
		}
	}
	store_reset(st);
	if (result)
		return result;
	json_t *arr = json_array();
	for (int k = 0; k < nm; k++) {
		char month[11];
		date_format(months[k].end, month);
		month[7] = '\0';
		json_array_append_new(
			arr, json_pack("{s:s, s:I, s:I, s:I, s:I}", "month",
				       month, "total",
				       (json_int_t)months[k].total, "closed",
				       (json_int_t)months[k].closed, "open",
				       (json_int_t)(months[k].total -
						    months[k].closed),
				       "overdue",
				       (json_int_t)months[k].overdue));
	}
	x->out = json_pack("{s:I, s:o}", "campaign_id", (json_int_t)x->id,
			   "months", arr);
	return DUBAN_OK;
}

duban_result campaign_ledger_trend(struct store *s, const struct actor *a,
				   int64_t campaign_id, int32_t from,
				   int32_t to, json_t **out,
				   struct duban_error *err)
{
	struct trend_ctx x = { a, campaign_id, from, to, NULL };
	if (to < from)
		return duban_fail(err, DUBAN_E_INVALID, "to",
				  "to is before from");
	duban_result result = store_read(s, trend, &x, err);
	*out = x.out;
	return result;
}
