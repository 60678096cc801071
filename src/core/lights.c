#include "core/lights.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

duban_result lights_inputs_init(struct light_inputs *in, int32_t as_of,
				const struct light_params *p,
				const struct calendar *cal,
				struct duban_error *err)
{
	int y, m, d;
	duban_result result;
	int32_t report_due;
	memset(in, 0, sizeof(*in));
	in->as_of = as_of;
	/* 0 working days: only what falls due today is "soon" */
	in->due_soon_until = as_of;
	if (p->due_soon_workdays > 0) {
		result = calendar_add(cal, as_of, p->due_soon_workdays,
				      &in->due_soon_until, err);
		if (result)
			return result;
		in->due_soon_provisional = calendar_span_provisional(
			cal, as_of + 1, in->due_soon_until);
	}
	date_to_ymd(as_of, &y, &m, &d);
	int32_t month_start = date_from_ymd(y, m, 1);
	in->prev_month_end = month_start - 1;
	date_to_ymd(in->prev_month_end, &y, &m, &d);
	in->prev_month_start = date_from_ymd(y, m, 1);
	snprintf(in->prev_period, sizeof(in->prev_period), "%04u-%02u",
		 (unsigned)y % 10000u, (unsigned)m % 100u);
	/* the Nth working day of the as_of month, counted inside the month
	 * (the day before it may lie in a year with no schedule) */
	bool first_works = false;
	result = calendar_is_workday(cal, month_start, &first_works, err);
	if (result)
		return result;
	report_due = month_start;
	int n = first_works ? p->report_due_workday - 1 : p->report_due_workday;
	if (n > 0 && (result = calendar_add(cal, month_start, n, &report_due,
					    err)))
		return result;
	in->report_window_passed = as_of > report_due;
	in->report_due_provisional =
		calendar_span_provisional(cal, month_start, report_due);
	return DUBAN_OK;
}

unsigned light_reasons(const struct light_task *t,
		       const struct light_inputs *in)
{
	unsigned r = 0;
	for (size_t i = 0; i < t->nmilestones; i++) {
		const struct light_milestone *m = &t->milestones[i];
		if (m->done)
			continue;
		if (m->due_on < in->as_of)
			r |= LIGHT_MILESTONE_OVERDUE;
		else if (m->due_on <= in->due_soon_until)
			r |= LIGHT_MILESTONE_DUE_SOON;
	}
	if (t->progress < 100.0) {
		if (t->due_on < in->as_of)
			r |= LIGHT_TASK_OVERDUE;
		else if (t->due_on <= in->due_soon_until)
			r |= LIGHT_TASK_DUE_SOON;
	}
	/* only a task that had started before last month ended owes its
	 * report, and only once the report's due day has passed */
	if (in->report_window_passed && t->starts_on <= in->prev_month_end &&
	    !t->prev_report)
		r |= LIGHT_REPORT_MISSING;
	if (((r & (LIGHT_MILESTONE_DUE_SOON | LIGHT_TASK_DUE_SOON)) &&
	     in->due_soon_provisional) ||
	    ((r & LIGHT_REPORT_MISSING) && in->report_due_provisional))
		r |= LIGHT_PROVISIONAL;
	return r;
}

enum light light_of(unsigned reasons)
{
	if (reasons & LIGHT_RED_REASONS)
		return LIGHT_RED;
	return reasons ? LIGHT_YELLOW : LIGHT_GREEN;
}

static const char *const names[] = { "green", "yellow", "red" };

const char *light_name(enum light l)
{
	return names[l];
}

int light_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *light_reason_name(unsigned bit)
{
	switch (bit) {
	case LIGHT_MILESTONE_OVERDUE:
		return "milestone_overdue";
	case LIGHT_TASK_OVERDUE:
		return "task_overdue";
	case LIGHT_MILESTONE_DUE_SOON:
		return "milestone_due_soon";
	case LIGHT_TASK_DUE_SOON:
		return "task_due_soon";
	case LIGHT_REPORT_MISSING:
		return "report_missing";
	case LIGHT_PROVISIONAL:
		return "provisional_calendar";
	default:
		return NULL;
	}
}

double indicator_attainment(double value, double target, bool at_most)
{
	double a;
	if (at_most) {
		if (value <= target)
			return 100.0;
		a = value > 0 ? 100.0 * target / value : 0.0;
	} else {
		if (target <= 0)
			return value >= target ? 100.0 : 0.0;
		a = 100.0 * value / target;
		if (a > 100.0)
			a = 100.0;
	}
	return a < 0 ? 0.0 : a;
}
