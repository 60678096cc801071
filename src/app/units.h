/*
 * units.h - the unit tree (单位): province, city, county, township,
 * departments and offices, each a node with a materialised path.
 */
#ifndef DUBAN_APP_UNITS_H
#define DUBAN_APP_UNITS_H

#include <jansson.h>

#include "app/actor.h"
#include "store/store.h"

/** True when kind is one of API.md's unit kinds. */
bool unit_kind_valid(const char *kind);

/** Creates the root unit (no parent) unless one exists; *id gets its id. */
duban_result unit_create_root(struct store *s, const char *name,
			      const char *kind, const char *code,
			      int64_t *id, struct duban_error *err);

/** POST /units: {name, kind, parent_id, code}; the parent must be in scope. */
duban_result unit_create(struct store *s, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err);

/** One unit in scope. */
duban_result unit_get(struct store *s, const struct actor *a, int64_t id,
		      json_t **out, struct duban_error *err);

/** The units in scope, by path; parent_id > 0 lists only its children. */
duban_result unit_list(struct store *s, const struct actor *a,
		       int64_t parent_id, int page, int per_page, json_t **out,
		       struct duban_error *err);

/** PATCH /units/{id}: {name, code, version}; a stale version is 409. */
duban_result unit_update(struct store *s, const struct actor *a, int64_t id,
			 const json_t *in, json_t **out,
			 struct duban_error *err);

/**
 * GET /public/units: every unit of the tree, by path, as
 * {"units": [{id, name, kind, parent_id}]} - the names the public may
 * pick from when filing a complaint; no code, path or version.  *out is
 * a new reference on success.
 */
duban_result unit_list_public(struct store *s, json_t **out,
			      struct duban_error *err);

#endif
