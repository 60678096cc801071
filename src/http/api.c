/*
 * api.c - the route table and its thin handlers.
 *
 * A row says everything the dispatcher enforces before the handler runs:
 * method, path, the roles allowed, whether it is public, and the body's
 * declared fields.  Handlers take path and query parameters, call one
 * business operation in src/app/, and set the answer.
 */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/campaigns.h"
#include "app/tasks.h"
#include "app/rows.h"
#include "app/sessions.h"
#include "app/units.h"
#include "app/users.h"
#include "app/warnings.h"
#include "app/workcal.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/lights.h"
#include "core/roles.h"
#include "http/server_internal.h"

/* --- service --- */

static duban_result get_healthz(struct http_request *r)
{
	http_reply(r, 200, json_pack("{s:s}", "status", "ok"));
	return DUBAN_OK;
}

static duban_result get_metrics(struct http_request *r)
{
	r->raw = metrics_render(r->srv, &r->raw_len);
	r->raw_type = "text/plain; version=0.0.4; charset=utf-8";
	return DUBAN_OK;
}

/* --- session --- */

static const struct field_spec login_fields[] = {
	{ "username", F_STR, true },
	{ "password", F_STR, true },
	{ NULL, F_ANY, false },
};

static duban_result post_session(struct http_request *r)
{
	char token[SESSION_TOKEN_LEN], csrf[SESSION_TOKEN_LEN];
	json_t *user = NULL;
	duban_result result = session_login(
		r->store, jstr(r->json, "username"), jstr(r->json, "password"),
		r->actor.client_addr, token, csrf, &user, &r->err);
	if (result)
		return result;
	snprintf(r->set_cookie, sizeof(r->set_cookie),
		 "duban_session=%s; Path=/; HttpOnly; SameSite=Strict", token);
	http_reply(r, 200,
		   json_pack("{s:s, s:s, s:o}", "token", token, "csrf_token",
			     csrf, "user", user));
	return DUBAN_OK;
}

static duban_result delete_session(struct http_request *r)
{
	duban_result result =
		session_logout(r->store, &r->actor, r->token, &r->err);
	if (result)
		return result;
	snprintf(r->set_cookie, sizeof(r->set_cookie),
		 "duban_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	http_reply(r, 200, json_pack("{s:s}", "status", "logged_out"));
	return DUBAN_OK;
}

static duban_result get_me(struct http_request *r)
{
	json_t *me = NULL;
	duban_result result = session_me(r->store, &r->actor, &me, &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, me);
	return result;
}

/* --- units --- */

static const struct field_spec unit_fields[] = {
	{ "name", F_STR, true },     { "kind", F_STR, true },
	{ "parent_id", F_INT, true }, { "code", F_STR, true },
	{ NULL, F_ANY, false },
};

static const struct field_spec unit_patch_fields[] = {
	{ "name", F_STR, false },
	{ "code", F_STR, false },
	{ "version", F_INT, true },
	{ NULL, F_ANY, false },
};

static duban_result post_units(struct http_request *r)
{
	json_t *out = NULL;
	duban_result result =
		unit_create(r->store, &r->actor, r->json, &out, &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 201, out);
	return result;
}

static duban_result get_units(struct http_request *r)
{
	int page, per_page;
	int64_t parent;
	json_t *out = NULL;
	duban_result result = http_paging(r, &page, &per_page);
	if (result)
		return result;
	result = http_query_int(r, "parent_id", 1, INT64_MAX / 2, 0, &parent);
	if (result)
		return result;
	result = unit_list(r->store, &r->actor, parent, page, per_page, &out,
			   &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

static duban_result get_unit(struct http_request *r)
{
	json_t *out = NULL;
	duban_result result =
		unit_get(r->store, &r->actor, r->ids[0], &out, &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

static duban_result patch_unit(struct http_request *r)
{
	json_t *out = NULL;
	duban_result result = unit_update(r->store, &r->actor, r->ids[0],
					  r->json, &out, &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

/* --- users --- */

static const struct field_spec user_fields[] = {
	{ "username", F_STR, true },  { "password", F_STR, true },
	{ "display_name", F_STR, false }, { "unit_id", F_INT, true },
	{ "roles", F_ARR, true },     { NULL, F_ANY, false },
};

static duban_result post_users(struct http_request *r)
{
	json_t *out = NULL;
	duban_result result =
		user_create(r->store, &r->actor, r->json, &out, &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 201, out);
	return result;
}

static duban_result get_users(struct http_request *r)
{
	int page, per_page;
	int64_t unit;
	json_t *out = NULL;
	duban_result result = http_paging(r, &page, &per_page);
	if (result)
		return result;
	result = http_query_int(r, "unit_id", 1, INT64_MAX / 2, 0, &unit);
	if (result)
		return result;
	result = user_list(r->store, &r->actor, unit, page, per_page, &out,
			   &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

static duban_result get_user(struct http_request *r)
{
	json_t *out = NULL;
	duban_result result =
		user_get(r->store, &r->actor, r->ids[0], &out, &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

/* --- audit --- */

static duban_result get_audit(struct http_request *r)
{
	int page, per_page;
	int64_t id;
	json_t *out = NULL;
	const char *entity = http_query(r, "entity");
	duban_result result = http_paging(r, &page, &per_page);
	if (result)
		return result;
	result = http_query_int(r, "id", 1, INT64_MAX / 2, 0, &id);
	if (result)
		return result;
	if (entity && (strlen(entity) == 0 || strlen(entity) > 32))
		return duban_fail(&r->err, DUBAN_E_INVALID, "entity",
				  "entity must be 1 to 32 characters");
	result = audit_list(r->store, &r->actor, entity, id, page, per_page, &out,
			    &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

/* --- the working-day calendar --- */

static duban_result query_date(struct http_request *r, const char *name,
			       int32_t *out)
{
	const char *s = http_query(r, name);
	if (!s)
		return duban_fail(&r->err, DUBAN_E_INVALID, name,
				  "%s is required (YYYY-MM-DD)", name);
	if (!date_parse(s, strlen(s), out))
		return duban_fail(&r->err, DUBAN_E_INVALID, name,
				  "bad date '%.16s' for %s: expected a real day"
				  " as YYYY-MM-DD",
				  s, name);
	return DUBAN_OK;
}

static duban_result get_calendar_add(struct http_request *r)
{
	int32_t from, out;
	int64_t n;
	char a[11], b[11];
	duban_result result = query_date(r, "from", &from);
	if (result)
		return result;
	if (!http_query(r, "workdays"))
		return duban_fail(&r->err, DUBAN_E_INVALID, "workdays",
				  "workdays is required");
	if ((result = http_query_int(r, "workdays", 1, 100000, 1, &n)))
		return result;
	if ((result = workcal_add(from, (int)n, &out, &r->err)))
		return result;
	date_format(from, a);
	date_format(out, b);
	http_reply(r, 200,
		   json_pack("{s:s, s:I, s:s}", "from", a, "workdays",
			     (json_int_t)n, "date", b));
	return DUBAN_OK;
}

static duban_result get_calendar_is_workday(struct http_request *r)
{
	int32_t day;
	bool work = false;
	char a[11];
	duban_result result = query_date(r, "date", &day);
	if (result)
		return result;
	if ((result = workcal_is_workday(day, &work, &r->err)))
		return result;
	date_format(day, a);
	http_reply(r, 200, json_pack("{s:s, s:b, s:s}", "date", a, "workday",
				     work, "status", work ? "workday" : "off"));
	return DUBAN_OK;
}

static duban_result get_calendar_workdays(struct http_request *r)
{
	int32_t from, to;
	int64_t n = 0;
	char a[11], b[11];
	duban_result result = query_date(r, "from", &from);
	if (result || (result = query_date(r, "to", &to)))
		return result;
	if ((result = workcal_between(from, to, &n, &r->err)))
		return result;
	date_format(from, a);
	date_format(to, b);
	http_reply(r, 200, json_pack("{s:s, s:s, s:I}", "from", a, "to", b,
				     "workdays", (json_int_t)n));
	return DUBAN_OK;
}

static const struct field_spec calendar_year_fields[] = {
	{ "content", F_STR, true },
	{ "format", F_STR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_calendar_years(struct http_request *r)
{
	json_t *out = NULL;
	json_t *content = json_object_get(r->json, "content");
	duban_result result = workcal_import(
		r->store, &r->actor, json_string_value(content),
		json_string_length(content), jstr(r->json, "format"), &out,
		&r->err);
	if (result == DUBAN_OK)
		http_reply(r, 201, out);
	return result;
}

static duban_result get_calendar_years(struct http_request *r)
{
	json_t *out = NULL;
	duban_result result = workcal_years(&out, &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

/* --- campaigns, item lists, tasks, reports, lights --- */

static duban_result query_as_of(struct http_request *r, int32_t *out)
{
	const char *s = http_query(r, "as_of");
	*out = date_today();
	if (s && !date_parse(s, strlen(s), out))
		return duban_fail(&r->err, DUBAN_E_INVALID, "as_of",
				  "as_of must be a real date as YYYY-MM-DD");
	return DUBAN_OK;
}

#define REPLY(status, call)                                    \
	do {                                                   \
		json_t *out_ = NULL;                           \
		duban_result result_ = (call);                 \
		if (result_ == DUBAN_OK)                       \
			http_reply(r, (status), out_);         \
		return result_;                                \
	} while (0)

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
	if (result || (result = query_as_of(r, &as_of)))
		return result;
	REPLY(200, campaign_list(r->store, &r->actor, page, per_page, as_of,
				 &out_, &r->err));
}

static duban_result get_campaign(struct http_request *r)
{
	int32_t as_of;
	duban_result result = query_as_of(r, &as_of);
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
	duban_result result = query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, campaign_quota_status(r->store, &r->actor, r->ids[0], as_of,
					 &out_, &r->err));
}

static duban_result get_lights(struct http_request *r)
{
	int32_t as_of;
	duban_result result = query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, campaign_lights(r->store, &r->actor, r->ids[0], as_of,
				   &out_, &r->err));
}

static duban_result get_red_tasks(struct http_request *r)
{
	int32_t as_of;
	duban_result result = query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, campaign_red_tasks(r->store, &r->actor, r->ids[0], as_of,
				      &out_, &r->err));
}

static duban_result get_rollup(struct http_request *r)
{
	int32_t as_of;
	const char *period = http_query(r, "period");
	duban_result result = query_as_of(r, &as_of);
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
	duban_result result = query_as_of(r, &as_of);
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
	const char *light = http_query(r, "light");
	duban_result result;
	memset(&f, 0, sizeof(f));
	if ((result = http_paging(r, &f.page, &f.per_page)) ||
	    (result = query_as_of(r, &f.as_of)) ||
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
	REPLY(200, task_list(r->store, &r->actor, &f, &out_, &r->err));
}

static duban_result get_task(struct http_request *r)
{
	int32_t as_of;
	duban_result result = query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, task_get(r->store, &r->actor, r->ids[0], as_of, &out_,
			    &r->err));
}

static const struct field_spec report_fields[] = {
	{ "period", F_STR, true },	     { "summary", F_STR, true },
	{ "indicator_values", F_ARR, false }, { "blockers", F_STR, false },
	{ "next_steps", F_STR, false },	     { "reason", F_STR, false },
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

#define ADMINS (ROLE_SYSADMIN | ROLE_SECADMIN)

const struct route api_routes[] = {
	{ "GET", "/healthz", get_healthz, ROLE_ANY, ROUTE_PUBLIC, NULL },
	{ "GET", "/metrics", get_metrics, ROLE_ANY, ROUTE_PUBLIC, NULL },
	{ "POST", "/api/v1/session", post_session, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_BODY, login_fields },
	{ "DELETE", "/api/v1/session", delete_session, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/me", get_me, ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/units", post_units, ROLE_SYSADMIN | ROLE_OFFICE,
	  ROUTE_BODY, unit_fields },
	{ "GET", "/api/v1/units", get_units, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/units/{id}", get_unit, ROLE_ANY, 0, NULL },
	{ "PATCH", "/api/v1/units/{id}", patch_unit,
	  ROLE_SYSADMIN | ROLE_OFFICE, ROUTE_BODY, unit_patch_fields },
	{ "POST", "/api/v1/users", post_users, ROLE_SECADMIN, ROUTE_BODY,
	  user_fields },
	{ "GET", "/api/v1/users", get_users, ADMINS, 0, NULL },
	{ "GET", "/api/v1/users/{id}", get_user, ADMINS, 0, NULL },
	{ "GET", "/api/v1/audit", get_audit, ROLE_AUDITOR, 0, NULL },
	{ "GET", "/api/v1/calendar/add", get_calendar_add, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/calendar/is-workday", get_calendar_is_workday,
	  ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/calendar/workdays", get_calendar_workdays, ROLE_ANY,
	  0, NULL },
	{ "GET", "/api/v1/calendar/years", get_calendar_years, ROLE_ANY, 0,
	  NULL },
	{ "POST", "/api/v1/calendar/years", post_calendar_years,
	  ROLE_OFFICE | ROLE_SYSADMIN, ROUTE_BODY, calendar_year_fields },
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

const int api_route_count = (int)(sizeof(api_routes) / sizeof(api_routes[0]));
