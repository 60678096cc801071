/*
 * api_files.c - routes whose body is a file, not JSON (ROUTE_RAW): the
 * imports of a problem list or ledger and of a task breakdown, and
 * evidence attachments.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "app/attachments.h"
#include "app/problem_import.h"
#include "app/task_import.h"
#include "core/filetype.h"
#include "core/roles.h"
#include "http/api.h"

static const char *content_type(struct http_request *r)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
					   MHD_HTTP_HEADER_CONTENT_TYPE);
}

/* An import into a campaign: the body is the .xlsx or .csv. */
static duban_result run_import(struct http_request *r, import_fn fn)
{
	struct import_options opt;
	json_t *out = NULL, *rows = NULL;
	duban_result result;
	memset(&opt, 0, sizeof(opt));
	opt.filename = http_query(r, "filename");
	result = import_format_detect(http_query(r, "format"), content_type(r),
				      opt.filename, r->body, r->body_len,
				      &opt.format, &r->err);
	if (result)
		return result;
	result = fn(r->store, &r->actor, r->ids[0], r->body, r->body_len, &opt,
		    &out, &rows, &r->err);
	if (rows) /* the row-by-row errors go into the error object */
		r->err_detail = json_pack("{s:o}", "rows", rows);
	if (result == DUBAN_OK)
		http_reply(r, 201, out);
	return result;
}

/* POST /campaigns/{id}/problems/import: a problem list or ledger. */
static duban_result post_problem_import(struct http_request *r)
{
	return run_import(r, problem_import);
}

/* POST /campaigns/{id}/tasks/import: a task breakdown. */
static duban_result post_task_import(struct http_request *r)
{
	return run_import(r, task_import);
}

static const char *data_dir(struct http_request *r)
{
	const struct server_config *cfg = server_config(r->srv);
	return cfg && cfg->data_dir ? cfg->data_dir : "var/data";
}

/* POST /attachments?filename=...: the body is the file. */
static duban_result post_attachment(struct http_request *r)
{
	REPLY(201, attachment_create(r->store, &r->actor, data_dir(r),
				     http_query(r, "filename"), r->body,
				     r->body_len, &out_, &r->err));
}

/* RFC 5987 filename*: UTF-8, percent-encoded; false when it does not fit. */
static bool encode_name(const char *name, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') ||
			     (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || strchr("-._~", *p);
		if (o + 4 > cap)
			return false;
		if (plain) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
	return true;
}

static duban_result get_attachment(struct http_request *r)
{
	json_t *meta = NULL;
	char enc[sizeof(r->disposition)];
	duban_result result =
		attachment_read(r->store, &r->actor, data_dir(r), r->ids[0],
				&meta, &r->raw, &r->raw_len, &r->err);
	if (result)
		return result;
	/* the stored type is what the content was; sniff gives the static
	 * string the answer may keep */
	r->raw_type = filetype_sniff(r->raw, r->raw_len);
	if (!r->raw_type)
		r->raw_type = "application/octet-stream";
	const char *how = strncmp(r->raw_type, "image/", 6) == 0 ||
					  strcmp(r->raw_type, "application/pdf") == 0
				  ? "inline"
				  : "attachment";
	int n = snprintf(r->disposition, sizeof(r->disposition),
			 "%s; filename=\"attachment-%lld.%s\"", how,
			 (long long)r->ids[0],
			 filetype_extension(r->raw_type));
	static const char star[] = "; filename*=UTF-8''";
	if (n > 0 && (size_t)n + sizeof(star) < sizeof(r->disposition) &&
	    encode_name(jstr(meta, "filename"), enc,
			sizeof(r->disposition) - (size_t)n - sizeof(star))) {
		memcpy(r->disposition + n, star, sizeof(star) - 1);
		memcpy(r->disposition + n + sizeof(star) - 1, enc,
		       strlen(enc) + 1);
	}
	json_decref(meta);
	http_add_header(r, "Content-Disposition", r->disposition);
	/* never run as a page, whatever a browser thinks it is */
	http_add_header(r, "Content-Security-Policy",
			"default-src 'none'; sandbox");
	/* the bytes of an id never change */
	http_add_header(r, "Cache-Control", "private, max-age=86400");
	return DUBAN_OK;
}

#define WORKERS (ROLE_OFFICE | ROLE_LIAISON | ROLE_INSPECTOR)

const struct route api_files_routes[] = {
	{ "POST", "/api/v1/campaigns/{id}/problems/import",
	  post_problem_import, WORKERS, ROUTE_RAW, NULL },
	{ "POST", "/api/v1/campaigns/{id}/tasks/import", post_task_import,
	  ROLE_OFFICE, ROUTE_RAW, NULL },
	{ "POST", "/api/v1/attachments", post_attachment,
	  WORKERS | ROLE_LEADER, ROUTE_RAW | ROUTE_UPLOAD, NULL },
	{ "GET", "/api/v1/attachments/{id}", get_attachment, ROLE_ANY, 0,
	  NULL },
};

const int api_files_route_count =
	(int)(sizeof(api_files_routes) / sizeof(api_files_routes[0]));
