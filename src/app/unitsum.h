/*
 * unitsum.h - counts per unit over the units in an actor's scope, and the
 * same counts rolled up to each unit's subtree (internal to src/app/).
 *
 * The lights, the ledger and the complaint rates all count rows per unit
 * and then per subtree: the units are loaded once, ordered by id with
 * their paths; a row is added to its unit by a binary search; the roll-up
 * walks each unit's path once, however many rows were counted.
 */
#ifndef DUBAN_APP_UNITSUM_H
#define DUBAN_APP_UNITSUM_H

#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "store/store.h"

#define UNITSUM_MAX 10 /* counters per unit */

struct unitsum_unit {
	int64_t id;
	char path[256];
	int64_t own[UNITSUM_MAX]; /* what was added to this unit */
	int64_t sub[UNITSUM_MAX]; /* after the roll-up: its subtree's */
};

struct unitsum {
	struct unitsum_unit *u; /* by id */
	size_t n;
	size_t k; /* counters in use */
};

/**
 * Loads the units in a's scope - those under lo, up to hi, too, when lo is
 * not NULL (a unit_id filter) - with k counters each, all zero.
 */
duban_result unitsum_load(struct store_conn *c, const struct actor *a,
			  const char *lo, const char *hi, size_t k,
			  struct unitsum *s, struct duban_error *err);

/** The unit with this id, or NULL when it is outside what was loaded. */
struct unitsum_unit *unitsum_find(const struct unitsum *s, int64_t id);

/** Adds v[0..k) to the unit's own counters; false when it is not loaded. */
bool unitsum_add(const struct unitsum *s, int64_t id, const int64_t *v);

/** Adds every unit's own counters to its sub and to every loaded ancestor's. */
void unitsum_roll_up(struct unitsum *s);

void unitsum_release(struct unitsum *s);

#endif
