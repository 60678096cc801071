/*
 * problem_import.h - importing a problem list or a rectification ledger
 * (整改台账) from the workbook or CSV file an office keeps, into a campaign.
 *
 * The columns are those of the export (ledger_export.h), found by their
 * header, in any order: 序号, 单位, 问题来源, 问题类别, 问题描述, 整改措施,
 * 责任人, 整改时限, 整改进展, 状态, 销号日期, and optionally 发现日期.  Every
 * row is checked; either every row becomes a problem, in one unit of work,
 * or none does and the answer lists each bad row.  See docs/api.md.
 */
#ifndef DUBAN_APP_PROBLEM_IMPORT_H
#define DUBAN_APP_PROBLEM_IMPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
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
 * Imports the file data[0..len) into the campaign as the actor.  On
 * success *out is {campaign_id, imported, ids, format, encoding, sheet}.
 * When rows are bad the result is DUBAN_E_INVALID with code invalid_rows,
 * nothing is written, and *bad_rows is the array of {row, field, message}
 * (a new reference; NULL otherwise).  A file that cannot be read at all is
 * DUBAN_E_INVALID naming "file".
 */
duban_result problem_import(struct store *s, const struct actor *a,
			    int64_t campaign_id, const void *data, size_t len,
			    const struct import_options *opt, json_t **out,
			    json_t **bad_rows, struct duban_error *err);

#endif
