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

duban_result workcal_is_workday(int32_t day, bool *out,
				struct duban_error *err)
{
	pthread_rwlock_rdlock(&lock);
	duban_result result = current ? calendar_is_workday(current, day, out,
							    err)
				       : not_loaded(err);
	pthread_rwlock_unlock(&lock);
	return result;
}

duban_result workcal_add(int32_t day, int n, int32_t *out,
			 struct duban_error *err)
{
	pthread_rwlock_rdlock(&lock);
	duban_result result = current ? calendar_add(current, day, n, out, err)
				       : not_loaded(err);
	pthread_rwlock_unlock(&lock);
	return result;
}

duban_result workcal_between(int32_t from, int32_t to, int64_t *out,
			     struct duban_error *err)
{
	pthread_rwlock_rdlock(&lock);
	duban_result result =
		current ? calendar_workdays_between(current, from, to, out, err)
			: not_loaded(err);
	pthread_rwlock_unlock(&lock);
	return result;
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

static json_t *year_json(const struct calendar_year *y, bool from_db)
{
	json_t *notices = json_array();
	char date[11];
	size_t off = 0, work = 0;
	for (size_t i = 0; i < y->nnotices; i++) {
		date_format(y->notices[i].date, date);
		json_array_append_new(
			notices, json_pack("{s:s, s:s, s:s}", "number",
					   y->notices[i].number, "date", date,
					   "title", y->notices[i].title));
	}
	for (size_t i = 0; i < y->nranges; i++) {
		size_t days = (size_t)(y->ranges[i].last - y->ranges[i].first) + 1;
		if (y->ranges[i].kind == CALENDAR_OFF)
			off += days;
		else
			work += days;
	}
	return json_pack("{s:i, s:s, s:o, s:I, s:I}", "year", y->year,
			 "source", from_db ? "imported" : "builtin", "notices",
			 notices, "holiday_days", (json_int_t)off,
			 "adjusted_workdays", (json_int_t)work);
}

struct import_ctx {
	const struct actor *a;
	int year;
	const char *text;
	size_t len;
	const char *source;
	json_t *desc;
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
	return audit_append(c, x->a, "calendar_year", x->year, x->a->unit_id, "import", NULL,
			    x->desc, err);
}

duban_result workcal_import(struct store *s, const struct actor *a,
			    const char *content, size_t len,
			    const char *format, json_t **out,
			    struct duban_error *err)
{
	struct calendar *scratch = calendar_new(), *next = NULL;
	struct import_ctx x = { a, 0, NULL, 0, NULL, NULL };
	char *text = NULL;
	bool ics;
	duban_result result;
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
	x.desc = year_json(calendar_year_at(scratch, 0), true);
	result = store_write(s, import_write, &x, err);
	if (result)
		goto out;
	pthread_rwlock_wrlock(&lock);
	next = current ? calendar_clone(current) : calendar_new();
	calendar_merge(next, scratch);
	calendar_free(current);
	current = next;
	imported[x.year - CALENDAR_YEAR_MIN] = true;
	pthread_rwlock_unlock(&lock);
	*out = json_incref(x.desc);
out:
	json_decref(x.desc);
	free(text);
	calendar_free(scratch);
	return result;
}

duban_result workcal_years(json_t **out, struct duban_error *err)
{
	json_t *items = json_array();
	pthread_rwlock_rdlock(&lock);
	if (!current) {
		pthread_rwlock_unlock(&lock);
		json_decref(items);
		return not_loaded(err);
	}
	for (size_t i = 0; i < calendar_year_count(current); i++) {
		const struct calendar_year *y = calendar_year_at(current, i);
		json_array_append_new(
			items,
			year_json(y, imported[y->year - CALENDAR_YEAR_MIN]));
	}
	pthread_rwlock_unlock(&lock);
	*out = json_pack("{s:o}", "items", items);
	return DUBAN_OK;
}
