/*
 * statutory.h - the statutory holidays of 《全国年节及纪念日放假办法》, for a
 * year whose State Council notice is not loaded (a provisional schedule).
 *
 * The version in force in the year decides the days off for all citizens:
 *
 *   from 2025 (2024 revision): 元旦 1 day; 春节 4 days, 除夕 and 初一 to
 *     初三; 清明节 1 day, on the solar term; 劳动节 May 1-2; 端午节 1 day;
 *     中秋节 1 day; 国庆节 October 1-3;
 *   2014-2024 (2013 revision): as above, but 春节 初一 to 初三 and 劳动节
 *     May 1;
 *   2008-2013 (2007 revision): 春节 除夕 to 初二, 劳动节 May 1, the rest
 *     as in 2013;
 *   2000-2007 (1999 revision): 元旦; 春节 初一 to 初三; 劳动节 May 1-3;
 *     国庆节 October 1-3.
 *
 * Saturdays and Sundays stay off, and nothing else is guessed: neither the
 * adjusted working days (调休) of a notice nor the make-up day (补假) the law
 * gives for a holiday that falls on a weekend, since only the notice says
 * where they fall.
 */
#ifndef DUBAN_CORE_STATUTORY_H
#define DUBAN_CORE_STATUTORY_H

#include <stddef.h>

/** The years a provisional schedule can be computed for. */
#define STATUTORY_YEAR_MIN 2000
#define STATUTORY_YEAR_MAX 2200

/**
 * The provisional schedule of year in the text format of docs/calendar.md
 * (no notice lines), NUL-terminated, its length in *len_out when not NULL;
 * the caller frees it.  NULL outside STATUTORY_YEAR_MIN..MAX.
 */
char *statutory_schedule(int year, size_t *len_out);

#endif
