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

/* PostgreSQL: TRUNCATE skips row triggers, so it gets one of its own; and
 * units.path compares bytewise (COLLATE "C"), as on SQLite, whatever the
 * database's collation: a subtree is the range ["/1/4/", "/1/40"), which a
 * collation that ignores punctuation (en_US) would break. */
static const char v1_pg[] =
	"CREATE FUNCTION audit_log_append_only() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN"
	" RAISE EXCEPTION 'audit_log is append-only'; END $$;"
	"CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE"
	" ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();"
	"CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
	" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();"
	"ALTER TABLE units ALTER COLUMN path TYPE TEXT COLLATE \"C\";";

/* Version 2: working-day schedules imported by an office (win over the
 * years shipped in the binary), stored in the text format. */
static const char v2[] =
	"CREATE TABLE calendar_years ("
	" year INTEGER PRIMARY KEY,"
	" content TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" imported_at @BIGINT@ NOT NULL,"
	" imported_by TEXT NOT NULL,"
	" version INTEGER NOT NULL DEFAULT 1);";

/*
 * Version 3: campaigns, their phases and categories, item lists with quotas,
 * tasks (a tree, with a materialised path like units), indicators,
 * milestones, monthly reports and their indicator values.  Dates are
 * 'YYYY-MM-DD' text, which sorts and compares as dates.
 */
static const char v3[] =
	"CREATE TABLE campaigns ("
	" id @ID@,"
	" parent_id @BIGINT@ REFERENCES campaigns(id),"
	" unit_id @BIGINT@ NOT NULL REFERENCES units(id),"
	" title TEXT NOT NULL,"
	" doc_number TEXT,"
	" starts_on TEXT NOT NULL,"
	" ends_on TEXT NOT NULL,"
	" themes TEXT NOT NULL,"
	" due_soon_workdays INTEGER NOT NULL DEFAULT 3,"
	" report_due_workday INTEGER NOT NULL DEFAULT 5,"
	" version INTEGER NOT NULL DEFAULT 1,"
	" created_at @BIGINT@ NOT NULL);"
	"CREATE INDEX campaigns_unit ON campaigns(unit_id);"
	"CREATE INDEX campaigns_parent ON campaigns(parent_id);"
	"CREATE TABLE campaign_phases ("
	" id @ID@,"
	" campaign_id @BIGINT@ NOT NULL REFERENCES campaigns(id),"
	" seq INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" starts_on TEXT NOT NULL,"
	" ends_on TEXT NOT NULL);"
	"CREATE INDEX campaign_phases_campaign ON campaign_phases(campaign_id);"
	"CREATE TABLE campaign_categories ("
	" id @ID@,"
	" campaign_id @BIGINT@ NOT NULL REFERENCES campaigns(id),"
	" seq INTEGER NOT NULL,"
	" code TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" planned_tasks INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE (campaign_id, code));"
	"CREATE TABLE quotas ("
	" id @ID@,"
	" campaign_id @BIGINT@ NOT NULL REFERENCES campaigns(id),"
	" unit_id @BIGINT@ NOT NULL REFERENCES units(id),"
	" required INTEGER NOT NULL,"
	" due_on TEXT NOT NULL,"
	" version INTEGER NOT NULL DEFAULT 1,"
	" UNIQUE (campaign_id, unit_id));"
	"CREATE TABLE items ("
	" id @ID@,"
	" campaign_id @BIGINT@ NOT NULL REFERENCES campaigns(id),"
	" unit_id @BIGINT@ NOT NULL REFERENCES units(id),"
	" title TEXT NOT NULL,"
	" description TEXT,"
	" status TEXT NOT NULL,"
	" review_comment TEXT,"
	" created_by @BIGINT@,"
	" created_at @BIGINT@ NOT NULL,"
	" version INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX items_campaign_unit ON items(campaign_id, unit_id);"
	"CREATE TABLE tasks ("
	" id @ID@,"
	" campaign_id @BIGINT@ NOT NULL REFERENCES campaigns(id),"
	" parent_id @BIGINT@ REFERENCES tasks(id),"
	" path TEXT NOT NULL,"
	" category_code TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" lead_unit_id @BIGINT@ NOT NULL REFERENCES units(id),"
	" leader_name TEXT,"
	" team TEXT NOT NULL,"
	" starts_on TEXT NOT NULL,"
	" due_on TEXT NOT NULL,"
	" version INTEGER NOT NULL DEFAULT 1,"
	" created_at @BIGINT@ NOT NULL);"
	"CREATE INDEX tasks_campaign ON tasks(campaign_id, category_code);"
	"CREATE INDEX tasks_lead ON tasks(lead_unit_id);"
	"CREATE INDEX tasks_path ON tasks(path);"
	"CREATE TABLE task_co_units ("
	" task_id @BIGINT@ NOT NULL REFERENCES tasks(id),"
	" unit_id @BIGINT@ NOT NULL REFERENCES units(id),"
	" PRIMARY KEY (task_id, unit_id));"
	"CREATE INDEX task_co_units_unit ON task_co_units(unit_id);"
	"CREATE TABLE indicators ("
	" id @ID@,"
	" task_id @BIGINT@ NOT NULL REFERENCES tasks(id),"
	" seq INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" unit TEXT,"
	" target @REAL@ NOT NULL,"
	" comparator TEXT NOT NULL);"
	"CREATE INDEX indicators_task ON indicators(task_id);"
	"CREATE TABLE milestones ("
	" id @ID@,"
	" task_id @BIGINT@ NOT NULL REFERENCES tasks(id),"
	" seq INTEGER NOT NULL,"
	" title TEXT NOT NULL,"
	" due_on TEXT NOT NULL,"
	" completed_on TEXT,"
	" evidence TEXT,"
	" version INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX milestones_task ON milestones(task_id);"
	"CREATE TABLE reports ("
	" id @ID@,"
	" task_id @BIGINT@ NOT NULL REFERENCES tasks(id),"
	" period TEXT NOT NULL,"
	" summary TEXT NOT NULL,"
	" blockers TEXT,"
	" next_steps TEXT,"
	" status TEXT NOT NULL,"
	" supersedes_id @BIGINT@ REFERENCES reports(id),"
	" reason TEXT,"
	" submitted_by @BIGINT@,"
	" submitted_at @BIGINT@ NOT NULL,"
	" review_comment TEXT,"
	" reviewed_by @BIGINT@,"
	" reviewed_at @BIGINT@,"
	" version INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX reports_task ON reports(task_id, period);"
	"CREATE TABLE report_values ("
	" report_id @BIGINT@ NOT NULL REFERENCES reports(id),"
	" indicator_id @BIGINT@ NOT NULL REFERENCES indicators(id),"
	" value @REAL@ NOT NULL,"
	" PRIMARY KEY (report_id, indicator_id));"
	"CREATE INDEX report_values_indicator ON report_values(indicator_id);";

/* Version 4: the unit an audit record's object belongs to, for auditors'
 * scope (part of the chained hash). */
static const char v4[] =
	"ALTER TABLE audit_log ADD COLUMN unit_id @BIGINT@;"
	"CREATE INDEX audit_unit ON audit_log(unit_id);";

/*
 * Version 5: warning interviews (警示约谈) for tasks red too long, and the
 * campaign setting that says how long is too long.
 */
static const char v5[] =
	"ALTER TABLE campaigns ADD COLUMN warning_red_days INTEGER NOT NULL"
	" DEFAULT 10;"
	"CREATE TABLE warnings ("
	" id @ID@,"
	" campaign_id @BIGINT@ NOT NULL REFERENCES campaigns(id),"
	" task_id @BIGINT@ NOT NULL REFERENCES tasks(id),"
	" unit_id @BIGINT@ NOT NULL REFERENCES units(id),"
	" red_since TEXT NOT NULL,"
	" reasons TEXT NOT NULL,"
	" created_on TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" held_on TEXT,"
	" notes TEXT,"
	" report TEXT,"
	" report_due_on TEXT,"
	" reported_at @BIGINT@,"
	" closed_comment TEXT,"
	" version INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX warnings_campaign ON warnings(campaign_id, status);"
	"CREATE INDEX warnings_task ON warnings(task_id);";

const struct schema_migration schema_migrations[] = {
	{ 1, v1, v1_sqlite, v1_pg },
	{ 2, v2, NULL, NULL },
	{ 3, v3, NULL, NULL },
	{ 4, v4, NULL, NULL },
	{ 5, v5, NULL, NULL },
	{ 0, NULL, NULL, NULL },
};
