#include "app/rows.h"

#include "base/date.h"

json_t *row_json(struct store_stmt *st, const struct row_col *cols, int n)
{
	json_t *o = json_object();
	for (int i = 0; i < n; i++) {
		json_t *v;
		if (store_col_null(st, i)) {
			v = json_null();
		} else {
			switch (cols[i].type) {
			case ROW_INT:
				v = json_integer(store_col_int(st, i));
				break;
			case ROW_REAL:
				v = json_real(store_col_double(st, i));
				break;
			case ROW_BOOL:
				v = json_boolean(store_col_int(st, i) != 0);
				break;
			case ROW_TIME: {
				char ts[26];
				date_format_timestamp(
					(time_t)store_col_int(st, i), ts);
				v = json_string(ts);
				break;
			}
			case ROW_TEXT:
			default:
				v = json_stringn(store_col_text(st, i),
						 store_col_len(st, i));
				break;
			}
		}
		json_object_set_new(o, cols[i].key, v ? v : json_null());
	}
	return o;
}

duban_result rows_json(struct store_stmt *st, const struct row_col *cols,
		       int n, json_t **out, struct duban_error *err)
{
	json_t *arr = json_array();
	bool row = false;
	duban_result result;
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		json_array_append_new(arr, row_json(st, cols, n));
	store_reset(st);
	if (result) {
		json_decref(arr);
		return result;
	}
	*out = arr;
	return DUBAN_OK;
}

const char *jstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

int64_t jint(const json_t *obj, const char *key, int64_t dflt)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

json_t *page_json(json_t *items, int64_t total, int page, int per_page)
{
	return json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total",
			 (json_int_t)total, "page", page, "per_page", per_page);
}

duban_result page_query_run(struct store_conn *c, const struct page_query *q,
			    json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	int64_t total = 0;
	bool row = false;
	duban_result result = store_prepare(c, q->count_sql, &st, err);
	if (result)
		return result;
	q->bind(st, q->ctx);
	if ((result = store_one_int(st, &total, NULL, err)) ||
	    (result = store_prepare(c, q->rows_sql, &st, err)))
		return result;
	int next = q->bind(st, q->ctx);
	store_bind_int(st, next, q->per_page);
	store_bind_int(st, next + 1, (int64_t)(q->page - 1) * q->per_page);
	json_t *items = json_array();
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row)
		json_array_append_new(items, q->row(st, q->ctx));
	store_reset(st);
	if (result) {
		json_decref(items);
		return result;
	}
	*out = page_json(items, total, q->page, q->per_page);
	return DUBAN_OK;
}

static duban_result hand_over(duban_result result, json_t **slot,
			      json_t **out)
{
	if (result) {
		json_decref(*slot);
		*slot = NULL;
	} else {
		*out = *slot;
	}
	return result;
}

duban_result read_answer(struct store *s, store_work_fn fn, void *ctx,
			 json_t **slot, json_t **out,
			 struct duban_error *err)
{
	return hand_over(store_read(s, fn, ctx, err), slot, out);
}

duban_result write_answer(struct store *s, store_work_fn fn, void *ctx,
			  json_t **slot, json_t **out,
			  struct duban_error *err)
{
	return hand_over(store_write(s, fn, ctx, err), slot, out);
}

duban_result row_load(struct store_conn *c, const char *sql, int64_t id,
		      const struct row_col *cols, int n, const char *what,
		      json_t **out, struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	duban_result result = store_prepare(c, sql, &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
				    "no %s with id %lld", what, (long long)id);
	if (result == DUBAN_OK)
		*out = row_json(st, cols, n);
	store_reset(st);
	return result;
}
