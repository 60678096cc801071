#include "app/taskset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/workcal.h"
#include "base/date.h"
#include "base/xalloc.h"

#define GROW(arr, n, cap)                                              \
	do {                                                           \
		if ((n) == (cap)) {                                    \
			(cap) = (cap) ? (cap) * 2 : 64;                \
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr))); \
		}                                                      \
	} while (0)

static bool day_of(struct store_stmt *st, int col, int32_t *out)
{
	const char *s = store_col_text(st, col);
	return s && date_parse(s, store_col_len(st, col), out);
}

struct ts_task *taskset_find(struct taskset *ts, int64_t id)
{
	size_t lo = 0, hi = ts->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ts->t[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ts->n && ts->t[lo].id == id ? &ts->t[lo] : NULL;
}

void taskset_release(struct taskset *ts)
{
	free(ts->t);
	free(ts->ms);
	free(ts->ind);
	memset(ts, 0, sizeof(*ts));
}

/*
 * Every query filters the same way: the campaign, and optionally a range
 * of task paths.  `? = ''` switches the range off in the same statement.
 */
#define TS_WHERE                                                        \
	" t.campaign_id = ? AND (? = '' OR (t.path >= ? AND t.path < ?))"

static void bind_where(struct store_stmt *st, int64_t campaign,
		       const char *prefix)
{
	char hi[256] = "";
	size_t n = prefix ? strlen(prefix) : 0;
	store_bind_int(st, 1, campaign);
	store_bind_str(st, 2, prefix ? prefix : "");
	if (n > 0 && n < sizeof(hi)) {
		memcpy(hi, prefix, n + 1);
		hi[n - 1] = '0'; /* see scope_bind_subtree() */
	}
	store_bind_str(st, 3, prefix ? prefix : "");
	store_bind_str(st, 4, hi);
}

static duban_result load_tasks(struct store_conn *c, int64_t campaign,
			       const char *prefix, struct taskset *ts,
			       struct duban_error *err)
{
	struct store_stmt *st;
	size_t cap = 0;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT t.id, t.parent_id, t.lead_unit_id, t.starts_on,"
		" t.due_on, t.category_code FROM tasks t WHERE" TS_WHERE
		" ORDER BY t.id",
		&st, err);
	if (result)
		return result;
	bind_where(st, campaign, prefix);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		GROW(ts->t, ts->n, cap);
		struct ts_task *t = &ts->t[ts->n++];
		memset(t, 0, sizeof(*t));
		t->id = store_col_int(st, 0);
		t->parent_id = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
		t->lead_unit_id = store_col_int(st, 2);
		day_of(st, 3, &t->starts_on);
		day_of(st, 4, &t->due_on);
		snprintf(t->category, sizeof(t->category), "%s",
			 store_col_text(st, 5));
	}
	store_reset(st);
	return result;
}

static duban_result load_milestones(struct store_conn *c, int64_t campaign,
				    const char *prefix, struct taskset *ts,
				    struct duban_error *err)
{
	struct store_stmt *st;
	size_t cap = 0;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT m.task_id, m.due_on, m.completed_on FROM milestones m"
		" JOIN tasks t ON t.id = m.task_id WHERE" TS_WHERE
		" ORDER BY m.task_id, m.seq",
		&st, err);
	if (result)
		return result;
	bind_where(st, campaign, prefix);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct ts_task *t = taskset_find(ts, store_col_int(st, 0));
		if (!t)
			continue;
		GROW(ts->ms, ts->nms, cap);
		if (t->ms_count == 0)
			t->ms_first = ts->nms;
		t->ms_count++;
		struct light_milestone *m = &ts->ms[ts->nms++];
		day_of(st, 1, &m->due_on);
		m->done = !store_col_null(st, 2);
	}
	store_reset(st);
	return result;
}

static int cmp_ind(const void *a, const void *b)
{
	int64_t x = ((const struct ts_indicator *)a)->id,
		y = ((const struct ts_indicator *)b)->id;
	return x < y ? -1 : x > y;
}

static duban_result load_indicators(struct store_conn *c, int64_t campaign,
				    const char *prefix, struct taskset *ts,
				    struct duban_error *err)
{
	struct store_stmt *st;
	size_t cap = 0;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT i.task_id, i.id, i.target, i.comparator FROM"
		" indicators i JOIN tasks t ON t.id = i.task_id WHERE" TS_WHERE
		" ORDER BY i.task_id, i.seq",
		&st, err);
	if (result)
		return result;
	bind_where(st, campaign, prefix);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct ts_task *t = taskset_find(ts, store_col_int(st, 0));
		if (!t)
			continue;
		GROW(ts->ind, ts->nind, cap);
		if (t->ind_count == 0)
			t->ind_first = ts->nind;
		t->ind_count++;
		struct ts_indicator *ind = &ts->ind[ts->nind++];
		memset(ind, 0, sizeof(*ind));
		ind->id = store_col_int(st, 1);
		ind->target = store_col_double(st, 2);
		const char *cmp = store_col_text(st, 3);
		ind->at_most = cmp && strcmp(cmp, "<=") == 0;
	}
	store_reset(st);
	if (result)
		return result;
	/* the latest value of each indicator from a report that stands;
	 * rows come oldest first, so the last one per indicator wins */
	struct ts_indicator *sorted = NULL;
	if (ts->nind) {
		sorted = xmalloc(ts->nind * sizeof(*sorted));
		memcpy(sorted, ts->ind, ts->nind * sizeof(*sorted));
		qsort(sorted, ts->nind, sizeof(*sorted), cmp_ind);
	}
	result = store_prepare(
		c,
		"SELECT v.indicator_id, v.value FROM report_values v"
		" JOIN reports r ON r.id = v.report_id"
		" JOIN tasks t ON t.id = r.task_id WHERE" TS_WHERE
		" AND r.status IN ('submitted', 'accepted')"
		" ORDER BY r.period, r.id",
		&st, err);
	if (result)
		goto out;
	bind_where(st, campaign, prefix);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct ts_indicator key = { .id = store_col_int(st, 0) };
		struct ts_indicator *hit =
			sorted ? bsearch(&key, sorted, ts->nind,
					 sizeof(*sorted), cmp_ind)
			       : NULL;
		if (hit) {
			hit->has_value = true;
			hit->value = store_col_double(st, 1);
		}
	}
	store_reset(st);
	for (size_t i = 0; i < ts->nind; i++) {
		struct ts_indicator *hit = bsearch(&ts->ind[i], sorted,
						   ts->nind, sizeof(*sorted),
						   cmp_ind);
		ts->ind[i] = *hit;
	}
out:
	free(sorted);
	return result;
}

static duban_result load_prev_reports(struct store_conn *c, int64_t campaign,
				      const char *prefix, struct taskset *ts,
				      struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT r.task_id FROM reports r JOIN tasks t ON t.id ="
		" r.task_id WHERE" TS_WHERE " AND r.period = ? AND r.status"
		" IN ('submitted', 'accepted')",
		&st, err);
	if (result)
		return result;
	bind_where(st, campaign, prefix);
	store_bind_str(st, 5, ts->in.prev_period);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct ts_task *t = taskset_find(ts, store_col_int(st, 0));
		if (t)
			t->prev_report = true;
	}
	store_reset(st);
	return result;
}

static double leaf_progress(const struct taskset *ts, const struct ts_task *t)
{
	if (t->ind_count) {
		double sum = 0;
		for (size_t i = 0; i < t->ind_count; i++) {
			const struct ts_indicator *ind =
				&ts->ind[t->ind_first + i];
			if (ind->has_value)
				sum += indicator_attainment(
					ind->value, ind->target, ind->at_most);
		}
		return sum / (double)t->ind_count;
	}
	if (t->ms_count) {
		size_t done = 0;
		for (size_t i = 0; i < t->ms_count; i++)
			done += ts->ms[t->ms_first + i].done;
		return 100.0 * (double)done / (double)t->ms_count;
	}
	return 0.0;
}

duban_result taskset_load(struct store_conn *c, int64_t campaign_id,
			  const char *path_prefix,
			  const struct light_params *params, int32_t as_of,
			  struct taskset *ts, struct duban_error *err)
{
	duban_result result;
	memset(ts, 0, sizeof(*ts));
	if ((result = workcal_light_inputs(&ts->in, as_of, params, err)) ||
	    (result = load_tasks(c, campaign_id, path_prefix, ts, err)) ||
	    (result = load_milestones(c, campaign_id, path_prefix, ts, err)) ||
	    (result = load_indicators(c, campaign_id, path_prefix, ts, err)) ||
	    (result = load_prev_reports(c, campaign_id, path_prefix, ts, err))) {
		taskset_release(ts);
		return result;
	}
	/* children have larger ids: walking down the ids finishes every
	 * child before its parent */
	for (size_t i = ts->n; i-- > 0;) {
		struct ts_task *t = &ts->t[i];
		t->progress = t->nchildren ? t->child_sum / t->nchildren
					   : leaf_progress(ts, t);
		struct ts_task *p =
			t->parent_id ? taskset_find(ts, t->parent_id) : NULL;
		if (p) {
			p->nchildren++;
			p->child_sum += t->progress;
		}
	}
	for (size_t i = 0; i < ts->n; i++) {
		struct ts_task *t = &ts->t[i];
		struct light_task lt = {
			.starts_on = t->starts_on,
			.due_on = t->due_on,
			.progress = t->progress,
			.milestones = t->ms_count ? &ts->ms[t->ms_first] : NULL,
			.nmilestones = t->ms_count,
			.prev_report = t->prev_report,
		};
		t->reasons = light_reasons(&lt, &ts->in);
		t->light = light_of(t->reasons);
		/* red since the day after the earliest missed date */
		t->red_since = 0;
		if (t->reasons & LIGHT_TASK_OVERDUE)
			t->red_since = t->due_on + 1;
		for (size_t k = 0; k < t->ms_count; k++) {
			const struct light_milestone *ms = &ts->ms[t->ms_first + k];
			if (!ms->done && ms->due_on < as_of &&
			    (!t->red_since || ms->due_on + 1 < t->red_since))
				t->red_since = ms->due_on + 1;
		}
	}
	return DUBAN_OK;
}
