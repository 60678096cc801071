#include "app/taskset.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/workcal.h"
#include "base/date.h"
#include "base/log.h"
#include "base/xalloc.h"

#define GROW(arr, n, cap)                                              \
	do {                                                           \
		if ((n) == (cap)) {                                    \
			(cap) = (cap) ? (cap) * 2 : 64;                \
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr))); \
		}                                                      \
	} while (0)

/*
 * A campaign of 100,000 tasks has a few hundred distinct dates: the ones
 * parsed last are remembered, by a hash of their digits.
 */
#define DAY_MEMO 64
struct day_memo {
	char text[DAY_MEMO][10];
	int32_t day[DAY_MEMO];
	bool ok[DAY_MEMO];
};

static bool day_of(struct store_stmt *st, int col, struct day_memo *m,
		   int32_t *out)
{
	const char *s = store_col_text(st, col);
	size_t len = s ? strnlen(s, 11) : 0;
	if (len != 10)
		return s && date_parse(s, len, out);
	unsigned h = ((unsigned char)s[3] * 31u + (unsigned char)s[6] * 7u +
		      (unsigned char)s[8] * 3u + (unsigned char)s[9]) %
		     DAY_MEMO;
	if (m->ok[h] && memcmp(m->text[h], s, 10) == 0) {
		*out = m->day[h];
		return true;
	}
	if (!date_parse(s, len, out))
		return false;
	memcpy(m->text[h], s, 10);
	m->day[h] = *out;
	m->ok[h] = true;
	return true;
}

const struct ts_task *taskset_find(const struct taskset *ts, int64_t id)
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

/* taskset_find() on a set this file is still computing */
static struct ts_task *find_mut(struct taskset *ts, int64_t id)
{
	const struct ts_task *t = taskset_find(ts, id);
	return t ? &ts->t[t - ts->t] : NULL;
}

void taskset_release(struct taskset *ts)
{
	free(ts->t);
	free(ts->ms);
	free(ts->ind);
	memset(ts, 0, sizeof(*ts));
}

/*
 * Which tasks a set holds: a whole campaign, or the subtrees under a few
 * task paths (the tasks on a page, one task).  Five queries load it, each
 * served by an index (tests/unit/test_query_plans.c):
 *
 *  - tasks: by campaign (tasks_campaign_lights, covering), or by path
 *    ranges (tasks_path, one range per path, OR-ed);
 *  - milestones, indicators, the standing reports: when the ids of the
 *    tasks loaded are dense (at most DENSE times as many ids in their
 *    range as tasks), one range scan of task ids over a covering index,
 *    rows of other campaigns skipped here; otherwise joined to the tasks
 *    again;
 *  - the reports' values: a range scan of report ids, or joined.
 * A range scan reads an index in order without a seek per task, which is
 * what makes 100,000 tasks cheap.
 *
 * Path ranges come in buckets of slots, the unused ones bound empty, so
 * that a page of any size prepares one of a few statement texts.
 */
#define DENSE 4
static const size_t slot_buckets[] = { 1, 4, 25, 100, 500 };
#define MAX_SLOTS 500
static const size_t id_buckets[] = { 8, 32, 128, 512, 2048 };
#define MAX_IDS 2048

struct sel {
	int64_t campaign;
	const char *const *paths; /* NULL: the whole campaign */
	size_t npaths, slots;
	/* after load_tasks: the ids are dense (a range), or few enough to be
	 * listed (subtrees: `IN (?, ...)`, id_slots of them, 0 unused) */
	bool by_range;
	int64_t lo, hi;
	int64_t *ids;
	size_t nids, id_slots;
};

/* " t.campaign_id = ?" or the path ranges; appended to sql */
static void sel_where(const struct sel *s, char *sql, size_t cap)
{
	size_t n = strlen(sql);
	if (!s->paths) {
		snprintf(sql + n, cap - n, " t.campaign_id = ?");
		return;
	}
	n += (size_t)snprintf(sql + n, cap - n, " +t.campaign_id = ? AND (");
	for (size_t i = 0; i < s->slots && n < cap; i++)
		n += (size_t)snprintf(sql + n, cap - n,
				      "%s(t.path >= ? AND t.path < ?)",
				      i ? " OR " : "");
	if (n < cap)
		snprintf(sql + n, cap - n, ")");
}

/* Binds what sel_where() wrote from parameter 1; returns the next one. */
static int sel_bind(struct store_stmt *st, const struct sel *s)
{
	int k = 1;
	store_bind_int(st, k++, s->campaign);
	if (!s->paths)
		return k;
	for (size_t i = 0; i < s->slots; i++) {
		const char *p = i < s->npaths ? s->paths[i] : "";
		char hi[256] = "";
		size_t n = strlen(p);
		if (n > 0 && n < sizeof(hi)) {
			memcpy(hi, p, n + 1);
			hi[n - 1] = '0'; /* see scope_bind_subtree() */
		}
		store_bind_str(st, k++, p);
		store_bind_str(st, k++, hi);
	}
	return k;
}

/*
 * The SQL of a child table's query: `what` from `table` (with an alias,
 * then `joins`), filtered by a range of task ids in task_col, or joined to
 * the tasks t of the set; in task order, then `order`, unless that is
 * NULL.
 */
static void child_sql(const struct sel *s, const char *what,
		      const char *table, const char *joins,
		      const char *task_col, const char *extra,
		      const char *order, char *sql, size_t cap)
{
	if (s->by_range || s->id_slots) {
		size_t n;
		if (s->by_range) {
			snprintf(sql, cap,
				 "SELECT %s FROM %s%s WHERE %s >= ? AND %s <= ?",
				 what, table, joins, task_col, task_col);
		} else {
			/* the tasks by id: one seek each, and no path test
			 * repeated on every row as the ranges' OR would */
			snprintf(sql, cap, "SELECT %s FROM %s%s WHERE %s IN (?",
				 what, table, joins, task_col);
			n = strlen(sql);
			for (size_t i = 1; i < s->id_slots && n + 3 < cap; i++) {
				memcpy(sql + n, ", ?", 4);
				n += 3;
			}
			snprintf(sql + n, cap - n, ")");
		}
		n = strlen(sql);
		snprintf(sql + n, cap - n, "%s", extra);
		if (order) {
			n = strlen(sql);
			snprintf(sql + n, cap - n, " ORDER BY %s, %s",
				 task_col, order);
		}
		return;
	}
	/* CROSS JOIN: SQLite keeps the tasks outside (without statistics it
	 * may start from the child table and read it whole); PostgreSQL
	 * reads it as the inner join it is */
	snprintf(sql, cap,
		 "SELECT %s FROM tasks t CROSS JOIN %s%s WHERE %s = t.id AND",
		 what, table, joins, task_col);
	sel_where(s, sql, cap);
	size_t n = strlen(sql);
	/* a campaign's tasks come in id order from tasks_campaign_lights; a
	 * few subtrees are sorted (see load_tasks()) */
	if (order)
		snprintf(sql + n, cap - n, "%s ORDER BY %s, %s", extra,
			 s->paths ? task_col : "t.id", order);
	else
		snprintf(sql + n, cap - n, "%s", extra);
}

static int child_bind(struct store_stmt *st, const struct sel *s)
{
	if (s->id_slots) {
		for (size_t i = 0; i < s->id_slots; i++)
			store_bind_int(st, (int)i + 1,
				       i < s->nids ? s->ids[i] : 0);
		return (int)s->id_slots + 1;
	}
	if (!s->by_range)
		return sel_bind(st, s);
	store_bind_int(st, 1, s->lo);
	store_bind_int(st, 2, s->hi);
	return 3;
}

#define SQL_CAP (128 + MAX_SLOTS * 40)

static duban_result load_tasks(struct store_conn *c, struct sel *s,
			       struct taskset *ts, struct duban_error *err)
{
	struct store_stmt *st;
	struct day_memo memo;
	size_t cap = 0;
	bool row = false;
	memset(&memo, 0, sizeof(memo));
	char *sql = xmalloc(SQL_CAP);
	snprintf(sql, SQL_CAP,
		 "SELECT t.id, t.parent_id, t.lead_unit_id, t.starts_on,"
		 " t.due_on, t.category_code FROM tasks t WHERE");
	sel_where(s, sql, SQL_CAP);
	/* a few subtrees are sorted: ordering by plain t.id would tempt
	 * SQLite to read every task in rowid order instead of the ranges */
	strcat(sql, s->paths ? " ORDER BY +t.id" : " ORDER BY t.id");
	duban_result result = store_prepare(c, sql, &st, err);
	free(sql);
	if (result)
		return result;
	sel_bind(st, s);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		GROW(ts->t, ts->n, cap);
		struct ts_task *t = &ts->t[ts->n++];
		memset(t, 0, sizeof(*t));
		t->id = store_col_int(st, 0);
		t->parent_id = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
		t->lead_unit_id = store_col_int(st, 2);
		day_of(st, 3, &memo, &t->starts_on);
		day_of(st, 4, &memo, &t->due_on);
		const char *cat = store_col_text(st, 5);
		size_t len = cat ? store_col_len(st, 5) : 0;
		if (len >= sizeof(t->category))
			len = sizeof(t->category) - 1;
		memcpy(t->category, cat ? cat : "", len);
		t->category[len] = '\0';
	}
	store_reset(st);
	if (result == DUBAN_OK && ts->n) {
		s->lo = ts->t[0].id;
		s->hi = ts->t[ts->n - 1].id;
		s->by_range = (uint64_t)(s->hi - s->lo) < DENSE * (uint64_t)ts->n;
	}
	if (result == DUBAN_OK && !s->by_range && s->paths && ts->n <= MAX_IDS) {
		s->ids = xmalloc(ts->n * sizeof(*s->ids));
		for (size_t i = 0; i < ts->n; i++)
			s->ids[i] = ts->t[i].id;
		s->nids = ts->n;
		for (size_t i = 0; i < sizeof(id_buckets) / sizeof(*id_buckets);
		     i++) {
			if (id_buckets[i] >= ts->n) {
				s->id_slots = id_buckets[i];
				break;
			}
		}
	}
	return result;
}

/*
 * Rows arrive grouped by task in id order, as the tasks are: the task of a
 * row is found by walking forward from the previous one (rows of tasks not
 * in the set, read by a range scan, find none).
 */
static struct ts_task *next_task(struct taskset *ts, size_t *pos, int64_t id)
{
	while (*pos < ts->n && ts->t[*pos].id < id)
		(*pos)++;
	return *pos < ts->n && ts->t[*pos].id == id ? &ts->t[*pos] : NULL;
}

static duban_result load_milestones(struct store_conn *c,
				    const struct sel *s, struct taskset *ts,
				    struct duban_error *err)
{
	struct store_stmt *st;
	struct day_memo memo;
	size_t cap = 0, pos = 0;
	bool row = false;
	char *sql = xmalloc(SQL_CAP);
	memset(&memo, 0, sizeof(memo));
	child_sql(s, "m.task_id, m.due_on, m.completed_on", "milestones m", "",
		  "m.task_id", "", "m.seq", sql, SQL_CAP);
	duban_result result = store_prepare(c, sql, &st, err);
	free(sql);
	if (result)
		return result;
	child_bind(st, s);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct ts_task *t = next_task(ts, &pos, store_col_int(st, 0));
		if (!t)
			continue;
		GROW(ts->ms, ts->nms, cap);
		if (t->ms_count == 0)
			t->ms_first = ts->nms;
		t->ms_count++;
		struct light_milestone *m = &ts->ms[ts->nms++];
		day_of(st, 1, &memo, &m->due_on);
		m->done = !store_col_null(st, 2);
	}
	store_reset(st);
	return result;
}

static duban_result load_indicators(struct store_conn *c,
				    const struct sel *s, struct taskset *ts,
				    struct duban_error *err)
{
	struct store_stmt *st;
	size_t cap = 0, pos = 0;
	bool row = false;
	char *sql = xmalloc(SQL_CAP);
	child_sql(s, "i.task_id, i.id, i.target, i.comparator", "indicators i",
		  "", "i.task_id", "", "i.seq", sql, SQL_CAP);
	duban_result result = store_prepare(c, sql, &st, err);
	free(sql);
	if (result)
		return result;
	child_bind(st, s);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct ts_task *t = next_task(ts, &pos, store_col_int(st, 0));
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
	return result;
}

/*
 * Finds rows by id: a table indexed by id - lo when the ids are dense (as
 * a campaign's indicators and reports are), else sorted (id, index) pairs
 * searched by halves.
 */
struct id_pos {
	int64_t id;
	size_t i;
};

struct id_map {
	int64_t lo, span;
	uint32_t *slot; /* dense: slot[id - lo] = index + 1, 0 for none */
	struct id_pos *sorted;
	size_t n;
};

static int cmp_pos(const void *a, const void *b)
{
	int64_t x = ((const struct id_pos *)a)->id,
		y = ((const struct id_pos *)b)->id;
	return x < y ? -1 : x > y;
}

/* The ids are at first_id, first_id + stride bytes, ... (n of them). */
static void id_map_build(struct id_map *m, const int64_t *first_id,
			 size_t stride, size_t n)
{
	const char *p = (const char *)first_id;
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	memset(m, 0, sizeof(*m));
	m->n = n;
	for (size_t i = 0; i < n; i++) {
		int64_t id = *(const int64_t *)(p + i * stride);
		lo = id < lo ? id : lo;
		hi = id > hi ? id : hi;
	}
	if (n && n < UINT32_MAX && (uint64_t)(hi - lo) < DENSE * (uint64_t)n) {
		m->lo = lo;
		m->span = hi - lo + 1;
		m->slot = xcalloc((size_t)m->span, sizeof(*m->slot));
		for (size_t i = 0; i < n; i++)
			m->slot[*(const int64_t *)(p + i * stride) - lo] =
				(uint32_t)i + 1;
		return;
	}
	m->sorted = xmalloc((n ? n : 1) * sizeof(*m->sorted));
	for (size_t i = 0; i < n; i++)
		m->sorted[i] = (struct id_pos){
			*(const int64_t *)(p + i * stride), i
		};
	qsort(m->sorted, n, sizeof(*m->sorted), cmp_pos);
}

/* The index of id, or -1. */
static ptrdiff_t id_map_find(const struct id_map *m, int64_t id)
{
	if (m->slot) {
		if (id < m->lo || id - m->lo >= m->span)
			return -1;
		return (ptrdiff_t)m->slot[id - m->lo] - 1;
	}
	struct id_pos key = { id, 0 };
	const struct id_pos *hit =
		m->n ? bsearch(&key, m->sorted, m->n, sizeof(*m->sorted),
			       cmp_pos)
		     : NULL;
	return hit ? (ptrdiff_t)hit->i : -1;
}

static void id_map_release(struct id_map *m)
{
	free(m->slot);
	free(m->sorted);
}

/* a report that stands (submitted or accepted) */
struct ts_report {
	int64_t id;
	char period[8];
};

/* The task with id: the one after *pos when rows come in task order, else
 * found by halves. */
static struct ts_task *task_near(struct taskset *ts, size_t *pos, int64_t id)
{
	if (*pos < ts->n && ts->t[*pos].id == id)
		return &ts->t[*pos];
	if (*pos + 1 < ts->n && ts->t[*pos + 1].id == id)
		return &ts->t[++*pos];
	struct ts_task *t = find_mut(ts, id);
	if (t)
		*pos = (size_t)(t - ts->t);
	return t;
}

/*
 * The reports that stand: last month's sets prev_report; the rest is kept
 * for their values (load_values()).  No order is asked for, so the scan
 * stays on the covering index reports_task_lights.
 */
static duban_result load_reports(struct store_conn *c, const struct sel *s,
				 struct taskset *ts, struct ts_report **out,
				 size_t *nout, struct duban_error *err)
{
	struct store_stmt *st;
	size_t n = 0, cap = 0, pos = 0;
	bool row = false;
	struct ts_report *reps = NULL;
	char *sql = xmalloc(SQL_CAP);
	child_sql(s, "r.task_id, r.id, r.period", "reports r", "",
		  "r.task_id", " AND r.status IN ('submitted', 'accepted')",
		  NULL, sql, SQL_CAP);
	duban_result result = store_prepare(c, sql, &st, err);
	free(sql);
	if (result)
		return result;
	child_bind(st, s);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct ts_task *t = task_near(ts, &pos, store_col_int(st, 0));
		const char *period = store_col_text(st, 2);
		if (!t || !period)
			continue;
		if (strcmp(period, ts->in.prev_period) == 0)
			t->prev_report = true;
		GROW(reps, n, cap);
		reps[n].id = store_col_int(st, 1);
		size_t plen = strnlen(period, 7);
		memcpy(reps[n].period, period, plen);
		reps[n].period[plen] = '\0';
		n++;
	}
	store_reset(st);
	*out = reps;
	*nout = n;
	return result;
}

/*
 * The latest value of each indicator from a report that stands: the one
 * of the latest period, and of that period the latest report (a later one
 * supersedes).  Values are read by a range of report ids when those of the
 * standing reports are dense, else joined to them again.
 */
static duban_result load_values(struct store_conn *c, const struct sel *s,
				struct taskset *ts,
				const struct ts_report *reps, size_t nreps,
				struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	struct id_map rmap, imap;
	const struct ts_report **best = NULL;
	char *sql;
	duban_result result;
	if (!nreps || !ts->nind)
		return DUBAN_OK;
	id_map_build(&rmap, &reps[0].id, sizeof(reps[0]), nreps);
	sql = xmalloc(SQL_CAP);
	if (rmap.slot) {
		snprintf(sql, SQL_CAP,
			 "SELECT v.report_id, v.indicator_id, v.value FROM"
			 " report_values v WHERE v.report_id >= ? AND"
			 " v.report_id <= ?");
	} else {
		child_sql(s, "v.report_id, v.indicator_id, v.value",
			  "reports r", " CROSS JOIN report_values v",
			  "r.task_id",
			  " AND v.report_id = r.id AND r.status IN"
			  " ('submitted', 'accepted')",
			  NULL, sql, SQL_CAP);
	}
	result = store_prepare(c, sql, &st, err);
	free(sql);
	if (result) {
		id_map_release(&rmap);
		return result;
	}
	id_map_build(&imap, &ts->ind[0].id, sizeof(ts->ind[0]), ts->nind);
	best = xcalloc(ts->nind, sizeof(*best));
	if (rmap.slot) {
		store_bind_int(st, 1, rmap.lo);
		store_bind_int(st, 2, rmap.lo + rmap.span - 1);
	} else {
		child_bind(st, s);
	}
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		ptrdiff_t r = id_map_find(&rmap, store_col_int(st, 0));
		ptrdiff_t k = r < 0 ? -1
				    : id_map_find(&imap, store_col_int(st, 1));
		if (k < 0)
			continue; /* superseded, returned, or not ours */
		const struct ts_report *rep = &reps[r];
		const struct ts_report **b = &best[k];
		int later = *b ? strcmp(rep->period, (*b)->period) : 1;
		if (later > 0 || (later == 0 && rep->id > (*b)->id)) {
			*b = rep;
			ts->ind[k].has_value = true;
			ts->ind[k].value = store_col_double(st, 2);
		}
	}
	store_reset(st);
	free(best);
	id_map_release(&imap);
	id_map_release(&rmap);
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

static void compute(struct taskset *ts, int32_t as_of);

static duban_result load_set(struct store_conn *c, struct sel *s,
			     const struct light_params *params, int32_t as_of,
			     struct taskset *ts, struct duban_error *err)
{
	struct ts_report *reps = NULL;
	size_t nreps = 0;
	duban_result result;
	memset(ts, 0, sizeof(*ts));
	if ((result = workcal_light_inputs(&ts->in, as_of, params, err)) ||
	    (result = load_tasks(c, s, ts, err)))
		goto fail;
	if (ts->n == 0)
		return DUBAN_OK;
	if ((result = load_milestones(c, s, ts, err)) ||
	    (result = load_indicators(c, s, ts, err)) ||
	    (result = load_reports(c, s, ts, &reps, &nreps, err)) ||
	    (result = load_values(c, s, ts, reps, nreps, err)))
		goto fail;
	free(reps);
	free(s->ids);
	compute(ts, as_of);
	return DUBAN_OK;
fail:
	free(reps);
	free(s->ids);
	taskset_release(ts);
	return result;
}

duban_result taskset_load(struct store_conn *c, int64_t campaign_id,
			  const char *path_prefix,
			  const struct light_params *params, int32_t as_of,
			  struct taskset *ts, struct duban_error *err)
{
	struct sel s = { campaign_id, NULL, 0, 0, false, 0, 0, NULL, 0, 0 };
	if (path_prefix) {
		s.paths = &path_prefix;
		s.npaths = s.slots = 1;
	}
	return load_set(c, &s, params, as_of, ts, err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

duban_result taskset_load_paths(struct store_conn *c, int64_t campaign_id,
				const char *const *paths, size_t n,
				const struct light_params *params,
				int32_t as_of, struct taskset *ts,
				struct duban_error *err)
{
	struct sel s = { campaign_id, NULL, 0, 0, false, 0, 0, NULL, 0, 0 };
	const char **top = xmalloc((n ? n : 1) * sizeof(*top));
	size_t k = 0;
	duban_result result;
	/* sorted, a path under another one adds nothing: its subtree is in
	 * the other's, and the ranges stay disjoint */
	if (n) {
		memcpy(top, paths, n * sizeof(*top));
		qsort(top, n, sizeof(*top), cmp_str);
	}
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strncmp(top[i], top[k - 1], strlen(top[k - 1])))
			top[k++] = top[i];
	if (k > MAX_SLOTS) {
		/* more than any page: the whole campaign */
		result = load_set(c, &s, params, as_of, ts, err);
		free(top);
		return result;
	}
	s.paths = top;
	s.npaths = k;
	for (size_t i = 0; i < sizeof(slot_buckets) / sizeof(slot_buckets[0]);
	     i++) {
		if (slot_buckets[i] >= k) {
			s.slots = slot_buckets[i];
			break;
		}
	}
	if (k == 0) {
		memset(ts, 0, sizeof(*ts));
		result = workcal_light_inputs(&ts->in, as_of, params, err);
	} else {
		result = load_set(c, &s, params, as_of, ts, err);
	}
	free(top);
	return result;
}

/* progress bottom-up, then each task's light */
static void compute(struct taskset *ts, int32_t as_of)
{
	/* children have larger ids: walking down the ids finishes every
	 * child before its parent */
	for (size_t i = ts->n; i-- > 0;) {
		struct ts_task *t = &ts->t[i];
		t->progress = t->nchildren ? t->child_sum / t->nchildren
					   : leaf_progress(ts, t);
		struct ts_task *p =
			t->parent_id ? find_mut(ts, t->parent_id) : NULL;
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
}

/*
 * The cache of whole campaigns' sets.
 *
 * An entry is a campaign's set computed for one day's light inputs from
 * the data at one stamp (campaign_stamps, moved on by triggers by every
 * write of any process to what the set is computed from).  A request reads
 * the stamp in its own snapshot: an entry with that stamp and those inputs
 * holds exactly what the request would compute.  Inside a write unit the
 * cache is neither read nor filled: what that unit sees may never commit.
 *
 * Entries are shared by reference: replacing or evicting one only unlinks
 * it, and the last reference frees it.  Requests that need a whole
 * campaign (its lights, red tasks, roll-ups) fill the cache with what they
 * computed anyway; requests that need a few subtrees (a task, a page) load
 * just those on a miss and leave the whole campaign to the builder thread,
 * which spends at most a fifth of its time building (after a build of T
 * it rests 4 T; what is asked for meanwhile is built after the rest), so
 * that a stream of writes does not keep a core busy.
 */
struct ts_entry {
	uint64_t store;
	int64_t campaign, stamp;
	struct light_inputs in;
	struct taskset ts;
	int refs;
	bool linked;
	uint64_t used;
};

struct ts_job {
	struct store *s;
	int64_t campaign;
	struct light_params params;
	int32_t as_of;
};

#define BUILD_PAUSE 4 /* the builder rests BUILD_PAUSE times a build's time */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* by taskset_cache_start() */
	_Atomic bool on; /* read without the lock */
	bool stopping, job_ready;
	pthread_t builder;
	struct ts_job job;
	uint64_t next_build_ns;
	size_t max_entries, max_tasks;
	struct ts_entry **e;
	size_t n, tasks;
	uint64_t tick;
	struct taskset_cache_stats stats;
} cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static bool same_inputs(const struct light_inputs *a,
			const struct light_inputs *b)
{
	return a->as_of == b->as_of && a->due_soon_until == b->due_soon_until &&
	       a->report_window_passed == b->report_window_passed &&
	       a->prev_month_start == b->prev_month_start &&
	       a->prev_month_end == b->prev_month_end &&
	       a->due_soon_provisional == b->due_soon_provisional &&
	       a->report_due_provisional == b->report_due_provisional &&
	       strcmp(a->prev_period, b->prev_period) == 0;
}

static void entry_free(struct ts_entry *e)
{
	taskset_release(&e->ts);
	free(e);
}

/* under cache.lock: unlinks entry i; frees it when nobody holds it */
static void unlink_at(size_t i)
{
	struct ts_entry *e = cache.e[i];
	cache.tasks -= e->ts.n;
	cache.e[i] = cache.e[--cache.n];
	e->linked = false;
	if (e->refs == 0)
		entry_free(e);
}

/* under cache.lock: the entry for this key, or its index in *at (-1) */
static struct ts_entry *entry_find(uint64_t store, int64_t campaign,
				   const struct light_inputs *in,
				   ptrdiff_t *at)
{
	for (size_t i = 0; i < cache.n; i++) {
		struct ts_entry *e = cache.e[i];
		if (e->store == store && e->campaign == campaign &&
		    same_inputs(&e->in, in)) {
			*at = (ptrdiff_t)i;
			return e;
		}
	}
	*at = -1;
	return NULL;
}

/* The entry computed at stamp, held; NULL when there is none.  *newer says
 * whether the cache already holds a later stamp (no build needed). */
static struct ts_entry *entry_get(uint64_t store, int64_t campaign,
				  int64_t stamp, const struct light_inputs *in,
				  bool *newer)
{
	ptrdiff_t at;
	pthread_mutex_lock(&cache.lock);
	struct ts_entry *e = entry_find(store, campaign, in, &at);
	*newer = e && e->stamp > stamp;
	if (e && e->stamp == stamp) {
		e->refs++;
		e->used = ++cache.tick;
		cache.stats.hits++;
	} else {
		e = NULL;
		cache.stats.misses++;
	}
	pthread_mutex_unlock(&cache.lock);
	return e;
}

/* Links e (held by the caller or not) unless a later one is there. */
static void entry_put(struct ts_entry *e)
{
	ptrdiff_t at;
	pthread_mutex_lock(&cache.lock);
	struct ts_entry *old = entry_find(e->store, e->campaign, &e->in, &at);
	if (old && old->stamp >= e->stamp) {
		pthread_mutex_unlock(&cache.lock);
		return; /* stays the caller's alone */
	}
	if (old)
		unlink_at((size_t)at);
	/* make room, least recently used first */
	while (cache.n &&
	       (cache.n >= cache.max_entries ||
		cache.tasks + e->ts.n > cache.max_tasks)) {
		size_t lru = 0;
		for (size_t i = 1; i < cache.n; i++)
			if (cache.e[i]->used < cache.e[lru]->used)
				lru = i;
		unlink_at(lru);
	}
	if (e->ts.n <= cache.max_tasks) {
		cache.e[cache.n++] = e;
		cache.tasks += e->ts.n;
		e->linked = true;
		e->used = ++cache.tick;
	}
	pthread_mutex_unlock(&cache.lock);
}

static void entry_drop(struct ts_entry *e)
{
	pthread_mutex_lock(&cache.lock);
	bool gone = --e->refs == 0 && !e->linked;
	pthread_mutex_unlock(&cache.lock);
	if (gone)
		entry_free(e);
}

static duban_result read_stamp(struct store_conn *c, int64_t campaign,
			       int64_t *stamp, bool *found,
			       struct duban_error *err)
{
	struct store_stmt *st;
	duban_result result = store_prepare(
		c, "SELECT stamp FROM campaign_stamps WHERE campaign_id = ?",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, campaign);
	return store_one_int(st, stamp, found, err);
}

/* Loads a whole campaign into a new entry at stamp, held once. */
static duban_result entry_load(struct store_conn *c, int64_t campaign,
			       int64_t stamp, const struct light_inputs *in,
			       const struct light_params *params,
			       struct ts_entry **out, struct duban_error *err)
{
	struct ts_entry *e = xcalloc(1, sizeof(*e));
	duban_result result = taskset_load(c, campaign, NULL, params,
					   in->as_of, &e->ts, err);
	if (result) {
		free(e);
		return result;
	}
	e->store = store_serial(store_conn_store(c));
	e->campaign = campaign;
	e->stamp = stamp;
	e->in = *in;
	e->refs = 1;
	*out = e;
	return DUBAN_OK;
}

/* what a look into the cache found */
struct lookup {
	struct light_inputs in;
	int64_t stamp;
	bool found; /* the campaign has a stamp: the cache may serve it */
	bool newer; /* a later set is cached: no build needed */
};

/*
 * Points ref at the cached entry for this request's snapshot (held), or
 * leaves ref->ts NULL with what filling it needs in *lk.
 */
static duban_result cache_lookup(struct store_conn *c, int64_t campaign,
				 const struct light_params *params,
				 int32_t as_of, struct taskset_ref *ref,
				 struct lookup *lk, struct duban_error *err)
{
	duban_result result;
	memset(ref, 0, sizeof(*ref));
	memset(lk, 0, sizeof(*lk));
	if (!cache.on || store_conn_writing(c))
		return DUBAN_OK;
	if ((result = workcal_light_inputs(&lk->in, as_of, params, err)) ||
	    (result = read_stamp(c, campaign, &lk->stamp, &lk->found, err)))
		return result;
	struct ts_entry *e =
		lk->found ? entry_get(store_serial(store_conn_store(c)),
				      campaign, lk->stamp, &lk->in, &lk->newer)
			  : NULL;
	if (e) {
		ref->entry = e;
		ref->ts = &e->ts;
	}
	return DUBAN_OK;
}

duban_result taskset_campaign(struct store_conn *c, int64_t campaign_id,
			      const struct light_params *params,
			      int32_t as_of, struct taskset_ref *ref,
			      struct duban_error *err)
{
	struct lookup lk;
	struct ts_entry *e;
	duban_result result = cache_lookup(c, campaign_id, params, as_of, ref,
					   &lk, err);
	if (result || ref->ts)
		return result;
	if (!lk.found) {
		result = taskset_load(c, campaign_id, NULL, params, as_of,
				      &ref->own, err);
		ref->ts = &ref->own;
		return result;
	}
	if ((result = entry_load(c, campaign_id, lk.stamp, &lk.in, params, &e,
				 err)))
		return result;
	entry_put(e);
	ref->entry = e;
	ref->ts = &e->ts;
	return DUBAN_OK;
}

/* Hands the builder a campaign to build (the latest asked for wins). */
static void build_later(struct store_conn *c, int64_t campaign,
			const struct light_params *params, int32_t as_of)
{
	pthread_mutex_lock(&cache.lock);
	if (cache.on && !cache.stopping) {
		cache.job = (struct ts_job){ store_conn_store(c), campaign,
					     *params, as_of };
		cache.job_ready = true;
		pthread_cond_signal(&cache.wake);
	}
	pthread_mutex_unlock(&cache.lock);
}

duban_result taskset_subtrees(struct store_conn *c, int64_t campaign_id,
			      const char *const *paths, size_t n,
			      const struct light_params *params,
			      int32_t as_of, struct taskset_ref *ref,
			      struct duban_error *err)
{
	struct lookup lk;
	duban_result result = cache_lookup(c, campaign_id, params, as_of, ref,
					   &lk, err);
	if (result || ref->ts)
		return result;
	if (lk.found && !lk.newer)
		build_later(c, campaign_id, params, as_of);
	result = taskset_load_paths(c, campaign_id, paths, n, params, as_of,
				    &ref->own, err);
	ref->ts = &ref->own;
	return result;
}

void taskset_ref_release(struct taskset_ref *ref)
{
	if (ref->entry)
		entry_drop(ref->entry);
	taskset_release(&ref->own);
	memset(ref, 0, sizeof(*ref));
}

static duban_result build_work(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	const struct ts_job *job = ctx;
	struct taskset_ref ref;
	struct lookup lk;
	struct ts_entry *e;
	duban_result result = cache_lookup(c, job->campaign, &job->params,
					   job->as_of, &ref, &lk, err);
	if (result || ref.ts || !lk.found || lk.newer) {
		taskset_ref_release(&ref); /* someone was first */
		return result;
	}
	if ((result = entry_load(c, job->campaign, lk.stamp, &lk.in,
				 &job->params, &e, err)))
		return result;
	entry_put(e);
	entry_drop(e);
	pthread_mutex_lock(&cache.lock);
	cache.stats.builds++;
	pthread_mutex_unlock(&cache.lock);
	return DUBAN_OK;
}

/* under cache.lock: waits for a job and for the end of the rest after the
 * last build; false when stopping */
static bool wait_for_job(void)
{
	for (;;) {
		if (cache.stopping)
			return false;
		uint64_t now = now_ns();
		if (cache.job_ready && now >= cache.next_build_ns)
			return true;
		if (!cache.job_ready) {
			pthread_cond_wait(&cache.wake, &cache.lock);
			continue;
		}
		struct timespec until = {
			.tv_sec = (time_t)(cache.next_build_ns / 1000000000u),
			.tv_nsec = (long)(cache.next_build_ns % 1000000000u),
		};
		pthread_cond_timedwait(&cache.wake, &cache.lock, &until);
	}
}

static void *builder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cache.lock);
	while (wait_for_job()) {
		struct ts_job job = cache.job;
		cache.job_ready = false;
		pthread_mutex_unlock(&cache.lock);
		struct duban_error err;
		uint64_t t0 = now_ns();
		if (store_read(job.s, build_work, &job, &err))
			log_write(LOG_WARN, "taskset cache: campaign %lld: %s",
				  (long long)job.campaign, err.message);
		uint64_t t1 = now_ns();
		pthread_mutex_lock(&cache.lock);
		cache.next_build_ns = t1 + BUILD_PAUSE * (t1 - t0);
	}
	pthread_mutex_unlock(&cache.lock);
	return NULL;
}

void taskset_cache_start(size_t max_entries, size_t max_tasks)
{
	pthread_condattr_t attr;
	pthread_mutex_lock(&cache.lock);
	if (!cache.on && max_entries && max_tasks) {
		/* the builder's rest is timed on the monotonic clock */
		pthread_condattr_init(&attr);
		pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		pthread_cond_init(&cache.wake, &attr);
		pthread_condattr_destroy(&attr);
		cache.max_entries = max_entries;
		cache.max_tasks = max_tasks;
		cache.e = xcalloc(max_entries, sizeof(*cache.e));
		cache.stopping = false;
		cache.next_build_ns = 0;
		if (pthread_create(&cache.builder, NULL, builder, NULL) == 0) {
			cache.on = true;
		} else {
			free(cache.e);
			cache.e = NULL;
			pthread_cond_destroy(&cache.wake);
		}
	}
	pthread_mutex_unlock(&cache.lock);
}

void taskset_cache_stop(void)
{
	pthread_mutex_lock(&cache.lock);
	bool on = cache.on;
	cache.stopping = true;
	cache.on = false;
	if (on)
		pthread_cond_broadcast(&cache.wake);
	pthread_mutex_unlock(&cache.lock);
	if (!on)
		return;
	pthread_join(cache.builder, NULL);
	pthread_mutex_lock(&cache.lock);
	while (cache.n)
		unlink_at(cache.n - 1);
	free(cache.e);
	cache.e = NULL;
	cache.job_ready = false;
	pthread_cond_destroy(&cache.wake);
	pthread_mutex_unlock(&cache.lock);
}

void taskset_cache_get_stats(struct taskset_cache_stats *out)
{
	pthread_mutex_lock(&cache.lock);
	*out = cache.stats;
	out->entries = cache.n;
	out->tasks = cache.tasks;
	pthread_mutex_unlock(&cache.lock);
}
