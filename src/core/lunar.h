/*
 * lunar.h - the Chinese calendar (农历) and the solar terms (节气), computed
 * from the positions of the Sun and the Moon, for the statutory holidays
 * that follow them (春节, 清明, 端午, 中秋).
 *
 * Astronomy: the true new moons of Meeus, "Astronomical Algorithms" (2nd
 * ed.), chapter 49, with its periodic and planetary terms (about a minute);
 * the Sun's apparent longitude of chapter 25 with the main planetary
 * perturbations (about a minute); dynamical time to universal time by the
 * polynomials of Espenak and Meeus.  Dates are civil days in China
 * Standard Time (UTC+8), as the calendar is defined (GB/T 33661-2017).
 *
 * Rules (GB/T 33661-2017): a month begins on the day of a new moon; the
 * month that holds the winter solstice is the 11th; when 13 new moons begin
 * between one 11th month and the next, the first of those months that holds
 * no principal term (中气, a solar longitude that is a multiple of 30°) is
 * a leap month and repeats the number of the month before it.
 *
 * The answers are exact whenever no new moon or solar term falls within a
 * few minutes of midnight; tests/unit/test_lunar.c checks them against
 * dates written out from the published calendar, and tests/api against an
 * independent ephemeris.  Valid for the years 1900 to 2200.  Pure
 * functions: no state, no allocation, safe from any thread.
 */
#ifndef DUBAN_CORE_LUNAR_H
#define DUBAN_CORE_LUNAR_H

#include <stdint.h>

/** The years the computations are meant for. */
#define LUNAR_YEAR_MIN 1900
#define LUNAR_YEAR_MAX 2200

/**
 * The CST day on which the Sun's apparent longitude reaches degrees (a
 * multiple of 15, 0 to 345) in the Gregorian year: 15 is 清明 (early April),
 * 270 the winter solstice (冬至, late December).
 */
int32_t lunar_solar_term(int year, int degrees);

/**
 * The CST day of month/day of the Chinese year that begins in the
 * Gregorian year (month 1 day 1 is 春节), in the ordinary (not leap) month
 * of that number; day 1 to 30.  lunar_day(2026, 1, 1) is 2026-02-17,
 * lunar_day(2026, 8, 15) is 2026-09-25 (中秋).  A day 30 of a month of 29
 * days is the first of the next month.
 */
int32_t lunar_day(int year, int month, int day);

/** The CST day of 春节, month 1 day 1, in the Gregorian year. */
int32_t lunar_new_year(int year);

#endif
