#include "core/problem_flow.h"

#include <string.h>

static const char *const statuses[] = { "open",	    "rectifying", "rectified",
					"returned", "closed",     "reopened" };
static const char *const sources[] = { "self", "public", "superior",
				       "inspection", "audit" };

static const struct {
	const char *from, *to;
	struct problem_move move;
} moves[] = {
	{ "open", "rectifying", { false, false, false } },
	{ "rectifying", "rectified", { false, false, true } },
	{ "rectified", "closed", { true, false, false } },
	{ "rectified", "returned", { true, true, false } },
	{ "returned", "rectifying", { false, false, false } },
	{ "closed", "reopened", { true, true, false } },
	{ "reopened", "rectifying", { false, false, false } },
};

static bool in(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

bool problem_status_valid(const char *s)
{
	return in(s, statuses, sizeof(statuses) / sizeof(statuses[0]));
}

bool problem_source_valid(const char *s)
{
	return in(s, sources, sizeof(sources) / sizeof(sources[0]));
}

duban_result problem_move_check(const char *from, const char *to,
				struct problem_move *move,
				struct duban_error *err)
{
	if (!problem_status_valid(to))
		return duban_fail(err, DUBAN_E_INVALID, "to",
				  "to must be one of open, rectifying, "
				  "rectified, returned, closed, reopened");
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i].from, from) == 0 &&
		    strcmp(moves[i].to, to) == 0) {
			*move = moves[i].move;
			return DUBAN_OK;
		}
	}
	return duban_fail_code(err, DUBAN_E_CONFLICT, "invalid_transition",
			       "to", "a problem that is %s cannot become %s",
			       from, to);
}

bool problem_status_pending(const char *status)
{
	/* a rectified problem waits on the office, not on its unit */
	return status && strcmp(status, "closed") != 0 &&
	       strcmp(status, "rectified") != 0;
}
