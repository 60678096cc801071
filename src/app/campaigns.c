#include "app/campaigns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/jalloc.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/text.h"
#include "app/units.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/roles.h"

static bool parse_day(const char *s, int32_t *out)
{
	return s && date_parse(s, strlen(s), out);
}

duban_result campaign_meta_load(struct store_conn *c, const struct actor *a,
				int64_t id, bool manage,
				struct campaign_meta *m,
				struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT unit_id, starts_on, ends_on, due_soon_workdays,"
		" report_due_workday, warning_red_days FROM campaigns"
		" WHERE id = ?",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no campaign with id %lld", (long long)id);
	if (result == DUBAN_OK) {
		m->id = id;
		m->unit_id = store_col_int(st, 0);
		parse_day(store_col_text(st, 1), &m->starts_on);
		parse_day(store_col_text(st, 2), &m->ends_on);
		m->params.due_soon_workdays = (int)store_col_int(st, 3);
		m->params.report_due_workday = (int)store_col_int(st, 4);
		m->warning_red_days = (int)store_col_int(st, 5);
	}
	store_reset(st);
	if (result)
		return result;
	return manage ? scope_require_unit(c, a, m->unit_id, NULL,
					   m->unit_path, err)
		      : scope_require_reach(c, a, m->unit_id, m->unit_path,
					    err);
}

/* --- reading a campaign --- */

static const struct row_col campaign_cols[] = {
	{ "id", ROW_INT },	      { "parent_id", ROW_INT },
	{ "unit_id", ROW_INT },	      { "title", ROW_TEXT },
	{ "doc_number", ROW_TEXT },   { "starts_on", ROW_TEXT },
	{ "ends_on", ROW_TEXT },      { "themes", ROW_TEXT },
	{ "due_soon_workdays", ROW_INT }, { "report_due_workday", ROW_INT },
	{ "version", ROW_INT },	      { "created_at", ROW_TIME },
	{ "warning_red_days", ROW_INT },
};
#define CAMPAIGN_SELECT                                                     \
	"SELECT id, parent_id, unit_id, title, doc_number, starts_on,"      \
	" ends_on, themes, due_soon_workdays, report_due_workday, version," \
	" created_at, warning_red_days FROM campaigns"

static const struct row_col phase_cols[] = {
	{ "id", ROW_INT },	  { "seq", ROW_INT },	  { "name", ROW_TEXT },
	{ "starts_on", ROW_TEXT }, { "ends_on", ROW_TEXT },
};
static const struct row_col category_cols[] = {
	{ "id", ROW_INT },   { "seq", ROW_INT },
	{ "code", ROW_TEXT }, { "name", ROW_TEXT },
	{ "planned_tasks", ROW_INT },
};

/* The current phase on as_of: the latest-starting phase that covers it. */
static json_t *current_phase(json_t *phases, int32_t as_of)
{
	size_t i;
	json_t *p, *best = NULL;
	int32_t best_start = INT32_MIN;
	json_array_foreach(phases, i, p)
	{
		int32_t s, e;
		if (parse_day(jstr(p, "starts_on"), &s) &&
		    parse_day(jstr(p, "ends_on"), &e) && s <= as_of &&
		    as_of <= e && s >= best_start) {
			best = p;
			best_start = s;
		}
	}
	return best ? json_string(jstr(best, "name")) : json_null();
}

static duban_result load_campaign(struct store_conn *c, int64_t id,
				  int32_t as_of, json_t **out,
				  struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	json_t *o = NULL, *phases = NULL, *cats = NULL;
	duban_result result =
		store_prepare(c, CAMPAIGN_SELECT " WHERE id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no campaign with id %lld", (long long)id);
	if (result == DUBAN_OK)
		o = row_json(st, campaign_cols, 13);
	store_reset(st);
	if (result)
		return result;
	/* themes are stored as a JSON array */
	json_object_set_new(o, "themes",
			    json_loads(jstr(o, "themes"), 0, NULL));
	result = store_prepare(c,
			       "SELECT id, seq, name, starts_on, ends_on FROM"
			       " campaign_phases WHERE campaign_id = ?"
			       " ORDER BY seq",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, id);
	if ((result = rows_json(st, phase_cols, 5, &phases, err)))
		goto out;
	result = store_prepare(c,
			       "SELECT id, seq, code, name, planned_tasks FROM"
			       " campaign_categories WHERE campaign_id = ?"
			       " ORDER BY seq",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, id);
	if ((result = rows_json(st, category_cols, 5, &cats, err)))
		goto out;
	json_object_set_new(o, "current_phase", current_phase(phases, as_of));
	json_object_set_new(o, "phases", phases);
	json_object_set_new(o, "categories", cats);
	phases = cats = NULL;
	*out = o;
	o = NULL;
out:
	json_decref(o);
	json_decref(phases);
	json_decref(cats);
	return result;
}

/* --- creating one --- */

static duban_result check_campaign(const json_t *in, struct duban_error *err)
{
	duban_result result;
	int32_t start, end, ps, pe;
	size_t i;
	json_t *v;
	if ((result = text_require(in, "title", 1, 200, true, err)) ||
	    (result = text_require(in, "doc_number", 1, 64, false, err)) ||
	    (result = field_date(in, NULL, -1, "starts_on", true, &start, NULL,
				 err)) ||
	    (result = field_date(in, NULL, -1, "ends_on", true, &end, NULL,
				 err)))
		return result;
	if (end < start)
		return duban_fail(err, DUBAN_E_INVALID, "ends_on",
				  "ends_on is before starts_on");
	json_array_foreach(json_object_get(in, "phases"), i, v)
	{
		int k = (int)i;
		char name[64];
		if (!json_is_object(v))
			return duban_fail(err, DUBAN_E_INVALID, "phases",
					  "each phase must be an object");
		if ((result = field_text(v, "phases", k, "name", 1, 100, true,
					 err)) ||
		    (result = field_date(v, "phases", k, "starts_on", true, &ps,
					 NULL, err)) ||
		    (result = field_date(v, "phases", k, "ends_on", true, &pe,
					 NULL, err)))
			return result;
		field_name(name, sizeof(name), "phases", k, "ends_on");
		if (pe < ps)
			return duban_fail(err, DUBAN_E_INVALID, name,
					  "%s is before its starts_on", name);
		if (ps < start || pe > end) {
			field_name(name, sizeof(name), "phases", k,
				   ps < start ? "starts_on" : "ends_on");
			return duban_fail(err, DUBAN_E_INVALID, name,
					  "%s lies outside the campaign period",
					  name);
		}
	}
	json_array_foreach(json_object_get(in, "categories"), i, v)
	{
		int k = (int)i;
		json_t *pt;
		if (!json_is_object(v))
			return duban_fail(err, DUBAN_E_INVALID, "categories",
					  "each category must be an object");
		if ((result = field_text(v, "categories", k, "code", 1, 32,
					 true, err)) ||
		    (result = field_text(v, "categories", k, "name", 1, 100,
					 true, err)))
			return result;
		pt = json_object_get(v, "planned_tasks");
		if (pt && !json_is_null(pt) &&
		    (!json_is_integer(pt) || json_integer_value(pt) < 0 ||
		     json_integer_value(pt) > 1000000)) {
			char name[64];
			field_name(name, sizeof(name), "categories", k,
				   "planned_tasks");
			return duban_fail(err, DUBAN_E_INVALID, name,
					  "%s must be a whole number >= 0",
					  name);
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(jstr(json_array_get(json_object_get(
						in, "categories"), j),
					"code"),
				   jstr(v, "code")) == 0) {
				char name[64];
				field_name(name, sizeof(name), "categories", k,
					   "code");
				return duban_fail(err, DUBAN_E_INVALID, name,
						  "category code '%s' is used "
						  "twice",
						  jstr(v, "code"));
			}
	}
	json_array_foreach(json_object_get(in, "themes"), i, v)
	{
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 300)
			return duban_fail(err, DUBAN_E_INVALID, "themes",
					  "each theme must be a non-empty text");
	}
	int64_t d = jint(in, "due_soon_workdays", 3),
		r = jint(in, "report_due_workday", 5);
	if (d < 0 || d > 60)
		return duban_fail(err, DUBAN_E_INVALID, "due_soon_workdays",
				  "due_soon_workdays must be from 0 to 60");
	if (r < 1 || r > 20)
		return duban_fail(err, DUBAN_E_INVALID, "report_due_workday",
				  "report_due_workday must be from 1 to 20");
	int64_t w = jint(in, "warning_red_days", 10);
	if (w < 1 || w > 365)
		return duban_fail(err, DUBAN_E_INVALID, "warning_red_days",
				  "warning_red_days must be from 1 to 365");
	return DUBAN_OK;
}

struct create_ctx {
	const struct actor *a;
	const json_t *in;
	json_t *out;
};

static duban_result insert_children(struct store_conn *c, int64_t id,
				    const json_t *in,
				    struct duban_error *err)
{
	struct store_stmt *st;
	size_t i;
	json_t *v;
	duban_result result = DUBAN_OK;
	json_array_foreach(json_object_get(in, "phases"), i, v)
	{
		result = store_prepare(
			c,
			"INSERT INTO campaign_phases (campaign_id, seq, name,"
			" starts_on, ends_on) VALUES (?, ?, ?, ?, ?)",
			&st, err);
		if (result)
			return result;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, (int64_t)i + 1);
		store_bind_str(st, 3, jstr(v, "name"));
		store_bind_str(st, 4, jstr(v, "starts_on"));
		store_bind_str(st, 5, jstr(v, "ends_on"));
		if ((result = store_run(st, err)))
			return result;
	}
	json_array_foreach(json_object_get(in, "categories"), i, v)
	{
		result = store_prepare(
			c,
			"INSERT INTO campaign_categories (campaign_id, seq,"
			" code, name, planned_tasks) VALUES (?, ?, ?, ?, ?)",
			&st, err);
		if (result)
			return result;
		store_bind_int(st, 1, id);
		store_bind_int(st, 2, (int64_t)i + 1);
		store_bind_str(st, 3, jstr(v, "code"));
		store_bind_str(st, 4, jstr(v, "name"));
		store_bind_int(st, 5, jint(v, "planned_tasks", 0));
		if ((result = store_run(st, err)))
			return result;
	}
	return result;
}

static duban_result create_campaign(struct store_conn *c, void *ctx,
				    struct duban_error *err)
{
	struct create_ctx *x = ctx;
	struct store_stmt *st;
	char unit_path[256];
	int64_t id = 0, parent = jint(x->in, "parent_id", 0);
	char *themes = NULL;
	duban_result result = scope_require_unit(
		c, x->a, jint(x->in, "unit_id", 0), "unit_id", unit_path, err);
	if (result)
		return result;
	if (parent) {
		/* adopting: the parent campaign was issued at or above us */
		struct campaign_meta pm;
		result = campaign_meta_load(c, x->a, parent, false, &pm, err);
		if (result == DUBAN_E_NOT_FOUND || result == DUBAN_E_FORBIDDEN)
			return duban_fail(err, DUBAN_E_INVALID, "parent_id",
					  "no campaign %lld to adopt",
					  (long long)parent);
		if (result)
			return result;
		if (!scope_path_contains(pm.unit_path, unit_path))
			return duban_fail(err, DUBAN_E_INVALID, "parent_id",
					  "campaign %lld was not issued above "
					  "unit %lld",
					  (long long)parent,
					  (long long)jint(x->in, "unit_id", 0));
	}
	json_t *th = json_object_get(x->in, "themes");
	themes = th ? json_text(th, JSON_COMPACT) : xstrdup("[]");
	result = store_prepare(
		c,
		"INSERT INTO campaigns (parent_id, unit_id, title, doc_number,"
		" starts_on, ends_on, themes, due_soon_workdays,"
		" report_due_workday, created_at, warning_red_days) VALUES"
		" (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		&st, err);
	if (result)
		goto out;
	if (parent)
		store_bind_int(st, 1, parent);
	else
		store_bind_null(st, 1);
	store_bind_int(st, 2, jint(x->in, "unit_id", 0));
	store_bind_str(st, 3, jstr(x->in, "title"));
	store_bind_str(st, 4, jstr(x->in, "doc_number"));
	store_bind_str(st, 5, jstr(x->in, "starts_on"));
	store_bind_str(st, 6, jstr(x->in, "ends_on"));
	store_bind_str(st, 7, themes);
	store_bind_int(st, 8, jint(x->in, "due_soon_workdays", 3));
	store_bind_int(st, 9, jint(x->in, "report_due_workday", 5));
	store_bind_int(st, 10, (int64_t)time(NULL));
	store_bind_int(st, 11, jint(x->in, "warning_red_days", 10));
	if ((result = store_one_int(st, &id, NULL, err)))
		goto out;
	if ((result = insert_children(c, id, x->in, err)))
		goto out;
	if ((result = load_campaign(c, id, date_today(), &x->out, err)))
		goto out;
	result = audit_append(c, x->a, "campaign", id, jint(x->in, "unit_id", 0), "create", NULL, x->out,
			      err);
out:
	free(themes);
	return result;
}

duban_result campaign_create(struct store *s, const struct actor *a,
			     const json_t *in, json_t **out,
			     struct duban_error *err)
{
	struct create_ctx x = { a, in, NULL };
	duban_result result = check_campaign(in, err);
	if (result)
		return result;
	return write_answer(s, create_campaign, &x, &x.out, out,
			    err);
}

struct get_ctx {
	const struct actor *a;
	int64_t id;
	int32_t as_of;
	json_t *out;
};

static duban_result get_campaign(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct get_ctx *g = ctx;
	struct campaign_meta m;
	duban_result result = campaign_meta_load(c, g->a, g->id, false, &m, err);
	if (result)
		return result;
	return load_campaign(c, g->id, g->as_of, &g->out, err);
}

duban_result campaign_get(struct store *s, const struct actor *a, int64_t id,
			  int32_t as_of, json_t **out,
			  struct duban_error *err)
{
	struct get_ctx g = { a, id, as_of, NULL };
	duban_result result = store_read(s, get_campaign, &g, err);
	*out = g.out;
	return result;
}

struct list_ctx {
	const struct actor *a;
	int page, per_page;
	int32_t as_of;
	json_t *out;
};

static duban_result list_campaigns(struct store_conn *c, void *ctx,
				   struct duban_error *err)
{
	struct list_ctx *l = ctx;
	struct store_stmt *st;
	int64_t total = 0;
	json_t *items = json_array();
	bool row = false;
	/* readable: issued in our subtree, or on the path above our unit */
#define CAMPAIGN_READABLE                                       \
	" FROM campaigns c JOIN units u ON u.id = c.unit_id"    \
	" WHERE (u.path >= ? AND u.path < ?)"                   \
	" OR substr(?, 1, length(u.path)) = u.path"
	duban_result result = store_prepare(
		c, "SELECT count(*)" CAMPAIGN_READABLE, &st, err);
	if (result)
		goto out;
	scope_bind_subtree(st, 1, l->a);
	store_bind_str(st, 3, l->a->unit_path);
	if ((result = store_one_int(st, &total, NULL, err)))
		goto out;
	result = store_prepare(c,
			       "SELECT c.id" CAMPAIGN_READABLE
			       " ORDER BY c.starts_on DESC, c.id DESC"
			       " LIMIT ? OFFSET ?",
			       &st, err);
	if (result)
		goto out;
	scope_bind_subtree(st, 1, l->a);
	store_bind_str(st, 3, l->a->unit_path);
	store_bind_int(st, 4, l->per_page);
	store_bind_int(st, 5, (int64_t)(l->page - 1) * l->per_page);
	int64_t ids[500];
	int n = 0;
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row &&
	       n < 500)
		ids[n++] = store_col_int(st, 0);
	store_reset(st);
	if (result)
		goto out;
	for (int i = 0; i < n; i++) {
		json_t *cj = NULL;
		if ((result = load_campaign(c, ids[i], l->as_of, &cj, err)))
			goto out;
		json_array_append_new(items, cj);
	}
	l->out = page_json(items, total, l->page, l->per_page);
	items = NULL;
out:
	json_decref(items);
	return result;
}

duban_result campaign_list(struct store *s, const struct actor *a, int page,
			   int per_page, int32_t as_of, json_t **out,
			   struct duban_error *err)
{
	struct list_ctx l = { a, page, per_page, as_of, NULL };
	duban_result result = store_read(s, list_campaigns, &l, err);
	*out = l.out;
	return result;
}

/* --- quotas and items (事项清单) --- */

struct quota_ctx {
	const struct actor *a;
	int64_t id;
	const json_t *in;
	json_t *out;
};

static duban_result upsert_quota(struct store_conn *c, struct quota_ctx *q,
				 int64_t unit_id, struct duban_error *err)
{
	struct store_stmt *st;
	duban_result result = store_prepare(
		c,
		"INSERT INTO quotas (campaign_id, unit_id, required, due_on)"
		" VALUES (?, ?, ?, ?) ON CONFLICT (campaign_id, unit_id) DO"
		" UPDATE SET required = excluded.required, due_on ="
		" excluded.due_on, version = quotas.version + 1",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, q->id);
	store_bind_int(st, 2, unit_id);
	store_bind_int(st, 3, jint(q->in, "count", 0));
	store_bind_str(st, 4, jstr(q->in, "due_on"));
	if ((result = store_run(st, err)))
		return result;
	json_array_append_new(q->out,
			      json_pack("{s:I, s:I, s:s}", "unit_id",
					(json_int_t)unit_id, "required",
					(json_int_t)jint(q->in, "count", 0),
					"due_on", jstr(q->in, "due_on")));
	return DUBAN_OK;
}

static duban_result set_quotas(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct quota_ctx *q = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *ids = json_object_get(q->in, "unit_ids");
	const char *kind = jstr(q->in, "unit_kind");
	duban_result result = campaign_meta_load(c, q->a, q->id, true, &m, err);
	if (result)
		return result;
	if (ids) {
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v)
		{
			char field[32], path[256];
			snprintf(field, sizeof(field), "unit_ids[%zu]", i);
			if (!json_is_integer(v))
				return duban_fail(err, DUBAN_E_INVALID, field,
						  "%s must be a unit id",
						  field);
			result = scope_require_unit(c, q->a,
						    json_integer_value(v),
						    field, path, err);
			if (result)
				return result;
			if (!scope_path_contains(m.unit_path, path))
				return duban_fail(err, DUBAN_E_INVALID, field,
						  "unit %lld is not under the "
						  "campaign's unit",
						  (long long)json_integer_value(
							  v));
			if ((result = upsert_quota(c, q, json_integer_value(v),
						   err)))
				return result;
		}
		return audit_append(c, q->a, "campaign", q->id, m.unit_id,
				    "set_quotas",
				    NULL, q->out, err);
	}
	/* by kind: every unit of that kind under the campaign's unit that
	 * the actor may reach */
	result = store_prepare(c,
			       "SELECT id FROM units WHERE kind = ? AND"
			       " path >= ? AND path < ? AND"
			       " substr(path, 1, CAST(? AS INTEGER)) = ?"
			       " ORDER BY path",
			       &st, err);
	if (result)
		return result;
	store_bind_str(st, 1, kind);
	scope_bind_subtree(st, 2, q->a);
	store_bind_int(st, 4, (int64_t)strlen(m.unit_path));
	store_bind_str(st, 5, m.unit_path);
	int64_t *units = NULL;
	size_t n = 0, cap = 0;
	bool row = false;
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			units = xrealloc(units, cap * sizeof(*units));
		}
		units[n++] = store_col_int(st, 0);
	}
	store_reset(st);
	for (size_t i = 0; result == DUBAN_OK && i < n; i++)
		result = upsert_quota(c, q, units[i], err);
	free(units);
	if (result)
		return result;
	if (n == 0)
		return duban_fail(err, DUBAN_E_INVALID, "unit_kind",
				  "no unit of kind '%s' under the campaign's "
				  "unit",
				  kind);
	return audit_append(c, q->a, "campaign", q->id, m.unit_id, "set_quotas", NULL,
			    q->out, err);
}

duban_result campaign_set_quotas(struct store *s, const struct actor *a,
				 int64_t id, const json_t *in, json_t **out,
				 struct duban_error *err)
{
	struct quota_ctx q = { a, id, in, NULL };
	int64_t count = jint(in, "count", 0);
	bool has_ids = json_object_get(in, "unit_ids") != NULL;
	const char *kind = jstr(in, "unit_kind");
	duban_result result;
	if (has_ids == (kind != NULL))
		return duban_fail(err, DUBAN_E_INVALID,
				  has_ids ? "unit_kind" : "unit_ids",
				  "give either unit_ids or unit_kind");
	if (kind && !unit_kind_valid(kind))
		return duban_fail(err, DUBAN_E_INVALID, "unit_kind",
				  "unknown unit kind '%s'", kind);
	if (has_ids && json_array_size(json_object_get(in, "unit_ids")) == 0)
		return duban_fail(err, DUBAN_E_INVALID, "unit_ids",
				  "unit_ids must not be empty");
	if (count < 1 || count > 10000)
		return duban_fail(err, DUBAN_E_INVALID, "count",
				  "count must be a whole number from 1 to "
				  "10000");
	q.out = json_array();
	result = store_write(s, set_quotas, &q, err);
	if (result) {
		json_decref(q.out);
		return result;
	}
	*out = json_pack("{s:o}", "quotas", q.out);
	return DUBAN_OK;
}

static const struct row_col item_cols[] = {
	{ "id", ROW_INT },	     { "campaign_id", ROW_INT },
	{ "unit_id", ROW_INT },	     { "title", ROW_TEXT },
	{ "description", ROW_TEXT }, { "status", ROW_TEXT },
	{ "review_comment", ROW_TEXT }, { "created_at", ROW_TIME },
	{ "version", ROW_INT },
};
#define ITEM_SELECT                                                      \
	"SELECT i.id, i.campaign_id, i.unit_id, i.title, i.description," \
	" i.status, i.review_comment, i.created_at, i.version FROM items i"

static duban_result load_item(struct store_conn *c, int64_t id, json_t **out,
			      struct duban_error *err)
{
	return row_load(c, ITEM_SELECT " WHERE i.id = ?", id, item_cols, 9,
			"item", out, err);
}

struct item_ctx {
	const struct actor *a;
	int64_t id;
	const json_t *in;
	json_t *out;
};

static duban_result declare_item(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct item_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	char path[256];
	int64_t id = 0, unit = jint(x->in, "unit_id", 0);
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m, err);
	if (result)
		return result;
	if ((result = scope_require_unit(c, x->a, unit, "unit_id", path, err)))
		return result;
	if (!scope_path_contains(m.unit_path, path))
		return duban_fail(err, DUBAN_E_INVALID, "unit_id",
				  "unit %lld is not under the campaign's unit",
				  (long long)unit);
	result = store_prepare(
		c,
		"INSERT INTO items (campaign_id, unit_id, title, description,"
		" status, created_by, created_at) VALUES"
		" (?, ?, ?, ?, 'declared', ?, ?) RETURNING id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, unit);
	store_bind_str(st, 3, jstr(x->in, "title"));
	store_bind_str(st, 4, jstr(x->in, "description"));
	store_bind_int(st, 5, x->a->user_id);
	store_bind_int(st, 6, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)))
		return result;
	if ((result = load_item(c, id, &x->out, err)))
		return result;
	return audit_append(c, x->a, "item", id, unit, "declare", NULL, x->out, err);
}

duban_result campaign_declare_item(struct store *s, const struct actor *a,
				   int64_t id, const json_t *in, json_t **out,
				   struct duban_error *err)
{
	struct item_ctx x = { a, id, in, NULL };
	duban_result result;
	if ((result = text_require(in, "title", 1, 200, true, err)) ||
	    (result = text_require(in, "description", 0, 5000, false, err)))
		return result;
	return write_answer(s, declare_item, &x, &x.out, out,
			    err);
}

static duban_result review_item(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct item_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *before = NULL;
	const char *decision = jstr(x->in, "decision");
	duban_result result = load_item(c, x->id, &before, err);
	if (result)
		return result;
	result = campaign_meta_load(c, x->a, jint(before, "campaign_id", 0),
				    true, &m, err);
	if (result)
		goto out;
	if (strcmp(jstr(before, "status"), "declared") != 0) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT,
					 "invalid_transition", "decision",
					 "item %lld is already %s",
					 (long long)x->id,
					 jstr(before, "status"));
		goto out;
	}
	result = store_prepare(c,
			       "UPDATE items SET status = ?, review_comment = ?,"
			       " version = version + 1 WHERE id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1,
		       strcmp(decision, "approve") == 0 ? "approved"
							: "returned");
	store_bind_str(st, 2, jstr(x->in, "comment"));
	store_bind_int(st, 3, x->id);
	if ((result = store_run(st, err)))
		goto out;
	if ((result = load_item(c, x->id, &x->out, err)))
		goto out;
	result = audit_append(c, x->a, "item", x->id, jint(before, "unit_id", 0), decision, before, x->out,
			      err);
out:
	json_decref(before);
	return result;
}

duban_result item_review(struct store *s, const struct actor *a, int64_t id,
			 const json_t *in, json_t **out,
			 struct duban_error *err)
{
	struct item_ctx x = { a, id, in, NULL };
	duban_result result;
	if ((result = review_input(in, "approve", 2000, err)))
		return result;
	return write_answer(s, review_item, &x, &x.out, out,
			    err);
}

struct items_ctx {
	const struct actor *a;
	int64_t id, unit_id;
	int page, per_page;
	json_t *out;
};

static duban_result list_items(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct items_ctx *l = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t total = 0;
	json_t *items = NULL;
	duban_result result = campaign_meta_load(c, l->a, l->id, false, &m, err);
	if (result)
		return result;
	if (l->unit_id &&
	    (result = scope_require_unit(c, l->a, l->unit_id, "unit_id", NULL,
					 err)))
		return result;
#define ITEMS_WHERE                                                         \
	" JOIN units u ON u.id = i.unit_id WHERE i.campaign_id = ?"         \
	" AND u.path >= ? AND u.path < ? AND (? = 0 OR i.unit_id = ?)"
	result = store_prepare(c, "SELECT count(*) FROM items i" ITEMS_WHERE,
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, l->id);
	scope_bind_subtree(st, 2, l->a);
	store_bind_int(st, 4, l->unit_id);
	store_bind_int(st, 5, l->unit_id);
	if ((result = store_one_int(st, &total, NULL, err)))
		return result;
	result = store_prepare(c, ITEM_SELECT ITEMS_WHERE
			       " ORDER BY i.id LIMIT ? OFFSET ?",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, l->id);
	scope_bind_subtree(st, 2, l->a);
	store_bind_int(st, 4, l->unit_id);
	store_bind_int(st, 5, l->unit_id);
	store_bind_int(st, 6, l->per_page);
	store_bind_int(st, 7, (int64_t)(l->page - 1) * l->per_page);
	if ((result = rows_json(st, item_cols, 9, &items, err)))
		return result;
	l->out = page_json(items, total, l->page, l->per_page);
	return DUBAN_OK;
}

duban_result campaign_items(struct store *s, const struct actor *a,
			    int64_t id, int64_t unit_id, int page,
			    int per_page, json_t **out,
			    struct duban_error *err)
{
	struct items_ctx l = { a, id, unit_id, page, per_page, NULL };
	duban_result result = store_read(s, list_items, &l, err);
	*out = l.out;
	return result;
}

struct status_ctx {
	const struct actor *a;
	int64_t id;
	int32_t as_of;
	json_t *out;
};

/*
 * A unit is complete when it declared its quota by the due date; late when
 * the quota was reached only after it, or is still short after it; short
 * while it is short and the due date has not passed.  Returned items do
 * not count.
 */
static duban_result quota_status(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct status_ctx *q = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	bool row = false;
	json_t *units = json_array();
	duban_result result = campaign_meta_load(c, q->a, q->id, false, &m, err);
	if (result)
		goto out;
	/* one pass over the quota units' items, oldest first */
	result = store_prepare(
		c,
		"SELECT q.unit_id, q.required, q.due_on, i.created_at"
		" FROM quotas q JOIN units u ON u.id = q.unit_id"
		" LEFT JOIN items i ON i.campaign_id = q.campaign_id"
		" AND i.unit_id = q.unit_id AND i.status <> 'returned'"
		" WHERE q.campaign_id = ? AND u.path >= ? AND u.path < ?"
		" ORDER BY u.path, q.unit_id, i.created_at, i.id",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, q->id);
	scope_bind_subtree(st, 2, q->a);
	int64_t cur = -1, required = 0, declared = 0;
	int32_t due = 0, reached = 0;
	for (;;) {
		result = store_step(st, &row, err);
		if (result)
			break;
		int64_t unit = row ? store_col_int(st, 0) : -2;
		if (unit != cur && cur != -1) {
			const char *status;
			if (declared >= required)
				status = reached > due ? "late" : "complete";
			else
				status = q->as_of > due ? "late" : "short";
			char d[11];
			date_format(due, d);
			json_array_append_new(
				units,
				json_pack("{s:I, s:I, s:I, s:s, s:s}",
					  "unit_id", (json_int_t)cur,
					  "required", (json_int_t)required,
					  "declared", (json_int_t)declared,
					  "due_on", d, "status", status));
		}
		if (!row)
			break;
		if (unit != cur) {
			cur = unit;
			required = store_col_int(st, 1);
			parse_day(store_col_text(st, 2), &due);
			declared = 0;
			reached = 0;
		}
		if (!store_col_null(st, 3)) {
			declared++;
			if (declared == required)
				reached = date_of_time(
					(time_t)store_col_int(st, 3));
		}
	}
	store_reset(st);
	if (result)
		goto out;
	char d[11];
	date_format(q->as_of, d);
	q->out = json_pack("{s:I, s:s, s:o}", "campaign_id", (json_int_t)q->id,
			   "as_of", d, "units", units);
	units = NULL;
out:
	json_decref(units);
	return result;
}

duban_result campaign_quota_status(struct store *s, const struct actor *a,
				   int64_t id, int32_t as_of, json_t **out,
				   struct duban_error *err)
{
	struct status_ctx q = { a, id, as_of, NULL };
	duban_result result = store_read(s, quota_status, &q, err);
	*out = q.out;
	return result;
}
