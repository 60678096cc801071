/*
 * attachments.h - evidence files (photos, PDFs, Office documents) attached
 * to the moves of problems.
 *
 * A file is checked by its content (core/filetype.h), stored once by its
 * SHA-256 under the data directory (DATA/attachments/ab/cd/abcd...: written
 * to a temporary file, synced, renamed into place), and recorded as a row
 * naming who uploaded it from which unit.  The application never alters or
 * deletes an attachment; a wrong one is superseded by linking another.
 *
 * Who may read one: those whose scope holds the uploader's unit, or the
 * unit of a problem it is linked to.
 */
#ifndef DUBAN_APP_ATTACHMENTS_H
#define DUBAN_APP_ATTACHMENTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "store/store.h"

/**
 * Stores data[0..len) as an attachment named filename, uploaded by the
 * actor from their unit.  *out is {id, sha256, size, content_type,
 * filename, unit_id, uploaded_by, created_at} (new reference).  A type
 * that is not evidence is 422 unsupported_type; a bad name 422 naming
 * "filename".
 */
duban_result attachment_create(struct store *s, const struct actor *a,
			       const char *data_dir, const char *filename,
			       const void *data, size_t len, json_t **out,
			       struct duban_error *err);

/**
 * The attachment's record (*meta, new reference) and its bytes (*data,
 * malloc'd, the caller frees it), when the actor may read it: 404 when
 * there is none, 403 outside scope, 500 when the stored file is missing or
 * no longer matches its SHA-256.
 */
duban_result attachment_read(struct store *s, const struct actor *a,
			     const char *data_dir, int64_t id, json_t **meta,
			     char **data, size_t *len,
			     struct duban_error *err);

/**
 * Checks a list of attachment ids from a request body (field names it in
 * errors): positive, distinct, at most 20.
 */
duban_result attachment_ids_check(const json_t *ids, const char *field,
				  struct duban_error *err);

/**
 * Inside a write unit: links the attachments ids (checked) to a problem's
 * workflow event, and records that in the audit trail (unit_id: the
 * problem's).  Each must exist (422 naming field) and be readable by the
 * actor (403).
 */
duban_result attachment_link_problem(struct store_conn *c,
				     const struct actor *a,
				     int64_t problem_id, int64_t unit_id,
				     int64_t event_id,
				     const json_t *ids, const char *field,
				     struct duban_error *err);

/**
 * Inside a unit: gives each event of a problem's history (objects with
 * "id") its "attachments": [{id, filename, content_type, size, sha256}].
 */
/**
 * Links the attachments of ids (checked with attachment_ids_check) to a
 * monthly report of a task led by unit_id, inside the caller's write unit;
 * the actor must be able to read each.
 */
duban_result attachment_link_report(struct store_conn *c,
				    const struct actor *a, int64_t report_id,
				    int64_t unit_id, const json_t *ids,
				    const char *field,
				    struct duban_error *err);

/** The ids of the attachments linked to a report, as a new JSON array. */
duban_result attachment_report_ids(struct store_conn *c, int64_t report_id,
				   json_t **out, struct duban_error *err);

duban_result attachment_problem_history(struct store_conn *c,
					int64_t problem_id, json_t *history,
					struct duban_error *err);

#endif
