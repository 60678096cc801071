/*
 * server.c - libmicrohttpd, the request lifecycle and the one place where a
 * result becomes an HTTP status and the JSON error of API.md.
 *
 * A request is read fully (up to the body cap) and then dispatched in the
 * MHD worker thread that owns its connection: match the route, authenticate,
 * check roles and CSRF, admit the declared body fields, run the handler,
 * answer, log a line, count it for /metrics.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app/jalloc.h"
#include "app/scope.h"
#include "app/sessions.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "core/audit_hash.h"
#include "core/dynbuf.h"
#include "http/json_out.h"
#include "http/ratelimit.h"
#include "http/server_internal.h"
#include "http/static.h"

#define COOKIE_NAME "duban_session"
/* the largest JSON answer: lists are paged and exports are files, so only
 * a fault comes near it */
#define MAX_ANSWER (256 << 20)
#define ANSWER_TOO_LARGE                                                   \
	"{\"error\":{\"code\":\"internal\",\"message\":"                   \
	"\"the answer is too large\"}}"

struct server {
	struct store *store;
	struct server_config cfg;
	struct MHD_Daemon *daemon;
	int in_flight;
};

struct store *server_store(struct server *srv)
{
	return srv->store;
}

int server_in_flight(struct server *srv)
{
	return __atomic_load_n(&srv->in_flight, __ATOMIC_RELAXED);
}

const struct server_config *server_config(struct server *srv)
{
	return srv->cfg.listen ? &srv->cfg : NULL;
}

/* --- helpers for handlers --- */

const char *http_query(struct http_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

duban_result http_query_int(struct http_request *r, const char *name,
			    int64_t min, int64_t max, int64_t dflt,
			    int64_t *out)
{
	const char *s = http_query(r, name);
	int64_t v = 0;
	bool neg = false;
	*out = dflt;
	if (!s)
		return DUBAN_OK;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!*s || strlen(s) > 18)
		goto bad;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (*p - '0');
	}
	v = neg ? -v : v;
	if (v < min || v > max)
		goto bad;
	*out = v;
	return DUBAN_OK;
bad:
	return duban_fail(&r->err, DUBAN_E_INVALID, name,
			  "%s must be a whole number from %lld to %lld", name,
			  (long long)min, (long long)max);
}

duban_result http_paging(struct http_request *r, int *page, int *per_page)
{
	int64_t p, pp;
	duban_result result = http_query_int(r, "page", 1, 1000000, 1, &p);
	if (result)
		return result;
	result = http_query_int(r, "per_page", 1, 500, 50, &pp);
	if (result)
		return result;
	*page = (int)p;
	*per_page = (int)pp;
	return DUBAN_OK;
}

void http_reply(struct http_request *r, int status, json_t *body)
{
	json_decref(r->resp);
	r->status = status;
	r->resp = body;
}

void http_add_header(struct http_request *r, const char *name,
		     const char *value)
{
	if (r->nheaders < HTTP_MAX_HEADERS)
		r->headers[r->nheaders++] = (struct http_header){ name, value };
}

/* --- authentication --- */

static bool safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 ||
	       strcmp(m, "OPTIONS") == 0;
}

static duban_result authenticate(struct http_request *r)
{
	const char *auth = MHD_lookup_connection_value(
		r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *token = NULL;
	char csrf_hash[AUDIT_HASH_HEX];
	duban_result result;
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		token = auth + 7;
	} else {
		token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
						    COOKIE_NAME);
		r->cookie_auth = token != NULL;
	}
	if (!token || !*token || strlen(token) >= sizeof(r->token))
		return duban_fail_code(&r->err, DUBAN_E_AUTH,
				       "unauthenticated", NULL,
				       "not logged in");
	snprintf(r->token, sizeof(r->token), "%s", token);
	char addr[sizeof(r->actor.client_addr)];
	memcpy(addr, r->actor.client_addr, sizeof(addr));
	result = session_resolve(r->store, r->token, r->srv->cfg.session_idle,
				 &r->actor, csrf_hash, &r->err);
	memcpy(r->actor.client_addr, addr, sizeof(addr));
	if (result)
		return result;
	/* a cookie rides along on any cross-site request; the header only
	 * comes from our own pages, which read it from the login answer */
	if (r->cookie_auth && !safe_method(r->method)) {
		const char *csrf = MHD_lookup_connection_value(
			r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
		char h[AUDIT_HASH_HEX];
		if (!csrf)
			return duban_fail_code(&r->err, DUBAN_E_FORBIDDEN,
					       "csrf", NULL,
					       "missing X-CSRF-Token header");
		sha256_hex(csrf, strlen(csrf), h);
		if (strcmp(h, csrf_hash) != 0)
			return duban_fail_code(&r->err, DUBAN_E_FORBIDDEN,
					       "csrf", NULL,
					       "wrong X-CSRF-Token header");
	}
	r->authenticated = true;
	return DUBAN_OK;
}

/* --- answering --- */

static void add_common_headers(struct http_request *r,
			       struct MHD_Response *resp)
{
	bool cache = false;
	for (int i = 0; i < r->nheaders; i++) {
		MHD_add_response_header(resp, r->headers[i].name,
					r->headers[i].value);
		cache |= strcasecmp(r->headers[i].name, "Cache-Control") == 0;
	}
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (!cache)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

/*
 * ETag and 304 for single objects: a GET answered 200 with JSON by a route
 * whose path ends in {id} carries a strong validator, the first 128 bits of
 * the body's SHA-256; a request whose If-None-Match names it gets 304 and
 * no body.  The handler (and its scope check) has run by then: this saves
 * the transfer and the client's parsing, not the query.
 */
#define ETAG_LEN 35 /* '"' + 32 hex digits + '"' + NUL */

static bool etag_route(const struct http_request *r)
{
	size_t n;
	if (r->status != 200 || !r->route || r->raw_type || r->raw_static ||
	    strcmp(r->method, "GET") != 0)
		return false;
	n = strlen(r->route->pattern);
	return n >= 4 && strcmp(r->route->pattern + n - 4, "{id}") == 0;
}

static void etag_of(const char *body, size_t len, char out[ETAG_LEN])
{
	char hex[AUDIT_HASH_HEX];
	sha256_hex(body, len, hex);
	snprintf(out, ETAG_LEN, "\"%.32s\"", hex);
}

/* If-None-Match: "*" or a list of entity tags, compared weakly (W/ and
 * all) as RFC 9110 13.1.2 says */
static bool etag_listed(const char *list, const char *etag)
{
	size_t n = strlen(etag);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' ' ||
		     p[n] == '\t'))
			return true;
		while (*p && *p != ',')
			p++;
	}
	return false;
}

static enum MHD_Result respond(struct http_request *r, size_t *bytes)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *buf = NULL;
	size_t len = 0;
	const char *type = "application/json; charset=utf-8";
	char etag[ETAG_LEN] = "";
	if (r->err.result != DUBAN_OK) {
		/* the one place a result becomes a status and an error body */
		json_t *e = json_pack("{s:s, s:s}", "code", r->err.code,
				      "message", r->err.message);
		if (r->err.field[0])
			json_object_set_new(e, "field",
					    json_string(r->err.field));
		if (r->err_detail) /* e.g. an import's bad rows */
			json_object_update(e, r->err_detail);
		json_decref(r->resp);
		r->resp = json_pack("{s:o}", "error", e);
		r->status = duban_result_status(r->err.result);
		r->raw_type = NULL;
		r->raw_static = NULL;
		r->nheaders = 0;
		if (r->raw_fd > 0)
			close(r->raw_fd);
		r->raw_fd = 0;
	}
	if (r->raw_fd > 0) {
		/* a file (a large export): MHD reads it as it sends and
		 * closes it when done, so it never sits in memory */
		len = r->raw_len;
		resp = MHD_create_response_from_fd(len, r->raw_fd);
		if (!resp) {
			close(r->raw_fd);
			len = 0;
			resp = MHD_create_response_from_buffer(
				0, (void *)"", MHD_RESPMEM_PERSISTENT);
			r->status = 500;
		}
		r->raw_fd = 0;
		type = r->raw_type;
	} else if (r->raw_static) {
		/* embedded, never freed: MHD sends it in place */
		len = r->raw_len;
		resp = MHD_create_response_from_buffer(
			len, (void *)r->raw_static, MHD_RESPMEM_PERSISTENT);
		type = r->raw_type;
	} else {
		if (r->raw_type) {
			buf = r->raw;
			len = r->raw_len;
			r->raw = NULL;
			type = r->raw_type;
		} else if (r->resp) {
			struct dynbuf b;
			dynbuf_init(&b, MAX_ANSWER);
			json_out(&b, r->resp);
			if (dynbuf_take(&b, &buf, &len, "answer", NULL)) {
				/* paging keeps answers far below it */
				log_write(LOG_ERROR, "%s %s: the answer passed "
					  "%d MiB", r->method, r->path,
					  MAX_ANSWER >> 20);
				buf = xstrdup(ANSWER_TOO_LARGE);
				len = strlen(buf);
				r->status = 500;
			}
		}
		if (buf && etag_route(r)) {
			const char *inm = MHD_lookup_connection_value(
				r->conn, MHD_HEADER_KIND,
				MHD_HTTP_HEADER_IF_NONE_MATCH);
			etag_of(buf, len, etag);
			if (inm && etag_listed(inm, etag)) {
				free(buf);
				buf = NULL;
				r->status = 304;
			}
		}
		if (!buf) {
			buf = xstrdup("");
			len = 0;
		}
		resp = MHD_create_response_from_buffer(len, buf,
						       MHD_RESPMEM_MUST_FREE);
	}
	*bytes = len;
	if (r->status != 304)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					type);
	if (etag[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
	add_common_headers(r, resp);
	if (r->set_cookie[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE,
					r->set_cookie);
	if (r->status == 429)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER,
					"60");
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void dispatch(struct http_request *r)
{
	bool mismatch = false;
	duban_result result;
	r->route = router_match(r, r->method, r->path, &r->route_index,
				&mismatch);
	if (!r->route) {
		if (static_serve(r)) /* the web front end, or 404 below */
			return;
		if (mismatch)
			duban_fail(&r->err, DUBAN_E_METHOD, NULL,
				   "%s is not allowed on '%s'", r->method,
				   r->path);
		else
			duban_fail(&r->err, DUBAN_E_NOT_FOUND, NULL,
				   "no such path '%s'", r->path);
		return;
	}
	if ((r->route->flags & ROUTE_LIMITED) &&
	    !ratelimit_allow(r->actor.client_addr, r->srv->cfg.public_rate,
			     NULL)) {
		duban_fail(&r->err, DUBAN_E_RATE, NULL,
			   "too many requests from %s; try again in a minute",
			   r->actor.client_addr);
		return;
	}
	if (r->body_too_large) {
		duban_fail(&r->err, DUBAN_E_TOO_LARGE, NULL,
			   "the body is larger than %zu bytes", r->body_max);
		return;
	}
	if (!(r->route->flags & ROUTE_PUBLIC)) {
		if ((result = authenticate(r)))
			return;
		if ((result = scope_require_role(&r->actor, r->route->roles,
						 &r->err)))
			return;
	}
	if ((result = router_parse_body(r)))
		return;
	r->status = 200;
	result = r->route->handler(r);
	if (result && r->err.result == DUBAN_OK)
		duban_fail(&r->err, result, NULL, "%s",
			   duban_result_code(result));
}

/* --- libmicrohttpd callbacks --- */

static void client_address(struct MHD_Connection *c, char *buf, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(buf, n, "unknown");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((struct sockaddr_in *)ci->client_addr)->sin_addr,
			  buf, (socklen_t)n);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
			  buf, (socklen_t)n);
}

static double since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

struct conn_state {
	struct http_request req;
	struct timespec start;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct conn_state *cs = *con_cls;
	struct http_request *r;
	(void)version;
	if (!cs) {
		cs = xcalloc(1, sizeof(*cs));
		clock_gettime(CLOCK_MONOTONIC, &cs->start);
		r = &cs->req;
		r->srv = srv;
		r->store = srv->store;
		r->conn = conn;
		r->method = method;
		r->route_index = -1;
		snprintf(r->path, sizeof(r->path), "%s", url);
		client_address(conn, r->actor.client_addr,
			       sizeof(r->actor.client_addr));
		*con_cls = cs;
		__atomic_fetch_add(&srv->in_flight, 1, __ATOMIC_RELAXED);
		/* an upload route (attachments) takes larger bodies */
		bool mismatch;
		int idx;
		const struct route *rt =
			router_match(r, method, r->path, &idx, &mismatch);
		r->body_max = rt && (rt->flags & ROUTE_UPLOAD) &&
					      srv->cfg.max_upload
				      ? srv->cfg.max_upload
				      : srv->cfg.max_body;
		const char *cl = MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strlen(cl) < 20 &&
		    strtoull(cl, NULL, 10) > r->body_max)
			r->body_too_large = true;
		return MHD_YES;
	}
	r = &cs->req;
	if (*upload_size) {
		size_t n = *upload_size;
		if (!r->body_too_large && r->body_len + n > r->body_max)
			r->body_too_large = true;
		if (!r->body_too_large) {
			if (r->body_len + n + 1 > r->body_cap) {
				r->body_cap = (r->body_len + n + 1) * 2;
				if (r->body_cap > r->body_max + 1)
					r->body_cap = r->body_max + 1;
				r->body = xrealloc(r->body, r->body_cap);
			}
			memcpy(r->body + r->body_len, upload, n);
			r->body_len += n;
			r->body[r->body_len] = '\0';
		}
		*upload_size = 0; /* consumed (or dropped when too large) */
		return MHD_YES;
	}
	size_t bytes = 0;
	/* the JSON values of this request live in its arena, and go with it
	 * once the answer is queued (MHD holds a copy of the text) */
	jalloc_begin();
	dispatch(r);
	enum MHD_Result ret = respond(r, &bytes);
	json_decref(r->json);
	json_decref(r->resp);
	json_decref(r->err_detail);
	r->json = r->resp = r->err_detail = NULL;
	jalloc_end();
	double secs = since(&cs->start);
	metrics_record(r->route_index, r->status, secs);
	if (srv->cfg.access_log)
		LOG(LOG_INFO, "%s %s \"%s %s\" %d %zu %.1fms",
		    r->actor.client_addr,
		    r->authenticated ? r->actor.username : "-", method,
		    r->path, r->status, bytes, secs * 1e3);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct conn_state *cs = *con_cls;
	(void)conn;
	(void)toe;
	if (!cs)
		return;
	json_decref(cs->req.json);
	json_decref(cs->req.resp);
	json_decref(cs->req.err_detail);
	free(cs->req.raw);
	free(cs->req.body);
	if (cs->req.raw_fd > 0)
		close(cs->req.raw_fd);
	free(cs);
	*con_cls = NULL;
	__atomic_fetch_sub(&srv->in_flight, 1, __ATOMIC_RELAXED);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	LOG(LOG_WARN, "http: %s", line);
}

static duban_result parse_listen(const char *listen,
				 struct sockaddr_storage *ss, socklen_t *sl,
				 struct duban_error *err)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	struct addrinfo hints, *res = NULL;
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof(host))
		return duban_fail(err, DUBAN_E_INVALID, "listen",
				  "listen must be HOST:PORT, not '%s'", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	if (host[0] == '[') { /* [::1]:8080 */
		size_t n = strlen(host);
		if (host[n - 1] != ']')
			return duban_fail(err, DUBAN_E_INVALID, "listen",
					  "bad IPv6 address in '%s'", listen);
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	int rc = getaddrinfo(host, colon + 1, &hints, &res);
	if (rc != 0 || !res)
		return duban_fail(err, DUBAN_E_INVALID, "listen",
				  "unable to resolve '%s': %s", listen,
				  gai_strerror(rc));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sl = res->ai_addrlen;
	freeaddrinfo(res);
	return DUBAN_OK;
}

duban_result server_run(struct store *store, const struct server_config *cfg,
			struct duban_error *err)
{
	struct server srv;
	struct sockaddr_storage ss;
	socklen_t sl = 0;
	sigset_t sigs;
	int sig = 0;
	duban_result result;
	memset(&srv, 0, sizeof(srv));
	srv.store = store;
	srv.cfg = *cfg;
	result = parse_listen(cfg->listen, &ss, &sl, err);
	if (result)
		return result;
	/* block the stop signals in every thread; this one waits for them */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv.daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, &srv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_END);
	if (!srv.daemon)
		return duban_fail(err, DUBAN_E_IO, "listen",
				  "unable to listen on '%s': %s", cfg->listen,
				  strerror(errno));
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
	char host[128];
	snprintf(host, sizeof(host), "%.*s",
		 (int)(strrchr(cfg->listen, ':') - cfg->listen), cfg->listen);
	printf("duban: listening on http://%s:%u\n", host,
	       di ? di->port : 0);
	fflush(stdout);
	LOG(LOG_INFO, "serving with %d threads, %s store", cfg->threads,
	    store_driver_name(store));
	while (sigwait(&sigs, &sig) != 0)
		;
	LOG(LOG_INFO, "received signal %d, finishing requests in flight",
	    sig);
	MHD_quiesce_daemon(srv.daemon);
	for (int i = 0; i < 1000 && server_in_flight(&srv) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(srv.daemon);
	LOG(LOG_INFO, "stopped");
	return DUBAN_OK;
}
