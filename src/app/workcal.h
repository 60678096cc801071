/*
 * workcal.h - the serving working-day calendar: the years shipped in the
 * binary, overlaid by the years an office imported into the database
 * (imported years win).  Reads take a shared lock on the current snapshot;
 * an import builds a new snapshot and swaps it in.
 *
 * An import made through another server process sharing the database is
 * seen here after workcal_load() runs again (at the next start).
 */
#ifndef DUBAN_APP_WORKCAL_H
#define DUBAN_APP_WORKCAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/actor.h"
#include "core/lights.h"
#include "store/store.h"

/** Loads the shipped years and, when s is not NULL, the imported ones. */
duban_result workcal_load(struct store *s, struct duban_error *err);

/** Frees the snapshot (at exit). */
void workcal_release(void);

duban_result workcal_is_workday(int32_t day, bool *out,
				struct duban_error *err);
duban_result workcal_add(int32_t day, int n, int32_t *out,
			 struct duban_error *err);
duban_result workcal_between(int32_t from, int32_t to, int64_t *out,
			     struct duban_error *err);

/**
 * Imports one year: format "text" (docs/calendar.md), "ics", or NULL to
 * tell by the content.  Validated completely before anything is stored;
 * on error nothing changes.  *out describes the year (new reference).
 */
duban_result workcal_import(struct store *s, const struct actor *a,
			    const char *content, size_t len,
			    const char *format, json_t **out,
			    struct duban_error *err);

/** lights_inputs_init() on the serving calendar. */
duban_result workcal_light_inputs(struct light_inputs *in, int32_t as_of,
				  const struct light_params *p,
				  struct duban_error *err);

/** The loaded years with their notices and where they came from. */
duban_result workcal_years(json_t **out, struct duban_error *err);

#endif
