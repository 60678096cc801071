/*
 * bulletins.h - bulletins (通报) and typical cases (典型案例).
 *
 * A bulletin of a campaign and period is drafted from the data on the day
 * it is created: a progress summary, the ranking table (the period's
 * published ranking, or one computed then), red-light tasks and overdue
 * problems, commendations and criticisms from the grades, bonus points
 * and vetoes, and the typical cases the office entered for the period.
 * Its text is a list of paragraphs, {level, text} with level 0 for body
 * text and 1..4 for the headings 一、 （一） 1. （1） (numbered when
 * rendered), or {table: "ranking"}; the office edits them (with the
 * bulletin's version) and publishes it: it gets the campaign's next serial
 * number and never changes again (409).
 *
 * Drafts are seen by the offices that manage the campaign; published
 * bulletins by everyone who reads the campaign, and by the public.
 */
#ifndef DUBAN_APP_BULLETINS_H
#define DUBAN_APP_BULLETINS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "store/store.h"

/** {unit_id?, period, kind: good|bad, title, summary}: a typical case. */
duban_result case_add(struct store *s, const struct actor *a,
		      int64_t campaign_id, const json_t *in, json_t **out,
		      struct duban_error *err);

/** The typical cases of a campaign (period NULL: all). */
duban_result case_list(struct store *s, const struct actor *a,
		       int64_t campaign_id, const char *period, json_t **out,
		       struct duban_error *err);

/**
 * {period, doc_number, title?, issuer?, addressee?, signature?}: drafts a
 * bulletin from the data as of as_of.
 */
duban_result bulletin_create(struct store *s, const struct actor *a,
			     int64_t campaign_id, const json_t *in,
			     int32_t as_of, json_t **out,
			     struct duban_error *err);

duban_result bulletin_get(struct store *s, const struct actor *a, int64_t id,
			  json_t **out, struct duban_error *err);

/** The campaign's bulletins (drafts only for those who may see them). */
duban_result bulletin_list(struct store *s, const struct actor *a,
			   int64_t campaign_id, json_t **out,
			   struct duban_error *err);

/** {version, title?, issuer?, addressee?, signature?, paragraphs?}. */
duban_result bulletin_update(struct store *s, const struct actor *a,
			     int64_t id, const json_t *in, json_t **out,
			     struct duban_error *err);

/** {version}: numbers and freezes a draft. */
duban_result bulletin_publish(struct store *s, const struct actor *a,
			      int64_t id, const json_t *in, json_t **out,
			      struct duban_error *err);

/**
 * The bulletin as an HTML page (Chinese, every text escaped) or as a
 * GB/T 9704 Word document; *out is malloc'd (the caller frees it).  With
 * a NULL actor only a published bulletin is found (the public page).
 */
duban_result bulletin_html(struct store *s, const struct actor *a,
			   int64_t id, char **out, size_t *len,
			   struct duban_error *err);
duban_result bulletin_docx(struct store *s, const struct actor *a,
			   int64_t id, char **out, size_t *len,
			   struct duban_error *err);

#endif
