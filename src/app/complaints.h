/*
 * complaints.h - the public's complaints and tips (投诉举报), their routing
 * (谁受理、谁负责), replies, ratings (好差评) and call-backs, the three
 * rates per unit, and service windows' instant ratings (一次一评).
 *
 * The public files without an account and follows a complaint with its
 * tracking code; the public view never shows the contact or internal
 * notes.  A bad rating (1 or 2) opens a rectification problem for the
 * owning unit.
 */
#ifndef DUBAN_APP_COMPLAINTS_H
#define DUBAN_APP_COMPLAINTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/actor.h"
#include "store/store.h"

#define TRACKING_CODE_LEN 10

/**
 * Files a complaint: {channel, category, content, unit_id, contact,
 * address, lat, long}.  staff is true when office staff record one that
 * came by phone, visit or mail (the unit must then be in their scope).
 * *out is {tracking_code, status, due_on, ...} for the public.
 */
duban_result complaint_file(struct store *s, const struct actor *a,
			    const json_t *in, bool staff, json_t **out,
			    struct duban_error *err);

/** The public view of a complaint by its tracking code. */
duban_result complaint_public(struct store *s, const char *code,
			      json_t **out, struct duban_error *err);

/** {score 1-5, resolved, comment} by the reporter, once, after a reply. */
duban_result complaint_rate(struct store *s, const struct actor *a,
			    const char *code, const json_t *in, json_t **out,
			    struct duban_error *err);

struct complaint_filter {
	int64_t unit_id;
	const char *status;
	const char *category;
	bool overdue_only;
	int32_t as_of;
	int page, per_page;
};

duban_result complaint_list(struct store *s, const struct actor *a,
			    const struct complaint_filter *f, json_t **out,
			    struct duban_error *err);

/** The staff view, with contact and history. */
duban_result complaint_get(struct store *s, const struct actor *a,
			   int64_t id, json_t **out, struct duban_error *err);

/** {unit_id, due_workdays}: the office routes a complaint to a unit. */
duban_result complaint_assign(struct store *s, const struct actor *a,
			      int64_t id, const json_t *in, json_t **out,
			      struct duban_error *err);

/** {reply}: the owning unit answers. */
duban_result complaint_reply(struct store *s, const struct actor *a,
			     int64_t id, const json_t *in, json_t **out,
			     struct duban_error *err);

/** {note}: the call-back (回访) after a rating. */
duban_result complaint_callback(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err);

/**
 * The three rates per owning unit in scope (and per subtree) for
 * complaints received in [from, to]: received, response_rate (answered
 * within the time limit), resolution_rate (rated ones marked resolved),
 * satisfaction_rate (rated ones scored 4-5); null when nothing to divide.
 */
duban_result complaint_stats(struct store *s, const struct actor *a,
			     int64_t unit_id, int32_t from, int32_t to,
			     json_t **out, struct duban_error *err);

/** The month's red and black lists: the best and worst five units. */
duban_result complaint_rankings(struct store *s, const struct actor *a,
				int32_t from, int32_t to, json_t **out,
				struct duban_error *err);

/** Complaint categories with their time limits (public). */
duban_result complaint_categories(struct store *s, json_t **out,
				  struct duban_error *err);

/** {code, name, due_workdays, description}: add or change a category. */
duban_result complaint_category_set(struct store *s, const struct actor *a,
				    const json_t *in, json_t **out,
				    struct duban_error *err);

/** {code, name, unit_id}: a service window that takes instant ratings. */
duban_result window_create(struct store *s, const struct actor *a,
			   const json_t *in, json_t **out,
			   struct duban_error *err);

/** {window_code, score, comment}: an instant rating at a window. */
duban_result window_rate(struct store *s, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err);

/** Windows in scope with their ratings in [from, to]. */
duban_result window_stats(struct store *s, const struct actor *a,
			  int32_t from, int32_t to, json_t **out,
			  struct duban_error *err);

/** Open311: complaints as service requests, filtered (see open311.c). */
struct open311_filter {
	const char *codes;	/* comma-separated tracking codes */
	const char *service_code;
	int32_t start, end;	/* 0 for none */
	const char *status;	/* "open", "closed" or NULL */
};
duban_result open311_requests(struct store *s,
			      const struct open311_filter *f, json_t **out,
			      struct duban_error *err);

#endif
