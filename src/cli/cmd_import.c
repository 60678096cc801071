/*
 * cmd_import.c - `duban import --db PATH --campaign N [--kind K] FILE`: a
 * problem list or ledger (--kind problems, the default) or a task
 * breakdown (--kind tasks), .xlsx or .csv, imported into a campaign by the
 * system actor, exactly as POST /campaigns/{id}/problems/import and
 * /tasks/import do.  On a terminal it shows its progress on one line;
 * otherwise only the outcome.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/problem_import.h"
#include "app/task_import.h"
#include "app/workcal.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "store/store.h"

static void show_progress(void *ctx, const char *stage, size_t done,
			  size_t total)
{
	(void)ctx;
	if (total)
		printf("\r\033[Kimport: %s %zu/%zu rows (%d%%)", stage, done,
		       total, (int)(done * 100 / total));
	else
		printf("\r\033[Kimport: %s %zu rows", stage, done);
	fflush(stdout);
}

/* Reads the whole file, up to max bytes. */
static duban_result slurp(const char *path, size_t max, char **buf,
			  size_t *len, struct duban_error *err)
{
	struct stat sb;
	FILE *f = fopen(path, "rb");
	duban_result result = DUBAN_OK;
	*buf = NULL;
	if (!f)
		return duban_fail(err, DUBAN_E_INVALID, "file",
				  "unable to open '%s': %s", path,
				  strerror(errno));
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		result = duban_fail(err, DUBAN_E_INVALID, "file",
				    "'%s' is not a file", path);
	} else if ((size_t)sb.st_size > max) {
		result = duban_fail(err, DUBAN_E_TOO_LARGE, "file",
				    "'%s' is larger than %zu bytes (--max-body)",
				    path, max);
	} else {
		*buf = xmalloc((size_t)sb.st_size + 1);
		*len = fread(*buf, 1, (size_t)sb.st_size, f);
		if (*len != (size_t)sb.st_size)
			result = duban_fail(err, DUBAN_E_IO, "file",
					    "unable to read '%s'", path);
	}
	fclose(f);
	return result;
}

/* What --kind names. */
static const struct {
	const char *kind;
	import_fn fn;
} kinds[] = {
	{ "problems", problem_import },
	{ "tasks", task_import },
};

int cmd_import(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	struct import_options opt;
	struct actor sys;
	json_t *out = NULL, *rows = NULL;
	char *buf = NULL;
	size_t len = 0;
	bool tty = isatty(STDOUT_FILENO);
	const char *kind = o->str[OPT_KIND];
	import_fn fn = NULL;
	duban_result result;
	memset(&opt, 0, sizeof(opt));
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(kind, kinds[k].kind) == 0)
			fn = kinds[k].fn;
	if (o->nargs != 1 || !o->str[OPT_CAMPAIGN]) {
		result = duban_fail(&err, DUBAN_E_INVALID, NULL,
				    "usage: duban import --db PATH --campaign N"
				    " [--kind problems|tasks] FILE");
		goto out;
	}
	if (!fn) {
		result = duban_fail(&err, DUBAN_E_INVALID, "kind",
				    "kind must be problems or tasks, not '%s'",
				    kind);
		goto out;
	}
	opt.filename = o->args[0];
	if ((result = slurp(o->args[0], (size_t)o->num[OPT_MAX_BODY], &buf,
			    &len, &err)) ||
	    (result = import_format_detect(NULL, NULL, o->args[0], buf, len,
					   &opt.format, &err)) ||
	    (result = cli_open_store(o, &s, &err)) ||
	    (result = workcal_load(s, &err)))
		goto out;
	if (tty)
		opt.progress = show_progress;
	actor_system(&sys, "duban import");
	result = fn(s, &sys, o->num[OPT_CAMPAIGN], buf, len, &opt, &out, &rows,
		    &err);
	if (tty)
		printf("\r\033[K");
	if (result == DUBAN_OK)
		printf("imported %lld %s into campaign %lld from '%s'\n",
		       (long long)json_integer_value(
			       json_object_get(out, "imported")),
		       kind, (long long)o->num[OPT_CAMPAIGN], o->args[0]);
	size_t i;
	json_t *e;
	json_array_foreach(rows, i, e)
		fprintf(stderr, "duban: row %lld, %s: %s\n",
			(long long)json_integer_value(json_object_get(e, "row")),
			json_string_value(json_object_get(e, "field")),
			json_string_value(json_object_get(e, "message")));
out:
	json_decref(out);
	json_decref(rows);
	free(buf);
	workcal_release();
	store_free(s);
	return result ? cli_fail(&err) : 0;
}
