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

#include "app/import.h"

/**
 * Imports the file data[0..len) into the campaign as the actor: an
 * import_fn (import.h), which says what comes back.
 */
duban_result problem_import(struct store *s, const struct actor *a,
			    int64_t campaign_id, const void *data, size_t len,
			    const struct import_options *opt, json_t **out,
			    json_t **bad_rows, struct duban_error *err);

#endif
