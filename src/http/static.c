/*
 * static.c - serves the embedded web front end.
 *
 * The files are the table that cmake/embed.cmake generated from web/dist,
 * indexed by name once on first use for a binary search.  Each gets an
 * ETag then, a 64-bit FNV-1a hash of its bytes; a request
 * whose If-None-Match names it gets 304.  Vite's /assets/ names carry a
 * content hash, so they are cached for a year; index.html and the other
 * files at the top are revalidated every time (no-cache), so that a new
 * build is picked up at once.
 *
 * Paths that are not files are the single-page app's own routes (/units,
 * /users/12) and get index.html, except where a JSON client or a script tag
 * expects something else: the API, Open311, /metrics, /healthz, and a
 * missing /assets/ file (an old page asking for a chunk of an older build
 * must fail loudly rather than parse HTML as JavaScript).
 *
 * The build also writes X.gz beside each text file X that compresses well
 * (web/vite.config.js); a client that accepts gzip gets those bytes with
 * Content-Encoding: gzip, under the .gz file's own ETag.
 */
#include "http/static.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "base/embed.h"

DUBAN_EMBED_DECLARE(duban_web);

#define ETAG_LEN 19 /* "0123456789abcdef" with quotes, and NUL */

static char (*etags)[ETAG_LEN];
static size_t *by_name; /* indices into duban_web_files, sorted by name */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static int cmp_name(const void *a, const void *b)
{
	return strcmp(duban_web_files[*(const size_t *)a].name,
		      duban_web_files[*(const size_t *)b].name);
}

static void init(void)
{
	size_t n = duban_web_files_count ? duban_web_files_count : 1;
	etags = calloc(n, sizeof(*etags));
	by_name = calloc(n, sizeof(*by_name));
	if (!etags || !by_name)
		abort();
	for (size_t i = 0; i < duban_web_files_count; i++) {
		const struct embedded_file *f = &duban_web_files[i];
		uint64_t h = 0xcbf29ce484222325ULL;
		for (size_t k = 0; k < f->len; k++) {
			h ^= f->data[k];
			h *= 0x100000001b3ULL;
		}
		snprintf(etags[i], ETAG_LEN, "\"%016llx\"",
			 (unsigned long long)h);
		by_name[i] = i;
	}
	/* the generator's order is not strcmp's ("a.js.gz" before "a.js") */
	qsort(by_name, duban_web_files_count, sizeof(*by_name), cmp_name);
}

static int find_file(const char *name)
{
	size_t lo = 0, hi = duban_web_files_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, duban_web_files[by_name[mid]].name);
		if (c == 0)
			return (int)by_name[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "json", "application/json; charset=utf-8" },
	{ "map", "application/json; charset=utf-8" },
	{ "webmanifest", "application/manifest+json" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "avif", "image/avif" },
	{ "ico", "image/x-icon" },
	{ "woff2", "font/woff2" },
	{ "woff", "font/woff" },
	{ "ttf", "font/ttf" },
	{ "otf", "font/otf" },
	{ "wasm", "application/wasm" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "xml", "application/xml" },
	{ "pdf", "application/pdf" },
};

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && !strchr(dot, '/'))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* path is "/prefix" itself or lies under "/prefix/" */
static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(path, prefix, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

/* Accept-Encoding names gzip (or *) with a weight above 0. */
static bool accepts_gzip(const char *ae)
{
	char tok[64];
	while (ae && *ae) {
		size_t n = strcspn(ae, ","), len;
		char *t;
		len = n < sizeof(tok) - 1 ? n : sizeof(tok) - 1;
		memcpy(tok, ae, len);
		tok[len] = '\0';
		t = tok + strspn(tok, " \t");
		len = strcspn(t, " \t;");
		if ((len == 4 && strncasecmp(t, "gzip", 4) == 0) ||
		    (len == 1 && t[0] == '*')) {
			const char *q = strstr(t + len, "q=");
			return !q || strtod(q + 2, NULL) > 0;
		}
		ae += n;
		if (*ae == ',')
			ae++;
	}
	return false;
}

static bool etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return false;
	while (*inm == ' ' || *inm == '\t')
		inm++;
	return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
}

/* The page may run scripts and load styles only from here; Element Plus
 * sets style attributes, hence 'unsafe-inline' for styles alone. */
#define CSP                                                               \
	"default-src 'self'; script-src 'self'; style-src 'self' "        \
	"'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' "   \
	"data:; connect-src 'self'; object-src 'none'; base-uri 'self'; " \
	"form-action 'self'; frame-ancestors 'none'"

bool static_serve(struct http_request *r)
{
	const char *path = r->path;
	const char *name;
	int i;
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return false;
	if (under(path, "/api") || under(path, "/open311") ||
	    under(path, "/metrics") || under(path, "/healthz"))
		return false;
	pthread_once(&init_once, init);
	name = path[0] == '/' ? path + 1 : path;
	i = name[0] && !strstr(name, "//") ? find_file(name) : -1;
	if (i < 0) {
		if (under(path, "/assets"))
			return false;
		if ((i = find_file("index.html")) < 0)
			return false;
	}
	const struct embedded_file *f = &duban_web_files[i];
	bool html = strcmp(f->name, "index.html") == 0;
	bool hashed = strncmp(f->name, "assets/", 7) == 0;
	char gzname[sizeof(r->path) + 4];
	int gz = -1;

	r->status = 200;
	r->raw_type = content_type(f->name);
	snprintf(gzname, sizeof(gzname), "%s.gz", f->name);
	if ((gz = find_file(gzname)) >= 0) {
		http_add_header(r, "Vary", "Accept-Encoding");
		if (accepts_gzip(MHD_lookup_connection_value(
			    r->conn, MHD_HEADER_KIND,
			    MHD_HTTP_HEADER_ACCEPT_ENCODING))) {
			i = gz;
			f = &duban_web_files[gz];
			http_add_header(r, "Content-Encoding", "gzip");
		}
	}
	http_add_header(r, "ETag", etags[i]);
	http_add_header(r, "Cache-Control",
			hashed ? "public, max-age=31536000, immutable"
			       : "no-cache");
	if (html) {
		http_add_header(r, "Content-Security-Policy", CSP);
		http_add_header(r, "Referrer-Policy", "same-origin");
		http_add_header(r, "X-Frame-Options", "DENY");
	}
	if (etag_matches(MHD_lookup_connection_value(
				 r->conn, MHD_HEADER_KIND,
				 MHD_HTTP_HEADER_IF_NONE_MATCH),
			 etags[i])) {
		r->status = 304;
		return true;
	}
	r->raw_static = (const char *)f->data;
	r->raw_len = f->len;
	return true;
}
