#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum opt_type { T_STR, T_INT, T_BOOL };

static const struct setting {
	enum opt_id id;
	const char *name;
	const char *env;
	enum opt_type type;
	int64_t min, max;
	const char *dflt;
	const char *help;
} settings[OPT_COUNT] = {
	{ OPT_DB, "db", "DUBAN_DB", T_STR, 0, 0, "var/duban.db",
	  "database: a SQLite file path or a postgresql:// URI" },
	{ OPT_LISTEN, "listen", "DUBAN_LISTEN", T_STR, 0, 0, "127.0.0.1:8080",
	  "address to serve on, HOST:PORT (port 0 picks one)" },
	{ OPT_THREADS, "threads", "DUBAN_THREADS", T_INT, 1, 256, "4",
	  "HTTP worker threads" },
	{ OPT_MAX_BODY, "max-body", "DUBAN_MAX_BODY", T_INT, 1024,
	  1024LL * 1024 * 1024, "10485760",
	  "largest request body in bytes (413 beyond)" },
	{ OPT_SESSION_IDLE, "session-idle", "DUBAN_SESSION_IDLE", T_INT, 1,
	  86400 * 7, "1800", "seconds a session may stay idle" },
	{ OPT_DB_READERS, "db-readers", "DUBAN_DB_READERS", T_INT, 1, 64, "4",
	  "read connections in the pool" },
	{ OPT_LOG_LEVEL, "log-level", "DUBAN_LOG_LEVEL", T_STR, 0, 0, "info",
	  "error, warn, info or debug" },
	{ OPT_ACCESS_LOG, "access-log", "DUBAN_ACCESS_LOG", T_BOOL, 0, 1, "1",
	  "one log line per request (1 or 0)" },
	{ OPT_PUBLIC_RATE, "public-rate", "DUBAN_PUBLIC_RATE", T_INT, 1, 1000000,
	  "30", "requests a minute per client address on public endpoints" },
	{ OPT_TASK_CACHE, "task-cache", "DUBAN_TASK_CACHE", T_INT, 0, 10000000,
	  "400000", "tasks whose progress and lights are kept computed (0: none)" },
	{ OPT_ROOT_NAME, "root-name", "DUBAN_ROOT_NAME", T_STR, 0, 0,
	  "协调小组办公室", "init: name of the root unit" },
	{ OPT_ROOT_KIND, "root-kind", "DUBAN_ROOT_KIND", T_STR, 0, 0, "office",
	  "init: kind of the root unit" },
	{ OPT_ROOT_CODE, "root-code", "DUBAN_ROOT_CODE", T_STR, 0, 0, "ROOT",
	  "init: code of the root unit" },
	{ OPT_USERNAME, "username", NULL, T_STR, 0, 0, NULL,
	  "user add: the login name" },
	{ OPT_DISPLAY_NAME, "display-name", NULL, T_STR, 0, 0, NULL,
	  "user add: the name shown" },
	{ OPT_UNIT_ID, "unit-id", NULL, T_INT, 1, INT64_MAX / 2, NULL,
	  "user add: the user's unit" },
	{ OPT_ROLES, "roles", NULL, T_STR, 0, 0, NULL,
	  "user add: comma-separated roles" },
	{ OPT_MAX_ATTACHMENT, "max-attachment", "DUBAN_MAX_ATTACHMENT", T_INT,
	  1024, 1024LL * 1024 * 1024, "20971520",
	  "largest evidence attachment in bytes (413 beyond)" },
	{ OPT_DATA_DIR, "data-dir", "DUBAN_DATA_DIR", T_STR, 0, 0, "var/data",
	  "directory of the stored attachments" },
	{ OPT_CAMPAIGN, "campaign", NULL, T_INT, 1, INT64_MAX / 2, NULL,
	  "import: the campaign the file goes into" },
	{ OPT_KIND, "kind", NULL, T_STR, 0, 0, "problems",
	  "import: what the file holds, problems or tasks" },
};

static duban_result set_value(const struct setting *s, const char *v,
			      const char *from, struct cli_opts *o,
			      struct duban_error *err)
{
	if (s->type == T_STR) {
		if (!*v)
			return duban_fail(err, DUBAN_E_INVALID, s->name,
					  "%s (%s) must not be empty", s->name,
					  from);
		o->str[s->id] = v;
		return DUBAN_OK;
	}
	char *end = NULL;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || n < s->min || n > s->max)
		return duban_fail(err, DUBAN_E_INVALID, s->name,
				  "%s (%s) must be a whole number from %lld to"
				  " %lld, not '%s'",
				  s->name, from, (long long)s->min,
				  (long long)s->max, v);
	o->num[s->id] = n;
	o->str[s->id] = v;
	return DUBAN_OK;
}

duban_result cli_parse(int argc, char **argv, struct cli_opts *o,
		       struct duban_error *err)
{
	duban_result result;
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < OPT_COUNT; i++) {
		const struct setting *s = &settings[i];
		const char *env = s->env ? getenv(s->env) : NULL;
		if (s->dflt && (result = set_value(s, s->dflt, "default", o,
						   err)))
			return result;
		if (env && (result = set_value(s, env, s->env, o, err)))
			return result;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0) {
			if (o->nargs >= 8)
				return duban_fail(err, DUBAN_E_INVALID, NULL,
						  "too many arguments");
			o->args[o->nargs++] = a;
			continue;
		}
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		const struct setting *s = NULL;
		for (int k = 0; k < OPT_COUNT; k++)
			if (strlen(settings[k].name) == n &&
			    strncmp(settings[k].name, a + 2, n) == 0)
				s = &settings[k];
		if (!s)
			return duban_fail(err, DUBAN_E_INVALID, NULL,
					  "unknown option '%s'", a);
		const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!v)
			return duban_fail(err, DUBAN_E_INVALID, s->name,
					  "option '--%s' needs a value",
					  s->name);
		if ((result = set_value(s, v, "flag", o, err)))
			return result;
	}
	return DUBAN_OK;
}

void cli_print_settings(void)
{
	printf("\nSettings (flag, environment variable, default):\n");
	for (int i = 0; i < OPT_COUNT; i++) {
		const struct setting *s = &settings[i];
		printf("  --%-14s %-20s %-16s %s\n", s->name,
		       s->env ? s->env : "", s->dflt ? s->dflt : "",
		       s->help);
	}
}

int cli_fail(const struct duban_error *err)
{
	fprintf(stderr, "duban: %s\n",
		err->message[0] ? err->message : duban_result_code(err->result));
	return err->result == DUBAN_E_INVALID ||
			       err->result == DUBAN_E_MALFORMED
		       ? 2
		       : 1;
}
