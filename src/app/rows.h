/*
 * rows.h - turning result rows into JSON objects and reading JSON input.
 */
#ifndef DUBAN_APP_ROWS_H
#define DUBAN_APP_ROWS_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

enum row_type { ROW_INT, ROW_TEXT, ROW_REAL, ROW_BOOL, ROW_TIME };

/** One column of a SELECT, in order, and the key it gets in JSON. */
struct row_col {
	const char *key;
	enum row_type type;
};

/**
 * Builds an object from the current row: column i becomes cols[i].key.
 * SQL NULL becomes JSON null; ROW_TIME turns UNIX seconds into ISO 8601.
 * The caller owns the returned reference.
 */
json_t *row_json(struct store_stmt *st, const struct row_col *cols, int n);

/**
 * Runs sql with its one parameter bound to id and builds the row; 404
 * "no <what> with id N" when there is none.  *out is a new reference.
 */
duban_result row_load(struct store_conn *c, const char *sql, int64_t id,
		      const struct row_col *cols, int n, const char *what,
		      json_t **out, struct duban_error *err);

/** Steps through all rows into an array of row_json objects. */
duban_result rows_json(struct store_stmt *st, const struct row_col *cols,
		       int n, json_t **out, struct duban_error *err);

/* Readers for validated input: the absent or null case gives the default. */
const char *jstr(const json_t *obj, const char *key);
int64_t jint(const json_t *obj, const char *key, int64_t dflt);

/**
 * Runs fn as a write unit whose answer it leaves in *slot (a field of
 * ctx): on success the answer moves to *out, on failure it is dropped.
 * Returns fn's result.
 */
duban_result write_answer(struct store *s, store_work_fn fn, void *ctx,
			  json_t **slot, json_t **out,
			  struct duban_error *err);

/** Like write_answer(), for a read unit. */
duban_result read_answer(struct store *s, store_work_fn fn, void *ctx,
			 json_t **slot, json_t **out,
			 struct duban_error *err);

/** A list answer: {"items": items, "total", "page", "per_page"}; steals items. */
json_t *page_json(json_t *items, int64_t total, int page, int per_page);

/**
 * A filtered list, paged: count_sql counts what rows_sql lists (rows_sql
 * ends in "LIMIT ? OFFSET ?"); bind binds the filters to both from the
 * first parameter on and returns the next one; row makes each row's item.
 * *out is page_json()'s object.
 */
struct page_query {
	const char *count_sql, *rows_sql;
	int (*bind)(struct store_stmt *st, void *ctx);
	json_t *(*row)(struct store_stmt *st, void *ctx);
	void *ctx;
	int page, per_page;
};
duban_result page_query_run(struct store_conn *c, const struct page_query *q,
			    json_t **out, struct duban_error *err);

#endif
