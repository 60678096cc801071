/*
 * assessment.h - assessment (考核): schemes, public evaluations (评议),
 * bonus points and deductions, vetoes (一票否决), and the ranking with
 * grades (排名、定档), its explanation and its published versions.
 *
 * A scheme belongs to a campaign (the default) or to one period of it; it
 * holds the weights of the components computed from the data, the caps on
 * bonus points and deductions, and the grading rule (shares or
 * thresholds).  The score formula, the ranking order and the grading rules
 * are in core/ranking.h; the components are:
 *
 *   progress                mean progress of the unit's tasks (as lead unit)
 *                           that had started by the day assessed
 *   not_red                 100 x the share of those tasks not red
 *   reports_on_time         100 x (on time + half of late) / monthly reports
 *                           owed in the period (a month's report is owed
 *                           once its due day, the campaign's
 *                           report_due_workday-th working day of the next
 *                           month, has come; on time by that day, judged by
 *                           the first submission for the month)
 *   ledger_closure          100 x closed / problems found by that day
 *   overdue_problems        100 x (1 - overdue / problems): fewer overdue,
 *                           more points
 *   complaint_response      the three rates of /complaints/stats for
 *   complaint_resolution    complaints received in the period by the unit,
 *   complaint_satisfaction  times 100
 *   evaluation              the mean survey score (0-100) of the unit's
 *                           evaluations whose period lies in the period
 *
 * The day assessed is the period's last day, or as_of when earlier.  A
 * component with nothing to measure is left out (its weight goes to the
 * others).  Bonus points and deductions whose period lies in the period
 * are added and subtracted after the weighted sum, each up to its cap.  A
 * veto whose period lies in the period makes the unit fair and ranks it
 * below every unit not vetoed.
 *
 * The units assessed: the scheme's unit_ids when it has them; otherwise
 * the campaign's lead units, the units with problems in it, and units
 * below the issuing unit that received complaints in the period or have
 * an evaluation or adjustment recorded for it; vetoed units always.
 */
#ifndef DUBAN_APP_ASSESSMENT_H
#define DUBAN_APP_ASSESSMENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/actor.h"
#include "store/store.h"

/** The scheme in force for period (NULL: the campaign's default). */
duban_result assessment_scheme_get(struct store *s, const struct actor *a,
				   int64_t campaign_id, const char *period,
				   json_t **out, struct duban_error *err);

/**
 * {period?, weights{}, bonus_cap, deduction_cap, grading{mode,
 * excellent_share, fair_share, excellent_min, good_min}, unit_ids[],
 * version}: sets the default scheme, or one period's; fields left out keep
 * the values in force.  Changing a stored scheme needs its version.
 */
duban_result assessment_scheme_set(struct store *s, const struct actor *a,
				   int64_t campaign_id, const json_t *in,
				   json_t **out, struct duban_error *err);

/** {unit_id, period, score 0-100, respondents, method, note}: records (or
 * replaces) a unit's public evaluation for a period. */
duban_result evaluation_record(struct store *s, const struct actor *a,
			       int64_t campaign_id, const json_t *in,
			       json_t **out, struct duban_error *err);

/** {unit_id, period, kind: bonus|deduction, points, reason}. */
duban_result adjustment_add(struct store *s, const struct actor *a,
			    int64_t campaign_id, const json_t *in,
			    json_t **out, struct duban_error *err);

/** {unit_id, period, reason}: a veto; 409 when one stands already. */
duban_result veto_add(struct store *s, const struct actor *a,
		      int64_t campaign_id, const json_t *in, json_t **out,
		      struct duban_error *err);

enum assessment_list {
	ASSESS_EVALUATIONS,
	ASSESS_ADJUSTMENTS,
	ASSESS_VETOES,
};

/** Evaluations, adjustments or vetoes of a campaign (period NULL: all). */
duban_result assessment_list(struct store *s, const struct actor *a,
			     int64_t campaign_id, enum assessment_list what,
			     const char *period, json_t **out,
			     struct duban_error *err);

/** {reason}: revokes an adjustment or a veto (ASSESS_ADJUSTMENTS or
 * ASSESS_VETOES). */
duban_result assessment_revoke(struct store *s, const struct actor *a,
			       enum assessment_list what, int64_t id,
			       const json_t *in, json_t **out,
			       struct duban_error *err);

/** How ranking_get chooses what to answer. */
struct ranking_query {
	const char *period;
	int32_t as_of;
	int64_t version; /* > 0: that published version */
	bool live;       /* true: computed now even when published */
};

/**
 * The ranking of a period: the latest published version when there is one
 * (unless live), else computed now.  {campaign_id, period, from, to,
 * as_of, published, version, previous_period, scheme, units: [{unit_id,
 * unit_name, score, rank, grade, vetoed, rank_change, previous_rank,
 * components: [{key, name, value, weight, share, contribution, detail}]}]}.
 * Readers below the issuing unit see the units of their subtree only.
 */
duban_result ranking_get(struct store *s, const struct actor *a,
			 int64_t campaign_id, const struct ranking_query *q,
			 json_t **out, struct duban_error *err);

/** Computes the ranking and stores it as the period's next version. */
duban_result ranking_publish(struct store *s, const struct actor *a,
			     int64_t campaign_id, const char *period,
			     int32_t as_of, json_t **out,
			     struct duban_error *err);

/** The published versions of a period: {version, published_at, ...}. */
duban_result ranking_versions(struct store *s, const struct actor *a,
			      int64_t campaign_id, const char *period,
			      json_t **out, struct duban_error *err);

/**
 * Inside a unit of work, for bulletins: the period's latest published
 * ranking, or one computed now (*version 0), whole (not cut to scope).
 * The caller has checked that the actor may read the campaign.
 */
duban_result ranking_load(struct store_conn *c, const struct actor *a,
			  int64_t campaign_id, const char *period,
			  int32_t as_of, json_t **out, int64_t *version,
			  struct duban_error *err);

/** True when period p lies within [first, last]. */
bool assessment_period_within(const char *p, int32_t first, int32_t last);

#endif
