/*
 * users.h - accounts: who they are, their unit and roles, their password.
 */
#ifndef DUBAN_APP_USERS_H
#define DUBAN_APP_USERS_H

#include <jansson.h>

#include "app/actor.h"
#include "store/store.h"

/**
 * POST /users: {username, password, display_name, unit_id, roles[]}.
 * The unit must be in the actor's scope; the password must meet the policy.
 */
duban_result user_create(struct store *s, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err);

duban_result user_get(struct store *s, const struct actor *a, int64_t id,
		      json_t **out, struct duban_error *err);

/** The users whose unit is in scope; unit_id > 0 narrows to that unit. */
duban_result user_list(struct store *s, const struct actor *a,
		       int64_t unit_id, int page, int per_page, json_t **out,
		       struct duban_error *err);

/**
 * The active people in the actor's scope with any of the roles (0: every
 * role), for staff to pick from (a group's leader, its members): id,
 * display_name, unit_id and roles only.
 */
duban_result user_people(struct store *s, const struct actor *a,
			 uint32_t roles, int64_t unit_id, int page,
			 int per_page, json_t **out, struct duban_error *err);

/** Whether a user with this username exists. */
duban_result user_exists(struct store *s, const char *username, bool *out,
			 struct duban_error *err);

/** Role bits as a JSON array of names (new reference). */
json_t *user_roles_json(uint32_t roles);

#endif
