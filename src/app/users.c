#include "app/users.h"

#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/text.h"
#include "core/password.h"
#include "core/roles.h"

json_t *user_roles_json(uint32_t roles)
{
	json_t *arr = json_array();
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(arr, json_string(role_name(i)));
	return arr;
}

#define USER_SELECT                                                        \
	"SELECT u.id, u.username, u.display_name, u.unit_id, u.active,"    \
	" u.version, u.created_at, u.roles FROM users u"

static const struct row_col user_cols[] = {
	{ "id", ROW_INT },	    { "username", ROW_TEXT },
	{ "display_name", ROW_TEXT }, { "unit_id", ROW_INT },
	{ "active", ROW_BOOL },	    { "version", ROW_INT },
	{ "created_at", ROW_TIME },
};
#define USER_NCOLS 7

/* The current row as a user object, roles spelled out. */
static json_t *user_row(struct store_stmt *st)
{
	json_t *o = row_json(st, user_cols, USER_NCOLS);
	json_object_set_new(o, "roles",
			    user_roles_json((uint32_t)store_col_int(st, 7)));
	return o;
}

static duban_result load_user(struct store_conn *c, int64_t id, json_t **out,
			      struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result =
		store_prepare(c, USER_SELECT " WHERE u.id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no user with id %lld", (long long)id);
	if (result == DUBAN_OK)
		*out = user_row(st);
	store_reset(st);
	return result;
}

static duban_result parse_roles(const json_t *arr, uint32_t *out,
				struct duban_error *err)
{
	size_t i;
	json_t *v;
	*out = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return duban_fail(err, DUBAN_E_INVALID, "roles",
				  "roles must be a non-empty list");
	json_array_foreach(arr, i, v)
	{
		const char *name = json_string_value(v);
		uint32_t bit = name ? role_parse(name) : 0;
		if (!bit)
			return duban_fail(err, DUBAN_E_INVALID, "roles",
					  "unknown role '%s'",
					  name ? name : "?");
		*out |= bit;
	}
	return DUBAN_OK;
}

static bool username_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-' || c == '@'))
			return false;
	}
	return true;
}

struct create_ctx {
	const struct actor *a;
	const json_t *in;
	uint32_t roles;
	const char *hash;
	json_t *out;
};

static duban_result create_user(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct create_ctx *x = ctx;
	struct store_stmt *st;
	int64_t id = 0;
	duban_result result = scope_require_unit(
		c, x->a, jint(x->in, "unit_id", 0), "unit_id", NULL, err);
	if (result)
		return result;
	result = store_prepare(
		c,
		"INSERT INTO users (username, display_name, unit_id, roles,"
		" password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)"
		" RETURNING id",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, jstr(x->in, "username"));
	store_bind_str(st, 2, jstr(x->in, "display_name"));
	store_bind_int(st, 3, jint(x->in, "unit_id", 0));
	store_bind_int(st, 4, x->roles);
	store_bind_str(st, 5, x->hash);
	store_bind_int(st, 6, (int64_t)time(NULL));
	result = store_one_int(st, &id, NULL, err);
	if (result == DUBAN_E_CONFLICT)
		return duban_fail_code(err, DUBAN_E_CONFLICT, "duplicate",
				       "username", "user '%s' already exists",
				       jstr(x->in, "username"));
	if (result)
		return result;
	result = load_user(c, id, &x->out, err);
	if (result)
		return result;
	/* the audit record never holds the password hash */
	return audit_append(c, x->a, "user", id, jint(x->in, "unit_id", 0), "create", NULL, x->out, err);
}

duban_result user_create(struct store *s, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err)
{
	char hash[PASSWORD_HASH_MAX];
	struct create_ctx x = { a, in, 0, hash, NULL };
	const char *pw = jstr(in, "password");
	duban_result result;
	if (!username_valid(jstr(in, "username")))
		return duban_fail(err, DUBAN_E_INVALID, "username",
				  "username must be 2 to 64 letters, digits"
				  " or . _ - @");
	if (!pw)
		return duban_fail(err, DUBAN_E_INVALID, "password",
				  "password is required");
	if ((result = password_check_policy(pw, strlen(pw), err)))
		return result;
	if ((result = text_require(in, "display_name", 1, 100, false, err)))
		return result;
	if (jint(in, "unit_id", 0) <= 0)
		return duban_fail(err, DUBAN_E_INVALID, "unit_id",
				  "unit_id is required");
	if ((result = parse_roles(json_object_get(in, "roles"), &x.roles,
				  err)))
		return result;
	/* hash outside the write transaction: it takes ~0.1 s on purpose */
	if ((result = password_hash(pw, strlen(pw), hash, err)))
		return result;
	json_t *copy = NULL;
	if (!jstr(in, "display_name")) {
		copy = json_deep_copy(in);
		json_object_set(copy, "display_name",
				json_object_get(in, "username"));
		x.in = copy;
	}
	result = store_write(s, create_user, &x, err);
	json_decref(copy);
	if (result)
		json_decref(x.out);
	else
		*out = x.out;
	return result;
}

struct get_ctx {
	const struct actor *a;
	int64_t id;
	json_t *out;
};

static duban_result get_user(struct store_conn *c, void *ctx,
			     struct duban_error *err)
{
	struct get_ctx *g = ctx;
	json_t *u = NULL;
	duban_result result = load_user(c, g->id, &u, err);
	if (result)
		return result;
	/* a user exists for the caller only within the caller's scope */
	result = scope_require_unit(c, g->a, jint(u, "unit_id", 0), NULL,
				    NULL, err);
	if (result) {
		json_decref(u);
		return result;
	}
	g->out = u;
	return DUBAN_OK;
}

duban_result user_get(struct store *s, const struct actor *a, int64_t id,
		      json_t **out, struct duban_error *err)
{
	struct get_ctx g = { a, id, NULL };
	duban_result result = store_read(s, get_user, &g, err);
	*out = g.out;
	return result;
}

struct list_ctx {
	const struct actor *a;
	int64_t unit_id;
	uint32_t role;	 /* people with any of these roles; 0: anyone */
	bool people;	 /* the names that others may pick, nothing more */
	int page, per_page;
	json_t *out;
};

/* the filters both lists share, bound from the third parameter on */
#define USER_FILTER                                                        \
	" JOIN units n ON n.id = u.unit_id WHERE n.path >= ? AND n.path < ?" \
	" AND (? = 0 OR u.unit_id = ?)"                                     \
	" AND (? = 0 OR (u.roles & CAST(? AS INTEGER)) <> 0)"               \
	" AND (? = 0 OR u.active = 1)"

static int bind_filter(struct store_stmt *st, const struct list_ctx *l)
{
	scope_bind_subtree(st, 1, l->a);
	store_bind_int(st, 3, l->unit_id);
	store_bind_int(st, 4, l->unit_id);
	store_bind_int(st, 5, l->role);
	store_bind_int(st, 6, l->role);
	store_bind_int(st, 7, l->people);
	return 8;
}

static json_t *person_row(struct store_stmt *st)
{
	return json_pack("{s:I, s:s?, s:I, s:o}", "id",
			 (json_int_t)store_col_int(st, 0), "display_name",
			 store_col_text(st, 2), "unit_id",
			 (json_int_t)store_col_int(st, 3), "roles",
			 user_roles_json((uint32_t)store_col_int(st, 7)));
}

static duban_result list_users(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct list_ctx *l = ctx;
	struct store_stmt *st;
	int64_t total = 0;
	bool row = false;
	json_t *items = json_array();
	duban_result result;
	if (l->unit_id) {
		result = scope_require_unit(c, l->a, l->unit_id, "unit_id",
					    NULL, err);
		if (result)
			goto out;
	}
	result = store_prepare(c, "SELECT count(*) FROM users u" USER_FILTER,
			       &st, err);
	if (result)
		goto out;
	bind_filter(st, l);
	result = store_one_int(st, &total, NULL, err);
	if (result)
		goto out;
	result = store_prepare(c,
			       USER_SELECT USER_FILTER
			       " ORDER BY u.id LIMIT ? OFFSET ?",
			       &st, err);
	if (result)
		goto out;
	int k = bind_filter(st, l);
	store_bind_int(st, k, l->per_page);
	store_bind_int(st, k + 1, (int64_t)(l->page - 1) * l->per_page);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		json_array_append_new(items, l->people ? person_row(st)
						       : user_row(st));
	store_reset(st);
	if (result)
		goto out;
	l->out = page_json(items, total, l->page, l->per_page);
	items = NULL;
out:
	json_decref(items);
	return result;
}

duban_result user_list(struct store *s, const struct actor *a,
		       int64_t unit_id, int page, int per_page, json_t **out,
		       struct duban_error *err)
{
	struct list_ctx l = { a, unit_id, 0, false, page, per_page, NULL };
	duban_result result = store_read(s, list_users, &l, err);
	*out = l.out;
	return result;
}

duban_result user_people(struct store *s, const struct actor *a,
			 uint32_t roles, int64_t unit_id, int page,
			 int per_page, json_t **out, struct duban_error *err)
{
	struct list_ctx l = { a, unit_id, roles, true, page, per_page, NULL };
	duban_result result = store_read(s, list_users, &l, err);
	*out = l.out;
	return result;
}

struct exists_ctx {
	const char *username;
	bool found;
};

static duban_result find_user(struct store_conn *c, void *ctx,
			      struct duban_error *err)
{
	struct exists_ctx *x = ctx;
	struct store_stmt *st;
	int64_t id = 0;
	duban_result result = store_prepare(
		c, "SELECT id FROM users WHERE username = ?", &st, err);
	if (result)
		return result;
	store_bind_str(st, 1, x->username);
	return store_one_int(st, &id, &x->found, err);
}

duban_result user_exists(struct store *s, const char *username, bool *out,
			 struct duban_error *err)
{
	struct exists_ctx x = { username, false };
	duban_result result = store_read(s, find_user, &x, err);
	*out = x.found;
	return result;
}
