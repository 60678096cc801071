/*
 * taskset.h - a campaign's tasks loaded for progress and lights
 * (internal to src/app/).
 *
 * Loading takes a fixed five queries whatever the number of tasks: tasks,
 * milestones, indicators, the standing reports (last month's among them),
 * and their values (the latest of each indicator).
 * Progress is computed bottom-up (children have larger ids than their
 * parents), then each task's light reasons.
 */
#ifndef DUBAN_APP_TASKSET_H
#define DUBAN_APP_TASKSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/lights.h"
#include "store/store.h"

struct ts_indicator {
	int64_t id;
	double target;
	bool at_most;
	bool has_value;
	double value;
};

struct ts_task {
	int64_t id, parent_id, lead_unit_id;
	int32_t starts_on, due_on;
	char category[33];
	size_t ms_first, ms_count;   /* into taskset.ms */
	size_t ind_first, ind_count; /* into taskset.ind */
	int nchildren;
	double child_sum;
	double progress;
	bool prev_report;
	unsigned reasons;
	enum light light;
	int32_t red_since; /* the first day it was red, when red */
};

struct taskset {
	struct ts_task *t;
	size_t n;
	struct light_milestone *ms;
	size_t nms;
	struct ts_indicator *ind;
	size_t nind;
	struct light_inputs in;
};

/**
 * Loads the tasks of campaign_id (only the subtree under path_prefix when
 * not NULL, e.g. "/12/") and computes progress and lights for as_of.
 */
duban_result taskset_load(struct store_conn *c, int64_t campaign_id,
			  const char *path_prefix,
			  const struct light_params *params, int32_t as_of,
			  struct taskset *ts, struct duban_error *err);

/**
 * Loads the subtrees under the n task paths of campaign_id (the tasks of a
 * page: a fixed five queries for up to 500 paths) and computes progress
 * and lights for as_of.  The paths are not kept.
 */
duban_result taskset_load_paths(struct store_conn *c, int64_t campaign_id,
				const char *const *paths, size_t n,
				const struct light_params *params,
				int32_t as_of, struct taskset *ts,
				struct duban_error *err);

/** The task with this id, or NULL. */
const struct ts_task *taskset_find(const struct taskset *ts, int64_t id);

void taskset_release(struct taskset *ts);

/*
 * Sets shared through the cache (taskset.c says how it stays true to the
 * database).  A reference is released with taskset_ref_release() whatever
 * the result.  Without taskset_cache_start(), and inside a write unit,
 * every call loads what it needs.
 */
struct ts_entry;
struct taskset_ref {
	const struct taskset *ts; /* what to read */
	struct ts_entry *entry;   /* the cached set it points to, held */
	struct taskset own;       /* or a set loaded for this caller */
};

/** The whole campaign, from the cache or loaded (and then cached). */
duban_result taskset_campaign(struct store_conn *c, int64_t campaign_id,
			      const struct light_params *params,
			      int32_t as_of, struct taskset_ref *ref,
			      struct duban_error *err);

/**
 * The whole campaign from the cache, or else the subtrees under the n
 * task paths (taskset_load_paths()), while the cache's builder thread may
 * load the whole campaign for the next caller.
 */
duban_result taskset_subtrees(struct store_conn *c, int64_t campaign_id,
			      const char *const *paths, size_t n,
			      const struct light_params *params,
			      int32_t as_of, struct taskset_ref *ref,
			      struct duban_error *err);

void taskset_ref_release(struct taskset_ref *ref);

/**
 * Turns the cache on, holding at most max_entries sets and max_tasks
 * tasks in all, and starts its builder thread.  taskset_cache_stop()
 * joins the thread and frees the sets; call it before the store goes.
 */
void taskset_cache_start(size_t max_entries, size_t max_tasks);
void taskset_cache_stop(void);

struct taskset_cache_stats {
	uint64_t hits, misses, builds;
	size_t entries, tasks;
};
void taskset_cache_get_stats(struct taskset_cache_stats *out);

#endif
