#include "app/audit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/jalloc.h"
#include "app/rows.h"
#include "app/scope.h"
#include "core/audit_hash.h"

static char *dump(json_t *j)
{
	return j ? json_text(j, JSON_COMPACT | JSON_SORT_KEYS |
					 JSON_ENCODE_ANY)
		 : NULL;
}

duban_result audit_append(struct store_conn *c, const struct actor *a,
			  const char *entity, int64_t entity_id,
			  int64_t unit_id, const char *action, json_t *before,
			  json_t *after, struct duban_error *err)
{
	struct store_stmt *st;
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	bool row = false;
	int64_t last_id = 0;
	char *before_s = dump(before), *after_s = dump(after);
	/* runs on the single writer inside its transaction, so the chain
	 * head cannot move underneath us */
	duban_result result = store_prepare(
		c, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
		&st, err);
	if (result)
		goto out;
	result = store_step(st, &row, err);
	if (result)
		goto out;
	memcpy(prev, audit_genesis_hash, AUDIT_HASH_HEX);
	if (row) {
		last_id = store_col_int(st, 0);
		const char *h = store_col_text(st, 1);
		if (h && strlen(h) == AUDIT_HASH_HEX - 1)
			memcpy(prev, h, AUDIT_HASH_HEX);
	}
	store_reset(st);
	struct audit_record r = {
		.id = last_id + 1,
		.at = (int64_t)time(NULL),
		.actor_id = a->user_id,
		.actor = a->username,
		.client_addr = a->client_addr,
		.entity = entity,
		.entity_id = entity_id,
		.unit_id = unit_id,
		.action = action,
		.before_json = before_s,
		.after_json = after_s,
	};
	result = audit_hash(prev, &r, hash);
	if (result)
		goto out;
	result = store_prepare(
		c,
		"INSERT INTO audit_log (id, at, actor_id, actor, client_addr,"
		" entity, entity_id, action, before_json, after_json,"
		" prev_hash, hash, unit_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, r.id);
	store_bind_int(st, 2, r.at);
	if (r.actor_id)
		store_bind_int(st, 3, r.actor_id);
	else
		store_bind_null(st, 3);
	store_bind_str(st, 4, r.actor);
	store_bind_str(st, 5, r.client_addr);
	store_bind_str(st, 6, entity);
	store_bind_int(st, 7, entity_id);
	store_bind_str(st, 8, action);
	store_bind_str(st, 9, before_s);
	store_bind_str(st, 10, after_s);
	store_bind_str(st, 11, prev);
	store_bind_str(st, 12, hash);
	if (unit_id)
		store_bind_int(st, 13, unit_id);
	else
		store_bind_null(st, 13);
	result = store_run(st, err);
out:
	free(before_s);
	free(after_s);
	return result;
}

struct verify_ctx {
	int64_t count;
	int64_t bad_id;
};

static duban_result verify_unit(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct verify_ctx *v = ctx;
	struct store_stmt *st;
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	bool row = false;
	int64_t expect_id = 1;
	duban_result result = store_prepare(
		c,
		"SELECT id, at, actor_id, actor, client_addr, entity,"
		" entity_id, action, before_json, after_json, prev_hash, hash,"
		" unit_id FROM audit_log ORDER BY id",
		&st, err);
	if (result)
		return result;
	memcpy(prev, audit_genesis_hash, AUDIT_HASH_HEX);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		struct audit_record r = {
			.id = store_col_int(st, 0),
			.at = store_col_int(st, 1),
			.actor_id = store_col_int(st, 2),
			.actor = store_col_text(st, 3),
			.client_addr = store_col_text(st, 4),
			.entity = store_col_text(st, 5),
			.entity_id = store_col_int(st, 6),
			.action = store_col_text(st, 7),
			.before_json = store_col_text(st, 8),
			.after_json = store_col_text(st, 9),
			.unit_id = store_col_int(st, 12),
		};
		const char *stored_prev = store_col_text(st, 10);
		const char *stored = store_col_text(st, 11);
		result = audit_hash(prev, &r, hash);
		if (result)
			break;
		/* a deleted record shows as a gap in the ids, an edited one
		 * as a hash mismatch, a re-hashed one as a broken link */
		if (r.id != expect_id || !stored_prev ||
		    strcmp(stored_prev, prev) != 0 || !stored ||
		    strcmp(stored, hash) != 0) {
			v->bad_id = r.id != expect_id && r.id > expect_id
					    ? expect_id
					    : r.id;
			result = duban_fail_code(
				err, DUBAN_E_CONFLICT, "audit_broken", NULL,
				"audit record %lld does not match its chain",
				(long long)v->bad_id);
			break;
		}
		memcpy(prev, stored, AUDIT_HASH_HEX);
		v->count++;
		expect_id++;
	}
	store_reset(st);
	return result;
}

duban_result audit_verify(struct store *s, int64_t *count, int64_t *bad_id,
			  struct duban_error *err)
{
	struct verify_ctx v = { 0, 0 };
	duban_result result = store_read(s, verify_unit, &v, err);
	*count = v.count;
	*bad_id = v.bad_id;
	return result;
}

struct list_ctx {
	const struct actor *a;
	const char *entity;
	int64_t id;
	int page, per_page;
	json_t *out;
};

static const struct row_col audit_cols[] = {
	{ "id", ROW_INT },	   { "at", ROW_TIME },
	{ "actor_id", ROW_INT },   { "actor", ROW_TEXT },
	{ "client_addr", ROW_TEXT }, { "entity", ROW_TEXT },
	{ "entity_id", ROW_INT },  { "action", ROW_TEXT },
	{ "before", ROW_TEXT },	   { "after", ROW_TEXT },
	{ "hash", ROW_TEXT },
};

/*
 * Scope: the records of objects whose unit lies in the auditor's subtree;
 * records of no unit (the system's own) only for an auditor at the root.
 * Asking for one object outside the subtree is 403, not an empty page.
 */
#define AUDIT_FILTER                                                      \
	" WHERE (CAST(? AS TEXT) IS NULL OR a.entity = ?)"                \
	" AND (? = 0 OR a.entity_id = ?)"
#define AUDIT_WHERE                                                       \
	" LEFT JOIN units n ON n.id = a.unit_id" AUDIT_FILTER             \
	" AND ((n.path >= ? AND n.path < ?) OR (a.unit_id IS NULL AND ? = 1))"

static void bind_filter(struct store_stmt *st, const struct list_ctx *l)
{
	store_bind_str(st, 1, l->entity);
	store_bind_str(st, 2, l->entity);
	store_bind_int(st, 3, l->id);
	store_bind_int(st, 4, l->id);
}

static void bind_where(struct store_stmt *st, const struct list_ctx *l)
{
	int depth = 0;
	for (const char *p = l->a->unit_path; *p; p++)
		depth += *p == '/';
	bind_filter(st, l);
	scope_bind_subtree(st, 5, l->a);
	/* "/1/" has two slashes: the root unit's path */
	store_bind_int(st, 7, depth <= 2 ? 1 : 0);
}

static duban_result list_unit(struct store_conn *c, void *ctx,
			      struct duban_error *err)
{
	struct list_ctx *l = ctx;
	struct store_stmt *st;
	int64_t total = 0;
	json_t *items = NULL;
	/* `CAST(? AS TEXT) IS NULL OR` keeps one statement for both filters;
	 * the cast tells PostgreSQL the parameter's type */
	duban_result result = store_prepare(
		c, "SELECT count(*) FROM audit_log a" AUDIT_WHERE, &st, err);
	if (result)
		return result;
	bind_where(st, l);
	result = store_one_int(st, &total, NULL, err);
	if (result == DUBAN_OK && total == 0 && l->entity && l->id) {
		int64_t all = 0;
		result = store_prepare(c,
				       "SELECT count(*) FROM audit_log a"
				       AUDIT_FILTER,
				       &st, err);
		if (result)
			return result;
		bind_filter(st, l);
		result = store_one_int(st, &all, NULL, err);
		if (result == DUBAN_OK && all > 0)
			return duban_fail_code(err, DUBAN_E_FORBIDDEN,
					       "out_of_scope", "id",
					       "%s %lld is outside your scope",
					       l->entity, (long long)l->id);
	}
	if (result)
		return result;
	result = store_prepare(
		c,
		"SELECT a.id, a.at, a.actor_id, a.actor, a.client_addr,"
		" a.entity, a.entity_id, a.action, a.before_json,"
		" a.after_json, a.hash FROM audit_log a" AUDIT_WHERE
		" ORDER BY a.id DESC LIMIT ? OFFSET ?",
		&st, err);
	if (result)
		return result;
	bind_where(st, l);
	store_bind_int(st, 8, l->per_page);
	store_bind_int(st, 9, (int64_t)(l->page - 1) * l->per_page);
	result = rows_json(st, audit_cols, 11, &items, err);
	if (result)
		return result;
	/* before/after are stored as JSON text: hand them back as JSON */
	size_t i;
	json_t *item;
	json_array_foreach(items, i, item)
	{
		const char *keys[2] = { "before", "after" };
		for (int k = 0; k < 2; k++) {
			const char *s = jstr(item, keys[k]);
			if (s)
				json_object_set_new(
					item, keys[k],
					json_loads(s, JSON_DECODE_ANY, NULL));
		}
	}
	l->out = page_json(items, total, l->page, l->per_page);
	return DUBAN_OK;
}

duban_result audit_list(struct store *s, const struct actor *a,
			const char *entity, int64_t id, int page, int per_page,
			json_t **out, struct duban_error *err)
{
	struct list_ctx l = { a, entity, id, page, per_page, NULL };
	duban_result result = store_read(s, list_unit, &l, err);
	*out = l.out;
	return result;
}
