/*
 * metrics.c - request counts and latency histograms per route, in the
 * Prometheus text format.  Counters are updated with atomic adds, so the
 * hot path takes no lock.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/taskset.h"
#include "base/xalloc.h"
#include "http/http.h"
#include "http/server_internal.h"

#define MAX_ROUTES 256
#define NBUCKETS 12

static const double bounds[NBUCKETS - 1] = { 0.001, 0.0025, 0.005, 0.01,
					     0.025, 0.05,   0.1,   0.25,
					     0.5,   1.0,    2.5 };

struct route_metrics {
	uint64_t by_class[6]; /* 1xx..5xx at [1..5] */
	uint64_t buckets[NBUCKETS];
	uint64_t sum_us;
};

/* the last slot counts requests that matched no route */
static struct route_metrics metrics[MAX_ROUTES + 1];

void metrics_record(int route_index, int status, double seconds)
{
	if (route_index < 0 || route_index >= MAX_ROUTES)
		route_index = MAX_ROUTES;
	struct route_metrics *m = &metrics[route_index];
	int cls = status / 100;
	int b = 0;
	if (cls < 1 || cls > 5)
		cls = 5;
	while (b < NBUCKETS - 1 && seconds > bounds[b])
		b++;
	__atomic_fetch_add(&m->by_class[cls], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->buckets[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->sum_us, (uint64_t)(seconds * 1e6),
			   __ATOMIC_RELAXED);
}

struct out {
	char *buf;
	size_t len, cap;
};

static void outf(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < o->cap - o->len) {
			o->len += (size_t)n;
			return;
		}
		o->cap = o->cap * 2 + (size_t)(n > 0 ? n : 0);
		o->buf = xrealloc(o->buf, o->cap);
	}
}

static void route_label(int i, char *buf, size_t n)
{
	const struct route *rt = i < MAX_ROUTES ? api_route(i) : NULL;
	if (!rt)
		snprintf(buf, n, "unmatched");
	else
		snprintf(buf, n, "%s %s", rt->method, rt->pattern);
}

char *metrics_render(struct server *srv, size_t *len)
{
	struct out o = { xmalloc(8192), 0, 8192 };
	struct store_stats st;
	char label[300];
	outf(&o, "# HELP duban_http_requests_total HTTP requests by route "
		 "and status class.\n"
		 "# TYPE duban_http_requests_total counter\n");
	for (int i = 0; i <= MAX_ROUTES; i++) {
		if (i < MAX_ROUTES && i >= api_route_total())
			continue;
		route_label(i, label, sizeof(label));
		for (int c = 1; c <= 5; c++) {
			uint64_t v = __atomic_load_n(&metrics[i].by_class[c],
						     __ATOMIC_RELAXED);
			if (v)
				outf(&o,
				     "duban_http_requests_total{route=\"%s\","
				     "code=\"%dxx\"} %llu\n",
				     label, c, (unsigned long long)v);
		}
	}
	outf(&o, "# HELP duban_http_request_duration_seconds Request "
		 "latency by route.\n"
		 "# TYPE duban_http_request_duration_seconds histogram\n");
	for (int i = 0; i <= MAX_ROUTES; i++) {
		if (i < MAX_ROUTES && i >= api_route_total())
			continue;
		uint64_t total = 0;
		for (int b = 0; b < NBUCKETS; b++)
			total += __atomic_load_n(&metrics[i].buckets[b],
						 __ATOMIC_RELAXED);
		if (!total)
			continue;
		route_label(i, label, sizeof(label));
		uint64_t cum = 0;
		for (int b = 0; b < NBUCKETS; b++) {
			cum += __atomic_load_n(&metrics[i].buckets[b],
					       __ATOMIC_RELAXED);
			if (b < NBUCKETS - 1)
				outf(&o,
				     "duban_http_request_duration_seconds_"
				     "bucket{route=\"%s\",le=\"%g\"} %llu\n",
				     label, bounds[b], (unsigned long long)cum);
			else
				outf(&o,
				     "duban_http_request_duration_seconds_"
				     "bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
				     label, (unsigned long long)cum);
		}
		outf(&o,
		     "duban_http_request_duration_seconds_sum{route=\"%s\"} "
		     "%.6f\n"
		     "duban_http_request_duration_seconds_count{route=\"%s\"}"
		     " %llu\n",
		     label,
		     (double)__atomic_load_n(&metrics[i].sum_us,
					     __ATOMIC_RELAXED) /
			     1e6,
		     label, (unsigned long long)total);
	}
	store_get_stats(server_store(srv), &st);
	outf(&o,
	     "# TYPE duban_db_readers gauge\nduban_db_readers %d\n"
	     "# TYPE duban_db_readers_busy gauge\nduban_db_readers_busy %d\n"
	     "# TYPE duban_db_reads_total counter\nduban_db_reads_total %llu\n"
	     "# TYPE duban_db_read_waits_total counter\n"
	     "duban_db_read_waits_total %llu\n"
	     "# TYPE duban_db_writes_total counter\n"
	     "duban_db_writes_total %llu\n"
	     "# TYPE duban_db_write_failures_total counter\n"
	     "duban_db_write_failures_total %llu\n"
	     "# TYPE duban_http_in_flight gauge\nduban_http_in_flight %d\n",
	     st.readers, st.readers_busy, (unsigned long long)st.reads,
	     (unsigned long long)st.read_waits, (unsigned long long)st.writes,
	     (unsigned long long)st.write_failures, server_in_flight(srv));
	/* group commit: writes / batches is the mean batch size, and
	 * commit seconds / batches the mean time a COMMIT (fsync) takes */
	outf(&o,
	     "# HELP duban_db_write_batches_total Write transactions, each "
	     "committing a batch of units.\n"
	     "# TYPE duban_db_write_batches_total counter\n"
	     "duban_db_write_batches_total %llu\n"
	     "# HELP duban_db_commit_seconds Time spent committing batches.\n"
	     "# TYPE duban_db_commit_seconds summary\n"
	     "duban_db_commit_seconds_sum %.6f\n"
	     "duban_db_commit_seconds_count %llu\n"
	     "# TYPE duban_db_commit_seconds_max gauge\n"
	     "duban_db_commit_seconds_max %.6f\n",
	     (unsigned long long)st.write_batches, st.commit_seconds,
	     (unsigned long long)st.write_batches, st.commit_seconds_max);
	/* the cache of campaigns' computed progress and lights */
	struct taskset_cache_stats cs;
	taskset_cache_get_stats(&cs);
	outf(&o,
	     "# HELP duban_task_cache_hits_total Requests served a campaign's "
	     "progress and lights from the cache.\n"
	     "# TYPE duban_task_cache_hits_total counter\n"
	     "duban_task_cache_hits_total %llu\n"
	     "# TYPE duban_task_cache_misses_total counter\n"
	     "duban_task_cache_misses_total %llu\n"
	     "# HELP duban_task_cache_builds_total Campaigns loaded whole by "
	     "the cache's builder thread.\n"
	     "# TYPE duban_task_cache_builds_total counter\n"
	     "duban_task_cache_builds_total %llu\n"
	     "# TYPE duban_task_cache_tasks gauge\nduban_task_cache_tasks %zu\n",
	     (unsigned long long)cs.hits, (unsigned long long)cs.misses,
	     (unsigned long long)cs.builds, cs.tasks);
	*len = o.len;
	return o.buf;
}
