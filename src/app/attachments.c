#include "app/attachments.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/rows.h"
#include "app/scope.h"
#include "base/xalloc.h"
#include "core/audit_hash.h"
#include "core/csv.h"
#include "core/filetype.h"

#define MAX_LINKS 20

static const struct row_col attachment_cols[] = {
	{ "id", ROW_INT },	     { "sha256", ROW_TEXT },
	{ "size", ROW_INT },	     { "content_type", ROW_TEXT },
	{ "filename", ROW_TEXT },    { "unit_id", ROW_INT },
	{ "uploaded_by", ROW_TEXT }, { "created_at", ROW_TIME },
};
#define ATTACHMENT_NCOLS 8
#define ATTACHMENT_SELECT                                                  \
	"SELECT id, sha256, size, content_type, filename, unit_id, uploader," \
	" created_at FROM attachments"

/* --- the content-addressed files --- */

/* DATA/attachments/ab/cd/<sha256>; the directory alone when file is false. */
static void blob_path(char *out, size_t n, const char *data_dir,
		      const char *sha, bool file)
{
	if (file)
		snprintf(out, n, "%s/attachments/%.2s/%.2s/%s", data_dir, sha,
			 sha + 2, sha);
	else
		snprintf(out, n, "%s/attachments/%.2s/%.2s", data_dir, sha,
			 sha + 2);
}

/* mkdir -p */
static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0750);
		*p = '/';
		if (rc != 0 && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/*
 * Stores the bytes under their hash, once: a file already there with the
 * same size is the same content.  Otherwise a temporary file in the same
 * directory is written, synced and renamed into place, so that a reader
 * never sees half a file, and the directory is synced so the name lasts.
 */
static duban_result blob_put(const char *data_dir, const char *sha,
			     const void *data, size_t len,
			     struct duban_error *err)
{
	char dir[1024], path[1100], tmp[1100];
	struct stat sb;
	int fd, dfd;
	blob_path(dir, sizeof(dir), data_dir, sha, false);
	blob_path(path, sizeof(path), data_dir, sha, true);
	if (stat(path, &sb) == 0 && (size_t)sb.st_size == len)
		return DUBAN_OK;
	if (make_dirs(dir) != 0)
		return duban_fail(err, DUBAN_E_IO, NULL,
				  "unable to create '%s': %s", dir,
				  strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s/.upload-XXXXXX", dir);
	fd = mkstemp(tmp);
	if (fd < 0)
		return duban_fail(err, DUBAN_E_IO, NULL,
				  "unable to create a file in '%s': %s", dir,
				  strerror(errno));
	if (fchmod(fd, 0640) != 0 || !write_all(fd, data, len) ||
	    fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return duban_fail(err, DUBAN_E_IO, NULL,
				  "unable to write '%s': %s", tmp, strerror(e));
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return duban_fail(err, DUBAN_E_IO, NULL,
				  "unable to rename '%s': %s", tmp,
				  strerror(e));
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return DUBAN_OK;
}

static duban_result blob_get(const char *data_dir, const char *sha,
			     size_t size, char **out, size_t *len,
			     struct duban_error *err)
{
	char path[1100], check[AUDIT_HASH_HEX];
	struct stat sb;
	char *buf = NULL;
	size_t got = 0;
	int fd;
	blob_path(path, sizeof(path), data_dir, sha, true);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0 || (size_t)sb.st_size != size) {
		if (fd >= 0)
			close(fd);
		return duban_fail(err, DUBAN_E_IO, NULL,
				  "the stored file '%s' is missing or has the "
				  "wrong size",
				  path);
	}
	buf = xmalloc(size ? size : 1);
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	/* evidence must be what was uploaded: check it on every read */
	sha256_hex(buf, got, check);
	if (got != size || strcmp(check, sha) != 0) {
		free(buf);
		return duban_fail(err, DUBAN_E_IO, NULL,
				  "the stored file '%s' does not match its "
				  "SHA-256",
				  path);
	}
	*out = buf;
	*len = size;
	return DUBAN_OK;
}

/* --- creating --- */

static duban_result check_filename(const char *name, struct duban_error *err)
{
	size_t n = name ? strlen(name) : 0, chars = 0;
	if (!name || !n)
		return duban_fail(err, DUBAN_E_INVALID, "filename",
				  "filename is required (?filename=...)");
	if (!utf8_valid(name, n))
		return duban_fail(err, DUBAN_E_INVALID, "filename",
				  "filename must be UTF-8");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7F || *p == '/' || *p == '\\')
			return duban_fail(err, DUBAN_E_INVALID, "filename",
					  "filename must not hold control "
					  "characters, / or \\");
		chars += (*p & 0xC0) != 0x80;
	}
	if (chars > 255 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return duban_fail(err, DUBAN_E_INVALID, "filename",
				  "filename must be a name of 1 to 255 "
				  "characters");
	return DUBAN_OK;
}

static duban_result load_row(struct store_conn *c, int64_t id, json_t **out,
			     struct duban_error *err)
{
	return row_load(c, ATTACHMENT_SELECT " WHERE id = ?", id, attachment_cols, ATTACHMENT_NCOLS,
			"attachment", out, err);
}

struct create_ctx {
	const struct actor *a;
	const char *sha, *type, *filename;
	size_t len;
	json_t *out;
};

static duban_result create(struct store_conn *c, void *ctx,
			   struct duban_error *err)
{
	struct create_ctx *x = ctx;
	struct store_stmt *st;
	int64_t id = 0;
	duban_result result = store_prepare(
		c,
		"INSERT INTO attachments (sha256, size, content_type, filename,"
		" unit_id, uploaded_by, uploader, created_at) VALUES"
		" (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, x->sha);
	store_bind_int(st, 2, (int64_t)x->len);
	store_bind_str(st, 3, x->type);
	store_bind_str(st, 4, x->filename);
	store_bind_int(st, 5, x->a->unit_id);
	store_bind_int(st, 6, x->a->user_id);
	store_bind_str(st, 7, x->a->username);
	store_bind_int(st, 8, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)))
		return result;
	if ((result = load_row(c, id, &x->out, err)))
		return result;
	return audit_append(c, x->a, "attachment", id, x->a->unit_id, "upload",
			    NULL, x->out, err);
}

duban_result attachment_create(struct store *s, const struct actor *a,
			       const char *data_dir, const char *filename,
			       const void *data, size_t len, json_t **out,
			       struct duban_error *err)
{
	char sha[AUDIT_HASH_HEX];
	struct create_ctx x = { a, sha, NULL, filename, len, NULL };
	duban_result result = check_filename(filename, err);
	if (result)
		return result;
	if (len == 0)
		return duban_fail(err, DUBAN_E_INVALID, "file",
				  "the file is empty");
	x.type = filetype_sniff(data, len);
	if (!x.type)
		return duban_fail_code(err, DUBAN_E_INVALID, "unsupported_type",
				       "file",
				       "'%s' is not a photo (JPEG, PNG, GIF, "
				       "WebP), a PDF or an Office document",
				       filename);
	sha256_hex(data, len, sha);
	/* the file first: a row never names bytes that are not there */
	if ((result = blob_put(data_dir, sha, data, len, err)))
		return result;
	return write_answer(s, create, &x, &x.out, out,
			    err);
}

/* --- reading --- */

/*
 * May the actor read attachment id, uploaded from unit_id?  Yes when their
 * scope holds that unit, or the unit of a problem it is linked to.
 */
static duban_result may_read(struct store_conn *c, const struct actor *a,
			     int64_t id, int64_t unit_id,
			     struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	int64_t units[64];
	size_t n = 0;
	duban_result result =
		scope_require_unit(c, a, unit_id, NULL, NULL, NULL);
	if (result != DUBAN_E_FORBIDDEN)
		return result == DUBAN_OK
			       ? DUBAN_OK
			       : duban_fail(err, result, NULL,
					    "unable to check attachment %lld",
					    (long long)id);
	result = store_prepare(c,
			       "SELECT p.unit_id FROM"
			       " problem_attachments pa JOIN problems p ON"
			       " p.id = pa.problem_id WHERE"
			       " pa.attachment_id = ?"
			       " UNION SELECT t.lead_unit_id FROM"
			       " report_attachments ra JOIN reports r ON"
			       " r.id = ra.report_id JOIN tasks t ON"
			       " t.id = r.task_id WHERE ra.attachment_id = ?"
			       " ORDER BY 1",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	store_bind_int(st, 2, id);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row &&
	       n < sizeof(units) / sizeof(units[0]))
		units[n++] = store_col_int(st, 0);
	store_reset(st);
	if (result)
		return result;
	for (size_t i = 0; i < n; i++) {
		result = scope_require_unit(c, a, units[i], NULL, NULL, NULL);
		if (result == DUBAN_OK)
			return DUBAN_OK;
		if (result != DUBAN_E_FORBIDDEN)
			return duban_fail(err, result, NULL,
					  "unable to check attachment %lld",
					  (long long)id);
	}
	return duban_fail_code(err, DUBAN_E_FORBIDDEN, "out_of_scope", NULL,
			       "attachment %lld is outside your scope",
			       (long long)id);
}

struct read_ctx {
	const struct actor *a;
	int64_t id;
	json_t *meta;
};

static duban_result read_meta(struct store_conn *c, void *ctx,
			      struct duban_error *err)
{
	struct read_ctx *x = ctx;
	duban_result result = load_row(c, x->id, &x->meta, err);
	if (result)
		return result;
	return may_read(c, x->a, x->id, jint(x->meta, "unit_id", 0), err);
}

duban_result attachment_read(struct store *s, const struct actor *a,
			     const char *data_dir, int64_t id, json_t **meta,
			     char **data, size_t *len,
			     struct duban_error *err)
{
	struct read_ctx x = { a, id, NULL };
	duban_result result = store_read(s, read_meta, &x, err);
	if (result == DUBAN_OK)
		result = blob_get(data_dir, jstr(x.meta, "sha256"),
				  (size_t)jint(x.meta, "size", 0), data, len,
				  err);
	if (result) {
		json_decref(x.meta);
		return result;
	}
	*meta = x.meta;
	return DUBAN_OK;
}

/* --- links to problems --- */

duban_result attachment_ids_check(const json_t *ids, const char *field,
				  struct duban_error *err)
{
	size_t i, j;
	json_t *v;
	if (!ids || json_is_null(ids))
		return DUBAN_OK;
	if (!json_is_array(ids) || json_array_size(ids) > MAX_LINKS)
		return duban_fail(err, DUBAN_E_INVALID, field,
				  "%s must be a list of at most %d ids", field,
				  MAX_LINKS);
	json_array_foreach(ids, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return duban_fail(err, DUBAN_E_INVALID, field,
					  "%s must hold attachment ids", field);
		for (j = 0; j < i; j++)
			if (json_integer_value(json_array_get(ids, j)) ==
			    json_integer_value(v))
				return duban_fail(err, DUBAN_E_INVALID, field,
						  "%s names attachment %lld "
						  "twice",
						  field,
						  (long long)json_integer_value(
							  v));
	}
	return DUBAN_OK;
}

duban_result attachment_link_problem(struct store_conn *c,
				     const struct actor *a,
				     int64_t problem_id, int64_t unit_id,
				     int64_t event_id, const json_t *ids,
				     const char *field,
				     struct duban_error *err)
{
	size_t i;
	json_t *v, *rec;
	duban_result result = DUBAN_OK;
	if (!json_array_size(ids))
		return DUBAN_OK;
	json_array_foreach(ids, i, v)
	{
		struct store_stmt *st;
		json_t *meta = NULL;
		int64_t id = json_integer_value(v);
		result = load_row(c, id, &meta, err);
		if (result == DUBAN_E_NOT_FOUND)
			return duban_fail(err, DUBAN_E_INVALID, field,
					  "no attachment with id %lld",
					  (long long)id);
		if (result)
			return result;
		result = may_read(c, a, id, jint(meta, "unit_id", 0), err);
		json_decref(meta);
		if (result)
			return result;
		result = store_prepare(c,
				       "INSERT INTO problem_attachments"
				       " (problem_id, attachment_id, event_id,"
				       " linked_by, linked_at) VALUES"
				       " (?, ?, ?, ?, ?)",
				       &st, err);
		if (result)
			return result;
		store_bind_int(st, 1, problem_id);
		store_bind_int(st, 2, id);
		store_bind_int(st, 3, event_id);
		store_bind_int(st, 4, a->user_id);
		store_bind_int(st, 5, (int64_t)time(NULL));
		if ((result = store_run(st, err)))
			return result;
	}
	rec = json_pack("{s:I, s:O}", "event_id", (json_int_t)event_id,
			"attachment_ids", ids);
	result = audit_append(c, a, "problem", problem_id, unit_id, "attach",
			      NULL, rec, err);
	json_decref(rec);
	return result;
}

duban_result attachment_link_report(struct store_conn *c,
				    const struct actor *a, int64_t report_id,
				    int64_t unit_id, const json_t *ids,
				    const char *field,
				    struct duban_error *err)
{
	size_t i;
	json_t *v, *rec;
	duban_result result = DUBAN_OK;
	if (!json_array_size(ids))
		return DUBAN_OK;
	json_array_foreach(ids, i, v)
	{
		struct store_stmt *st;
		json_t *meta = NULL;
		int64_t id = json_integer_value(v);
		result = load_row(c, id, &meta, err);
		if (result == DUBAN_E_NOT_FOUND)
			return duban_fail(err, DUBAN_E_INVALID, field,
					  "no attachment with id %lld",
					  (long long)id);
		if (result)
			return result;
		result = may_read(c, a, id, jint(meta, "unit_id", 0), err);
		json_decref(meta);
		if (result)
			return result;
		result = store_prepare(c,
				       "INSERT INTO report_attachments"
				       " (report_id, attachment_id, linked_by,"
				       " linked_at) VALUES (?, ?, ?, ?)",
				       &st, err);
		if (result)
			return result;
		store_bind_int(st, 1, report_id);
		store_bind_int(st, 2, id);
		store_bind_int(st, 3, a->user_id);
		store_bind_int(st, 4, (int64_t)time(NULL));
		if ((result = store_run(st, err)))
			return result;
	}
	rec = json_pack("{s:O}", "attachment_ids", ids);
	result = audit_append(c, a, "report", report_id, unit_id, "attach",
			      NULL, rec, err);
	json_decref(rec);
	return result;
}

duban_result attachment_report_ids(struct store_conn *c, int64_t report_id,
				   json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(
		c,
		"SELECT attachment_id FROM report_attachments WHERE"
		" report_id = ? ORDER BY attachment_id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, report_id);
	*out = json_array();
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		json_array_append_new(*out, json_integer(store_col_int(st, 0)));
	store_reset(st);
	return result;
}

duban_result attachment_problem_history(struct store_conn *c,
					int64_t problem_id, json_t *history,
					struct duban_error *err)
{
	static const struct row_col cols[] = {
		{ "id", ROW_INT },	   { "filename", ROW_TEXT },
		{ "content_type", ROW_TEXT }, { "size", ROW_INT },
		{ "sha256", ROW_TEXT },
	};
	struct store_stmt *st;
	bool row = false;
	size_t i;
	json_t *ev;
	json_array_foreach(history, i, ev)
		json_object_set_new(ev, "attachments", json_array());
	duban_result result = store_prepare(
		c,
		"SELECT pa.event_id, a.id, a.filename, a.content_type, a.size,"
		" a.sha256 FROM problem_attachments pa JOIN attachments a ON"
		" a.id = pa.attachment_id WHERE pa.problem_id = ?"
		" ORDER BY pa.event_id, a.id",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, problem_id);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		int64_t event = store_col_int(st, 0);
		json_t *o = json_object();
		for (int k = 0; k < 5; k++) {
			int col = k + 1;
			json_t *val;
			if (cols[k].type == ROW_INT)
				val = json_integer(store_col_int(st, col));
			else
				val = json_stringn(store_col_text(st, col),
						   store_col_len(st, col));
			json_object_set_new(o, cols[k].key, val);
		}
		json_array_foreach(history, i, ev)
		{
			if (jint(ev, "id", 0) == event) {
				json_array_append(
					json_object_get(ev, "attachments"), o);
				break;
			}
		}
		json_decref(o);
	}
	store_reset(st);
	return result;
}
