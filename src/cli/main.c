/*
 * main.c - the duban binary: one table of subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "app/jalloc.h"
#include "cli/cli.h"
#include "core/password.h"

#ifndef DUBAN_VERSION
#define DUBAN_VERSION "0.1.0"
#endif

static int cmd_help(struct cli_opts *o);
static int cmd_version(struct cli_opts *o);

static const struct command {
	const char *name; /* one or two words */
	int (*run)(struct cli_opts *o);
	const char *usage;
} commands[] = {
	{ "help", cmd_help, "help                 list the subcommands" },
	{ "version", cmd_version, "version              print the version" },
	{ "init", cmd_init,
	  "init --db PATH       create the schema, the root unit and 'admin'" },
	{ "migrate", cmd_migrate,
	  "migrate --db PATH    bring the schema to this build's version" },
	{ "serve", cmd_serve,
	  "serve --db PATH --listen HOST:PORT   serve the API" },
	{ "user add", cmd_user_add,
	  "user add --username U --unit-id N --roles R[,R]   add a user" },
	{ "audit verify", cmd_audit_verify,
	  "audit verify --db PATH   check the audit trail's hash chain" },
	{ "demo", cmd_demo,
	  "demo --db PATH       load the demonstration data (seed documents)" },
	{ "calendar add", cmd_calendar_add,
	  "calendar add DATE N  the Nth working day after DATE" },
	{ "calendar is-workday", cmd_calendar_is_workday,
	  "calendar is-workday DATE   prints workday or off" },
	{ "calendar workdays", cmd_calendar_workdays,
	  "calendar workdays FROM TO  working days in (FROM, TO]" },
	{ "calendar import", cmd_calendar_import,
	  "calendar import FILE --db PATH   load a year (text or .ics)" },
	{ "calendar years", cmd_calendar_years,
	  "calendar years        the years and where each comes from" },
	{ "calendar show", cmd_calendar_show,
	  "calendar show YEAR    a year's holidays and adjusted days" },
	{ "import", cmd_import,
	  "import --db PATH --campaign N [--kind problems|tasks] FILE   import"
	  " problems or tasks (.xlsx, .csv)" },
};

static int cmd_help(struct cli_opts *o)
{
	(void)o;
	printf("duban %s - supervision of work-style campaigns (督办)\n\n"
	       "Usage: duban COMMAND [options]\n\nCommands:\n",
	       DUBAN_VERSION);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  duban %s\n", commands[i].usage);
	cli_print_settings();
	return 0;
}

static int cmd_version(struct cli_opts *o)
{
	(void)o;
	printf("duban %s\n", DUBAN_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	struct duban_error err = { 0 };
	jalloc_install(); /* before any JSON value exists */
	if (argc < 2) {
		cmd_help(NULL);
		return 2;
	}
	if (password_init() != DUBAN_OK) {
		fprintf(stderr, "duban: unable to initialise libsodium\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *name = commands[i].name;
		const char *space = strchr(name, ' ');
		int used = 1;
		if (space) {
			size_t n = (size_t)(space - name);
			if (argc < 3 || strlen(argv[1]) != n ||
			    strncmp(argv[1], name, n) != 0 ||
			    strcmp(argv[2], space + 1) != 0)
				continue;
			used = 2;
		} else if (strcmp(argv[1], name) != 0) {
			continue;
		}
		if (cli_parse(argc - 1 - used, argv + 1 + used, &o, &err))
			return cli_fail(&err);
		return commands[i].run(&o);
	}
	fprintf(stderr, "duban: unknown command '%s'; see 'duban help'\n",
		argv[1]);
	return 2;
}
