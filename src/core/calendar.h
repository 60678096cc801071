/*
 * calendar.h - the statutory working-day calendar (工作日).
 *
 * Working days follow the State Council's yearly notice: Monday to Friday
 * work, Saturday and Sunday off, except that the notice's holidays (放假) are
 * off and its adjusted working days (调休上班, always a Saturday or Sunday)
 * are on.  A calendar holds any number of years, each loaded from the text
 * format or from an iCalendar file (docs/calendar.md).  A year without its
 * notice may be filled with a provisional schedule computed from the law
 * (core/statutory.h): its statutory holidays and weekends, no 调休; every
 * answer can tell whether it rests on such a day.  A day in a year that is
 * neither loaded nor provisional is an error.
 *
 * Loading rebuilds a per-day bitmap and prefix count over the loaded years,
 * so that calendar_is_workday() and calendar_workdays_between() are O(1) and
 * calendar_add() is O(log days).  Those three never modify the calendar: one
 * calendar may be read by any number of threads at once as long as nobody
 * loads into it.  A server loads into a calendar_clone() and swaps it in.
 *
 * Memory: allocation failure aborts (base/xalloc.h).
 */
#ifndef DUBAN_CORE_CALENDAR_H
#define DUBAN_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"

/** The years a calendar accepts. */
#define CALENDAR_YEAR_MIN 1900
#define CALENDAR_YEAR_MAX 2200

/** The largest text or .ics input accepted, in bytes. */
#define CALENDAR_INPUT_MAX (1024 * 1024)

/** The longest range one line or event may cover, in days. */
#define CALENDAR_RANGE_MAX_DAYS 31

struct calendar;

/** A notice that a year's schedule comes from (text format only). */
struct calendar_notice {
	char number[64];  /* e.g. "国办发明电〔2025〕7号", no blanks */
	int32_t date;     /* the day it was issued */
	char title[192];  /* e.g. "国务院办公厅关于2026年部分节假日安排的通知", or "" */
};

enum calendar_kind {
	CALENDAR_OFF,  /* 放假: a holiday, off even on a weekday */
	CALENDAR_WORK, /* 调休上班: an adjusted working day on a weekend */
};

/** One line of a schedule: an inclusive range of days of one kind. */
struct calendar_range {
	int32_t first, last;    /* inclusive, first <= last */
	enum calendar_kind kind;
	char name[96];          /* e.g. "春节", "春节调休上班"; UTF-8 */
};

/**
 * One loaded year as it was read, in file order.  Ranges may reach into
 * December of the year before or January of the year after (元旦 of 2023
 * starts on 2022-12-31); such days apply to that year, and when two loaded
 * years name the same day the later year's notice wins.
 */
struct calendar_year {
	int year;
	bool provisional;  /* computed from the law, not from a notice */
	size_t nnotices;
	struct calendar_notice *notices;
	size_t nranges;
	struct calendar_range *ranges;
};

/** An empty calendar; free it with calendar_free().  Never NULL. */
struct calendar *calendar_new(void);

/** Frees cal and everything it holds; NULL is a no-op. */
void calendar_free(struct calendar *cal);

/**
 * A deep copy of cal, sharing nothing with it; free it with
 * calendar_free().  Never NULL.
 */
struct calendar *calendar_clone(const struct calendar *cal);

/**
 * Copies every year of src into dst, replacing the years dst already has.
 * Cannot fail; src is not changed.
 */
void calendar_merge(struct calendar *dst, const struct calendar *src);

/**
 * Parses one year in the text format (docs/calendar.md) from text (len
 * bytes, no terminator needed) and loads it, replacing that year if it was
 * loaded.  On success *year_out (when not NULL) is the year.  On any error
 * the calendar is unchanged and err names the line, e.g.
 * "line 4: bad date '2026-02-30'"; the result is DUBAN_E_INVALID, or
 * DUBAN_E_TOO_LARGE above CALENDAR_INPUT_MAX bytes.
 */
duban_result calendar_load_text(struct calendar *cal, const char *text,
				size_t len, int *year_out,
				struct duban_error *err);

/**
 * Parses an iCalendar file (RFC 5545) as published for Chinese holidays and
 * loads the one year it describes, replacing that year if it was loaded.
 * Every VEVENT must be an all-day event (DTSTART;VALUE=DATE, with DTEND
 * exclusive, a DURATION of days or weeks, or neither for one day) with a
 * SUMMARY.  An event is an adjusted working day when an X-DUBAN-KIND
 * property says "work", or when there is none and its SUMMARY contains 班
 * (上班, 补班, 调休上班); otherwise it is a holiday.  CANCELLED events are
 * skipped; recurring events are refused.  The year is that of the latest
 * event; events may reach back into its December of the year before (see
 * struct calendar_year) and no further, so a multi-year file must be split.
 * Folded lines and CRLF or LF line ends are accepted.  Errors and results
 * as for calendar_load_text().
 */
duban_result calendar_load_ics(struct calendar *cal, const char *text,
			       size_t len, int *year_out,
			       struct duban_error *err);

/**
 * Gives every year from first to last (clamped to the years of
 * core/statutory.h) that has no schedule loaded the provisional schedule of
 * the law.  Loading a year's notice later replaces its provisional
 * schedule; a provisional year never replaces a loaded one (also not
 * through calendar_merge()).
 */
void calendar_fill_provisional(struct calendar *cal, int first, int last);

/** True when year's schedule is provisional. */
bool calendar_year_provisional(const struct calendar *cal, int year);

/**
 * True when day follows a provisional schedule: its year is provisional and
 * no loaded notice names the day.  False outside the calendar.
 */
bool calendar_is_provisional(const struct calendar *cal, int32_t day);

/**
 * True when a day from min(from, to) to max(from, to), both included,
 * follows a provisional schedule: a count or a deadline across the span
 * rests on the law's guess.  O(1).
 */
bool calendar_span_provisional(const struct calendar *cal, int32_t from,
			       int32_t to);

/** True when year has a schedule loaded (provisional or not). */
bool calendar_has_year(const struct calendar *cal, int year);

/** The number of loaded years. */
size_t calendar_year_count(const struct calendar *cal);

/**
 * The i-th loaded year in ascending order (i < calendar_year_count()).  The
 * pointer belongs to cal and stays valid until cal is loaded into, merged
 * into or freed.
 */
const struct calendar_year *calendar_year_at(const struct calendar *cal,
					     size_t i);

/**
 * A loaded year written back in the text format, for storing a year that was
 * imported from .ics; loading the text gives the same schedule.  Returns a
 * NUL-terminated string that the caller frees, its length in *len_out (when
 * not NULL), or NULL when year is not loaded.
 */
char *calendar_year_text(const struct calendar *cal, int year,
			 size_t *len_out);

/**
 * Sets *out to whether day is a working day.  DUBAN_E_INVALID when its year
 * is not loaded ("no working-day schedule loaded for year 2031").
 */
duban_result calendar_is_workday(const struct calendar *cal, int32_t day,
				 bool *out, struct duban_error *err);

/**
 * Sets *out to the n-th working day after day, day itself not counted:
 * 2026-02-13 (Friday) + 1 is 2026-02-14, an adjusted working Saturday, and
 * 2026-02-14 + 1 is 2026-02-24.  day need not be a working day.
 * DUBAN_E_INVALID when n < 1, when day's year is not loaded, or when the
 * answer would fall in or beyond a year that is not loaded.
 */
duban_result calendar_add(const struct calendar *cal, int32_t day, int n,
			  int32_t *out, struct duban_error *err);

/**
 * Sets *out to the number of working days d with from < d <= to, or, when
 * to < from, to minus the number with to < d <= from; so the result is
 * antisymmetric, between(a, b) + between(b, c) == between(a, c), and
 * calendar_add(from, k) is the first day whose between(from, .) is k.
 * DUBAN_E_INVALID when the year of from, of to, or of any day between them
 * is not loaded.
 */
duban_result calendar_workdays_between(const struct calendar *cal,
				       int32_t from, int32_t to, int64_t *out,
				       struct duban_error *err);

#endif
