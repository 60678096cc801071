/* server_internal.h - what the HTTP layer's files share (not for app/). */
#ifndef DUBAN_HTTP_SERVER_INTERNAL_H
#define DUBAN_HTTP_SERVER_INTERNAL_H

#include "http/http.h"

struct store *server_store(struct server *srv);
int server_in_flight(struct server *srv);
const struct server_config *server_config(struct server *srv);

/** Finds the route for method and path, filling r's parameters. */
const struct route *router_match(struct http_request *r, const char *method,
				 const char *path, int *index,
				 bool *method_mismatch);

/** Checks the body against the route's fields; fills r->json. */
duban_result router_parse_body(struct http_request *r);

#endif
