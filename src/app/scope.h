/*
 * scope.h - the one central scope check.
 *
 * A user sees and acts only within the subtree of their unit.  Business
 * operations call these functions with the unit a request targets (directly,
 * or the unit an object belongs to); no other code compares unit paths.
 */
#ifndef DUBAN_APP_SCOPE_H
#define DUBAN_APP_SCOPE_H

#include "app/actor.h"
#include "base/result.h"
#include "store/store.h"

/**
 * Succeeds when unit_id exists and lies in the actor's subtree; writes the
 * unit's path into path_out when not NULL (256 bytes).
 * A missing unit is DUBAN_E_INVALID naming `field` when field is given (the
 * id came from a body), DUBAN_E_NOT_FOUND otherwise; a unit outside the
 * subtree is DUBAN_E_FORBIDDEN.
 */
duban_result scope_require_unit(struct store_conn *c, const struct actor *a,
				int64_t unit_id, const char *field,
				char *path_out, struct duban_error *err);

/**
 * Succeeds when unit_id is in the actor's subtree or on the path above the
 * actor's unit: what a unit may read of a programme issued above it (a
 * county reads the city's campaign).  Errors as scope_require_unit().
 */
duban_result scope_require_reach(struct store_conn *c, const struct actor *a,
				 int64_t unit_id, char *path_out,
				 struct duban_error *err);

/**
 * Binds the actor's subtree as a half-open range of paths to parameters idx
 * and idx+1, for SQL of the form `u.path >= ? AND u.path < ?`.
 */
void scope_bind_subtree(struct store_stmt *st, int idx, const struct actor *a);

/** The role check; DUBAN_E_FORBIDDEN naming the roles when it fails. */
duban_result scope_require_role(const struct actor *a, uint32_t mask,
				struct duban_error *err);

#endif
