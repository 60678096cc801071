/*
 * problem_import.c - see problem_import.h.
 *
 * Two passes.  Reading (outside any transaction): the file is parsed,
 * the header row found, and each data row turned into texts, a source and
 * a deadline, with the checks that need nothing from the database.  Then
 * one write unit resolves the units, checks each row as POST /problems
 * would (problem_check) and inserts it (problem_insert); any bad row makes
 * the unit fail, so the store rolls everything back.  Rows without errors
 * are still inserted after a bad one, only so that their own errors (a
 * category that is not one of the campaign's themes ...) are found in the
 * same pass: they are rolled back with the rest.
 */
#include "app/problem_import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/audit.h"
#include "app/campaigns.h"
#include "app/problems.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/workcal.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/audit_hash.h"
#include "core/csv.h"
#include "core/roles.h"
#include "core/xlsx_read.h"

#define MAX_ERRORS 1000	 /* row errors listed in one answer */
#define HEADER_SEARCH 10 /* rows searched for the header row */
#define MAX_ROWS 1000000

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

/* The export's headers, and the names offices commonly give them. */
static const struct column {
	const char *header;
	const char *aliases[3];
	bool required;
} columns[NCOL] = {
	[C_SEQ] = { "序号", { "编号" }, false },
	[C_UNIT] = { "单位", { "责任单位", "单位名称" }, true },
	[C_SOURCE] = { "问题来源", { "来源" }, true },
	[C_CATEGORY] = { "问题类别", { "问题类型", "类别" }, false },
	[C_DESC] = { "问题描述", { "存在问题", "问题表现" }, true },
	[C_MEASURES] = { "整改措施", { NULL }, false },
	[C_RESP] = { "责任人", { "整改责任人" }, false },
	[C_DUE] = { "整改时限", { "整改期限", "完成时限" }, true },
	[C_PROGRESS] = { "整改进展", { "进展情况" }, false },
	[C_STATUS] = { "状态", { "整改状态" }, false },
	[C_CLOSED] = { "销号日期", { NULL }, false },
	[C_FOUND] = { "发现日期", { NULL }, false },
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
struct irow {
	uint32_t row;
	char *v[NCOL];	  /* trimmed text, NULL when blank */
	const char *source; /* static */
	int32_t found, due; /* due: 0 when counted in working days */
	int workdays;
	bool immediate;
	bool bad;
};

struct unit_ref {
	int64_t id;
	char *name, *code;
};

struct import {
	const struct actor *a;
	int64_t campaign_id;
	const struct import_options *opt;
	/* reading */
	bool have_header;
	int col_of[NCOL]; /* the file's column of each known column, or -1 */
	uint32_t rows_seen;
	struct irow *rows;
	size_t nrows, caprows;
	int32_t today;
	/* errors */
	json_t *errors;
	size_t nerrors;
	/* the write unit */
	struct unit_ref *units;
	size_t nunits;
	struct unit_ref **by_name, **by_code;
	json_t *ids;
	const char *encoding;
	char sheet[128];
	char sha256[AUDIT_HASH_HEX];
	size_t len;
};

static void row_error(struct import *im, struct irow *r, uint32_t row,
		      const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void row_error(struct import *im, struct irow *r, uint32_t row,
		      const char *field, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	if (r)
		r->bad = true;
	im->nerrors++;
	if (im->nerrors > MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_t *e = json_pack("{s:I, s:s}", "row", (json_int_t)row, "field",
			      field ? field : "");
	json_object_set_new(e, "message", json_string(msg));
	json_array_append_new(im->errors, e);
}

/* --- texts --- */

/* Length of white space at s: ASCII, U+3000 (ideographic), U+00A0. */
static size_t space_at(const char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
		       s[0] == '\n'))
		return 1;
	if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
		return 3;
	if (n >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
		return 2;
	return 0;
}

static size_t space_before(const char *s, size_t n)
{
	if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		       s[n - 1] == '\r' || s[n - 1] == '\n'))
		return 1;
	if (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
		return 3;
	if (n >= 2 && memcmp(s + n - 2, "\xC2\xA0", 2) == 0)
		return 2;
	return 0;
}

/* The text trimmed of white space, malloc'd; NULL when nothing is left. */
static char *trimmed(const char *s, size_t n)
{
	size_t k;
	while ((k = space_at(s, n)) != 0) {
		s += k;
		n -= k;
	}
	while ((k = space_before(s, n)) != 0)
		n -= k;
	return n ? xstrndup(s, n) : NULL;
}

/* A header cell without any white space and without the marks of a
 * required column ("*单位", "单位（必填）"). */
static void header_key(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0, k;
	for (size_t i = 0; i < n && o + 4 < cap;) {
		if ((k = space_at(s + i, n - i)) != 0 || s[i] == '*') {
			i += k ? k : 1;
			continue;
		}
		out[o++] = s[i++];
	}
	out[o] = '\0';
	char *mark = strstr(out, "（必填）");
	if (!mark)
		mark = strstr(out, "(必填)");
	if (mark)
		*mark = '\0';
}

static int column_of(const char *key)
{
	for (int c = 0; c < NCOL; c++) {
		if (strcmp(key, columns[c].header) == 0)
			return c;
		for (int k = 0; k < 3 && columns[c].aliases[k]; k++)
			if (strcmp(key, columns[c].aliases[k]) == 0)
				return c;
	}
	return -1;
}

/* --- one cell, whatever the format --- */

struct icell {
	const char *text;
	size_t len;
	bool number, date, has_day;
	int32_t day;
};

/* "2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", a time after. */
static bool parse_date_text(const char *s, int32_t *out)
{
	static const char *const marks[2] = { "年", "月" };
	int part[3];
	const char *p = s;
	for (int k = 0; k < 3; k++) {
		const char *start = p;
		int v = 0;
		while (*p >= '0' && *p <= '9' && p - start < 4)
			v = v * 10 + (*p++ - '0');
		if ((k == 0 && p - start != 4) ||
		    (k > 0 && (p == start || p - start > 2)))
			return false;
		part[k] = v;
		if (k == 2)
			break;
		if (*p == '-' || *p == '/' || *p == '.')
			p++;
		else if (strncmp(p, marks[k], 3) == 0)
			p += 3;
		else
			return false;
	}
	if (strncmp(p, "日", 3) == 0)
		p += 3;
	if (*p && *p != ' ' && *p != 'T') /* only a time may follow */
		return false;
	if (!date_valid_ymd(part[0], part[1], part[2]) || part[0] < 1900)
		return false;
	*out = date_from_ymd(part[0], part[1], part[2]);
	return true;
}

/* A date cell: a date serial, or a date written as text. */
static bool cell_date(const struct icell *c, int32_t *out)
{
	if (c->number) {
		/* a number without a date format is a serial only when it
		 * falls in a plausible range */
		if (!c->has_day ||
		    (!c->date && (c->day < date_from_ymd(1990, 1, 1) ||
				  c->day > date_from_ymd(2100, 12, 31))))
			return false;
		*out = c->day;
		return true;
	}
	char *t = trimmed(c->text, c->len);
	bool ok = t && parse_date_text(t, out);
	free(t);
	return ok;
}

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

/* --- reading rows --- */

static const struct icell *cell_at(const struct icell *cells, size_t n,
				   int col)
{
	static const struct icell blank = { "", 0, false, false, false, 0 };
	return col >= 0 && (size_t)col < n ? &cells[col] : &blank;
}

static duban_result take_header(struct import *im, uint32_t row,
				const struct icell *cells, size_t n,
				struct duban_error *err)
{
	int col_of[NCOL];
	char key[128];
	for (int c = 0; c < NCOL; c++)
		col_of[c] = -1;
	for (size_t i = 0; i < n; i++) {
		header_key(cells[i].text, cells[i].len, key, sizeof(key));
		int c = column_of(key);
		if (c < 0)
			continue;
		if (col_of[c] >= 0)
			return duban_fail_code(err, DUBAN_E_INVALID,
					       "duplicate_column", "file",
					       "row %u names the column %s "
					       "twice",
					       (unsigned)row,
					       columns[c].header);
		col_of[c] = (int)i;
	}
	if (col_of[C_UNIT] < 0 || col_of[C_DESC] < 0) {
		if (++im->rows_seen < HEADER_SEARCH)
			return DUBAN_OK; /* a title above the table */
		return duban_fail_code(err, DUBAN_E_INVALID, "no_header",
				       "file",
				       "no header row in the first %d rows: "
				       "it must name the columns 单位, 问题来源,"
				       " 问题描述 and 整改时限",
				       HEADER_SEARCH);
	}
	for (int c = 0; c < NCOL; c++)
		if (columns[c].required && col_of[c] < 0)
			return duban_fail_code(err, DUBAN_E_INVALID,
					       "missing_column", "file",
					       "the header row (row %u) has no "
					       "column %s",
					       (unsigned)row, columns[c].header);
	memcpy(im->col_of, col_of, sizeof(col_of));
	im->have_header = true;
	return DUBAN_OK;
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
static void take_due(struct import *im, struct irow *r,
		     const struct icell *due, const struct icell *found)
{
	const char *h = columns[C_DUE].header;
	bool explicit_found = false;
	r->found = im->today;
	if (r->v[C_FOUND]) {
		if (!cell_date(found, &r->found)) {
			row_error(im, r, r->row, columns[C_FOUND].header,
				  "'%s' is not a date", r->v[C_FOUND]);
			return;
		}
		explicit_found = true;
	}
	if (!r->v[C_DUE]) {
		row_error(im, r, r->row, h,
			  "a deadline is required: a date, 'N个工作日' or "
			  "'立行立改'");
		return;
	}
	if (strcmp(r->v[C_DUE], "立行立改") == 0) {
		r->immediate = true;
		r->due = r->found;
		return;
	}
	if (parse_workdays(r->v[C_DUE], &r->workdays)) {
		int32_t d;
		struct duban_error e = { 0 };
		if (r->workdays < 1 || r->workdays > 1000) {
			row_error(im, r, r->row, h,
				  "a deadline in working days must be from 1 "
				  "to 1000");
			return;
		}
		if (workcal_add(r->found, r->workdays, &d, &e))
			row_error(im, r, r->row, h, "%s", e.message);
		return;
	}
	if (!cell_date(due, &r->due)) {
		row_error(im, r, r->row, h,
			  "'%s' is not a deadline: write a date "
			  "(YYYY-MM-DD), 'N个工作日' or '立行立改'",
			  r->v[C_DUE]);
		return;
	}
	/* without a found date, a deadline that has passed is the day it
	 * was found: the problem is overdue from the start */
	if (r->due < r->found) {
		if (explicit_found)
			row_error(im, r, r->row, h,
				  "the deadline is before %s",
				  columns[C_FOUND].header);
		else
			r->found = r->due;
	}
}

static duban_result take_row(void *ctx, uint32_t row,
			     const struct icell *cells, size_t n,
			     struct duban_error *err)
{
	struct import *im = ctx;
	struct irow r;
	bool any = false;
	if (!im->have_header)
		return take_header(im, row, cells, n, err);
	memset(&r, 0, sizeof(r));
	r.row = row;
	for (int c = 0; c < NCOL; c++) {
		const struct icell *x = cell_at(cells, n, im->col_of[c]);
		r.v[c] = trimmed(x->text, x->len);
		any |= r.v[c] && c != C_SEQ;
	}
	if (!any) { /* a blank row, or a numbered row of an empty template */
		for (int c = 0; c < NCOL; c++)
			free(r.v[c]);
		return DUBAN_OK;
	}
	if (im->nrows >= MAX_ROWS) {
		for (int c = 0; c < NCOL; c++)
			free(r.v[c]);
		return duban_fail(err, DUBAN_E_TOO_LARGE, "file",
				  "the file has more than %d rows", MAX_ROWS);
	}
	if (!r.v[C_UNIT])
		row_error(im, &r, row, columns[C_UNIT].header,
			  "the unit is required");
	if (!r.v[C_SOURCE])
		row_error(im, &r, row, columns[C_SOURCE].header,
			  "the source is required");
	else if (!(r.source = source_of(r.v[C_SOURCE])))
		row_error(im, &r, row, columns[C_SOURCE].header,
			  "unknown source '%s': write 自己找, 群众提, 上级点, "
			  "组织查, the kind of audit (巡视巡察, 审计 ...) or "
			  "a code (self, public, superior, inspection, audit)",
			  r.v[C_SOURCE]);
	if (r.v[C_STATUS] && strcmp(r.v[C_STATUS], "待整改") != 0 &&
	    strcmp(r.v[C_STATUS], "open") != 0)
		row_error(im, &r, row, columns[C_STATUS].header,
			  "'%s' cannot be imported: an imported problem starts "
			  "as 待整改 (open) and moves on through the workflow",
			  r.v[C_STATUS]);
	if (r.v[C_CLOSED])
		row_error(im, &r, row, columns[C_CLOSED].header,
			  "an imported problem is open: it has no close-out "
			  "date");
	take_due(im, &r, cell_at(cells, n, im->col_of[C_DUE]),
		 cell_at(cells, n, im->col_of[C_FOUND]));
	if (im->nrows == im->caprows) {
		im->caprows = im->caprows ? im->caprows * 2 : 64;
		im->rows = xrealloc(im->rows, im->caprows * sizeof(*im->rows));
	}
	im->rows[im->nrows++] = r;
	if (im->opt->progress && im->nrows % 1000 == 0)
		im->opt->progress(im->opt->progress_ctx, "reading", im->nrows,
				  0);
	return DUBAN_OK;
}

struct cells {
	struct import *im;
	struct icell *v;
	size_t cap;
};

static struct icell *cells_room(struct cells *cs, size_t n)
{
	if (n > cs->cap) {
		cs->cap = n;
		cs->v = xrealloc(cs->v, n * sizeof(*cs->v));
	}
	return cs->v;
}

static duban_result xlsx_row(void *ctx, uint32_t row,
			     const struct xlsx_cell *cells, size_t n,
			     struct duban_error *err)
{
	struct cells *cs = ctx;
	struct icell *v = cells_room(cs, n);
	for (size_t i = 0; i < n; i++) {
		v[i].text = cells[i].text;
		v[i].len = cells[i].len;
		v[i].number = cells[i].type == XLSX_NUMBER;
		v[i].date = cells[i].date;
		v[i].has_day = cells[i].has_day;
		v[i].day = cells[i].day;
	}
	return take_row(cs->im, row, v, n, err);
}

static duban_result csv_row(void *ctx, uint32_t row,
			    const struct csv_field *f, size_t n,
			    struct duban_error *err)
{
	struct cells *cs = ctx;
	struct icell *v = cells_room(cs, n);
	for (size_t i = 0; i < n; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		v[i].text = f[i].p;
		v[i].len = f[i].len;
		/* the export defuses formulas with a quote: take it off */
		if (f[i].len >= 2 && f[i].p[0] == '\'' &&
		    memchr("=+-@", f[i].p[1], 4)) {
			v[i].text++;
			v[i].len--;
		}
	}
	return take_row(cs->im, row, v, n, err);
}

static duban_result read_file(struct import *im, const void *data,
			      size_t len, struct duban_error *err)
{
	struct cells cs = { im, NULL, 0 };
	duban_result result;
	if (im->opt->format == IMPORT_XLSX) {
		struct xlsx_info info;
		result = xlsx_read(data, len, NULL, xlsx_row, &cs, &info, err);
		snprintf(im->sheet, sizeof(im->sheet), "%s", info.sheet);
	} else {
		char *text = NULL;
		size_t tlen = 0;
		result = csv_to_utf8(data, len, &text, &tlen, &im->encoding,
				     err);
		if (result == DUBAN_OK)
			result = csv_parse(text, tlen, 0, csv_row, &cs, err);
		free(text);
	}
	free(cs.v);
	if (result)
		return result;
	if (!im->have_header)
		return duban_fail_code(err, DUBAN_E_INVALID, "no_header",
				       "file",
				       "no header row: the file must name the "
				       "columns 单位, 问题来源, 问题描述 and "
				       "整改时限");
	if (im->nrows == 0)
		return duban_fail(err, DUBAN_E_INVALID, "file",
				  "the file has no rows to import");
	return DUBAN_OK;
}

/* --- the write unit --- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(struct unit_ref *const *)a)->name,
		      (*(struct unit_ref *const *)b)->name);
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp((*(struct unit_ref *const *)a)->code,
		      (*(struct unit_ref *const *)b)->code);
}

/* The units a row may name: under the campaign's unit, in the actor's
 * scope. */
static duban_result load_units(struct store_conn *c, struct import *im,
			       const char *campaign_path,
			       struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	size_t cap = 0;
	duban_result result = store_prepare(
		c,
		"SELECT u.id, u.name, u.code, u.path FROM units u WHERE"
		" u.path >= ? AND u.path < ? ORDER BY u.id",
		&st, err);
	if (result)
		return result;
	scope_bind_subtree(st, 1, im->a);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		if (!scope_path_contains(campaign_path, store_col_text(st, 3)))
			continue;
		if (im->nunits == cap) {
			cap = cap ? cap * 2 : 64;
			im->units = xrealloc(im->units, cap * sizeof(*im->units));
		}
		im->units[im->nunits].id = store_col_int(st, 0);
		im->units[im->nunits].name = xstrdup(store_col_text(st, 1));
		im->units[im->nunits].code = xstrdup(store_col_text(st, 2));
		im->nunits++;
	}
	store_reset(st);
	if (result)
		return result;
	im->by_name = xmalloc((im->nunits + 1) * sizeof(*im->by_name));
	im->by_code = xmalloc((im->nunits + 1) * sizeof(*im->by_code));
	for (size_t i = 0; i < im->nunits; i++)
		im->by_name[i] = im->by_code[i] = &im->units[i];
	qsort(im->by_name, im->nunits, sizeof(*im->by_name), cmp_name);
	qsort(im->by_code, im->nunits, sizeof(*im->by_code), cmp_code);
	return DUBAN_OK;
}

/* The unit named by code or by name: 0 when none, -1 when the name is
 * ambiguous. */
static int64_t find_unit(struct import *im, const char *text)
{
	struct unit_ref key = { 0, (char *)text, (char *)text };
	struct unit_ref *kp = &key, **hit;
	if (!im->nunits)
		return 0;
	hit = bsearch(&kp, im->by_code, im->nunits, sizeof(*im->by_code),
		      cmp_code);
	if (hit)
		return (*hit)->id;
	hit = bsearch(&kp, im->by_name, im->nunits, sizeof(*im->by_name),
		      cmp_name);
	if (!hit)
		return 0;
	if ((hit > im->by_name && strcmp(hit[-1]->name, text) == 0) ||
	    (hit + 1 < im->by_name + im->nunits &&
	     strcmp(hit[1]->name, text) == 0))
		return -1;
	return (*hit)->id;
}

/*
 * The 单位 cell: a unit's code or name, or "单位(姓名)" as the export
 * writes a personal list's rows.  A unit whose own name has brackets
 * (市场监督管理局(知识产权局)) matches whole first.
 */
static int64_t resolve_unit(struct import *im, struct irow *r,
			    char **person)
{
	const char *t = r->v[C_UNIT];
	int64_t id = find_unit(im, t);
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
	char *unit = trimmed(t, (size_t)(open - t));
	char *who = trimmed(open + olen, (size_t)(close - open - olen));
	if (unit && who && (id = find_unit(im, unit)) > 0)
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

static json_t *row_json_in(struct import *im, struct irow *r, int64_t unit,
			   const char *person)
{
	char found[11], due[11];
	json_t *in = json_object();
	const char *src = r->v[C_SOURCE];
	date_format(r->found, found);
	json_object_set_new(in, "campaign_id", json_integer(im->campaign_id));
	json_object_set_new(in, "unit_id", json_integer(unit));
	json_object_set_new(in, "source", json_string(r->source));
	json_object_set_new(in, "found_on", json_string(found));
	if (strcmp(r->source, "audit") == 0 && strcmp(src, "audit") != 0 &&
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
		if (r->v[texts[i].col])
			json_object_set_new(in, texts[i].key,
					    json_string(r->v[texts[i].col]));
	if (r->workdays) {
		json_object_set_new(in, "due_workdays",
				    json_integer(r->workdays));
	} else {
		date_format(r->due, due);
		json_object_set_new(in, "due_on", json_string(due));
	}
	if (r->immediate)
		json_object_set_new(in, "immediate", json_true());
	return in;
}

static void progress(struct import *im, const char *stage, size_t done)
{
	if (im->opt->progress &&
	    (done == im->nrows || done % 1000 == 0))
		im->opt->progress(im->opt->progress_ctx, stage, done,
				  im->nrows);
}

static duban_result import_unit(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct import *im = ctx;
	struct campaign_meta m;
	duban_result result =
		campaign_meta_load(c, im->a, im->campaign_id, false, &m, err);
	if (result)
		return result;
	if ((result = load_units(c, im, m.unit_path, err)))
		return result;
	im->ids = json_array();
	for (size_t i = 0; i < im->nrows; i++) {
		struct irow *r = &im->rows[i];
		struct duban_error e = { 0 };
		char *person = NULL;
		int64_t unit = 0;
		json_t *in, *p = NULL;
		progress(im, "writing", i + 1);
		if (r->v[C_UNIT]) {
			unit = resolve_unit(im, r, &person);
			if (unit < 0)
				row_error(im, r, r->row, columns[C_UNIT].header,
					  "more than one unit is named '%s': "
					  "write its code",
					  r->v[C_UNIT]);
			else if (unit == 0)
				row_error(im, r, r->row, columns[C_UNIT].header,
					  "no unit '%s' under the campaign's "
					  "unit in your scope",
					  r->v[C_UNIT]);
		}
		if (r->bad) {
			free(person);
			continue;
		}
		in = row_json_in(im, r, unit, person);
		free(person);
		result = problem_check(in, &e);
		if (result == DUBAN_OK)
			result = problem_insert(c, im->a, in, &p, &e);
		json_decref(in);
		if (result == DUBAN_E_INVALID || result == DUBAN_E_FORBIDDEN) {
			row_error(im, r, r->row, column_for(e.field), "%s",
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
	if (im->nerrors)
		return duban_fail_code(
			err, DUBAN_E_INVALID, "invalid_rows", NULL,
			"%zu error%s in the file; nothing was imported%s",
			im->nerrors, im->nerrors == 1 ? "" : "s",
			im->nerrors > MAX_ERRORS ? " (the first 1000 are listed)"
						 : "");
	json_t *summary = json_pack(
		"{s:I, s:s, s:s?, s:s?, s:I, s:I, s:s}", "campaign_id",
		(json_int_t)im->campaign_id, "format",
		im->opt->format == IMPORT_XLSX ? "xlsx" : "csv", "encoding",
		im->encoding, "filename", im->opt->filename, "imported",
		(json_int_t)json_array_size(im->ids), "bytes",
		(json_int_t)im->len, "sha256", im->sha256);
	result = audit_append(c, im->a, "campaign", im->campaign_id,
			      m.unit_id, "import_problems", NULL, summary,
			      err);
	json_decref(summary);
	return result;
}

/* --- the entry points --- */

duban_result import_format_detect(const char *format,
				  const char *content_type,
				  const char *filename, const void *data,
				  size_t len, enum import_format *out,
				  struct duban_error *err)
{
	static const char xlsx_type[] =
		"application/vnd.openxmlformats-officedocument.spreadsheetml."
		"sheet";
	static const char *const csv_types[] = {
		"text/csv", "application/csv", "text/plain",
		/* what Windows browsers send for a .csv */
		"application/vnd.ms-excel",
	};
	if (format) {
		if (strcmp(format, "xlsx") == 0)
			*out = IMPORT_XLSX;
		else if (strcmp(format, "csv") == 0)
			*out = IMPORT_CSV;
		else
			return duban_fail_code(err, DUBAN_E_INVALID,
					       "unsupported_type", "format",
					       "format must be xlsx or csv");
		return DUBAN_OK;
	}
	if (content_type) {
		size_t n = strcspn(content_type, "; ");
		if (n == sizeof(xlsx_type) - 1 &&
		    strncasecmp(content_type, xlsx_type, n) == 0) {
			*out = IMPORT_XLSX;
			return DUBAN_OK;
		}
		for (size_t i = 0; i < sizeof(csv_types) / sizeof(csv_types[0]);
		     i++) {
			if (n == strlen(csv_types[i]) &&
			    strncasecmp(content_type, csv_types[i], n) == 0) {
				*out = IMPORT_CSV;
				return DUBAN_OK;
			}
		}
	}
	if (filename) {
		const char *dot = strrchr(filename, '.');
		if (dot && strcasecmp(dot, ".xlsx") == 0) {
			*out = IMPORT_XLSX;
			return DUBAN_OK;
		}
		if (dot && strcasecmp(dot, ".csv") == 0) {
			*out = IMPORT_CSV;
			return DUBAN_OK;
		}
	}
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		*out = IMPORT_XLSX;
		return DUBAN_OK;
	}
	if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return duban_fail_code(err, DUBAN_E_INVALID, "unsupported_type",
				       "file",
				       "an Excel 97-2003 workbook (.xls) cannot"
				       " be imported: save it as .xlsx");
	if (content_type && strncasecmp(content_type, "application/octet-stream",
					24) != 0)
		return duban_fail_code(err, DUBAN_E_INVALID, "unsupported_type",
				       "file",
				       "a file of type '%.60s' cannot be "
				       "imported: send .xlsx or .csv",
				       content_type);
	if (len && !memchr(data, '\0', len)) {
		*out = IMPORT_CSV;
		return DUBAN_OK;
	}
	return duban_fail_code(err, DUBAN_E_INVALID, "unsupported_type", "file",
			       "the file is neither an xlsx workbook nor CSV "
			       "text");
}

duban_result problem_import(struct store *s, const struct actor *a,
			    int64_t campaign_id, const void *data, size_t len,
			    const struct import_options *opt, json_t **out,
			    json_t **bad_rows, struct duban_error *err)
{
	struct import im;
	duban_result result;
	memset(&im, 0, sizeof(im));
	im.a = a;
	im.campaign_id = campaign_id;
	im.opt = opt;
	im.today = date_today();
	im.errors = json_array();
	im.len = len;
	*out = NULL;
	*bad_rows = NULL;
	if (len == 0) {
		result = duban_fail(err, DUBAN_E_INVALID, "file",
				    "the file is empty");
		goto out;
	}
	sha256_hex(data, len, im.sha256);
	if ((result = read_file(&im, data, len, err)))
		goto out;
	if (opt->progress)
		opt->progress(opt->progress_ctx, "reading", im.nrows, im.nrows);
	result = store_write(s, import_unit, &im, err);
	if (result == DUBAN_OK) {
		*out = json_pack("{s:I, s:I, s:O, s:s, s:s?, s:s?}",
				 "campaign_id", (json_int_t)campaign_id,
				 "imported",
				 (json_int_t)json_array_size(im.ids), "ids",
				 im.ids, "format",
				 opt->format == IMPORT_XLSX ? "xlsx" : "csv",
				 "encoding", im.encoding, "sheet",
				 im.sheet[0] ? im.sheet : NULL);
	} else if (im.nerrors && result == DUBAN_E_INVALID) {
		*bad_rows = im.errors;
		im.errors = NULL;
	}
out:
	for (size_t i = 0; i < im.nrows; i++)
		for (int c = 0; c < NCOL; c++)
			free(im.rows[i].v[c]);
	free(im.rows);
	for (size_t i = 0; i < im.nunits; i++) {
		free(im.units[i].name);
		free(im.units[i].code);
	}
	free(im.units);
	free(im.by_name);
	free(im.by_code);
	json_decref(im.ids);
	json_decref(im.errors);
	return result;
}
