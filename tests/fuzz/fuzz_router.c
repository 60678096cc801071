/*
 * fuzz_router.c - the HTTP layer's route matching and body admission
 * (src/http/router.c).  The input is "METHOD PATH\nBODY": the first line
 * goes to router_match() against the real route table, the rest to
 * router_parse_body() for the matched route when it takes a JSON body,
 * else for a route declaring a field of every type.
 *
 * Invariants: a match is the table's own row, for this method (or HEAD
 * for GET), with one well-formed parameter per {id} and {code}; an
 * admitted body holds only declared fields, non-null, of their declared
 * types, equal to what the client sent, with every required field; a
 * refusal names a declared field or none.
 */
#include <string.h>

#include "base/date.h"
#include "http/server_internal.h"
#include "fuzz.h"

static const struct field_spec every_type[] = {
	{ "name", F_STR, true },     { "count", F_INT, false },
	{ "score", F_NUM, false },   { "done", F_BOOL, false },
	{ "ids", F_ARR, false },     { "extra", F_OBJ, false },
	{ "due_on", F_DATE, false }, { "note", F_ANY, false },
	{ NULL, F_ANY, false },
};
static const struct route body_route = { "POST", "/fuzz", NULL, 0,
					 ROUTE_BODY, every_type };

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void check_match(struct http_request *r, const char *method,
			const char *path)
{
	int index = -2;
	bool mismatch;
	const struct route *rt = router_match(r, method, path, &index,
					      &mismatch);
	r->route = rt;
	if (!rt) {
		FUZZ_ASSERT(index == -1 && r->nids == 0 && r->nstrs == 0);
		return;
	}
	FUZZ_ASSERT(index >= 0 && index < api_route_total());
	FUZZ_ASSERT(api_route(index) == rt);
	FUZZ_ASSERT(strcmp(rt->method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 &&
		     strcmp(rt->method, "GET") == 0));
	FUZZ_ASSERT((size_t)r->nids == count(rt->pattern, "{id}"));
	FUZZ_ASSERT((size_t)r->nstrs == count(rt->pattern, "{code}"));
	for (int i = 0; i < r->nids; i++)
		FUZZ_ASSERT(r->ids[i] > 0);
	for (int i = 0; i < r->nstrs; i++) {
		size_t n = strlen(r->strs[i]);
		FUZZ_ASSERT(n >= 1 && n <= 64);
		FUZZ_ASSERT(strspn(r->strs[i], "abcdefghijklmnopqrstuvwxyz"
					       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					       "0123456789-_") == n);
	}
}

static const struct field_spec *declared(const struct route *rt,
					 const char *name)
{
	for (const struct field_spec *f = rt->fields; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static bool typed(enum field_type t, json_t *v)
{
	int32_t day;
	switch (t) {
	case F_STR:
		return json_is_string(v);
	case F_INT:
		return json_is_integer(v);
	case F_NUM:
		return json_is_integer(v) || json_is_real(v);
	case F_BOOL:
		return json_is_true(v) || json_is_false(v);
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

static void check_body(struct http_request *r)
{
	const struct route *rt = r->route;
	duban_result result = router_parse_body(r);
	json_t *doc = json_loadb(r->body, r->body_len, 0, NULL);
	const char *key;
	json_t *v;
	fuzz_check_error(result, &r->err);
	if (result) {
		FUZZ_ASSERT(result == DUBAN_E_MALFORMED ||
			    result == DUBAN_E_INVALID);
		FUZZ_ASSERT(!r->err.field[0] || declared(rt, r->err.field));
		goto out;
	}
	FUZZ_ASSERT(json_is_object(r->json) && json_is_object(doc));
	json_object_foreach(r->json, key, v) {
		const struct field_spec *f = declared(rt, key);
		FUZZ_ASSERT(f);
		FUZZ_ASSERT(!json_is_null(v) && typed(f->type, v));
		FUZZ_ASSERT(json_equal(v, json_object_get(doc, key)));
	}
	for (const struct field_spec *f = rt->fields; f && f->name; f++)
		FUZZ_ASSERT(!f->required || json_object_get(r->json, f->name));
out:
	json_decref(doc);
	json_decref(r->json);
	r->json = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_request r;
	const char *nl = memchr(data, '\n', size), *sp;
	size_t head = nl ? (size_t)(nl - (const char *)data) : size;
	char line[1100], *method, *path;

	/* the server copies the URL into a buffer of 1024 bytes */
	if (head >= sizeof(line))
		return 0;
	memcpy(line, data, head);
	line[head] = '\0';
	if (memchr(line, '\0', head))
		return 0;
	sp = strchr(line, ' ');
	method = line;
	path = sp ? line + (sp - line) + 1 : line + head;
	if (sp)
		line[sp - line] = '\0';
	if (strlen(path) >= sizeof(r.path))
		return 0;

	memset(&r, 0, sizeof(r));
	check_match(&r, method, path);
	if (!r.route || !(r.route->flags & ROUTE_BODY))
		r.route = &body_route;
	r.body = nl ? (char *)nl + 1 : (char *)"";
	r.body_len = nl ? size - head - 1 : 0;
	check_body(&r);
	return 0;
}
