/*
 * audit.h - the append-only, hash-chained audit trail.
 *
 * Every write appends a record in the same unit of work (so the same
 * transaction) as the change it records.  Records are only ever inserted.
 */
#ifndef DUBAN_APP_AUDIT_H
#define DUBAN_APP_AUDIT_H

#include <jansson.h>

#include "app/actor.h"
#include "store/store.h"

/**
 * Appends a record: action on entity/entity_id by the actor, with the
 * object before and after (either may be NULL).  unit_id is the unit the
 * object belongs to (0 for none): auditors see the records of their
 * subtree.  References are borrowed.
 */
duban_result audit_append(struct store_conn *c, const struct actor *a,
			  const char *entity, int64_t entity_id,
			  int64_t unit_id, const char *action, json_t *before, json_t *after,
			  struct duban_error *err);

/**
 * Walks the whole chain.  DUBAN_OK with *count records when intact;
 * DUBAN_E_CONFLICT with *bad_id the first record that does not match.
 */
duban_result audit_verify(struct store *s, int64_t *count, int64_t *bad_id,
			  struct duban_error *err);

/**
 * The records of one object (entity may be NULL for all), newest first,
 * limited to what the actor may audit: the acts of users whose unit lies
 * in the actor's subtree, and the system's own acts for an auditor at the
 * root.
 */
duban_result audit_list(struct store *s, const struct actor *a,
			const char *entity, int64_t id,
			int page, int per_page, json_t **out,
			struct duban_error *err);

#endif
