/*
 * cmd_calendar.c - `duban calendar add|is-workday|workdays|import|years`.
 *
 * The shipped years are always there; when the database named by --db
 * exists, the years imported into it are overlaid, as the server does.
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
	result = workcal_add(day, (int)n, &out, &err);
	if (result == DUBAN_OK) {
		date_format(out, buf);
		printf("%s\n", buf);
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
	result = workcal_is_workday(day, &work, &err);
	if (result == DUBAN_OK)
		printf("%s\n", work ? "workday" : "off");
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
	result = workcal_between(from, to, &n, &err);
	if (result == DUBAN_OK)
		printf("%lld\n", (long long)n);
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
