/*
 * campaigns.h - campaigns (行动), their phases and task categories, and the
 * item lists with quotas (事项清单).
 *
 * A campaign belongs to the unit that issued it.  Offices at or above that
 * unit manage it; every unit below it can read it, since its tasks and
 * quotas reach down to them.
 */
#ifndef DUBAN_APP_CAMPAIGNS_H
#define DUBAN_APP_CAMPAIGNS_H

#include <jansson.h>
#include <stdint.h>

#include "app/actor.h"
#include "core/lights.h"
#include "store/store.h"

/** What other modules need to know of a campaign. */
struct campaign_meta {
	int64_t id;
	int64_t unit_id;
	char unit_path[256];
	int32_t starts_on, ends_on;
	struct light_params params;
	int warning_red_days; /* days red before a warning interview */
};

/**
 * Loads a campaign's meta inside a unit of work.  404 when it does not
 * exist; 403 unless the actor may read it (manage: may change it).
 */
duban_result campaign_meta_load(struct store_conn *c, const struct actor *a,
				int64_t id, bool manage,
				struct campaign_meta *m,
				struct duban_error *err);

duban_result campaign_create(struct store *s, const struct actor *a,
			     const json_t *in, json_t **out,
			     struct duban_error *err);

/** The campaign with its current_phase on as_of. */
duban_result campaign_get(struct store *s, const struct actor *a, int64_t id,
			  int32_t as_of, json_t **out,
			  struct duban_error *err);

/** Campaigns the actor can read. */
duban_result campaign_list(struct store *s, const struct actor *a, int page,
			   int per_page, int32_t as_of, json_t **out,
			   struct duban_error *err);

/** {unit_ids[] | unit_kind, count, due_on}: sets each unit's quota. */
duban_result campaign_set_quotas(struct store *s, const struct actor *a,
				 int64_t id, const json_t *in, json_t **out,
				 struct duban_error *err);

/** {unit_id, title, description}: a unit declares an item. */
duban_result campaign_declare_item(struct store *s, const struct actor *a,
				   int64_t id, const json_t *in, json_t **out,
				   struct duban_error *err);

/** The items declared in the campaign by units in scope. */
duban_result campaign_items(struct store *s, const struct actor *a,
			    int64_t id, int64_t unit_id, int page,
			    int per_page, json_t **out,
			    struct duban_error *err);

/** {decision: approve|return, comment}: the office reviews an item. */
duban_result item_review(struct store *s, const struct actor *a, int64_t id,
			 const json_t *in, json_t **out,
			 struct duban_error *err);

/** Per unit with a quota: required, declared, status complete|short|late. */
duban_result campaign_quota_status(struct store *s, const struct actor *a,
				   int64_t id, int32_t as_of, json_t **out,
				   struct duban_error *err);

#endif
