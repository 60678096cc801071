/*
 * import.h - what the imports of a spreadsheet into a campaign share: the
 * problem list (problem_import.h) and the task breakdown (task_import.h).
 *
 * An import is a few steps, each here, and the rows in between are the
 * importer's own:
 *
 *   import_init()      the columns the importer knows (header, aliases)
 *   import_read()      the whole file (xlsx or CSV in UTF-8 or GB18030)
 *                      into rows of trimmed texts, by header, outside any
 *                      transaction
 *   ...                the importer checks each row (import_row_error())
 *   store_write(...)   one unit of work in which the importer resolves
 *                      units (import_units_load(), import_unit_find()),
 *                      inserts each row as the single-object operation
 *                      would, and ends with import_unit_end()
 *   import_answer()    201's summary, or the list of bad rows
 *   import_release()
 *
 * Any bad row fails the write unit, so the store rolls every row back: all
 * rows are imported or none is.  See docs/api.md.
 */
#ifndef DUBAN_APP_IMPORT_H
#define DUBAN_APP_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "core/audit_hash.h"
#include "store/store.h"

enum import_format { IMPORT_XLSX, IMPORT_CSV };

/**
 * Tells the format of an upload: an explicit format ("xlsx" or "csv")
 * wins, then the content type, then the file name's extension, then the
 * content itself.  Any of them may be NULL.  An unknown explicit format is
 * 422 naming "format"; a file that is neither is 422 unsupported_type.
 */
duban_result import_format_detect(const char *format,
				  const char *content_type,
				  const char *filename, const void *data,
				  size_t len, enum import_format *out,
				  struct duban_error *err);

/** Progress of a long import: stage is "reading", "checking" or
 * "writing"; total is 0 while unknown. */
typedef void (*import_progress_fn)(void *ctx, const char *stage,
				   size_t done, size_t total);

struct import_options {
	enum import_format format;
	const char *filename;        /* recorded in the audit trail; may be NULL */
	import_progress_fn progress; /* may be NULL */
	void *progress_ctx;
};

/**
 * An import of a file into a campaign, as problem_import() and
 * task_import() are: on success *out is {campaign_id, imported, ids,
 * format, encoding, sheet}; when rows are bad the result is DUBAN_E_INVALID
 * with code invalid_rows, nothing is written, and *bad_rows is the array
 * of {row, field, message} (a new reference; NULL otherwise).  A file that
 * cannot be read at all is DUBAN_E_INVALID naming "file".
 */
typedef duban_result (*import_fn)(struct store *s, const struct actor *a,
				  int64_t campaign_id, const void *data,
				  size_t len, const struct import_options *opt,
				  json_t **out, json_t **bad_rows,
				  struct duban_error *err);

#define IMPORT_MAX_COLS 24

/** A column an importer knows. */
struct import_column {
	const char *header;     /* the name the error messages use */
	const char *aliases[5]; /* other names offices give it */
	bool key;      /* the header row is the first row naming every key
			* column */
	bool required; /* the header row must name it */
	bool numbering; /* a row with only this column filled is blank */
};

/** One cell of a known column after reading. */
struct import_value {
	char *text;    /* trimmed of white space; NULL when blank */
	bool number;   /* a number cell of the workbook */
	bool date;     /* ... whose format is a date */
	bool has_day;  /* ... and a serial of a day */
	int32_t day;
	double value;  /* the number, when number */
};

/** One data row: the values of the known columns, in their order. */
struct import_row {
	uint32_t row; /* the sheet's or the file's row number, from 1 */
	struct import_value *v;
	bool bad;     /* a row error was recorded for it */
};

struct import_unit_ref {
	int64_t id;
	char *name, *code;
};

struct import {
	const struct actor *a;
	int64_t campaign_id;
	const struct import_options *opt;
	const struct import_column *columns;
	int ncols;
	/* reading */
	bool have_header;
	int col_of[IMPORT_MAX_COLS]; /* the file's column, or -1 */
	uint32_t rows_seen;
	struct import_row *rows;
	size_t nrows, caprows;
	int32_t today;
	const char *encoding; /* static; NULL for xlsx */
	char sheet[128];
	char sha256[AUDIT_HASH_HEX];
	size_t len;
	/* errors */
	json_t *errors;
	size_t nerrors;
	/* the write unit */
	struct import_unit_ref *units;
	size_t nunits;
	struct import_unit_ref **by_name, **by_code;
	json_t *ids; /* the ids written, in row order */
};

/** Sets up an import of the columns given (at most IMPORT_MAX_COLS). */
void import_init(struct import *im, const struct actor *a,
		 int64_t campaign_id, const struct import_options *opt,
		 const struct import_column *columns, int ncols);

/** Frees what the import holds (not im itself). */
void import_release(struct import *im);

/**
 * Reads the file data[0..len) into im->rows: the header row is found
 * among the first rows (a title above it is skipped), blank rows are
 * left out.  A file that is empty, unreadable, without a header row or
 * without rows is DUBAN_E_INVALID naming "file".
 */
duban_result import_read(struct import *im, const void *data, size_t len,
			 struct duban_error *err);

/** Records an error of row r at the column named field (a header). */
void import_row_error(struct import *im, struct import_row *r,
		      const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** A value's day: a date cell, or text as 2026-03-01, 2026/3/1,
 * 2026.3.1, 2026年3月1日, 2026年3月底, 2026年底 (前).  False otherwise. */
bool import_date(const struct import_value *v, int32_t *out);

/** Calls the progress callback for row done (of im->nrows) now and then. */
void import_progress(struct import *im, const char *stage, size_t done);

/**
 * Inside the write unit: loads the units a row may name, those under the
 * campaign's unit (campaign_path) in the actor's scope.
 */
duban_result import_units_load(struct store_conn *c, struct import *im,
			       const char *campaign_path,
			       struct duban_error *err);

/** The unit whose code, else whose name, is text: 0 when none, -1 when
 * more than one unit has that name. */
int64_t import_unit_find(const struct import *im, const char *text);

/**
 * Ends the write unit: DUBAN_E_INVALID invalid_rows when any row was bad
 * (the store then rolls back), else the import's audit record (action,
 * e.g. "import_problems", on the campaign, at unit_id).
 */
duban_result import_unit_end(struct store_conn *c, struct import *im,
			     int64_t unit_id, const char *action,
			     struct duban_error *err);

/**
 * After store_write() returned result: on success *out is the summary;
 * with bad rows *bad_rows takes the row errors.  Returns result.
 */
duban_result import_answer(struct import *im, duban_result result,
			   json_t **out, json_t **bad_rows);

/** Text helpers for importers: the text trimmed of white space (ASCII,
 * U+3000, U+00A0), malloc'd; NULL when nothing is left. */
char *import_trimmed(const char *s, size_t n);

#endif
