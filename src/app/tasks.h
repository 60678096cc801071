/*
 * tasks.h - tasks (任务) with indicators and milestones, monthly reports
 * (月调度), and the progress and warning lights computed from them.
 *
 * A task belongs to a campaign and a category, has a lead unit (牵头单位),
 * co-responsible units (责任单位), a named leader and team; tasks form a
 * tree (a materialised path like units).  Only the lead unit's people
 * report; a resubmission supersedes the report before it, never overwrites
 * it.  Lights and progress are computed on demand for any as_of day.
 */
#ifndef DUBAN_APP_TASKS_H
#define DUBAN_APP_TASKS_H

#include <jansson.h>
#include <stdint.h>

#include "app/actor.h"
#include "store/store.h"

/** Validates a task as POST /tasks takes it (before any write). */
duban_result task_check(const json_t *in, struct duban_error *err);

/**
 * Inserts a checked task inside the caller's write unit, with every check
 * of POST /tasks that needs the database (campaign, category, units in
 * scope and under the campaign's unit, parent) and its audit record: for
 * imports.  *out is the new task (new reference), NULL on failure.
 */
duban_result task_insert(struct store_conn *c, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err);

duban_result task_create(struct store *s, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err);

/** The task with light, progress, indicators' latest values, milestones. */
duban_result task_get(struct store *s, const struct actor *a, int64_t id,
		      int32_t as_of, json_t **out, struct duban_error *err);

/** Filters for task_list; zero or NULL means no filter. */
struct task_filter {
	int64_t campaign_id;
	int64_t unit_id;      /* lead unit in this unit's subtree */
	const char *category_code;
	int light;            /* -1 for any */
	int32_t as_of;
	int page, per_page;
	bool milestones;      /* each task with its milestones (a timeline) */
};

duban_result task_list(struct store *s, const struct actor *a,
		       const struct task_filter *f, json_t **out,
		       struct duban_error *err);

/** {period, summary, indicator_values[], blockers, next_steps, reason}. */
duban_result report_submit(struct store *s, const struct actor *a,
			   int64_t task_id, const json_t *in, json_t **out,
			   struct duban_error *err);

/** {decision: accept|return, comment}: the office reviews a report. */
duban_result report_review(struct store *s, const struct actor *a, int64_t id,
			   const json_t *in, json_t **out,
			   struct duban_error *err);

/** The reports of a task, newest first, superseded ones included. */
duban_result report_list(struct store *s, const struct actor *a,
			 int64_t task_id, json_t **out,
			 struct duban_error *err);

/** {completed_on, evidence}. */
duban_result milestone_complete(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err);

/** Light counts per lead unit and per unit subtree. */
duban_result campaign_lights(struct store *s, const struct actor *a,
			     int64_t id, int32_t as_of, json_t **out,
			     struct duban_error *err);

/** The red tasks with their reasons. */
duban_result campaign_red_tasks(struct store *s, const struct actor *a,
				int64_t id, int32_t as_of, json_t **out,
				struct duban_error *err);

/**
 * Roll-up over a period ("2021-03", "2021-Q1", "2021-H1", "2021"): per
 * category and per lead unit, tasks by light on the period's last day (or
 * as_of when earlier), mean progress, and monthly reports missing for the
 * months of the period that have ended.
 */
duban_result campaign_rollup(struct store *s, const struct actor *a,
			     int64_t id, const char *period, int32_t as_of,
			     json_t **out, struct duban_error *err);

/** Parses a period into its first and last day; false when malformed. */
bool period_parse(const char *period, int32_t *first, int32_t *last);

#endif
