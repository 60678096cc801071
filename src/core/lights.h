/*
 * lights.h - progress and warning lights (亮灯), as pure functions of the
 * data and the day they are computed for.
 *
 * The caller computes the few calendar thresholds once per request
 * (lights_inputs_init) and then asks for each task, so that a campaign of
 * 100,000 tasks costs a few calendar look-ups, not a few per task.
 */
#ifndef DUBAN_CORE_LIGHTS_H
#define DUBAN_CORE_LIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"
#include "core/calendar.h"

enum light { LIGHT_GREEN, LIGHT_YELLOW, LIGHT_RED };

/** Why a task has its light; a task may have several reasons. */
enum light_reason {
	LIGHT_MILESTONE_OVERDUE = 1 << 0, /* red: a due milestone not done */
	LIGHT_TASK_OVERDUE = 1 << 1,      /* red: past due, progress < 100 */
	LIGHT_MILESTONE_DUE_SOON = 1 << 2, /* yellow */
	LIGHT_TASK_DUE_SOON = 1 << 3,      /* yellow */
	LIGHT_REPORT_MISSING = 1 << 4,     /* yellow: last month's report */
	/* with another reason: that reason was counted across a day of a
	 * provisional schedule (core/statutory.h), so it may move once the
	 * year's notice is imported; never a light by itself */
	LIGHT_PROVISIONAL = 1 << 5,
};
/* the last reason bit, for loops over them */
#define LIGHT_REASON_LAST LIGHT_PROVISIONAL
#define LIGHT_RED_REASONS (LIGHT_MILESTONE_OVERDUE | LIGHT_TASK_OVERDUE)

/** A campaign's light settings (defaults 3 and 5). */
struct light_params {
	int due_soon_workdays;   /* yellow when due within this many */
	int report_due_workday;  /* last month's report is due by this
				    working day of the month */
};

/** The thresholds for one as_of day, computed once. */
struct light_inputs {
	int32_t as_of;
	int32_t due_soon_until;   /* due on or before this is "soon" */
	bool report_window_passed; /* as_of is after the report due day */
	int32_t prev_month_start;  /* the month whose report is checked */
	int32_t prev_month_end;
	char prev_period[8];       /* "YYYY-MM" */
	bool due_soon_provisional; /* (as_of, due_soon_until] holds a
				      provisional day */
	bool report_due_provisional; /* so does the count to the report's
					due day */
};

/** One milestone as the light needs it. */
struct light_milestone {
	int32_t due_on;
	bool done;
};

/** One task as the light needs it. */
struct light_task {
	int32_t starts_on;
	int32_t due_on;
	double progress; /* 0..100 */
	const struct light_milestone *milestones;
	size_t nmilestones;
	bool prev_report; /* an active report exists for prev_period */
};

/**
 * Computes the thresholds for as_of with the statutory calendar.
 * DUBAN_E_INVALID when a needed year has no schedule loaded.
 */
duban_result lights_inputs_init(struct light_inputs *in, int32_t as_of,
				const struct light_params *p,
				const struct calendar *cal,
				struct duban_error *err);

/** The reasons (enum light_reason bits) that apply to t. */
unsigned light_reasons(const struct light_task *t,
		       const struct light_inputs *in);

/** The light the reasons make: red beats yellow beats green. */
enum light light_of(unsigned reasons);

/** "green", "yellow", "red"; and the reverse (-1 when unknown). */
const char *light_name(enum light l);
int light_parse(const char *s);

/** The names of reason bits, in a fixed order, for JSON. */
const char *light_reason_name(unsigned bit);

/**
 * Attainment of one indicator in percent: for ">=" min(100, 100·v/target),
 * for "<=" 100 when v <= target, else 100·target/v.  A non-positive target
 * with ">=" is attained at any v >= target.  Never below 0.
 */
double indicator_attainment(double value, double target, bool at_most);

#endif
