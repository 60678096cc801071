/*
 * api.c - the route table: every module's routes, in order.  A row says
 * everything the dispatcher enforces before the handler runs: method, path,
 * the roles allowed, whether it is public, and the body's declared fields.
 * Handlers take path and query parameters, call one business operation in
 * src/app/, and set the answer.  A new module adds one line here.
 */
#include "http/api.h"

static const struct route_module modules[] = {
	{ api_core_routes, &api_core_route_count },
	{ api_campaigns_routes, &api_campaigns_route_count },
	{ api_problems_routes, &api_problems_route_count },
	{ api_files_routes, &api_files_route_count },
	{ api_inspections_routes, &api_inspections_route_count },
	{ api_complaints_routes, &api_complaints_route_count },
	{ api_assessment_routes, &api_assessment_route_count },
};

int api_route_total(void)
{
	int n = 0;
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
		n += *modules[i].count;
	return n;
}

const struct route *api_route(int index)
{
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		if (index < *modules[i].count)
			return &modules[i].routes[index];
		index -= *modules[i].count;
	}
	return NULL;
}

duban_result http_query_as_of(struct http_request *r, int32_t *out)
{
	const char *s = http_query(r, "as_of");
	*out = date_today();
	if (s && !date_parse(s, strlen(s), out))
		return duban_fail(&r->err, DUBAN_E_INVALID, "as_of",
				  "as_of must be a real date as YYYY-MM-DD");
	return DUBAN_OK;
}
