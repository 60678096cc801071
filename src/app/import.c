/*
 * import.c - see import.h.
 *
 * The reader keeps, of each data row, only the known columns, as trimmed
 * texts with what a workbook said of the cell (a number, a date serial):
 * the importers check rows after the file is read, and resolve what needs
 * the database inside their write unit.
 */
#include "app/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/audit.h"
#include "app/scope.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/csv.h"
#include "core/roles.h"
#include "core/xlsx_read.h"

#define MAX_ERRORS 1000	 /* row errors listed in one answer */
#define HEADER_SEARCH 10 /* rows searched for the header row */
#define MAX_ROWS 1000000

void import_row_error(struct import *im, struct import_row *r,
		      const char *field, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	r->bad = true;
	im->nerrors++;
	if (im->nerrors > MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a message cut to msg's size keeps whole characters (JSON takes
	 * nothing else) */
	msg[utf8_whole(msg, strlen(msg))] = '\0';
	json_t *e = json_pack("{s:I, s:s}", "row", (json_int_t)r->row, "field",
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

char *import_trimmed(const char *s, size_t n)
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

static int column_of(const struct import *im, const char *key)
{
	for (int c = 0; c < im->ncols; c++) {
		const struct import_column *col = &im->columns[c];
		if (strcmp(key, col->header) == 0)
			return c;
		for (int k = 0; k < 5 && col->aliases[k]; k++)
			if (strcmp(key, col->aliases[k]) == 0)
				return c;
	}
	return -1;
}

/* --- dates --- */

/* After a date: nothing, a time, or 前 ("by"). */
static bool date_tail(const char *p)
{
	if (strncmp(p, "前", 3) == 0)
		p += 3;
	return !*p || *p == ' ' || *p == 'T';
}

/*
 * "2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", a time after;
 * and the ends of periods offices write as deadlines: "2026年3月底",
 * "2026年底", each perhaps followed by 前.
 */
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
		if (k == 1 && strncmp(p, "月底", 6) == 0 && date_tail(p + 6) &&
		    date_valid_ymd(part[0], part[1], 1) && part[0] >= 1900) {
			/* the day before the next month's first */
			*out = part[1] == 12
				       ? date_from_ymd(part[0], 12, 31)
				       : date_from_ymd(part[0], part[1] + 1,
						       1) - 1;
			return true;
		}
		if (k == 0 && strncmp(p, "年底", 6) == 0 && date_tail(p + 6) &&
		    part[0] >= 1900) {
			*out = date_from_ymd(part[0], 12, 31);
			return true;
		}
		if (*p == '-' || *p == '/' || *p == '.')
			p++;
		else if (strncmp(p, marks[k], 3) == 0)
			p += 3;
		else
			return false;
	}
	if (strncmp(p, "日", 3) == 0)
		p += 3;
	if (!date_tail(p)) /* only a time may follow */
		return false;
	if (!date_valid_ymd(part[0], part[1], part[2]) || part[0] < 1900)
		return false;
	*out = date_from_ymd(part[0], part[1], part[2]);
	return true;
}

bool import_date(const struct import_value *v, int32_t *out)
{
	if (v->number) {
		/* a number without a date format is a serial only when it
		 * falls in a plausible range */
		if (!v->has_day ||
		    (!v->date && (v->day < date_from_ymd(1990, 1, 1) ||
				  v->day > date_from_ymd(2100, 12, 31))))
			return false;
		*out = v->day;
		return true;
	}
	return v->text && parse_date_text(v->text, out);
}

/* --- reading rows --- */

/* One cell as the format gave it. */
struct icell {
	const char *text;
	size_t len;
	bool number, date, has_day;
	int32_t day;
	double value;
};

static const struct icell *cell_at(const struct icell *cells, size_t n,
				   int col)
{
	static const struct icell blank = { "", 0, false, false, false, 0, 0 };
	return col >= 0 && (size_t)col < n ? &cells[col] : &blank;
}

/* "单位, 问题来源, 问题描述 and 整改时限": the columns a header must name. */
static void required_names(const struct import *im, char *out, size_t cap)
{
	size_t o = 0;
	int n = 0, seen = 0;
	out[0] = '\0';
	for (int c = 0; c < im->ncols; c++)
		n += im->columns[c].required;
	for (int c = 0; c < im->ncols && o < cap; c++) {
		if (!im->columns[c].required)
			continue;
		seen++;
		int w = snprintf(out + o, cap - o, "%s%s",
				 seen == 1   ? ""
				 : seen == n ? " and "
					     : ", ",
				 im->columns[c].header);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

static duban_result take_header(struct import *im, uint32_t row,
				const struct icell *cells, size_t n,
				struct duban_error *err)
{
	int col_of[IMPORT_MAX_COLS];
	char key[128], names[300];
	bool keys = true;
	for (int c = 0; c < im->ncols; c++)
		col_of[c] = -1;
	for (size_t i = 0; i < n; i++) {
		header_key(cells[i].text, cells[i].len, key, sizeof(key));
		int c = column_of(im, key);
		if (c < 0)
			continue;
		if (col_of[c] >= 0)
			return duban_fail_code(err, DUBAN_E_INVALID,
					       "duplicate_column", "file",
					       "row %u names the column %s "
					       "twice",
					       (unsigned)row,
					       im->columns[c].header);
		col_of[c] = (int)i;
	}
	for (int c = 0; c < im->ncols; c++)
		keys &= !im->columns[c].key || col_of[c] >= 0;
	if (!keys) {
		if (++im->rows_seen < HEADER_SEARCH)
			return DUBAN_OK; /* a title above the table */
		required_names(im, names, sizeof(names));
		return duban_fail_code(err, DUBAN_E_INVALID, "no_header",
				       "file",
				       "no header row in the first %d rows: "
				       "it must name the columns %s",
				       HEADER_SEARCH, names);
	}
	for (int c = 0; c < im->ncols; c++)
		if (im->columns[c].required && col_of[c] < 0)
			return duban_fail_code(err, DUBAN_E_INVALID,
					       "missing_column", "file",
					       "the header row (row %u) has no "
					       "column %s",
					       (unsigned)row,
					       im->columns[c].header);
	memcpy(im->col_of, col_of, sizeof(col_of));
	im->have_header = true;
	return DUBAN_OK;
}

static void values_free(struct import_value *v, int n)
{
	if (!v)
		return;
	for (int c = 0; c < n; c++)
		free(v[c].text);
	free(v);
}

static duban_result take_row(struct import *im, uint32_t row,
			     const struct icell *cells, size_t n,
			     struct duban_error *err)
{
	struct import_value *v;
	bool any = false;
	if (!im->have_header)
		return take_header(im, row, cells, n, err);
	v = xcalloc((size_t)im->ncols, sizeof(*v));
	for (int c = 0; c < im->ncols; c++) {
		const struct icell *x = cell_at(cells, n, im->col_of[c]);
		v[c].text = import_trimmed(x->text, x->len);
		v[c].number = x->number;
		v[c].date = x->date;
		v[c].has_day = x->has_day;
		v[c].day = x->day;
		v[c].value = x->value;
		any |= v[c].text && !im->columns[c].numbering;
	}
	if (!any) { /* a blank row, or a numbered row of an empty template */
		values_free(v, im->ncols);
		return DUBAN_OK;
	}
	if (im->nrows >= MAX_ROWS) {
		values_free(v, im->ncols);
		return duban_fail(err, DUBAN_E_TOO_LARGE, "file",
				  "the file has more than %d rows", MAX_ROWS);
	}
	if (im->nrows == im->caprows) {
		im->caprows = im->caprows ? im->caprows * 2 : 64;
		im->rows = xrealloc(im->rows, im->caprows * sizeof(*im->rows));
	}
	im->rows[im->nrows++] = (struct import_row){ row, v, false };
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
		v[i].value = cells[i].number;
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

void import_init(struct import *im, const struct actor *a,
		 int64_t campaign_id, const struct import_options *opt,
		 const struct import_column *columns, int ncols)
{
	memset(im, 0, sizeof(*im));
	im->a = a;
	im->campaign_id = campaign_id;
	im->opt = opt;
	im->columns = columns;
	im->ncols = ncols < IMPORT_MAX_COLS ? ncols : IMPORT_MAX_COLS;
	im->today = date_today();
	im->errors = json_array();
}

duban_result import_read(struct import *im, const void *data, size_t len,
			 struct duban_error *err)
{
	struct cells cs = { im, NULL, 0 };
	char names[300];
	duban_result result;
	im->len = len;
	if (len == 0)
		return duban_fail(err, DUBAN_E_INVALID, "file",
				  "the file is empty");
	sha256_hex(data, len, im->sha256);
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
	if (!im->have_header) {
		required_names(im, names, sizeof(names));
		return duban_fail_code(err, DUBAN_E_INVALID, "no_header",
				       "file",
				       "no header row: the file must name the "
				       "columns %s",
				       names);
	}
	if (im->nrows == 0)
		return duban_fail(err, DUBAN_E_INVALID, "file",
				  "the file has no rows to import");
	if (im->opt->progress)
		im->opt->progress(im->opt->progress_ctx, "reading", im->nrows,
				  im->nrows);
	return DUBAN_OK;
}

void import_progress(struct import *im, const char *stage, size_t done)
{
	if (im->opt->progress && (done == im->nrows || done % 1000 == 0))
		im->opt->progress(im->opt->progress_ctx, stage, done,
				  im->nrows);
}

/* --- units --- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp((*(struct import_unit_ref *const *)a)->name,
		      (*(struct import_unit_ref *const *)b)->name);
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp((*(struct import_unit_ref *const *)a)->code,
		      (*(struct import_unit_ref *const *)b)->code);
}

duban_result import_units_load(struct store_conn *c, struct import *im,
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

int64_t import_unit_find(const struct import *im, const char *text)
{
	struct import_unit_ref key = { 0, (char *)text, (char *)text };
	struct import_unit_ref *kp = &key, **hit;
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

/* --- the end --- */

static const char *format_name(const struct import *im)
{
	return im->opt->format == IMPORT_XLSX ? "xlsx" : "csv";
}

duban_result import_unit_end(struct store_conn *c, struct import *im,
			     int64_t unit_id, const char *action,
			     struct duban_error *err)
{
	duban_result result;
	if (im->nerrors)
		return duban_fail_code(
			err, DUBAN_E_INVALID, "invalid_rows", NULL,
			"%zu error%s in the file; nothing was imported%s",
			im->nerrors, im->nerrors == 1 ? "" : "s",
			im->nerrors > MAX_ERRORS ? " (the first 1000 are listed)"
						 : "");
	json_t *summary = json_pack(
		"{s:I, s:s, s:s?, s:s?, s:I, s:I, s:s}", "campaign_id",
		(json_int_t)im->campaign_id, "format", format_name(im),
		"encoding", im->encoding, "filename", im->opt->filename,
		"imported", (json_int_t)json_array_size(im->ids), "bytes",
		(json_int_t)im->len, "sha256", im->sha256);
	result = audit_append(c, im->a, "campaign", im->campaign_id, unit_id,
			      action, NULL, summary, err);
	json_decref(summary);
	return result;
}

struct sorted_error {
	json_int_t row;
	size_t seq;
	json_t *e;
};

static int cmp_error(const void *a, const void *b)
{
	const struct sorted_error *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The errors by row: those found on reading come before those of the
 * write unit, and a person reads the file top down. */
static json_t *errors_by_row(json_t *errors)
{
	size_t n = json_array_size(errors);
	struct sorted_error *v = xcalloc(n + 1, sizeof(*v));
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++) {
		v[i].e = json_array_get(errors, i);
		v[i].row = json_integer_value(json_object_get(v[i].e, "row"));
		v[i].seq = i;
	}
	qsort(v, n, sizeof(*v), cmp_error);
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i].e);
	free(v);
	return out;
}

duban_result import_answer(struct import *im, duban_result result,
			   json_t **out, json_t **bad_rows)
{
	*out = NULL;
	*bad_rows = NULL;
	if (result == DUBAN_OK) {
		*out = json_pack("{s:I, s:I, s:O, s:s, s:s?, s:s?}",
				 "campaign_id", (json_int_t)im->campaign_id,
				 "imported",
				 (json_int_t)json_array_size(im->ids), "ids",
				 im->ids, "format", format_name(im),
				 "encoding", im->encoding, "sheet",
				 im->sheet[0] ? im->sheet : NULL);
	} else if (im->nerrors && result == DUBAN_E_INVALID) {
		*bad_rows = errors_by_row(im->errors);
	}
	return result;
}

void import_release(struct import *im)
{
	for (size_t i = 0; i < im->nrows; i++)
		values_free(im->rows[i].v, im->ncols);
	free(im->rows);
	for (size_t i = 0; i < im->nunits; i++) {
		free(im->units[i].name);
		free(im->units[i].code);
	}
	free(im->units);
	free(im->by_name);
	free(im->by_code);
	json_decref(im->ids);
	json_decref(im->errors);
	memset(im, 0, sizeof(*im));
}

/* --- the format --- */

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
