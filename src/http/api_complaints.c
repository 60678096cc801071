/*
 * api_complaints.c - routes of the public's complaints and ratings (the
 * public side needs no account and is rate-limited per address), the
 * staff side, the three rates, and Open311 GeoReport v2 in JSON and XML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/complaints.h"
#include "app/units.h"
#include "base/xalloc.h"
#include "core/roles.h"
#include "http/api.h"

/* The public acts as nobody in particular, from its address. */
static void public_actor(struct http_request *r)
{
	char addr[sizeof(r->actor.client_addr)];
	memcpy(addr, r->actor.client_addr, sizeof(addr));
	actor_system(&r->actor, "public");
	r->actor.roles = 0;
	memcpy(r->actor.client_addr, addr, sizeof(addr));
}

static const struct field_spec complaint_fields[] = {
	{ "channel", F_STR, true },   { "category", F_STR, true },
	{ "content", F_STR, true },   { "unit_id", F_INT, false },
	{ "contact", F_STR, false },  { "address", F_STR, false },
	{ "lat", F_NUM, false },      { "long", F_NUM, false },
	{ NULL, F_ANY, false },
};

static duban_result post_public_complaint(struct http_request *r)
{
	public_actor(r);
	REPLY(201, complaint_file(r->store, &r->actor, r->json, false, &out_,
				  &r->err));
}

static duban_result get_public_complaint(struct http_request *r)
{
	REPLY(200, complaint_public(r->store, r->strs[0], &out_, &r->err));
}

static const struct field_spec rating_fields[] = {
	{ "score", F_INT, true },
	{ "resolved", F_BOOL, true },
	{ "comment", F_STR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_public_rating(struct http_request *r)
{
	public_actor(r);
	REPLY(201, complaint_rate(r->store, &r->actor, r->strs[0], r->json,
				  &out_, &r->err));
}

static const struct field_spec window_rating_fields[] = {
	{ "window_code", F_STR, true },
	{ "score", F_INT, true },
	{ "comment", F_STR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_window_rating(struct http_request *r)
{
	public_actor(r);
	REPLY(201, window_rate(r->store, &r->actor, r->json, &out_, &r->err));
}

static duban_result get_categories(struct http_request *r)
{
	REPLY(200, complaint_categories(r->store, &out_, &r->err));
}

/* The units the public may name: names of government units are public. */
static duban_result get_public_units(struct http_request *r)
{
	REPLY(200, unit_list_public(r->store, &out_, &r->err));
}

static const struct field_spec category_fields[] = {
	{ "code", F_STR, true },
	{ "name", F_STR, true },
	{ "due_workdays", F_INT, true },
	{ "description", F_STR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_category(struct http_request *r)
{
	REPLY(200, complaint_category_set(r->store, &r->actor, r->json, &out_,
					  &r->err));
}

/* --- staff --- */

static duban_result post_staff_complaint(struct http_request *r)
{
	REPLY(201, complaint_file(r->store, &r->actor, r->json, true, &out_,
				  &r->err));
}

static duban_result get_complaints(struct http_request *r)
{
	struct complaint_filter f;
	const char *overdue = http_query(r, "overdue");
	duban_result result;
	memset(&f, 0, sizeof(f));
	if ((result = http_paging(r, &f.page, &f.per_page)) ||
	    (result = http_query_as_of(r, &f.as_of)) ||
	    (result = http_query_int(r, "unit_id", 1, INT64_MAX / 2, 0,
				     &f.unit_id)))
		return result;
	f.status = http_query(r, "status");
	f.category = http_query(r, "category");
	f.overdue_only = overdue && strcmp(overdue, "true") == 0;
	if (f.status && strcmp(f.status, "received") != 0 &&
	    strcmp(f.status, "assigned") != 0 &&
	    strcmp(f.status, "replied") != 0 && strcmp(f.status, "closed") != 0)
		return duban_fail(&r->err, DUBAN_E_INVALID, "status",
				  "status must be received, assigned, replied "
				  "or closed");
	REPLY(200, complaint_list(r->store, &r->actor, &f, &out_, &r->err));
}

static duban_result get_complaint(struct http_request *r)
{
	REPLY(200, complaint_get(r->store, &r->actor, r->ids[0], &out_,
				 &r->err));
}

static const struct field_spec assign_fields[] = {
	{ "unit_id", F_INT, true },
	{ "due_workdays", F_INT, false },
	{ NULL, F_ANY, false },
};

static duban_result post_assign(struct http_request *r)
{
	REPLY(200, complaint_assign(r->store, &r->actor, r->ids[0], r->json,
				    &out_, &r->err));
}

static const struct field_spec reply_fields[] = {
	{ "reply", F_STR, true },
	{ NULL, F_ANY, false },
};

static duban_result post_reply(struct http_request *r)
{
	REPLY(200, complaint_reply(r->store, &r->actor, r->ids[0], r->json,
				   &out_, &r->err));
}

static const struct field_spec callback_fields[] = {
	{ "note", F_STR, true },
	{ NULL, F_ANY, false },
};

static duban_result post_callback(struct http_request *r)
{
	REPLY(200, complaint_callback(r->store, &r->actor, r->ids[0], r->json,
				      &out_, &r->err));
}

/* ?from&to, defaulting to the current month */
static duban_result query_range(struct http_request *r, int32_t *from,
				int32_t *to)
{
	const char *f = http_query(r, "from"), *t = http_query(r, "to");
	int y, m, d;
	date_to_ymd(date_today(), &y, &m, &d);
	*from = date_from_ymd(y, m, 1);
	*to = date_today();
	if (f && !date_parse(f, strlen(f), from))
		return duban_fail(&r->err, DUBAN_E_INVALID, "from",
				  "from must be a date as YYYY-MM-DD");
	if (t && !date_parse(t, strlen(t), to))
		return duban_fail(&r->err, DUBAN_E_INVALID, "to",
				  "to must be a date as YYYY-MM-DD");
	return DUBAN_OK;
}

static duban_result get_stats(struct http_request *r)
{
	int32_t from, to;
	int64_t unit;
	duban_result result = query_range(r, &from, &to);
	if (result || (result = http_query_int(r, "unit_id", 1, INT64_MAX / 2,
					       0, &unit)))
		return result;
	REPLY(200, complaint_stats(r->store, &r->actor, unit, from, to, &out_,
				   &r->err));
}

static duban_result get_rankings(struct http_request *r)
{
	int32_t from, to;
	const char *month = http_query(r, "month");
	duban_result result = query_range(r, &from, &to);
	if (result)
		return result;
	if (month) {
		char first[11];
		int y, m, d;
		snprintf(first, sizeof(first), "%.7s-01", month);
		if (strlen(month) != 7 || !date_parse(first, 10, &from))
			return duban_fail(&r->err, DUBAN_E_INVALID, "month",
					  "month must be YYYY-MM");
		date_to_ymd(from, &y, &m, &d);
		to = (m == 12 ? date_from_ymd(y + 1, 1, 1)
			      : date_from_ymd(y, m + 1, 1)) - 1;
	}
	REPLY(200, complaint_rankings(r->store, &r->actor, from, to, &out_,
				      &r->err));
}

static const struct field_spec window_fields[] = {
	{ "code", F_STR, true },
	{ "name", F_STR, true },
	{ "unit_id", F_INT, true },
	{ NULL, F_ANY, false },
};

static duban_result post_window(struct http_request *r)
{
	REPLY(201, window_create(r->store, &r->actor, r->json, &out_,
				 &r->err));
}

static duban_result get_windows(struct http_request *r)
{
	int32_t from, to;
	duban_result result = query_range(r, &from, &to);
	if (result)
		return result;
	REPLY(200, window_stats(r->store, &r->actor, from, to, &out_, &r->err));
}

/* --- Open311 GeoReport v2 --- */

struct xml {
	char *buf;
	size_t len, cap;
};

static void xput(struct xml *x, const char *s, size_t n)
{
	if (x->len + n + 1 > x->cap) {
		x->cap = (x->len + n + 1) * 2;
		x->buf = xrealloc(x->buf, x->cap);
	}
	memcpy(x->buf + x->len, s, n);
	x->len += n;
	x->buf[x->len] = '\0';
}

static void xstr(struct xml *x, const char *s)
{
	xput(x, s, strlen(s));
}

/* Element text, escaped; control characters XML 1.0 forbids dropped. */
static void xtext(struct xml *x, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '<':
			xstr(x, "&lt;");
			break;
		case '>':
			xstr(x, "&gt;");
			break;
		case '&':
			xstr(x, "&amp;");
			break;
		case '"':
			xstr(x, "&quot;");
			break;
		default:
			if (*p >= 0x20 || *p == '\n' || *p == '\t')
				xput(x, (const char *)p, 1);
		}
	}
}

/* A list of flat objects as <root><item><key>value</key>...</item></root>. */
static char *to_xml(json_t *list, const char *root, const char *item,
		    size_t *len)
{
	struct xml x = { NULL, 0, 0 };
	size_t i;
	json_t *o;
	xstr(&x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
	xstr(&x, "<");
	xstr(&x, root);
	xstr(&x, ">");
	json_array_foreach(list, i, o)
	{
		const char *k;
		json_t *v;
		xstr(&x, "<");
		xstr(&x, item);
		xstr(&x, ">");
		json_object_foreach(o, k, v)
		{
			char num[64];
			xstr(&x, "<");
			xstr(&x, k);
			xstr(&x, ">");
			if (json_is_string(v))
				xtext(&x, json_string_value(v));
			else if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%lld",
					 (long long)json_integer_value(v));
				xstr(&x, num);
			} else if (json_is_real(v)) {
				snprintf(num, sizeof(num), "%.7f",
					 json_real_value(v));
				xstr(&x, num);
			} else if (json_is_boolean(v)) {
				xstr(&x, json_is_true(v) ? "true" : "false");
			}
			xstr(&x, "</");
			xstr(&x, k);
			xstr(&x, ">");
		}
		xstr(&x, "</");
		xstr(&x, item);
		xstr(&x, ">");
	}
	xstr(&x, "</");
	xstr(&x, root);
	xstr(&x, ">");
	*len = x.len;
	return x.buf;
}

/* Answers a list as JSON, or as XML for the .xml paths. */
static void reply_311(struct http_request *r, json_t *list, const char *root,
		      const char *item, int status)
{
	size_t n = strlen(r->path);
	if (n > 4 && strcmp(r->path + n - 4, ".xml") == 0) {
		r->raw = to_xml(list, root, item, &r->raw_len);
		r->raw_type = "text/xml; charset=utf-8";
		r->status = status;
		json_decref(list);
		return;
	}
	http_reply(r, status, list);
}

static duban_result get_services(struct http_request *r)
{
	json_t *cats = NULL, *list = json_array();
	size_t i;
	json_t *c;
	duban_result result = complaint_categories(r->store, &cats, &r->err);
	if (result) {
		json_decref(list);
		return result;
	}
	json_array_foreach(json_object_get(cats, "items"), i, c)
		json_array_append_new(
			list,
			json_pack("{s:O, s:O, s:O, s:b, s:s, s:s, s:s}",
				  "service_code", json_object_get(c, "code"),
				  "service_name", json_object_get(c, "name"),
				  "description",
				  json_is_string(json_object_get(c,
								 "description"))
					  ? json_object_get(c, "description")
					  : json_object_get(c, "name"),
				  "metadata", 0, "type", "realtime",
				  "keywords", "", "group", "投诉举报"));
	json_decref(cats);
	reply_311(r, list, "services", "service", 200);
	return DUBAN_OK;
}

static duban_result query_day(struct http_request *r, const char *name,
			      int32_t *out)
{
	const char *s = http_query(r, name);
	*out = 0;
	/* GeoReport dates are W3C timestamps; the day is what we keep */
	if (s && (strlen(s) < 10 || !date_parse(s, 10, out)))
		return duban_fail(&r->err, DUBAN_E_INVALID, name,
				  "%s must be a date or an ISO 8601 timestamp",
				  name);
	return DUBAN_OK;
}

static duban_result get_requests(struct http_request *r)
{
	struct open311_filter f;
	json_t *list = NULL;
	duban_result result;
	memset(&f, 0, sizeof(f));
	f.codes = http_query(r, "service_request_id");
	f.service_code = http_query(r, "service_code");
	f.status = http_query(r, "status");
	if (f.status && strcmp(f.status, "open") != 0 &&
	    strcmp(f.status, "closed") != 0)
		return duban_fail(&r->err, DUBAN_E_INVALID, "status",
				  "status must be open or closed");
	if (f.codes && strlen(f.codes) > 1000)
		return duban_fail(&r->err, DUBAN_E_INVALID,
				  "service_request_id",
				  "too many service_request_id values");
	if ((result = query_day(r, "start_date", &f.start)) ||
	    (result = query_day(r, "end_date", &f.end)))
		return result;
	if ((result = open311_requests(r->store, &f, &list, &r->err)))
		return result;
	reply_311(r, list, "service_requests", "request", 200);
	return DUBAN_OK;
}

static duban_result get_request(struct http_request *r)
{
	struct open311_filter f;
	json_t *list = NULL;
	memset(&f, 0, sizeof(f));
	f.codes = r->strs[0];
	duban_result result = open311_requests(r->store, &f, &list, &r->err);
	if (result)
		return result;
	if (json_array_size(list) == 0) {
		json_decref(list);
		return duban_fail(&r->err, DUBAN_E_NOT_FOUND, NULL,
				  "no service request '%s'", r->strs[0]);
	}
	reply_311(r, list, "service_requests", "request", 200);
	return DUBAN_OK;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Decodes application/x-www-form-urlencoded into a JSON object. */
static json_t *form_decode(const char *body, size_t len)
{
	json_t *o = json_object();
	const char *p = body, *end = body + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		char key[64], *val = xmalloc((size_t)(stop - p) + 1);
		size_t kn = 0, vn = 0;
		for (const char *q = p; q < (eq ? eq : stop) && kn < 63; q++)
			key[kn++] = *q;
		key[kn] = '\0';
		for (const char *q = eq ? eq + 1 : stop; q < stop; q++) {
			if (*q == '+') {
				val[vn++] = ' ';
			} else if (*q == '%' && q + 2 < stop + 1 &&
				   hexval(q[1]) >= 0 && hexval(q[2]) >= 0) {
				val[vn++] = (char)(hexval(q[1]) * 16 +
						   hexval(q[2]));
				q += 2;
			} else {
				val[vn++] = *q;
			}
		}
		val[vn] = '\0';
		if (kn)
			json_object_set_new(o, key, json_stringn(val, vn));
		free(val);
		p = stop + 1;
	}
	return o;
}

/* POST requests.json: the standard's form fields, or a JSON object. */
static duban_result post_request(struct http_request *r)
{
	json_t *in, *src, *out = NULL;
	json_error_t jerr;
	duban_result result;
	const char *type = r->body_len && r->body[0] == '{' ? "json" : "form";
	src = strcmp(type, "json") == 0
		      ? json_loadb(r->body, r->body_len, 0, &jerr)
		      : form_decode(r->body ? r->body : "", r->body_len);
	if (!src)
		return duban_fail(&r->err, DUBAN_E_MALFORMED, NULL,
				  "malformed body: %s", jerr.text);
	in = json_pack("{s:s}", "channel", "open311");
	const char *keys[][2] = { { "service_code", "category" },
				  { "description", "content" },
				  { "address_string", "address" },
				  { "email", "contact" },
				  { "phone", "contact" } };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *v = json_object_get(src, keys[i][0]);
		if (json_is_string(v) && json_string_length(v) &&
		    !json_object_get(in, keys[i][1]))
			json_object_set(in, keys[i][1], v);
	}
	const char *coords[][2] = { { "lat", "lat" }, { "long", "long" } };
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(src, coords[i][0]);
		if (json_is_number(v))
			json_object_set(in, coords[i][1], v);
		else if (json_is_string(v) && json_string_length(v)) {
			char *e;
			double d = strtod(json_string_value(v), &e);
			if (*e)
				d = 1e9; /* refused below, naming the field */
			json_object_set_new(in, coords[i][1], json_real(d));
		}
	}
	json_decref(src);
	if (!jstr(in, "category")) {
		json_decref(in);
		return duban_fail(&r->err, DUBAN_E_INVALID, "service_code",
				  "service_code is required");
	}
	public_actor(r);
	result = complaint_file(r->store, &r->actor, in, false, &out, &r->err);
	json_decref(in);
	if (result) {
		if (!strcmp(r->err.field, "category"))
			snprintf(r->err.field, sizeof(r->err.field),
				 "service_code");
		else if (!strcmp(r->err.field, "content"))
			snprintf(r->err.field, sizeof(r->err.field),
				 "description");
		return result;
	}
	json_t *list = json_pack(
		"[{s:O, s:s, s:n}]", "service_request_id",
		json_object_get(out, "tracking_code"), "service_notice",
		"已受理,请凭查询码查询办理进度", "account_id");
	json_decref(out);
	reply_311(r, list, "service_requests", "request", 201);
	return DUBAN_OK;
}

#define STAFF (ROLE_OFFICE | ROLE_LIAISON | ROLE_LEADER)

const struct route api_complaints_routes[] = {
	{ "POST", "/api/v1/public/complaints", post_public_complaint, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_BODY | ROUTE_LIMITED, complaint_fields },
	{ "GET", "/api/v1/public/complaints/{code}", get_public_complaint,
	  ROLE_ANY, ROUTE_PUBLIC | ROUTE_LIMITED, NULL },
	{ "POST", "/api/v1/public/complaints/{code}/rating",
	  post_public_rating, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_BODY | ROUTE_LIMITED, rating_fields },
	{ "POST", "/api/v1/public/ratings", post_window_rating, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_BODY | ROUTE_LIMITED, window_rating_fields },
	{ "GET", "/api/v1/public/complaint-categories", get_categories,
	  ROLE_ANY, ROUTE_PUBLIC | ROUTE_LIMITED, NULL },
	{ "GET", "/api/v1/public/units", get_public_units, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_LIMITED, NULL },
	{ "GET", "/api/v1/complaint-categories", get_categories, ROLE_ANY, 0,
	  NULL },
	{ "POST", "/api/v1/complaint-categories", post_category,
	  ROLE_OFFICE | ROLE_SYSADMIN, ROUTE_BODY, category_fields },
	{ "POST", "/api/v1/complaints", post_staff_complaint, STAFF,
	  ROUTE_BODY, complaint_fields },
	{ "GET", "/api/v1/complaints", get_complaints, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/complaints/stats", get_stats, ROLE_ANY, 0, NULL },
	{ "GET", "/api/v1/complaints/rankings", get_rankings, ROLE_ANY, 0,
	  NULL },
	{ "GET", "/api/v1/complaints/{id}", get_complaint, ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/complaints/{id}/assign", post_assign, ROLE_OFFICE,
	  ROUTE_BODY, assign_fields },
	{ "POST", "/api/v1/complaints/{id}/reply", post_reply, STAFF,
	  ROUTE_BODY, reply_fields },
	{ "POST", "/api/v1/complaints/{id}/callback", post_callback, STAFF,
	  ROUTE_BODY, callback_fields },
	{ "POST", "/api/v1/service-windows", post_window, ROLE_OFFICE,
	  ROUTE_BODY, window_fields },
	{ "GET", "/api/v1/service-windows", get_windows, ROLE_ANY, 0, NULL },
	{ "GET", "/open311/v2/services.json", get_services, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_LIMITED, NULL },
	{ "GET", "/open311/v2/services.xml", get_services, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_LIMITED, NULL },
	{ "GET", "/open311/v2/requests.json", get_requests, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_LIMITED, NULL },
	{ "GET", "/open311/v2/requests.xml", get_requests, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_LIMITED, NULL },
	{ "POST", "/open311/v2/requests.json", post_request, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_RAW | ROUTE_LIMITED, NULL },
	{ "POST", "/open311/v2/requests.xml", post_request, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_RAW | ROUTE_LIMITED, NULL },
	{ "GET", "/open311/v2/requests/{code}.json", get_request, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_LIMITED, NULL },
	{ "GET", "/open311/v2/requests/{code}.xml", get_request, ROLE_ANY,
	  ROUTE_PUBLIC | ROUTE_LIMITED, NULL },
};

const int api_complaints_route_count =
	(int)(sizeof(api_complaints_routes) / sizeof(api_complaints_routes[0]));
