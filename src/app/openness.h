/*
 * openness.h - the public page of a campaign (晒).
 */
#ifndef DUBAN_APP_OPENNESS_H
#define DUBAN_APP_OPENNESS_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/**
 * The public page of a campaign (晒, no login): its targets (tasks with
 * indicators, milestones, progress and light), the item lists, the
 * ledger's counts per unit and the published bulletins.  No person's name,
 * contact or note is in it.
 */
duban_result campaign_public(struct store *s, int64_t campaign_id,
			     int32_t as_of, json_t **out,
			     struct duban_error *err);

#endif
