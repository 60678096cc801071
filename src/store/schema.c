#include "store/schema.h"

#include <stddef.h>

/*
 * Version 1: the unit tree, accounts, sessions and the audit trail.
 *
 * units.path is the materialised path of ids ("/1/4/9/"), so that "is X in
 * the subtree of U" is a prefix test and a subtree listing is one indexed
 * range scan.  Timestamps are UNIX seconds; booleans are 0/1 integers.
 */
static const char v1[] =
	"CREATE TABLE units ("
	" id @ID@,"
	" parent_id @BIGINT@ REFERENCES units(id),"
	" name TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" code TEXT NOT NULL UNIQUE,"
	" path TEXT NOT NULL,"
	" depth INTEGER NOT NULL,"
	" version INTEGER NOT NULL DEFAULT 1,"
	" created_at @BIGINT@ NOT NULL);"
	"CREATE INDEX units_parent ON units(parent_id);"
	"CREATE INDEX units_path ON units(path);"
	"CREATE TABLE users ("
	" id @ID@,"
	" username TEXT NOT NULL UNIQUE,"
	" display_name TEXT NOT NULL,"
	" unit_id @BIGINT@ NOT NULL REFERENCES units(id),"
	" roles INTEGER NOT NULL,"
	" password_hash TEXT NOT NULL,"
	" failed_logins INTEGER NOT NULL DEFAULT 0,"
	" locked_until @BIGINT@ NOT NULL DEFAULT 0,"
	" active INTEGER NOT NULL DEFAULT 1,"
	" version INTEGER NOT NULL DEFAULT 1,"
	" created_at @BIGINT@ NOT NULL);"
	"CREATE INDEX users_unit ON users(unit_id);"
	"CREATE TABLE sessions ("
	" token_hash TEXT PRIMARY KEY,"
	" csrf_hash TEXT NOT NULL,"
	" user_id @BIGINT@ NOT NULL REFERENCES users(id),"
	" kind TEXT NOT NULL,"
	" client_addr TEXT NOT NULL,"
	" created_at @BIGINT@ NOT NULL,"
	" last_seen @BIGINT@ NOT NULL);"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE audit_log ("
	" id @ID@,"
	" at @BIGINT@ NOT NULL,"
	" actor_id @BIGINT@,"
	" actor TEXT NOT NULL,"
	" client_addr TEXT NOT NULL,"
	" entity TEXT NOT NULL,"
	" entity_id @BIGINT@,"
	" action TEXT NOT NULL,"
	" before_json TEXT,"
	" after_json TEXT,"
	" prev_hash TEXT NOT NULL,"
	" hash TEXT NOT NULL);"
	"CREATE INDEX audit_entity ON audit_log(entity, entity_id);";

/* The application may only append to the audit trail. */
static const char v1_sqlite[] =
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;";

static const char v1_pg[] =
	"CREATE FUNCTION audit_log_append_only() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN"
	" RAISE EXCEPTION 'audit_log is append-only'; END $$;"
	"CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE"
	" ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();";

const struct schema_migration schema_migrations[] = {
	{ 1, v1, v1_sqlite, v1_pg },
	{ 0, NULL, NULL, NULL },
};
