/*
 * api.h - what the route modules (api_*.c) share: their tables, and the
 * small helpers that keep handlers thin.  Internal to src/http/.
 */
#ifndef DUBAN_HTTP_API_H
#define DUBAN_HTTP_API_H

#include <stdint.h>
#include <string.h>

#include "app/rows.h"
#include "base/date.h"
#include "http/server_internal.h"

/** A module's routes: a table and its length. */
struct route_module {
	const struct route *routes;
	const int *count;
};

#define ROUTE_MODULE(name)                                     \
	extern const struct route api_##name##_routes[];       \
	extern const int api_##name##_route_count

ROUTE_MODULE(core);
ROUTE_MODULE(campaigns);
ROUTE_MODULE(problems);
ROUTE_MODULE(files);
ROUTE_MODULE(inspections);
ROUTE_MODULE(complaints);
ROUTE_MODULE(assessment);

/** ?as_of=YYYY-MM-DD, today (UTC+8) when absent; 422 when malformed. */
duban_result http_query_as_of(struct http_request *r, int32_t *out);

/*
 * Runs a business operation that fills `out_`, and answers it with status
 * on success: `REPLY(201, unit_create(..., &out_, &r->err));`.
 */
#define REPLY(status, call)                                    \
	do {                                                   \
		json_t *out_ = NULL;                           \
		duban_result result_ = (call);                 \
		if (result_ == DUBAN_OK)                       \
			http_reply(r, (status), out_);         \
		return result_;                                \
	} while (0)

#define ADMINS (ROLE_SYSADMIN | ROLE_SECADMIN)

#endif
