#include "app/units.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/text.h"

static const char *const kinds[] = { "province",   "city",   "county",
				     "township",   "department", "office",
				     "other" };

bool unit_kind_valid(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

#define UNIT_SELECT                                                     \
	"SELECT id, name, kind, parent_id, code, depth, version,"       \
	" created_at FROM units"

static const struct row_col unit_cols[] = {
	{ "id", ROW_INT },	{ "name", ROW_TEXT },  { "kind", ROW_TEXT },
	{ "parent_id", ROW_INT }, { "code", ROW_TEXT }, { "depth", ROW_INT },
	{ "version", ROW_INT }, { "created_at", ROW_TIME },
};
#define UNIT_NCOLS 8

static duban_result load_unit(struct store_conn *c, int64_t id, json_t **out,
			      struct duban_error *err)
{
	return row_load(c, UNIT_SELECT " WHERE id = ?", id, unit_cols, UNIT_NCOLS,
			"unit", out, err);
}

static duban_result check_fields(const json_t *in, bool partial,
				 struct duban_error *err)
{
	duban_result result;
	const char *kind = jstr(in, "kind");
	if ((result = text_require(in, "name", 1, 100, !partial, err)))
		return result;
	if ((result = text_require(in, "code", 1, 64, !partial, err)))
		return result;
	if (!partial && !unit_kind_valid(kind))
		return duban_fail(err, DUBAN_E_INVALID, "kind",
				  "kind must be one of province, city, county,"
				  " township, department, office, other");
	return DUBAN_OK;
}

struct create_ctx {
	const struct actor *a;
	const json_t *in;
	int64_t parent_id; /* 0 for the root */
	int64_t id;
	json_t *out;
};

static duban_result insert_unit(struct store_conn *c, struct create_ctx *x,
				const char *parent_path, int depth,
				struct duban_error *err)
{
	struct store_stmt *st;
	char path[256];
	duban_result result = store_prepare(
		c,
		"INSERT INTO units (parent_id, name, kind, code, path, depth,"
		" created_at) VALUES (?, ?, ?, ?, '', ?, ?) RETURNING id",
		&st, err);
	if (result)
		return result;
	if (x->parent_id)
		store_bind_int(st, 1, x->parent_id);
	else
		store_bind_null(st, 1);
	store_bind_str(st, 2, jstr(x->in, "name"));
	store_bind_str(st, 3, jstr(x->in, "kind"));
	store_bind_str(st, 4, jstr(x->in, "code"));
	store_bind_int(st, 5, depth);
	store_bind_int(st, 6, (int64_t)time(NULL));
	result = store_one_int(st, &x->id, NULL, err);
	if (result == DUBAN_E_CONFLICT)
		return duban_fail_code(err, DUBAN_E_CONFLICT, "duplicate",
				       "code", "a unit with code '%s' exists",
				       jstr(x->in, "code"));
	if (result)
		return result;
	if ((size_t)snprintf(path, sizeof(path), "%s%lld/", parent_path,
			     (long long)x->id) >= sizeof(path))
		return duban_fail(err, DUBAN_E_INVALID, "parent_id",
				  "the unit tree is too deep");
	result = store_prepare(c, "UPDATE units SET path = ? WHERE id = ?",
			       &st, err);
	if (result)
		return result;
	store_bind_str(st, 1, path);
	store_bind_int(st, 2, x->id);
	result = store_run(st, err);
	if (result)
		return result;
	result = load_unit(c, x->id, &x->out, err);
	if (result)
		return result;
	return audit_append(c, x->a, "unit", x->id, x->id, "create", NULL, x->out,
			    err);
}

static duban_result create_unit(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct create_ctx *x = ctx;
	char parent_path[256];
	struct store_stmt *st;
	int64_t depth = 0;
	duban_result result = scope_require_unit(c, x->a, x->parent_id,
						 "parent_id", parent_path, err);
	if (result)
		return result;
	result = store_prepare(c, "SELECT depth FROM units WHERE id = ?", &st,
			       err);
	if (result)
		return result;
	store_bind_int(st, 1, x->parent_id);
	result = store_one_int(st, &depth, NULL, err);
	if (result)
		return result;
	return insert_unit(c, x, parent_path, (int)depth + 1, err);
}

duban_result unit_create(struct store *s, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err)
{
	struct create_ctx x = { a, in, jint(in, "parent_id", 0), 0, NULL };
	duban_result result = check_fields(in, false, err);
	if (result)
		return result;
	if (x.parent_id <= 0)
		return duban_fail(err, DUBAN_E_INVALID, "parent_id",
				  "parent_id is required");
	return write_answer(s, create_unit, &x, &x.out, out,
			    err);
}

static duban_result create_root(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct create_ctx *x = ctx;
	struct store_stmt *st;
	bool found = false;
	duban_result result = store_prepare(
		c, "SELECT id FROM units WHERE parent_id IS NULL ORDER BY id",
		&st, err);
	if (result)
		return result;
	result = store_one_int(st, &x->id, &found, err);
	if (result || found)
		return result;
	result = insert_unit(c, x, "/", 0, err);
	json_decref(x->out);
	x->out = NULL;
	return result;
}

duban_result unit_create_root(struct store *s, const char *name,
			      const char *kind, const char *code,
			      int64_t *id, struct duban_error *err)
{
	struct actor sys;
	json_t *in = json_pack("{s:s, s:s, s:s}", "name", name, "kind", kind,
			       "code", code);
	struct create_ctx x = { &sys, in, 0, 0, NULL };
	duban_result result = check_fields(in, false, err);
	actor_system(&sys, "system");
	if (result == DUBAN_OK)
		result = store_write(s, create_root, &x, err);
	*id = x.id;
	json_decref(in);
	return result;
}

struct get_ctx {
	const struct actor *a;
	int64_t id;
	json_t *out;
};

static duban_result get_unit(struct store_conn *c, void *ctx,
			     struct duban_error *err)
{
	struct get_ctx *g = ctx;
	duban_result result =
		scope_require_unit(c, g->a, g->id, NULL, NULL, err);
	if (result)
		return result;
	return load_unit(c, g->id, &g->out, err);
}

duban_result unit_get(struct store *s, const struct actor *a, int64_t id,
		      json_t **out, struct duban_error *err)
{
	struct get_ctx g = { a, id, NULL };
	duban_result result = store_read(s, get_unit, &g, err);
	*out = g.out;
	return result;
}

struct list_ctx {
	const struct actor *a;
	int64_t parent_id;
	int page, per_page;
	json_t *out;
};

static duban_result list_units(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct list_ctx *l = ctx;
	struct store_stmt *st;
	int64_t total = 0;
	json_t *items = NULL;
	duban_result result;
	if (l->parent_id) {
		result = scope_require_unit(c, l->a, l->parent_id, "parent_id",
					    NULL, err);
		if (result)
			return result;
	}
	result = store_prepare(c,
			       "SELECT count(*) FROM units WHERE path >= ? AND"
			       " path < ? AND (? = 0 OR parent_id = ?)",
			       &st, err);
	if (result)
		return result;
	scope_bind_subtree(st, 1, l->a);
	store_bind_int(st, 3, l->parent_id);
	store_bind_int(st, 4, l->parent_id);
	result = store_one_int(st, &total, NULL, err);
	if (result)
		return result;
	result = store_prepare(c,
			       UNIT_SELECT " WHERE path >= ? AND path < ? AND"
					   " (? = 0 OR parent_id = ?)"
					   " ORDER BY path LIMIT ? OFFSET ?",
			       &st, err);
	if (result)
		return result;
	scope_bind_subtree(st, 1, l->a);
	store_bind_int(st, 3, l->parent_id);
	store_bind_int(st, 4, l->parent_id);
	store_bind_int(st, 5, l->per_page);
	store_bind_int(st, 6, (int64_t)(l->page - 1) * l->per_page);
	result = rows_json(st, unit_cols, UNIT_NCOLS, &items, err);
	if (result)
		return result;
	l->out = page_json(items, total, l->page, l->per_page);
	return DUBAN_OK;
}

duban_result unit_list(struct store *s, const struct actor *a,
		       int64_t parent_id, int page, int per_page, json_t **out,
		       struct duban_error *err)
{
	struct list_ctx l = { a, parent_id, page, per_page, NULL };
	duban_result result = store_read(s, list_units, &l, err);
	*out = l.out;
	return result;
}

struct update_ctx {
	const struct actor *a;
	int64_t id;
	const json_t *in;
	json_t *out;
};

static duban_result update_unit(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct update_ctx *u = ctx;
	struct store_stmt *st;
	json_t *before = NULL;
	duban_result result =
		scope_require_unit(c, u->a, u->id, NULL, NULL, err);
	if (result)
		return result;
	result = load_unit(c, u->id, &before, err);
	if (result)
		return result;
	if (jint(before, "version", 0) != jint(u->in, "version", -1)) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT, "stale_version",
					 "version",
					 "unit %lld was changed by someone "
					 "else (version %lld)",
					 (long long)u->id,
					 (long long)jint(before, "version", 0));
		goto out;
	}
	result = store_prepare(c,
			       "UPDATE units SET name = coalesce(?, name),"
			       " code = coalesce(?, code),"
			       " version = version + 1 WHERE id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, jstr(u->in, "name"));
	store_bind_str(st, 2, jstr(u->in, "code"));
	store_bind_int(st, 3, u->id);
	result = store_run(st, err);
	if (result == DUBAN_E_CONFLICT)
		result = duban_fail_code(err, DUBAN_E_CONFLICT, "duplicate",
					 "code", "a unit with code '%s' exists",
					 jstr(u->in, "code"));
	if (result)
		goto out;
	result = load_unit(c, u->id, &u->out, err);
	if (result)
		goto out;
	result = audit_append(c, u->a, "unit", u->id, u->id, "update", before,
			      u->out, err);
out:
	json_decref(before);
	return result;
}

duban_result unit_update(struct store *s, const struct actor *a, int64_t id,
			 const json_t *in, json_t **out,
			 struct duban_error *err)
{
	struct update_ctx u = { a, id, in, NULL };
	duban_result result = check_fields(in, true, err);
	if (result)
		return result;
	return write_answer(s, update_unit, &u, &u.out, out,
			    err);
}

/* --- the public's list (names only) --- */

static const struct row_col public_cols[] = {
	{ "id", ROW_INT },
	{ "name", ROW_TEXT },
	{ "kind", ROW_TEXT },
	{ "parent_id", ROW_INT },
};

static duban_result list_public(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	json_t **out = ctx, *units = NULL;
	struct store_stmt *st;
	duban_result result = store_prepare(
		c, "SELECT id, name, kind, parent_id FROM units ORDER BY path",
		&st, err);
	if (result)
		return result;
	if ((result = rows_json(st, public_cols, 4, &units, err)))
		return result;
	*out = json_pack("{s:o}", "units", units);
	return DUBAN_OK;
}

duban_result unit_list_public(struct store *s, json_t **out,
			      struct duban_error *err)
{
	*out = NULL;
	return store_read(s, list_public, out, err);
}
