/*
 * cmd_demo.c - `duban demo --db PATH`: loads the demonstration data of
 * data/demo/demo.json (built from the seed documents) through the same
 * business operations the API uses, so every row is validated and audited.
 *
 * The file refers to units, tasks and indicators by code and position; the
 * loader maps them to ids.  Its dates are written in 2021, the year of the
 * seed documents, as things stood in November; they move on by whole months
 * to this month (shift_dates), so that the demo's lights, deadlines and
 * reports are live whatever the day.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/campaigns.h"
#include "app/problems.h"
#include "app/tasks.h"
#include "app/units.h"
#include "app/users.h"
#include "app/workcal.h"
#include "base/date.h"
#include "base/embed.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "store/store.h"

DUBAN_EMBED_DECLARE(duban_demo_data);

struct demo {
	struct store *s;
	struct actor sys;
	json_t *ids; /* code -> id, for units and tasks */
	struct duban_error err;
	int units, users, campaigns, tasks, reports, problems;
};

static int64_t id_of(struct demo *d, const char *kind, const char *code)
{
	char key[128];
	snprintf(key, sizeof(key), "%s:%s", kind, code ? code : "");
	return json_integer_value(json_object_get(d->ids, key));
}

static void remember(struct demo *d, const char *kind, const char *code,
		     json_t *obj)
{
	char key[128];
	snprintf(key, sizeof(key), "%s:%s", kind, code);
	json_object_set(d->ids, key, json_object_get(obj, "id"));
}

/* Replaces a code field (e.g. "parent") by its id field ("parent_id"). */
static void resolve(struct demo *d, json_t *o, const char *field,
		    const char *kind, const char *id_field)
{
	const char *code = json_string_value(json_object_get(o, field));
	if (code)
		json_object_set_new(o, id_field,
				    json_integer(id_of(d, kind, code)));
	json_object_del(o, field);
}

static duban_result load_units(struct demo *d, json_t *units)
{
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u)
	{
		json_t *in = json_deep_copy(u), *out = NULL;
		resolve(d, in, "parent", "unit", "parent_id");
		duban_result result =
			unit_create(d->s, &d->sys, in, &out, &d->err);
		json_decref(in);
		if (result)
			return result;
		remember(d, "unit", json_string_value(json_object_get(u, "code")),
			 out);
		json_decref(out);
		d->units++;
	}
	return DUBAN_OK;
}

static duban_result load_users(struct demo *d, json_t *users,
			       const char *password)
{
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u)
	{
		json_t *in = json_deep_copy(u), *out = NULL;
		resolve(d, in, "unit", "unit", "unit_id");
		json_object_set_new(in, "password", json_string(password));
		duban_result result =
			user_create(d->s, &d->sys, in, &out, &d->err);
		json_decref(in);
		json_decref(out);
		if (result)
			return result;
		d->users++;
	}
	return DUBAN_OK;
}

static duban_result load_task(struct demo *d, int64_t campaign, json_t *t,
			      int64_t parent)
{
	json_t *in = json_deep_copy(t), *out = NULL, *co = json_array();
	size_t i;
	json_t *v;
	duban_result result;
	json_object_set_new(in, "campaign_id", json_integer(campaign));
	if (parent)
		json_object_set_new(in, "parent_id", json_integer(parent));
	resolve(d, in, "lead", "unit", "lead_unit_id");
	json_array_foreach(json_object_get(t, "co"), i, v)
		json_array_append_new(
			co, json_integer(id_of(d, "unit", json_string_value(v))));
	json_object_set_new(in, "co_unit_ids", co);
	json_object_del(in, "co");
	result = task_create(d->s, &d->sys, in, &out, &d->err);
	json_decref(in);
	if (result)
		return result;
	d->tasks++;
	int64_t id = json_integer_value(json_object_get(out, "id"));
	json_t *inds = json_object_get(out, "indicators");
	json_t *mss = json_object_get(out, "milestones");
	/* monthly reports: "values" are in the order of the indicators */
	json_array_foreach(json_object_get(t, "reports"), i, v)
	{
		/* a demo loaded early in the year has no future months */
		char first[11];
		int32_t day;
		snprintf(first, sizeof(first), "%s-01",
			 json_string_value(json_object_get(v, "period")));
		if (date_parse(first, 10, &day) && day > date_today())
			continue;
		json_t *rin = json_pack("{s:O, s:O}", "period",
					json_object_get(v, "period"),
					"summary",
					json_object_get(v, "summary"));
		json_t *vals = json_array(), *rout = NULL, *x;
		size_t k;
		json_array_foreach(json_object_get(v, "values"), k, x)
			json_array_append_new(
				vals,
				json_pack("{s:O, s:O}", "indicator_id",
					  json_object_get(json_array_get(inds, k),
							  "id"),
					  "value", x));
		json_object_set_new(rin, "indicator_values", vals);
		if (json_object_get(v, "blockers"))
			json_object_set(rin, "blockers",
					json_object_get(v, "blockers"));
		result = report_submit(d->s, &d->sys, id, rin, &rout, &d->err);
		json_decref(rin);
		if (result == DUBAN_OK && json_is_string(json_object_get(
						  v, "review"))) {
			json_t *rv = json_pack(
				"{s:O, s:s}", "decision",
				json_object_get(v, "review"), "comment",
				"请补充佐证材料");
			json_t *ro = NULL;
			result = report_review(
				d->s, &d->sys,
				json_integer_value(json_object_get(rout, "id")),
				rv, &ro, &d->err);
			json_decref(rv);
			json_decref(ro);
		}
		json_decref(rout);
		if (result)
			goto out;
		d->reports++;
	}
	/* completed milestones: [index, date, evidence] */
	json_array_foreach(json_object_get(t, "done"), i, v)
	{
		json_t *m = json_array_get(
			mss, (size_t)json_integer_value(json_array_get(v, 0)));
		json_t *cin = json_pack("{s:O, s:O}", "completed_on",
					json_array_get(v, 1), "evidence",
					json_array_get(v, 2));
		json_t *cout = NULL;
		const char *on = json_string_value(json_array_get(v, 1));
		int32_t day;
		if (!on || !date_parse(on, strlen(on), &day) ||
		    day > date_today()) {
			json_decref(cin);
			continue;
		}
		result = milestone_complete(
			d->s, &d->sys,
			json_integer_value(json_object_get(m, "id")), cin,
			&cout, &d->err);
		json_decref(cin);
		json_decref(cout);
		if (result)
			goto out;
	}
	json_array_foreach(json_object_get(t, "children"), i, v)
	{
		if ((result = load_task(d, campaign, v, id)))
			goto out;
	}
out:
	json_decref(out);
	return result;
}

/*
 * A problem of the ledger and the moves it made since it was found:
 * "moves" is [[to, evidence], ...]; the moves are made now, by the loader.
 */
static duban_result load_problem(struct demo *d, int64_t campaign, json_t *p)
{
	json_t *in = json_deep_copy(p), *out = NULL, *mv;
	size_t i;
	duban_result result;
	json_object_set_new(in, "campaign_id", json_integer(campaign));
	resolve(d, in, "unit", "unit", "unit_id");
	json_object_del(in, "moves");
	result = problem_create(d->s, &d->sys, in, &out, &d->err);
	json_decref(in);
	json_array_foreach(result ? NULL : json_object_get(p, "moves"), i, mv)
	{
		const char *evidence = json_string_value(json_array_get(mv, 1));
		json_t *tin = json_pack("{s:O, s:O}", "to", json_array_get(mv, 0),
					"version",
					json_object_get(out, "version"));
		json_t *tout = NULL;
		if (evidence && *evidence)
			json_object_set_new(tin, "evidence",
					    json_string(evidence));
		result = problem_transition(
			d->s, &d->sys,
			json_integer_value(json_object_get(out, "id")), tin,
			&tout, &d->err);
		json_decref(tin);
		if (result)
			break;
		json_decref(out);
		out = tout;
	}
	json_decref(out);
	if (result == DUBAN_OK)
		d->problems++;
	return result;
}

static duban_result load_campaigns(struct demo *d, json_t *campaigns)
{
	size_t i;
	json_t *c;
	json_array_foreach(campaigns, i, c)
	{
		json_t *in = json_deep_copy(c), *out = NULL, *v;
		size_t k;
		duban_result result;
		resolve(d, in, "unit", "unit", "unit_id");
		json_object_del(in, "tasks");
		json_object_del(in, "quotas");
		json_object_del(in, "items");
		json_object_del(in, "problems");
		result = campaign_create(d->s, &d->sys, in, &out, &d->err);
		json_decref(in);
		if (result)
			return result;
		d->campaigns++;
		int64_t id = json_integer_value(json_object_get(out, "id"));
		json_decref(out);
		json_array_foreach(json_object_get(c, "quotas"), k, v)
		{
			json_t *q = json_deep_copy(v), *qo = NULL;
			result = campaign_set_quotas(d->s, &d->sys, id, q, &qo,
						     &d->err);
			json_decref(q);
			json_decref(qo);
			if (result)
				return result;
		}
		json_array_foreach(json_object_get(c, "items"), k, v)
		{
			json_t *it = json_deep_copy(v), *io = NULL;
			resolve(d, it, "unit", "unit", "unit_id");
			result = campaign_declare_item(d->s, &d->sys, id, it,
						       &io, &d->err);
			json_decref(it);
			json_decref(io);
			if (result)
				return result;
		}
		json_array_foreach(json_object_get(c, "tasks"), k, v)
		{
			if ((result = load_task(d, id, v, 0)))
				return result;
		}
		json_array_foreach(json_object_get(c, "problems"), k, v)
		{
			if ((result = load_problem(d, id, v)))
				return result;
		}
	}
	return DUBAN_OK;
}

/*
 * The demo is written as it stood on DEMO_AS_OF (its reports run to
 * October, November's is not due yet).  Every "2021-MM" and "2021-MM-DD" in
 * it moves on by the whole months from then to today, so that whatever day
 * it is loaded, its lights, deadlines and reports stand as they did then: a
 * day keeps its place in the month, the last day of a month stays the last
 * (2021-06-30 moves to the 31st where the month has one).  *shift_out is
 * the number of months.
 */
#define DEMO_YEAR 2021
#define DEMO_MONTH 11

static int month_days(int y, int m)
{
	return date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
	       date_from_ymd(y, m, 1);
}

static bool digits_at(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static char *shift_dates(const unsigned char *data, size_t len,
			 int *shift_out)
{
	char *text = xstrndup((const char *)data, len);
	int y, m, dd;
	date_to_ymd(date_today(), &y, &m, &dd);
	const int shift = (y - DEMO_YEAR) * 12 + (m - DEMO_MONTH);
	*shift_out = shift;
	for (char *p = text; (p = strchr(p, '"')) != NULL; p++) {
		/* "YYYY-MM" or "YYYY-MM-DD", quoted */
		bool month = digits_at(p + 1, 4) && p[5] == '-' &&
			     digits_at(p + 6, 2);
		if (!month)
			continue;
		bool day = p[8] == '-' && digits_at(p + 9, 2) && p[11] == '"';
		if (!day && p[8] != '"')
			continue;
		int oy = atoi(p + 1), om = atoi(p + 6), od = day ? atoi(p + 9) : 1;
		if (om < 1 || om > 12)
			continue;
		int k = oy * 12 + (om - 1) + shift;
		int ny = k / 12, nm = k % 12 + 1;
		int nd = od == month_days(oy, om) ? month_days(ny, nm)
			 : od > month_days(ny, nm) ? month_days(ny, nm)
						    : od;
		char buf[12];
		snprintf(buf, sizeof(buf), "%04u-%02u", (unsigned)ny % 10000u,
			 (unsigned)nm % 100u);
		memcpy(p + 1, buf, 7);
		if (day) {
			snprintf(buf, sizeof(buf), "%02u", (unsigned)nd % 100u);
			memcpy(p + 9, buf, 2);
		}
		p += day ? 11 : 8;
	}
	return text;
}

int cmd_demo(struct cli_opts *o)
{
	struct demo d;
	json_error_t jerr;
	json_t *doc = NULL;
	char *text = NULL;
	int shift = 0;
	const char *pw = getenv("DUBAN_DEMO_PASSWORD");
	duban_result result;
	memset(&d, 0, sizeof(d));
	if (!pw)
		pw = "Duban-demo-2026";
	actor_system(&d.sys, "duban demo");
	d.ids = json_object();
	if ((result = cli_open_store(o, &d.s, &d.err)) ||
	    (result = workcal_load(d.s, &d.err)))
		goto out;
	if (duban_demo_data_files_count != 1) {
		result = duban_fail(&d.err, DUBAN_E_INTERNAL, NULL,
				    "the demo data is not built in");
		goto out;
	}
	text = shift_dates(duban_demo_data_files[0].data,
			   duban_demo_data_files[0].len, &shift);
	doc = json_loads(text, 0, &jerr);
	if (!doc) {
		result = duban_fail(&d.err, DUBAN_E_INTERNAL, NULL,
				    "demo data: line %d: %s", jerr.line,
				    jerr.text);
		goto out;
	}
	/* the root unit is there since init */
	json_object_set_new(d.ids, "unit:ROOT", json_integer(1));
	if ((result = load_units(&d, json_object_get(doc, "units"))) ||
	    (result = load_users(&d, json_object_get(doc, "users"), pw)) ||
	    (result = load_campaigns(&d, json_object_get(doc, "campaigns"))))
		goto out;
	printf("demo data loaded (its %04d-%02d is this month, %d months on): "
	       "%d units, %d users, %d campaigns, %d tasks, %d reports, "
	       "%d problems\n",
	       DEMO_YEAR, DEMO_MONTH, shift, d.units, d.users, d.campaigns,
	       d.tasks, d.reports, d.problems);
	printf("demo users (password %s):", pw);
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(doc, "users"), i, u)
		printf(" %s", json_string_value(json_object_get(u, "username")));
	printf("\n");
out:
	if (result)
		fprintf(stderr, "duban: demo: %s%s%s\n", d.err.message,
			d.err.field[0] ? " at " : "", d.err.field);
	json_decref(doc);
	json_decref(d.ids);
	free(text);
	workcal_release();
	store_free(d.s);
	return result ? 1 : 0;
}
