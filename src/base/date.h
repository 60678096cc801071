/*
 * date.h - civil dates as day numbers.
 *
 * A date is an int32_t count of days since 1970-01-01 (negative before), so
 * that date arithmetic is integer arithmetic.  Business dates are dates in
 * China Standard Time (UTC+8); date_today() answers in that zone.
 */
#ifndef DUBAN_BASE_DATE_H
#define DUBAN_BASE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DATE_CST_OFFSET (8 * 3600)

/** Days since 1970-01-01 for a proleptic Gregorian y-m-d (not validated). */
int32_t date_from_ymd(int y, int m, int d);

/** The y-m-d of a day number. */
void date_to_ymd(int32_t day, int *y, int *m, int *d);

/** 0 = Monday ... 6 = Sunday. */
int date_weekday(int32_t day);

/** True when y-m-d names a real calendar day. */
bool date_valid_ymd(int y, int m, int d);

/**
 * Parses exactly "YYYY-MM-DD" (len bytes, no terminator needed) into a day
 * number; false for anything else, including impossible dates like 2021-02-30.
 */
bool date_parse(const char *s, size_t len, int32_t *out);

/** Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void date_format(int32_t day, char buf[11]);

/** Today in China Standard Time. */
int32_t date_today(void);

/** The CST day of a UNIX time. */
int32_t date_of_time(time_t t);

/** Formats a UNIX time as ISO 8601 with the +08:00 offset (26 bytes). */
void date_format_timestamp(time_t t, char buf[26]);

#endif
