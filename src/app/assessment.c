#include "app/assessment.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/campaigns.h"
#include "app/jalloc.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/tasks.h"
#include "app/taskset.h"
#include "app/text.h"
#include "app/workcal.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/ranking.h"
#include "core/roles.h"

/* --- components and schemes --- */

enum {
	C_PROGRESS,
	C_NOT_RED,
	C_REPORTS,
	C_LEDGER,
	C_OVERDUE,
	C_RESPONSE,
	C_RESOLUTION,
	C_SATISFACTION,
	C_EVALUATION,
	NCOMP
};

static const struct component {
	const char *key, *name;
	double weight; /* the default */
} components[NCOMP] = {
	[C_PROGRESS] = { "progress", "任务进度", 25 },
	[C_NOT_RED] = { "not_red", "未亮红灯任务占比", 15 },
	[C_REPORTS] = { "reports_on_time", "按时报送调度", 10 },
	[C_LEDGER] = { "ledger_closure", "问题整改销号率", 15 },
	[C_OVERDUE] = { "overdue_problems", "问题按期整改（逾期扣减）", 10 },
	[C_RESPONSE] = { "complaint_response", "诉求按时响应率", 5 },
	[C_RESOLUTION] = { "complaint_resolution", "诉求解决率", 5 },
	[C_SATISFACTION] = { "complaint_satisfaction", "群众满意率", 5 },
	[C_EVALUATION] = { "evaluation", "公开评议", 10 },
};

#define MAX_WEIGHT 1000.0
#define MAX_CAP 100.0
#define MAX_UNITS 10000

struct scheme {
	double w[NCOMP];
	double bonus_cap, deduction_cap;
	bool by_threshold;
	double excellent_share, fair_share;
	double excellent_min, good_min;
	int64_t *unit_ids;
	size_t nunits;
	/* where it came from */
	char period[8];  /* the stored row's period, "" for the default */
	bool stored;
	int64_t version;
};

static void scheme_defaults(struct scheme *sc)
{
	memset(sc, 0, sizeof(*sc));
	for (int i = 0; i < NCOMP; i++)
		sc->w[i] = components[i].weight;
	sc->bonus_cap = 5;
	sc->deduction_cap = 10;
	sc->excellent_share = 0.2;
	sc->fair_share = 0.2;
	sc->excellent_min = 90;
	sc->good_min = 75;
}

static void scheme_release(struct scheme *sc)
{
	free(sc->unit_ids);
	sc->unit_ids = NULL;
	sc->nunits = 0;
}

static json_t *scheme_body(const struct scheme *sc)
{
	json_t *w = json_object(), *ids = json_array();
	for (int i = 0; i < NCOMP; i++)
		json_object_set_new(w, components[i].key, json_real(sc->w[i]));
	for (size_t i = 0; i < sc->nunits; i++)
		json_array_append_new(ids, json_integer(sc->unit_ids[i]));
	return json_pack("{s:o, s:f, s:f, s:{s:s, s:f, s:f, s:f, s:f}, s:o}",
			 "weights", w, "bonus_cap", sc->bonus_cap,
			 "deduction_cap", sc->deduction_cap, "grading", "mode",
			 sc->by_threshold ? "threshold" : "share",
			 "excellent_share", sc->excellent_share, "fair_share",
			 sc->fair_share, "excellent_min", sc->excellent_min,
			 "good_min", sc->good_min, "unit_ids", ids);
}

static duban_result num_in(const json_t *obj, const char *key,
			   const char *field, double lo, double hi,
			   double *out, struct duban_error *err)
{
	const json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return DUBAN_OK;
	if (!json_is_number(v) || json_number_value(v) < lo ||
	    json_number_value(v) > hi || !isfinite(json_number_value(v)))
		return duban_fail(err, DUBAN_E_INVALID, field,
				  "%s must be a number from %g to %g", field,
				  lo, hi);
	*out = json_number_value(v);
	return DUBAN_OK;
}

/*
 * Merges a scheme given as JSON (a body or a stored row) into sc, checking
 * every value.  Unknown weights are refused.
 */
static duban_result scheme_merge(struct scheme *sc, const json_t *in,
				 struct duban_error *err)
{
	duban_result result;
	const json_t *w = json_object_get(in, "weights");
	const json_t *g = json_object_get(in, "grading");
	const json_t *ids = json_object_get(in, "unit_ids");
	const char *key;
	json_t *v;
	if (w && !json_is_object(w))
		return duban_fail(err, DUBAN_E_INVALID, "weights",
				  "weights must be an object");
	json_object_foreach((json_t *)w, key, v)
	{
		int k = -1;
		char field[96];
		for (int i = 0; i < NCOMP; i++)
			if (strcmp(key, components[i].key) == 0)
				k = i;
		snprintf(field, sizeof(field), "weights.%.60s", key);
		if (k < 0)
			return duban_fail(err, DUBAN_E_INVALID, field,
					  "no component '%.60s'", key);
		if ((result = num_in(w, key, field, 0, MAX_WEIGHT, &sc->w[k],
				     err)))
			return result;
	}
	if ((result = num_in(in, "bonus_cap", "bonus_cap", 0, MAX_CAP,
			     &sc->bonus_cap, err)) ||
	    (result = num_in(in, "deduction_cap", "deduction_cap", 0, MAX_CAP,
			     &sc->deduction_cap, err)))
		return result;
	if (g && !json_is_object(g))
		return duban_fail(err, DUBAN_E_INVALID, "grading",
				  "grading must be an object");
	if (g) {
		const json_t *mode = json_object_get(g, "mode");
		if (mode && !json_is_null(mode)) {
			const char *m = json_string_value(mode);
			if (!m || (strcmp(m, "share") != 0 &&
				   strcmp(m, "threshold") != 0))
				return duban_fail(err, DUBAN_E_INVALID,
						  "grading.mode",
						  "grading.mode must be share "
						  "or threshold");
			sc->by_threshold = strcmp(m, "threshold") == 0;
		}
		if ((result = num_in(g, "excellent_share",
				     "grading.excellent_share", 0, 1,
				     &sc->excellent_share, err)) ||
		    (result = num_in(g, "fair_share", "grading.fair_share", 0,
				     1, &sc->fair_share, err)) ||
		    (result = num_in(g, "excellent_min",
				     "grading.excellent_min", -1000, 1000,
				     &sc->excellent_min, err)) ||
		    (result = num_in(g, "good_min", "grading.good_min", -1000,
				     1000, &sc->good_min, err)))
			return result;
	}
	if (sc->excellent_share + sc->fair_share > 1.0 + 1e-9)
		return duban_fail(err, DUBAN_E_INVALID, "grading.fair_share",
				  "excellent_share and fair_share add up to "
				  "more than 1");
	if (sc->good_min > sc->excellent_min)
		return duban_fail(err, DUBAN_E_INVALID, "grading.good_min",
				  "good_min is above excellent_min");
	double total = 0;
	for (int i = 0; i < NCOMP; i++)
		total += sc->w[i];
	if (total <= 0)
		return duban_fail(err, DUBAN_E_INVALID, "weights",
				  "at least one weight must be above 0");
	if (ids && !json_is_null(ids)) {
		size_t i;
		if (!json_is_array(ids) || json_array_size(ids) > MAX_UNITS)
			return duban_fail(err, DUBAN_E_INVALID, "unit_ids",
					  "unit_ids must be a list of at most "
					  "%d unit ids",
					  MAX_UNITS);
		scheme_release(sc);
		sc->unit_ids = xcalloc(json_array_size(ids) + 1,
				       sizeof(int64_t));
		json_array_foreach(ids, i, v)
		{
			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return duban_fail(err, DUBAN_E_INVALID,
						  "unit_ids",
						  "unit_ids must be a list of "
						  "unit ids");
			sc->unit_ids[sc->nunits++] = json_integer_value(v);
		}
	}
	return DUBAN_OK;
}

/* The scheme in force for period ("" for the default). */
static duban_result scheme_load(struct store_conn *c, int64_t campaign,
				const char *period, struct scheme *sc,
				struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result;
	scheme_defaults(sc);
	/* the period's own row sorts before the default ('') */
	result = store_prepare(c,
			       "SELECT period, scheme, version FROM"
			       " assessment_schemes WHERE campaign_id = ? AND"
			       " (period = ? OR period = '') ORDER BY period"
			       " DESC",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, campaign);
	store_bind_str(st, 2, period ? period : "");
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row) {
		json_t *j = json_loads(store_col_text(st, 1), 0, NULL);
		snprintf(sc->period, sizeof(sc->period), "%s",
			 store_col_text(st, 0));
		sc->stored = true;
		sc->version = store_col_int(st, 2);
		if (!j || scheme_merge(sc, j, NULL) != DUBAN_OK)
			result = duban_fail(err, DUBAN_E_INTERNAL, NULL,
					    "the stored scheme of campaign "
					    "%lld does not parse",
					    (long long)campaign);
		json_decref(j);
	}
	store_reset(st);
	return result;
}

static json_t *scheme_json(int64_t campaign, const char *period,
			   const struct scheme *sc)
{
	json_t *o = scheme_body(sc);
	json_object_set_new(o, "campaign_id", json_integer(campaign));
	json_object_set_new(o, "period",
			    period && *period ? json_string(period)
					      : json_null());
	json_object_set_new(o, "source",
			    json_string(!sc->stored	   ? "builtin"
					: sc->period[0] ? "period"
							: "campaign"));
	json_object_set_new(o, "version",
			    sc->stored ? json_integer(sc->version)
				       : json_null());
	json_t *names = json_object();
	for (int i = 0; i < NCOMP; i++)
		json_object_set_new(names, components[i].key,
				    json_string(components[i].name));
	json_object_set_new(o, "component_names", names);
	return o;
}

static duban_result check_period(const char *p, bool required,
				 struct duban_error *err)
{
	int32_t f, l;
	if (!p) {
		if (required)
			return duban_fail(err, DUBAN_E_INVALID, "period",
					  "period is required (e.g. 2021-H1)");
		return DUBAN_OK;
	}
	if (!period_parse(p, &f, &l))
		return duban_fail(err, DUBAN_E_INVALID, "period",
				  "period must be YYYY, YYYY-MM, YYYY-Q1..Q4 "
				  "or YYYY-H1/H2");
	return DUBAN_OK;
}

bool assessment_period_within(const char *p, int32_t first, int32_t last)
{
	int32_t f, l;
	return p && period_parse(p, &f, &l) && f >= first && l <= last;
}

struct scheme_ctx {
	const struct actor *a;
	int64_t id;
	const char *period;
	const json_t *in;
	json_t *out;
};

static duban_result get_scheme(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct scheme_ctx *x = ctx;
	struct campaign_meta m;
	struct scheme sc;
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m,
						 err);
	if (result)
		return result;
	if ((result = scheme_load(c, x->id, x->period, &sc, err)) == DUBAN_OK)
		x->out = scheme_json(x->id, x->period, &sc);
	scheme_release(&sc);
	return result;
}

duban_result assessment_scheme_get(struct store *s, const struct actor *a,
				   int64_t campaign_id, const char *period,
				   json_t **out, struct duban_error *err)
{
	struct scheme_ctx x = { a, campaign_id, period, NULL, NULL };
	duban_result result = check_period(period, false, err);
	if (result)
		return result;
	result = store_read(s, get_scheme, &x, err);
	*out = x.out;
	return result;
}

/* A unit under the campaign's issuing unit (and so in the actor's scope,
 * since the actor manages the campaign). */
static duban_result unit_in_campaign(struct store_conn *c,
				     const struct actor *a,
				     const struct campaign_meta *m,
				     int64_t unit_id, const char *field,
				     struct duban_error *err)
{
	char path[256];
	duban_result result =
		scope_require_unit(c, a, unit_id, field, path, err);
	if (result)
		return result;
	if (!scope_path_contains(m->unit_path, path))
		return duban_fail(err, DUBAN_E_INVALID, field,
				  "unit %lld is not under the unit that "
				  "issued campaign %lld",
				  (long long)unit_id, (long long)m->id);
	return DUBAN_OK;
}

static duban_result set_scheme(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct scheme_ctx *x = ctx;
	struct campaign_meta m;
	struct scheme sc;
	struct store_stmt *st;
	char *text = NULL;
	json_t *before = NULL, *body = NULL;
	const char *period = x->period ? x->period : "";
	duban_result result = campaign_meta_load(c, x->a, x->id, true, &m,
						 err);
	if (result)
		return result;
	if ((result = scheme_load(c, x->id, period, &sc, err)))
		goto out;
	bool exists = sc.stored && strcmp(sc.period, period) == 0;
	if (exists) {
		const json_t *v = json_object_get(x->in, "version");
		if (!json_is_integer(v)) {
			result = duban_fail(err, DUBAN_E_INVALID, "version",
					    "version is required to change "
					    "a scheme");
			goto out;
		}
		if (json_integer_value(v) != sc.version) {
			result = duban_fail_code(
				err, DUBAN_E_CONFLICT, "stale_version",
				"version",
				"the scheme was changed (version %lld now)",
				(long long)sc.version);
			goto out;
		}
		before = scheme_json(x->id, period, &sc);
	}
	if ((result = scheme_merge(&sc, x->in, err)))
		goto out;
	for (size_t i = 0; i < sc.nunits; i++)
		if ((result = unit_in_campaign(c, x->a, &m, sc.unit_ids[i],
					       "unit_ids", err)))
			goto out;
	body = scheme_body(&sc);
	text = json_text(body, JSON_COMPACT | JSON_REAL_PRECISION(12));
	if (exists)
		result = store_prepare(c,
				       "UPDATE assessment_schemes SET scheme ="
				       " ?, updated_by = ?, updated_at = ?,"
				       " version = version + 1 WHERE"
				       " campaign_id = ? AND period = ?",
				       &st, err);
	else
		result = store_prepare(c,
				       "INSERT INTO assessment_schemes (scheme,"
				       " updated_by, updated_at, campaign_id,"
				       " period) VALUES (?, ?, ?, ?, ?)",
				       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, text);
	store_bind_int(st, 2, x->a->user_id);
	store_bind_int(st, 3, (int64_t)time(NULL));
	store_bind_int(st, 4, x->id);
	store_bind_str(st, 5, period);
	if ((result = store_run(st, err)))
		goto out;
	scheme_release(&sc);
	if ((result = scheme_load(c, x->id, period, &sc, err)))
		goto out;
	x->out = scheme_json(x->id, period, &sc);
	result = audit_append(c, x->a, "assessment_scheme", x->id, m.unit_id,
			      exists ? "update" : "create", before, x->out,
			      err);
out:
	scheme_release(&sc);
	json_decref(before);
	json_decref(body);
	free(text);
	return result;
}

duban_result assessment_scheme_set(struct store *s, const struct actor *a,
				   int64_t campaign_id, const json_t *in,
				   json_t **out, struct duban_error *err)
{
	struct scheme_ctx x = { a, campaign_id, jstr(in, "period"), in, NULL };
	duban_result result = check_period(x.period, false, err);
	if (result)
		return result;
	return write_answer(s, set_scheme, &x, &x.out, out,
			    err);
}

/* --- evaluations, adjustments, vetoes --- */

static const struct row_col eval_cols[] = {
	{ "id", ROW_INT },	    { "campaign_id", ROW_INT },
	{ "unit_id", ROW_INT },	    { "period", ROW_TEXT },
	{ "score", ROW_REAL },	    { "respondents", ROW_INT },
	{ "method", ROW_TEXT },	    { "note", ROW_TEXT },
	{ "created_at", ROW_TIME }, { "version", ROW_INT },
};
#define EVAL_SELECT                                                      \
	"SELECT id, campaign_id, unit_id, period, score, respondents,"   \
	" method, note, created_at, version FROM evaluations"

static const struct row_col adj_cols[] = {
	{ "id", ROW_INT },	     { "campaign_id", ROW_INT },
	{ "unit_id", ROW_INT },	     { "period", ROW_TEXT },
	{ "kind", ROW_TEXT },	     { "points", ROW_REAL },
	{ "reason", ROW_TEXT },	     { "status", ROW_TEXT },
	{ "revoked_reason", ROW_TEXT }, { "created_at", ROW_TIME },
	{ "version", ROW_INT },
};
#define ADJ_SELECT                                                       \
	"SELECT id, campaign_id, unit_id, period, kind, points, reason,"  \
	" status, revoked_reason, created_at, version FROM"              \
	" score_adjustments"

static const struct row_col veto_cols[] = {
	{ "id", ROW_INT },	     { "campaign_id", ROW_INT },
	{ "unit_id", ROW_INT },	     { "period", ROW_TEXT },
	{ "reason", ROW_TEXT },	     { "status", ROW_TEXT },
	{ "revoked_reason", ROW_TEXT }, { "created_at", ROW_TIME },
	{ "version", ROW_INT },
};
#define VETO_SELECT                                                      \
	"SELECT id, campaign_id, unit_id, period, reason, status,"       \
	" revoked_reason, created_at, version FROM vetoes"

static duban_result load_one(struct store_conn *c, const char *sql,
			     const struct row_col *cols, int n, int64_t id,
			     json_t **out, struct duban_error *err)
{
	return row_load(c, sql, id, cols, n,
			"record", out, err);
}

struct record_ctx {
	const struct actor *a;
	int64_t id;
	enum assessment_list what;
	const json_t *in;
	const char *period;
	json_t *out;
};

static duban_result record_evaluation(struct store_conn *c, void *ctx,
				      struct duban_error *err)
{
	struct record_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t id = 0, old = 0;
	bool found = false;
	json_t *before = NULL;
	duban_result result = campaign_meta_load(c, x->a, x->id, true, &m,
						 err);
	if (result)
		return result;
	int64_t unit = jint(x->in, "unit_id", 0);
	if ((result = unit_in_campaign(c, x->a, &m, unit, "unit_id", err)))
		return result;
	result = store_prepare(c,
			       "SELECT id FROM evaluations WHERE campaign_id"
			       " = ? AND unit_id = ? AND period = ?",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, unit);
	store_bind_str(st, 3, jstr(x->in, "period"));
	if ((result = store_one_int(st, &old, &found, err)))
		return result;
	if (found && (result = load_one(c, EVAL_SELECT " WHERE id = ?",
					eval_cols, 10, old, &before, err)))
		return result;
	result = store_prepare(
		c,
		"INSERT INTO evaluations (campaign_id, unit_id, period, score,"
		" respondents, method, note, created_by, created_at) VALUES"
		" (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id,"
		" unit_id, period) DO UPDATE SET score = excluded.score,"
		" respondents = excluded.respondents, method ="
		" excluded.method, note = excluded.note, created_by ="
		" excluded.created_by, created_at = excluded.created_at,"
		" version = evaluations.version + 1 RETURNING id",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, unit);
	store_bind_str(st, 3, jstr(x->in, "period"));
	store_bind_double(st, 4,
			  json_number_value(json_object_get(x->in, "score")));
	if (json_is_integer(json_object_get(x->in, "respondents")))
		store_bind_int(st, 5, jint(x->in, "respondents", 0));
	else
		store_bind_null(st, 5);
	store_bind_str(st, 6, jstr(x->in, "method"));
	store_bind_str(st, 7, jstr(x->in, "note"));
	store_bind_int(st, 8, x->a->user_id);
	store_bind_int(st, 9, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)))
		goto out;
	if ((result = load_one(c, EVAL_SELECT " WHERE id = ?", eval_cols, 10,
			       id, &x->out, err)))
		goto out;
	result = audit_append(c, x->a, "evaluation", id, unit,
			      found ? "update" : "create", before, x->out,
			      err);
out:
	json_decref(before);
	return result;
}

static duban_result add_adjustment(struct store_conn *c, void *ctx,
				   struct duban_error *err)
{
	struct record_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t id = 0;
	duban_result result = campaign_meta_load(c, x->a, x->id, true, &m,
						 err);
	if (result)
		return result;
	int64_t unit = jint(x->in, "unit_id", 0);
	if ((result = unit_in_campaign(c, x->a, &m, unit, "unit_id", err)))
		return result;
	result = store_prepare(
		c,
		"INSERT INTO score_adjustments (campaign_id, unit_id, period,"
		" kind, points, reason, status, created_by, created_at) VALUES"
		" (?, ?, ?, ?, ?, ?, 'active', ?, ?) RETURNING id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, unit);
	store_bind_str(st, 3, jstr(x->in, "period"));
	store_bind_str(st, 4, jstr(x->in, "kind"));
	store_bind_double(st, 5,
			  json_number_value(json_object_get(x->in, "points")));
	store_bind_str(st, 6, jstr(x->in, "reason"));
	store_bind_int(st, 7, x->a->user_id);
	store_bind_int(st, 8, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)) ||
	    (result = load_one(c, ADJ_SELECT " WHERE id = ?", adj_cols, 11, id,
			       &x->out, err)))
		return result;
	return audit_append(c, x->a, "score_adjustment", id, unit, "create",
			    NULL, x->out, err);
}

static duban_result add_veto(struct store_conn *c, void *ctx,
			     struct duban_error *err)
{
	struct record_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t id = 0, n = 0;
	duban_result result = campaign_meta_load(c, x->a, x->id, true, &m,
						 err);
	if (result)
		return result;
	int64_t unit = jint(x->in, "unit_id", 0);
	if ((result = unit_in_campaign(c, x->a, &m, unit, "unit_id", err)))
		return result;
	result = store_prepare(c,
			       "SELECT count(*) FROM vetoes WHERE campaign_id"
			       " = ? AND unit_id = ? AND period = ? AND"
			       " status = 'active'",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, unit);
	store_bind_str(st, 3, jstr(x->in, "period"));
	if ((result = store_one_int(st, &n, NULL, err)))
		return result;
	if (n > 0)
		return duban_fail_code(err, DUBAN_E_CONFLICT, "duplicate",
				       "unit_id",
				       "unit %lld is already vetoed for %s",
				       (long long)unit,
				       jstr(x->in, "period"));
	result = store_prepare(c,
			       "INSERT INTO vetoes (campaign_id, unit_id,"
			       " period, reason, status, created_by,"
			       " created_at) VALUES (?, ?, ?, ?, 'active', ?,"
			       " ?) RETURNING id",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, unit);
	store_bind_str(st, 3, jstr(x->in, "period"));
	store_bind_str(st, 4, jstr(x->in, "reason"));
	store_bind_int(st, 5, x->a->user_id);
	store_bind_int(st, 6, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)) ||
	    (result = load_one(c, VETO_SELECT " WHERE id = ?", veto_cols, 9,
			       id, &x->out, err)))
		return result;
	return audit_append(c, x->a, "veto", id, unit, "create", NULL, x->out,
			    err);
}

static duban_result run_record(struct store *s, store_work_fn fn,
			       struct record_ctx *x, json_t **out,
			       struct duban_error *err)
{
	duban_result result = store_write(s, fn, x, err);
	if (result)
		json_decref(x->out);
	else
		*out = x->out;
	return result;
}

duban_result evaluation_record(struct store *s, const struct actor *a,
			       int64_t campaign_id, const json_t *in,
			       json_t **out, struct duban_error *err)
{
	struct record_ctx x = { a, campaign_id, ASSESS_EVALUATIONS, in, NULL,
				NULL };
	duban_result result;
	double score = json_number_value(json_object_get(in, "score"));
	if ((result = check_period(jstr(in, "period"), true, err)) ||
	    (result = text_require(in, "method", 1, 100, false, err)) ||
	    (result = text_require(in, "note", 1, 2000, false, err)))
		return result;
	if (!isfinite(score) || score < 0 || score > 100)
		return duban_fail(err, DUBAN_E_INVALID, "score",
				  "score must be from 0 to 100");
	if (jint(in, "respondents", 0) < 0)
		return duban_fail(err, DUBAN_E_INVALID, "respondents",
				  "respondents must be 0 or more");
	return run_record(s, record_evaluation, &x, out, err);
}

duban_result adjustment_add(struct store *s, const struct actor *a,
			    int64_t campaign_id, const json_t *in,
			    json_t **out, struct duban_error *err)
{
	struct record_ctx x = { a, campaign_id, ASSESS_ADJUSTMENTS, in, NULL,
				NULL };
	duban_result result;
	const char *kind = jstr(in, "kind");
	double points = json_number_value(json_object_get(in, "points"));
	if ((result = check_period(jstr(in, "period"), true, err)) ||
	    (result = text_require(in, "reason", 1, 500, true, err)))
		return result;
	if (!kind || (strcmp(kind, "bonus") != 0 &&
		      strcmp(kind, "deduction") != 0))
		return duban_fail(err, DUBAN_E_INVALID, "kind",
				  "kind must be bonus or deduction");
	if (!isfinite(points) || points <= 0 || points > MAX_CAP)
		return duban_fail(err, DUBAN_E_INVALID, "points",
				  "points must be above 0 and at most %g",
				  MAX_CAP);
	return run_record(s, add_adjustment, &x, out, err);
}

duban_result veto_add(struct store *s, const struct actor *a,
		      int64_t campaign_id, const json_t *in, json_t **out,
		      struct duban_error *err)
{
	struct record_ctx x = { a, campaign_id, ASSESS_VETOES, in, NULL,
				NULL };
	duban_result result;
	if ((result = check_period(jstr(in, "period"), true, err)) ||
	    (result = text_require(in, "reason", 1, 500, true, err)))
		return result;
	return run_record(s, add_veto, &x, out, err);
}

static duban_result list_records(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct record_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *items = NULL;
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m,
						 err);
	if (result)
		return result;
	/* the records of units in the caller's scope */
#define LIST_WHERE                                                        \
	" r JOIN units u ON u.id = r.unit_id WHERE r.campaign_id = ? AND"  \
	" (CAST(? AS TEXT) = '' OR r.period = ?) AND u.path >= ? AND"      \
	" u.path < ? ORDER BY r.period, r.unit_id, r.id"
	static const char *const sql[] = {
		"SELECT r.id, r.campaign_id, r.unit_id, r.period, r.score,"
		" r.respondents, r.method, r.note, r.created_at, r.version"
		" FROM evaluations" LIST_WHERE,
		"SELECT r.id, r.campaign_id, r.unit_id, r.period, r.kind,"
		" r.points, r.reason, r.status, r.revoked_reason,"
		" r.created_at, r.version FROM score_adjustments" LIST_WHERE,
		"SELECT r.id, r.campaign_id, r.unit_id, r.period, r.reason,"
		" r.status, r.revoked_reason, r.created_at, r.version FROM"
		" vetoes" LIST_WHERE,
	};
#undef LIST_WHERE
	static const struct row_col *const cols[] = { eval_cols, adj_cols,
						      veto_cols };
	static const int ncols[] = { 10, 11, 9 };
	result = store_prepare(c, sql[x->what], &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, x->period ? x->period : "");
	store_bind_str(st, 3, x->period ? x->period : "");
	scope_bind_subtree(st, 4, x->a);
	if ((result = rows_json(st, cols[x->what], ncols[x->what], &items,
				err)))
		return result;
	x->out = json_pack("{s:I, s:o}", "campaign_id", (json_int_t)x->id,
			   "items", items);
	return DUBAN_OK;
}

duban_result assessment_list(struct store *s, const struct actor *a,
			     int64_t campaign_id, enum assessment_list what,
			     const char *period, json_t **out,
			     struct duban_error *err)
{
	struct record_ctx x = { a, campaign_id, what, NULL, period, NULL };
	duban_result result = check_period(period, false, err);
	if (result)
		return result;
	result = store_read(s, list_records, &x, err);
	*out = x.out;
	return result;
}

static duban_result revoke(struct store_conn *c, void *ctx,
			   struct duban_error *err)
{
	struct record_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *before = NULL;
	bool veto = x->what == ASSESS_VETOES;
	const char *entity = veto ? "veto" : "score_adjustment";
	duban_result result =
		veto ? load_one(c, VETO_SELECT " WHERE id = ?", veto_cols, 9,
				x->id, &before, err)
		     : load_one(c, ADJ_SELECT " WHERE id = ?", adj_cols, 11,
				x->id, &before, err);
	if (result)
		return result;
	if ((result = campaign_meta_load(c, x->a, jint(before, "campaign_id", 0),
					 true, &m, err)))
		goto out;
	if (strcmp(jstr(before, "status"), "active") != 0) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT,
					 "invalid_transition", NULL,
					 "%s %lld is already revoked", entity,
					 (long long)x->id);
		goto out;
	}
	result = store_prepare(
		c,
		veto ? "UPDATE vetoes SET status = 'revoked', revoked_reason ="
		       " ?, version = version + 1 WHERE id = ?"
		     : "UPDATE score_adjustments SET status = 'revoked',"
		       " revoked_reason = ?, version = version + 1 WHERE id = ?",
		&st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, jstr(x->in, "reason"));
	store_bind_int(st, 2, x->id);
	if ((result = store_run(st, err)))
		goto out;
	result = veto ? load_one(c, VETO_SELECT " WHERE id = ?", veto_cols, 9,
				 x->id, &x->out, err)
		      : load_one(c, ADJ_SELECT " WHERE id = ?", adj_cols, 11,
				 x->id, &x->out, err);
	if (result)
		goto out;
	result = audit_append(c, x->a, entity, x->id,
			      jint(before, "unit_id", 0), "revoke", before,
			      x->out, err);
out:
	json_decref(before);
	return result;
}

duban_result assessment_revoke(struct store *s, const struct actor *a,
			       enum assessment_list what, int64_t id,
			       const json_t *in, json_t **out,
			       struct duban_error *err)
{
	struct record_ctx x = { a, id, what, in, NULL, NULL };
	duban_result result = text_require(in, "reason", 1, 500, true, err);
	if (result)
		return result;
	return run_record(s, revoke, &x, out, err);
}

/* --- the ranking --- */

/* One unit assessed, and what the data says of it. */
struct au {
	int64_t id;
	char *name;
	char path[256];
	int64_t tasks, not_red;
	double progress_sum;
	int64_t owed, on_time, late;
	int64_t problems, closed, overdue;
	int64_t received, c_on_time, rated, resolved, satisfied;
	int64_t evals;
	double eval_sum;
	double bonus, deduction;
	json_t *bonus_items, *deduction_items, *veto_items;
};

/* A row of evaluations, adjustments or vetoes that lies in the period. */
struct extra_row {
	int64_t id, unit_id;
	int kind; /* 0 evaluation, 1 bonus, 2 deduction, 3 veto */
	double value;
	char *period, *reason;
};

struct rk {
	const struct actor *a;
	struct campaign_meta m;
	const char *period;
	int32_t first, last, at;
	struct scheme sc;
	int64_t *ids;
	size_t nids, capids;
	struct au *u;
	size_t n;
	struct extra_row *ex;
	size_t nex, capex;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_au(const void *a, const void *b)
{
	int64_t x = ((const struct au *)a)->id, y = ((const struct au *)b)->id;
	return x < y ? -1 : x > y;
}

static struct au *au_find(struct rk *r, int64_t id)
{
	struct au key = { .id = id };
	return r->n ? bsearch(&key, r->u, r->n, sizeof(*r->u), cmp_au) : NULL;
}

static void add_id(struct rk *r, int64_t id)
{
	if (r->nids == r->capids) {
		r->capids = r->capids ? r->capids * 2 : 64;
		r->ids = xrealloc(r->ids, r->capids * sizeof(*r->ids));
	}
	r->ids[r->nids++] = id;
}

static void rk_release(struct rk *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->u[i].name);
		json_decref(r->u[i].bonus_items);
		json_decref(r->u[i].deduction_items);
		json_decref(r->u[i].veto_items);
	}
	for (size_t i = 0; i < r->nex; i++) {
		free(r->ex[i].period);
		free(r->ex[i].reason);
	}
	free(r->u);
	free(r->ids);
	free(r->ex);
	scheme_release(&r->sc);
}

/* Runs a one-column id query into the candidates. */
static duban_result ids_from(struct store_stmt *st, struct rk *r,
			     struct duban_error *err)
{
	bool row = false;
	duban_result result;
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		add_id(r, store_col_int(st, 0));
	store_reset(st);
	return result;
}

/* Evaluations, adjustments and vetoes of the campaign whose period lies
 * in the period assessed. */
static duban_result load_extras(struct store_conn *c, struct rk *r,
				struct duban_error *err)
{
	static const char *const sql =
		"SELECT id, unit_id, 0, score, period, NULL FROM evaluations"
		" WHERE campaign_id = ?"
		" UNION ALL SELECT id, unit_id, CASE WHEN kind = 'bonus' THEN"
		" 1 ELSE 2 END, points, period, reason FROM score_adjustments"
		" WHERE campaign_id = ? AND status = 'active'"
		" UNION ALL SELECT id, unit_id, 3, 0, period, reason FROM"
		" vetoes WHERE campaign_id = ? AND status = 'active'"
		" ORDER BY 3, 2, 1";
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(c, sql, &st, err);
	if (result)
		return result;
	for (int i = 1; i <= 3; i++)
		store_bind_int(st, i, r->m.id);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		const char *p = store_col_text(st, 4);
		if (!assessment_period_within(p, r->first, r->last))
			continue;
		if (r->nex == r->capex) {
			r->capex = r->capex ? r->capex * 2 : 32;
			r->ex = xrealloc(r->ex, r->capex * sizeof(*r->ex));
		}
		struct extra_row *e = &r->ex[r->nex++];
		e->id = store_col_int(st, 0);
		e->unit_id = store_col_int(st, 1);
		e->kind = (int)store_col_int(st, 2);
		e->value = store_col_double(st, 3);
		e->period = xstrdup(p);
		e->reason = store_col_null(st, 5)
				    ? NULL
				    : xstrdup(store_col_text(st, 5));
	}
	store_reset(st);
	return result;
}

static void subtree_range(const char *path, char hi[256])
{
	size_t n = strlen(path);
	snprintf(hi, 256, "%s", path);
	if (n > 0 && n < 256)
		hi[n - 1] = '0'; /* see scope_bind_subtree() */
}

static duban_result gather_units(struct store_conn *c, struct rk *r,
				 struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	char hi[256], from[11], to[11];
	duban_result result;
	subtree_range(r->m.unit_path, hi);
	date_format(r->first, from);
	date_format(r->last, to);
	if (r->sc.nunits) {
		for (size_t i = 0; i < r->sc.nunits; i++)
			add_id(r, r->sc.unit_ids[i]);
	} else {
		if ((result = store_prepare(c,
					    "SELECT DISTINCT lead_unit_id FROM"
					    " tasks WHERE campaign_id = ?",
					    &st, err)))
			return result;
		store_bind_int(st, 1, r->m.id);
		if ((result = ids_from(st, r, err)))
			return result;
		if ((result = store_prepare(c,
					    "SELECT DISTINCT unit_id FROM"
					    " problems WHERE campaign_id = ?",
					    &st, err)))
			return result;
		store_bind_int(st, 1, r->m.id);
		if ((result = ids_from(st, r, err)))
			return result;
		/* complaints of units below the issuing unit */
		if ((result = store_prepare(
			     c,
			     "SELECT DISTINCT c.owner_unit_id FROM complaints"
			     " c JOIN units u ON u.id = c.owner_unit_id WHERE"
			     " c.received_on >= ? AND c.received_on <= ? AND"
			     " u.path > ? AND u.path < ?",
			     &st, err)))
			return result;
		store_bind_str(st, 1, from);
		store_bind_str(st, 2, to);
		store_bind_str(st, 3, r->m.unit_path);
		store_bind_str(st, 4, hi);
		if ((result = ids_from(st, r, err)))
			return result;
		for (size_t i = 0; i < r->nex; i++)
			add_id(r, r->ex[i].unit_id);
	}
	for (size_t i = 0; i < r->nex; i++)
		if (r->ex[i].kind == 3)
			add_id(r, r->ex[i].unit_id);
	if (r->nids > 1)
		qsort(r->ids, r->nids, sizeof(*r->ids), cmp_i64);
	/* names and paths of those under the issuing unit, in id order */
	result = store_prepare(c,
			       "SELECT id, name, path FROM units WHERE path >="
			       " ? AND path < ? ORDER BY id",
			       &st, err);
	if (result)
		return result;
	store_bind_str(st, 1, r->m.unit_path);
	store_bind_str(st, 2, hi);
	size_t cap = 0;
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		int64_t id = store_col_int(st, 0);
		if (!r->nids ||
		    !bsearch(&id, r->ids, r->nids, sizeof(*r->ids), cmp_i64))
			continue;
		if (r->n == cap) {
			cap = cap ? cap * 2 : 32;
			r->u = xrealloc(r->u, cap * sizeof(*r->u));
		}
		struct au *u = &r->u[r->n++];
		memset(u, 0, sizeof(*u));
		u->id = id;
		u->name = xstrdup(store_col_text(st, 1));
		snprintf(u->path, sizeof(u->path), "%s", store_col_text(st, 2));
		u->bonus_items = json_array();
		u->deduction_items = json_array();
		u->veto_items = json_array();
	}
	store_reset(st);
	return result;
}

/* Progress, lights and reports on time, from the campaign's tasks. */
static duban_result gather_tasks(struct store_conn *c, struct rk *r,
				 struct duban_error *err)
{
	struct taskset_ref ref;
	struct store_stmt *st;
	bool row = false;
	int64_t *first_sub = NULL;
	duban_result result = taskset_campaign(c, r->m.id, &r->m.params,
					   r->at, &ref, err);
	if (result)
		return result;
	const struct taskset *ts = ref.ts;
	/* the months of the period and the day each month's report is due */
	int y0, m0, d0, y1, m1, d1;
	date_to_ymd(r->first, &y0, &m0, &d0);
	date_to_ymd(r->last, &y1, &m1, &d1);
	int months = (y1 - y0) * 12 + (m1 - m0) + 1;
	int32_t ms[12], me[12], due[12];
	if (months > 12)
		months = 12;
	for (int k = 0; k < months; k++) {
		int yy = y0 + (m0 - 1 + k) / 12, mm = (m0 - 1 + k) % 12 + 1;
		ms[k] = date_from_ymd(yy, mm, 1);
		me[k] = (mm == 12 ? date_from_ymd(yy + 1, 1, 1)
				  : date_from_ymd(yy, mm + 1, 1)) -
			1;
		/* the Nth working day of the next month; outside the
		 * calendar's years, the Nth day */
		if (workcal_add(me[k], r->m.params.report_due_workday, &due[k],
				NULL, NULL) != DUBAN_OK)
			due[k] = me[k] + r->m.params.report_due_workday;
	}
	first_sub = xcalloc(ts->n * (size_t)months + 1, sizeof(*first_sub));
	char p0[8], p1[8];
	snprintf(p0, sizeof(p0), "%04u-%02u", (unsigned)y0 % 10000u,
		 (unsigned)m0 % 100u);
	snprintf(p1, sizeof(p1), "%04u-%02u", (unsigned)y1 % 10000u,
		 (unsigned)m1 % 100u);
	result = store_prepare(c,
			       "SELECT r.task_id, r.period, min(r.submitted_at)"
			       " FROM reports r JOIN tasks t ON t.id ="
			       " r.task_id WHERE t.campaign_id = ? AND"
			       " r.period >= ? AND r.period <= ? GROUP BY"
			       " r.task_id, r.period",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, r->m.id);
	store_bind_str(st, 2, p0);
	store_bind_str(st, 3, p1);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		const struct ts_task *t = taskset_find(ts, store_col_int(st, 0));
		const char *p = store_col_text(st, 1);
		if (!t || !p || strlen(p) != 7)
			continue;
		int yy = (int)strtol(p, NULL, 10),
		    mm = (int)strtol(p + 5, NULL, 10);
		int k = (yy - y0) * 12 + (mm - m0);
		if (k >= 0 && k < months)
			first_sub[(size_t)(t - ts->t) * (size_t)months +
				  (size_t)k] = store_col_int(st, 2);
	}
	store_reset(st);
	if (result)
		goto out;
	for (size_t i = 0; i < ts->n; i++) {
		const struct ts_task *t = &ts->t[i];
		struct au *u = au_find(r, t->lead_unit_id);
		if (!u || t->starts_on > r->at)
			continue;
		u->tasks++;
		u->progress_sum += t->progress;
		u->not_red += t->light != LIGHT_RED;
		for (int k = 0; k < months; k++) {
			if (due[k] > r->at || t->starts_on > me[k] ||
			    t->due_on < ms[k])
				continue;
			int64_t at = first_sub[i * (size_t)months + (size_t)k];
			u->owed++;
			if (at && date_of_time((time_t)at) <= due[k])
				u->on_time++;
			else if (at)
				u->late++;
		}
	}
out:
	free(first_sub);
	taskset_ref_release(&ref);
	return result;
}

/* The ledger per unit on the day assessed, and the three rates. */
static duban_result gather_ledger(struct store_conn *c, struct rk *r,
				  struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	char at[11], from[11], to[11];
	duban_result result;
	date_format(r->at, at);
	date_format(r->first, from);
	date_format(r->last, to);
	result = store_prepare(
		c,
		"SELECT unit_id, count(*), sum(CASE WHEN status = 'closed'"
		" THEN 1 ELSE 0 END), sum(CASE WHEN status NOT IN ('closed',"
		" 'rectified') AND due_on < ? THEN 1 ELSE 0 END) FROM problems"
		" WHERE campaign_id = ? AND found_on <= ? GROUP BY unit_id",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, at);
	store_bind_int(st, 2, r->m.id);
	store_bind_str(st, 3, at);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct au *u = au_find(r, store_col_int(st, 0));
		if (!u)
			continue;
		u->problems = store_col_int(st, 1);
		u->closed = store_col_int(st, 2);
		u->overdue = store_col_int(st, 3);
	}
	store_reset(st);
	if (result)
		return result;
	/* as GET /complaints/stats counts them */
	result = store_prepare(
		c,
		"SELECT owner_unit_id, count(*),"
		" sum(CASE WHEN replied_on IS NOT NULL AND replied_on <= due_on"
		" THEN 1 ELSE 0 END),"
		" sum(CASE WHEN rating_score IS NOT NULL THEN 1 ELSE 0 END),"
		" sum(CASE WHEN rating_resolved = 1 THEN 1 ELSE 0 END),"
		" sum(CASE WHEN rating_score >= 4 THEN 1 ELSE 0 END)"
		" FROM complaints WHERE received_on >= ? AND received_on <= ?"
		" GROUP BY owner_unit_id",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, from);
	store_bind_str(st, 2, to);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct au *u = au_find(r, store_col_int(st, 0));
		if (!u)
			continue;
		u->received = store_col_int(st, 1);
		u->c_on_time = store_col_int(st, 2);
		u->rated = store_col_int(st, 3);
		u->resolved = store_col_int(st, 4);
		u->satisfied = store_col_int(st, 5);
	}
	store_reset(st);
	return result;
}

static void spread_extras(struct rk *r)
{
	for (size_t i = 0; i < r->nex; i++) {
		struct extra_row *e = &r->ex[i];
		struct au *u = au_find(r, e->unit_id);
		if (!u)
			continue;
		json_t *item = json_pack("{s:I, s:s}", "id", (json_int_t)e->id,
					 "period", e->period);
		if (e->reason)
			json_object_set_new(item, "reason",
					    json_string(e->reason));
		switch (e->kind) {
		case 0:
			u->evals++;
			u->eval_sum += e->value;
			json_decref(item);
			break;
		case 1:
			u->bonus += e->value;
			json_object_set_new(item, "points",
					    json_real(e->value));
			json_array_append_new(u->bonus_items, item);
			break;
		case 2:
			u->deduction += e->value;
			json_object_set_new(item, "points",
					    json_real(e->value));
			json_array_append_new(u->deduction_items, item);
			break;
		default:
			json_array_append_new(u->veto_items, item);
			break;
		}
	}
}

static double ratio100(int64_t num, int64_t den)
{
	return den ? 100.0 * (double)num / (double)den : 0;
}

static json_t *round2(double v)
{
	return json_real(round(v * 100.0) / 100.0);
}

/* The components of a unit, as parts for the score and their detail. */
static void unit_parts(const struct rk *r, const struct au *u,
		       struct score_part *p, json_t **detail)
{
	for (int i = 0; i < NCOMP; i++) {
		p[i].weight = r->sc.w[i];
		p[i].applicable = false;
		p[i].value = 0;
	}
	p[C_PROGRESS].applicable = p[C_NOT_RED].applicable = u->tasks > 0;
	if (u->tasks) {
		p[C_PROGRESS].value = u->progress_sum / (double)u->tasks;
		p[C_NOT_RED].value = ratio100(u->not_red, u->tasks);
	}
	detail[C_PROGRESS] = json_pack("{s:I}", "tasks", (json_int_t)u->tasks);
	detail[C_NOT_RED] = json_pack("{s:I, s:I}", "tasks",
				      (json_int_t)u->tasks, "not_red",
				      (json_int_t)u->not_red);
	p[C_REPORTS].applicable = u->owed > 0;
	p[C_REPORTS].value =
		u->owed ? 100.0 * ((double)u->on_time + 0.5 * (double)u->late) /
				  (double)u->owed
			: 0;
	detail[C_REPORTS] = json_pack(
		"{s:I, s:I, s:I, s:I}", "owed", (json_int_t)u->owed, "on_time",
		(json_int_t)u->on_time, "late", (json_int_t)u->late, "missing",
		(json_int_t)(u->owed - u->on_time - u->late));
	p[C_LEDGER].applicable = p[C_OVERDUE].applicable = u->problems > 0;
	p[C_LEDGER].value = ratio100(u->closed, u->problems);
	p[C_OVERDUE].value =
		u->problems ? 100.0 - ratio100(u->overdue, u->problems) : 0;
	detail[C_LEDGER] = json_pack("{s:I, s:I}", "problems",
				     (json_int_t)u->problems, "closed",
				     (json_int_t)u->closed);
	detail[C_OVERDUE] = json_pack("{s:I, s:I}", "problems",
				      (json_int_t)u->problems, "overdue",
				      (json_int_t)u->overdue);
	p[C_RESPONSE].applicable = u->received > 0;
	p[C_RESPONSE].value = ratio100(u->c_on_time, u->received);
	p[C_RESOLUTION].applicable = p[C_SATISFACTION].applicable =
		u->rated > 0;
	p[C_RESOLUTION].value = ratio100(u->resolved, u->rated);
	p[C_SATISFACTION].value = ratio100(u->satisfied, u->rated);
	detail[C_RESPONSE] = json_pack("{s:I, s:I}", "received",
				       (json_int_t)u->received, "on_time",
				       (json_int_t)u->c_on_time);
	detail[C_RESOLUTION] = json_pack("{s:I, s:I}", "rated",
					 (json_int_t)u->rated, "resolved",
					 (json_int_t)u->resolved);
	detail[C_SATISFACTION] = json_pack("{s:I, s:I}", "rated",
					   (json_int_t)u->rated, "satisfied",
					   (json_int_t)u->satisfied);
	p[C_EVALUATION].applicable = u->evals > 0;
	p[C_EVALUATION].value =
		u->evals ? u->eval_sum / (double)u->evals : 0;
	detail[C_EVALUATION] = json_pack("{s:I}", "evaluations",
					 (json_int_t)u->evals);
}

static json_t *components_json(const struct score_part *p, json_t **detail,
			       const struct au *u,
			       const struct score_extra *ex,
			       const struct scheme *sc)
{
	json_t *arr = json_array();
	for (int i = 0; i < NCOMP; i++) {
		json_t *o = json_pack("{s:s, s:s, s:o, s:f, s:o, s:f, s:o}",
				      "key", components[i].key, "name",
				      components[i].name, "value",
				      p[i].applicable ? round2(p[i].value)
						      : json_null(),
				      "weight", p[i].weight, "share",
				      round2(p[i].share), "contribution",
				      (double)p[i].contribution / 100.0,
				      "detail", detail[i]);
		json_object_set_new(o, "applicable",
				    json_boolean(p[i].applicable));
		json_array_append_new(arr, o);
	}
	json_array_append_new(
		arr, json_pack("{s:s, s:s, s:o, s:n, s:n, s:f, s:b, s:{s:f, "
			       "s:O}}",
			       "key", "bonus", "name", "加分", "value",
			       round2(u->bonus), "weight", "share",
			       "contribution", (double)ex->bonus_c / 100.0,
			       "applicable", u->bonus > 0, "detail", "cap",
			       sc->bonus_cap, "items", u->bonus_items));
	json_array_append_new(
		arr, json_pack("{s:s, s:s, s:o, s:n, s:n, s:f, s:b, s:{s:f, "
			       "s:O}}",
			       "key", "deduction", "name", "扣分", "value",
			       round2(u->deduction), "weight", "share",
			       "contribution",
			       -(double)ex->deduction_c / 100.0, "applicable",
			       u->deduction > 0, "detail", "cap",
			       sc->deduction_cap, "items",
			       u->deduction_items));
	return arr;
}

static json_t *rank_of(json_t *prev, int64_t unit)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(prev, "units"), i, v)
	{
		if (jint(v, "unit_id", 0) == unit)
			return json_object_get(v, "rank");
	}
	return NULL;
}

static duban_result compute(struct store_conn *c, const struct actor *a,
			    const struct campaign_meta *m, const char *period,
			    int32_t as_of, bool with_prev, json_t **out,
			    struct duban_error *err);

/* The previous period's ranking: its latest published version, or one
 * computed now; NULL when it ended before the campaign started. */
static duban_result previous(struct store_conn *c, struct rk *r,
			     int32_t as_of, char prev[8], json_t **out,
			     struct duban_error *err)
{
	int32_t f, l;
	struct store_stmt *st;
	bool row = false;
	duban_result result;
	*out = NULL;
	if (!ranking_period_previous(r->period, prev) ||
	    !period_parse(prev, &f, &l) || l < r->m.starts_on) {
		prev[0] = '\0';
		return DUBAN_OK;
	}
	result = store_prepare(c,
			       "SELECT result FROM ranking_versions WHERE"
			       " campaign_id = ? AND period = ? ORDER BY"
			       " version DESC LIMIT 1",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, r->m.id);
	store_bind_str(st, 2, prev);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row)
		*out = json_loads(store_col_text(st, 0), 0, NULL);
	store_reset(st);
	if (result || *out)
		return result;
	struct duban_error perr = { 0 };
	result = compute(c, r->a, &r->m, prev, as_of, false, out, &perr);
	if (result == DUBAN_E_INVALID) {
		/* e.g. a year with no working-day schedule: no change shown */
		prev[0] = '\0';
		return DUBAN_OK;
	}
	if (result && err)
		*err = perr;
	return result;
}

static duban_result compute(struct store_conn *c, const struct actor *a,
			    const struct campaign_meta *m, const char *period,
			    int32_t as_of, bool with_prev, json_t **out,
			    struct duban_error *err)
{
	struct rk r;
	struct rank_entry *e = NULL;
	json_t *prev = NULL, **detail = NULL;
	struct score_part *parts = NULL;
	struct score_extra *extra = NULL;
	char prev_period[8] = "";
	duban_result result;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.m = *m;
	r.period = period;
	period_parse(period, &r.first, &r.last);
	r.at = r.last < as_of ? r.last : as_of;
	if ((result = scheme_load(c, m->id, period, &r.sc, err)) ||
	    (result = load_extras(c, &r, err)) ||
	    (result = gather_units(c, &r, err)) ||
	    (result = gather_tasks(c, &r, err)) ||
	    (result = gather_ledger(c, &r, err)))
		goto out;
	spread_extras(&r);
	if (with_prev &&
	    (result = previous(c, &r, as_of, prev_period, &prev, err)))
		goto out;
	e = xcalloc(r.n + 1, sizeof(*e));
	parts = xcalloc((r.n + 1) * NCOMP, sizeof(*parts));
	extra = xcalloc(r.n + 1, sizeof(*extra));
	detail = xcalloc((r.n + 1) * NCOMP, sizeof(*detail));
	for (size_t i = 0; i < r.n; i++) {
		struct au *u = &r.u[i];
		struct score_part *p = &parts[i * NCOMP];
		unit_parts(&r, u, p, &detail[i * NCOMP]);
		extra[i] = (struct score_extra){
			.bonus = u->bonus,
			.bonus_cap = r.sc.bonus_cap,
			.deduction = u->deduction,
			.deduction_cap = r.sc.deduction_cap,
		};
		e[i].unit_id = u->id;
		e[i].score = ranking_score(p, NCOMP, &extra[i]);
		e[i].vetoed = json_array_size(u->veto_items) > 0;
	}
	struct grade_rule rule = {
		.by_threshold = r.sc.by_threshold,
		.excellent_share = r.sc.excellent_share,
		.fair_share = r.sc.fair_share,
		.excellent_min = ranking_centi(r.sc.excellent_min),
		.good_min = ranking_centi(r.sc.good_min),
	};
	ranking_rank(e, r.n);
	ranking_grade(e, r.n, &rule);
	json_t *units = json_array();
	for (size_t k = 0; k < r.n; k++) {
		struct au *u = au_find(&r, e[k].unit_id);
		size_t i = (size_t)(u - r.u);
		json_t *o = json_pack(
			"{s:I, s:s, s:f, s:i, s:s, s:s, s:b, s:O}", "unit_id",
			(json_int_t)u->id, "unit_name", u->name, "score",
			(double)e[k].score / 100.0, "rank", e[k].rank, "grade",
			ranking_grade_name(e[k].grade), "grade_label",
			ranking_grade_label(e[k].grade), "vetoed",
			e[k].vetoed, "vetoes", u->veto_items);
		json_t *pr = prev ? rank_of(prev, u->id) : NULL;
		json_object_set(o, "previous_rank", pr ? pr : json_null());
		json_object_set_new(
			o, "rank_change",
			pr ? json_integer(json_integer_value(pr) - e[k].rank)
			   : json_null());
		json_object_set_new(o, "components",
				    components_json(&parts[i * NCOMP],
						    &detail[i * NCOMP], u,
						    &extra[i], &r.sc));
		for (int j = 0; j < NCOMP; j++)
			detail[i * NCOMP + (size_t)j] = NULL; /* stolen */
		json_array_append_new(units, o);
	}
	char a0[11], b0[11], d0[11];
	date_format(r.first, a0);
	date_format(r.last, b0);
	date_format(r.at, d0);
	json_t *sc = scheme_json(m->id, period, &r.sc);
	json_object_del(sc, "campaign_id");
	json_object_del(sc, "period");
	json_object_del(sc, "component_names");
	*out = json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:n, s:n, s:o, "
			 "s:o, s:I, s:o}",
			 "campaign_id", (json_int_t)m->id, "period", period,
			 "from", a0, "to", b0, "as_of", d0, "published", 0,
			 "version", "published_at", "previous_period",
			 prev_period[0] ? json_string(prev_period)
					: json_null(),
			 "scheme", sc, "unit_count", (json_int_t)r.n, "units",
			 units);
out:
	if (detail)
		for (size_t i = 0; i < r.n * NCOMP; i++)
			json_decref(detail[i]);
	free(detail);
	free(parts);
	free(extra);
	free(e);
	json_decref(prev);
	rk_release(&r);
	return result;
}

/* --- answering --- */

static duban_result stored_version(struct store_conn *c, int64_t campaign,
				   const char *period, int64_t version,
				   json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c,
		version > 0 ? "SELECT result FROM ranking_versions WHERE"
			      " campaign_id = ? AND period = ? AND version = ?"
			    : "SELECT result FROM ranking_versions WHERE"
			      " campaign_id = ? AND period = ? AND"
			      " CAST(? AS BIGINT) = 0 ORDER BY version DESC"
			      " LIMIT 1",
		&st, err);
	*out = NULL;
	if (result)
		return result;
	store_bind_int(st, 1, campaign);
	store_bind_str(st, 2, period);
	store_bind_int(st, 3, version);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row) {
		*out = json_loads(store_col_text(st, 0), 0, NULL);
		if (!*out)
			result = duban_fail(err, DUBAN_E_INTERNAL, NULL,
					    "a stored ranking does not parse");
	}
	store_reset(st);
	if (result == DUBAN_OK && !*out && version > 0)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, "version",
				    "no published version %lld of %s",
				    (long long)version, period);
	return result;
}

duban_result ranking_load(struct store_conn *c, const struct actor *a,
			  int64_t campaign_id, const char *period,
			  int32_t as_of, json_t **out, int64_t *version,
			  struct duban_error *err)
{
	struct campaign_meta m;
	duban_result result = campaign_meta_load(c, a, campaign_id, false, &m,
						 err);
	if (result)
		return result;
	if ((result = stored_version(c, campaign_id, period, 0, out, err)))
		return result;
	if (*out) {
		*version = jint(*out, "version", 0);
		return DUBAN_OK;
	}
	*version = 0;
	return compute(c, a, &m, period, as_of, true, out, err);
}

/* Leaves only the units in the caller's subtree, unless the caller is at
 * or above the issuing unit. */
static duban_result cut_to_scope(struct store_conn *c, const struct actor *a,
				 const struct campaign_meta *m, json_t *res,
				 struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	duban_result result;
	if (scope_path_contains(a->unit_path, m->unit_path))
		return DUBAN_OK;
	result = store_prepare(c,
			       "SELECT id FROM units WHERE path >= ? AND path"
			       " < ? ORDER BY id",
			       &st, err);
	if (result)
		return result;
	scope_bind_subtree(st, 1, a);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = store_col_int(st, 0);
	}
	store_reset(st);
	if (result == DUBAN_OK) {
		json_t *keep = json_array(), *v;
		size_t i;
		json_array_foreach(json_object_get(res, "units"), i, v)
		{
			int64_t id = jint(v, "unit_id", 0);
			if (n && bsearch(&id, ids, n, sizeof(*ids), cmp_i64))
				json_array_append(keep, v);
		}
		json_object_set_new(res, "units", keep);
	}
	free(ids);
	return result;
}

struct ranking_ctx {
	const struct actor *a;
	int64_t id;
	const struct ranking_query *q;
	json_t *out;
};

static duban_result get_ranking(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct ranking_ctx *x = ctx;
	struct campaign_meta m;
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m,
						 err);
	if (result)
		return result;
	if (!x->q->live &&
	    (result = stored_version(c, x->id, x->q->period, x->q->version,
				     &x->out, err)))
		return result;
	if (!x->out &&
	    (result = compute(c, x->a, &m, x->q->period, x->q->as_of, true,
			      &x->out, err)))
		return result;
	return cut_to_scope(c, x->a, &m, x->out, err);
}

duban_result ranking_get(struct store *s, const struct actor *a,
			 int64_t campaign_id, const struct ranking_query *q,
			 json_t **out, struct duban_error *err)
{
	struct ranking_ctx x = { a, campaign_id, q, NULL };
	duban_result result = check_period(q->period, true, err);
	if (result)
		return result;
	result = store_read(s, get_ranking, &x, err);
	if (result) {
		json_decref(x.out);
		return result;
	}
	*out = x.out;
	return DUBAN_OK;
}

struct publish_ctx {
	const struct actor *a;
	int64_t id;
	const char *period;
	int32_t as_of;
	json_t *out;
};

static duban_result publish(struct store_conn *c, void *ctx,
			    struct duban_error *err)
{
	struct publish_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t version = 0, row_id = 0;
	char *text = NULL;
	char ts[26];
	time_t now = time(NULL);
	duban_result result = campaign_meta_load(c, x->a, x->id, true, &m,
						 err);
	if (result)
		return result;
	if ((result = compute(c, x->a, &m, x->period, x->as_of, true, &x->out,
			      err)))
		return result;
	result = store_prepare(c,
			       "SELECT coalesce(max(version), 0) FROM"
			       " ranking_versions WHERE campaign_id = ? AND"
			       " period = ?",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, x->period);
	if ((result = store_one_int(st, &version, NULL, err)))
		return result;
	version++;
	date_format_timestamp(now, ts);
	json_object_set_new(x->out, "published", json_true());
	json_object_set_new(x->out, "version", json_integer(version));
	json_object_set_new(x->out, "published_at", json_string(ts));
	text = json_text(x->out, JSON_COMPACT | JSON_REAL_PRECISION(12));
	result = store_prepare(c,
			       "INSERT INTO ranking_versions (campaign_id,"
			       " period, version, result, published_by,"
			       " published_at) VALUES (?, ?, ?, ?, ?, ?)"
			       " RETURNING id",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, x->period);
	store_bind_int(st, 3, version);
	store_bind_str(st, 4, text);
	store_bind_int(st, 5, x->a->user_id);
	store_bind_int(st, 6, (int64_t)now);
	if ((result = store_one_int(st, &row_id, NULL, err)))
		goto out;
	json_t *summary = json_pack("{s:I, s:s, s:I, s:I}", "campaign_id",
				    (json_int_t)x->id, "period", x->period,
				    "version", (json_int_t)version, "units",
				    (json_int_t)json_array_size(json_object_get(
					    x->out, "units")));
	result = audit_append(c, x->a, "ranking", row_id, m.unit_id,
			      "publish", NULL, summary, err);
	json_decref(summary);
out:
	free(text);
	return result;
}

duban_result ranking_publish(struct store *s, const struct actor *a,
			     int64_t campaign_id, const char *period,
			     int32_t as_of, json_t **out,
			     struct duban_error *err)
{
	struct publish_ctx x = { a, campaign_id, period, as_of, NULL };
	duban_result result = check_period(period, true, err);
	if (result)
		return result;
	result = store_write(s, publish, &x, err);
	if (result) {
		json_decref(x.out);
		return result;
	}
	*out = x.out;
	return DUBAN_OK;
}

static duban_result list_versions(struct store_conn *c, void *ctx,
				  struct duban_error *err)
{
	static const struct row_col cols[] = {
		{ "version", ROW_INT },
		{ "period", ROW_TEXT },
		{ "published_at", ROW_TIME },
		{ "published_by", ROW_INT },
	};
	struct publish_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *items = NULL;
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m,
						 err);
	if (result)
		return result;
	result = store_prepare(c,
			       "SELECT version, period, published_at,"
			       " published_by FROM ranking_versions WHERE"
			       " campaign_id = ? AND period = ? ORDER BY"
			       " version",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, x->period);
	if ((result = rows_json(st, cols, 4, &items, err)))
		return result;
	x->out = json_pack("{s:I, s:s, s:o}", "campaign_id", (json_int_t)x->id,
			   "period", x->period, "items", items);
	return DUBAN_OK;
}

duban_result ranking_versions(struct store *s, const struct actor *a,
			      int64_t campaign_id, const char *period,
			      json_t **out, struct duban_error *err)
{
	struct publish_ctx x = { a, campaign_id, period, 0, NULL };
	duban_result result = check_period(period, true, err);
	if (result)
		return result;
	result = store_read(s, list_versions, &x, err);
	*out = x.out;
	return result;
}
