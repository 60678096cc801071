/*
 * cmd_calendar.c - `duban calendar add|is-workday|workdays|import|years|
 * show`.
 *
 * The shipped years are always there; when the database named by --db
 * exists, the years imported into it are overlaid, as the server does, and
 * every other year is provisional (core/statutory.h).  An answer that rests
 * on a provisional day still stands (exit 0) with a warning on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/workcal.h"
#include "base/date.h"
#include "cli/cli.h"
#include "store/store.h"

static bool db_exists(const char *db)
{
	if (strstr(db, "://"))
		return true;
	return access(db, F_OK) == 0;
}

/* Loads the calendar; *s is the open store or NULL when there is none. */
static duban_result load(struct cli_opts *o, bool need_db, struct store **s,
			 struct duban_error *err)
{
	duban_result result;
	*s = NULL;
	if (need_db || db_exists(o->str[OPT_DB])) {
		if ((result = cli_open_store(o, s, err)))
			return result;
	}
	return workcal_load(*s, err);
}

static duban_result parse_date(const char *s, const char *what, int32_t *out,
			       struct duban_error *err)
{
	if (!s || !date_parse(s, strlen(s), out))
		return duban_fail(err, DUBAN_E_INVALID, what,
				  "bad date '%s': expected YYYY-MM-DD, a real "
				  "calendar day",
				  s ? s : "");
	return DUBAN_OK;
}

/* Warns that an answer counted days from first to last (inclusive) of
 * which some follow a provisional schedule. */
static void warn_provisional(int32_t first, int32_t last)
{
	int a, b, m, d;
	char years[64] = "";
	size_t n = 0;
	date_to_ymd(first < last ? first : last, &a, &m, &d);
	date_to_ymd(first < last ? last : first, &b, &m, &d);
	for (int y = a; y <= b && n < sizeof(years) - 8; y++)
		if (workcal_year_provisional(y))
			n += (size_t)snprintf(years + n, sizeof(years) - n,
					      "%s%d", n ? ", " : "", y);
	fprintf(stderr,
		"duban: warning: no holiday notice is loaded for %s: the"
		" answer is provisional (statutory holidays and weekends, no"
		" 调休); import the State Council notice with 'duban calendar"
		" import'\n",
		years);
}

static int finish(struct store *s, duban_result result,
		  struct duban_error *err)
{
	workcal_release();
	store_free(s);
	return result ? cli_fail(err) : 0;
}

int cmd_calendar_add(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	int32_t day = 0, out = 0;
	char *end = NULL;
	long n = 0;
	char buf[11];
	duban_result result = DUBAN_OK;
	if (o->nargs != 2) {
		result = duban_fail(&err, DUBAN_E_INVALID, NULL,
				    "usage: duban calendar add DATE N");
		return finish(NULL, result, &err);
	}
	if ((result = parse_date(o->args[0], "date", &day, &err)))
		return finish(NULL, result, &err);
	errno = 0;
	n = strtol(o->args[1], &end, 10);
	if (errno || !*o->args[1] || *end || n < 1 || n > 100000) {
		result = duban_fail(&err, DUBAN_E_INVALID, "n",
				    "N must be a whole number of working days"
				    " from 1 to 100000, not '%s'",
				    o->args[1]);
		return finish(NULL, result, &err);
	}
	if ((result = load(o, false, &s, &err)))
		return finish(s, result, &err);
	bool prov = false;
	result = workcal_add(day, (int)n, &out, &prov, &err);
	if (result == DUBAN_OK) {
		date_format(out, buf);
		printf("%s\n", buf);
		if (prov)
			warn_provisional(day + 1, out);
	}
	return finish(s, result, &err);
}

int cmd_calendar_is_workday(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	int32_t day = 0;
	bool work = false;
	duban_result result = DUBAN_OK;
	if (o->nargs != 1) {
		result = duban_fail(&err, DUBAN_E_INVALID, NULL,
				    "usage: duban calendar is-workday DATE");
		return finish(NULL, result, &err);
	}
	if ((result = parse_date(o->args[0], "date", &day, &err)))
		return finish(NULL, result, &err);
	if ((result = load(o, false, &s, &err)))
		return finish(s, result, &err);
	bool prov = false;
	result = workcal_is_workday(day, &work, &prov, &err);
	if (result == DUBAN_OK) {
		printf("%s\n", work ? "workday" : "off");
		if (prov)
			warn_provisional(day, day);
	}
	return finish(s, result, &err);
}

int cmd_calendar_workdays(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	int32_t from = 0, to = 0;
	int64_t n = 0;
	duban_result result = DUBAN_OK;
	if (o->nargs != 2) {
		result = duban_fail(&err, DUBAN_E_INVALID, NULL,
				    "usage: duban calendar workdays FROM TO");
		return finish(NULL, result, &err);
	}
	if ((result = parse_date(o->args[0], "from", &from, &err)) ||
	    (result = parse_date(o->args[1], "to", &to, &err)))
		return finish(NULL, result, &err);
	if ((result = load(o, false, &s, &err)))
		return finish(s, result, &err);
	bool prov = false;
	result = workcal_between(from, to, &n, &prov, &err);
	if (result == DUBAN_OK) {
		printf("%lld\n", (long long)n);
		if (prov)
			warn_provisional(from, to);
	}
	return finish(s, result, &err);
}

int cmd_calendar_import(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	json_t *desc = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	duban_result result = DUBAN_OK;
	struct actor sys;
	if (o->nargs != 1) {
		result = duban_fail(&err, DUBAN_E_INVALID, NULL,
				    "usage: duban calendar import FILE "
				    "[--db PATH]");
		goto out;
	}
	f = fopen(o->args[0], "rb");
	if (!f) {
		result = duban_fail(&err, DUBAN_E_INVALID, "file",
				    "unable to open '%s': %s", o->args[0],
				    strerror(errno));
		goto out;
	}
	buf = malloc(1024 * 1024 + 1);
	len = buf ? fread(buf, 1, 1024 * 1024 + 1, f) : 0;
	if (!buf || len > 1024 * 1024) {
		result = duban_fail(&err, DUBAN_E_INVALID, "file",
				    "'%s' is larger than 1 MiB", o->args[0]);
		goto out;
	}
	if ((result = load(o, true, &s, &err)))
		goto out;
	actor_system(&sys, "duban calendar import");
	result = workcal_import(s, &sys, buf, len, NULL, &desc, &err);
	if (result == DUBAN_OK)
		printf("imported the schedule of %lld from '%s'\n",
		       (long long)json_integer_value(
			       json_object_get(desc, "year")),
		       o->args[0]);
out:
	if (f)
		fclose(f);
	free(buf);
	json_decref(desc);
	return finish(s, result, &err);
}

int cmd_calendar_years(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	json_t *years = NULL, *y;
	size_t i;
	int ty, tm, td;
	duban_result result = DUBAN_OK;
	if (o->nargs != 0) {
		result = duban_fail(&err, DUBAN_E_INVALID, NULL,
				    "usage: duban calendar years [--db PATH]");
		return finish(NULL, result, &err);
	}
	if ((result = load(o, false, &s, &err)))
		return finish(s, result, &err);
	date_to_ymd(date_today(), &ty, &tm, &td);
	if ((result = workcal_years(ty, &years, &err)))
		return finish(s, result, &err);
	json_array_foreach(json_object_get(years, "items"), i, y)
	{
		json_t *notices = json_object_get(y, "notices");
		json_t *last = json_array_get(notices,
					      json_array_size(notices) - 1);
		printf("%lld\t%s\t%lld holidays\t%lld adjusted\t%s\n",
		       (long long)json_integer_value(json_object_get(y, "year")),
		       json_string_value(json_object_get(y, "source")),
		       (long long)json_integer_value(
			       json_object_get(y, "holiday_days")),
		       (long long)json_integer_value(
			       json_object_get(y, "adjusted_workdays")),
		       last ? json_string_value(json_object_get(last, "number"))
			    : "-");
	}
	json_decref(years);
	return finish(s, result, &err);
}

int cmd_calendar_show(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	json_t *year = NULL, *r;
	char *end = NULL;
	long n = 0;
	size_t i;
	duban_result result = DUBAN_OK;
	if (o->nargs == 1) {
		errno = 0;
		n = strtol(o->args[0], &end, 10);
	}
	if (o->nargs != 1 || errno || !*o->args[0] || *end || n < 1900 ||
	    n > 2200) {
		result = duban_fail(&err, DUBAN_E_INVALID, NULL,
				    "usage: duban calendar show YEAR (1900 to"
				    " 2200)");
		return finish(NULL, result, &err);
	}
	if ((result = load(o, false, &s, &err)))
		return finish(s, result, &err);
	if ((result = workcal_year((int)n, &year, &err)))
		return finish(s, result, &err);
	printf("year %ld (%s)\n", n,
	       json_string_value(json_object_get(year, "source")));
	json_array_foreach(json_object_get(year, "notices"), i, r)
		printf("notice %s %s %s\n",
		       json_string_value(json_object_get(r, "number")),
		       json_string_value(json_object_get(r, "date")),
		       json_string_value(json_object_get(r, "title")));
	json_array_foreach(json_object_get(year, "ranges"), i, r)
		printf("%-4s %s %s %s\n",
		       json_string_value(json_object_get(r, "kind")),
		       json_string_value(json_object_get(r, "first")),
		       json_string_value(json_object_get(r, "last")),
		       json_string_value(json_object_get(r, "name")));
	if (json_is_true(json_object_get(year, "provisional")))
		warn_provisional(date_from_ymd((int)n, 1, 1),
				 date_from_ymd((int)n, 1, 1));
	json_decref(year);
	return finish(s, result, &err);
}
