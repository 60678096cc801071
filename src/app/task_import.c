/*
 * task_import.c - see task_import.h.
 *
 * Rows become tasks in two passes, like the problem import.  Outside any
 * transaction the rows are grouped into tasks (a row starts a task unless
 * it continues the one above: same 序号, or neither 序号 nor 任务名称), and
 * each row's indicator and milestone, its dates and parent are read.  Then
 * one write unit resolves the units and the category, and hands each task
 * to task_check() and task_insert(), the checks and the insert of POST
 * /tasks; their errors are put back on the row and column they came from.
 * Tasks are created in file order, so a parent named by its 序号 must come
 * before its sub-tasks.  Any bad row fails the unit and nothing remains.
 */
#include "app/task_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/campaigns.h"
#include "app/rows.h"
#include "app/tasks.h"
#include "base/date.h"
#include "base/xalloc.h"

enum col {
	C_SEQ,
	C_PARENT,
	C_TITLE,
	C_CATEGORY,
	C_LEAD,
	C_CO,
	C_LEADER,
	C_TEAM,
	C_START,
	C_DUE,
	C_IND,
	C_TARGET,
	C_CMP,
	C_MEASURE,
	C_MS,
	C_MS_DUE,
	NCOL
};

/* The first columns up to C_DUE describe the task itself; the others one
 * indicator and one milestone of it. */
#define TASK_COLS (C_DUE + 1)

/* The header row is the one naming 任务名称 and 牵头单位. */
static const struct import_column columns[NCOL] = {
	[C_SEQ] = { "序号", { "编号", "任务编号", "key" }, false, false, true },
	[C_PARENT] = { "上级序号",
		       { "上级编号", "上级任务", "父任务序号", "parent" },
		       false, false, false },
	[C_TITLE] = { "任务名称",
		      { "任务", "任务内容", "工作任务", "重点任务", "title" },
		      true, true, false },
	[C_CATEGORY] = { "任务类别", { "类别", "任务类型", "分类", "category" },
			 false, true, false },
	[C_LEAD] = { "牵头单位", { "牵头部门", "主责单位", "lead_unit" }, true,
		     true, false },
	[C_CO] = { "配合单位",
		   { "责任单位", "配合部门", "协办单位", "co_units" },
		   false, false, false },
	[C_LEADER] = { "责任领导",
		       { "分管领导", "牵头领导", "包抓领导", "leader" },
		       false, false, false },
	[C_TEAM] = { "工作专班", { "专班成员", "工作团队", "团队成员", "team" },
		     false, false, false },
	[C_START] = { "开始日期", { "开始时间", "起始日期", "starts_on" },
		      false, false, false },
	[C_DUE] = { "完成时限",
		    { "完成时间", "截止日期", "办结时限", "due_on" },
		    false, true, false },
	[C_IND] = { "指标名称", { "指标", "量化指标", "indicator" }, false,
		    false, false },
	[C_TARGET] = { "目标值", { "指标目标", "目标", "target" }, false, false,
		       false },
	[C_CMP] = { "方向", { "指标方向", "比较", "comparator" }, false, false,
		    false },
	[C_MEASURE] = { "计量单位",
			{ "指标单位", "单位名称", "indicator_unit" },
			false, false, false },
	[C_MS] = { "节点名称",
		   { "里程碑", "节点任务", "节点目标", "milestone" },
		   false, false, false },
	[C_MS_DUE] = { "节点时限",
		       { "节点日期", "节点完成时限", "里程碑日期",
			 "milestone_due" },
		       false, false, false },
};

/* Which column a field of task_check()'s and task_insert()'s errors comes
 * from; indicators[i] and milestones[i] fields by their key. */
static const struct {
	const char *key;
	enum col col;
} key_cols[] = {
	{ "title", C_TITLE },	     { "category_code", C_CATEGORY },
	{ "lead_unit_id", C_LEAD },  { "co_unit_ids", C_CO },
	{ "leader_name", C_LEADER }, { "team", C_TEAM },
	{ "parent_id", C_PARENT },   { "starts_on", C_START },
	{ "due_on", C_DUE },	     { "indicators", C_IND },
	{ "milestones", C_MS },
}, part_cols[] = {
	{ "indicators.name", C_IND },	    { "indicators.unit", C_MEASURE },
	{ "indicators.target", C_TARGET },  { "indicators.comparator", C_CMP },
	{ "milestones.title", C_MS },	    { "milestones.due_on", C_MS_DUE },
};

/* 方向, and words before or after a 目标值 that say the same. */
static const struct {
	const char *word, *cmp;
} comparators[] = {
	{ ">=", ">=" },	      { "≥", ">=" },	     { "＞＝", ">=" },
	{ "不低于", ">=" },   { "不少于", ">=" },    { "大于等于", ">=" },
	{ "至少", ">=" },     { "达到", ">=" },	     { "突破", ">=" },
	{ "以上", ">=" },     { "正向", ">=" },	     { "正向指标", ">=" },
	{ "<=", "<=" },	      { "≤", "<=" },	     { "＜＝", "<=" },
	{ "不高于", "<=" },   { "不超过", "<=" },    { "不多于", "<=" },
	{ "小于等于", "<=" }, { "至多", "<=" },	     { "控制在", "<=" },
	{ "以下", "<=" },     { "以内", "<=" },	     { "逆向", "<=" },
	{ "反向", "<=" },     { "逆向指标", "<=" },
};

/* One task: the rows first..last of im.rows, and what they say. */
struct titem {
	size_t first, last;
	const char *key;  /* its 序号, borrowed from the row; NULL when none */
	size_t parent;	  /* 1 + the index of its parent item; 0 when none */
	int64_t parent_id; /* a parent named #ID */
	int32_t start, due;
	bool has_start;	    /* else the campaign's first day */
	json_t *indicators, *milestones;
	size_t *ind_row, *ms_row; /* the row index of each */
	int64_t id;	 /* once created */
};

struct timport {
	struct import im;
	struct titem *items;
	size_t nitems;
	/* the campaign's categories, code and name in turns */
	json_t *categories;
};

static const char *h(enum col c)
{
	return columns[c].header;
}

/* --- reading the rows into tasks --- */

static const char *comparator_of(const char *word)
{
	for (size_t i = 0; i < sizeof(comparators) / sizeof(comparators[0]);
	     i++)
		if (strcmp(word, comparators[i].word) == 0)
			return comparators[i].cmp;
	return NULL;
}

/* The comparator word that s starts with, or NULL; *n its length. */
static const char *comparator_prefix(const char *s, size_t *n)
{
	for (size_t i = 0; i < sizeof(comparators) / sizeof(comparators[0]);
	     i++) {
		size_t k = strlen(comparators[i].word);
		if (strncmp(s, comparators[i].word, k) == 0) {
			*n = k;
			return comparators[i].cmp;
		}
	}
	return NULL;
}

/*
 * A 目标值: a number cell, or text such as "60", "≥80%", "不低于300个",
 * "1,200万元以上": an optional comparator, the number, an optional unit
 * of measure and comparator after it.  False when there is no number.
 */
static bool parse_target(const struct import_value *v, double *target,
			 const char **cmp, char **unit)
{
	char num[64];
	size_t n = 0, k;
	const char *p = v->text, *c;
	*cmp = NULL;
	*unit = NULL;
	if (v->number) {
		*target = v->value;
		return true;
	}
	if ((c = comparator_prefix(p, &k))) {
		*cmp = c;
		p += k;
		while (*p == ' ')
			p++;
	}
	if (*p == '-' || *p == '+')
		num[n++] = *p++;
	while (((*p >= '0' && *p <= '9') || *p == '.' || *p == ',') &&
	       n + 1 < sizeof(num)) {
		if (*p != ',')
			num[n++] = *p;
		p++;
	}
	num[n] = '\0';
	char *end = NULL;
	if (strspn(num, "+-") == n) /* no digit at all */
		return false;
	*target = strtod(num, &end);
	if (!end || *end)
		return false;
	char *rest = import_trimmed(p, strlen(p));
	if (rest) {
		size_t len = strlen(rest);
		for (size_t i = 0;
		     i < sizeof(comparators) / sizeof(comparators[0]); i++) {
			size_t w = strlen(comparators[i].word);
			if (len >= w && (unsigned char)comparators[i].word[0] >
						0x7f &&
			    strcmp(rest + len - w, comparators[i].word) == 0) {
				if (!*cmp)
					*cmp = comparators[i].cmp;
				rest[len - w] = '\0';
				break;
			}
		}
		*unit = import_trimmed(rest, strlen(rest));
		free(rest);
	}
	return true;
}

/* Calls fn for each name of a list written as "甲、乙，丙；丁" or one a line. */
static void split_list(const char *s, void (*fn)(void *ctx, char *name),
		       void *ctx)
{
	static const char *const seps[] = { "、", "，", "；", ",", ";",
					    "\n", "\r" };
	const char *start = s;
	for (const char *p = s;;) {
		size_t k = 0;
		for (size_t i = 0; !k && i < sizeof(seps) / sizeof(seps[0]); i++)
			if (strncmp(p, seps[i], strlen(seps[i])) == 0)
				k = strlen(seps[i]);
		if (k || !*p) {
			char *name = import_trimmed(start, (size_t)(p - start));
			if (name)
				fn(ctx, name);
			if (!*p)
				return;
			p += k;
			start = p;
		} else {
			p++;
		}
	}
}

static void add_string(void *ctx, char *name)
{
	json_array_append_new(ctx, json_string(name));
	free(name);
}

static size_t *push_row(size_t *rows, size_t n, size_t row)
{
	rows = xrealloc(rows, (n + 1) * sizeof(*rows));
	rows[n] = row;
	return rows;
}

/* The indicator and the milestone of row i, added to its task. */
static void take_parts(struct import *im, struct titem *t, size_t i)
{
	struct import_row *r = &im->rows[i];
	struct import_value *v = r->v;
	if (v[C_IND].text || v[C_TARGET].text || v[C_CMP].text ||
	    v[C_MEASURE].text) {
		json_t *ind = json_object();
		double target = 0;
		const char *cmp = NULL;
		char *unit = NULL;
		if (!v[C_IND].text)
			import_row_error(im, r, h(C_IND),
					 "an indicator needs its name");
		if (v[C_IND].text)
			json_object_set_new(ind, "name",
					    json_string(v[C_IND].text));
		if (!v[C_TARGET].text)
			import_row_error(im, r, h(C_TARGET),
					 "the indicator '%s' needs a target",
					 v[C_IND].text ? v[C_IND].text : "");
		else if (!parse_target(&v[C_TARGET], &target, &cmp, &unit))
			import_row_error(im, r, h(C_TARGET),
					 "'%s' is not a target: write a number,"
					 " such as 60, ≥80%% or 不低于300",
					 v[C_TARGET].text);
		else
			json_object_set_new(ind, "target", json_real(target));
		if (v[C_CMP].text && !(cmp = comparator_of(v[C_CMP].text)))
			import_row_error(im, r, h(C_CMP),
					 "'%s' is not a direction: write ≥ (or"
					 " >=, 不低于) or ≤ (or <=, 不超过)",
					 v[C_CMP].text);
		json_object_set_new(ind, "comparator",
				    json_string(cmp ? cmp : ">="));
		if (v[C_MEASURE].text || unit)
			json_object_set_new(ind, "unit",
					    json_string(v[C_MEASURE].text
								? v[C_MEASURE].text
								: unit));
		free(unit);
		t->ind_row = push_row(t->ind_row,
				      json_array_size(t->indicators), i);
		json_array_append_new(t->indicators, ind);
	}
	if (v[C_MS].text || v[C_MS_DUE].text) {
		json_t *ms = json_object();
		int32_t d;
		char day[11];
		if (!v[C_MS].text)
			import_row_error(im, r, h(C_MS),
					 "a milestone needs its name");
		else
			json_object_set_new(ms, "title",
					    json_string(v[C_MS].text));
		if (!v[C_MS_DUE].text) {
			import_row_error(im, r, h(C_MS_DUE),
					 "the milestone '%s' needs a date",
					 v[C_MS].text ? v[C_MS].text : "");
		} else if (!import_date(&v[C_MS_DUE], &d)) {
			import_row_error(im, r, h(C_MS_DUE),
					 "'%s' is not a date",
					 v[C_MS_DUE].text);
		} else {
			date_format(d, day);
			json_object_set_new(ms, "due_on", json_string(day));
		}
		t->ms_row = push_row(t->ms_row, json_array_size(t->milestones),
				     i);
		json_array_append_new(t->milestones, ms);
	}
}

/* The task's dates and parent, from its first row. */
static void take_task(struct timport *ti, struct titem *t)
{
	struct import *im = &ti->im;
	struct import_row *r = &im->rows[t->first];
	struct import_value *v = r->v;
	const char *parent = v[C_PARENT].text;
	if (!v[C_TITLE].text)
		import_row_error(im, r, h(C_TITLE), "the task needs its name");
	if (!v[C_LEAD].text)
		import_row_error(im, r, h(C_LEAD),
				 "the task needs its lead unit");
	if (!v[C_CATEGORY].text)
		import_row_error(im, r, h(C_CATEGORY),
				 "the task needs one of the campaign's "
				 "categories");
	if (v[C_START].text &&
	    !(t->has_start = import_date(&v[C_START], &t->start)))
		import_row_error(im, r, h(C_START), "'%s' is not a date",
				 v[C_START].text);
	if (!v[C_DUE].text)
		import_row_error(im, r, h(C_DUE), "the task needs a due date");
	else if (!import_date(&v[C_DUE], &t->due))
		import_row_error(im, r, h(C_DUE), "'%s' is not a date",
				 v[C_DUE].text);
	if (!parent)
		return;
	if (parent[0] == '#' || strncmp(parent, "＃", 3) == 0) {
		const char *p = parent + (parent[0] == '#' ? 1 : 3);
		int64_t id = 0;
		while (*p >= '0' && *p <= '9' && id < INT64_MAX / 20)
			id = id * 10 + (*p++ - '0');
		if (*p || id == 0)
			import_row_error(im, r, h(C_PARENT),
					 "'%s' is not a task: write the 序号 "
					 "of an earlier row or #ID of a task "
					 "of the campaign",
					 parent);
		t->parent_id = id;
		return;
	}
	for (size_t k = 0; k + 1 < ti->nitems; k++) {
		if (ti->items[k].key && strcmp(ti->items[k].key, parent) == 0) {
			t->parent = k + 1;
			return;
		}
	}
	import_row_error(im, r, h(C_PARENT),
			 "no earlier row has the 序号 '%s': a sub-task comes "
			 "after its parent, or names a task of the campaign "
			 "as #ID",
			 parent);
}

/* Row i continues task t: its task columns are blank or the same. */
static void check_continuation(struct import *im, const struct titem *t,
			       size_t i)
{
	struct import_row *r = &im->rows[i];
	const struct import_value *first = im->rows[t->first].v;
	for (int c = C_PARENT; c < TASK_COLS; c++) {
		const char *x = r->v[c].text, *y = first[c].text;
		if (x && (!y || strcmp(x, y) != 0))
			import_row_error(im, r, h(c),
					 "this row adds to the task of row %u:"
					 " leave %s blank or repeat it",
					 (unsigned)im->rows[t->first].row,
					 h(c));
	}
}

static void group_rows(struct timport *ti)
{
	struct import *im = &ti->im;
	ti->items = xcalloc(im->nrows, sizeof(*ti->items));
	for (size_t i = 0; i < im->nrows; i++) {
		struct import_row *r = &im->rows[i];
		const char *seq = r->v[C_SEQ].text;
		struct titem *cur = ti->nitems ? &ti->items[ti->nitems - 1]
					       : NULL;
		if (cur && ((seq && cur->key && strcmp(seq, cur->key) == 0) ||
			    (!seq && !r->v[C_TITLE].text))) {
			check_continuation(im, cur, i);
			cur->last = i;
			take_parts(im, cur, i);
			continue;
		}
		for (size_t k = 0; seq && k < ti->nitems; k++)
			if (ti->items[k].key &&
			    strcmp(ti->items[k].key, seq) == 0)
				import_row_error(
					im, r, h(C_SEQ),
					"the 序号 '%s' is row %u's already: "
					"the rows of one task go together",
					seq,
					(unsigned)im->rows[ti->items[k].first]
						.row);
		cur = &ti->items[ti->nitems++];
		cur->first = cur->last = i;
		cur->key = seq;
		cur->indicators = json_array();
		cur->milestones = json_array();
		take_task(ti, cur);
		take_parts(im, cur, i);
	}
}

/* --- the write unit --- */

static bool item_bad(const struct import *im, const struct titem *t)
{
	for (size_t i = t->first; i <= t->last; i++)
		if (im->rows[i].bad)
			return true;
	return false;
}

static duban_result load_categories(struct store_conn *c, struct timport *ti,
				    struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT code, name FROM campaign_categories WHERE"
		" campaign_id = ? ORDER BY code",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, ti->im.campaign_id);
	ti->categories = json_array();
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		json_array_append_new(ti->categories,
				      json_string(store_col_text(st, 0)));
		json_array_append_new(ti->categories,
				      json_string(store_col_text(st, 1)));
	}
	store_reset(st);
	return result;
}

/* A category by its code or its name; the text itself when neither, for
 * task_insert() to refuse. */
static const char *category_code(const struct timport *ti, const char *text)
{
	for (size_t i = 0; i + 1 < json_array_size(ti->categories); i += 2)
		if (strcmp(json_string_value(json_array_get(ti->categories, i)),
			   text) == 0 ||
		    strcmp(json_string_value(
				   json_array_get(ti->categories, i + 1)),
			   text) == 0)
			return json_string_value(
				json_array_get(ti->categories, i));
	return text;
}

/* A unit named in column col of row r, or 0 after recording the error. */
static int64_t unit_named(struct import *im, struct import_row *r,
			  enum col col, const char *name)
{
	int64_t id = import_unit_find(im, name);
	if (id < 0)
		import_row_error(im, r, h(col),
				 "more than one unit is named '%s': write its "
				 "code",
				 name);
	else if (id == 0)
		import_row_error(im, r, h(col),
				 "no unit '%s' under the campaign's unit in "
				 "your scope",
				 name);
	return id > 0 ? id : 0;
}

struct co_ctx {
	struct import *im;
	struct import_row *r;
	json_t *ids;
};

static void add_co_unit(void *ctx, char *name)
{
	struct co_ctx *x = ctx;
	int64_t id = unit_named(x->im, x->r, C_CO, name);
	if (id)
		json_array_append_new(x->ids, json_integer(id));
	free(name);
}

/* The POST /tasks body of task t; NULL when a unit or the parent is bad. */
static json_t *task_json_in(struct timport *ti, struct titem *t,
			    const struct campaign_meta *m)
{
	struct import *im = &ti->im;
	struct import_row *r = &im->rows[t->first];
	struct import_value *v = r->v;
	char day[11];
	int64_t lead = v[C_LEAD].text ? unit_named(im, r, C_LEAD,
						   v[C_LEAD].text)
				      : 0;
	json_t *in, *co = json_array();
	struct co_ctx x = { im, r, co };
	if (v[C_CO].text)
		split_list(v[C_CO].text, add_co_unit, &x);
	/* a bad row, or a parent that was not created, is an error already:
	 * nothing to check twice */
	if (item_bad(im, t) || (t->parent && !ti->items[t->parent - 1].id)) {
		json_decref(co);
		return NULL;
	}
	in = json_object();
	json_object_set_new(in, "campaign_id", json_integer(im->campaign_id));
	json_object_set_new(in, "title", json_string(v[C_TITLE].text));
	json_object_set_new(
		in, "category_code",
		json_string(category_code(ti, v[C_CATEGORY].text)));
	json_object_set_new(in, "lead_unit_id", json_integer(lead));
	json_object_set_new(in, "co_unit_ids", co);
	if (v[C_LEADER].text)
		json_object_set_new(in, "leader_name",
				    json_string(v[C_LEADER].text));
	if (v[C_TEAM].text) {
		json_t *team = json_array();
		split_list(v[C_TEAM].text, add_string, team);
		json_object_set_new(in, "team", team);
	}
	date_format(t->has_start ? t->start : m->starts_on, day);
	json_object_set_new(in, "starts_on", json_string(day));
	date_format(t->due, day);
	json_object_set_new(in, "due_on", json_string(day));
	if (t->parent_id)
		json_object_set_new(in, "parent_id",
				    json_integer(t->parent_id));
	else if (t->parent)
		json_object_set_new(in, "parent_id",
				    json_integer(ti->items[t->parent - 1].id));
	json_object_set(in, "indicators", t->indicators);
	json_object_set(in, "milestones", t->milestones);
	return in;
}

/* Puts an error of task_check() or task_insert() on its row and column:
 * "indicators[2].target" is the 目标值 of the task's third indicator. */
static void task_error(struct import *im, struct titem *t,
		       const struct duban_error *e)
{
	const char *field = e->field, *dot, *open;
	size_t row = t->first;
	enum col col = C_TITLE;
	bool found = false;
	if ((open = strchr(field, '[')) && (dot = strchr(open, '.'))) {
		char key[48];
		size_t k = (size_t)strtoul(open + 1, NULL, 10);
		bool ind = strncmp(field, "indicators", 10) == 0;
		snprintf(key, sizeof(key), "%.*s%s", (int)(open - field), field,
			 dot);
		for (size_t i = 0; i < sizeof(part_cols) / sizeof(part_cols[0]);
		     i++)
			if (strcmp(key, part_cols[i].key) == 0) {
				col = part_cols[i].col;
				found = true;
			}
		if (k < json_array_size(ind ? t->indicators : t->milestones))
			row = ind ? t->ind_row[k] : t->ms_row[k];
	}
	for (size_t i = 0;
	     !found && i < sizeof(key_cols) / sizeof(key_cols[0]); i++)
		if (strcmp(field, key_cols[i].key) == 0) {
			col = key_cols[i].col;
			found = true;
		}
	import_row_error(im, &im->rows[row], found ? h(col) : field, "%s",
			 e->message);
}

static duban_result import_unit(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct timport *ti = ctx;
	struct import *im = &ti->im;
	struct campaign_meta m;
	duban_result result =
		campaign_meta_load(c, im->a, im->campaign_id, true, &m, err);
	if (result)
		return result;
	if ((result = import_units_load(c, im, m.unit_path, err)) ||
	    (result = load_categories(c, ti, err)))
		return result;
	im->ids = json_array();
	for (size_t i = 0; i < ti->nitems; i++) {
		struct titem *t = &ti->items[i];
		struct duban_error e = { 0 };
		json_t *in, *task = NULL;
		for (size_t k = t->first; k <= t->last; k++)
			import_progress(im, "writing", k + 1);
		if (!(in = task_json_in(ti, t, &m)))
			continue;
		result = task_check(in, &e);
		if (result == DUBAN_OK)
			result = task_insert(c, im->a, in, &task, &e);
		json_decref(in);
		if (result == DUBAN_E_INVALID || result == DUBAN_E_FORBIDDEN) {
			task_error(im, t, &e);
			result = DUBAN_OK;
			continue;
		}
		if (result) {
			*err = e;
			return result;
		}
		t->id = jint(task, "id", 0);
		json_array_append_new(im->ids, json_integer(t->id));
		json_decref(task);
	}
	return import_unit_end(c, im, m.unit_id, "import_tasks", err);
}

duban_result task_import(struct store *s, const struct actor *a,
			 int64_t campaign_id, const void *data, size_t len,
			 const struct import_options *opt, json_t **out,
			 json_t **bad_rows, struct duban_error *err)
{
	struct timport ti = { .items = NULL };
	duban_result result;
	import_init(&ti.im, a, campaign_id, opt, columns, NCOL);
	*out = NULL;
	*bad_rows = NULL;
	if ((result = import_read(&ti.im, data, len, err)))
		goto out;
	group_rows(&ti);
	result = import_answer(&ti.im, store_write(s, import_unit, &ti, err),
			       out, bad_rows);
out:
	for (size_t i = 0; i < ti.nitems; i++) {
		json_decref(ti.items[i].indicators);
		json_decref(ti.items[i].milestones);
		free(ti.items[i].ind_row);
		free(ti.items[i].ms_row);
	}
	free(ti.items);
	json_decref(ti.categories);
	import_release(&ti.im);
	return result;
}
