/*
 * router.c - matching a path against the route table, and admitting only
 * the declared, well-typed fields of a JSON body.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "core/csv.h"
#include "http/server_internal.h"

/* Parses a positive decimal id of at most 18 digits from s[0..n). */
static bool parse_id(const char *s, size_t n, int64_t *out)
{
	int64_t v = 0;
	if (n == 0 || n > 18 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool code_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * Matches one path segment seg[0..n) against a pattern segment pat[0..pn):
 * a literal, "{id}" with an optional literal suffix ("{id}.html"), or
 * "{code}" (letters, digits, - and _, copied into r->strbuf).
 */
static bool match_segment(struct http_request *r, const char *pat, size_t pn,
			  const char *seg, size_t n)
{
	if (pn >= 4 && memcmp(pat, "{id}", 4) == 0) {
		size_t sl = pn - 4;
		if (n < sl || memcmp(seg + n - sl, pat + 4, sl) != 0 ||
		    r->nids >= HTTP_MAX_PARAMS)
			return false;
		if (!parse_id(seg, n - sl, &r->ids[r->nids]))
			return false;
		r->nids++;
		return true;
	}
	if (pn >= 6 && memcmp(pat, "{code}", 6) == 0) {
		/* "{code}.json": the literal suffix is not part of the code */
		size_t sl = pn - 6;
		if (n < sl || memcmp(seg + n - sl, pat + 6, sl) != 0)
			return false;
		n -= sl;
		if (n == 0 || n > 64 || r->nstrs >= HTTP_MAX_PARAMS)
			return false;
		for (size_t i = 0; i < n; i++)
			if (!code_char(seg[i]))
				return false;
		memcpy(r->strbuf[r->nstrs], seg, n);
		r->strbuf[r->nstrs][n] = '\0';
		r->strs[r->nstrs] = r->strbuf[r->nstrs];
		r->nstrs++;
		return true;
	}
	return pn == n && memcmp(pat, seg, n) == 0;
}

static bool match_path(struct http_request *r, const char *pattern,
		       const char *path)
{
	const char *p = pattern, *s = path;
	r->nids = r->nstrs = 0;
	for (;;) {
		if (*p != '/' || *s != '/')
			return false;
		p++;
		s++;
		size_t pn = strcspn(p, "/"), sn = strcspn(s, "/");
		if (!match_segment(r, p, pn, s, sn))
			return false;
		p += pn;
		s += sn;
		if (!*p || !*s)
			return !*p && !*s;
	}
}

/*
 * The routes in table order, each with the length of its pattern's
 * literal start (up to the first '{'): most routes fail on it with one
 * strncmp, before any segment is parsed.  Built once.
 */
#define MAX_ROUTES 1024
static struct {
	const struct route *rt;
	size_t literal;
} flat[MAX_ROUTES];
static int nflat;
static pthread_once_t flat_once = PTHREAD_ONCE_INIT;

static void flat_build(void)
{
	int total = api_route_total();
	for (int i = 0; i < total && i < MAX_ROUTES; i++) {
		flat[i].rt = api_route(i);
		flat[i].literal = strcspn(flat[i].rt->pattern, "{");
	}
	nflat = total < MAX_ROUTES ? total : MAX_ROUTES;
}

const struct route *router_match(struct http_request *r, const char *method,
				 const char *path, int *index,
				 bool *method_mismatch)
{
	*method_mismatch = false;
	*index = -1;
	pthread_once(&flat_once, flat_build);
	for (int i = 0; i < nflat; i++) {
		const struct route *rt = flat[i].rt;
		if (strncmp(path, rt->pattern, flat[i].literal) != 0 ||
		    !match_path(r, rt->pattern, path))
			continue;
		if (strcmp(rt->method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 &&
		      strcmp(rt->method, "GET") == 0)) {
			*method_mismatch = true;
			continue;
		}
		*index = i;
		return rt;
	}
	r->nids = r->nstrs = 0;
	return NULL;
}

static const char *type_name(enum field_type t)
{
	switch (t) {
	case F_STR:
		return "a string";
	case F_INT:
		return "an integer";
	case F_NUM:
		return "a number";
	case F_BOOL:
		return "true or false";
	case F_ARR:
		return "a list";
	case F_OBJ:
		return "an object";
	case F_DATE:
		return "a date YYYY-MM-DD";
	default:
		return "a value";
	}
}

static bool type_ok(enum field_type t, json_t *v)
{
	int32_t day;
	switch (t) {
	case F_STR:
		return json_is_string(v);
	case F_INT:
		return json_is_integer(v);
	case F_NUM:
		return json_is_number(v);
	case F_BOOL:
		return json_is_boolean(v);
	case F_ARR:
		return json_is_array(v);
	case F_OBJ:
		return json_is_object(v);
	case F_DATE:
		return json_is_string(v) &&
		       date_parse(json_string_value(v), json_string_length(v),
				  &day);
	default:
		return true;
	}
}

duban_result router_parse_body(struct http_request *r)
{
	json_error_t jerr;
	json_t *doc;
	const struct route *rt = r->route;
	if (!(rt->flags & ROUTE_BODY))
		return DUBAN_OK;
	if (r->body_len == 0)
		return duban_fail(&r->err, DUBAN_E_MALFORMED, NULL,
				  "a JSON object body is required");
	doc = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		/* jansson quotes the body near the error byte by byte, so a
		 * character may be cut there; the answer's JSON takes only
		 * whole ones */
		size_t n = utf8_whole(jerr.text, strlen(jerr.text));
		return duban_fail_code(&r->err, DUBAN_E_MALFORMED,
				       "malformed_json", NULL,
				       "malformed JSON at line %d column %d: "
				       "%.*s",
				       jerr.line, jerr.column, (int)n,
				       jerr.text);
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		return duban_fail_code(&r->err, DUBAN_E_MALFORMED,
				       "malformed_json", NULL,
				       "the body must be a JSON object");
	}
	/* keep only what the route declares: handlers see nothing else */
	r->json = json_object();
	for (const struct field_spec *f = rt->fields; f && f->name; f++) {
		json_t *v = json_object_get(doc, f->name);
		if (!v || json_is_null(v)) {
			if (f->required) {
				json_decref(doc);
				return duban_fail_code(&r->err,
						       DUBAN_E_INVALID,
						       "required", f->name,
						       "%s is required",
						       f->name);
			}
			continue;
		}
		if (!type_ok(f->type, v)) {
			json_decref(doc);
			return duban_fail(&r->err, DUBAN_E_INVALID, f->name,
					  "%s must be %s", f->name,
					  type_name(f->type));
		}
		json_object_set(r->json, f->name, v);
	}
	json_decref(doc);
	return DUBAN_OK;
}
