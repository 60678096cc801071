/*
 * xlsx_read.c - see xlsx_read.h.
 *
 * Each part is streamed from the archive through one expat parser created
 * with namespace processing, so that elements are matched by their local
 * name whatever prefix the producer chose (x:row, row).  The handlers keep
 * a little state per part in struct reader and stop the parser on the
 * first error, which they record in reader.result.
 */
#include "core/xlsx_read.h"

#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/date.h"
#include "base/xalloc.h"

#define NS_SEP '|'

/* A growable byte buffer with a cap: an append past it fails. */
struct buf {
	char *p;
	size_t len, cap, max;
};

static bool buf_put(struct buf *b, const char *s, size_t n)
{
	if (n > b->max || b->len > b->max - n)
		return false;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

static void buf_release(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

enum part { P_WORKBOOK, P_RELS, P_STYLES, P_STRINGS, P_SHEET };

struct numfmt {
	int id;
	bool date;
};

struct reader {
	zip_t *za;
	struct xlsx_limits lim;
	struct duban_error *err;
	duban_result result;
	XML_Parser parser;
	const char *part_name;
	enum part part;
	struct xlsx_info info;
	/* workbook.xml and its relationships */
	bool in_sheets, have_rid;
	char rid[64];
	char sheet_path[512], strings_path[512], styles_path[512];
	/* styles.xml */
	struct numfmt *fmts;
	size_t nfmts;
	bool *xf_date;
	size_t nxf;
	int xfs_depth; /* > 0 inside <cellXfs> */
	/* sharedStrings.xml */
	struct buf sst;
	size_t *sst_off;
	size_t nsst, capsst;
	bool in_si, in_t;
	int rph_depth;
	/* the sheet */
	xlsx_row_fn fn;
	void *ctx;
	bool in_data;
	uint32_t row, last_row;
	bool row_open;
	struct xlsx_cell *cells;
	size_t *cell_off; /* offsets of the cells' text in rowtext */
	size_t ncells, capcells;
	struct buf rowtext;
	/* the open cell */
	bool in_cell, in_v, in_is;
	uint32_t col, last_col;
	char ctype[12];
	long style;
	struct buf value;
};

static const char *local(const char *name)
{
	const char *p = strrchr(name, NS_SEP);
	return p ? p + 1 : name;
}

static bool is(const char *name, const char *want)
{
	return strcmp(local(name), want) == 0;
}

/* An attribute without a namespace (r, t, s, name ...). */
static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

/* r:id: the id attribute in the relationships namespace (any version). */
static const char *attr_rel_id(const char **atts)
{
	for (int i = 0; atts[i]; i += 2) {
		const char *sep = strrchr(atts[i], NS_SEP);
		if (sep && strcmp(sep + 1, "id") == 0 &&
		    strstr(atts[i], "relationships"))
			return atts[i + 1];
	}
	return NULL;
}

static void stop(struct reader *r, duban_result res, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void stop(struct reader *r, duban_result res, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	if (r->result)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->result = duban_fail(r->err, res, "file", "%s", msg);
	XML_StopParser(r->parser, XML_FALSE);
}

/* --- workbook.xml and workbook.xml.rels --- */

static void workbook_start(struct reader *r, const char *name,
			   const char **atts)
{
	if (is(name, "workbookPr")) {
		const char *v = attr(atts, "date1904");
		r->info.date1904 =
			v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (is(name, "sheets")) {
		r->in_sheets = true;
	} else if (is(name, "sheet") && r->in_sheets && !r->have_rid) {
		const char *id = attr_rel_id(atts), *nm = attr(atts, "name");
		if (id && strlen(id) < sizeof(r->rid)) {
			snprintf(r->rid, sizeof(r->rid), "%s", id);
			r->have_rid = true;
		}
		/* a name too long for info.sheet is cut at a whole
		 * character: it goes into the JSON answer */
		size_t n = nm ? strlen(nm) : 0;
		if (n >= sizeof(r->info.sheet)) {
			n = sizeof(r->info.sheet) - 1;
			while (n > 0 && ((unsigned char)nm[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(r->info.sheet, nm ? nm : "", n);
		r->info.sheet[n] = '\0';
	}
}

/* A relationship's target, relative to xl/ unless absolute. */
static void target_path(char *out, size_t n, const char *target)
{
	if (target[0] == '/')
		snprintf(out, n, "%s", target + 1);
	else if (strncmp(target, "../", 3) == 0)
		snprintf(out, n, "%s", target + 3);
	else
		snprintf(out, n, "xl/%s", target);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void rels_start(struct reader *r, const char *name, const char **atts)
{
	const char *id, *type, *target;
	if (!is(name, "Relationship"))
		return;
	id = attr(atts, "Id");
	type = attr(atts, "Type");
	target = attr(atts, "Target");
	if (!target || !type)
		return;
	if (r->have_rid && id && strcmp(id, r->rid) == 0)
		target_path(r->sheet_path, sizeof(r->sheet_path), target);
	else if (ends_with(type, "/sharedStrings"))
		target_path(r->strings_path, sizeof(r->strings_path), target);
	else if (ends_with(type, "/styles"))
		target_path(r->styles_path, sizeof(r->styles_path), target);
}

/* --- styles.xml: which cell formats are dates --- */

bool xlsx_format_is_date(const char *code)
{
	for (const char *p = code; p && *p; p++) {
		switch (*p) {
		case '"': /* literal text */
			p = strchr(p + 1, '"');
			if (!p)
				return false;
			break;
		case '\\': /* an escaped character */
		case '_':  /* a space the width of the next character */
		case '*':  /* fill with the next character */
			if (!p[1])
				return false;
			p++;
			break;
		case '[': {
			/* [h], [mm], [ss] are elapsed times; [$-804], [Red],
			 * [>100] are not */
			const char *end = strchr(p, ']');
			if (!end)
				return false;
			char c = p[1];
			if (c == 'h' || c == 'H' || c == 'm' || c == 'M' ||
			    c == 's' || c == 'S')
				return true;
			p = end;
			break;
		}
		case ';': /* a later section is for negatives, zero, text */
			return false;
		case 'y': case 'Y': case 'm': case 'M': case 'd': case 'D':
		case 'h': case 'H': case 's': case 'S':
			return true;
		default:
			break;
		}
	}
	return false;
}

/* The built-in number formats that are dates or times (ECMA-376 18.8.30,
 * and the East Asian ones Excel uses in Chinese locales). */
static bool builtin_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
	       (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

static void styles_start(struct reader *r, const char *name,
			 const char **atts)
{
	if (is(name, "numFmt")) {
		const char *id = attr(atts, "numFmtId"),
			   *code = attr(atts, "formatCode");
		if (!id || !code)
			return;
		r->fmts = xrealloc(r->fmts, (r->nfmts + 1) * sizeof(*r->fmts));
		r->fmts[r->nfmts].id = atoi(id);
		r->fmts[r->nfmts].date = xlsx_format_is_date(code);
		r->nfmts++;
	} else if (is(name, "cellXfs")) {
		r->xfs_depth++;
	} else if (is(name, "xf") && r->xfs_depth > 0) {
		const char *v = attr(atts, "numFmtId");
		int id = v ? atoi(v) : 0;
		bool date = builtin_date(id);
		for (size_t i = 0; i < r->nfmts; i++)
			if (r->fmts[i].id == id)
				date = r->fmts[i].date;
		if (r->nxf >= 65536) {
			stop(r, DUBAN_E_INVALID, "too many cell formats in '%s'",
			     r->part_name);
			return;
		}
		r->xf_date = xrealloc(r->xf_date,
				      (r->nxf + 1) * sizeof(*r->xf_date));
		r->xf_date[r->nxf++] = date;
	}
}

static void styles_end(struct reader *r, const char *name)
{
	if (is(name, "cellXfs") && r->xfs_depth > 0)
		r->xfs_depth--;
}

/* --- sharedStrings.xml --- */

static void strings_start(struct reader *r, const char *name)
{
	if (is(name, "si")) {
		if (r->nsst == r->capsst) {
			r->capsst = r->capsst ? r->capsst * 2 : 256;
			r->sst_off = xrealloc(r->sst_off,
					      r->capsst * sizeof(*r->sst_off));
		}
		r->sst_off[r->nsst++] = r->sst.len;
		r->in_si = true;
	} else if (is(name, "rPh")) {
		r->rph_depth++; /* phonetic hints are not the text */
	} else if (is(name, "t") && r->in_si && r->rph_depth == 0) {
		r->in_t = true;
	}
}

static void strings_end(struct reader *r, const char *name)
{
	if (is(name, "si")) {
		/* each string ends with a NUL in the pool */
		if (!buf_put(&r->sst, "", 1))
			stop(r, DUBAN_E_TOO_LARGE,
			     "the shared strings are larger than %zu bytes",
			     r->lim.strings_bytes);
		r->in_si = false;
	} else if (is(name, "rPh")) {
		r->rph_depth--;
	} else if (is(name, "t")) {
		r->in_t = false;
	}
}

/* --- the sheet --- */

/* "AB12" -> column 27 (0-based); false when there are no letters. */
static bool cell_column(const char *ref, uint32_t *col)
{
	uint32_t c = 0;
	const char *p = ref;
	for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++) {
		c = c * 26 + (uint32_t)((*p | 0x20) - 'a' + 1);
		if (c > 1u << 20)
			return false;
	}
	if (p == ref)
		return false;
	*col = c - 1;
	return true;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;
	if (!s || *s < '0' || *s > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v == 0 || v > 0xFFFFFFFFul)
		return false;
	*out = (uint32_t)v;
	return true;
}

static void row_reset(struct reader *r)
{
	r->ncells = 0;
	r->rowtext.len = 0;
	r->last_col = UINT32_MAX;
}

static void emit_row(struct reader *r)
{
	bool any = false;
	for (size_t i = 0; i < r->ncells; i++) {
		struct xlsx_cell *c = &r->cells[i];
		c->text = c->type == XLSX_EMPTY ? ""
						: r->rowtext.p + r->cell_off[i];
		any |= c->type != XLSX_EMPTY;
	}
	if (!any)
		return;
	if (r->info.rows >= r->lim.rows) {
		stop(r, DUBAN_E_TOO_LARGE, "the sheet has more than %u rows",
		     (unsigned)r->lim.rows);
		return;
	}
	r->info.rows++;
	duban_result res = r->fn(r->ctx, r->row, r->cells, r->ncells, r->err);
	if (res) {
		r->result = res;
		XML_StopParser(r->parser, XML_FALSE);
	}
}

static void sheet_start(struct reader *r, const char *name,
			const char **atts)
{
	if (!r->in_data) {
		if (is(name, "sheetData"))
			r->in_data = true;
		return;
	}
	if (is(name, "row")) {
		uint32_t n;
		const char *v = attr(atts, "r");
		if (v) {
			if (!parse_u32(v, &n) || n <= r->last_row) {
				stop(r, DUBAN_E_INVALID,
				     "bad row number '%s' in '%s'", v,
				     r->part_name);
				return;
			}
		} else {
			n = r->last_row + 1;
		}
		r->row = r->last_row = n;
		r->row_open = true;
		row_reset(r);
	} else if (is(name, "c") && r->row_open) {
		const char *ref = attr(atts, "r"), *t = attr(atts, "t"),
			   *s = attr(atts, "s");
		uint32_t col = r->last_col + 1; /* UINT32_MAX + 1 == 0 */
		if (ref && !cell_column(ref, &col)) {
			stop(r, DUBAN_E_INVALID, "bad cell reference '%s' in '%s'",
			     ref, r->part_name);
			return;
		}
		if (col >= r->lim.columns) {
			stop(r, DUBAN_E_TOO_LARGE,
			     "row %u has more than %u columns",
			     (unsigned)r->row, (unsigned)r->lim.columns);
			return;
		}
		r->col = r->last_col = col;
		snprintf(r->ctype, sizeof(r->ctype), "%s", t ? t : "n");
		r->style = s ? atol(s) : 0;
		r->value.len = 0;
		r->in_cell = true;
	} else if (r->in_cell && is(name, "v")) {
		r->in_v = true;
	} else if (r->in_cell && is(name, "is")) {
		r->in_is = true;
	} else if (r->in_is && is(name, "rPh")) {
		r->rph_depth++;
	} else if (r->in_is && is(name, "t") && r->rph_depth == 0) {
		r->in_t = true;
	}
}

/* Records the open cell into the row. */
static void finish_cell(struct reader *r)
{
	struct xlsx_cell c;
	const char *text = r->value.p ? r->value.p : "";
	size_t len = r->value.len;
	memset(&c, 0, sizeof(c));
	c.type = len ? XLSX_NUMBER : XLSX_EMPTY;
	if (strcmp(r->ctype, "s") == 0 && len) {
		uint32_t idx;
		char *end;
		unsigned long v = strtoul(text, &end, 10);
		if (*end || v >= r->nsst) {
			stop(r, DUBAN_E_INVALID,
			     "cell in row %u refers to a missing shared string",
			     (unsigned)r->row);
			return;
		}
		idx = (uint32_t)v;
		text = r->sst.p + r->sst_off[idx];
		len = strlen(text);
		c.type = XLSX_STRING;
	} else if (strcmp(r->ctype, "str") == 0 ||
		   strcmp(r->ctype, "inlineStr") == 0 ||
		   strcmp(r->ctype, "d") == 0) {
		c.type = len ? XLSX_STRING : XLSX_EMPTY;
	} else if (strcmp(r->ctype, "b") == 0 && len) {
		c.type = XLSX_BOOL;
		c.number = text[0] == '1' || text[0] == 't';
	} else if (strcmp(r->ctype, "e") == 0 && len) {
		c.type = XLSX_ERROR;
	} else if (len) {
		char *end;
		c.number = strtod(text, &end);
		if (*end || isnan(c.number) || isinf(c.number)) {
			c.type = XLSX_STRING; /* not a number after all */
		} else {
			c.date = r->style >= 0 && (size_t)r->style < r->nxf &&
				 r->xf_date[r->style];
			c.has_day = xlsx_serial_day(c.number, r->info.date1904,
						    &c.day);
		}
	}
	if (c.type == XLSX_EMPTY)
		len = 0;
	/* grow the row to this column; cells in between stay empty */
	if (r->col >= r->capcells) {
		size_t cap = r->capcells ? r->capcells : 16;
		while (cap <= r->col)
			cap *= 2;
		r->cells = xrealloc(r->cells, cap * sizeof(*r->cells));
		r->cell_off = xrealloc(r->cell_off, cap * sizeof(*r->cell_off));
		r->capcells = cap;
	}
	while (r->ncells <= r->col) {
		memset(&r->cells[r->ncells], 0, sizeof(r->cells[0]));
		r->cells[r->ncells].text = "";
		r->cell_off[r->ncells] = 0;
		r->ncells++;
	}
	c.len = len;
	r->cell_off[r->col] = r->rowtext.len;
	/* the row's text: a row may hold many cells of up to cell_bytes */
	if (!buf_put(&r->rowtext, text, len) || !buf_put(&r->rowtext, "", 1)) {
		stop(r, DUBAN_E_TOO_LARGE, "row %u is too large",
		     (unsigned)r->row);
		return;
	}
	r->cells[r->col] = c;
}

static void sheet_end(struct reader *r, const char *name)
{
	if (!r->in_data)
		return;
	if (is(name, "sheetData")) {
		r->in_data = false;
	} else if (is(name, "row") && r->row_open) {
		r->row_open = false;
		emit_row(r);
	} else if (is(name, "c") && r->in_cell) {
		r->in_cell = r->in_v = r->in_is = r->in_t = false;
		r->rph_depth = 0;
		finish_cell(r);
	} else if (is(name, "v")) {
		r->in_v = false;
	} else if (is(name, "is")) {
		r->in_is = false;
	} else if (is(name, "rPh") && r->rph_depth > 0) {
		r->rph_depth--;
	} else if (is(name, "t")) {
		r->in_t = false;
	}
}

/* --- expat plumbing --- */

static void XMLCALL on_start(void *ud, const XML_Char *name,
			     const XML_Char **atts)
{
	struct reader *r = ud;
	if (r->result)
		return;
	switch (r->part) {
	case P_WORKBOOK:
		workbook_start(r, name, atts);
		break;
	case P_RELS:
		rels_start(r, name, atts);
		break;
	case P_STYLES:
		styles_start(r, name, atts);
		break;
	case P_STRINGS:
		strings_start(r, name);
		break;
	case P_SHEET:
		sheet_start(r, name, atts);
		break;
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct reader *r = ud;
	if (r->result)
		return;
	switch (r->part) {
	case P_STYLES:
		styles_end(r, name);
		break;
	case P_STRINGS:
		strings_end(r, name);
		break;
	case P_SHEET:
		sheet_end(r, name);
		break;
	default:
		break;
	}
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct reader *r = ud;
	if (r->result || len <= 0)
		return;
	if (r->part == P_STRINGS && r->in_t) {
		if (!buf_put(&r->sst, s, (size_t)len))
			stop(r, DUBAN_E_TOO_LARGE,
			     "the shared strings are larger than %zu bytes",
			     r->lim.strings_bytes);
	} else if (r->part == P_SHEET && (r->in_v || r->in_t)) {
		if (!buf_put(&r->value, s, (size_t)len))
			stop(r, DUBAN_E_TOO_LARGE,
			     "a cell in row %u is larger than %zu bytes",
			     (unsigned)r->row, r->lim.cell_bytes);
	}
}

/* Workbooks have no business declaring a DTD: no entities get in. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name,
			       const XML_Char *sysid, const XML_Char *pubid,
			       int internal)
{
	struct reader *r = ud;
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	stop(r, DUBAN_E_INVALID, "'%s' declares a document type",
	     r->part_name);
}

/*
 * Streams one part of the archive through a fresh parser.  A missing part
 * is an error only when required (*found says whether it was there).
 */
static duban_result parse_part(struct reader *r, const char *name,
			       enum part part, bool required)
{
	zip_int64_t idx = zip_name_locate(r->za, name, ZIP_FL_NOCASE);
	zip_file_t *zf = NULL;
	size_t total = 0;
	duban_result result = DUBAN_OK;
	if (idx < 0) {
		if (!required)
			return DUBAN_OK;
		return duban_fail(r->err, DUBAN_E_INVALID, "file",
				  "not an xlsx workbook: it has no '%s'", name);
	}
	zf = zip_fopen_index(r->za, (zip_uint64_t)idx, 0);
	if (!zf)
		return duban_fail(r->err, DUBAN_E_INVALID, "file",
				  "unable to read '%s' in the workbook: %s",
				  name, zip_strerror(r->za));
	r->parser = XML_ParserCreateNS(NULL, NS_SEP);
	r->part = part;
	r->part_name = name;
	r->result = DUBAN_OK;
	XML_SetUserData(r->parser, r);
	XML_SetElementHandler(r->parser, on_start, on_end);
	XML_SetCharacterDataHandler(r->parser, on_text);
	XML_SetStartDoctypeDeclHandler(r->parser, on_doctype);
	for (;;) {
		void *chunk = XML_GetBuffer(r->parser, 65536);
		zip_int64_t n = chunk ? zip_fread(zf, chunk, 65536) : -1;
		if (n < 0) {
			result = duban_fail(r->err, DUBAN_E_INVALID, "file",
					    "unable to read '%s' in the "
					    "workbook: %s",
					    name, zip_file_strerror(zf));
			break;
		}
		total += (size_t)n;
		if (total > r->lim.part_bytes) {
			result = duban_fail(r->err, DUBAN_E_TOO_LARGE, "file",
					    "'%s' is larger than %zu bytes "
					    "uncompressed",
					    name, r->lim.part_bytes);
			break;
		}
		if (XML_ParseBuffer(r->parser, (int)n, n == 0) !=
		    XML_STATUS_OK) {
			result = r->result
					 ? r->result
					 : duban_fail(
						   r->err, DUBAN_E_INVALID,
						   "file",
						   "malformed XML in '%s' at "
						   "line %lu: %s",
						   name,
						   (unsigned long)
							   XML_GetCurrentLineNumber(
								   r->parser),
						   XML_ErrorString(XML_GetErrorCode(
							   r->parser)));
			break;
		}
		if (r->result) {
			result = r->result;
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(r->parser);
	r->parser = NULL;
	zip_fclose(zf);
	return result;
}

bool xlsx_serial_day(double serial, bool date1904, int32_t *day)
{
	int32_t d;
	if (isnan(serial) || serial < 0 || serial > 3000000)
		return false;
	long s = (long)floor(serial);
	if (date1904) {
		d = (int32_t)s + date_from_ymd(1904, 1, 1);
	} else {
		/* Lotus 1-2-3 took 1900 for a leap year; Excel kept it */
		if (s < 1 || s == 60)
			return false;
		if (s < 60)
			s += 1;
		d = (int32_t)s + date_from_ymd(1899, 12, 30);
	}
	if (d > date_from_ymd(9999, 12, 31))
		return false;
	*day = d;
	return true;
}

static void limits_fill(struct xlsx_limits *l, const struct xlsx_limits *in)
{
	memset(l, 0, sizeof(*l));
	if (in)
		*l = *in;
	if (!l->part_bytes)
		l->part_bytes = 256u << 20;
	if (!l->strings_bytes)
		l->strings_bytes = 64u << 20;
	if (!l->cell_bytes)
		l->cell_bytes = 256u << 10;
	if (!l->columns)
		l->columns = 16384;
	if (!l->rows)
		l->rows = 1048576;
}

duban_result xlsx_read(const void *data, size_t len,
		       const struct xlsx_limits *limits, xlsx_row_fn fn,
		       void *ctx, struct xlsx_info *info,
		       struct duban_error *err)
{
	struct reader r;
	zip_error_t ze;
	zip_source_t *src = NULL;
	duban_result result;
	memset(&r, 0, sizeof(r));
	limits_fill(&r.lim, limits);
	r.err = err;
	r.fn = fn;
	r.ctx = ctx;
	r.last_col = UINT32_MAX;
	r.sst.max = r.lim.strings_bytes;
	r.rowtext.max = (size_t)r.lim.columns * 16 + r.lim.cell_bytes * 16;
	r.value.max = r.lim.cell_bytes;
	snprintf(r.strings_path, sizeof(r.strings_path),
		 "xl/sharedStrings.xml");
	snprintf(r.styles_path, sizeof(r.styles_path), "xl/styles.xml");
	zip_error_init(&ze);
	if (len < 4 || memcmp(data, "PK\x03\x04", 4) != 0) {
		result = duban_fail(err, DUBAN_E_INVALID, "file",
				    "not an xlsx workbook: not a zip archive");
		goto out;
	}
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src)
		r.za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
					    &ze);
	if (!r.za) {
		result = duban_fail(err, DUBAN_E_INVALID, "file",
				    "not an xlsx workbook: %s",
				    zip_error_strerror(&ze));
		zip_source_free(src);
		goto out;
	}
	if ((result = parse_part(&r, "xl/workbook.xml", P_WORKBOOK, true)) ||
	    (result = parse_part(&r, "xl/_rels/workbook.xml.rels", P_RELS,
				 false)))
		goto out;
	if (!r.sheet_path[0])
		snprintf(r.sheet_path, sizeof(r.sheet_path),
			 "xl/worksheets/sheet1.xml");
	if ((result = parse_part(&r, r.styles_path, P_STYLES, false)) ||
	    (result = parse_part(&r, r.strings_path, P_STRINGS, false)) ||
	    (result = parse_part(&r, r.sheet_path, P_SHEET, true)))
		goto out;
out:
	if (r.za)
		zip_discard(r.za);
	zip_error_fini(&ze);
	if (info)
		*info = r.info;
	free(r.fmts);
	free(r.xf_date);
	free(r.sst_off);
	free(r.cells);
	free(r.cell_off);
	buf_release(&r.sst);
	buf_release(&r.rowtext);
	buf_release(&r.value);
	return result;
}
