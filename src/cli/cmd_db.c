/*
 * cmd_db.c - subcommands that manage the database: init, migrate,
 * user add, audit verify.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/units.h"
#include "app/users.h"
#include "base/log.h"
#include "cli/cli.h"
#include "core/password.h"
#include "store/store.h"

/* --db as it may be printed: never a password from a URI */
static const char *shown_db(struct cli_opts *o)
{
	static char buf[512];
	char *shown = store_display_name(o->str[OPT_DB]);
	snprintf(buf, sizeof(buf), "%s", shown);
	free(shown);
	return buf;
}

static duban_result open_store(struct cli_opts *o, int readers,
			       struct store **s, struct duban_error *err)
{
	struct store_options so = { .readers = readers };
	return store_open(o->str[OPT_DB], &so, s, err);
}

/* Opens an existing, initialised, current database: never creates one. */
static duban_result open_migrated(struct cli_opts *o, int readers,
				  struct store **s, struct duban_error *err)
{
	int version = 0;
	const char *db = o->str[OPT_DB];
	duban_result result;
	*s = NULL;
	if (!strstr(db, "://") && access(db, F_OK) != 0)
		return duban_fail(err, DUBAN_E_INVALID, "db",
				  "database '%s' does not exist; run 'duban "
				  "init --db %s' first",
				  db, db);
	result = open_store(o, readers, s, err);
	if (result)
		return result;
	result = store_schema_version(*s, &version, err);
	if (result == DUBAN_OK && version == 0)
		result = duban_fail(err, DUBAN_E_INVALID, "db",
				    "database '%s' is not initialised; run "
				    "'duban init --db %s' first",
				    shown_db(o), shown_db(o));
	else if (result == DUBAN_OK && version < store_schema_latest())
		result = duban_fail(err, DUBAN_E_INVALID, "db",
				    "database '%s' is at schema %d, this build"
				    " needs %d; run 'duban migrate'",
				    shown_db(o), version,
				    store_schema_latest());
	if (result) {
		store_free(*s);
		*s = NULL;
	}
	return result;
}

duban_result cli_open_store(struct cli_opts *o, struct store **s,
			    struct duban_error *err)
{
	return open_migrated(o, (int)o->num[OPT_DB_READERS], s, err);
}

int cmd_migrate(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	int from = 0, to = 0;
	duban_result result = open_store(o, 1, &s, &err);
	if (result == DUBAN_OK)
		result = store_migrate(s, &from, &to, &err);
	store_free(s);
	if (result)
		return cli_fail(&err);
	if (from == to)
		printf("schema is up to date at version %d\n", to);
	else
		printf("schema migrated from version %d to %d\n", from, to);
	return 0;
}

int cmd_init(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	int64_t root = 0;
	json_t *in = NULL, *user = NULL;
	char generated[17];
	const char *pw = getenv("DUBAN_ADMIN_PASSWORD");
	bool initialised = false;
	duban_result result = DUBAN_OK;
	/* check everything that can be wrong before writing anything */
	if (!unit_kind_valid(o->str[OPT_ROOT_KIND])) {
		result = duban_fail(&err, DUBAN_E_INVALID, "root-kind",
				    "root-kind '%s' is not a unit kind",
				    o->str[OPT_ROOT_KIND]);
		goto out;
	}
	if (pw && password_check_policy(pw, strlen(pw), NULL)) {
		result = duban_fail(&err, DUBAN_E_INVALID, "password",
				    "DUBAN_ADMIN_PASSWORD does not meet the "
				    "password policy: 8 or more characters "
				    "mixing three of lower case, upper case, "
				    "digits and others");
		goto out;
	}
	if ((result = open_store(o, 1, &s, &err)))
		goto out;
	if ((result = store_migrate(s, NULL, NULL, &err)))
		goto out;
	/* initialised means the administrator exists: a database that was
	 * only migrated, or whose init failed, can still be initialised */
	if ((result = user_exists(s, "admin", &initialised, &err)))
		goto out;
	if (initialised) {
		result = duban_fail(&err, DUBAN_E_CONFLICT, "db",
				    "database '%s' is already initialised",
				    shown_db(o));
		goto out;
	}
	result = unit_create_root(s, o->str[OPT_ROOT_NAME],
				  o->str[OPT_ROOT_KIND], o->str[OPT_ROOT_CODE],
				  &root, &err);
	if (result)
		goto out;
	if (!pw) {
		password_generate(generated, 16);
		pw = generated;
	}
	in = json_pack("{s:s, s:s, s:s, s:I, s:[s,s,s,s]}", "username",
		       "admin", "password", pw, "display_name", "系统管理员",
		       "unit_id", (json_int_t)root, "roles", "sysadmin",
		       "secadmin", "auditor", "office");
	struct actor sys;
	actor_system(&sys, "duban init");
	if ((result = user_create(s, &sys, in, &user, &err)))
		goto out;
	printf("initialised '%s' (schema %d)\n", shown_db(o),
	       store_schema_latest());
	if (pw == generated)
		printf("user 'admin' created with password: %s\n"
		       "(shown once; change it after logging in)\n",
		       generated);
	else
		printf("user 'admin' created with the password in "
		       "DUBAN_ADMIN_PASSWORD\n");
out:
	json_decref(in);
	json_decref(user);
	store_free(s);
	return result ? cli_fail(&err) : 0;
}

static json_t *roles_array(const char *csv)
{
	json_t *arr = json_array();
	const char *p = csv;
	while (p && *p) {
		size_t n = strcspn(p, ",");
		json_array_append_new(arr, json_stringn(p, n));
		p += n;
		if (*p == ',')
			p++;
	}
	return arr;
}

int cmd_user_add(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	json_t *in = NULL, *user = NULL;
	char line[300];
	const char *pw = getenv("DUBAN_USER_PASSWORD");
	duban_result result = DUBAN_OK;
	if (!o->str[OPT_USERNAME] || !o->str[OPT_UNIT_ID] ||
	    !o->str[OPT_ROLES]) {
		result = duban_fail(&err, DUBAN_E_INVALID, NULL,
				    "usage: duban user add --db PATH --username"
				    " NAME --unit-id ID --roles ROLE[,ROLE]"
				    " [--display-name NAME]; the password comes"
				    " from DUBAN_USER_PASSWORD or standard "
				    "input");
		goto out;
	}
	if (!pw) {
		if (!fgets(line, sizeof(line), stdin)) {
			result = duban_fail(&err, DUBAN_E_INVALID, "password",
					    "no password on standard input");
			goto out;
		}
		line[strcspn(line, "\r\n")] = '\0';
		pw = line;
	}
	if ((result = open_migrated(o, 1, &s, &err)))
		goto out;
	in = json_pack("{s:s, s:s, s:I, s:o}", "username",
		       o->str[OPT_USERNAME], "password", pw, "unit_id",
		       (json_int_t)o->num[OPT_UNIT_ID], "roles",
		       roles_array(o->str[OPT_ROLES]));
	if (o->str[OPT_DISPLAY_NAME])
		json_object_set_new(in, "display_name",
				    json_string(o->str[OPT_DISPLAY_NAME]));
	struct actor sys;
	actor_system(&sys, "duban user add");
	result = user_create(s, &sys, in, &user, &err);
	if (result == DUBAN_OK)
		printf("user '%s' created with id %lld\n",
		       o->str[OPT_USERNAME],
		       (long long)json_integer_value(
			       json_object_get(user, "id")));
out:
	json_decref(in);
	json_decref(user);
	store_free(s);
	return result ? cli_fail(&err) : 0;
}

int cmd_audit_verify(struct cli_opts *o)
{
	struct duban_error err = { 0 };
	struct store *s = NULL;
	int64_t count = 0, bad = 0;
	duban_result result = open_migrated(o, 1, &s, &err);
	if (result == DUBAN_OK)
		result = audit_verify(s, &count, &bad, &err);
	store_free(s);
	if (result == DUBAN_E_CONFLICT) {
		fprintf(stderr, "duban: %s\n", err.message);
		printf("broken at record %lld after %lld good records\n",
		       (long long)bad, (long long)count);
		return 1;
	}
	if (result) {
		cli_fail(&err);
		return 1;
	}
	printf("ok %lld records\n", (long long)count);
	return 0;
}
