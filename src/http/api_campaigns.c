/*
 * api_campaigns.c - routes of campaigns, item lists, tasks, monthly
 * reports, milestones, lights, roll-ups and warning interviews.
 */
#include <stdio.h>
#include <string.h>

#include "app/campaigns.h"
#include "app/tasks.h"
#include "app/warnings.h"
#include "core/lights.h"
#include "core/roles.h"
#include "http/api.h"

/* --- campaigns, item lists, tasks, reports, lights --- */


static const struct field_spec campaign_fields[] = {
	{ "title", F_STR, true },	    { "doc_number", F_STR, false },
	{ "unit_id", F_INT, true },	    { "parent_id", F_INT, false },
	{ "starts_on", F_DATE, true },	    { "ends_on", F_DATE, true },
	{ "phases", F_ARR, false },	    { "categories", F_ARR, false },
	{ "themes", F_ARR, false },	    { "due_soon_workdays", F_INT, false },
	{ "report_due_workday", F_INT, false },
	{ "warning_red_days", F_INT, false },	{ NULL, F_ANY, false },
};

static duban_result post_campaigns(struct http_request *r)
{
	REPLY(201, campaign_create(r->store, &r->actor, r->json, &out_,
				   &r->err));
}

static duban_result get_campaigns(struct http_request *r)
{
	int page, per_page;
	int32_t as_of;
	duban_result result = http_paging(r, &page, &per_page);
	if (result || (result = http_query_as_of(r, &as_of)))
		return result;
	REPLY(200, campaign_list(r->store, &r->actor, page, per_page, as_of,
				 &out_, &r->err));
}

static duban_result get_campaign(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, campaign_get(r->store, &r->actor, r->ids[0], as_of, &out_,
				&r->err));
}

static const struct field_spec quota_fields[] = {
	{ "unit_ids", F_ARR, false },
	{ "unit_kind", F_STR, false },
	{ "count", F_INT, true },
	{ "due_on", F_DATE, true },
	{ NULL, F_ANY, false },
};

static duban_result post_quotas(struct http_request *r)
{
	REPLY(201, campaign_set_quotas(r->store, &r->actor, r->ids[0], r->json,
				       &out_, &r->err));
}

static const struct field_spec item_fields[] = {
	{ "unit_id", F_INT, true },
	{ "title", F_STR, true },
	{ "description", F_STR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_items(struct http_request *r)
{
	REPLY(201, campaign_declare_item(r->store, &r->actor, r->ids[0],
					 r->json, &out_, &r->err));
}

static duban_result get_items(struct http_request *r)
{
	int page, per_page;
	int64_t unit;
	duban_result result = http_paging(r, &page, &per_page);
	if (result || (result = http_query_int(r, "unit_id", 1, INT64_MAX / 2,
					       0, &unit)))
		return result;
	REPLY(200, campaign_items(r->store, &r->actor, r->ids[0], unit, page,
				  per_page, &out_, &r->err));
}

static const struct field_spec review_fields[] = {
	{ "decision", F_STR, true },
	{ "comment", F_STR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_item_review(struct http_request *r)
{
	REPLY(200, item_review(r->store, &r->actor, r->ids[0], r->json, &out_,
			       &r->err));
}

static duban_result get_quota_status(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, campaign_quota_status(r->store, &r->actor, r->ids[0], as_of,
					 &out_, &r->err));
}

static duban_result get_lights(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, campaign_lights(r->store, &r->actor, r->ids[0], as_of,
				   &out_, &r->err));
}

static duban_result get_red_tasks(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, campaign_red_tasks(r->store, &r->actor, r->ids[0], as_of,
				      &out_, &r->err));
}

static duban_result get_rollup(struct http_request *r)
{
	int32_t as_of;
	const char *period = http_query(r, "period");
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	if (!period)
		return duban_fail(&r->err, DUBAN_E_INVALID, "period",
				  "period is required (e.g. 2021-Q1, 2021-H1)");
	REPLY(200, campaign_rollup(r->store, &r->actor, r->ids[0], period,
				   as_of, &out_, &r->err));
}

static duban_result post_warning_scan(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, warning_scan(r->store, &r->actor, r->ids[0], as_of, &out_,
				&r->err));
}

static duban_result get_warnings(struct http_request *r)
{
	const char *status = http_query(r, "status");
	if (status && strcmp(status, "pending") != 0 &&
	    strcmp(status, "held") != 0 && strcmp(status, "reported") != 0 &&
	    strcmp(status, "closed") != 0)
		return duban_fail(&r->err, DUBAN_E_INVALID, "status",
				  "status must be pending, held, reported or "
				  "closed");
	REPLY(200, warning_list(r->store, &r->actor, r->ids[0], status, &out_,
				&r->err));
}

static const struct field_spec warning_hold_fields[] = {
	{ "held_on", F_DATE, true },
	{ "notes", F_STR, false },
	{ "report_workdays", F_INT, false },
	{ NULL, F_ANY, false },
};
static const struct field_spec warning_report_fields[] = {
	{ "report", F_STR, true },
	{ NULL, F_ANY, false },
};
static const struct field_spec warning_close_fields[] = {
	{ "comment", F_STR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_warning_hold(struct http_request *r)
{
	REPLY(200, warning_act(r->store, &r->actor, r->ids[0], "hold", r->json,
			       &out_, &r->err));
}

static duban_result post_warning_report(struct http_request *r)
{
	REPLY(200, warning_act(r->store, &r->actor, r->ids[0], "report",
			       r->json, &out_, &r->err));
}

static duban_result post_warning_close(struct http_request *r)
{
	REPLY(200, warning_act(r->store, &r->actor, r->ids[0], "close",
			       r->json, &out_, &r->err));
}

static const struct field_spec task_fields[] = {
	{ "campaign_id", F_INT, true },	 { "category_code", F_STR, true },
	{ "title", F_STR, true },	 { "lead_unit_id", F_INT, true },
	{ "co_unit_ids", F_ARR, false }, { "leader_name", F_STR, false },
	{ "team", F_ARR, false },	 { "parent_id", F_INT, false },
	{ "starts_on", F_DATE, true },	 { "due_on", F_DATE, true },
	{ "indicators", F_ARR, false },	 { "milestones", F_ARR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_tasks(struct http_request *r)
{
	REPLY(201, task_create(r->store, &r->actor, r->json, &out_, &r->err));
}

static duban_result get_tasks(struct http_request *r)
{
	struct task_filter f;
	const char *light = http_query(r, "light"),
		   *include = http_query(r, "include");
	duban_result result;
	memset(&f, 0, sizeof(f));
	if ((result = http_paging(r, &f.page, &f.per_page)) ||
	    (result = http_query_as_of(r, &f.as_of)) ||
	    (result = http_query_int(r, "campaign_id", 1, INT64_MAX / 2, 0,
				     &f.campaign_id)) ||
	    (result = http_query_int(r, "unit_id", 1, INT64_MAX / 2, 0,
				     &f.unit_id)))
		return result;
	f.category_code = http_query(r, "category_code");
	f.light = light ? light_parse(light) : -1;
	if (light && f.light < 0)
		return duban_fail(&r->err, DUBAN_E_INVALID, "light",
				  "light must be green, yellow or red");
	if (include && strcmp(include, "milestones") != 0)
		return duban_fail(&r->err, DUBAN_E_INVALID, "include",
				  "include may only be milestones");
	f.milestones = include != NULL;
	REPLY(200, task_list(r->store, &r->actor, &f, &out_, &r->err));
}

static duban_result get_task(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, task_get(r->store, &r->actor, r->ids[0], as_of, &out_,
			    &r->err));
}

static const struct field_spec report_fields[] = {
	{ "period", F_STR, true },	     { "summary", F_STR, true },
	{ "indicator_values", F_ARR, false }, { "blockers", F_STR, false },
	{ "next_steps", F_STR, false },	     { "reason", F_STR, false },
	{ "attachment_ids", F_ARR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_report(struct http_request *r)
{
	REPLY(201, report_submit(r->store, &r->actor, r->ids[0], r->json,
				 &out_, &r->err));
}

static duban_result get_reports(struct http_request *r)
{
	REPLY(200, report_list(r->store, &r->actor, r->ids[0], &out_,
			       &r->err));
}

static duban_result post_report_review(struct http_request *r)
{
	REPLY(200, report_review(r->store, &r->actor, r->ids[0], r->json,
				 &out_, &r->err));
}

static const struct field_spec milestone_fields[] = {
	{ "completed_on", F_DATE, true },
	{ "evidence", F_STR, true },
	{ NULL, F_ANY, false },
};

static duban_result post_milestone_complete(struct http_request *r)
{
	REPLY(200, milestone_complete(r->store, &r->actor, r->ids[0], r->json,
				      &out_, &r->err));
}

const struct route api_campaigns_routes[] = {
	{ "POST", "/api/v1/campaigns", post_campaigns, ROLE_OFFICE, ROUTE_BODY,
	  campaign_fields },
	{ "GET", "/api/v1/campaigns", get_campaigns, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/campaigns/{id}", get_campaign, ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/campaigns/{id}/quotas", post_quotas, ROLE_OFFICE,
	  ROUTE_BODY, quota_fields },
	{ "POST", "/api/v1/campaigns/{id}/items", post_items,
	  ROLE_OFFICE | ROLE_LIAISON, ROUTE_BODY, item_fields },
	{ "GET", "/api/v1/campaigns/{id}/items", get_items, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/campaigns/{id}/quota-status", get_quota_status,
	  ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/items/{id}/review", post_item_review, ROLE_OFFICE,
	  ROUTE_BODY, review_fields },
	{ "GET", "/api/v1/campaigns/{id}/lights", get_lights, ROLE_ANY, 0,
	  NULL },
	{ "GET", "/api/v1/campaigns/{id}/red-tasks", get_red_tasks, ROLE_ANY,
	  0, NULL },
	{ "GET", "/api/v1/campaigns/{id}/rollup", get_rollup, ROLE_ANY, 0,
	  NULL },
	{ "POST", "/api/v1/campaigns/{id}/warnings/scan", post_warning_scan,
	  ROLE_OFFICE, 0, NULL },
	{ "GET", "/api/v1/campaigns/{id}/warnings", get_warnings, ROLE_ANY, 0,
	  NULL },
	{ "POST", "/api/v1/warnings/{id}/hold", post_warning_hold, ROLE_OFFICE,
	  ROUTE_BODY, warning_hold_fields },
	{ "POST", "/api/v1/warnings/{id}/report", post_warning_report,
	  ROLE_LIAISON | ROLE_OFFICE | ROLE_LEADER, ROUTE_BODY,
	  warning_report_fields },
	{ "POST", "/api/v1/warnings/{id}/close", post_warning_close,
	  ROLE_OFFICE, ROUTE_BODY, warning_close_fields },
	{ "POST", "/api/v1/tasks", post_tasks, ROLE_OFFICE, ROUTE_BODY,
	  task_fields },
	{ "GET", "/api/v1/tasks", get_tasks, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/tasks/{id}", get_task, ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/tasks/{id}/reports", post_report,
	  ROLE_OFFICE | ROLE_LIAISON, ROUTE_BODY, report_fields },
	{ "GET", "/api/v1/tasks/{id}/reports", get_reports, ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/reports/{id}/review", post_report_review,
	  ROLE_OFFICE, ROUTE_BODY, review_fields },
	{ "POST", "/api/v1/milestones/{id}/complete", post_milestone_complete,
	  ROLE_OFFICE | ROLE_LIAISON, ROUTE_BODY, milestone_fields },
};

const int api_campaigns_route_count =
	(int)(sizeof(api_campaigns_routes) / sizeof(api_campaigns_routes[0]));
