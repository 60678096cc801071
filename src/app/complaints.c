#include "app/complaints.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "app/campaigns.h"
#include "app/problems.h"
#include "app/rows.h"
#include "app/scope.h"
#include "app/unitsum.h"
#include "app/text.h"
#include "app/workcal.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "core/roles.h"

/* No look-alikes: no 0/O, 1/I/L. 32 symbols, 10 of them: 50 bits. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

static void new_code(char out[TRACKING_CODE_LEN + 1])
{
	uint32_t n = (uint32_t)strlen(code_alphabet);
	for (int i = 0; i < TRACKING_CODE_LEN; i++)
		out[i] = code_alphabet[randombytes_uniform(n)];
	out[TRACKING_CODE_LEN] = '\0';
}

static const char *const channels[] = { "web",	"phone", "mailbox", "wechat",
					"tv",	"visit", "app",	    "open311",
					"letter" };

static bool channel_valid(const char *c)
{
	for (size_t i = 0; c && i < sizeof(channels) / sizeof(channels[0]);
	     i++)
		if (strcmp(c, channels[i]) == 0)
			return true;
	return false;
}

#define COMPLAINT_COLUMNS                                                    \
	"SELECT c.id, c.tracking_code, c.channel, c.category, c.content,"    \
	" c.unit_id, c.owner_unit_id, c.contact, c.address, c.lat, c.lon,"   \
	" c.status, c.received_on, c.due_on, c.reply, c.replied_on,"         \
	" c.rating_score, c.rating_resolved, c.rating_comment, c.problem_id," \
	" c.callback_note, c.created_at, c.version, c.provisional_dates"

static const struct row_col complaint_cols[] = {
	{ "id", ROW_INT },	       { "tracking_code", ROW_TEXT },
	{ "channel", ROW_TEXT },       { "category", ROW_TEXT },
	{ "content", ROW_TEXT },       { "unit_id", ROW_INT },
	{ "owner_unit_id", ROW_INT },  { "contact", ROW_TEXT },
	{ "address", ROW_TEXT },       { "lat", ROW_REAL },
	{ "long", ROW_REAL },	       { "status", ROW_TEXT },
	{ "received_on", ROW_TEXT },   { "due_on", ROW_TEXT },
	{ "reply", ROW_TEXT },	       { "replied_on", ROW_TEXT },
	{ "rating_score", ROW_INT },   { "rating_resolved", ROW_BOOL },
	{ "rating_comment", ROW_TEXT }, { "problem_id", ROW_INT },
	{ "callback_note", ROW_TEXT }, { "created_at", ROW_TIME },
	{ "version", ROW_INT },	       { "provisional_dates", ROW_BOOL },
};
#define COMPLAINT_NCOLS 24

/* red when unanswered past its limit, yellow on its last day */
static void put_light(json_t *c, int32_t as_of)
{
	int32_t due;
	const char *d = jstr(c, "due_on");
	const char *status = jstr(c, "status");
	bool open = status && (strcmp(status, "received") == 0 ||
			       strcmp(status, "assigned") == 0);
	const char *light = "green";
	if (open && d && date_parse(d, strlen(d), &due))
		light = due < as_of ? "red" : due == as_of ? "yellow" : "green";
	json_object_set_new(c, "light", json_string(light));
	json_object_set_new(c, "overdue",
			    json_boolean(strcmp(light, "red") == 0));
}

static duban_result load(struct store_conn *c, const char *where,
			 int64_t id, const char *code, json_t **out,
			 struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	char sql[1024];
	snprintf(sql, sizeof(sql), "%s FROM complaints c WHERE %s",
		 COMPLAINT_COLUMNS, where);
	duban_result result = store_prepare(c, sql, &st, err);
	if (result)
		return result;
	if (code)
		store_bind_str(st, 1, code);
	else
		store_bind_int(st, 1, id);
	result = store_step(st, &row, err);
	if (result == DUBAN_OK && !row)
		result = code ? duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
					   "no complaint with tracking code "
					   "'%s'",
					   code)
			      : duban_fail(err, DUBAN_E_NOT_FOUND, NULL,
					   "no complaint with id %lld",
					   (long long)id);
	if (result == DUBAN_OK)
		*out = row_json(st, complaint_cols, COMPLAINT_NCOLS);
	store_reset(st);
	return result;
}

static duban_result event(struct store_conn *c, int64_t id,
			  const struct actor *a, const char *action,
			  const char *note, struct duban_error *err)
{
	struct store_stmt *st;
	duban_result result = store_prepare(
		c,
		"INSERT INTO complaint_events (complaint_id, action, note,"
		" actor, at) VALUES (?, ?, ?, ?, ?)",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, id);
	store_bind_str(st, 2, action);
	store_bind_str(st, 3, note);
	store_bind_str(st, 4, a->username[0] ? a->username : "public");
	store_bind_int(st, 5, (int64_t)time(NULL));
	return store_run(st, err);
}

/* Audits a change; the audit trail never keeps the reporter's contact. */
static duban_result audit_complaint(struct store_conn *c,
				    const struct actor *a, int64_t id,
				    int64_t unit, const char *action,
				    json_t *before, json_t *after,
				    struct duban_error *err)
{
	json_t *b = before ? json_deep_copy(before) : NULL;
	json_t *f = after ? json_deep_copy(after) : NULL;
	if (b)
		json_object_del(b, "contact");
	if (f)
		json_object_del(f, "contact");
	duban_result result =
		audit_append(c, a, "complaint", id, unit, action, b, f, err);
	json_decref(b);
	json_decref(f);
	return result;
}

/* The public view: never the contact, internal notes or who answered. */
static json_t *public_view(json_t *c)
{
	json_t *o = json_pack(
		"{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "tracking_code",
		json_object_get(c, "tracking_code"), "status",
		json_object_get(c, "status"), "category",
		json_object_get(c, "category"), "channel",
		json_object_get(c, "channel"), "received_on",
		json_object_get(c, "received_on"), "due_on",
		json_object_get(c, "due_on"), "reply",
		json_object_get(c, "reply"));
	json_object_set(o, "replied_on", json_object_get(c, "replied_on"));
	json_object_set(o, "rating_score", json_object_get(c, "rating_score"));
	json_object_set(o, "rated",
			json_boolean(!json_is_null(
				json_object_get(c, "rating_score"))));
	return o;
}

static duban_result due_for(struct store_conn *c, const char *category,
			    int64_t workdays, int32_t from, int32_t *due,
			    bool *provisional, struct duban_error *err)
{
	struct store_stmt *st;
	bool found = false;
	int64_t n = workdays;
	duban_result result;
	if (n <= 0) {
		result = store_prepare(c,
				       "SELECT due_workdays FROM"
				       " complaint_categories WHERE code = ?",
				       &st, err);
		if (result)
			return result;
		store_bind_str(st, 1, category);
		if ((result = store_one_int(st, &n, &found, err)))
			return result;
		if (!found)
			return duban_fail(err, DUBAN_E_INVALID, "category",
					  "unknown category '%s'", category);
	}
	return workcal_add(from, (int)n, due, provisional, err);
}

/* --- filing --- */

struct file_ctx {
	const struct actor *a;
	const json_t *in;
	bool staff;
	json_t *out;
};

static duban_result file(struct store_conn *c, void *ctx,
			 struct duban_error *err)
{
	struct file_ctx *x = ctx;
	struct store_stmt *st;
	char code[TRACKING_CODE_LEN + 1], today_s[11], due_s[11];
	int64_t unit = jint(x->in, "unit_id", 0), owner = 0, id = 0;
	int32_t today = date_today(), due;
	bool found = false, prov = false;
	duban_result result;
	if (unit) {
		/* the public may name any unit; staff only their own */
		result = x->staff ? scope_require_unit(c, x->a, unit,
						       "unit_id", NULL, err)
				  : DUBAN_OK;
		if (result)
			return result;
		result = store_prepare(c, "SELECT id FROM units WHERE id = ?",
				       &st, err);
		if (result)
			return result;
		store_bind_int(st, 1, unit);
		if ((result = store_one_int(st, &owner, &found, err)))
			return result;
		if (!found)
			return duban_fail(err, DUBAN_E_INVALID, "unit_id",
					  "no unit with id %lld",
					  (long long)unit);
	} else {
		/* nobody named: the coordination office at the root owns it */
		result = store_prepare(c,
				       "SELECT id FROM units WHERE parent_id IS"
				       " NULL ORDER BY id LIMIT 1",
				       &st, err);
		if (result)
			return result;
		if ((result = store_one_int(st, &owner, &found, err)))
			return result;
	}
	if ((result = due_for(c, jstr(x->in, "category"), 0, today, &due,
			      &prov, err)))
		return result;
	date_format(today, today_s);
	date_format(due, due_s);
	for (int attempt = 0;; attempt++) {
		new_code(code);
		result = store_prepare(
			c,
			"INSERT INTO complaints (tracking_code, channel,"
			" category, content, unit_id, owner_unit_id, contact,"
			" address, lat, lon, status, received_on, due_on,"
			" created_by, created_at, provisional_dates) VALUES"
			" (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?,"
			" ?)"
			" RETURNING id",
			&st, err);
		if (result)
			return result;
		store_bind_str(st, 1, code);
		store_bind_str(st, 2, jstr(x->in, "channel"));
		store_bind_str(st, 3, jstr(x->in, "category"));
		store_bind_str(st, 4, jstr(x->in, "content"));
		if (unit)
			store_bind_int(st, 5, unit);
		else
			store_bind_null(st, 5);
		store_bind_int(st, 6, owner);
		store_bind_str(st, 7, jstr(x->in, "contact"));
		store_bind_str(st, 8, jstr(x->in, "address"));
		json_t *lat = json_object_get(x->in, "lat"),
		       *lon = json_object_get(x->in, "long");
		if (json_is_number(lat))
			store_bind_double(st, 9, json_number_value(lat));
		else
			store_bind_null(st, 9);
		if (json_is_number(lon))
			store_bind_double(st, 10, json_number_value(lon));
		else
			store_bind_null(st, 10);
		store_bind_str(st, 11, today_s);
		store_bind_str(st, 12, due_s);
		if (x->a->user_id)
			store_bind_int(st, 13, x->a->user_id);
		else
			store_bind_null(st, 13);
		store_bind_int(st, 14, (int64_t)time(NULL));
		store_bind_int(st, 15, prov);
		result = store_one_int(st, &id, NULL, err);
		/* a code collision (one in 2^50) just draws again */
		if (result != DUBAN_E_CONFLICT || attempt >= 3)
			break;
	}
	if (result)
		return result;
	if ((result = event(c, id, x->a, "received", NULL, err)))
		return result;
	json_t *full = NULL;
	if ((result = load(c, "c.id = ?", id, NULL, &full, err)))
		return result;
	result = audit_complaint(c, x->a, id, owner, "file", NULL, full, err);
	x->out = public_view(full);
	json_decref(full);
	return result;
}

duban_result complaint_file(struct store *s, const struct actor *a,
			    const json_t *in, bool staff, json_t **out,
			    struct duban_error *err)
{
	struct file_ctx x = { a, in, staff, NULL };
	duban_result result;
	json_t *lat = json_object_get(in, "lat"), *lon = json_object_get(in,
								    "long");
	if (!channel_valid(jstr(in, "channel")))
		return duban_fail(err, DUBAN_E_INVALID, "channel",
				  "channel must be one of web, phone, mailbox,"
				  " wechat, tv, visit, app, letter");
	if ((result = text_require(in, "category", 1, 32, true, err)) ||
	    (result = text_require(in, "content", 1, 5000, true, err)) ||
	    (result = text_require(in, "contact", 1, 100, false, err)) ||
	    (result = text_require(in, "address", 1, 200, false, err)))
		return result;
	if ((lat && !json_is_null(lat) &&
	     (!json_is_number(lat) || json_number_value(lat) < -90 ||
	      json_number_value(lat) > 90)))
		return duban_fail(err, DUBAN_E_INVALID, "lat",
				  "lat must be a latitude");
	if ((lon && !json_is_null(lon) &&
	     (!json_is_number(lon) || json_number_value(lon) < -180 ||
	      json_number_value(lon) > 180)))
		return duban_fail(err, DUBAN_E_INVALID, "long",
				  "long must be a longitude");
	return write_answer(s, file, &x, &x.out, out,
			    err);
}

struct code_ctx {
	const char *code;
	json_t *out;
};

static duban_result get_public(struct store_conn *c, void *ctx,
			       struct duban_error *err)
{
	struct code_ctx *g = ctx;
	json_t *full = NULL;
	duban_result result =
		load(c, "c.tracking_code = ?", 0, g->code, &full, err);
	if (result)
		return result;
	g->out = public_view(full);
	json_decref(full);
	return DUBAN_OK;
}

duban_result complaint_public(struct store *s, const char *code,
			      json_t **out, struct duban_error *err)
{
	struct code_ctx g = { code, NULL };
	duban_result result = store_read(s, get_public, &g, err);
	*out = g.out;
	return result;
}

/* --- rating --- */

struct rate_ctx {
	const struct actor *a;
	const char *code;
	const json_t *in;
	json_t *out;
};

/*
 * The campaign a bad rating's problem goes into: the latest campaign
 * running today that was issued at or above the owning unit.
 */
static duban_result campaign_for(struct store_conn *c, int64_t unit,
				 int64_t *campaign, struct duban_error *err)
{
	struct store_stmt *st;
	char today[11];
	bool found = false;
	date_format(date_today(), today);
	duban_result result = store_prepare(
		c,
		"SELECT c.id FROM campaigns c JOIN units cu ON cu.id ="
		" c.unit_id, units u WHERE u.id = ? AND"
		" substr(u.path, 1, length(cu.path)) = cu.path AND"
		" c.starts_on <= ? AND c.ends_on >= ?"
		" ORDER BY cu.depth DESC, c.id DESC LIMIT 1",
		&st, err);
	if (result)
		return result;
	store_bind_int(st, 1, unit);
	store_bind_str(st, 2, today);
	store_bind_str(st, 3, today);
	*campaign = 0;
	return store_one_int(st, campaign, &found, err);
}

static duban_result rate(struct store_conn *c, void *ctx,
			 struct duban_error *err)
{
	struct rate_ctx *x = ctx;
	struct store_stmt *st;
	json_t *before = NULL, *after = NULL, *problem = NULL;
	int64_t score = jint(x->in, "score", 0), campaign = 0;
	duban_result result =
		load(c, "c.tracking_code = ?", 0, x->code, &before, err);
	if (result)
		return result;
	if (!json_is_null(json_object_get(before, "rating_score"))) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT, "already_rated",
					 NULL,
					 "this complaint has been rated");
		goto out;
	}
	if (json_is_null(json_object_get(before, "reply"))) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT, "not_answered",
					 NULL,
					 "this complaint has not been answered "
					 "yet");
		goto out;
	}
	int64_t id = jint(before, "id", 0), owner = jint(before,
							  "owner_unit_id", 0);
	/* a bad rating (差评) opens a rectification problem for the owner */
	if (score <= 2 &&
	    (result = campaign_for(c, owner, &campaign, err)) == DUBAN_OK &&
	    campaign) {
		char desc[600];
		snprintf(desc, sizeof(desc), "群众差评(%lld分): %.400s",
			 (long long)score,
			 jstr(x->in, "comment") ? jstr(x->in, "comment")
						: jstr(before, "content"));
		json_t *pin = json_pack(
			"{s:I, s:I, s:s, s:s, s:s, s:i}", "campaign_id",
			(json_int_t)campaign, "unit_id", (json_int_t)owner,
			"source", "public", "description", desc, "measures",
			"核实差评、限期整改并回访", "due_workdays", 5);
		struct actor sys;
		actor_system(&sys, "bad rating");
		snprintf(sys.client_addr, sizeof(sys.client_addr), "%s",
			 x->a->client_addr);
		result = problem_check(pin, err);
		if (result == DUBAN_OK)
			result = problem_insert(c, &sys, pin, &problem, err);
		json_decref(pin);
	}
	if (result)
		goto out;
	result = store_prepare(
		c,
		"UPDATE complaints SET rating_score = ?, rating_resolved = ?,"
		" rating_comment = ?, rated_at = ?, status = 'closed',"
		" problem_id = ?, version = version + 1 WHERE id = ?",
		&st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, score);
	store_bind_int(st, 2, json_is_true(json_object_get(x->in, "resolved")));
	store_bind_str(st, 3, jstr(x->in, "comment"));
	store_bind_int(st, 4, (int64_t)time(NULL));
	if (problem)
		store_bind_int(st, 5, jint(problem, "id", 0));
	else
		store_bind_null(st, 5);
	store_bind_int(st, 6, id);
	if ((result = store_run(st, err)))
		goto out;
	if ((result = event(c, id, x->a, score <= 2 ? "bad_rating" : "rated",
			    NULL, err)))
		goto out;
	if ((result = load(c, "c.id = ?", id, NULL, &after, err)))
		goto out;
	result = audit_complaint(c, x->a, id, owner, "rate", NULL, after, err);
	x->out = public_view(after);
	json_object_set_new(x->out, "rating",
			    json_string(score >= 4   ? "good"
					: score == 3 ? "fair"
						     : "bad"));
out:
	json_decref(before);
	json_decref(after);
	json_decref(problem);
	return result;
}

duban_result complaint_rate(struct store *s, const struct actor *a,
			    const char *code, const json_t *in, json_t **out,
			    struct duban_error *err)
{
	struct rate_ctx x = { a, code, in, NULL };
	int64_t score = jint(in, "score", 0);
	duban_result result;
	if (!json_is_integer(json_object_get(in, "score")) || score < 1 ||
	    score > 5)
		return duban_fail(err, DUBAN_E_INVALID, "score",
				  "score must be a whole number from 1 to 5");
	if (!json_is_boolean(json_object_get(in, "resolved")))
		return duban_fail(err, DUBAN_E_INVALID, "resolved",
				  "resolved must be true or false");
	if ((result = text_require(in, "comment", 0, 2000, false, err)))
		return result;
	return write_answer(s, rate, &x, &x.out, out,
			    err);
}

/* --- the staff side --- */

#define COMPLAINT_WHERE                                                     \
	" FROM complaints c JOIN units u ON u.id = c.owner_unit_id"         \
	" WHERE u.path >= ? AND u.path < ?"                                 \
	" AND (? = '' OR (u.path >= ? AND u.path < ?))"                     \
	" AND (? = '' OR c.status = ?)"                                     \
	" AND (? = '' OR c.category = ?)"                                   \
	" AND (? = 0 OR (c.status IN ('received', 'assigned')"              \
	" AND c.due_on < ?))"

struct list_ctx {
	const struct actor *a;
	const struct complaint_filter *f;
	char lo[256], hi[256];
	json_t *out;
};

static int bind_list(struct store_stmt *st, void *ctx)
{
	struct list_ctx *l = ctx;
	char today[11];
	const char *status = l->f->status ? l->f->status : "";
	const char *cat = l->f->category ? l->f->category : "";
	date_format(l->f->as_of, today);
	scope_bind_subtree(st, 1, l->a);
	store_bind_str(st, 3, l->lo);
	store_bind_str(st, 4, l->lo);
	store_bind_str(st, 5, l->hi);
	store_bind_str(st, 6, status);
	store_bind_str(st, 7, status);
	store_bind_str(st, 8, cat);
	store_bind_str(st, 9, cat);
	store_bind_int(st, 10, l->f->overdue_only);
	store_bind_str(st, 11, today);
	return 12;
}

static json_t *list_row(struct store_stmt *st, void *ctx)
{
	const struct list_ctx *l = ctx;
	json_t *o = row_json(st, complaint_cols, COMPLAINT_NCOLS);
	put_light(o, l->f->as_of);
	return o;
}

static duban_result list(struct store_conn *c, void *ctx,
			 struct duban_error *err)
{
	struct list_ctx *l = ctx;
	if (l->f->unit_id) {
		duban_result result = scope_require_unit(
			c, l->a, l->f->unit_id, "unit_id", l->lo, err);
		if (result)
			return result;
		memcpy(l->hi, l->lo, sizeof(l->hi));
		l->hi[strlen(l->hi) - 1] = '0';
	}
	const struct page_query q = {
		"SELECT count(*)" COMPLAINT_WHERE,
		COMPLAINT_COLUMNS COMPLAINT_WHERE " ORDER BY c.id DESC LIMIT ? OFFSET ?",
		bind_list, list_row, l, l->f->page, l->f->per_page,
	};
	return page_query_run(c, &q, &l->out, err);
}

duban_result complaint_list(struct store *s, const struct actor *a,
			    const struct complaint_filter *f, json_t **out,
			    struct duban_error *err)
{
	struct list_ctx l;
	duban_result result;
	memset(&l, 0, sizeof(l));
	l.a = a;
	l.f = f;
	result = store_read(s, list, &l, err);
	*out = l.out;
	return result;
}

static const struct row_col event_cols[] = {
	{ "id", ROW_INT },	{ "action", ROW_TEXT }, { "note", ROW_TEXT },
	{ "actor", ROW_TEXT }, { "at", ROW_TIME },
};

struct one_ctx {
	const struct actor *a;
	int64_t id;
	const json_t *in;
	json_t *out;
};

static duban_result load_scoped(struct store_conn *c, const struct actor *a,
				int64_t id, json_t **out,
				struct duban_error *err)
{
	duban_result result = load(c, "c.id = ?", id, NULL, out, err);
	if (result)
		return result;
	result = scope_require_unit(c, a, jint(*out, "owner_unit_id", 0), NULL,
				    NULL, err);
	if (result) {
		json_decref(*out);
		*out = NULL;
	}
	return result;
}

static duban_result get(struct store_conn *c, void *ctx,
			struct duban_error *err)
{
	struct one_ctx *g = ctx;
	struct store_stmt *st;
	json_t *events = NULL;
	duban_result result = load_scoped(c, g->a, g->id, &g->out, err);
	if (result)
		return result;
	result = store_prepare(c,
			       "SELECT id, action, note, actor, at FROM"
			       " complaint_events WHERE complaint_id = ?"
			       " ORDER BY id",
			       &st, err);
	if (result)
		return result;
	store_bind_int(st, 1, g->id);
	if ((result = rows_json(st, event_cols, 5, &events, err)))
		return result;
	put_light(g->out, date_today());
	json_object_set_new(g->out, "history", events);
	return DUBAN_OK;
}

duban_result complaint_get(struct store *s, const struct actor *a,
			   int64_t id, json_t **out, struct duban_error *err)
{
	struct one_ctx g = { a, id, NULL, NULL };
	duban_result result = store_read(s, get, &g, err);
	if (result) {
		json_decref(g.out);
		g.out = NULL;
	}
	*out = g.out;
	return result;
}

/*
 * What every staff move ends with: the history event, the complaint as it
 * now stands in *out, and the audit record of before and after.
 */
static duban_result record_move(struct store_conn *c, const struct actor *a,
				int64_t id, json_t *before, const char *event_name,
				const char *note, const char *action,
				json_t **out, struct duban_error *err)
{
	duban_result result;
	if ((result = event(c, id, a, event_name, note, err)) ||
	    (result = load(c, "c.id = ?", id, NULL, out, err)))
		return result;
	return audit_complaint(c, a, id, jint(*out, "owner_unit_id", 0),
			       action, before, *out, err);
}

static duban_result assign(struct store_conn *c, void *ctx,
			   struct duban_error *err)
{
	struct one_ctx *x = ctx;
	struct store_stmt *st;
	json_t *before = NULL;
	int64_t unit = jint(x->in, "unit_id", 0);
	int32_t due;
	char due_s[11];
	duban_result result = load_scoped(c, x->a, x->id, &before, err);
	if (result)
		return result;
	const char *status = jstr(before, "status");
	if (strcmp(status, "received") != 0 && strcmp(status, "assigned") != 0) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT,
					 "invalid_transition", NULL,
					 "a complaint that is %s cannot be "
					 "assigned",
					 status);
		goto out;
	}
	if ((result = scope_require_unit(c, x->a, unit, "unit_id", NULL, err)))
		goto out;
	bool prov = false;
	if ((result = due_for(c, jstr(before, "category"),
			      jint(x->in, "due_workdays", 0), date_today(),
			      &due, &prov, err)))
		goto out;
	date_format(due, due_s);
	result = store_prepare(c,
			       "UPDATE complaints SET owner_unit_id = ?, status"
			       " = 'assigned', due_on = ?, provisional_dates ="
			       " ?, version = version + 1 WHERE id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_int(st, 1, unit);
	store_bind_str(st, 2, due_s);
	store_bind_int(st, 3, prov);
	store_bind_int(st, 4, x->id);
	if ((result = store_run(st, err)))
		goto out;
	char note[64];
	snprintf(note, sizeof(note), "unit %lld, due %s", (long long)unit,
		 due_s);
	result = record_move(c, x->a, x->id, before, "assigned", note,
			     "assign", &x->out, err);
out:
	json_decref(before);
	return result;
}

duban_result complaint_assign(struct store *s, const struct actor *a,
			      int64_t id, const json_t *in, json_t **out,
			      struct duban_error *err)
{
	struct one_ctx x = { a, id, in, NULL };
	json_t *wd = json_object_get(in, "due_workdays");
	if (wd && (json_integer_value(wd) < 1 || json_integer_value(wd) > 100))
		return duban_fail(err, DUBAN_E_INVALID, "due_workdays",
				  "due_workdays must be from 1 to 100");
	return write_answer(s, assign, &x, &x.out, out,
			    err);
}

static duban_result reply(struct store_conn *c, void *ctx,
			  struct duban_error *err)
{
	struct one_ctx *x = ctx;
	struct store_stmt *st;
	json_t *before = NULL;
	char today[11];
	duban_result result = load_scoped(c, x->a, x->id, &before, err);
	if (result)
		return result;
	const char *status = jstr(before, "status");
	if (strcmp(status, "received") != 0 && strcmp(status, "assigned") != 0) {
		result = duban_fail_code(err, DUBAN_E_CONFLICT,
					 "invalid_transition", NULL,
					 "a complaint that is %s cannot be "
					 "answered again",
					 status);
		goto out;
	}
	date_format(date_today(), today);
	result = store_prepare(c,
			       "UPDATE complaints SET reply = ?, replied_on = ?,"
			       " replied_at = ?, replied_by = ?, status ="
			       " 'replied', version = version + 1 WHERE id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, jstr(x->in, "reply"));
	store_bind_str(st, 2, today);
	store_bind_int(st, 3, (int64_t)time(NULL));
	store_bind_int(st, 4, x->a->user_id);
	store_bind_int(st, 5, x->id);
	if ((result = store_run(st, err)))
		goto out;
	result = record_move(c, x->a, x->id, before, "replied", NULL, "reply",
			     &x->out, err);
out:
	json_decref(before);
	return result;
}

duban_result complaint_reply(struct store *s, const struct actor *a,
			     int64_t id, const json_t *in, json_t **out,
			     struct duban_error *err)
{
	struct one_ctx x = { a, id, in, NULL };
	duban_result result = text_require(in, "reply", 1, 5000, true, err);
	if (result)
		return result;
	return write_answer(s, reply, &x, &x.out, out,
			    err);
}

static duban_result callback(struct store_conn *c, void *ctx,
			     struct duban_error *err)
{
	struct one_ctx *x = ctx;
	struct store_stmt *st;
	json_t *before = NULL;
	duban_result result = load_scoped(c, x->a, x->id, &before, err);
	if (result)
		return result;
	result = store_prepare(c,
			       "UPDATE complaints SET callback_note = ?,"
			       " callback_at = ?, version = version + 1"
			       " WHERE id = ?",
			       &st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, jstr(x->in, "note"));
	store_bind_int(st, 2, (int64_t)time(NULL));
	store_bind_int(st, 3, x->id);
	if ((result = store_run(st, err)))
		goto out;
	result = record_move(c, x->a, x->id, before, "callback",
			     jstr(x->in, "note"), "callback", &x->out, err);
out:
	json_decref(before);
	return result;
}

duban_result complaint_callback(struct store *s, const struct actor *a,
				int64_t id, const json_t *in, json_t **out,
				struct duban_error *err)
{
	struct one_ctx x = { a, id, in, NULL };
	duban_result result = text_require(in, "note", 1, 5000, true, err);
	if (result)
		return result;
	return write_answer(s, callback, &x, &x.out, out,
			    err);
}

/* --- the three rates --- */

/* a unit's counters over a period */
enum { R_RECEIVED, R_ON_TIME, R_RATED, R_RESOLVED, R_SATISFIED, R_COUNTERS };

static json_t *ratio(int64_t num, int64_t den)
{
	return den ? json_real((double)num / (double)den) : json_null();
}

static json_t *rates_json(int64_t unit, const int64_t *r)
{
	json_t *o = json_pack("{s:I, s:I, s:I}", "unit_id", (json_int_t)unit,
			      "received", (json_int_t)r[R_RECEIVED], "rated",
			      (json_int_t)r[R_RATED]);
	json_object_set_new(o, "response_rate",
			    ratio(r[R_ON_TIME], r[R_RECEIVED]));
	json_object_set_new(o, "resolution_rate",
			    ratio(r[R_RESOLVED], r[R_RATED]));
	json_object_set_new(o, "satisfaction_rate",
			    ratio(r[R_SATISFIED], r[R_RATED]));
	return o;
}

struct stats_ctx {
	const struct actor *a;
	int64_t unit_id;
	int32_t from, to;
	struct unitsum units;
	json_t *out;
};

static duban_result gather_rates(struct store_conn *c, struct stats_ctx *x,
				 struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	char from[11], to[11], lo[256] = "", hi[256] = "";
	duban_result result;
	if (x->unit_id) {
		result = scope_require_unit(c, x->a, x->unit_id, "unit_id", lo,
					    err);
		if (result)
			return result;
		memcpy(hi, lo, sizeof(hi));
		hi[strlen(hi) - 1] = '0';
	}
	result = unitsum_load(c, x->a, x->unit_id ? lo : NULL, hi,
			      R_COUNTERS, &x->units, err);
	if (result)
		return result;
	date_format(x->from, from);
	date_format(x->to, to);
	/* one grouped pass over the period's complaints */
	result = store_prepare(
		c,
		"SELECT owner_unit_id, count(*),"
		" sum(CASE WHEN replied_on IS NOT NULL AND replied_on <= due_on"
		" THEN 1 ELSE 0 END),"
		" sum(CASE WHEN rating_score IS NOT NULL THEN 1 ELSE 0 END),"
		" sum(CASE WHEN rating_resolved = 1 THEN 1 ELSE 0 END),"
		" sum(CASE WHEN rating_score >= 4 THEN 1 ELSE 0 END)"
		" FROM complaints WHERE received_on >= ? AND received_on <= ?"
		" GROUP BY owner_unit_id",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, from);
	store_bind_str(st, 2, to);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		int64_t v[R_COUNTERS];
		for (int k = 0; k < R_COUNTERS; k++)
			v[k] = store_col_int(st, 1 + k);
		unitsum_add(&x->units, store_col_int(st, 0), v);
	}
	store_reset(st);
	unitsum_roll_up(&x->units);
	return result;
}

static duban_result stats(struct store_conn *c, void *ctx,
			  struct duban_error *err)
{
	struct stats_ctx *x = ctx;
	duban_result result = gather_rates(c, x, err);
	if (result)
		return result;
	json_t *units = json_array(), *subs = json_array();
	for (size_t i = 0; i < x->units.n; i++) {
		const struct unitsum_unit *u = &x->units.u[i];
		if (u->own[R_RECEIVED])
			json_array_append_new(units, rates_json(u->id, u->own));
		if (u->sub[R_RECEIVED])
			json_array_append_new(subs, rates_json(u->id, u->sub));
	}
	char from[11], to[11];
	date_format(x->from, from);
	date_format(x->to, to);
	x->out = json_pack("{s:s, s:s, s:o, s:o}", "from", from, "to", to,
			   "units", units, "subtrees", subs);
	return DUBAN_OK;
}

duban_result complaint_stats(struct store *s, const struct actor *a,
			     int64_t unit_id, int32_t from, int32_t to,
			     json_t **out, struct duban_error *err)
{
	struct stats_ctx x = { .a = a, .unit_id = unit_id, .from = from,
			       .to = to };
	if (to < from)
		return duban_fail(err, DUBAN_E_INVALID, "to",
				  "to is before from");
	duban_result result = store_read(s, stats, &x, err);
	unitsum_release(&x.units);
	*out = x.out;
	return result;
}

static int by_merit(const void *a, const void *b)
{
	const struct unitsum_unit *x = *(const struct unitsum_unit *const *)a,
				  *y = *(const struct unitsum_unit *const *)b;
	const int64_t *p = x->own, *q = y->own;
	/* satisfaction first, then answering on time, then fewer complaints */
	double sx = p[R_RATED] ? (double)p[R_SATISFIED] / (double)p[R_RATED]
			       : 0,
	       sy = q[R_RATED] ? (double)q[R_SATISFIED] / (double)q[R_RATED]
			       : 0;
	double rx = (double)p[R_ON_TIME] / (double)p[R_RECEIVED],
	       ry = (double)q[R_ON_TIME] / (double)q[R_RECEIVED];
	if (sx != sy)
		return sx > sy ? -1 : 1;
	if (rx != ry)
		return rx > ry ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static duban_result rankings(struct store_conn *c, void *ctx,
			     struct duban_error *err)
{
	struct stats_ctx *x = ctx;
	duban_result result = gather_rates(c, x, err);
	if (result)
		return result;
	/* the units that received complaints, best first */
	const struct unitsum_unit **ranked =
		xmalloc((x->units.n ? x->units.n : 1) * sizeof(*ranked));
	size_t m = 0;
	for (size_t i = 0; i < x->units.n; i++)
		if (x->units.u[i].own[R_RECEIVED])
			ranked[m++] = &x->units.u[i];
	qsort(ranked, m, sizeof(*ranked), by_merit);
	json_t *red = json_array(), *black = json_array();
	for (size_t i = 0; i < m && i < 5; i++)
		json_array_append_new(red,
				      rates_json(ranked[i]->id, ranked[i]->own));
	/* the black list is the bottom five, worst first, never overlapping
	 * the red list */
	for (size_t k = 0; k < 5 && k + 5 < m; k++)
		json_array_append_new(black, rates_json(ranked[m - 1 - k]->id,
							ranked[m - 1 - k]->own));
	free(ranked);
	char from[11], to[11];
	date_format(x->from, from);
	date_format(x->to, to);
	x->out = json_pack("{s:s, s:s, s:o, s:o}", "from", from, "to", to,
			   "red_list", red, "black_list", black);
	return DUBAN_OK;
}

duban_result complaint_rankings(struct store *s, const struct actor *a,
				int32_t from, int32_t to, json_t **out,
				struct duban_error *err)
{
	struct stats_ctx x = { .a = a, .from = from, .to = to };
	duban_result result = store_read(s, rankings, &x, err);
	unitsum_release(&x.units);
	*out = x.out;
	return result;
}

/* --- categories and windows --- */

static const struct row_col category_cols[] = {
	{ "code", ROW_TEXT },
	{ "name", ROW_TEXT },
	{ "due_workdays", ROW_INT },
	{ "description", ROW_TEXT },
};

static duban_result list_categories(struct store_conn *c, void *ctx,
				    struct duban_error *err)
{
	struct store_stmt *st;
	json_t **out = ctx, *items = NULL;
	duban_result result = store_prepare(
		c,
		"SELECT code, name, due_workdays, description FROM"
		" complaint_categories ORDER BY due_workdays, code",
		&st, err);
	if (result)
		return result;
	if ((result = rows_json(st, category_cols, 4, &items, err)))
		return result;
	*out = json_pack("{s:o}", "items", items);
	return DUBAN_OK;
}

duban_result complaint_categories(struct store *s, json_t **out,
				  struct duban_error *err)
{
	*out = NULL;
	return store_read(s, list_categories, out, err);
}

struct simple_ctx {
	const struct actor *a;
	const json_t *in;
	json_t *out;
};

static duban_result set_category(struct store_conn *c, void *ctx,
				 struct duban_error *err)
{
	struct simple_ctx *x = ctx;
	struct store_stmt *st;
	duban_result result = store_prepare(
		c,
		"INSERT INTO complaint_categories (code, name, due_workdays,"
		" description) VALUES (?, ?, ?, ?) ON CONFLICT (code) DO UPDATE"
		" SET name = excluded.name, due_workdays ="
		" excluded.due_workdays, description = excluded.description",
		&st, err);
	if (result)
		return result;
	store_bind_str(st, 1, jstr(x->in, "code"));
	store_bind_str(st, 2, jstr(x->in, "name"));
	store_bind_int(st, 3, jint(x->in, "due_workdays", 5));
	store_bind_str(st, 4, jstr(x->in, "description"));
	if ((result = store_run(st, err)))
		return result;
	x->out = json_deep_copy(x->in);
	return audit_append(c, x->a, "complaint_category", 0, x->a->unit_id,
			    "set", NULL, x->out, err);
}

duban_result complaint_category_set(struct store *s, const struct actor *a,
				    const json_t *in, json_t **out,
				    struct duban_error *err)
{
	struct simple_ctx x = { a, in, NULL };
	int64_t n = jint(in, "due_workdays", 0);
	duban_result result;
	if ((result = text_require(in, "code", 1, 32, true, err)) ||
	    (result = text_require(in, "name", 1, 50, true, err)) ||
	    (result = text_require(in, "description", 0, 500, false, err)))
		return result;
	if (n < 1 || n > 100)
		return duban_fail(err, DUBAN_E_INVALID, "due_workdays",
				  "due_workdays must be from 1 to 100");
	return write_answer(s, set_category, &x, &x.out, out,
			    err);
}

static duban_result create_window(struct store_conn *c, void *ctx,
				  struct duban_error *err)
{
	struct simple_ctx *x = ctx;
	struct store_stmt *st;
	int64_t unit = jint(x->in, "unit_id", 0);
	duban_result result =
		scope_require_unit(c, x->a, unit, "unit_id", NULL, err);
	if (result)
		return result;
	result = store_prepare(c,
			       "INSERT INTO service_windows (code, name,"
			       " unit_id) VALUES (?, ?, ?)",
			       &st, err);
	if (result)
		return result;
	store_bind_str(st, 1, jstr(x->in, "code"));
	store_bind_str(st, 2, jstr(x->in, "name"));
	store_bind_int(st, 3, unit);
	if ((result = store_run(st, err)))
		return result == DUBAN_E_CONFLICT
			       ? duban_fail_code(err, DUBAN_E_CONFLICT,
						 "duplicate", "code",
						 "window '%s' exists",
						 jstr(x->in, "code"))
			       : result;
	x->out = json_deep_copy(x->in);
	return audit_append(c, x->a, "service_window", 0, unit, "create",
			    NULL, x->out, err);
}

duban_result window_create(struct store *s, const struct actor *a,
			   const json_t *in, json_t **out,
			   struct duban_error *err)
{
	struct simple_ctx x = { a, in, NULL };
	duban_result result;
	const char *code = jstr(in, "code");
	if ((result = text_require(in, "code", 1, 32, true, err)) ||
	    (result = text_require(in, "name", 1, 100, true, err)))
		return result;
	for (const char *p = code; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return duban_fail(err, DUBAN_E_INVALID, "code",
					  "code may hold letters, digits, - "
					  "and _ only");
	return write_answer(s, create_window, &x, &x.out, out,
			    err);
}

static duban_result rate_window(struct store_conn *c, void *ctx,
				struct duban_error *err)
{
	struct simple_ctx *x = ctx;
	struct store_stmt *st;
	int64_t unit = 0, id = 0;
	bool found = false;
	char today[11];
	duban_result result = store_prepare(
		c, "SELECT unit_id FROM service_windows WHERE code = ?", &st,
		err);
	if (result)
		return result;
	store_bind_str(st, 1, jstr(x->in, "window_code"));
	if ((result = store_one_int(st, &unit, &found, err)))
		return result;
	if (!found)
		return duban_fail(err, DUBAN_E_INVALID, "window_code",
				  "no service window '%s'",
				  jstr(x->in, "window_code"));
	date_format(date_today(), today);
	result = store_prepare(c,
			       "INSERT INTO window_ratings (window_code, score,"
			       " comment, rated_on, created_at) VALUES"
			       " (?, ?, ?, ?, ?) RETURNING id",
			       &st, err);
	if (result)
		return result;
	store_bind_str(st, 1, jstr(x->in, "window_code"));
	store_bind_int(st, 2, jint(x->in, "score", 0));
	store_bind_str(st, 3, jstr(x->in, "comment"));
	store_bind_str(st, 4, today);
	store_bind_int(st, 5, (int64_t)time(NULL));
	if ((result = store_one_int(st, &id, NULL, err)))
		return result;
	int64_t score = jint(x->in, "score", 0);
	x->out = json_pack("{s:I, s:O, s:I, s:s}", "id", (json_int_t)id,
			   "window_code", json_object_get(x->in, "window_code"),
			   "score", (json_int_t)score, "rating",
			   score >= 4 ? "good" : score == 3 ? "fair" : "bad");
	return audit_append(c, x->a, "window_rating", id, unit, "rate", NULL,
			    x->out, err);
}

duban_result window_rate(struct store *s, const struct actor *a,
			 const json_t *in, json_t **out,
			 struct duban_error *err)
{
	struct simple_ctx x = { a, in, NULL };
	int64_t score = jint(in, "score", 0);
	duban_result result;
	if (!json_is_integer(json_object_get(in, "score")) || score < 1 ||
	    score > 5)
		return duban_fail(err, DUBAN_E_INVALID, "score",
				  "score must be a whole number from 1 to 5");
	if ((result = text_require(in, "window_code", 1, 32, true, err)) ||
	    (result = text_require(in, "comment", 0, 500, false, err)))
		return result;
	return write_answer(s, rate_window, &x, &x.out, out,
			    err);
}

struct wstats_ctx {
	const struct actor *a;
	int32_t from, to;
	json_t *out;
};

static duban_result window_stats_unit(struct store_conn *c, void *ctx,
				      struct duban_error *err)
{
	struct wstats_ctx *x = ctx;
	struct store_stmt *st;
	bool row = false;
	char from[11], to[11];
	json_t *items = json_array();
	date_format(x->from, from);
	date_format(x->to, to);
	duban_result result = store_prepare(
		c,
		"SELECT w.code, w.name, w.unit_id, count(r.id),"
		" sum(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END),"
		" sum(CASE WHEN r.score <= 2 THEN 1 ELSE 0 END)"
		" FROM service_windows w JOIN units u ON u.id = w.unit_id"
		" LEFT JOIN window_ratings r ON r.window_code = w.code"
		" AND r.rated_on >= ? AND r.rated_on <= ?"
		" WHERE u.path >= ? AND u.path < ?"
		" GROUP BY w.code, w.name, w.unit_id ORDER BY w.code",
		&st, err);
	if (result)
		goto out;
	store_bind_str(st, 1, from);
	store_bind_str(st, 2, to);
	scope_bind_subtree(st, 3, x->a);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		int64_t n = store_col_int(st, 3), good = store_col_int(st, 4);
		json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "code",
				      store_col_text(st, 0), "name",
				      store_col_text(st, 1), "unit_id",
				      (json_int_t)store_col_int(st, 2),
				      "ratings", (json_int_t)n, "good",
				      (json_int_t)good, "bad",
				      (json_int_t)store_col_int(st, 5));
		json_object_set_new(o, "satisfaction_rate", ratio(good, n));
		json_array_append_new(items, o);
	}
	store_reset(st);
	if (result)
		goto out;
	x->out = json_pack("{s:s, s:s, s:o}", "from", from, "to", to, "items",
			   items);
	items = NULL;
out:
	json_decref(items);
	return result;
}

duban_result window_stats(struct store *s, const struct actor *a,
			  int32_t from, int32_t to, json_t **out,
			  struct duban_error *err)
{
	struct wstats_ctx x = { a, from, to, NULL };
	duban_result result = store_read(s, window_stats_unit, &x, err);
	*out = x.out;
	return result;
}

/* --- Open311 --- */

struct o311_ctx {
	const struct open311_filter *f;
	json_t *out;
};

/* Appends the requests that pass the filters (and match code, if any). */
static duban_result o311_query(struct store_conn *c,
			       const struct open311_filter *f,
			       const char *code, json_t *items,
			       struct duban_error *err)
{
	struct store_stmt *st;
	bool row = false;
	char start[11] = "", end[11] = "";
	if (f->start)
		date_format(f->start, start);
	if (f->end)
		date_format(f->end, end);
	duban_result result = store_prepare(
		c,
		"SELECT c.tracking_code, c.status, c.reply, k.name, c.category,"
		" c.content, u.name, c.created_at, c.replied_at, c.due_on,"
		" c.address, c.lat, c.lon FROM complaints c"
		" JOIN complaint_categories k ON k.code = c.category"
		" JOIN units u ON u.id = c.owner_unit_id"
		" WHERE (? = '' OR c.category = ?)"
		" AND (? = '' OR c.received_on >= ?)"
		" AND (? = '' OR c.received_on <= ?)"
		" AND (? = '' OR (? = 'open' AND c.status IN ('received',"
		" 'assigned')) OR (? = 'closed' AND c.status IN ('replied',"
		" 'closed')))"
		" AND (? = '' OR c.tracking_code = ?)"
		" ORDER BY c.id DESC LIMIT 1000",
		&st, err);
	if (result)
		return result;
	const char *svc = f->service_code ? f->service_code : "";
	const char *status = f->status ? f->status : "";
	store_bind_str(st, 1, svc);
	store_bind_str(st, 2, svc);
	store_bind_str(st, 3, start);
	store_bind_str(st, 4, start);
	store_bind_str(st, 5, end);
	store_bind_str(st, 6, end);
	store_bind_str(st, 7, status);
	store_bind_str(st, 8, status);
	store_bind_str(st, 9, status);
	store_bind_str(st, 10, code);
	store_bind_str(st, 11, code);
	while ((result = store_step(st, &row, err)) == DUBAN_OK && row) {
		const char *s = store_col_text(st, 1);
		bool closed = strcmp(s, "replied") == 0 ||
			      strcmp(s, "closed") == 0;
		char req[26], upd[26], exp[26] = "";
		date_format_timestamp((time_t)store_col_int(st, 7), req);
		date_format_timestamp(store_col_null(st, 8)
					      ? (time_t)store_col_int(st, 7)
					      : (time_t)store_col_int(st, 8),
				      upd);
		const char *due = store_col_text(st, 9);
		if (due)
			snprintf(exp, sizeof(exp), "%sT18:00:00+08:00", due);
		json_t *o = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			"service_request_id", store_col_text(st, 0), "status",
			closed ? "closed" : "open", "service_name",
			store_col_text(st, 3), "service_code",
			store_col_text(st, 4), "description",
			store_col_text(st, 5), "agency_responsible",
			store_col_text(st, 6), "requested_datetime", req,
			"updated_datetime", upd, "expected_datetime", exp);
		json_object_set_new(o, "status_notes",
				    store_col_null(st, 2)
					    ? json_null()
					    : json_string(store_col_text(st, 2)));
		json_object_set_new(o, "address",
				    store_col_null(st, 10)
					    ? json_null()
					    : json_string(store_col_text(st, 10)));
		json_object_set_new(o, "lat", store_col_null(st, 11)
						      ? json_null()
						      : json_real(store_col_double(
								st, 11)));
		json_object_set_new(o, "long", store_col_null(st, 12)
						       ? json_null()
						       : json_real(store_col_double(
								 st, 12)));
		json_array_append_new(items, o);
	}
	store_reset(st);
	return result;
}

static duban_result o311_list(struct store_conn *c, void *ctx,
			      struct duban_error *err)
{
	struct o311_ctx *x = ctx;
	const char *codes = x->f->codes ? x->f->codes : "";
	json_t *items = json_array();
	duban_result result = DUBAN_OK;
	if (!*codes) {
		result = o311_query(c, x->f, "", items, err);
	} else {
		/* one indexed look-up per requested code */
		for (const char *p = codes; *p && result == DUBAN_OK;) {
			char one[TRACKING_CODE_LEN + 8];
			size_t n = strcspn(p, ",");
			if (n > 0 && n < sizeof(one)) {
				memcpy(one, p, n);
				one[n] = '\0';
				result = o311_query(c, x->f, one, items, err);
			}
			p += n;
			if (*p == ',')
				p++;
		}
	}
	if (result) {
		json_decref(items);
		return result;
	}
	x->out = items;
	return DUBAN_OK;
}

duban_result open311_requests(struct store *s,
			      const struct open311_filter *f, json_t **out,
			      struct duban_error *err)
{
	struct o311_ctx x = { f, NULL };
	duban_result result = store_read(s, o311_list, &x, err);
	*out = x.out;
	return result;
}
