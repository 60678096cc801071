#include "app/inspections.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/campaigns.h"
#include "app/problems.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/text.h"
#include "base/date.h"
#include "core/problem_flow.h"
#include "core/roles.h"

#define MAX_UNITS 500	    /* units assigned to a group */
#define MAX_LINK_UNITS 50   /* units linked to a leader */
#define MAX_MEMBERS 50
#define MAX_VISIT_UNITS 50
#define MAX_FINDINGS 200

/* --- checks shared by groups, links and visits --- */

/* ids: distinct positive integers, min..max of them. */
static duban_result check_id_list(const json_t *ids, const char *field,
				  size_t min, size_t max,
				  struct duban_error *err)
{
	size_t i, j;
	json_t *v;
	if (!json_is_array(ids) || json_array_size(ids) < min ||
	    json_array_size(ids) > max)
		return duban_fail(err, DUBAN_E_INVALID, field,
				  "%s must be a list of %zu to %zu ids", field,
				  min, max);
	json_array_foreach(ids, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return duban_fail(err, DUBAN_E_INVALID, field,
					  "%s must hold ids", field);
		for (j = 0; j < i; j++)
			if (json_integer_value(json_array_get(ids, j)) ==
			    json_integer_value(v))
				return duban_fail(err, DUBAN_E_INVALID, field,
						  "%s names %lld twice", field,
						  (long long)json_integer_value(
							  v));
	}
	return DUBAN_OK;
}

/*
 * A person the office may put in a group or link to units: an active user
 * with one of the roles in mask, whose unit the office reaches (its
 * subtree, or above it: a provincial leader for a provincial office).
 */
static duban_result check_person(struct store_conn *c, const struct actor *a,
				 int64_t id, uint32_t mask, const char *what,
				 const char *field, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	int64_t unit = 0, roles = 0, active = 0;
	duban_result result = store_prepare(
		c, "SELECT unit_id, roles, active FROM users WHERE id = ?", &st,
		err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row) {
		unit = store_col_int(st, 0);
		roles = store_col_int(st, 1);
		active = store_col_int(st, 2);
	}
	store_reset(st);
	if (result)
		return result;
	if (!row)
		return duban_fail(err, DUBAN_E_INVALID, field,
				  "no user with id %lld", (long long)id);
	if (!active)
		return duban_fail(err, DUBAN_E_INVALID, field,
				  "user %lld is not active", (long long)id);
	if (!((uint32_t)roles & mask))
		return duban_fail(err, DUBAN_E_INVALID, field,
				  "user %lld is not %s", (long long)id, what);
	result = scope_require_reach(c, a, unit, NULL, err);
	if (result == DUBAN_E_FORBIDDEN && err)
		snprintf(err->field, sizeof(err->field), "%s", field);
	return result;
}

/* Each unit in the actor's scope and under the campaign's unit. */
static duban_result check_units(struct store_conn *c, const struct actor *a,
				const struct campaign_meta *m,
				const json_t *ids, const char *field,
				struct duban_error *err)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		char path[256];
		int64_t id = json_integer_value(v);
		duban_result result =
			scope_require_unit(c, a, id, field, path, err);
		if (result)
			return result;
		if (!scope_path_contains(m->unit_path, path))
			return duban_fail(err, DUBAN_E_INVALID, field,
					  "unit %lld is not under the "
					  "campaign's unit",
					  (long long)id);
	}
	return DUBAN_OK;
}

/* Runs sql (two parameters: owner, id) for each id. */
static duban_result insert_ids(struct store_conn *c, const char *sql,
			       int64_t owner, const json_t *ids,
			       int64_t skip, struct duban_error *err)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		struct store_stmt *st;
		if (json_integer_value(v) == skip)
			continue;
		duban_result result = store_prepare(c, sql, &st, err);
		if (result)
			return result;
		store_bind_int(st, 1, owner);
		store_bind_int(st, 2, json_integer_value(v));
		if ((result = store_run(st, err)))
			return result;
	}
	return DUBAN_OK;
}

/* Runs a statement with one id parameter and no result. */
static duban_result run_id(struct store_conn *c, const char *sql, int64_t id,
			   struct duban_error *err)
{
	struct store_stmt *st;
	duban_result result = store_prepare(c, sql, &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	return store_run(st, err);
}

/* The first column of sql (one id parameter) as an array of integers. */
static duban_result id_array(struct store_conn *c, const char *sql,
			     int64_t id, json_t **out,
			     struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	json_t *arr = json_array();
	duban_result result = store_prepare(c, sql, &st, err);
	if (result) {
		json_decref(arr);
		return result;
	}
	store_bind_int(st, 1, id);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		json_array_append_new(arr, json_integer(store_col_int(st, 0)));
	store_reset(st);
	if (result) {
		json_decref(arr);
		return result;
	}
	*out = arr;
	return DUBAN_OK;
}

/* One integer from sql with two integer parameters; 0 when no row. */
static duban_result one_int2(struct store_conn *c, const char *sql,
			     int64_t p1, int64_t p2, int64_t *out,
			     struct duban_error *err)
{
	struct store_stmt *st;
	duban_result result = store_prepare(c, sql, &st, err);
	*out = 0;
	if (result)
		return result;
	store_bind_int(st, 1, p1);
	store_bind_int(st, 2, p2);
	return store_one_int(st, out, NULL, err);
}

static duban_result stale(struct duban_error *err, const char *what,
			  int64_t id, int64_t version)
{
	return duban_fail_code(err, DUBAN_E_CONFLICT, "stale_version",
			       "version",
			       "%s %lld was changed by someone else (version "
			       "%lld)",
			       what, (long long)id, (long long)version);
}

/* --- inspection groups --- */

static const struct row_col group_cols[] = {
	{ "id", ROW_INT },	    { "campaign_id", ROW_INT },
	{ "name", ROW_TEXT },	    { "leader_id", ROW_INT },
	{ "leader_name", ROW_TEXT }, { "note", ROW_TEXT },
	{ "version", ROW_INT },	    { "created_at", ROW_TIME },
};
#define GROUP_SELECT                                                       \
	"SELECT g.id, g.campaign_id, g.name, g.leader_id, u.display_name,"  \
	" g.note, g.version, g.created_at FROM inspection_groups g JOIN"    \
	" users u ON u.id = g.leader_id"

static const struct row_col member_cols[] = {
	{ "id", ROW_INT },
	{ "username", ROW_TEXT },
	{ "display_name", ROW_TEXT },
};

static duban_result load_group(struct store_conn *c, int64_t id,
			       json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	json_t *g = NULL, *v = NULL;
	duban_result result =
		store_prepare(c, GROUP_SELECT " WHERE g.id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no inspection group with id %lld",
				    (long long)id);
	if (result == DUBAN_OK)
		g = row_json(st, group_cols, 8);
	store_reset(st);
	if (result)
		return result;
	result = store_prepare(c,
			       "SELECT u.id, u.username, u.display_name FROM"
			       " inspection_group_members m JOIN users u ON"
			       " u.id = m.user_id WHERE m.group_id = ?"
			       " ORDER BY u.id",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, id);
	if ((result = rows_json(st, member_cols, 3, &v, err)))
		goto out;
	json_object_set_new(g, "members", v);
	result = id_array(c,
			  "SELECT unit_id FROM inspection_group_units WHERE"
			  " group_id = ? ORDER BY unit_id",
			  id, &v, err);
	if (result)
		goto out;
	json_object_set_new(g, "unit_ids", v);
	*out = g;
	g = NULL;
out:
	json_decref(g);
	return result;
}

static duban_result check_group_input(const json_t *in, bool create,
				      struct duban_error *err)
{
	duban_result result;
	const json_t *members = json_object_get(in, "member_ids"),
		     *units = json_object_get(in, "unit_ids");
	if ((result = text_require(in, "name", 1, 100, create, err)) ||
	    (result = text_require(in, "note", 0, 2000, false, err)))
		return result;
	if (members && (result = check_id_list(members, "member_ids", 0,
					       MAX_MEMBERS, err)))
		return result;
	if ((units || create) &&
	    (result = check_id_list(units, "unit_ids", 1, MAX_UNITS, err)))
		return result;
	return DUBAN_OK;
}

/* The people and units of a group, checked and (re)written. */
static duban_result group_people_units(struct store_conn *c,
				       const struct actor *a,
				       const struct campaign_meta *m,
				       int64_t id, int64_t leader,
				       const json_t *in, bool replace,
				       struct duban_error *err)
{
	size_t i;
	json_t *v;
	const json_t *members = json_object_get(in, "member_ids"),
		     *units = json_object_get(in, "unit_ids");
	duban_result result = DUBAN_OK;
	json_array_foreach(members, i, v)
	{
		result = check_person(c, a, json_integer_value(v),
				      ROLE_INSPECTOR | ROLE_LEADER | ROLE_OFFICE,
				      "an inspector, a leader or office staff",
				      "member_ids", err);
		if (result)
			return result;
	}
	if (units && (result = check_units(c, a, m, units, "unit_ids", err)))
		return result;
	if (members) {
		if (replace &&
		    (result = run_id(c,
				     "DELETE FROM inspection_group_members"
				     " WHERE group_id = ?",
				     id, err)))
			return result;
		/* the leader leads; listed as a member too, once is enough */
		if ((result = insert_ids(c,
					 "INSERT INTO inspection_group_members"
					 " (group_id, user_id) VALUES (?, ?)",
					 id, members, leader, err)))
			return result;
	}
	if (units) {
		if (replace &&
		    (result = run_id(c,
				     "DELETE FROM inspection_group_units"
				     " WHERE group_id = ?",
				     id, err)))
			return result;
		result = insert_ids(c,
				    "INSERT INTO inspection_group_units"
				    " (group_id, unit_id) VALUES (?, ?)",
				    id, units, 0, err);
	}
	return result;
}

struct group_ctx {
	const struct actor *a;
	int64_t id; /* the campaign when creating, the group when updating */
	const json_t *in;
	json_t *out;
};

static duban_result group_create_unit(struct store_conn *c, void *ctx,
				      struct duban_error *err)
{
	struct group_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t id = 0, leader = jint(x->in, "leader_id", 0);
	duban_result result =
		campaign_meta_load(c, x->a, x->id, true, &m, err);
	if (result)
		return result;
	if ((result = check_person(c, x->a, leader,
				   ROLE_LEADER | ROLE_INSPECTOR,
				   "a leader or an inspector", "leader_id",
				   err)))
		return result;
	result = store_prepare(c,
			       "INSERT INTO inspection_groups (campaign_id,"
			       " name, leader_id, note, created_by,"
			       " created_at) VALUES (?, ?, ?, ?, ?, ?)"
			       " RETURNING id",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, m.id);
	store_bind_str(st, 2, jstr(x->in, "name"));
	store_bind_int(st, 3, leader);
	store_bind_str(st, 4, jstr(x->in, "note"));
	store_bind_int(st, 5, x->a->user_id);
	store_bind_int(st, 6, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)) ||
	    (result = group_people_units(c, x->a, &m, id, leader, x->in, false,
					 err)) ||
	    (result = load_group(c, id, &x->out, err)))
		return result;
	return audit_append(c, x->a, "inspection_group", id, m.unit_id,
			    "create", NULL, x->out, err);
}

duban_result inspection_group_create(struct store *s, const struct actor *a,
				     int64_t campaign_id, const json_t *in,
				     json_t **out, struct duban_error *err)
{
	struct group_ctx x = { a, campaign_id, in, NULL };
	duban_result result = check_group_input(in, true, err);
	if (result)
		return result;
	return write_answer(s, group_create_unit, &x, &x.out, out, err);
}

static duban_result group_update_unit(struct store_conn *c, void *ctx,
				      struct duban_error *err)
{
	struct group_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *before = NULL;
	int64_t leader;
	duban_result result = load_group(c, x->id, &before, err);
	if (result)
		return result;
	leader = jint(x->in, "leader_id", jint(before, "leader_id", 0));
	if ((result = campaign_meta_load(c, x->a,
					 jint(before, "campaign_id", 0), true,
					 &m, err)))
		goto out;
	if (jint(before, "version", 0) != jint(x->in, "version", -1)) {
		result = stale(err, "inspection group", x->id,
			       jint(before, "version", 0));
		goto out;
	}
	if (json_object_get(x->in, "leader_id") &&
	    (result = check_person(c, x->a, leader,
				   ROLE_LEADER | ROLE_INSPECTOR,
				   "a leader or an inspector", "leader_id",
				   err)))
		goto out;
	result = store_prepare(c,
			       "UPDATE inspection_groups SET name ="
			       " coalesce(?, name), leader_id = ?, note ="
			       " coalesce(?, note), version = version + 1"
			       " WHERE id = ? AND version = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, jstr(x->in, "name"));
	store_bind_int(st, 2, leader);
	store_bind_str(st, 3, jstr(x->in, "note"));
	store_bind_int(st, 4, x->id);
	store_bind_int(st, 5, jint(before, "version", 0));
	if ((result = store_run(st, err)) ||
	    (result = group_people_units(c, x->a, &m, x->id, leader, x->in,
					 true, err)))
		goto out;
	/* a new leader who was a member is the leader only */
	result = store_prepare(c,
			       "DELETE FROM inspection_group_members WHERE"
			       " group_id = ? AND user_id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, leader);
	if ((result = store_run(st, err)))
		goto out;
	if ((result = load_group(c, x->id, &x->out, err)))
		goto out;
	result = audit_append(c, x->a, "inspection_group", x->id, m.unit_id,
			      "update", before, x->out, err);
out:
	json_decref(before);
	return result;
}

duban_result inspection_group_update(struct store *s, const struct actor *a,
				     int64_t id, const json_t *in,
				     json_t **out, struct duban_error *err)
{
	struct group_ctx x = { a, id, in, NULL };
	duban_result result = check_group_input(in, false, err);
	if (result)
		return result;
	return write_answer(s, group_update_unit, &x, &x.out, out, err);
}

static duban_result group_get_unit(struct store_conn *c, void *ctx,
				   struct duban_error *err)
{
	struct group_ctx *x = ctx;
	struct campaign_meta m;
	duban_result result = load_group(c, x->id, &x->out, err);
	if (result)
		return result;
	return campaign_meta_load(c, x->a, jint(x->out, "campaign_id", 0),
				  false, &m, err);
}

duban_result inspection_group_get(struct store *s, const struct actor *a,
				  int64_t id, json_t **out,
				  struct duban_error *err)
{
	struct group_ctx x = { a, id, NULL, NULL };
	return read_answer(s, group_get_unit, &x, &x.out, out, err);
}

struct list_ctx {
	const struct actor *a;
	int64_t id, leader_id;
	int page, per_page;
	enum visit_owner owner;
	json_t *out;
};

static duban_result group_list_unit(struct store_conn *c, void *ctx,
				    struct duban_error *err)
{
	struct list_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t total = 0;
	bool row = false;
	json_t *ids = json_array(), *items = json_array();
	duban_result result = campaign_meta_load(c, x->a, x->id, false, &m, err);
	if (result)
		goto out;
	result = store_prepare(c,
			       "SELECT count(*) FROM inspection_groups WHERE"
			       " campaign_id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	if ((result = store_one_int(st, &total, NULL, err)))
		goto out;
	result = store_prepare(c,
			       "SELECT id FROM inspection_groups WHERE"
			       " campaign_id = ? ORDER BY id LIMIT ? OFFSET ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, x->id);
	store_bind_int(st, 2, x->per_page);
	store_bind_int(st, 3, (int64_t)(x->page - 1) * x->per_page);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		json_array_append_new(ids, json_integer(store_col_int(st, 0)));
	store_reset(st);
	if (result)
		goto out;
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		json_t *g = NULL;
		if ((result = load_group(c, json_integer_value(v), &g, err)))
			goto out;
		json_array_append_new(items, g);
	}
	x->out = page_json(items, total, x->page, x->per_page);
	items = NULL;
out:
	json_decref(ids);
	json_decref(items);
	return result;
}

duban_result inspection_group_list(struct store *s, const struct actor *a,
				   int64_t campaign_id, int page,
				   int per_page, json_t **out,
				   struct duban_error *err)
{
	struct list_ctx x = { a, campaign_id, 0, page, per_page, VISIT_GROUP,
			      NULL };
	return read_answer(s, group_list_unit, &x, &x.out, out, err);
}

/* --- linked leaders --- */

static const struct row_col link_cols[] = {
	{ "id", ROW_INT },	    { "campaign_id", ROW_INT },
	{ "leader_id", ROW_INT },   { "leader_name", ROW_TEXT },
	{ "note", ROW_TEXT },	    { "version", ROW_INT },
	{ "created_at", ROW_TIME },
};
#define LINK_SELECT                                                        \
	"SELECT l.id, l.campaign_id, l.leader_id, u.display_name, l.note,"  \
	" l.version, l.created_at FROM leader_links l JOIN users u ON"      \
	" u.id = l.leader_id"

static duban_result load_link(struct store_conn *c, int64_t id, json_t **out,
			      struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	json_t *l = NULL, *units = NULL;
	duban_result result =
		store_prepare(c, LINK_SELECT " WHERE l.id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no leader link with id %lld",
				    (long long)id);
	if (result == DUBAN_OK)
		l = row_json(st, link_cols, 7);
	store_reset(st);
	if (result)
		return result;
	result = id_array(c,
			  "SELECT unit_id FROM leader_link_units WHERE"
			  " link_id = ? ORDER BY unit_id",
			  id, &units, err);
	if (result) {
		json_decref(l);
		return result;
	}
	json_object_set_new(l, "unit_ids", units);
	*out = l;
	return DUBAN_OK;
}

static duban_result link_create_unit(struct store_conn *c, void *ctx,
				     struct duban_error *err)
{
	struct group_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t id = 0, existing = 0, leader = jint(x->in, "leader_id", 0);
	duban_result result = campaign_meta_load(
		c, x->a, jint(x->in, "campaign_id", 0), true, &m, err);
	if (result == DUBAN_E_NOT_FOUND)
		return duban_fail(err, DUBAN_E_INVALID, "campaign_id",
				  "no campaign with id %lld",
				  (long long)jint(x->in, "campaign_id", 0));
	if (result)
		return result;
	if ((result = check_person(c, x->a, leader, ROLE_LEADER, "a leader",
				   "leader_id", err)) ||
	    (result = check_units(c, x->a, &m, json_object_get(x->in,
							       "unit_ids"),
				  "unit_ids", err)))
		return result;
	if ((result = one_int2(c,
			       "SELECT id FROM leader_links WHERE"
			       " campaign_id = ? AND leader_id = ?",
			       m.id, leader, &existing, err)))
		return result;
	if (existing)
		return duban_fail_code(err, DUBAN_E_CONFLICT, "duplicate",
				       "leader_id",
				       "leader %lld is already linked in "
				       "campaign %lld (link %lld)",
				       (long long)leader, (long long)m.id,
				       (long long)existing);
	result = store_prepare(c,
			       "INSERT INTO leader_links (campaign_id,"
			       " leader_id, note, created_by, created_at)"
			       " VALUES (?, ?, ?, ?, ?) RETURNING id",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, m.id);
	store_bind_int(st, 2, leader);
	store_bind_str(st, 3, jstr(x->in, "note"));
	store_bind_int(st, 4, x->a->user_id);
	store_bind_int(st, 5, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)) ||
	    (result = insert_ids(c,
				 "INSERT INTO leader_link_units (link_id,"
				 " unit_id) VALUES (?, ?)",
				 id, json_object_get(x->in, "unit_ids"), 0,
				 err)) ||
	    (result = load_link(c, id, &x->out, err)))
		return result;
	return audit_append(c, x->a, "leader_link", id, m.unit_id, "create",
			    NULL, x->out, err);
}

duban_result leader_link_create(struct store *s, const struct actor *a,
				const json_t *in, json_t **out,
				struct duban_error *err)
{
	struct group_ctx x = { a, 0, in, NULL };
	duban_result result;
	if ((result = text_require(in, "note", 0, 2000, false, err)) ||
	    (result = check_id_list(json_object_get(in, "unit_ids"),
				    "unit_ids", 1, MAX_LINK_UNITS, err)))
		return result;
	return write_answer(s, link_create_unit, &x, &x.out, out, err);
}

static duban_result link_update_unit(struct store_conn *c, void *ctx,
				     struct duban_error *err)
{
	struct group_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	json_t *before = NULL;
	const json_t *units = json_object_get(x->in, "unit_ids");
	duban_result result = load_link(c, x->id, &before, err);
	if (result)
		return result;
	if ((result = campaign_meta_load(c, x->a,
					 jint(before, "campaign_id", 0), true,
					 &m, err)))
		goto out;
	if (jint(before, "version", 0) != jint(x->in, "version", -1)) {
		result = stale(err, "leader link", x->id,
			       jint(before, "version", 0));
		goto out;
	}
	if (units && ((result = check_units(c, x->a, &m, units, "unit_ids",
					    err)) ||
		      (result = run_id(c,
				       "DELETE FROM leader_link_units WHERE"
				       " link_id = ?",
				       x->id, err)) ||
		      (result = insert_ids(c,
					   "INSERT INTO leader_link_units"
					   " (link_id, unit_id) VALUES (?, ?)",
					   x->id, units, 0, err))))
		goto out;
	result = store_prepare(c,
			       "UPDATE leader_links SET note = coalesce(?,"
			       " note), version = version + 1 WHERE id = ?"
			       " AND version = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, jstr(x->in, "note"));
	store_bind_int(st, 2, x->id);
	store_bind_int(st, 3, jint(before, "version", 0));
	if ((result = store_run(st, err)) ||
	    (result = load_link(c, x->id, &x->out, err)))
		goto out;
	result = audit_append(c, x->a, "leader_link", x->id, m.unit_id,
			      "update", before, x->out, err);
out:
	json_decref(before);
	return result;
}

duban_result leader_link_update(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err)
{
	struct group_ctx x = { a, id, in, NULL };
	const json_t *units = json_object_get(in, "unit_ids");
	duban_result result;
	if ((result = text_require(in, "note", 0, 2000, false, err)) ||
	    (units && (result = check_id_list(units, "unit_ids", 1,
					      MAX_LINK_UNITS, err))))
		return result;
	return write_answer(s, link_update_unit, &x, &x.out, out, err);
}

static duban_result link_get_unit(struct store_conn *c, void *ctx,
				  struct duban_error *err)
{
	struct group_ctx *x = ctx;
	struct campaign_meta m;
	duban_result result = load_link(c, x->id, &x->out, err);
	if (result)
		return result;
	/* the leader reads their own link; others need the campaign */
	if (jint(x->out, "leader_id", 0) == x->a->user_id)
		return DUBAN_OK;
	return campaign_meta_load(c, x->a, jint(x->out, "campaign_id", 0),
				  false, &m, err);
}

duban_result leader_link_get(struct store *s, const struct actor *a,
			     int64_t id, json_t **out,
			     struct duban_error *err)
{
	struct group_ctx x = { a, id, NULL, NULL };
	return read_answer(s, link_get_unit, &x, &x.out, out, err);
}

static duban_result link_list_unit(struct store_conn *c, void *ctx,
				   struct duban_error *err)
{
	struct list_ctx *x = ctx;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t total = 0;
	bool row = false;
	json_t *ids = json_array(), *items = json_array();
	duban_result result = DUBAN_OK;
#define LINK_WHERE                                                         \
	" FROM leader_links WHERE (? = 0 OR campaign_id = ?) AND"           \
	" (? = 0 OR leader_id = ?)"
	static const char *const sql[2] = {
		"SELECT count(*)" LINK_WHERE,
		"SELECT id" LINK_WHERE " ORDER BY id LIMIT ? OFFSET ?",
	};
#undef LINK_WHERE
	if (x->id &&
	    (result = campaign_meta_load(c, x->a, x->id, false, &m, err)))
		goto out;
	for (int pass = 0; pass < 2; pass++) {
		result = store_prepare(c, sql[pass], &st, err);
		if (result)
			goto out;
		store_bind_int(st, 1, x->id);
		store_bind_int(st, 2, x->id);
		store_bind_int(st, 3, x->leader_id);
		store_bind_int(st, 4, x->leader_id);
		if (!pass) {
			if ((result = store_one_int(st, &total, NULL, err)))
				goto out;
			continue;
		}
		store_bind_int(st, 5, x->per_page);
		store_bind_int(st, 6, (int64_t)(x->page - 1) * x->per_page);
		while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
			json_array_append_new(ids,
					      json_integer(store_col_int(st, 0)));
		store_reset(st);
		if (result)
			goto out;
	}
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		json_t *l = NULL;
		if ((result = load_link(c, json_integer_value(v), &l, err)))
			goto out;
		json_array_append_new(items, l);
	}
	x->out = page_json(items, total, x->page, x->per_page);
	items = NULL;
out:
	json_decref(ids);
	json_decref(items);
	return result;
}

duban_result leader_link_list(struct store *s, const struct actor *a,
			      int64_t campaign_id, int64_t leader_id,
			      int page, int per_page, json_t **out,
			      struct duban_error *err)
{
	struct list_ctx x = { a, campaign_id, leader_id, page, per_page,
			      VISIT_LINK, NULL };
	/* without a campaign to scope by, a leader lists their own links */
	if (!campaign_id) {
		if (leader_id && leader_id != a->user_id)
			return duban_fail(err, DUBAN_E_INVALID, "campaign_id",
					  "campaign_id is required to list "
					  "another leader's links");
		x.leader_id = a->user_id;
	}
	return read_answer(s, link_list_unit, &x, &x.out, out, err);
}

/* --- visits and their findings --- */

static const struct row_col visit_cols[] = {
	{ "id", ROW_INT },	     { "campaign_id", ROW_INT },
	{ "group_id", ROW_INT },     { "link_id", ROW_INT },
	{ "kind", ROW_TEXT },	     { "visited_on", ROW_TEXT },
	{ "place", ROW_TEXT },	     { "notes", ROW_TEXT },
	{ "recorded_by", ROW_TEXT }, { "created_at", ROW_TIME },
	{ "version", ROW_INT },
};
#define VISIT_NCOLS 11
#define VISIT_SELECT                                                       \
	"SELECT v.id, v.campaign_id, v.group_id, v.link_id, v.kind,"        \
	" v.visited_on, v.place, v.notes, v.recorder, v.created_at,"        \
	" v.version FROM visits v"

static const struct row_col finding_cols[] = {
	{ "id", ROW_INT },		  { "unit_id", ROW_INT },
	{ "person_name", ROW_TEXT },	  { "category", ROW_TEXT },
	{ "description", ROW_TEXT },	  { "measures", ROW_TEXT },
	{ "responsible_name", ROW_TEXT }, { "found_on", ROW_TEXT },
	{ "due_on", ROW_TEXT },		  { "immediate", ROW_BOOL },
	{ "status", ROW_TEXT },		  { "version", ROW_INT },
};
#define FINDING_NCOLS 12

/* Who owns a visit, and whether the actor is one of its people. */
struct owner {
	int64_t campaign_id, leader_id;
	bool member;
};

static duban_result load_owner(struct store_conn *c, const struct actor *a,
			       enum visit_owner kind, int64_t id,
			       struct owner *o, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	int64_t n = 0;
	duban_result result = store_prepare(
		c,
		kind == VISIT_GROUP
			? "SELECT campaign_id, leader_id FROM inspection_groups"
			  " WHERE id = ?"
			: "SELECT campaign_id, leader_id FROM leader_links"
			  " WHERE id = ?",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && row) {
		o->campaign_id = store_col_int(st, 0);
		o->leader_id = store_col_int(st, 1);
	}
	store_reset(st);
	if (result)
		return result;
	if (!row)
		return duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				  "no %s with id %lld",
				  kind == VISIT_GROUP ? "inspection group"
						      : "leader link",
				  (long long)id);
	o->member = a->user_id && o->leader_id == a->user_id;
	if (!o->member && kind == VISIT_GROUP && a->user_id) {
		result = one_int2(c,
				  "SELECT count(*) FROM inspection_group_members"
				  " WHERE group_id = ? AND user_id = ?",
				  id, a->user_id, &n, err);
		o->member = n > 0;
	}
	return result;
}

/* The campaign's office: office staff whose scope holds its unit. */
static bool is_manager(struct store_conn *c, const struct actor *a,
		       const struct campaign_meta *m)
{
	return (a->roles & ROLE_OFFICE) &&
	       scope_require_unit(c, a, m->unit_id, NULL, NULL, NULL) ==
		       DUBAN_OK;
}

static const char *const finding_keys[] = {
	"unit_id",	    "person_name", "category",	   "description",
	"measures",	    "responsible_name", "due_on", "due_workdays",
	"immediate",
};

static void field_prefix(struct duban_error *err, int i)
{
	char f[sizeof(err->field) + 32];
	if (!err)
		return;
	snprintf(f, sizeof(f), "findings[%d]%s%s", i, err->field[0] ? "." : "",
		 err->field);
	memcpy(err->field, f, sizeof(err->field) - 1);
	err->field[sizeof(err->field) - 1] = '\0';
}

static duban_result check_findings(const json_t *findings, size_t min,
				   struct duban_error *err)
{
	size_t i;
	json_t *f;
	if (!findings || json_is_null(findings))
		return min ? duban_fail(err, DUBAN_E_INVALID, "findings",
					"findings is required")
			   : DUBAN_OK;
	if (!json_is_array(findings) || json_array_size(findings) < min ||
	    json_array_size(findings) > MAX_FINDINGS)
		return duban_fail(err, DUBAN_E_INVALID, "findings",
				  "findings must be a list of %zu to %d "
				  "findings",
				  min, MAX_FINDINGS);
	json_array_foreach(findings, i, f)
	{
		const char *key;
		json_t *v;
		char name[96];
		if (!json_is_object(f))
			return duban_fail(err, DUBAN_E_INVALID, "findings",
					  "each finding must be an object");
		json_object_foreach(f, key, v)
		{
			bool known = false;
			for (size_t k = 0; k < sizeof(finding_keys) /
						       sizeof(finding_keys[0]);
			     k++)
				known |= strcmp(key, finding_keys[k]) == 0;
			snprintf(name, sizeof(name), "findings[%zu].%s", i,
				 key);
			if (!known)
				return duban_fail(err, DUBAN_E_INVALID, name,
						  "%s is not a field of a "
						  "finding",
						  name);
			if (json_is_null(v))
				continue;
			if ((strcmp(key, "unit_id") == 0 ||
			     strcmp(key, "due_workdays") == 0) &&
			    !json_is_integer(v))
				return duban_fail(err, DUBAN_E_INVALID, name,
						  "%s must be an integer",
						  name);
			if (strcmp(key, "immediate") == 0 && !json_is_boolean(v))
				return duban_fail(err, DUBAN_E_INVALID, name,
						  "%s must be true or false",
						  name);
		}
		duban_result result;
		json_t *probe = json_deep_copy(f);
		json_object_set_new(probe, "source", json_string("inspection"));
		result = problem_check(probe, err);
		json_decref(probe);
		if (result) {
			field_prefix(err, (int)i);
			return result;
		}
	}
	return DUBAN_OK;
}

/* Opens a problem for each finding, found on the day of the visit. */
static duban_result add_findings(struct store_conn *c, const struct actor *a,
				 int64_t visit_id, int64_t campaign_id,
				 const char *visited_on, const json_t *units,
				 const json_t *findings, json_t *created,
				 struct duban_error *err)
{
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f)
	{
		struct store_stmt *st;
		json_t *in = json_deep_copy(f), *p = NULL;
		json_t *unit = json_object_get(in, "unit_id");
		duban_result result = DUBAN_OK;
		bool visited = false;
		size_t k;
		json_t *u;
		if ((!unit || json_is_null(unit)) &&
		    json_array_size(units) == 1)
			json_object_set(in, "unit_id", json_array_get(units, 0));
		json_array_foreach(units, k, u)
			visited |= json_integer_value(u) ==
				   jint(in, "unit_id", 0);
		if (!visited) {
			if (jint(in, "unit_id", 0))
				result = duban_fail(
					err, DUBAN_E_INVALID, "unit_id",
					"unit %lld was not visited",
					(long long)jint(in, "unit_id", 0));
			else
				result = duban_fail(
					err, DUBAN_E_INVALID, "unit_id",
					"unit_id is required when the visit "
					"went to more than one unit");
			goto fail;
		}
		json_object_set_new(in, "campaign_id",
				    json_integer(campaign_id));
		json_object_set_new(in, "source", json_string("inspection"));
		json_object_set_new(in, "found_on", json_string(visited_on));
		if ((result = problem_check(in, err)) ||
		    (result = problem_insert(c, a, in, &p, err)))
			goto fail;
		json_decref(in);
		result = store_prepare(c,
				       "INSERT INTO visit_findings (visit_id,"
				       " problem_id) VALUES (?, ?)",
				       &st, err);
		if (result) {
			json_decref(p);
			return result;
		}
		store_bind_int(st, 1, visit_id);
		store_bind_int(st, 2, jint(p, "id", 0));
		json_array_append_new(created, json_integer(jint(p, "id", 0)));
		json_decref(p);
		if ((result = store_run(st, err)))
			return result;
		continue;
fail:
		json_decref(in);
		field_prefix(err, (int)i);
		return result;
	}
	return DUBAN_OK;
}

/* The visit with its units and the findings the actor may see. */
static duban_result load_visit(struct store_conn *c, const struct actor *a,
			       int64_t id, bool all, int32_t as_of,
			       json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	json_t *v = NULL, *x = NULL;
	size_t i;
	char today[11];
	duban_result result =
		store_prepare(c, VISIT_SELECT " WHERE v.id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no visit with id %lld", (long long)id);
	if (result == DUBAN_OK)
		v = row_json(st, visit_cols, VISIT_NCOLS);
	store_reset(st);
	if (result)
		return result;
	result = id_array(c,
			  "SELECT unit_id FROM visit_units WHERE visit_id = ?"
			  " ORDER BY unit_id",
			  id, &x, err);
	if (result)
		goto out;
	json_object_set_new(v, "unit_ids", x);
	result = store_prepare(
		c,
		"SELECT p.id, p.unit_id, p.person_name, p.category,"
		" p.description, p.measures, p.responsible_name, p.found_on,"
		" p.due_on, p.immediate, p.status, p.version FROM"
		" visit_findings f JOIN problems p ON p.id = f.problem_id"
		" JOIN units u ON u.id = p.unit_id WHERE f.visit_id = ? AND"
		" (? = 1 OR (u.path >= ? AND u.path < ?)) ORDER BY p.id",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, all);
	scope_bind_subtree(st, 3, a);
	if ((result = rows_json(st, finding_cols, FINDING_NCOLS, &x, err)))
		goto out;
	date_format(as_of, today);
	json_t *f;
	json_array_foreach(x, i, f)
	{
		const char *due = jstr(f, "due_on");
		json_object_set_new(
			f, "overdue",
			json_boolean(due && strcmp(due, today) < 0 &&
				     problem_status_pending(jstr(f, "status"))));
	}
	json_object_set_new(v, "findings", x);
	*out = v;
	v = NULL;
out:
	json_decref(v);
	return result;
}

struct visit_ctx {
	const struct actor *a;
	enum visit_owner owner;
	int64_t id;
	int32_t as_of;
	const json_t *in;
	json_t *out;
};

/* Each visited unit assigned to the group or link, and in scope. */
static duban_result check_visited(struct store_conn *c, const struct actor *a,
				  enum visit_owner kind, int64_t owner_id,
				  const json_t *units, struct duban_error *err)
{
	size_t i;
	json_t *v;
	json_array_foreach(units, i, v)
	{
		int64_t n = 0, unit = json_integer_value(v);
		duban_result result = one_int2(
			c,
			kind == VISIT_GROUP
				? "SELECT count(*) FROM inspection_group_units"
				  " WHERE group_id = ? AND unit_id = ?"
				: "SELECT count(*) FROM leader_link_units"
				  " WHERE link_id = ? AND unit_id = ?",
			owner_id, unit, &n, err);
		if (result)
			return result;
		if (!n)
			return duban_fail_code(
				err, DUBAN_E_FORBIDDEN, "not_assigned",
				"unit_ids",
				"unit %lld is not assigned to this %s",
				(long long)unit,
				kind == VISIT_GROUP ? "inspection group"
						    : "leader");
		if ((result = scope_require_unit(c, a, unit, "unit_ids", NULL,
						 err)))
			return result;
	}
	return DUBAN_OK;
}

static duban_result not_member(struct duban_error *err, enum visit_owner k)
{
	return duban_fail_code(err, DUBAN_E_FORBIDDEN, "not_member", NULL,
			       k == VISIT_GROUP
				       ? "only the group's leader and members "
					 "record its visits and findings"
				       : "only the linked leader records "
					 "their visits and findings");
}

static duban_result visit_create_unit(struct store_conn *c, void *ctx,
				      struct duban_error *err)
{
	struct visit_ctx *x = ctx;
	struct owner o;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t id = 0;
	const json_t *units = json_object_get(x->in, "unit_ids");
	json_t *created = json_array();
	duban_result result = load_owner(c, x->a, x->owner, x->id, &o, err);
	if (result)
		goto out;
	if (!o.member) {
		result = not_member(err, x->owner);
		goto out;
	}
	if ((result = campaign_meta_load(c, x->a, o.campaign_id, false, &m,
					 err)) ||
	    (result = check_visited(c, x->a, x->owner, x->id, units, err)))
		goto out;
	result = store_prepare(c,
			       "INSERT INTO visits (campaign_id, group_id,"
			       " link_id, kind, visited_on, place, notes,"
			       " recorded_by, recorder, created_at) VALUES"
			       " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, o.campaign_id);
	if (x->owner == VISIT_GROUP) {
		store_bind_int(st, 2, x->id);
		store_bind_null(st, 3);
	} else {
		store_bind_null(st, 2);
		store_bind_int(st, 3, x->id);
	}
	store_bind_str(st, 4, jstr(x->in, "kind"));
	store_bind_str(st, 5, jstr(x->in, "visited_on"));
	store_bind_str(st, 6, jstr(x->in, "place"));
	store_bind_str(st, 7, jstr(x->in, "notes"));
	store_bind_int(st, 8, x->a->user_id);
	store_bind_str(st, 9, x->a->username);
	store_bind_int(st, 10, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)) ||
	    (result = insert_ids(c,
				 "INSERT INTO visit_units (visit_id, unit_id)"
				 " VALUES (?, ?)",
				 id, units, 0, err)) ||
	    (result = add_findings(c, x->a, id, o.campaign_id,
				   jstr(x->in, "visited_on"), units,
				   json_object_get(x->in, "findings"), created,
				   err)) ||
	    (result = load_visit(c, x->a, id, true, date_today(), &x->out,
				 err)))
		goto out;
	result = audit_append(c, x->a, "visit", id,
			      json_integer_value(json_array_get(units, 0)),
			      "create", NULL, x->out, err);
out:
	json_decref(created);
	return result;
}

duban_result visit_create(struct store *s, const struct actor *a,
			  enum visit_owner owner, int64_t owner_id,
			  const json_t *in, json_t **out,
			  struct duban_error *err)
{
	struct visit_ctx x = { a, owner, owner_id, 0, in, NULL };
	const char *kind = jstr(in, "kind");
	int32_t day;
	duban_result result;
	if (!kind || (strcmp(kind, "open") != 0 &&
		      strcmp(kind, "unannounced") != 0))
		return duban_fail(err, DUBAN_E_INVALID, "kind",
				  "kind must be open (明查) or unannounced "
				  "(暗访)");
	if ((result = field_date(in, NULL, -1, "visited_on", true, &day, NULL,
				 err)) ||
	    (result = text_require(in, "place", 1, 200, false, err)) ||
	    (result = text_require(in, "notes", 1, 5000, false, err)) ||
	    (result = check_id_list(json_object_get(in, "unit_ids"),
				    "unit_ids", 1, MAX_VISIT_UNITS, err)) ||
	    (result = check_findings(json_object_get(in, "findings"), 0, err)))
		return result;
	if (day > date_today())
		return duban_fail(err, DUBAN_E_INVALID, "visited_on",
				  "visited_on is in the future");
	return write_answer(s, visit_create_unit, &x, &x.out, out, err);
}

/* What the actor may see of visit v: all, or only its own units. */
static duban_result visit_access(struct store_conn *c, const struct actor *a,
				 json_t *v, bool *all,
				 struct duban_error *err)
{
	struct owner o;
	struct campaign_meta m;
	bool group = !json_is_null(json_object_get(v, "group_id"));
	size_t i;
	json_t *u;
	duban_result result = load_owner(
		c, a, group ? VISIT_GROUP : VISIT_LINK,
		jint(v, group ? "group_id" : "link_id", 0), &o, err);
	if (result)
		return result;
	*all = o.member;
	if (*all)
		return DUBAN_OK;
	result = campaign_meta_load(c, a, o.campaign_id, false, &m, NULL);
	if (result == DUBAN_OK && is_manager(c, a, &m)) {
		*all = true;
		return DUBAN_OK;
	}
	if (result != DUBAN_OK && result != DUBAN_E_FORBIDDEN)
		return duban_fail(err, result, NULL,
				  "unable to read campaign %lld",
				  (long long)o.campaign_id);
	json_array_foreach(json_object_get(v, "unit_ids"), i, u)
	{
		result = scope_require_unit(c, a, json_integer_value(u), NULL,
					    NULL, NULL);
		if (result == DUBAN_OK)
			return DUBAN_OK;
		if (result != DUBAN_E_FORBIDDEN)
			return duban_fail(err, result, NULL,
					  "unable to check visit %lld",
					  (long long)jint(v, "id", 0));
	}
	return duban_fail_code(err, DUBAN_E_FORBIDDEN, "out_of_scope", NULL,
			       "visit %lld is outside your scope",
			       (long long)jint(v, "id", 0));
}

static duban_result visit_get_unit(struct store_conn *c, void *ctx,
				   struct duban_error *err)
{
	struct visit_ctx *x = ctx;
	json_t *v = NULL;
	bool all = false;
	duban_result result = load_visit(c, x->a, x->id, true, x->as_of, &v,
					 err);
	if (result)
		return result;
	result = visit_access(c, x->a, v, &all, err);
	json_decref(v);
	if (result)
		return result;
	return load_visit(c, x->a, x->id, all, x->as_of, &x->out, err);
}

duban_result visit_get(struct store *s, const struct actor *a, int64_t id,
		       int32_t as_of, json_t **out, struct duban_error *err)
{
	struct visit_ctx x = { a, VISIT_GROUP, id, as_of, NULL, NULL };
	return read_answer(s, visit_get_unit, &x, &x.out, out, err);
}

static duban_result findings_unit(struct store_conn *c, void *ctx,
				  struct duban_error *err)
{
	struct visit_ctx *x = ctx;
	struct owner o;
	struct campaign_meta m;
	json_t *v = NULL, *created = json_array(), *rec = NULL;
	bool group;
	duban_result result = load_visit(c, x->a, x->id, true, date_today(),
					 &v, err);
	if (result)
		goto out;
	group = !json_is_null(json_object_get(v, "group_id"));
	if ((result = load_owner(c, x->a, group ? VISIT_GROUP : VISIT_LINK,
				 jint(v, group ? "group_id" : "link_id", 0),
				 &o, err)))
		goto out;
	if (!o.member) {
		result = not_member(err, group ? VISIT_GROUP : VISIT_LINK);
		goto out;
	}
	if ((result = campaign_meta_load(c, x->a, o.campaign_id, false, &m,
					 err)) ||
	    (result = add_findings(c, x->a, x->id, o.campaign_id,
				   jstr(v, "visited_on"),
				   json_object_get(v, "unit_ids"),
				   json_object_get(x->in, "findings"), created,
				   err)) ||
	    (result = load_visit(c, x->a, x->id, true, date_today(), &x->out,
				 err)))
		goto out;
	rec = json_pack("{s:O}", "problem_ids", created);
	result = audit_append(
		c, x->a, "visit", x->id,
		json_integer_value(json_array_get(
			json_object_get(v, "unit_ids"), 0)),
		"findings", NULL, rec, err);
out:
	json_decref(v);
	json_decref(rec);
	json_decref(created);
	return result;
}

duban_result visit_add_findings(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err)
{
	struct visit_ctx x = { a, VISIT_GROUP, id, 0, in, NULL };
	duban_result result =
		check_findings(json_object_get(in, "findings"), 1, err);
	if (result)
		return result;
	return write_answer(s, findings_unit, &x, &x.out, out, err);
}

static duban_result visit_list_unit(struct store_conn *c, void *ctx,
				    struct duban_error *err)
{
	struct list_ctx *x = ctx;
	struct owner o;
	struct campaign_meta m;
	struct store_stmt *st;
	int64_t total = 0;
	bool row = false, all;
	json_t *ids = json_array(), *items = json_array();
	/* the filter: visits of this owner that the actor may see */
#define VISIT_WHERE(col)                                                    \
	" FROM visits v WHERE v." col " = ? AND (? = 1 OR EXISTS (SELECT 1" \
	" FROM visit_units vu JOIN units u ON u.id = vu.unit_id WHERE"      \
	" vu.visit_id = v.id AND u.path >= ? AND u.path < ?))"
	static const char *const sql[2][2] = {
		{ "SELECT count(*)" VISIT_WHERE("group_id"),
		  "SELECT v.id" VISIT_WHERE("group_id")
			  " ORDER BY v.visited_on DESC, v.id DESC LIMIT ?"
			  " OFFSET ?" },
		{ "SELECT count(*)" VISIT_WHERE("link_id"),
		  "SELECT v.id" VISIT_WHERE("link_id")
			  " ORDER BY v.visited_on DESC, v.id DESC LIMIT ?"
			  " OFFSET ?" },
	};
#undef VISIT_WHERE
	duban_result result = load_owner(c, x->a, x->owner, x->id, &o, err);
	if (result)
		goto out;
	if ((result = campaign_meta_load(c, x->a, o.campaign_id, false, &m,
					 err)))
		goto out;
	all = o.member || is_manager(c, x->a, &m);
	for (int pass = 0; pass < 2; pass++) {
		result = store_prepare(c, sql[x->owner == VISIT_LINK][pass], &st,
				       err);
		if (result)
			goto out;
		store_bind_int(st, 1, x->id);
		store_bind_int(st, 2, all);
		scope_bind_subtree(st, 3, x->a);
		if (!pass) {
			if ((result = store_one_int(st, &total, NULL, err)))
				goto out;
			continue;
		}
		store_bind_int(st, 5, x->per_page);
		store_bind_int(st, 6, (int64_t)(x->page - 1) * x->per_page);
		while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
			json_array_append_new(ids,
					      json_integer(store_col_int(st, 0)));
		store_reset(st);
		if (result)
			goto out;
	}
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v)
	{
		json_t *visit = NULL;
		if ((result = load_visit(c, x->a, json_integer_value(v), all,
					 date_today(), &visit, err)))
			goto out;
		json_array_append_new(items, visit);
	}
	x->out = page_json(items, total, x->page, x->per_page);
	items = NULL;
out:
	json_decref(ids);
	json_decref(items);
	return result;
}

duban_result visit_list(struct store *s, const struct actor *a,
			enum visit_owner owner, int64_t owner_id, int page,
			int per_page, json_t **out, struct duban_error *err)
{
	struct list_ctx x = { a, owner_id, 0, page, per_page, owner, NULL };
	return read_answer(s, visit_list_unit, &x, &x.out, out, err);
}
