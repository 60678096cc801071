#include "app/scope.h"

#include <stdio.h>
#include <string.h>

#include "core/roles.h"

void actor_system(struct actor *a, const char *what)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->username, sizeof(a->username), "%s", what);
	snprintf(a->unit_path, sizeof(a->unit_path), "/");
	snprintf(a->client_addr, sizeof(a->client_addr), "local");
	a->roles = ~0u;
}

bool actor_has_any(const struct actor *a, uint32_t mask)
{
	return mask == ROLE_ANY || (a->roles & mask) != 0;
}

duban_result scope_require_role(const struct actor *a, uint32_t mask,
				struct duban_error *err)
{
	char names[128] = "";
	size_t n = 0;
	if (actor_has_any(a, mask))
		return DUBAN_OK;
	for (int i = 0; i < ROLE_COUNT; i++)
		if (mask & (1u << i))
			n += (size_t)snprintf(names + n, sizeof(names) - n,
					      "%s%s", n ? ", " : "",
					      role_name(i));
	return duban_fail(err, DUBAN_E_FORBIDDEN, NULL,
			  "this needs one of the roles: %s", names);
}

static duban_result check_unit(struct store_conn *c, const struct actor *a,
			       int64_t unit_id, const char *field,
			       bool reach_up, char *path_out,
			       struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result =
		store_prepare(c, "SELECT path FROM units WHERE id = ?", &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, unit_id);
	result = store_step(st, &row, err);
	if (result)
		goto out;
	if (!row) {
		result = field ? duban_fail(err, DUBAN_E_INVALID, field,
					    "no unit with id %lld",
					    (long long)unit_id)
			       : duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
					    "no unit with id %lld",
					    (long long)unit_id);
		goto out;
	}
	const char *path = store_col_text(st, 0);
	if (!scope_path_contains(a->unit_path, path) &&
	    !(reach_up && scope_path_contains(path, a->unit_path))) {
		result = duban_fail_code(err, DUBAN_E_FORBIDDEN, "out_of_scope",
					 field, "unit %lld is outside your scope",
					 (long long)unit_id);
		goto out;
	}
	if (path_out)
		snprintf(path_out, 256, "%s", path);
out:
	store_reset(st);
	return result;
}

duban_result scope_require_unit(struct store_conn *c, const struct actor *a,
				int64_t unit_id, const char *field,
				char *path_out, struct duban_error *err)
{
	return check_unit(c, a, unit_id, field, false, path_out, err);
}

duban_result scope_require_reach(struct store_conn *c, const struct actor *a,
				 int64_t unit_id, char *path_out,
				 struct duban_error *err)
{
	return check_unit(c, a, unit_id, NULL, true, path_out, err);
}

void scope_bind_subtree(struct store_stmt *st, int idx, const struct actor *a)
{
	char hi[sizeof(a->unit_path)];
	size_t n = strlen(a->unit_path);
	/* every path under "/1/4/" sorts in ["/1/4/", "/1/40"): '0' follows '/' */
	memcpy(hi, a->unit_path, n + 1);
	if (n > 0)
		hi[n - 1] = '0';
	store_bind_text(st, idx, a->unit_path, n);
	store_bind_text(st, idx + 1, hi, n);
}
