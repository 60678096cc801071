/*
 * problem_flow.h - the rectification workflow (整改) as a table.
 *
 *   open -> rectifying -> rectified -> closed (销号)
 *                         rectified -> returned -> rectifying
 *                                      closed -> reopened -> rectifying
 *
 * The unit moves its own problem forward; only the office closes, returns
 * and reopens (问题排查一个、整改一个、销号一个).
 */
#ifndef DUBAN_CORE_PROBLEM_FLOW_H
#define DUBAN_CORE_PROBLEM_FLOW_H

#include <stdbool.h>

#include "base/result.h"

/** True when s is a status of the workflow. */
bool problem_status_valid(const char *s);

/** True when s is a problem source: self, public, superior, inspection, audit. */
bool problem_source_valid(const char *s);

/** What a move needs from whoever makes it. */
struct problem_move {
	bool office_only;   /* only the office may make it */
	bool needs_note;    /* a reason is required */
	bool needs_evidence; /* evidence of the rectification is required */
};

/**
 * Checks the move from -> to.  DUBAN_E_CONFLICT (code invalid_transition)
 * when the workflow has no such move; otherwise fills *move.
 */
duban_result problem_move_check(const char *from, const char *to,
				struct problem_move *move,
				struct duban_error *err);

/** True while a problem still counts against its unit's deadline. */
bool problem_status_pending(const char *status);

#endif
