/*
 * http.h - requests, routes and the server (src/http/).
 *
 * The HTTP layer owns the protocol: it finds the route, authenticates,
 * checks the route's roles, parses the JSON body and keeps only the fields
 * the route declares (typed, required ones present), then calls a thin
 * handler that hands the work to src/app/.  Handlers never touch SQL.
 */
#ifndef DUBAN_HTTP_HTTP_H
#define DUBAN_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/actor.h"
#include "base/result.h"
#include "store/store.h"

struct server;
struct http_request;

typedef duban_result (*http_handler)(struct http_request *r);

enum field_type { F_STR, F_INT, F_NUM, F_BOOL, F_ARR, F_OBJ, F_DATE, F_ANY };

/** One declared body field. */
struct field_spec {
	const char *name;
	enum field_type type;
	bool required;
};

enum route_flags {
	ROUTE_PUBLIC = 1 << 0, /* no authentication */
	ROUTE_BODY = 1 << 1,   /* a JSON object body is required */
	ROUTE_RAW = 1 << 2,    /* the body is passed as is (r->body) */
	ROUTE_LIMITED = 1 << 3, /* rate-limited per client address */
	ROUTE_UPLOAD = 1 << 4, /* a raw body of up to max_upload bytes */
};

/** A row of the route table: see api.c. */
struct route {
	const char *method;
	const char *pattern; /* "/api/v1/units/{id}", "{code}" for text */
	http_handler handler;
	uint32_t roles;      /* ROLE_ANY: any authenticated user */
	unsigned flags;
	const struct field_spec *fields; /* ends with a NULL name */
};

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_HEADERS 8

/** A response header; both strings must outlive the answer. */
struct http_header {
	const char *name;
	const char *value;
};

struct http_request {
	struct server *srv;
	struct store *store;
	void *conn; /* the MHD connection */
	const struct route *route;
	int route_index;
	const char *method;
	char path[1024];
	int64_t ids[HTTP_MAX_PARAMS]; /* {id} parameters, in order */
	const char *strs[HTTP_MAX_PARAMS]; /* {code} parameters */
	char strbuf[HTTP_MAX_PARAMS][65];
	int nids, nstrs;
	char *body;
	size_t body_len, body_cap;
	size_t body_max; /* max_body, or max_upload for ROUTE_UPLOAD */
	bool body_too_large;
	json_t *json; /* the validated body, declared fields only */
	struct actor actor;
	bool authenticated;
	bool cookie_auth;
	char token[64];
	/* the answer */
	int status;
	json_t *resp;
	char *raw; /* a non-JSON body (malloc'd), with raw_type */
	const char *raw_static; /* or one that is never freed (embedded) */
	int raw_fd;		/* or an open file (> 0) of raw_len bytes */
	size_t raw_len;
	const char *raw_type;
	char set_cookie[256];
	char disposition[160]; /* Content-Disposition of a download */
	struct http_header headers[HTTP_MAX_HEADERS]; /* http_add_header() */
	int nheaders;
	struct duban_error err;
	json_t *err_detail; /* members added to the error object, or NULL */
};

/* --- helpers for handlers --- */

/** A query parameter, or NULL. */
const char *http_query(struct http_request *r, const char *name);

/** An integer query parameter within [min, max]; 422 naming it otherwise. */
duban_result http_query_int(struct http_request *r, const char *name,
			    int64_t min, int64_t max, int64_t dflt,
			    int64_t *out);

/** ?page and ?per_page (1.., 1..500; defaults 1 and 50). */
duban_result http_paging(struct http_request *r, int *page, int *per_page);

/** Sets the JSON answer (steals the reference) and the status. */
void http_reply(struct http_request *r, int status, json_t *body);

/**
 * Adds a response header (Cache-Control replaces the default no-store).
 * name and value are not copied: they must live until the answer is sent.
 */
void http_add_header(struct http_request *r, const char *name,
		     const char *value);

/* --- the server --- */

struct server_config {
	const char *listen;   /* HOST:PORT; port 0 picks a free one */
	int threads;
	size_t max_body;
	size_t max_upload;    /* a ROUTE_UPLOAD body (attachments) */
	const char *data_dir; /* where attachments are stored */
	int session_idle;     /* seconds */
	bool access_log;
	int public_rate;      /* requests a minute per address, public routes */
};

/** The route table (api.c): how many routes, and the i-th. */
int api_route_total(void);
const struct route *api_route(int index);

/**
 * Serves until SIGTERM or SIGINT, then stops accepting, lets requests in
 * flight finish (up to 10 s) and returns.  Prints the address it listens
 * on to stdout once it accepts connections.
 */
duban_result server_run(struct store *store, const struct server_config *cfg,
			struct duban_error *err);

/** Prometheus text for GET /metrics (malloc'd). */
char *metrics_render(struct server *srv, size_t *len);

/** Records one request for /metrics. */
void metrics_record(int route_index, int status, double seconds);

#endif
