/*
 * warnings.h - warning interviews (警示约谈): a task red for longer than
 * its campaign's warning_red_days gets an interview of its lead unit's
 * head, who then owes a written report by a deadline (`004` §三.五.2).
 *
 * pending -> held (the office held the interview) -> reported (the unit's
 * written report) -> closed (the office accepts it).
 */
#ifndef DUBAN_APP_WARNINGS_H
#define DUBAN_APP_WARNINGS_H

#include <jansson.h>

#include "app/actor.h"
#include "store/store.h"

/** Records the interviews due on as_of that are not recorded yet. */
duban_result warning_scan(struct store *s, const struct actor *a,
			  int64_t campaign_id, int32_t as_of, json_t **out,
			  struct duban_error *err);

/** The campaign's interviews whose unit is in scope; status may be NULL. */
duban_result warning_list(struct store *s, const struct actor *a,
			  int64_t campaign_id, const char *status,
			  json_t **out, struct duban_error *err);

/**
 * Moves an interview: action "hold" {held_on, notes, report_workdays},
 * "report" {report}, "close" {comment}.
 */
duban_result warning_act(struct store *s, const struct actor *a, int64_t id,
			 const char *action, const json_t *in, json_t **out,
			 struct duban_error *err);

#endif
