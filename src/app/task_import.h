/*
 * task_import.h - importing a campaign's task breakdown (任务分解表,
 * 责任清单) from the workbook or CSV file an office keeps.
 *
 * One task per 序号, in any column order: 序号, 上级序号 (a sub-task's
 * parent: the 序号 of an earlier row, or #ID of a task already in the
 * campaign), 任务名称, 任务类别, 牵头单位, 配合单位, 责任领导, 工作专班,
 * 开始日期, 完成时限, and for its indicators and milestones 指标名称, 目标值,
 * 方向, 计量单位, 节点名称, 节点时限.  A task's further indicators and
 * milestones are on the rows below it that repeat its 序号 or leave both
 * 序号 and 任务名称 blank (merged cells).  Every task is checked and created
 * as POST /tasks does (task_check, task_insert); either every task is
 * created, in one unit of work, or none is and the answer lists each bad
 * row.  See docs/api.md.
 */
#ifndef DUBAN_APP_TASK_IMPORT_H
#define DUBAN_APP_TASK_IMPORT_H

#include "app/import.h"

/**
 * Imports the file data[0..len) into the campaign as the actor, who must
 * manage it (an office at or above its unit): an import_fn (import.h).
 */
duban_result task_import(struct store *s, const struct actor *a,
			 int64_t campaign_id, const void *data, size_t len,
			 const struct import_options *opt, json_t **out,
			 json_t **bad_rows, struct duban_error *err);

#endif
