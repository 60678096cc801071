/*
 * inspections.h - inspection groups (督查组/督导组), linked leaders (联点)
 * and their visits, whose findings become problems (当面反馈、限期整改).
 *
 * The office of a campaign sets up inspection groups - a leader, members,
 * the units the group is assigned (分包) - and links leaders to units.  A
 * group's leader or member records the group's visits, open (明查) or
 * unannounced (暗访), to units assigned to it and in their own scope; a
 * linked leader records their own visits to their units the same way.
 * Each finding of a visit is opened as a problem with source "inspection",
 * found on the day of the visit, with the deadline given on the spot (a
 * date or N working days), in the same unit of work as the visit.
 *
 * Reading: a group or a link, by whoever may read its campaign; a visit,
 * by the group's people or the linked leader, by the campaign's office,
 * and by those whose scope holds a unit it visited (who then see only the
 * findings of their units).
 */
#ifndef DUBAN_APP_INSPECTIONS_H
#define DUBAN_APP_INSPECTIONS_H

#include <jansson.h>
#include <stdint.h>

#include "app/actor.h"
#include "store/store.h"

/** {name, leader_id, member_ids[], unit_ids[], note} -> the group. */
duban_result inspection_group_create(struct store *s, const struct actor *a,
				     int64_t campaign_id, const json_t *in,
				     json_t **out, struct duban_error *err);

/** {name, leader_id, member_ids, unit_ids, note, version}: the lists given
 * replace the group's. */
duban_result inspection_group_update(struct store *s, const struct actor *a,
				     int64_t id, const json_t *in,
				     json_t **out, struct duban_error *err);

duban_result inspection_group_get(struct store *s, const struct actor *a,
				  int64_t id, json_t **out,
				  struct duban_error *err);

duban_result inspection_group_list(struct store *s, const struct actor *a,
				   int64_t campaign_id, int page,
				   int per_page, json_t **out,
				   struct duban_error *err);

/** {campaign_id, leader_id, unit_ids[], note} -> the link (one per
 * leader and campaign: 409 when it exists). */
duban_result leader_link_create(struct store *s, const struct actor *a,
				const json_t *in, json_t **out,
				struct duban_error *err);

/** {unit_ids, note, version}. */
duban_result leader_link_update(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err);

duban_result leader_link_get(struct store *s, const struct actor *a,
			     int64_t id, json_t **out,
			     struct duban_error *err);

/** The links of a campaign (campaign_id > 0), or else the actor's own;
 * leader_id > 0 narrows to one leader. */
duban_result leader_link_list(struct store *s, const struct actor *a,
			      int64_t campaign_id, int64_t leader_id,
			      int page, int per_page, json_t **out,
			      struct duban_error *err);

/** Whose visit: a group's or a linked leader's. */
enum visit_owner { VISIT_GROUP, VISIT_LINK };

/**
 * {kind: open|unannounced, visited_on, place, unit_ids[], notes,
 * findings[]} -> the visit with its findings (problems).
 */
duban_result visit_create(struct store *s, const struct actor *a,
			  enum visit_owner owner, int64_t owner_id,
			  const json_t *in, json_t **out,
			  struct duban_error *err);

/** The visits of a group or a link that the actor may read, newest first. */
duban_result visit_list(struct store *s, const struct actor *a,
			enum visit_owner owner, int64_t owner_id, int page,
			int per_page, json_t **out, struct duban_error *err);

duban_result visit_get(struct store *s, const struct actor *a, int64_t id,
		       int32_t as_of, json_t **out, struct duban_error *err);

/**
 * {findings: [{unit_id, person_name, category, description, measures,
 * responsible_name, due_on | due_workdays, immediate}]}: opens a problem
 * for each, all or none.  *out is the visit with its findings.
 */
duban_result visit_add_findings(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err);

#endif
