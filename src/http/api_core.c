/*
 * api_core.c - routes of the foundation: health, metrics, session, units,
 * users, audit trail, working-day calendar.
 */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/sessions.h"
#include "app/units.h"
#include "app/users.h"
#include "app/workcal.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/calendar.h"
#include "core/roles.h"
#include "http/api.h"

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

/* The page and an optional id filter (key) of a list's query. */
static duban_result page_and_id(struct http_request *r, const char *key,
				int *page, int *per_page, int64_t *id)
{
	duban_result result = http_paging(r, page, per_page);
	return result ? result
		      : http_query_int(r, key, 1, INT64_MAX / 2, 0, id);
}

static duban_result get_units(struct http_request *r)
{
	int page, per_page;
	int64_t parent;
	json_t *out = NULL;
	duban_result result =
		page_and_id(r, "parent_id", &page, &per_page, &parent);
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
	duban_result result =
		page_and_id(r, "unit_id", &page, &per_page, &unit);
	if (result)
		return result;
	result = user_list(r->store, &r->actor, unit, page, per_page, &out,
			   &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

/* GET /people?role=leader,inspector&unit_id: names for staff to pick */
static duban_result get_people(struct http_request *r)
{
	int page, per_page;
	int64_t unit;
	uint32_t roles = 0;
	json_t *out = NULL;
	const char *list = http_query(r, "role");
	duban_result result =
		page_and_id(r, "unit_id", &page, &per_page, &unit);
	if (result)
		return result;
	for (const char *p = list; p;) {
		char name[32];
		size_t n = strcspn(p, ",");
		uint32_t bit = 0;
		if (n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			bit = role_parse(name);
		}
		if (!bit)
			return duban_fail(&r->err, DUBAN_E_INVALID, "role",
					  "role must list roles such as "
					  "leader,inspector,office");
		roles |= bit;
		p = p[n] ? p + n + 1 : NULL;
	}
	result = user_people(r->store, &r->actor, roles, unit, page,
			     per_page, &out, &r->err);
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
	duban_result result =
		page_and_id(r, "id", &page, &per_page, &id);
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
	bool prov = false;
	char a[11], b[11];
	duban_result result = query_date(r, "from", &from);
	if (result)
		return result;
	if (!http_query(r, "workdays"))
		return duban_fail(&r->err, DUBAN_E_INVALID, "workdays",
				  "workdays is required");
	if ((result = http_query_int(r, "workdays", 1, 100000, 1, &n)))
		return result;
	if ((result = workcal_add(from, (int)n, &out, &prov, &r->err)))
		return result;
	date_format(from, a);
	date_format(out, b);
	http_reply(r, 200,
		   json_pack("{s:s, s:I, s:s, s:b}", "from", a, "workdays",
			     (json_int_t)n, "date", b, "provisional", prov));
	return DUBAN_OK;
}

static duban_result get_calendar_is_workday(struct http_request *r)
{
	int32_t day;
	bool work = false, prov = false;
	char a[11];
	duban_result result = query_date(r, "date", &day);
	if (result)
		return result;
	if ((result = workcal_is_workday(day, &work, &prov, &r->err)))
		return result;
	date_format(day, a);
	http_reply(r, 200,
		   json_pack("{s:s, s:b, s:s, s:b}", "date", a, "workday", work,
			     "status", work ? "workday" : "off", "provisional",
			     prov));
	return DUBAN_OK;
}

static duban_result get_calendar_workdays(struct http_request *r)
{
	int32_t from, to;
	int64_t n = 0;
	bool prov = false;
	char a[11], b[11];
	duban_result result = query_date(r, "from", &from);
	if (result || (result = query_date(r, "to", &to)))
		return result;
	if ((result = workcal_between(from, to, &n, &prov, &r->err)))
		return result;
	date_format(from, a);
	date_format(to, b);
	http_reply(r, 200,
		   json_pack("{s:s, s:s, s:I, s:b}", "from", a, "to", b,
			     "workdays", (json_int_t)n, "provisional", prov));
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
	int y, m, d;
	date_to_ymd(date_today(), &y, &m, &d);
	duban_result result = workcal_years(y, &out, &r->err);
	if (result == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

static duban_result get_calendar_year(struct http_request *r)
{
	json_t *out = NULL;
	duban_result result;
	if (r->ids[0] < CALENDAR_YEAR_MIN || r->ids[0] > CALENDAR_YEAR_MAX)
		return duban_fail(&r->err, DUBAN_E_NOT_FOUND, NULL,
				  "no working-day schedule for year %lld",
				  (long long)r->ids[0]);
	if ((result = workcal_year((int)r->ids[0], &out, &r->err)) == DUBAN_OK)
		http_reply(r, 200, out);
	return result;
}

const struct route api_core_routes[] = {
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
	{ "GET", "/api/v1/people", get_people,
	  ADMINS | ROLE_OFFICE | ROLE_LEADER | ROLE_INSPECTOR, 0, NULL },
	{ "GET", "/api/v1/audit", get_audit, ROLE_AUDITOR, 0, NULL },
	{ "GET", "/api/v1/calendar/add", get_calendar_add, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/calendar/is-workday", get_calendar_is_workday,
	  ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/calendar/workdays", get_calendar_workdays, ROLE_ANY,
	  0, NULL },
	{ "GET", "/api/v1/calendar/years", get_calendar_years, ROLE_ANY, 0,
	  NULL },
	{ "GET", "/api/v1/calendar/years/{id}", get_calendar_year, ROLE_ANY,
	  0, NULL },
	{ "POST", "/api/v1/calendar/years", post_calendar_years,
	  ROLE_OFFICE | ROLE_SYSADMIN, ROUTE_BODY, calendar_year_fields },
};

const int api_core_route_count =
	(int)(sizeof(api_core_routes) / sizeof(api_core_routes[0]));
