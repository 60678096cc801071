/*
 * api_assessment.c - routes of assessment and bulletins: schemes, public
 * evaluations, bonus points and deductions, vetoes, the ranking and its
 * published versions, typical cases, bulletins as a page and a Word
 * document, and the public page of a campaign (晒).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/assessment.h"
#include "app/bulletins.h"
#include "app/openness.h"
#include "core/roles.h"
#include "http/api.h"

/* ?period, required or not */
static duban_result query_period(struct http_request *r, bool required,
				 const char **out)
{
	*out = http_query(r, "period");
	if (!*out && required)
		return duban_fail(&r->err, DUBAN_E_INVALID, "period",
				  "period is required (e.g. 2021-H1)");
	return DUBAN_OK;
}

/* ?name=true|false */
static duban_result query_bool(struct http_request *r, const char *name,
			       bool *out)
{
	const char *v = http_query(r, name);
	*out = v && strcmp(v, "true") == 0;
	if (v && strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
		return duban_fail(&r->err, DUBAN_E_INVALID, name,
				  "%s must be true or false", name);
	return DUBAN_OK;
}

/* --- schemes, evaluations, adjustments, vetoes --- */

static const struct field_spec scheme_fields[] = {
	{ "period", F_STR, false },	  { "weights", F_OBJ, false },
	{ "bonus_cap", F_NUM, false },	  { "deduction_cap", F_NUM, false },
	{ "grading", F_OBJ, false },	  { "unit_ids", F_ARR, false },
	{ "version", F_INT, false },	  { NULL, F_ANY, false },
};

static duban_result get_scheme(struct http_request *r)
{
	const char *period;
	duban_result result = query_period(r, false, &period);
	if (result)
		return result;
	REPLY(200, assessment_scheme_get(r->store, &r->actor, r->ids[0],
					 period, &out_, &r->err));
}

static duban_result put_scheme(struct http_request *r)
{
	REPLY(200, assessment_scheme_set(r->store, &r->actor, r->ids[0],
					 r->json, &out_, &r->err));
}

static const struct field_spec evaluation_fields[] = {
	{ "unit_id", F_INT, true },	{ "period", F_STR, true },
	{ "score", F_NUM, true },	{ "respondents", F_INT, false },
	{ "method", F_STR, false },	{ "note", F_STR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_evaluation(struct http_request *r)
{
	REPLY(201, evaluation_record(r->store, &r->actor, r->ids[0], r->json,
				     &out_, &r->err));
}

static const struct field_spec adjustment_fields[] = {
	{ "unit_id", F_INT, true }, { "period", F_STR, true },
	{ "kind", F_STR, true },    { "points", F_NUM, true },
	{ "reason", F_STR, true },  { NULL, F_ANY, false },
};

static duban_result post_adjustment(struct http_request *r)
{
	REPLY(201, adjustment_add(r->store, &r->actor, r->ids[0], r->json,
				  &out_, &r->err));
}

static const struct field_spec veto_fields[] = {
	{ "unit_id", F_INT, true },
	{ "period", F_STR, true },
	{ "reason", F_STR, true },
	{ NULL, F_ANY, false },
};

static duban_result post_veto(struct http_request *r)
{
	REPLY(201, veto_add(r->store, &r->actor, r->ids[0], r->json, &out_,
			    &r->err));
}

static duban_result list_of(struct http_request *r, enum assessment_list what)
{
	const char *period;
	duban_result result = query_period(r, false, &period);
	if (result)
		return result;
	REPLY(200, assessment_list(r->store, &r->actor, r->ids[0], what,
				   period, &out_, &r->err));
}

static duban_result get_evaluations(struct http_request *r)
{
	return list_of(r, ASSESS_EVALUATIONS);
}

static duban_result get_adjustments(struct http_request *r)
{
	return list_of(r, ASSESS_ADJUSTMENTS);
}

static duban_result get_vetoes(struct http_request *r)
{
	return list_of(r, ASSESS_VETOES);
}

static const struct field_spec revoke_fields[] = {
	{ "reason", F_STR, true },
	{ NULL, F_ANY, false },
};

static duban_result post_veto_revoke(struct http_request *r)
{
	REPLY(200, assessment_revoke(r->store, &r->actor, ASSESS_VETOES,
				     r->ids[0], r->json, &out_, &r->err));
}

static duban_result post_adjustment_revoke(struct http_request *r)
{
	REPLY(200, assessment_revoke(r->store, &r->actor, ASSESS_ADJUSTMENTS,
				     r->ids[0], r->json, &out_, &r->err));
}

/* --- the ranking --- */

static duban_result get_ranking(struct http_request *r)
{
	struct ranking_query q;
	duban_result result;
	memset(&q, 0, sizeof(q));
	if ((result = query_period(r, true, &q.period)) ||
	    (result = http_query_as_of(r, &q.as_of)) ||
	    (result = http_query_int(r, "version", 1, 1000000, 0,
				     &q.version)) ||
	    (result = query_bool(r, "live", &q.live)))
		return result;
	REPLY(200, ranking_get(r->store, &r->actor, r->ids[0], &q, &out_,
			       &r->err));
}

static duban_result post_ranking_publish(struct http_request *r)
{
	const char *period;
	int32_t as_of;
	duban_result result;
	if ((result = query_period(r, true, &period)) ||
	    (result = http_query_as_of(r, &as_of)))
		return result;
	REPLY(201, ranking_publish(r->store, &r->actor, r->ids[0], period,
				   as_of, &out_, &r->err));
}

static duban_result get_ranking_versions(struct http_request *r)
{
	const char *period;
	duban_result result = query_period(r, true, &period);
	if (result)
		return result;
	REPLY(200, ranking_versions(r->store, &r->actor, r->ids[0], period,
				    &out_, &r->err));
}

/* --- typical cases and bulletins --- */

static const struct field_spec case_fields[] = {
	{ "unit_id", F_INT, false }, { "period", F_STR, true },
	{ "kind", F_STR, true },     { "title", F_STR, true },
	{ "summary", F_STR, true },  { NULL, F_ANY, false },
};

static duban_result post_case(struct http_request *r)
{
	REPLY(201, case_add(r->store, &r->actor, r->ids[0], r->json, &out_,
			    &r->err));
}

static duban_result get_cases(struct http_request *r)
{
	const char *period;
	duban_result result = query_period(r, false, &period);
	if (result)
		return result;
	REPLY(200, case_list(r->store, &r->actor, r->ids[0], period, &out_,
			     &r->err));
}

static const struct field_spec bulletin_fields[] = {
	{ "period", F_STR, true },     { "doc_number", F_STR, true },
	{ "title", F_STR, false },     { "issuer", F_STR, false },
	{ "addressee", F_STR, false }, { "signature", F_STR, false },
	{ NULL, F_ANY, false },
};

static duban_result post_bulletin(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(201, bulletin_create(r->store, &r->actor, r->ids[0], r->json,
				   as_of, &out_, &r->err));
}

static duban_result get_bulletins(struct http_request *r)
{
	REPLY(200, bulletin_list(r->store, &r->actor, r->ids[0], &out_,
				 &r->err));
}

static duban_result get_bulletin(struct http_request *r)
{
	REPLY(200, bulletin_get(r->store, &r->actor, r->ids[0], &out_,
				&r->err));
}

static const struct field_spec bulletin_patch_fields[] = {
	{ "version", F_INT, true },	 { "title", F_STR, false },
	{ "doc_number", F_STR, false },	 { "issuer", F_STR, false },
	{ "addressee", F_STR, false },	 { "signature", F_STR, false },
	{ "paragraphs", F_ARR, false },	 { NULL, F_ANY, false },
};

static duban_result patch_bulletin(struct http_request *r)
{
	REPLY(200, bulletin_update(r->store, &r->actor, r->ids[0], r->json,
				   &out_, &r->err));
}

static const struct field_spec publish_fields[] = {
	{ "version", F_INT, true },
	{ NULL, F_ANY, false },
};

static duban_result post_bulletin_publish(struct http_request *r)
{
	REPLY(200, bulletin_publish(r->store, &r->actor, r->ids[0], r->json,
				    &out_, &r->err));
}

/* a page: no script may run in it, whatever a bulletin says */
static void html_headers(struct http_request *r)
{
	r->raw_type = "text/html; charset=utf-8";
	http_add_header(r, "Content-Security-Policy",
			"default-src 'none'; style-src 'unsafe-inline'");
}

static duban_result get_bulletin_html(struct http_request *r)
{
	duban_result result = bulletin_html(r->store, &r->actor, r->ids[0],
					    &r->raw, &r->raw_len, &r->err);
	if (result == DUBAN_OK)
		html_headers(r);
	return result;
}

static duban_result get_bulletin_docx(struct http_request *r)
{
	duban_result result = bulletin_docx(r->store, &r->actor, r->ids[0],
					    &r->raw, &r->raw_len, &r->err);
	if (result)
		return result;
	r->raw_type = "application/vnd.openxmlformats-officedocument."
		      "wordprocessingml.document";
	snprintf(r->disposition, sizeof(r->disposition),
		 "attachment; filename=\"bulletin-%lld.docx\"",
		 (long long)r->ids[0]);
	http_add_header(r, "Content-Disposition", r->disposition);
	return DUBAN_OK;
}

/* --- the public side (晒) --- */

static duban_result get_public_campaign(struct http_request *r)
{
	int32_t as_of;
	duban_result result = http_query_as_of(r, &as_of);
	if (result)
		return result;
	REPLY(200, campaign_public(r->store, r->ids[0], as_of, &out_,
				   &r->err));
}

static duban_result get_public_bulletin_html(struct http_request *r)
{
	duban_result result = bulletin_html(r->store, NULL, r->ids[0], &r->raw,
					    &r->raw_len, &r->err);
	if (result == DUBAN_OK)
		html_headers(r);
	return result;
}

#define PUBLIC (ROUTE_PUBLIC | ROUTE_LIMITED)

const struct route api_assessment_routes[] = {
	{ "GET", "/api/v1/campaigns/{id}/assessment-scheme", get_scheme,
	  ROLE_ANY, 0, NULL },
	{ "PUT", "/api/v1/campaigns/{id}/assessment-scheme", put_scheme,
	  ROLE_OFFICE, ROUTE_BODY, scheme_fields },
	{ "POST", "/api/v1/campaigns/{id}/evaluations", post_evaluation,
	  ROLE_OFFICE, ROUTE_BODY, evaluation_fields },
	{ "GET", "/api/v1/campaigns/{id}/evaluations", get_evaluations,
	  ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/campaigns/{id}/adjustments", post_adjustment,
	  ROLE_OFFICE, ROUTE_BODY, adjustment_fields },
	{ "GET", "/api/v1/campaigns/{id}/adjustments", get_adjustments,
	  ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/adjustments/{id}/revoke", post_adjustment_revoke,
	  ROLE_OFFICE, ROUTE_BODY, revoke_fields },
	{ "POST", "/api/v1/campaigns/{id}/vetoes", post_veto, ROLE_OFFICE,
	  ROUTE_BODY, veto_fields },
	{ "GET", "/api/v1/campaigns/{id}/vetoes", get_vetoes, ROLE_ANY, 0,
	  NULL },
	{ "POST", "/api/v1/vetoes/{id}/revoke", post_veto_revoke, ROLE_OFFICE,
	  ROUTE_BODY, revoke_fields },
	{ "GET", "/api/v1/campaigns/{id}/ranking", get_ranking, ROLE_ANY, 0,
	  NULL },
	{ "POST", "/api/v1/campaigns/{id}/ranking/publish",
	  post_ranking_publish, ROLE_OFFICE, 0, NULL },
	{ "GET", "/api/v1/campaigns/{id}/ranking/versions",
	  get_ranking_versions, ROLE_ANY, 0, NULL },
	{ "POST", "/api/v1/campaigns/{id}/cases", post_case, ROLE_OFFICE,
	  ROUTE_BODY, case_fields },
	{ "GET", "/api/v1/campaigns/{id}/cases", get_cases, ROLE_ANY, 0,
	  NULL },
	{ "POST", "/api/v1/campaigns/{id}/bulletins", post_bulletin,
	  ROLE_OFFICE, ROUTE_BODY, bulletin_fields },
	{ "GET", "/api/v1/campaigns/{id}/bulletins", get_bulletins, ROLE_ANY,
	  0, NULL },
	{ "GET", "/api/v1/bulletins/{id}", get_bulletin, ROLE_ANY, 0, NULL },
	{ "PATCH", "/api/v1/bulletins/{id}", patch_bulletin, ROLE_OFFICE,
	  ROUTE_BODY, bulletin_patch_fields },
	{ "POST", "/api/v1/bulletins/{id}/publish", post_bulletin_publish,
	  ROLE_OFFICE, ROUTE_BODY, publish_fields },
	{ "GET", "/api/v1/bulletins/{id}.html", get_bulletin_html, ROLE_ANY,
	  0, NULL },
	{ "GET", "/api/v1/bulletins/{id}.docx", get_bulletin_docx, ROLE_ANY,
	  0, NULL },
	{ "GET", "/api/v1/public/campaigns/{id}", get_public_campaign,
	  ROLE_ANY, PUBLIC, NULL },
	{ "GET", "/api/v1/public/bulletins/{id}.html",
	  get_public_bulletin_html, ROLE_ANY, PUBLIC, NULL },
};

const int api_assessment_route_count =
	(int)(sizeof(api_assessment_routes) / sizeof(api_assessment_routes[0]));
