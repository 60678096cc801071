/*
 * api_inspections.c - routes of inspection groups (督查组), linked leaders
 * (联点), their visits and the findings recorded on them.
 */
#include <string.h>

#include "app/inspections.h"
#include "core/roles.h"
#include "http/api.h"

static const struct field_spec group_fields[] = {
	{ "name", F_STR, true },      { "leader_id", F_INT, true },
	{ "member_ids", F_ARR, false }, { "unit_ids", F_ARR, true },
	{ "note", F_STR, false },     { NULL, F_ANY, false },
};

static const struct field_spec group_update_fields[] = {
	{ "name", F_STR, false },     { "leader_id", F_INT, false },
	{ "member_ids", F_ARR, false }, { "unit_ids", F_ARR, false },
	{ "note", F_STR, false },     { "version", F_INT, true },
	{ NULL, F_ANY, false },
};

static duban_result post_groups(struct http_request *r)
{
	REPLY(201, inspection_group_create(r->store, &r->actor, r->ids[0],
					   r->json, &out_, &r->err));
}

static duban_result get_groups(struct http_request *r)
{
	int page, per_page;
	duban_result result = http_paging(r, &page, &per_page);
	if (result)
		return result;
	REPLY(200, inspection_group_list(r->store, &r->actor, r->ids[0], page,
					 per_page, &out_, &r->err));
}

static duban_result get_group(struct http_request *r)
{
	REPLY(200, inspection_group_get(r->store, &r->actor, r->ids[0], &out_,
					&r->err));
}

static duban_result patch_group(struct http_request *r)
{
	REPLY(200, inspection_group_update(r->store, &r->actor, r->ids[0],
					   r->json, &out_, &r->err));
}

static const struct field_spec link_fields[] = {
	{ "campaign_id", F_INT, true }, { "leader_id", F_INT, true },
	{ "unit_ids", F_ARR, true },	{ "note", F_STR, false },
	{ NULL, F_ANY, false },
};

static const struct field_spec link_update_fields[] = {
	{ "unit_ids", F_ARR, false },
	{ "note", F_STR, false },
	{ "version", F_INT, true },
	{ NULL, F_ANY, false },
};

static duban_result post_links(struct http_request *r)
{
	REPLY(201, leader_link_create(r->store, &r->actor, r->json, &out_,
				      &r->err));
}

static duban_result get_links(struct http_request *r)
{
	int page, per_page;
	int64_t campaign, leader;
	duban_result result;
	if ((result = http_paging(r, &page, &per_page)) ||
	    (result = http_query_int(r, "campaign_id", 1, INT64_MAX / 2, 0,
				     &campaign)) ||
	    (result = http_query_int(r, "leader_id", 1, INT64_MAX / 2, 0,
				     &leader)))
		return result;
	REPLY(200, leader_link_list(r->store, &r->actor, campaign, leader,
				    page, per_page, &out_, &r->err));
}

static duban_result get_link(struct http_request *r)
{
	REPLY(200, leader_link_get(r->store, &r->actor, r->ids[0], &out_,
				   &r->err));
}

static duban_result patch_link(struct http_request *r)
{
	REPLY(200, leader_link_update(r->store, &r->actor, r->ids[0], r->json,
				      &out_, &r->err));
}

static const struct field_spec visit_fields[] = {
	{ "kind", F_STR, true },     { "visited_on", F_DATE, true },
	{ "place", F_STR, false },   { "unit_ids", F_ARR, true },
	{ "notes", F_STR, false },   { "findings", F_ARR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_group_visits(struct http_request *r)
{
	REPLY(201, visit_create(r->store, &r->actor, VISIT_GROUP, r->ids[0],
				r->json, &out_, &r->err));
}

static duban_result post_link_visits(struct http_request *r)
{
	REPLY(201, visit_create(r->store, &r->actor, VISIT_LINK, r->ids[0],
				r->json, &out_, &r->err));
}

static duban_result list_visits(struct http_request *r,
				enum visit_owner owner)
{
	int page, per_page;
	duban_result result = http_paging(r, &page, &per_page);
	if (result)
		return result;
	REPLY(200, visit_list(r->store, &r->actor, owner, r->ids[0], page,
			      per_page, &out_, &r->err));
}

static duban_result get_group_visits(struct http_request *r)
{
	return list_visits(r, VISIT_GROUP);
}

static duban_result get_link_visits(struct http_request *r)
{
	return list_visits(r, VISIT_LINK);
}

static duban_result get_visit(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, visit_get(r->store, &r->actor, r->ids[0], as_of, &out_,
			     &r->err));
}

static const struct field_spec findings_fields[] = {
	{ "findings", F_ARR, true },
	{ NULL, F_ANY, false },
};

static duban_result post_findings(struct http_request *r)
{
	REPLY(201, visit_add_findings(r->store, &r->actor, r->ids[0], r->json,
				      &out_, &r->err));
}

/* who records visits: the app layer checks that they are the group's
 * people or the linked leader */
#define VISITORS (ROLE_INSPECTOR | ROLE_LEADER | ROLE_OFFICE)

const struct route api_inspections_routes[] = {
	{ "POST", "/api/v1/campaigns/{id}/inspection-groups", post_groups,
	  ROLE_OFFICE, ROUTE_BODY, group_fields },
	{ "GET", "/api/v1/campaigns/{id}/inspection-groups", get_groups,
	  ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/inspection-groups/{id}", get_group, ROLE_ANY, 0,
	  NULL },
	{ "PATCH", "/api/v1/inspection-groups/{id}", patch_group, ROLE_OFFICE,
	  ROUTE_BODY, group_update_fields },
	{ "POST", "/api/v1/inspection-groups/{id}/visits", post_group_visits,
	  VISITORS, ROUTE_BODY, visit_fields },
	{ "GET", "/api/v1/inspection-groups/{id}/visits", get_group_visits,
	  ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/leader-links", post_links, ROLE_OFFICE, ROUTE_BODY,
	  link_fields },
	{ "GET", "/api/v1/leader-links", get_links, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/leader-links/{id}", get_link, ROLE_ANY, 0, NULL },
	{ "PATCH", "/api/v1/leader-links/{id}", patch_link, ROLE_OFFICE,
	  ROUTE_BODY, link_update_fields },
	{ "POST", "/api/v1/leader-links/{id}/visits", post_link_visits,
	  ROLE_LEADER, ROUTE_BODY, visit_fields },
	{ "GET", "/api/v1/leader-links/{id}/visits", get_link_visits,
	  ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/visits/{id}", get_visit, ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/visits/{id}/findings", post_findings, VISITORS,
	  ROUTE_BODY, findings_fields },
};

const int api_inspections_route_count =
	(int)(sizeof(api_inspections_routes) /
	      sizeof(api_inspections_routes[0]));
