/*
 * fuzz_calendar.c - the import of a working-day year (docs/calendar.md):
 * calendar_load_ics() when BEGIN:VCALENDAR is among the first 512 bytes,
 * as workcal_import() tells them apart, calendar_load_text() otherwise.
 *
 * Invariants: a failed load leaves the calendar empty; a loaded year
 * written back with calendar_year_text() (what the database keeps) loads
 * again to the same notices, ranges and working days.
 */
#include <string.h>

#include "base/date.h"
#include "core/calendar.h"
#include "fuzz.h"

static void same_year(const struct calendar_year *a,
		      const struct calendar_year *b)
{
	FUZZ_ASSERT(a->year == b->year);
	FUZZ_ASSERT(a->nnotices == b->nnotices && a->nranges == b->nranges);
	for (size_t i = 0; i < a->nnotices; i++) {
		FUZZ_ASSERT(strcmp(a->notices[i].number,
				   b->notices[i].number) == 0);
		FUZZ_ASSERT(a->notices[i].date == b->notices[i].date);
		FUZZ_ASSERT(strcmp(a->notices[i].title, b->notices[i].title) ==
			    0);
	}
	for (size_t i = 0; i < a->nranges; i++) {
		const struct calendar_range *x = &a->ranges[i],
					    *y = &b->ranges[i];
		FUZZ_ASSERT(x->first == y->first && x->last == y->last);
		FUZZ_ASSERT(x->first <= x->last);
		FUZZ_ASSERT(x->kind == y->kind);
		FUZZ_ASSERT(strcmp(x->name, y->name) == 0);
		FUZZ_ASSERT(utf8_valid(x->name, strlen(x->name)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct calendar *cal = calendar_new(), *again = calendar_new();
	struct duban_error err = { 0 };
	int year = 0, year2 = 0;
	char *text = NULL;
	size_t len = 0;
	bool ics = size >= 15 && memmem(in, size < 512 ? size : 512,
					"BEGIN:VCALENDAR", 15) != NULL;
	duban_result result = ics ? calendar_load_ics(cal, in, size, &year, &err)
				  : calendar_load_text(cal, in, size, &year,
						       &err);
	fuzz_check_error(result, &err);
	if (result) {
		FUZZ_ASSERT(calendar_year_count(cal) == 0);
		goto out;
	}
	FUZZ_ASSERT(calendar_year_count(cal) == 1 &&
		    calendar_has_year(cal, year));
	text = calendar_year_text(cal, year, &len);
	FUZZ_ASSERT(text && strlen(text) == len);
	result = calendar_load_text(again, text, len, &year2, &err);
	if (result)
		fprintf(stderr, "%s\nreloading: %s\n", text, err.message);
	FUZZ_ASSERT(result == DUBAN_OK && year2 == year);
	same_year(calendar_year_at(cal, 0), calendar_year_at(again, 0));
	/* the same working days, over the year and its neighbours' edges */
	for (int32_t d = date_from_ymd(year, 1, 1);
	     d <= date_from_ymd(year, 12, 31); d++) {
		bool w1, w2;
		FUZZ_ASSERT(calendar_is_workday(cal, d, &w1, NULL) == DUBAN_OK);
		FUZZ_ASSERT(calendar_is_workday(again, d, &w2, NULL) ==
			    DUBAN_OK);
		FUZZ_ASSERT(w1 == w2);
	}
out:
	free(text);
	calendar_free(cal);
	calendar_free(again);
	return 0;
}
