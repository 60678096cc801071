/*
 * problem_import.c - see problem_import.h.
 *
 * Two passes over the rows that import.c reads.  Reading (outside any
 * transaction): each data row is turned into texts, a source and a
 * deadline, with the checks that need nothing from the database.  Then
 * one write unit resolves the units, checks each row as POST /problems
 * would (problem_check) and inserts it (problem_insert); any bad row makes
 * the unit fail, so the store rolls everything back.  Rows without errors
 * are still inserted after a bad one, only so that their own errors (a
 * category that is not one of the campaign's themes ...) are found in the
 * same pass: they are rolled back with the rest.
 */
#include "app/problem_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/campaigns.h"
#include "app/problems.h"
#include "app/rows.h"
#include "app/workcal.h"
#include "base/date.h"
#include "base/xalloc.h"

enum col {
	C_SEQ,
	C_UNIT,
	C_SOURCE,
	C_CATEGORY,
	C_DESC,
	C_MEASURES,
	C_RESP,
	C_DUE,
	C_PROGRESS,
	C_STATUS,
	C_CLOSED,
	C_FOUND,
	NCOL
};

/* The export's headers, and the names offices commonly give them; the
 * header row is the one naming 单位 and 问题描述. */
static const struct import_column columns[NCOL] = {
	[C_SEQ] = { "序号", { "编号" }, false, false, true },
	[C_UNIT] = { "单位", { "责任单位", "单位名称" }, true, true, false },
	[C_SOURCE] = { "问题来源", { "来源" }, false, true, false },
	[C_CATEGORY] = { "问题类别", { "问题类型", "类别" }, false, false,
			 false },
	[C_DESC] = { "问题描述", { "存在问题", "问题表现" }, true, true, false },
	[C_MEASURES] = { "整改措施", { NULL }, false, false, false },
	[C_RESP] = { "责任人", { "整改责任人" }, false, false, false },
	[C_DUE] = { "整改时限", { "整改期限", "完成时限" }, false, true, false },
	[C_PROGRESS] = { "整改进展", { "进展情况" }, false, false, false },
	[C_STATUS] = { "状态", { "整改状态" }, false, false, false },
	[C_CLOSED] = { "销号日期", { NULL }, false, false, false },
	[C_FOUND] = { "发现日期", { NULL }, false, false, false },
};

/* Which column a field of problem_check()'s errors comes from. */
static const struct {
	const char *key;
	enum col col;
} key_cols[] = {
	{ "unit_id", C_UNIT },	      { "person_name", C_UNIT },
	{ "source", C_SOURCE },	      { "audit_kind", C_SOURCE },
	{ "category", C_CATEGORY },   { "description", C_DESC },
	{ "measures", C_MEASURES },   { "responsible_name", C_RESP },
	{ "due_on", C_DUE },	      { "due_workdays", C_DUE },
	{ "found_on", C_FOUND },
};

/* 问题来源: the codes, the labels of problem_label(), common wordings. */
static const struct {
	const char *text, *source;
} sources[] = {
	{ "self", "self" },	      { "自己找", "self" },
	{ "自查", "self" },	      { "自查自纠", "self" },
	{ "public", "public" },	      { "群众提", "public" },
	{ "群众反映", "public" },     { "群众举报", "public" },
	{ "superior", "superior" },   { "上级点", "superior" },
	{ "上级点名", "superior" },   { "上级交办", "superior" },
	{ "inspection", "inspection" }, { "组织查", "inspection" },
	{ "督导", "inspection" },     { "audit", "audit" },
	{ "巡视审计", "audit" },
};

/* Words that make a source an audit of that kind (巡视巡察, 统计督察 ...). */
static const char *const audit_words[] = { "巡视", "巡察", "审计", "督察",
					   "督查" };

/* One data row after reading: the texts of the known columns. */

/* What a row says of its problem besides its texts. */
struct prow {
	const char *source; /* static */
	int32_t found, due; /* due: 0 when counted in working days */
	int workdays;
	bool immediate;
};

struct pimport {
	struct import im;
	struct prow *p; /* one per im.rows */
};

/* "N个工作日", "N工作日", "N 个工作日" -> N. */
static bool parse_workdays(const char *s, int *out)
{
	long n = 0;
	const char *p = s;
	while (*p >= '0' && *p <= '9' && n < 100000)
		n = n * 10 + (*p++ - '0');
	if (p == s)
		return false;
	while (*p == ' ')
		p++;
	if (strncmp(p, "个", 3) == 0)
		p += 3;
	while (*p == ' ')
		p++;
	if (strcmp(p, "工作日") != 0)
		return false;
	*out = n > 100000 ? 100000 : (int)n;
	return true;
}

static const char *source_of(const char *text)
{
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(text, sources[i].text) == 0)
			return sources[i].source;
	for (size_t i = 0; i < sizeof(audit_words) / sizeof(audit_words[0]);
	     i++)
		if (strstr(text, audit_words[i]))
			return "audit";
	return NULL;
}

/* The deadline: a date, N working days, or 立行立改 (fixed at once). */
static void take_due(struct import *im, struct import_row *r,
		     struct prow *p)
{
	const char *h = columns[C_DUE].header;
	const struct import_value *due = &r->v[C_DUE];
	bool explicit_found = false;
	p->found = im->today;
	if (r->v[C_FOUND].text) {
		if (!import_date(&r->v[C_FOUND], &p->found)) {
			import_row_error(im, r, columns[C_FOUND].header,
					 "'%s' is not a date",
					 r->v[C_FOUND].text);
			return;
		}
		explicit_found = true;
	}
	if (!due->text) {
		import_row_error(im, r, h,
				 "a deadline is required: a date, 'N个工作日' "
				 "or '立行立改'");
		return;
	}
	if (strcmp(due->text, "立行立改") == 0) {
		p->immediate = true;
		p->due = p->found;
		return;
	}
	if (parse_workdays(due->text, &p->workdays)) {
		int32_t d;
		struct duban_error e = { 0 };
		if (p->workdays < 1 || p->workdays > 1000) {
			import_row_error(im, r, h,
					 "a deadline in working days must be "
					 "from 1 to 1000");
			return;
		}
		if (workcal_add(p->found, p->workdays, &d, NULL, &e))
			import_row_error(im, r, h, "%s", e.message);
		return;
	}
	if (!import_date(due, &p->due)) {
		import_row_error(im, r, h,
				 "'%s' is not a deadline: write a date "
				 "(YYYY-MM-DD), 'N个工作日' or '立行立改'",
				 due->text);
		return;
	}
	/* without a found date, a deadline that has passed is the day it
	 * was found: the problem is overdue from the start */
	if (p->due < p->found) {
		if (explicit_found)
			import_row_error(im, r, h, "the deadline is before %s",
					 columns[C_FOUND].header);
		else
			p->found = p->due;
	}
}

/* The checks of a row that need nothing from the database. */
static void check_row(struct import *im, struct import_row *r,
		      struct prow *p)
{
	const char *source = r->v[C_SOURCE].text;
	const char *status = r->v[C_STATUS].text;
	if (!r->v[C_UNIT].text)
		import_row_error(im, r, columns[C_UNIT].header,
				 "the unit is required");
	if (!source)
		import_row_error(im, r, columns[C_SOURCE].header,
				 "the source is required");
	else if (!(p->source = source_of(source)))
		import_row_error(im, r, columns[C_SOURCE].header,
				 "unknown source '%s': write 自己找, 群众提, "
				 "上级点, 组织查, the kind of audit (巡视巡察, "
				 "审计 ...) or a code (self, public, superior,"
				 " inspection, audit)",
				 source);
	if (status && strcmp(status, "待整改") != 0 &&
	    strcmp(status, "open") != 0)
		import_row_error(im, r, columns[C_STATUS].header,
				 "'%s' cannot be imported: an imported "
				 "problem starts as 待整改 (open) and moves on "
				 "through the workflow",
				 status);
	if (r->v[C_CLOSED].text)
		import_row_error(im, r, columns[C_CLOSED].header,
				 "an imported problem is open: it has no "
				 "close-out date");
	take_due(im, r, p);
}

/*
 * The 单位 cell: a unit's code or name, or "单位(姓名)" as the export
 * writes a personal list's rows.  A unit whose own name has brackets
 * (市场监督管理局(知识产权局)) matches whole first.
 */
static int64_t resolve_unit(struct import *im, const char *t, char **person)
{
	int64_t id = import_unit_find(im, t);
	size_t n = strlen(t);
	*person = NULL;
	if (id)
		return id;
	const char *open = NULL, *close = NULL;
	if (n > 1 && t[n - 1] == ')') {
		open = strrchr(t, '(');
		close = t + n - 1;
	} else if (n > 3 && strcmp(t + n - 3, "）") == 0) {
		for (const char *p = t; (p = strstr(p, "（")); p += 3)
			open = p;
		close = t + n - 3;
	}
	if (!open || open == t)
		return 0;
	size_t olen = *open == '(' ? 1 : 3;
	char *unit = import_trimmed(t, (size_t)(open - t));
	char *who = import_trimmed(open + olen, (size_t)(close - open - olen));
	if (unit && who && (id = import_unit_find(im, unit)) > 0)
		*person = who;
	else
		free(who);
	free(unit);
	return id;
}

static const char *column_for(const char *key)
{
	for (size_t i = 0; i < sizeof(key_cols) / sizeof(key_cols[0]); i++)
		if (strcmp(key, key_cols[i].key) == 0)
			return columns[key_cols[i].col].header;
	return key;
}

static json_t *row_json_in(struct import *im, struct import_row *r,
			   const struct prow *p, int64_t unit,
			   const char *person)
{
	char found[11], due[11];
	json_t *in = json_object();
	const char *src = r->v[C_SOURCE].text;
	date_format(p->found, found);
	json_object_set_new(in, "campaign_id", json_integer(im->campaign_id));
	json_object_set_new(in, "unit_id", json_integer(unit));
	json_object_set_new(in, "source", json_string(p->source));
	json_object_set_new(in, "found_on", json_string(found));
	if (strcmp(p->source, "audit") == 0 && strcmp(src, "audit") != 0 &&
	    strcmp(src, "巡视审计") != 0)
		json_object_set_new(in, "audit_kind", json_string(src));
	if (person)
		json_object_set_new(in, "person_name", json_string(person));
	static const struct {
		enum col col;
		const char *key;
	} texts[] = {
		{ C_CATEGORY, "category" },
		{ C_DESC, "description" },
		{ C_MEASURES, "measures" },
		{ C_RESP, "responsible_name" },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (r->v[texts[i].col].text)
			json_object_set_new(
				in, texts[i].key,
				json_string(r->v[texts[i].col].text));
	if (p->workdays) {
		json_object_set_new(in, "due_workdays",
				    json_integer(p->workdays));
	} else {
		date_format(p->due, due);
		json_object_set_new(in, "due_on", json_string(due));
	}
	if (p->immediate)
		json_object_set_new(in, "immediate", json_true());
	return in;
}

static duban_result import_unit(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct pimport *pi = ctx;
	struct import *im = &pi->im;
	struct campaign_meta m;
	duban_result result =
		campaign_meta_load(c, im->a, im->campaign_id, false, &m, err);
	if (result)
		return result;
	if ((result = import_units_load(c, im, m.unit_path, err)))
		return result;
	im->ids = json_array();
	for (size_t i = 0; i < im->nrows; i++) {
		struct import_row *r = &im->rows[i];
		const char *unit_text = r->v[C_UNIT].text;
		struct duban_error e = { 0 };
		char *person = NULL;
		int64_t unit = 0;
		json_t *in, *p = NULL;
		import_progress(im, "writing", i + 1);
		if (unit_text) {
			unit = resolve_unit(im, unit_text, &person);
			if (unit < 0)
				import_row_error(im, r, columns[C_UNIT].header,
						 "more than one unit is named "
						 "'%s': write its code",
						 unit_text);
			else if (unit == 0)
				import_row_error(im, r, columns[C_UNIT].header,
						 "no unit '%s' under the "
						 "campaign's unit in your scope",
						 unit_text);
		}
		if (r->bad) {
			free(person);
			continue;
		}
		in = row_json_in(im, r, &pi->p[i], unit, person);
		free(person);
		result = problem_check(in, &e);
		if (result == DUBAN_OK)
			result = problem_insert(c, im->a, in, &p, &e);
		json_decref(in);
		if (result == DUBAN_E_INVALID || result == DUBAN_E_FORBIDDEN) {
			import_row_error(im, r, column_for(e.field), "%s",
					 e.message);
			result = DUBAN_OK;
			continue;
		}
		if (result) {
			*err = e;
			return result;
		}
		json_array_append_new(im->ids,
				      json_integer(jint(p, "id", 0)));
		json_decref(p);
	}
	return import_unit_end(c, im, m.unit_id, "import_problems", err);
}

duban_result problem_import(struct store *s, const struct actor *a,
			    int64_t campaign_id, const void *data, size_t len,
			    const struct import_options *opt, json_t **out,
			    json_t **bad_rows, struct duban_error *err)
{
	struct pimport pi = { .p = NULL };
	duban_result result;
	import_init(&pi.im, a, campaign_id, opt, columns, NCOL);
	*out = NULL;
	*bad_rows = NULL;
	if ((result = import_read(&pi.im, data, len, err)))
		goto out;
	pi.p = xcalloc(pi.im.nrows, sizeof(*pi.p));
	for (size_t i = 0; i < pi.im.nrows; i++)
		check_row(&pi.im, &pi.im.rows[i], &pi.p[i]);
	result = import_answer(&pi.im, store_write(s, import_unit, &pi, err),
			       out, bad_rows);
out:
	free(pi.p);
	import_release(&pi.im);
	return result;
}
