/*
 * api_problems.c - routes of the problem lists and the rectification
 * ledger: problems, their workflow, the ledger and its exports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/ledger_export.h"
#include "app/problems.h"
#include "base/xalloc.h"
#include "core/roles.h"
#include "http/api.h"

static const struct field_spec problem_fields[] = {
	{ "campaign_id", F_INT, true },	  { "unit_id", F_INT, true },
	{ "person_name", F_STR, false },  { "source", F_STR, true },
	{ "audit_kind", F_STR, false },	  { "category", F_STR, false },
	{ "description", F_STR, true },	  { "measures", F_STR, false },
	{ "responsible_name", F_STR, false }, { "found_on", F_DATE, false },
	{ "due_on", F_DATE, false },	  { "due_workdays", F_INT, false },
	{ "immediate", F_BOOL, false },	  { NULL, F_ANY, false },
};

static duban_result post_problems(struct http_request *r)
{
	REPLY(201, problem_create(r->store, &r->actor, r->json, &out_,
				  &r->err));
}

static duban_result get_problems(struct http_request *r)
{
	struct problem_filter f;
	const char *overdue = http_query(r, "overdue");
	duban_result result;
	memset(&f, 0, sizeof(f));
	if ((result = http_paging(r, &f.page, &f.per_page)) ||
	    (result = http_query_as_of(r, &f.as_of)) ||
	    (result = http_query_int(r, "campaign_id", 1, INT64_MAX / 2, 0,
				     &f.campaign_id)) ||
	    (result = http_query_int(r, "unit_id", 1, INT64_MAX / 2, 0,
				     &f.unit_id)))
		return result;
	if (overdue && strcmp(overdue, "true") != 0 &&
	    strcmp(overdue, "false") != 0)
		return duban_fail(&r->err, DUBAN_E_INVALID, "overdue",
				  "overdue must be true or false");
	f.overdue_only = overdue && strcmp(overdue, "true") == 0;
	f.status = http_query(r, "status");
	f.source = http_query(r, "source");
	f.kind = http_query(r, "kind");
	REPLY(200, problem_list(r->store, &r->actor, &f, &out_, &r->err));
}

static duban_result get_problem(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, problem_get(r->store, &r->actor, r->ids[0], as_of, &out_,
			       &r->err));
}

static const struct field_spec transition_fields[] = {
	{ "to", F_STR, true },	      { "note", F_STR, false },
	{ "evidence", F_STR, false }, { "version", F_INT, true },
	{ "attachment_ids", F_ARR, false }, { NULL, F_ANY, false },
};

static duban_result post_transition(struct http_request *r)
{
	REPLY(200, problem_transition(r->store, &r->actor, r->ids[0], r->json,
				      &out_, &r->err));
}

static duban_result get_ledger(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, campaign_ledger(r->store, &r->actor, r->ids[0], as_of,
				   &out_, &r->err));
}

static void attachment(struct http_request *r, const char *ext)
{
	char name[64];
	snprintf(name, sizeof(name),
		 "attachment; filename=\"ledger-%lld.%s\"",
		 (long long)r->ids[0], ext);
	snprintf(r->disposition, sizeof(r->disposition), "%s", name);
	http_add_header(r, "Content-Disposition", r->disposition);
}

static duban_result get_ledger_xlsx(struct http_request *r)
{
	int32_t as_of;
	int fd = -1;
	size_t size = 0;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	result = ledger_export_xlsx(r->store, &r->actor, r->ids[0], as_of,
				    NULL, &fd, &size, &r->err);
	if (result)
		return result;
	/* streamed from the (already unlinked) file, not read into memory */
	r->raw_fd = fd;
	r->raw_len = size;
	r->raw_type = "application/vnd.openxmlformats-officedocument."
		      "spreadsheetml.sheet";
	attachment(r, "xlsx");
	return DUBAN_OK;
}

static duban_result get_ledger_csv(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	result = ledger_export_csv(r->store, &r->actor, r->ids[0], as_of,
				   &r->raw, &r->raw_len, &r->err);
	if (result)
		return result;
	r->raw_type = "text/csv; charset=utf-8";
	attachment(r, "csv");
	return DUBAN_OK;
}

static duban_result get_ledger_trend(struct http_request *r)
{
	const char *f = http_query(r, "from"), *t = http_query(r, "to");
	int32_t from, to = date_today();
	int y, m, d;
	date_to_ymd(to, &y, &m, &d);
	/* the last twelve months by default */
	from = date_from_ymd(m == 12 ? y : y - 1, m == 12 ? 1 : m + 1, 1);
	if (f && !date_parse(f, strlen(f), &from))
		return duban_fail(&r->err, DUBAN_E_INVALID, "from",
				  "from must be a date as YYYY-MM-DD");
	if (t && !date_parse(t, strlen(t), &to))
		return duban_fail(&r->err, DUBAN_E_INVALID, "to",
				  "to must be a date as YYYY-MM-DD");
	REPLY(200, campaign_ledger_trend(r->store, &r->actor, r->ids[0], from,
					 to, &out_, &r->err));
}

#define WORKERS (ROLE_OFFICE | ROLE_LIAISON | ROLE_INSPECTOR)

const struct route api_problems_routes[] = {
	{ "POST", "/api/v1/problems", post_problems, WORKERS, ROUTE_BODY,
	  problem_fields },
	{ "GET", "/api/v1/problems", get_problems, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/problems/{id}", get_problem, ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/problems/{id}/transition", post_transition,
	  ROLE_OFFICE | ROLE_LIAISON, ROUTE_BODY, transition_fields },
	{ "GET", "/api/v1/campaigns/{id}/ledger", get_ledger, ROLE_ANY, 0,
	  NULL },
	{ "GET", "/api/v1/campaigns/{id}/ledger.xlsx", get_ledger_xlsx,
	  ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/campaigns/{id}/ledger/trend", get_ledger_trend,
	  ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/campaigns/{id}/ledger.csv", get_ledger_csv, ROLE_ANY,
	  0, NULL },
};

const int api_problems_route_count =
	(int)(sizeof(api_problems_routes) / sizeof(api_problems_routes[0]));
