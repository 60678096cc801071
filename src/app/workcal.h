/*
 * workcal.h - the serving working-day calendar: the years shipped in the
 * binary, overlaid by the years an office imported into the database
 * (imported years win), and every other year from 2000 to 2200 provisional,
 * computed from the holiday law (core/statutory.h).  Reads take a shared
 * lock on the current snapshot; an import builds a new snapshot and swaps
 * it in.
 *
 * The queries tell, through an optional bool *provisional, whether their
 * answer rests on a provisional day: for workcal_add() and
 * workcal_between() any day counted, for workcal_is_workday() the day
 * itself.
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

duban_result workcal_is_workday(int32_t day, bool *out, bool *provisional,
				struct duban_error *err);
duban_result workcal_add(int32_t day, int n, int32_t *out, bool *provisional,
			 struct duban_error *err);
duban_result workcal_between(int32_t from, int32_t to, int64_t *out,
			     bool *provisional, struct duban_error *err);

/** True when year's schedule is provisional (no notice loaded). */
bool workcal_year_provisional(int year);

/**
 * Imports one year: format "text" (docs/calendar.md), "ics", or NULL to
 * tell by the content.  Validated completely before anything is stored;
 * on error nothing changes.  A provisional year is replaced by any valid
 * schedule; a year that has its notice only by a schedule with a notice
 * issued later than all of its own (an amendment), else DUBAN_E_CONFLICT
 * (calendar_year_loaded).  The audit record keeps the year before and the
 * days whose status changed.  *out describes the year (new reference).
 */
duban_result workcal_import(struct store *s, const struct actor *a,
			    const char *content, size_t len,
			    const char *format, json_t **out,
			    struct duban_error *err);

/** lights_inputs_init() on the serving calendar. */
duban_result workcal_light_inputs(struct light_inputs *in, int32_t as_of,
				  const struct light_params *p,
				  struct duban_error *err);

/**
 * The years with their notices, holidays and source (builtin, imported,
 * provisional): every year with a notice, and the provisional years from
 * the first of them to the year after this_year.
 */
duban_result workcal_years(int this_year, json_t **out,
			   struct duban_error *err);

/** One year as workcal_years() lists it; DUBAN_E_NOT_FOUND outside. */
duban_result workcal_year(int year, json_t **out, struct duban_error *err);

#endif
