#include "app/workcal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "base/date.h"
#include "base/log.h"
#include "core/calendar.h"
#include "core/calendar_builtin.h"
#include "core/statutory.h"

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct calendar *current;
/* which years came from the database, for the listing */
static bool imported[CALENDAR_YEAR_MAX - CALENDAR_YEAR_MIN + 1];

static duban_result load_imported(struct store_conn *c, void *ctx,
				  struct duban_error *err)
{
	struct calendar *cal = ctx;
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c, "SELECT year, content FROM calendar_years ORDER BY year",
		&st, err);
	if (result)
		return result;
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		int year = 0;
		result = calendar_load_text(cal, store_col_text(st, 1),
					    store_col_len(st, 1), &year, err);
		if (result) {
			LOG(LOG_ERROR, "stored calendar year %lld: %s",
			    (long long)store_col_int(st, 0), err->message);
			break;
		}
		imported[year - CALENDAR_YEAR_MIN] = true;
	}
	store_reset(st);
	return result;
}

duban_result workcal_load(struct store *s, struct duban_error *err)
{
	struct calendar *cal = calendar_new();
	duban_result result = calendar_load_builtin(cal, err);
	if (result == DUBAN_OK && s)
		result = store_read(s, load_imported, cal, err);
	if (result) {
		calendar_free(cal);
		return result;
	}
	calendar_fill_provisional(cal, STATUTORY_YEAR_MIN, STATUTORY_YEAR_MAX);
	pthread_rwlock_wrlock(&lock);
	calendar_free(current);
	current = cal;
	pthread_rwlock_unlock(&lock);
	return DUBAN_OK;
}

void workcal_release(void)
{
	pthread_rwlock_wrlock(&lock);
	calendar_free(current);
	current = NULL;
	pthread_rwlock_unlock(&lock);
}

static duban_result not_loaded(struct duban_error *err)
{
	return duban_fail(err, DUBAN_E_INTERNAL, NULL,
			  "the working-day calendar is not loaded");
}

duban_result workcal_is_workday(int32_t day, bool *out, bool *provisional,
				struct duban_error *err)
{
	pthread_rwlock_rdlock(&lock);
	duban_result result = current ? calendar_is_workday(current, day, out,
							    err)
				       : not_loaded(err);
	if (result == DUBAN_OK && provisional)
		*provisional = calendar_is_provisional(current, day);
	pthread_rwlock_unlock(&lock);
	return result;
}

duban_result workcal_add(int32_t day, int n, int32_t *out, bool *provisional,
			 struct duban_error *err)
{
	pthread_rwlock_rdlock(&lock);
	duban_result result = current ? calendar_add(current, day, n, out, err)
				       : not_loaded(err);
	/* the days counted are those after day up to the answer */
	if (result == DUBAN_OK && provisional)
		*provisional = calendar_span_provisional(current, day + 1, *out);
	pthread_rwlock_unlock(&lock);
	return result;
}

duban_result workcal_between(int32_t from, int32_t to, int64_t *out,
			     bool *provisional, struct duban_error *err)
{
	pthread_rwlock_rdlock(&lock);
	duban_result result =
		current ? calendar_workdays_between(current, from, to, out, err)
			: not_loaded(err);
	if (result == DUBAN_OK && provisional)
		*provisional = from != to &&
			       calendar_span_provisional(
				       current, (from < to ? from : to) + 1,
				       from < to ? to : from);
	pthread_rwlock_unlock(&lock);
	return result;
}

bool workcal_year_provisional(int year)
{
	pthread_rwlock_rdlock(&lock);
	bool p = current && calendar_year_provisional(current, year);
	pthread_rwlock_unlock(&lock);
	return p;
}

duban_result workcal_light_inputs(struct light_inputs *in, int32_t as_of,
				  const struct light_params *p,
				  struct duban_error *err)
{
	pthread_rwlock_rdlock(&lock);
	duban_result result =
		current ? lights_inputs_init(in, as_of, p, current, err)
			: not_loaded(err);
	pthread_rwlock_unlock(&lock);
	return result;
}

static const char *source_of(const struct calendar_year *y)
{
	if (y->provisional)
		return "provisional";
	return imported[y->year - CALENDAR_YEAR_MIN] ? "imported" : "builtin";
}

static json_t *year_json(const struct calendar_year *y, const char *source)
{
	json_t *notices = json_array(), *holidays = json_array();
	char date[11], last[11];
	size_t off = 0, work = 0;
	for (size_t i = 0; i < y->nnotices; i++) {
		date_format(y->notices[i].date, date);
		json_array_append_new(
			notices, json_pack("{s:s, s:s, s:s}", "number",
					   y->notices[i].number, "date", date,
					   "title", y->notices[i].title));
	}
	for (size_t i = 0; i < y->nranges; i++) {
		const struct calendar_range *r = &y->ranges[i];
		size_t days = (size_t)(r->last - r->first) + 1;
		if (r->kind == CALENDAR_OFF)
			off += days;
		else
			work += days;
		date_format(r->first, date);
		date_format(r->last, last);
		json_array_append_new(
			holidays,
			json_pack("{s:s, s:s, s:s, s:s}", "kind",
				  r->kind == CALENDAR_OFF ? "off" : "work",
				  "first", date, "last", last, "name",
				  r->name));
	}
	return json_pack("{s:i, s:s, s:b, s:o, s:I, s:I, s:o}", "year",
			 y->year, "source", source, "provisional",
			 y->provisional, "notices", notices, "holiday_days",
			 (json_int_t)off, "adjusted_workdays",
			 (json_int_t)work, "ranges", holidays);
}

static const struct calendar_year *find_year(const struct calendar *cal,
					     int year)
{
	for (size_t i = 0; i < calendar_year_count(cal); i++)
		if (calendar_year_at(cal, i)->year == year)
			return calendar_year_at(cal, i);
	return NULL;
}

/* The latest issue date among a year's notices, or INT32_MIN. */
static int32_t latest_notice(const struct calendar_year *y)
{
	int32_t d = INT32_MIN;
	for (size_t i = 0; i < y->nnotices; i++)
		if (y->notices[i].date > d)
			d = y->notices[i].date;
	return d;
}

/*
 * A year that has its notice is replaced only by a later notice (an
 * amendment, as 国办发明电〔2020〕1号 amended the 2020 schedule), never
 * silently: a feed without notices or a copy of the same notice is refused.
 */
static duban_result check_replace(const struct calendar_year *old,
				  const struct calendar_year *next,
				  struct duban_error *err)
{
	char d[11];
	if (!old || old->provisional)
		return DUBAN_OK;
	int32_t was = latest_notice(old);
	if (latest_notice(next) > was)
		return DUBAN_OK;
	if (was == INT32_MIN)
		return duban_fail_code(
			err, DUBAN_E_CONFLICT, "calendar_year_loaded",
			"content",
			"%d is already loaded (%s): only a schedule with a"
			" notice replaces it",
			old->year, source_of(old));
	date_format(was, d);
	return duban_fail_code(
		err, DUBAN_E_CONFLICT, "calendar_year_loaded", "content",
		"%d is already loaded from %s of %s: only a later notice (an"
		" amendment) replaces it",
		old->year, old->notices[old->nnotices - 1].number, d);
}

/* The days of year (and of the window its notice may name) whose status
 * differs between two calendars, as [{date, before, after}]. */
static json_t *changed_days(const struct calendar *before,
			    const struct calendar *after, int year)
{
	json_t *days = json_array();
	int32_t first = date_from_ymd(year - 1, 12, 1);
	int32_t end = date_from_ymd(year + 1, 2, 1);
	for (int32_t d = first; d < end; d++) {
		bool a = false, b = false;
		struct duban_error e;
		bool known_a = calendar_is_workday(before, d, &a, &e) == DUBAN_OK;
		bool known_b = calendar_is_workday(after, d, &b, &e) == DUBAN_OK;
		if (known_a == known_b && a == b)
			continue;
		if (!known_b)
			continue;
		char ds[11];
		date_format(d, ds);
		json_array_append_new(
			days,
			json_pack("{s:s, s:s, s:s}", "date", ds, "before",
				  !known_a ? "unknown" : a ? "workday" : "off",
				  "after", b ? "workday" : "off"));
	}
	return days;
}

struct import_ctx {
	const struct actor *a;
	int year;
	const char *text;
	size_t len;
	const char *source;
	json_t *before;
	json_t *desc;
	json_t *audit_after;
};

static duban_result import_write(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct import_ctx *x = ctx;
	struct store_stmt *st;
	duban_result result = store_prepare(
		c,
		"INSERT INTO calendar_years (year, content, source, imported_at,"
		" imported_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO"
		" UPDATE SET content = excluded.content, source ="
		" excluded.source, imported_at = excluded.imported_at,"
		" imported_by = excluded.imported_by,"
		" version = calendar_years.version + 1",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, x->year);
	store_bind_text(st, 2, x->text, x->len);
	store_bind_str(st, 3, x->source);
	store_bind_int(st, 4, (int64_t)time(NULL));
	store_bind_str(st, 5, x->a->username);
	if ((result = store_run(st, err)))
		return result;
	return audit_append(c, x->a, "calendar_year", x->year, x->a->unit_id,
			    "import", x->before, x->audit_after, err);
}

/* imports one at a time, so that each compares with the one before */
static pthread_mutex_t import_lock = PTHREAD_MUTEX_INITIALIZER;

duban_result workcal_import(struct store *s, const struct actor *a,
			    const char *content, size_t len,
			    const char *format, json_t **out,
			    struct duban_error *err)
{
	struct calendar *scratch = calendar_new(), *next = NULL;
	struct import_ctx x = { a, 0, NULL, 0, NULL, NULL, NULL, NULL };
	char *text = NULL;
	bool ics;
	duban_result result;
	pthread_mutex_lock(&import_lock);
	if (format && strcmp(format, "text") != 0 && strcmp(format, "ics") != 0) {
		result = duban_fail(err, DUBAN_E_INVALID, "format",
				    "format must be text or ics");
		goto out;
	}
	ics = format ? strcmp(format, "ics") == 0
		     : len >= 15 && memmem(content, len < 512 ? len : 512,
					   "BEGIN:VCALENDAR", 15) != NULL;
	result = ics ? calendar_load_ics(scratch, content, len, &x.year, err)
		     : calendar_load_text(scratch, content, len, &x.year, err);
	if (result) {
		if (err && !err->field[0])
			snprintf(err->field, sizeof(err->field), "content");
		goto out;
	}
	/* the database keeps the text form, whatever came in */
	text = calendar_year_text(scratch, x.year, &x.len);
	x.text = text;
	x.source = ics ? "ics" : "text";
	x.desc = year_json(calendar_year_at(scratch, 0), "imported");

	pthread_rwlock_rdlock(&lock);
	if (!current) {
		pthread_rwlock_unlock(&lock);
		result = not_loaded(err);
		goto out;
	}
	const struct calendar_year *old = find_year(current, x.year);
	result = check_replace(old, calendar_year_at(scratch, 0), err);
	if (result == DUBAN_OK) {
		x.before = old ? year_json(old, source_of(old)) : NULL;
		next = calendar_clone(current);
		calendar_merge(next, scratch);
		x.audit_after = json_deep_copy(x.desc);
		json_object_set_new(x.audit_after, "changed_days",
				    changed_days(current, next, x.year));
	}
	pthread_rwlock_unlock(&lock);
	if (result)
		goto out;
	result = store_write(s, import_write, &x, err);
	if (result)
		goto out;
	json_object_set(x.desc, "changed_days",
			json_object_get(x.audit_after, "changed_days"));
	pthread_rwlock_wrlock(&lock);
	calendar_free(current);
	current = next;
	next = NULL;
	imported[x.year - CALENDAR_YEAR_MIN] = true;
	pthread_rwlock_unlock(&lock);
	*out = json_incref(x.desc);
out:
	pthread_mutex_unlock(&import_lock);
	json_decref(x.desc);
	json_decref(x.before);
	json_decref(x.audit_after);
	free(text);
	calendar_free(scratch);
	calendar_free(next);
	return result;
}

duban_result workcal_years(int this_year, json_t **out,
			   struct duban_error *err)
{
	json_t *items = json_array();
	int first = 0, last = 0;
	pthread_rwlock_rdlock(&lock);
	if (!current) {
		pthread_rwlock_unlock(&lock);
		json_decref(items);
		return not_loaded(err);
	}
	for (size_t i = 0; i < calendar_year_count(current); i++) {
		const struct calendar_year *y = calendar_year_at(current, i);
		if (y->provisional)
			continue;
		if (!first)
			first = y->year;
		last = y->year;
	}
	if (!first || this_year < first)
		first = this_year;
	if (last < this_year + 1)
		last = this_year + 1;
	for (size_t i = 0; i < calendar_year_count(current); i++) {
		const struct calendar_year *y = calendar_year_at(current, i);
		if (y->provisional && (y->year < first || y->year > last))
			continue;
		json_array_append_new(items, year_json(y, source_of(y)));
	}
	pthread_rwlock_unlock(&lock);
	*out = json_pack("{s:o}", "items", items);
	return DUBAN_OK;
}

duban_result workcal_year(int year, json_t **out, struct duban_error *err)
{
	duban_result result = DUBAN_OK;
	pthread_rwlock_rdlock(&lock);
	const struct calendar_year *y =
		current ? find_year(current, year) : NULL;
	if (!current)
		result = not_loaded(err);
	else if (!y)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no working-day schedule for year %d",
				    year);
	else
		*out = year_json(y, source_of(y));
	pthread_rwlock_unlock(&lock);
	return result;
}
