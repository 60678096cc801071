/*
 * lunar.c - the Chinese calendar from the Sun and the Moon; see lunar.h.
 *
 * Times are Julian days: "jde" in dynamical time (TT), as the theories give
 * them, and "jd" in universal time, which decides the civil day.  Angles are
 * degrees.
 */
#include "core/lunar.h"

#include <math.h>
#include <stdbool.h>

#include "base/date.h"

#define PI 3.14159265358979323846
#define J2000 2451545.0
#define TROPICAL_YEAR 365.242189
#define SYNODIC_MONTH 29.530588861
/* the Julian day at 1970-01-01 00:00 UT, day 0 of base/date.h */
#define JD_EPOCH 2440587.5

static double sind(double d)
{
	return sin(d * PI / 180.0);
}

static double cosd(double d)
{
	return cos(d * PI / 180.0);
}

/* Reduces an angle to [0, 360). */
static double norm360(double d)
{
	d = fmod(d, 360.0);
	return d < 0 ? d + 360.0 : d;
}

/*
 * TT - UT in seconds, by the polynomials of Espenak and Meeus (NASA's
 * "Polynomial expressions for Delta T"); a few seconds off today, more in
 * the far future, where nobody can do better.
 */
static double delta_t(double year)
{
	double t, u;

	if (year < 1900) {
		t = year - 1860;
		return 7.62 + 0.5737 * t - 0.251754 * t * t +
		       0.01680668 * t * t * t - 0.0004473624 * pow(t, 4) +
		       pow(t, 5) / 233174;
	}
	if (year < 1920) {
		t = year - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t +
		       0.0061966 * t * t * t - 0.000197 * pow(t, 4);
	}
	if (year < 1941) {
		t = year - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t +
		       0.0020936 * t * t * t;
	}
	if (year < 1961) {
		t = year - 1950;
		return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
	}
	if (year < 1986) {
		t = year - 1975;
		return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
	}
	if (year < 2005) {
		t = year - 2000;
		return 63.86 + 0.3345 * t - 0.060374 * t * t +
		       0.0017275 * t * t * t + 0.000651814 * pow(t, 4) +
		       0.00002373599 * pow(t, 5);
	}
	if (year < 2050) {
		t = year - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	u = (year - 1820) / 100;
	if (year < 2150)
		return -20 + 32 * u * u - 0.5628 * (2150 - year);
	return -20 + 32 * u * u;
}

static double ut_of(double jde)
{
	double year = 2000.0 + (jde - J2000) / 365.25;
	return jde - delta_t(year) / 86400.0;
}

/* The CST civil day of a universal-time Julian day. */
static int32_t cst_day(double jd)
{
	return (int32_t)floor(jd - JD_EPOCH + DATE_CST_OFFSET / 86400.0);
}

/* ---- the Sun ------------------------------------------------------------ */

/*
 * The Sun's apparent geocentric longitude, referred to the true equinox of
 * date: Meeus chapter 25 (equation of centre, nutation and aberration),
 * with the largest perturbations by Venus, Jupiter and the Moon (Meeus,
 * "Astronomical Formulae for Calculators"), good to about 0.001 degrees.
 */
static double sun_longitude(double jde)
{
	const double t = (jde - J2000) / 36525.0;
	const double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
	const double m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
	const double c = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sind(m) +
			 (0.019993 - 0.000101 * t) * sind(2 * m) +
			 0.000289 * sind(3 * m);
	const double omega = 125.04 - 1934.136 * t;
	const double perturbation =
		0.00134 * cosd(153.23 + 22518.7541 * t) +
		0.00154 * cosd(216.57 + 45037.5082 * t) +
		0.00200 * cosd(312.69 + 32964.3577 * t) +
		0.00179 * sind(350.74 + 445267.1142 * t - 0.00144 * t * t) +
		0.00178 * sind(231.19 + 20.20 * t);

	return norm360(l0 + c + perturbation - 0.00569 - 0.00478 * sind(omega));
}

/* The moment (jde) near guess at which the Sun's longitude is degrees. */
static double sun_reaches(double degrees, double guess)
{
	double jde = guess;

	for (int i = 0; i < 20; i++) {
		double diff = norm360(degrees - sun_longitude(jde) + 180) - 180;
		jde += diff * TROPICAL_YEAR / 360.0;
		if (fabs(diff) < 1e-7)
			break;
	}
	return jde;
}

int32_t lunar_solar_term(int year, int degrees)
{
	/* on January 1 the Sun stands near 280 degrees */
	double jan1 = JD_EPOCH + date_from_ymd(year, 1, 1);
	double guess = jan1 + norm360(degrees - 280.0) * TROPICAL_YEAR / 360.0;

	return cst_day(ut_of(sun_reaches(degrees, guess)));
}

/* ---- the Moon ----------------------------------------------------------- */

/*
 * The true new moon of lunation k (k = 0 near 2000-01-06), Meeus chapter
 * 49: the mean phase with the periodic terms of the Sun's and the Moon's
 * anomalies and the planetary arguments.
 */
static double new_moon(double k)
{
	const double t = k / 1236.85, t2 = t * t, t3 = t2 * t, t4 = t3 * t;
	const double e = 1 - 0.002516 * t - 0.0000074 * t2;
	const double m = 2.5534 + 29.10535670 * k - 0.0000014 * t2 -
			 0.00000011 * t3;
	const double mp = 201.5643 + 385.81693528 * k + 0.0107582 * t2 +
			  0.00001238 * t3 - 0.000000058 * t4;
	const double f = 160.7108 + 390.67050284 * k - 0.0016118 * t2 -
			 0.00000227 * t3 + 0.000000011 * t4;
	const double om = 124.7746 - 1.56375588 * k + 0.0020672 * t2 +
			  0.00000215 * t3;
	double jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * t2 -
		     0.000000150 * t3 + 0.00000000073 * t4;

	jde += -0.40720 * sind(mp) + 0.17241 * e * sind(m) +
	       0.01608 * sind(2 * mp) + 0.01039 * sind(2 * f) +
	       0.00739 * e * sind(mp - m) - 0.00514 * e * sind(mp + m) +
	       0.00208 * e * e * sind(2 * m) - 0.00111 * sind(mp - 2 * f) -
	       0.00057 * sind(mp + 2 * f) + 0.00056 * e * sind(2 * mp + m) -
	       0.00042 * sind(3 * mp) + 0.00042 * e * sind(m + 2 * f) +
	       0.00038 * e * sind(m - 2 * f) - 0.00024 * e * sind(2 * mp - m) -
	       0.00017 * sind(om) - 0.00007 * sind(mp + 2 * m) +
	       0.00004 * sind(2 * mp - 2 * f) + 0.00004 * sind(3 * m) +
	       0.00003 * sind(mp + m - 2 * f) + 0.00003 * sind(2 * mp + 2 * f) -
	       0.00003 * sind(mp + m + 2 * f) + 0.00003 * sind(mp - m + 2 * f) -
	       0.00002 * sind(mp - m - 2 * f) - 0.00002 * sind(3 * mp + m) +
	       0.00002 * sind(4 * mp);

	static const double planet[14][3] = {
		{ 299.77, 0.107408, 0.000325 }, { 251.88, 0.016321, 0.000165 },
		{ 251.83, 26.651886, 0.000164 }, { 349.42, 36.412478, 0.000126 },
		{ 84.66, 18.206239, 0.000110 },  { 141.74, 53.303771, 0.000062 },
		{ 207.14, 2.453732, 0.000060 },  { 154.84, 7.306860, 0.000056 },
		{ 34.52, 27.261239, 0.000047 },  { 207.19, 0.121824, 0.000042 },
		{ 291.34, 1.844379, 0.000040 },  { 161.72, 24.198154, 0.000037 },
		{ 239.56, 25.513099, 0.000035 }, { 331.55, 3.592518, 0.000023 },
	};
	for (int i = 0; i < 14; i++) {
		double a = planet[i][0] + planet[i][1] * k;
		if (i == 0)
			a -= 0.009173 * t2;
		jde += planet[i][2] * sind(a);
	}
	return jde;
}

static int32_t new_moon_day(long k)
{
	return cst_day(ut_of(new_moon((double)k)));
}

/* The lunation whose new moon is the last one on or before day. */
static long lunation_on_or_before(int32_t day)
{
	double jd = JD_EPOCH + day;
	long k = (long)floor((jd - 2451550.09766) / SYNODIC_MONTH);

	while (new_moon_day(k + 1) <= day)
		k++;
	while (new_moon_day(k) > day)
		k--;
	return k;
}

/* ---- the months of one year --------------------------------------------- */

/*
 * The months from the 11th month that holds the winter solstice of
 * year - 1 to the one that holds that of year: start[i] is the first day of
 * month i (start[0] the 11th month), n the number of months (12 or 13), and
 * leap the index of the leap month, or 0.
 */
struct window {
	int32_t start[15];
	int n;
	int leap;
};

static void window_of(int year, struct window *w)
{
	const int32_t ws0 = lunar_solar_term(year - 1, 270);
	const int32_t ws1 = lunar_solar_term(year, 270);
	const long k0 = lunation_on_or_before(ws0);
	int32_t principal[13];

	for (int i = 0; i < 15; i++)
		w->start[i] = new_moon_day(k0 + i);
	w->n = 12;
	while (w->n < 14 && w->start[w->n + 1] <= ws1)
		w->n++;
	w->leap = 0;
	if (w->n < 13)
		return;

	/* the principal terms from the solstice to the next: 270, 300, ... */
	principal[0] = ws0;
	for (int j = 1; j < 12; j++)
		principal[j] = lunar_solar_term(year, (270 + 30 * j) % 360);
	principal[12] = ws1;
	for (int i = 1; i < w->n; i++) {
		bool holds = false;
		for (int j = 0; j < 13 && !holds; j++)
			holds = principal[j] >= w->start[i] &&
				principal[j] < w->start[i + 1];
		if (!holds) {
			w->leap = i;
			return;
		}
	}
}

/* The number (1 to 12) of month i of a window. */
static int month_number(const struct window *w, int i)
{
	int shift = w->leap && i >= w->leap ? 1 : 0;
	return (11 + i - shift - 1) % 12 + 1;
}

int32_t lunar_day(int year, int month, int day)
{
	struct window w;
	int i;

	/* the 11th and 12th months of the year begin the next window */
	if (month >= 11) {
		window_of(year + 1, &w);
		i = month == 11 ? 0 : 1;
		if (w.leap && w.leap <= i)
			i++;
		return w.start[i] + day - 1;
	}
	window_of(year, &w);
	for (i = 1; i < 14; i++)
		if (i != w.leap && month_number(&w, i) == month)
			break;
	return w.start[i] + day - 1;
}

int32_t lunar_new_year(int year)
{
	return lunar_day(year, 1, 1);
}
