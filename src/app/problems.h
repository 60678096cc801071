/*
 * problems.h - problem lists and the rectification ledger (整改台账).
 *
 * A problem belongs to a campaign and a unit (and, on a personal list, to
 * a person), comes from a source (self, public, superior, inspection,
 * audit), has measures, a responsible person and a deadline, and moves
 * through the workflow of core/problem_flow.h.  Every move is kept as the
 * problem's history; the ledger counts per unit and is cleared to zero
 * (见底清零) when there were problems and all are closed.
 */
#ifndef DUBAN_APP_PROBLEMS_H
#define DUBAN_APP_PROBLEMS_H

#include <jansson.h>
#include <stdint.h>

#include "app/actor.h"
#include "store/store.h"

/** Validates a problem as POST /problems takes it (before any write). */
duban_result problem_check(const json_t *in, struct duban_error *err);

/**
 * Inserts a checked problem inside the caller's write unit: for modules
 * that open problems themselves (inspections, bad ratings).  *out is the
 * new problem (new reference).
 */
duban_result problem_insert(struct store_conn *c, const struct actor *a,
			    const json_t *in, json_t **out,
			    struct duban_error *err);

duban_result problem_create(struct store *s, const struct actor *a,
			    const json_t *in, json_t **out,
			    struct duban_error *err);

/** The problem with its history and whether it is overdue on as_of. */
duban_result problem_get(struct store *s, const struct actor *a, int64_t id,
			 int32_t as_of, json_t **out, struct duban_error *err);

struct problem_filter {
	int64_t campaign_id;
	int64_t unit_id;     /* the unit's subtree */
	const char *status;
	const char *source;
	const char *kind;    /* "unit", "person" or NULL */
	bool overdue_only;
	int32_t as_of;
	int page, per_page;
};

duban_result problem_list(struct store *s, const struct actor *a,
			  const struct problem_filter *f, json_t **out,
			  struct duban_error *err);

/** {to, note, evidence, version}. */
duban_result problem_transition(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err);

/** Per unit in scope: total, closed, open, overdue, cleared, by status. */
duban_result campaign_ledger(struct store *s, const struct actor *a,
			     int64_t campaign_id, int32_t as_of, json_t **out,
			     struct duban_error *err);

/**
 * The ledger over time: for each month from `from` to `to` (at most 36),
 * the problems found by its last day, how many were closed then, still
 * open, and overdue — rebuilt from each problem's history.
 */
duban_result campaign_ledger_trend(struct store *s, const struct actor *a,
				   int64_t campaign_id, int32_t from,
				   int32_t to, json_t **out,
				   struct duban_error *err);

/** One ledger row for export, in the office's column order. */
struct ledger_row {
	int64_t seq;
	const char *unit, *source, *category, *description, *measures,
		*responsible, *progress, *status;
	int32_t due_on, closed_on; /* 0 when none */
	bool overdue;
};

typedef duban_result (*ledger_row_fn)(const struct ledger_row *row,
				      void *ctx, struct duban_error *err);

/** Calls fn for each problem of the campaign in scope, by unit and id. */
duban_result campaign_ledger_rows(struct store *s, const struct actor *a,
				  int64_t campaign_id, int32_t as_of,
				  ledger_row_fn fn, void *ctx,
				  struct duban_error *err);

/** The Chinese label of a status or a source, for exports. */
const char *problem_label(const char *code);

#endif
