#include "app/bulletins.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/assessment.h"
#include "app/audit.h"
#include "app/campaigns.h"
#include "app/jalloc.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/tasks.h"
#include "app/taskset.h"
#include "app/text.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/docx.h"
#include "core/dynbuf.h"
#include "core/roles.h"

#define MAX_PARAGRAPHS 500
#define MAX_TEXT 20000
#define MAX_LISTED 20   /* red tasks or overdue problems named one by one */
#define PAGE_MAX (8u << 20)

/* --- small text helpers --- */

/* printf into a new string */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	char *s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, f);
	vsnprintf(s, n > 0 ? (size_t)n + 1 : 1, f, ap);
	va_end(ap);
	return s;
}

static void para(json_t *arr, int level, char *text)
{
	json_array_append_new(arr, json_pack("{s:i, s:s}", "level", level,
					     "text", text));
	free(text);
}

/* "2021年6月30日" */
static void cn_date(int32_t day, char buf[32])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, 32, "%d年%d月%d日", y, m, d);
}

/* "2021年上半年", "2021年第一季度", "2021年3月", "2021年" */
static void period_label(const char *p, char buf[48])
{
	static const char *const q[] = { "一", "二", "三", "四" };
	int y = (int)strtol(p, NULL, 10);
	if (strlen(p) == 4)
		snprintf(buf, 48, "%d年", y);
	else if (p[5] == 'H')
		snprintf(buf, 48, "%d年%s半年", y, p[6] == '1' ? "上" : "下");
	else if (p[5] == 'Q')
		snprintf(buf, 48, "%d年第%s季度", y, q[(p[6] - '1') & 3]);
	else
		snprintf(buf, 48, "%d年%d月", y, (int)strtol(p + 5, NULL, 10));
}

/* "A、B、C" of a list of strings */
static char *join(json_t *names)
{
	struct dynbuf b;
	size_t i;
	json_t *v;
	char *out = NULL;
	dynbuf_init(&b, 1u << 20);
	json_array_foreach(names, i, v)
	{
		if (i)
			dynbuf_add(&b, "、");
		dynbuf_add(&b, json_string_value(v));
	}
	if (dynbuf_take(&b, &out, NULL, "a list", NULL) != DUBAN_OK)
		out = xstrdup("");
	return out;
}

/* --- typical cases --- */

struct case_ctx {
	const struct actor *a;
	int64_t id;
	const json_t *in;
	const char *period;
	json_t *out;
};

static const struct row_col case_cols[] = {
	{ "id", ROW_INT },	   { "campaign_id", ROW_INT },
	{ "unit_id", ROW_INT },	   { "unit_name", ROW_TEXT },
	{ "period", ROW_TEXT },	   { "kind", ROW_TEXT },
	{ "title", ROW_TEXT },	   { "summary", ROW_TEXT },
	{ "created_at", ROW_TIME },
};
#define CASE_SELECT                                                       \
	"SELECT k.id, k.campaign_id, k.unit_id, u.name, k.period, k.kind," \
	" k.title, k.summary, k.created_at FROM typical_cases k LEFT JOIN" \
	" units u ON u.id = k.unit_id"

static duban_result add_case(struct store_conn *c, void *ctx,
			     struct duban_error *err)
{
	struct case_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t id = 0, unit = jint(x->in, "unit_id", 0);
	bool row = false;
	char path[256];
	duban_result result = campaign_meta_load(c, x->a, x->id, true, &m,
						 err);
	if (result)
		return result;
	if (unit) {
		if ((result = scope_require_unit(c, x->a, unit, "unit_id",
						 path, err)))
			return result;
		if (!scope_path_contains(m.unit_path, path))
			return duban_fail(err, DUBAN_E_INVALID, "unit_id",
					  "unit %lld is not under the unit "
					  "that issued campaign %lld",
					  (long long)unit, (long long)x->id);
	}
	result = store_prepare(c,
			       "INSERT INTO typical_cases (campaign_id,"
			       " unit_id, period, kind, title, summary,"
			       " created_by, created_at) VALUES (?, ?, ?, ?,"
			       " ?, ?, ?, ?) RETURNING id",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	if (unit)
		store_bind_int(st, 2, unit);
	else
		store_bind_null(st, 2);
	store_bind_str(st, 3, jstr(x->in, "period"));
	store_bind_str(st, 4, jstr(x->in, "kind"));
	store_bind_str(st, 5, jstr(x->in, "title"));
	store_bind_str(st, 6, jstr(x->in, "summary"));
	store_bind_int(st, 7, x->a->user_id);
	store_bind_int(st, 8, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)))
		return result;
	if ((result = store_prepare(c, CASE_SELECT " WHERE k.id = ?", &st,
				    err)))
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row)
		x->out = row_json(st, case_cols, 9);
	store_reset(st);
	if (result)
		return result;
	return audit_append(c, x->a, "typical_case", id,
			    unit ? unit : m.unit_id, "create", NULL, x->out,
			    err);
}

duban_result case_add(struct store *s, const struct actor *a,
		      int64_t campaign_id, const json_t *in, json_t **out,
		      struct duban_error *err)
{
	struct case_ctx x = { a, campaign_id, in, NULL, NULL };
	const char *kind = jstr(in, "kind");
	int32_t f, l;
	duban_result result;
	if (!period_parse(jstr(in, "period"), &f, &l))
		return duban_fail(err, DUBAN_E_INVALID, "period",
				  "period must be YYYY, YYYY-MM, YYYY-Q1..Q4 "
				  "or YYYY-H1/H2");
	if (!kind || (strcmp(kind, "good") != 0 && strcmp(kind, "bad") != 0))
		return duban_fail(err, DUBAN_E_INVALID, "kind",
				  "kind must be good or bad");
	if ((result = text_require(in, "title", 1, 200, true, err)) ||
	    (result = text_require(in, "summary", 1, MAX_TEXT, true, err)))
		return result;
	return write_answer(s, add_case, &x, &x.out, out,
			    err);
}

static duban_result list_cases(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct case_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *items = NULL;
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m,
						 err);
	if (result)
		return result;
	result = store_prepare(c,
			       CASE_SELECT " WHERE k.campaign_id = ? AND"
					   " (CAST(? AS TEXT) = '' OR k.period"
					   " = ?) ORDER BY k.period, k.id",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, x->period ? x->period : "");
	store_bind_str(st, 3, x->period ? x->period : "");
	if ((result = rows_json(st, case_cols, 9, &items, err)))
		return result;
	x->out = json_pack("{s:I, s:o}", "campaign_id", (json_int_t)x->id,
			   "items", items);
	return DUBAN_OK;
}

duban_result case_list(struct store *s, const struct actor *a,
		       int64_t campaign_id, const char *period, json_t **out,
		       struct duban_error *err)
{
	struct case_ctx x = { a, campaign_id, NULL, period, NULL };
	duban_result result = store_read(s, list_cases, &x, err);
	*out = x.out;
	return result;
}

/* --- reading a bulletin --- */

static const struct row_col bulletin_cols[] = {
	{ "id", ROW_INT },	       { "campaign_id", ROW_INT },
	{ "period", ROW_TEXT },	       { "doc_number", ROW_TEXT },
	{ "title", ROW_TEXT },	       { "issuer", ROW_TEXT },
	{ "addressee", ROW_TEXT },     { "signature", ROW_TEXT },
	{ "paragraphs", ROW_TEXT },    { "tables", ROW_TEXT },
	{ "ranking_version", ROW_INT }, { "data_as_of", ROW_TEXT },
	{ "status", ROW_TEXT },	       { "serial", ROW_INT },
	{ "created_at", ROW_TIME },    { "published_at", ROW_TIME },
	{ "published_on", ROW_TEXT },  { "version", ROW_INT },
};
#define BULLETIN_NCOLS 18
#define BULLETIN_SELECT                                                    \
	"SELECT id, campaign_id, period, doc_number, title, issuer,"        \
	" addressee, signature, paragraphs, tables, ranking_version,"      \
	" data_as_of, status, serial, created_at, published_at,"           \
	" published_on, version FROM bulletins"

static json_t *bulletin_row(struct store_stmt *st)
{
	char label[48];
	json_t *o = row_json(st, bulletin_cols, BULLETIN_NCOLS);
	/* paragraphs and tables are stored as JSON */
	json_object_set_new(o, "paragraphs",
			    json_loads(jstr(o, "paragraphs"), 0, NULL));
	json_object_set_new(o, "tables",
			    json_loads(jstr(o, "tables"), 0, NULL));
	if (!json_is_array(json_object_get(o, "paragraphs")))
		json_object_set_new(o, "paragraphs", json_array());
	if (!json_is_object(json_object_get(o, "tables")))
		json_object_set_new(o, "tables", json_object());
	period_label(jstr(o, "period"), label);
	json_object_set_new(o, "period_label", json_string(label));
	return o;
}

/*
 * Loads a bulletin the actor may see: a draft needs the campaign's
 * management (or manage is asked for), a published one reading rights.
 * With a NULL actor, only a published bulletin exists.
 */
static duban_result bulletin_load(struct store_conn *c, const struct actor *a,
				  int64_t id, bool manage, json_t **out,
				  int64_t *unit_id, struct duban_error *err)
{
	struct store_stmt *st;
	struct campaign_meta m;
	bool row = false;
	json_t *o = NULL;
	duban_result result =
		store_prepare(c, BULLETIN_SELECT " WHERE id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row)
		o = bulletin_row(st);
	store_reset(st);
	if (result)
		return result;
	bool published = o && strcmp(jstr(o, "status"), "published") == 0;
	if (!o || (!a && !published)) {
		json_decref(o);
		return duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				  "no bulletin with id %lld", (long long)id);
	}
	if (a && (result = campaign_meta_load(c, a, jint(o, "campaign_id", 0),
					      manage || !published, &m,
					      err))) {
		json_decref(o);
		return result;
	}
	if (unit_id)
		*unit_id = a ? m.unit_id : 0;
	*out = o;
	return DUBAN_OK;
}

struct bulletin_ctx {
	const struct actor *a;
	int64_t id;
	const json_t *in;
	int32_t as_of;
	json_t *out;
};

static duban_result get_bulletin(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct bulletin_ctx *x = ctx;
	return bulletin_load(c, x->a, x->id, false, &x->out, NULL, err);
}

duban_result bulletin_get(struct store *s, const struct actor *a, int64_t id,
			  json_t **out, struct duban_error *err)
{
	struct bulletin_ctx x = { a, id, NULL, 0, NULL };
	duban_result result = store_read(s, get_bulletin, &x, err);
	*out = x.out;
	return result;
}

static duban_result list_bulletins(struct store_conn *c, void *ctx,
				   struct duban_error *err)
{
	static const struct row_col cols[] = {
		{ "id", ROW_INT },	      { "period", ROW_TEXT },
		{ "doc_number", ROW_TEXT },   { "title", ROW_TEXT },
		{ "status", ROW_TEXT },	      { "serial", ROW_INT },
		{ "created_at", ROW_TIME },   { "published_on", ROW_TEXT },
		{ "version", ROW_INT },
	};
	struct bulletin_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *items = NULL;
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m,
						 err);
	if (result)
		return result;
	bool drafts = scope_require_unit(c, x->a, m.unit_id, NULL, NULL,
					 NULL) == DUBAN_OK;
	result = store_prepare(c,
			       "SELECT id, period, doc_number, title, status,"
			       " serial, created_at, published_on, version"
			       " FROM bulletins WHERE campaign_id = ? AND"
			       " (status = 'published' OR CAST(? AS BIGINT) ="
			       " 1) ORDER BY id",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, drafts);
	if ((result = rows_json(st, cols, 9, &items, err)))
		return result;
	x->out = json_pack("{s:I, s:o}", "campaign_id", (json_int_t)x->id,
			   "items", items);
	return DUBAN_OK;
}

duban_result bulletin_list(struct store *s, const struct actor *a,
			   int64_t campaign_id, json_t **out,
			   struct duban_error *err)
{
	struct bulletin_ctx x = { a, campaign_id, NULL, 0, NULL };
	duban_result result = store_read(s, list_bulletins, &x, err);
	*out = x.out;
	return result;
}

/* --- drafting one from the data --- */

struct draft {
	struct store_conn *c;
	const struct actor *a;
	struct campaign_meta m;
	const char *period;
	char label[48];
	int32_t first, last, at;
	json_t *paras;
	json_t *tables;
	json_t *ranking;
	int64_t ranking_version;
	char *campaign_title, *campaign_doc, *issuer;
};

static duban_result campaign_texts(struct draft *d, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		d->c,
		"SELECT c.title, c.doc_number, u.name FROM campaigns c JOIN"
		" units u ON u.id = c.unit_id WHERE c.id = ?",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, d->m.id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row) {
		d->campaign_title = xstrdup(store_col_text(st, 0));
		d->campaign_doc = xstrdup(store_col_null(st, 1)
						  ? ""
						  : store_col_text(st, 1));
		d->issuer = xstrdup(store_col_text(st, 2));
	}
	store_reset(st);
	return result;
}

/* 一、总体进展情况 and 三、红灯任务和逾期问题 need the tasks and ledger */
static duban_result progress_sections(struct draft *d, json_t *red_part,
				      struct duban_error *err)
{
	struct taskset_ref ref;
	struct store_stmt *st;
	bool row = false;
	char day[32], at[11];
	int64_t lights[3] = { 0, 0, 0 }, problems = 0, closed = 0,
		overdue = 0;
	double progress = 0;
	size_t started = 0, nred = 0;
	duban_result result = taskset_campaign(d->c, d->m.id, &d->m.params,
					   d->at, &ref, err);
	if (result)
		return result;
	const struct taskset *ts = ref.ts;
	for (size_t i = 0; i < ts->n; i++) {
		lights[ts->t[i].light]++;
		if (ts->t[i].starts_on <= d->at) {
			started++;
			progress += ts->t[i].progress;
		}
	}
	date_format(d->at, at);
	result = store_prepare(
		d->c,
		"SELECT count(*), coalesce(sum(CASE WHEN status = 'closed'"
		" THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN status NOT IN"
		" ('closed', 'rectified') AND due_on < ? THEN 1 ELSE 0 END), 0)"
		" FROM problems WHERE campaign_id = ? AND found_on <= ?",
		&st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, at);
	store_bind_int(st, 2, d->m.id);
	store_bind_str(st, 3, at);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row) {
		problems = store_col_int(st, 0);
		closed = store_col_int(st, 1);
		overdue = store_col_int(st, 2);
	}
	store_reset(st);
	if (result)
		goto out;
	cn_date(d->at, day);
	para(d->paras, 1, xstrdup("总体进展情况"));
	para(d->paras, 0,
	     fmt("截至%s，%s共部署任务%zu项，已启动任务平均进度%.1f%%；其中"
		 "绿灯%lld项、黄灯%lld项、红灯%lld项。整改台账共登记问题%lld"
		 "个，已整改销号%lld个，销号率%.1f%%；逾期未整改%lld个。",
		 day, d->campaign_title, ts->n,
		 started ? progress / (double)started : 0.0,
		 (long long)lights[0], (long long)lights[1],
		 (long long)lights[2], (long long)problems, (long long)closed,
		 problems ? 100.0 * (double)closed / (double)problems : 0.0,
		 (long long)overdue));
	/* red tasks, with their titles and lead units */
	para(red_part, 2, xstrdup("红灯任务"));
	result = store_prepare(d->c,
			       "SELECT t.id, t.title, t.due_on, u.name FROM"
			       " tasks t JOIN units u ON u.id = t.lead_unit_id"
			       " WHERE t.campaign_id = ? ORDER BY t.id",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, d->m.id);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		const struct ts_task *t = taskset_find(ts, store_col_int(st, 0));
		if (!t || t->light != LIGHT_RED)
			continue;
		if (++nred <= MAX_LISTED)
			para(red_part, 3,
			     fmt("%s（牵头单位：%s，完成时限：%s）。",
				 store_col_text(st, 1), store_col_text(st, 3),
				 store_col_text(st, 2)));
	}
	store_reset(st);
	if (result)
		goto out;
	if (nred == 0)
		para(red_part, 0, xstrdup("本期无亮红灯任务。"));
	else if (nred > MAX_LISTED)
		para(red_part, 0,
		     fmt("另有%zu项红灯任务，详见任务调度表。",
			 nred - MAX_LISTED));
	/* overdue problems: the unit and what the problem is, no persons */
	para(red_part, 2, xstrdup("逾期未整改问题"));
	result = store_prepare(
		d->c,
		"SELECT u.name, p.description, p.due_on FROM problems p JOIN"
		" units u ON u.id = p.unit_id WHERE p.campaign_id = ? AND"
		" p.status NOT IN ('closed', 'rectified') AND p.due_on < ?"
		" AND p.found_on <= ? ORDER BY p.due_on, p.id",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, d->m.id);
	store_bind_str(st, 2, at);
	store_bind_str(st, 3, at);
	size_t nover = 0;
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		if (++nover <= MAX_LISTED)
			para(red_part, 3,
			     fmt("%s：%s（整改时限：%s）。",
				 store_col_text(st, 0), store_col_text(st, 1),
				 store_col_text(st, 2)));
	}
	store_reset(st);
	if (result)
		goto out;
	if (nover == 0)
		para(red_part, 0, xstrdup("本期无逾期未整改问题。"));
	else if (nover > MAX_LISTED)
		para(red_part, 0,
		     fmt("另有%zu个逾期问题，详见整改台账。",
			 nover - MAX_LISTED));
out:
	taskset_ref_release(&ref);
	return result;
}

static const char *rank_change_text(json_t *u, char buf[32])
{
	json_t *ch = json_object_get(u, "rank_change");
	if (!json_is_integer(ch))
		return "—";
	json_int_t v = json_integer_value(ch);
	if (v > 0)
		snprintf(buf, 32, "上升%lld位", (long long)v);
	else if (v < 0)
		snprintf(buf, 32, "下降%lld位", (long long)-v);
	else
		snprintf(buf, 32, "持平");
	return buf;
}

/* 二、考核排名情况 and 四、通报表扬和通报批评 */
static void ranking_sections(struct draft *d, json_t *praise_part)
{
	json_t *units = json_object_get(d->ranking, "units");
	json_t *rows = json_array(), *by[3] = { json_array(), json_array(),
						 json_array() };
	json_t *u;
	size_t i;
	json_array_foreach(units, i, u)
	{
		char score[32], change[32];
		int g = 0;
		const char *grade = jstr(u, "grade");
		g = grade && strcmp(grade, "excellent") == 0 ? 0
		    : grade && strcmp(grade, "good") == 0    ? 1
							     : 2;
		json_array_append_new(by[g], json_string(jstr(u, "unit_name")));
		snprintf(score, sizeof(score), "%.2f",
			 json_number_value(json_object_get(u, "score")));
		json_array_append_new(
			rows, json_pack("[I, s, s, s, s]",
					(json_int_t)jint(u, "rank", 0),
					jstr(u, "unit_name"), score,
					jstr(u, "grade_label")
						? jstr(u, "grade_label")
						: "",
					rank_change_text(u, change)));
	}
	para(d->paras, 1, xstrdup("考核排名情况"));
	if (json_array_size(units) == 0) {
		para(d->paras, 0, xstrdup("本期无参加考核的单位。"));
	} else {
		para(d->paras, 0,
		     fmt("按照考核方案，对%zu个单位进行了综合考核，考核等次为"
			 "“优秀”的%zu个、“较好”的%zu个、“一般”的%zu个。"
			 "考核排名情况如下：",
			 json_array_size(units), json_array_size(by[0]),
			 json_array_size(by[1]), json_array_size(by[2])));
		json_array_append_new(d->paras,
				      json_pack("{s:s}", "table", "ranking"));
	}
	json_object_set_new(
		d->tables, "ranking",
		json_pack("{s:[s, s, s, s, s], s:o}", "columns", "名次",
			  "单位", "得分", "等次", "较上期", "rows", rows));
	/* commendations: the excellent, and bonus points with reasons */
	para(praise_part, 1, xstrdup("通报表扬和通报批评"));
	para(praise_part, 2, xstrdup("通报表扬"));
	bool any = false;
	if (json_array_size(by[0])) {
		char *names = join(by[0]);
		para(praise_part, 0,
		     fmt("对考核等次为“优秀”的%s予以通报表扬。", names));
		free(names);
		any = true;
	}
	json_array_foreach(units, i, u)
	{
		size_t k;
		json_t *c, *item;
		json_array_foreach(json_object_get(u, "components"), k, c)
		{
			const char *key = jstr(c, "key");
			if (!key || strcmp(key, "bonus") != 0)
				continue;
			size_t j;
			json_array_foreach(json_object_get(
						   json_object_get(c, "detail"),
						   "items"),
					   j, item)
			{
				para(praise_part, 0,
				     fmt("%s%s，在考核中加%g分。",
					 jstr(u, "unit_name"),
					 jstr(item, "reason")
						 ? jstr(item, "reason")
						 : "表现突出",
					 json_number_value(json_object_get(
						 item, "points"))));
				any = true;
			}
		}
	}
	if (!any)
		para(praise_part, 0, xstrdup("本期无通报表扬单位。"));
	/* criticisms: the fair, and the vetoed with their reasons */
	para(praise_part, 2, xstrdup("通报批评"));
	any = false;
	if (json_array_size(by[2])) {
		char *names = join(by[2]);
		para(praise_part, 0,
		     fmt("对考核等次为“一般”的%s予以通报批评，由协调小组"
			 "办公室对其主要负责人进行约谈。",
			 names));
		free(names);
		any = true;
	}
	json_array_foreach(units, i, u)
	{
		size_t k;
		json_t *v;
		json_array_foreach(json_object_get(u, "vetoes"), k, v)
		{
			para(praise_part, 0,
			     fmt("%s因%s，实行“一票否决”，考核等次直接降为"
				 "“一般”。",
				 jstr(u, "unit_name"),
				 jstr(v, "reason") ? jstr(v, "reason")
						   : "存在否决事项"));
			any = true;
		}
	}
	if (!any)
		para(praise_part, 0, xstrdup("本期无通报批评单位。"));
	for (int k = 0; k < 3; k++)
		json_decref(by[k]);
}

/* 五、典型案例 */
static duban_result case_section(struct draft *d, json_t *part,
				 struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	json_t *kinds[2] = { json_array(), json_array() };
	duban_result result = store_prepare(
		d->c,
		"SELECT k.kind, k.title, k.summary, u.name, k.period FROM"
		" typical_cases k LEFT JOIN units u ON u.id = k.unit_id WHERE"
		" k.campaign_id = ? ORDER BY k.id",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, d->m.id);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		if (!assessment_period_within(store_col_text(st, 4), d->first,
					      d->last))
			continue;
		int k = strcmp(store_col_text(st, 0), "good") == 0 ? 0 : 1;
		const char *unit = store_col_text(st, 3);
		json_array_append_new(
			kinds[k],
			json_pack("{s:s, s:s, s:s}", "unit", unit ? unit : "",
				  "title", store_col_text(st, 1), "summary",
				  store_col_text(st, 2)));
	}
	store_reset(st);
	if (result)
		goto out;
	para(part, 1, xstrdup("典型案例"));
	if (!json_array_size(kinds[0]) && !json_array_size(kinds[1])) {
		para(part, 0, xstrdup("本期未收录典型案例。"));
		goto out;
	}
	static const char *const heads[] = { "正面典型", "反面典型" };
	for (int k = 0; k < 2; k++) {
		size_t i;
		json_t *v;
		if (!json_array_size(kinds[k]))
			continue;
		para(part, 2, xstrdup(heads[k]));
		json_array_foreach(kinds[k], i, v)
		{
			const char *unit = jstr(v, "unit");
			para(part, 3,
			     fmt("%s%s%s", *unit ? unit : "", *unit ? "：" : "",
				 jstr(v, "title")));
			para(part, 0, xstrdup(jstr(v, "summary")));
		}
	}
out:
	json_decref(kinds[0]);
	json_decref(kinds[1]);
	return result;
}

static duban_result draft_paragraphs(struct draft *d,
				     struct duban_error *err)
{
	json_t *red = json_array(), *praise = json_array(),
	       *cases = json_array();
	duban_result result;
	char intro_doc[160] = "";
	if (d->campaign_doc[0])
		snprintf(intro_doc, sizeof(intro_doc), "（%s）",
			 d->campaign_doc);
	para(d->paras, 0,
	     fmt("根据《%s》%s安排，协调小组办公室对%s各地区、各部门工作推进"
		 "情况进行了调度和考核。现将有关情况通报如下：",
		 d->campaign_title, intro_doc, d->label));
	para(red, 1, xstrdup("红灯任务和逾期问题"));
	if ((result = progress_sections(d, red, err)))
		goto out;
	ranking_sections(d, praise);
	if ((result = case_section(d, cases, err)))
		goto out;
	json_array_extend(d->paras, red);
	json_array_extend(d->paras, praise);
	json_array_extend(d->paras, cases);
	para(d->paras, 1, xstrdup("下一步工作要求"));
	para(d->paras, 0,
	     xstrdup("各地区、各部门要对照本通报指出的问题，举一反三、"
		     "立行立改。被通报批评和有红灯任务的单位要深刻剖析原因，"
		     "制定整改措施，限期整改到位，并于下一次调度前将整改情况"
		     "书面报送协调小组办公室。"));
out:
	json_decref(red);
	json_decref(praise);
	json_decref(cases);
	return result;
}

static duban_result create_bulletin(struct store_conn *c, void *ctx,
				    struct duban_error *err)
{
	struct bulletin_ctx *x = ctx;
	struct draft d;
	struct store_stmt *st;
	char *ptext = NULL, *ttext = NULL, *title = NULL, at[11];
	int64_t id = 0;
	duban_result result;
	memset(&d, 0, sizeof(d));
	d.c = c;
	d.a = x->a;
	d.period = jstr(x->in, "period");
	if ((result = campaign_meta_load(c, x->a, x->id, true, &d.m, err)))
		return result;
	period_parse(d.period, &d.first, &d.last);
	d.at = d.last < x->as_of ? d.last : x->as_of;
	period_label(d.period, d.label);
	d.paras = json_array();
	d.tables = json_object();
	if ((result = campaign_texts(&d, err)) ||
	    (result = ranking_load(c, x->a, x->id, d.period, x->as_of,
				   &d.ranking, &d.ranking_version, err)) ||
	    (result = draft_paragraphs(&d, err)))
		goto out;
	title = jstr(x->in, "title")
			? xstrdup(jstr(x->in, "title"))
			: fmt("关于%s%s工作推进情况的通报", d.label,
			      d.campaign_title);
	const char *issuer = jstr(x->in, "issuer") ? jstr(x->in, "issuer")
						   : d.issuer;
	ptext = json_text(d.paras, JSON_COMPACT);
	ttext = json_text(d.tables, JSON_COMPACT);
	date_format(d.at, at);
	result = store_prepare(
		c,
		"INSERT INTO bulletins (campaign_id, period, doc_number, title,"
		" issuer, addressee, signature, paragraphs, tables,"
		" ranking_version, data_as_of, status, created_by,"
		" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		" 'draft', ?, ?) RETURNING id",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	store_bind_str(st, 2, d.period);
	store_bind_str(st, 3, jstr(x->in, "doc_number"));
	store_bind_str(st, 4, title);
	store_bind_str(st, 5, issuer);
	store_bind_str(st, 6, jstr(x->in, "addressee")
				      ? jstr(x->in, "addressee")
				      : "各地区、各部门，各有关单位：");
	store_bind_str(st, 7, jstr(x->in, "signature")
				      ? jstr(x->in, "signature")
				      : issuer);
	store_bind_str(st, 8, ptext);
	store_bind_str(st, 9, ttext);
	if (d.ranking_version)
		store_bind_int(st, 10, d.ranking_version);
	else
		store_bind_null(st, 10);
	store_bind_str(st, 11, at);
	store_bind_int(st, 12, x->a->user_id);
	store_bind_int(st, 13, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)))
		goto out;
	if ((result = bulletin_load(c, x->a, id, true, &x->out, NULL, err)))
		goto out;
	json_t *summary = json_pack("{s:I, s:s, s:s, s:s}", "campaign_id",
				    (json_int_t)x->id, "period", d.period,
				    "doc_number", jstr(x->out, "doc_number"),
				    "title", jstr(x->out, "title"));
	result = audit_append(c, x->a, "bulletin", id, d.m.unit_id, "create",
			      NULL, summary, err);
	json_decref(summary);
out:
	json_decref(d.paras);
	json_decref(d.tables);
	json_decref(d.ranking);
	free(d.campaign_title);
	free(d.campaign_doc);
	free(d.issuer);
	free(ptext);
	free(ttext);
	free(title);
	return result;
}

static duban_result check_header_texts(const json_t *in,
				       struct duban_error *err)
{
	duban_result result;
	if ((result = text_require(in, "doc_number", 1, 64, false, err)) ||
	    (result = text_require(in, "title", 1, 200, false, err)) ||
	    (result = text_require(in, "issuer", 1, 100, false, err)) ||
	    (result = text_require(in, "addressee", 1, 500, false, err)) ||
	    (result = text_require(in, "signature", 1, 100, false, err)))
		return result;
	return DUBAN_OK;
}

duban_result bulletin_create(struct store *s, const struct actor *a,
			     int64_t campaign_id, const json_t *in,
			     int32_t as_of, json_t **out,
			     struct duban_error *err)
{
	struct bulletin_ctx x = { a, campaign_id, in, as_of, NULL };
	int32_t f, l;
	duban_result result;
	if (!period_parse(jstr(in, "period"), &f, &l))
		return duban_fail(err, DUBAN_E_INVALID, "period",
				  "period must be YYYY, YYYY-MM, YYYY-Q1..Q4 "
				  "or YYYY-H1/H2");
	if ((result = text_require(in, "doc_number", 1, 64, true, err)) ||
	    (result = check_header_texts(in, err)))
		return result;
	return write_answer(s, create_bulletin, &x, &x.out, out,
			    err);
}

/* --- editing and publishing --- */

static duban_result check_paragraphs(const json_t *paras,
				     const json_t *tables,
				     struct duban_error *err)
{
	size_t i;
	json_t *p;
	char field[96];
	if (!json_is_array(paras) || json_array_size(paras) > MAX_PARAGRAPHS)
		return duban_fail(err, DUBAN_E_INVALID, "paragraphs",
				  "paragraphs must be a list of at most %d",
				  MAX_PARAGRAPHS);
	json_array_foreach(paras, i, p)
	{
		duban_result result;
		if (!json_is_object(p))
			return duban_fail(err, DUBAN_E_INVALID, "paragraphs",
					  "each paragraph must be an object");
		const json_t *t = json_object_get(p, "table");
		if (t) {
			snprintf(field, sizeof(field), "paragraphs[%zu].table",
				 i);
			if (!json_is_string(t) ||
			    !json_object_get(tables, json_string_value(t)) ||
			    json_object_size(p) != 1)
				return duban_fail(err, DUBAN_E_INVALID, field,
						  "%s must name one of the "
						  "bulletin's tables, alone",
						  field);
			continue;
		}
		const json_t *lv = json_object_get(p, "level");
		snprintf(field, sizeof(field), "paragraphs[%zu].level", i);
		if (lv && (!json_is_integer(lv) || json_integer_value(lv) < 0 ||
			   json_integer_value(lv) > 4))
			return duban_fail(err, DUBAN_E_INVALID, field,
					  "%s must be from 0 (body) to 4",
					  field);
		if ((result = field_text(p, "paragraphs", (int)i, "text", 1,
					 MAX_TEXT, true, err)))
			return result;
		json_t *k;
		const char *key;
		json_object_foreach((json_t *)p, key, k)
		{
			if (strcmp(key, "level") != 0 &&
			    strcmp(key, "text") != 0) {
				snprintf(field, sizeof(field),
					 "paragraphs[%zu]", i);
				return duban_fail(err, DUBAN_E_INVALID, field,
						  "%s has an unknown field "
						  "'%.40s'",
						  field, key);
			}
		}
	}
	return DUBAN_OK;
}

static duban_result editable(const json_t *b, const json_t *in,
			     struct duban_error *err)
{
	if (strcmp(jstr(b, "status"), "draft") != 0)
		return duban_fail_code(err, DUBAN_E_CONFLICT, "published",
				       NULL,
				       "bulletin %lld is published and can no "
				       "longer change",
				       (long long)jint(b, "id", 0));
	if (jint(in, "version", 0) != jint(b, "version", 0))
		return duban_fail_code(err, DUBAN_E_CONFLICT, "stale_version",
				       "version",
				       "the bulletin was changed (version %lld "
				       "now)",
				       (long long)jint(b, "version", 0));
	return DUBAN_OK;
}

static duban_result update_bulletin(struct store_conn *c, void *ctx,
				    struct duban_error *err)
{
	struct bulletin_ctx *x = ctx;
	struct store_stmt *st;
	json_t *before = NULL;
	char *ptext = NULL;
	int64_t unit = 0;
	duban_result result = bulletin_load(c, x->a, x->id, true, &before,
					    &unit, err);
	if (result)
		return result;
	if ((result = editable(before, x->in, err)))
		goto out;
	const json_t *paras = json_object_get(x->in, "paragraphs");
	if (paras) {
		if ((result = check_paragraphs(paras,
					       json_object_get(before, "tables"),
					       err)))
			goto out;
		ptext = json_text(paras, JSON_COMPACT);
	}
	result = store_prepare(
		c,
		"UPDATE bulletins SET title = coalesce(?, title), issuer ="
		" coalesce(?, issuer), addressee = coalesce(?, addressee),"
		" signature = coalesce(?, signature), doc_number ="
		" coalesce(?, doc_number), paragraphs = coalesce(?,"
		" paragraphs), version = version + 1 WHERE id = ? AND version"
		" = ? AND status = 'draft'",
		&st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, jstr(x->in, "title"));
	store_bind_str(st, 2, jstr(x->in, "issuer"));
	store_bind_str(st, 3, jstr(x->in, "addressee"));
	store_bind_str(st, 4, jstr(x->in, "signature"));
	store_bind_str(st, 5, jstr(x->in, "doc_number"));
	store_bind_str(st, 6, ptext);
	store_bind_int(st, 7, x->id);
	store_bind_int(st, 8, jint(before, "version", 0));
	if ((result = store_run(st, err)))
		goto out;
	if ((result = bulletin_load(c, x->a, x->id, true, &x->out, NULL,
				    err)))
		goto out;
	json_t *b = json_copy(before), *a = json_copy(x->out);
	/* the audit keeps the texts; the tables are the data's */
	json_object_del(b, "tables");
	json_object_del(a, "tables");
	result = audit_append(c, x->a, "bulletin", x->id, unit, "update", b,
			      a, err);
	json_decref(b);
	json_decref(a);
out:
	json_decref(before);
	free(ptext);
	return result;
}

duban_result bulletin_update(struct store *s, const struct actor *a,
			     int64_t id, const json_t *in, json_t **out,
			     struct duban_error *err)
{
	struct bulletin_ctx x = { a, id, in, 0, NULL };
	duban_result result = check_header_texts(in, err);
	if (result)
		return result;
	return write_answer(s, update_bulletin, &x, &x.out, out,
			    err);
}

static duban_result publish_bulletin(struct store_conn *c, void *ctx,
				     struct duban_error *err)
{
	struct bulletin_ctx *x = ctx;
	struct store_stmt *st;
	json_t *before = NULL;
	int64_t serial = 0, dup = 0, unit = 0;
	char today[11];
	duban_result result = bulletin_load(c, x->a, x->id, true, &before,
					    &unit, err);
	if (result)
		return result;
	if ((result = editable(before, x->in, err)))
		goto out;
	/* one document number, one document */
	result = store_prepare(c,
			       "SELECT count(*) FROM bulletins WHERE doc_number"
			       " = ? AND status = 'published'",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, jstr(before, "doc_number"));
	if ((result = store_one_int(st, &dup, NULL, err)))
		goto out;
	if (dup) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT, "duplicate",
					 "doc_number",
					 "a bulletin numbered '%s' is "
					 "published already",
					 jstr(before, "doc_number"));
		goto out;
	}
	result = store_prepare(c,
			       "SELECT coalesce(max(serial), 0) + 1 FROM"
			       " bulletins WHERE campaign_id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, jint(before, "campaign_id", 0));
	if ((result = store_one_int(st, &serial, NULL, err)))
		goto out;
	date_format(date_today(), today);
	result = store_prepare(c,
			       "UPDATE bulletins SET status = 'published',"
			       " serial = ?, published_by = ?, published_at ="
			       " ?, published_on = ?, version = version + 1"
			       " WHERE id = ? AND version = ? AND status ="
			       " 'draft'",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, serial);
	store_bind_int(st, 2, x->a->user_id);
	store_bind_int(st, 3, (int64_t)time(NULL));
	store_bind_str(st, 4, today);
	store_bind_int(st, 5, x->id);
	store_bind_int(st, 6, jint(before, "version", 0));
	if ((result = store_run(st, err)) ||
	    (result = bulletin_load(c, x->a, x->id, true, &x->out, NULL,
				    err)))
		goto out;
	json_t *summary = json_pack("{s:I, s:s, s:I, s:s}", "campaign_id",
				    (json_int_t)jint(before, "campaign_id", 0),
				    "doc_number", jstr(before, "doc_number"),
				    "serial", (json_int_t)serial, "published_on",
				    today);
	result = audit_append(c, x->a, "bulletin", x->id, unit, "publish",
			      NULL, summary, err);
	json_decref(summary);
out:
	json_decref(before);
	return result;
}

duban_result bulletin_publish(struct store *s, const struct actor *a,
			      int64_t id, const json_t *in, json_t **out,
			      struct duban_error *err)
{
	struct bulletin_ctx x = { a, id, in, 0, NULL };
	return write_answer(s, publish_bulletin, &x, &x.out, out,
			    err);
}

/* --- rendering: the screen page and the Word document --- */

/* The issuer mark: "XX办公室文件" (once, when the issuer says it). */
static char *issuer_mark(const char *issuer)
{
	size_t n = strlen(issuer), w = strlen("文件");
	if (n >= w && strcmp(issuer + n - w, "文件") == 0)
		return xstrdup(issuer);
	return fmt("%s文件", issuer);
}

/* The heading number for level (1..4), counting per parent. */
static void number(int *count, int level, char *buf, size_t size)
{
	count[level]++;
	for (int k = level + 1; k <= 4; k++)
		count[k] = 0;
	docx_heading_prefix(level, count[level], buf, size);
}

/* The date under the signature: published, or (drafts) today. */
static void doc_date(const json_t *b, char buf[32])
{
	int32_t day = date_today();
	const char *p = jstr(b, "published_on");
	if (p)
		date_parse(p, strlen(p), &day);
	cn_date(day, buf);
}

static const char html_style[] =
	"body{margin:0;background:#e8e8e8;color:#000}"
	".page{box-sizing:border-box;max-width:210mm;min-height:297mm;"
	"margin:12px auto;background:#fff;padding:37mm 26mm 35mm 28mm;"
	"font:16pt/28.95pt \"仿宋_GB2312\",FangSong,STFangsong,serif}"
	".issuer{margin:0;color:#e00;text-align:center;font-size:30pt;"
	"line-height:1.3;font-family:\"方正小标宋简体\",STZhongsong,SimSun,serif}"
	".docno{margin:2em 0 0;text-indent:0;text-align:center;"
	"padding-bottom:4mm;border-bottom:2px solid #e00}"
	"h1{margin:2em 0 1em;text-align:center;font-weight:normal;"
	"font:22pt/1.4 \"方正小标宋简体\",STZhongsong,SimSun,serif}"
	"h2,h3{margin:0;font-size:16pt;font-weight:normal;text-indent:2em}"
	"h2{font-family:\"黑体\",SimHei,sans-serif}"
	"h3{font-family:\"楷体_GB2312\",KaiTi,STKaiti,serif}"
	"p{margin:0;text-indent:2em;text-align:justify}"
	".addressee{text-indent:0}.sig{margin-top:28.95pt;text-align:right;"
	"padding-right:2em}.date{text-align:right;padding-right:4em}"
	"table{border-collapse:collapse;width:100%;margin:.5em 0;"
	"font-size:14pt;line-height:1.6}"
	"th,td{border:1px solid #000;padding:0 4px;text-align:center}"
	".draft{margin:0 0 1em;padding:4px;text-indent:0;text-align:center;"
	"color:#a00;border:1px dashed #a00;font-family:sans-serif;"
	"font-size:11pt}"
	"@media print{body{background:#fff}.page{margin:0;max-width:none}"
	".draft{display:none}}";

static void html_table(struct dynbuf *b, const json_t *t)
{
	size_t i, j;
	json_t *v, *row;
	dynbuf_add(b, "<table><thead><tr>");
	json_array_foreach(json_object_get(t, "columns"), i, v)
	{
		dynbuf_add(b, "<th>");
		dynbuf_add_xml(b, json_string_value(v));
		dynbuf_add(b, "</th>");
	}
	dynbuf_add(b, "</tr></thead><tbody>");
	json_array_foreach(json_object_get(t, "rows"), i, row)
	{
		dynbuf_add(b, "<tr>");
		json_array_foreach(row, j, v)
		{
			dynbuf_add(b, "<td>");
			if (json_is_integer(v))
				dynbuf_addf(b, "%lld",
					    (long long)json_integer_value(v));
			else
				dynbuf_add_xml(b, json_string_value(v));
			dynbuf_add(b, "</td>");
		}
		dynbuf_add(b, "</tr>");
	}
	dynbuf_add(b, "</tbody></table>");
}

static duban_result render_html(const json_t *bl, char **out, size_t *len,
				struct duban_error *err)
{
	struct dynbuf b;
	size_t i;
	json_t *p;
	int count[5] = { 0 };
	char date[32], *mark = issuer_mark(jstr(bl, "issuer"));
	dynbuf_init(&b, PAGE_MAX);
	dynbuf_add(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head>"
		       "<meta charset=\"utf-8\"><meta name=\"viewport\""
		       " content=\"width=device-width,initial-scale=1\">"
		       "<title>");
	dynbuf_add_xml(&b, jstr(bl, "title"));
	dynbuf_addf(&b, "</title><style>%s</style></head><body>"
			"<article class=\"page\">",
		    html_style);
	if (strcmp(jstr(bl, "status"), "published") != 0)
		dynbuf_add(&b, "<p class=\"draft\">草稿，未印发</p>");
	dynbuf_add(&b, "<p class=\"issuer\">");
	dynbuf_add_xml(&b, mark);
	dynbuf_add(&b, "</p><p class=\"docno\">");
	dynbuf_add_xml(&b, jstr(bl, "doc_number"));
	dynbuf_add(&b, "</p><h1>");
	dynbuf_add_xml(&b, jstr(bl, "title"));
	dynbuf_add(&b, "</h1><p class=\"addressee\">");
	dynbuf_add_xml(&b, jstr(bl, "addressee"));
	dynbuf_add(&b, "</p>");
	json_array_foreach(json_object_get(bl, "paragraphs"), i, p)
	{
		const char *table = jstr(p, "table");
		int level = (int)jint(p, "level", 0);
		char num[32] = "";
		if (table) {
			html_table(&b, json_object_get(
					       json_object_get(bl, "tables"),
					       table));
			continue;
		}
		if (level >= 1 && level <= 4)
			number(count, level, num, sizeof(num));
		dynbuf_add(&b, level == 1   ? "<h2>"
			       : level == 2 ? "<h3>"
					    : "<p>");
		dynbuf_add_xml(&b, num);
		dynbuf_add_xml(&b, jstr(p, "text"));
		dynbuf_add(&b, level == 1   ? "</h2>"
			       : level == 2 ? "</h3>"
					    : "</p>");
	}
	doc_date(bl, date);
	dynbuf_add(&b, "<p class=\"sig\">");
	dynbuf_add_xml(&b, jstr(bl, "signature"));
	dynbuf_add(&b, "</p><p class=\"date\">");
	dynbuf_add_xml(&b, date);
	dynbuf_add(&b, "</p></article></body></html>\n");
	free(mark);
	return dynbuf_take(&b, out, len, "the page", err);
}

static duban_result render_docx(const json_t *bl, char **out, size_t *len,
				struct duban_error *err)
{
	static const enum docx_kind heads[] = { DOCX_BODY, DOCX_H1, DOCX_H2,
						DOCX_H3, DOCX_H4 };
	size_t i;
	json_t *p;
	int count[5] = { 0 };
	char date[32], *mark = issuer_mark(jstr(bl, "issuer"));
	int32_t day = date_today();
	const char *on = jstr(bl, "published_on");
	if (on)
		date_parse(on, strlen(on), &day);
	/* the document's time is its date: the same bulletin, the same bytes */
	struct docx *d = docx_new(jstr(bl, "title"), jstr(bl, "signature"),
				  (time_t)day * 86400 - 8 * 3600);
	docx_para(d, DOCX_ISSUER, mark);
	docx_para(d, DOCX_DOCNO, jstr(bl, "doc_number"));
	docx_para(d, DOCX_TITLE, jstr(bl, "title"));
	docx_para(d, DOCX_ADDRESSEE, jstr(bl, "addressee"));
	json_array_foreach(json_object_get(bl, "paragraphs"), i, p)
	{
		const char *table = jstr(p, "table");
		int level = (int)jint(p, "level", 0);
		if (table) {
			const json_t *t = json_object_get(
				json_object_get(bl, "tables"), table);
			const json_t *cols = json_object_get(t, "columns");
			const json_t *rows = json_object_get(t, "rows");
			size_t nc = json_array_size(cols),
			       nr = json_array_size(rows) + 1;
			const char **cells = xcalloc(nr * nc + 1,
						     sizeof(*cells));
			char **owned = xcalloc(nr * nc + 1, sizeof(*owned));
			for (size_t j = 0; j < nc; j++)
				cells[j] = json_string_value(
					json_array_get(cols, j));
			for (size_t r = 1; r < nr; r++)
				for (size_t j = 0; j < nc; j++) {
					json_t *v = json_array_get(
						json_array_get(rows, r - 1), j);
					size_t k = r * nc + j;
					if (json_is_integer(v)) {
						owned[k] = fmt(
							"%lld",
							(long long)
								json_integer_value(
									v));
						cells[k] = owned[k];
					} else {
						cells[k] = json_string_value(v);
					}
				}
			static const unsigned widths[] = { 2, 6, 3, 3, 3 };
			docx_table(d, nr, nc, cells, nc == 5 ? widths : NULL);
			for (size_t k = 0; k < nr * nc; k++)
				free(owned[k]);
			free(owned);
			free(cells);
			continue;
		}
		if (level < 0 || level > 4)
			level = 0;
		if (level) {
			char num[32];
			number(count, level, num, sizeof(num));
			char *t = fmt("%s%s", num, jstr(p, "text"));
			docx_para(d, heads[level], t);
			free(t);
		} else {
			docx_para(d, DOCX_BODY, jstr(p, "text"));
		}
	}
	doc_date(bl, date);
	docx_para(d, DOCX_SIGNATURE, jstr(bl, "signature"));
	docx_para(d, DOCX_DATE, date);
	duban_result result = docx_build(d, out, len, err);
	docx_free(d);
	free(mark);
	return result;
}

struct render_ctx {
	const struct actor *a;
	int64_t id;
	json_t *b;
};

static duban_result load_for_render(struct store_conn *c, void *ctx,
				    struct duban_error *err)
{
	struct render_ctx *x = ctx;
	return bulletin_load(c, x->a, x->id, false, &x->b, NULL, err);
}

duban_result bulletin_html(struct store *s, const struct actor *a,
			   int64_t id, char **out, size_t *len,
			   struct duban_error *err)
{
	struct render_ctx x = { a, id, NULL };
	duban_result result = store_read(s, load_for_render, &x, err);
	if (result == DUBAN_OK)
		result = render_html(x.b, out, len, err);
	json_decref(x.b);
	return result;
}

duban_result bulletin_docx(struct store *s, const struct actor *a,
			   int64_t id, char **out, size_t *len,
			   struct duban_error *err)
{
	struct render_ctx x = { a, id, NULL };
	duban_result result = store_read(s, load_for_render, &x, err);
	if (result == DUBAN_OK)
		result = render_docx(x.b, out, len, err);
	json_decref(x.b);
	return result;
}
