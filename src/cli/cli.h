/*
 * cli.h - subcommands and the settings table (src/cli/).
 *
 * Settings are one table (options.c): name, environment variable, type,
 * bounds, default.  A flag `--name VALUE` or `--name=VALUE` wins over the
 * environment, which wins over the default.  A bad value names the setting.
 */
#ifndef DUBAN_CLI_CLI_H
#define DUBAN_CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "base/result.h"

enum opt_id {
	OPT_DB,
	OPT_LISTEN,
	OPT_THREADS,
	OPT_MAX_BODY,
	OPT_SESSION_IDLE,
	OPT_DB_READERS,
	OPT_LOG_LEVEL,
	OPT_ACCESS_LOG,
	OPT_PUBLIC_RATE,
	OPT_TASK_CACHE,
	OPT_ROOT_NAME,
	OPT_ROOT_KIND,
	OPT_ROOT_CODE,
	OPT_USERNAME,
	OPT_DISPLAY_NAME,
	OPT_UNIT_ID,
	OPT_ROLES,
	OPT_MAX_ATTACHMENT,
	OPT_DATA_DIR,
	OPT_CAMPAIGN,
	OPT_KIND,
	OPT_COUNT
};

/** The parsed settings of one invocation. */
struct cli_opts {
	const char *str[OPT_COUNT];
	int64_t num[OPT_COUNT];
	int nargs;          /* positional arguments left after flags */
	const char *args[8];
};

/**
 * Parses argv (after the subcommand words) against the settings table.
 * DUBAN_E_INVALID with a message naming the setting on a bad flag or value.
 */
duban_result cli_parse(int argc, char **argv, struct cli_opts *o,
		       struct duban_error *err);

/** Prints the settings table (for help). */
void cli_print_settings(void);

/** Prints err to stderr as "duban: message" and returns the exit code. */
int cli_fail(const struct duban_error *err);

struct store;

/** Opens the store named by --db, which must be initialised and current. */
duban_result cli_open_store(struct cli_opts *o, struct store **s,
			    struct duban_error *err);

int cmd_init(struct cli_opts *o);
int cmd_migrate(struct cli_opts *o);
int cmd_serve(struct cli_opts *o);
int cmd_user_add(struct cli_opts *o);
int cmd_audit_verify(struct cli_opts *o);
int cmd_calendar_add(struct cli_opts *o);
int cmd_demo(struct cli_opts *o);
int cmd_calendar_is_workday(struct cli_opts *o);
int cmd_calendar_workdays(struct cli_opts *o);
int cmd_calendar_import(struct cli_opts *o);
int cmd_calendar_years(struct cli_opts *o);
int cmd_calendar_show(struct cli_opts *o);
int cmd_import(struct cli_opts *o);

#endif
