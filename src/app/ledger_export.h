/*
 * ledger_export.h - the rectification ledger as an Excel workbook (the
 * layout offices use: 序号, 单位, 问题来源, 问题类别, 问题描述, 整改措施,
 * 责任人, 整改时限, 整改进展, 状态, 销号日期) and as CSV (UTF-8 with BOM,
 * which Excel opens correctly).
 */
#ifndef DUBAN_APP_LEDGER_EXPORT_H
#define DUBAN_APP_LEDGER_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "store/store.h"

/**
 * Writes the workbook with libxlsxwriter in constant-memory mode to a
 * temporary file in tmpdir and returns an open descriptor on it (already
 * unlinked) and its size; the caller closes it.
 */
duban_result ledger_export_xlsx(struct store *s, const struct actor *a,
				int64_t campaign_id, int32_t as_of,
				const char *tmpdir, int *fd, size_t *size,
				struct duban_error *err);

/** The CSV in a malloc'd buffer the caller frees. */
duban_result ledger_export_csv(struct store *s, const struct actor *a,
			       int64_t campaign_id, int32_t as_of, char **buf,
			       size_t *len, struct duban_error *err);

#endif
