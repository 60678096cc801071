/*
 * calendar.c - the statutory working-day calendar; see calendar.h and
 * docs/calendar.md.
 *
 * Every input is parsed into a struct builder first and only then moved into
 * the calendar, so a failed load changes nothing.  After each change the
 * day index (bitmap, prefix counts, loaded runs) is rebuilt from scratch:
 * loads are rare and a rebuild of a few years costs microseconds, while the
 * queries it serves run millions of times.
 */
#include "core/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/xalloc.h"
#include "core/statutory.h"

struct calendar {
	struct calendar_year *years; /* ascending by year */
	size_t nyears, cap;

	/*
	 * The index covers every day from January 1 of the first loaded year
	 * to December 31 of the last; days of years in between that are not
	 * loaded are in it too, marked by run_end == 0.
	 */
	int32_t first_day;
	int32_t ndays;
	uint64_t *work;   /* bit i: day first_day + i is a working day */
	int32_t *pre;     /* pre[i]: working days in [first_day, first_day + i) */
	int32_t *run_end; /* index one past the loaded run holding day i, or 0 */
	uint64_t *prov;   /* bit i: day first_day + i follows a provisional
			     schedule (its year's notice is not loaded) */
	int32_t *ppre;    /* ppre[i]: provisional days in [first_day, +i) */
};

/* Adjacent years may be named from December 1 before to January 31 after. */
#define WINDOW_DAYS (31 + 366 + 31)
#define MAX_NOTICES 16
#define MAX_RANGES 1024
#define QUOTE_MAX 40

struct span {
	const char *p;
	size_t n;
};

static const char *const weekday_names[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday",
};

/* ---- years ------------------------------------------------------------- */

static void year_release(struct calendar_year *y)
{
	free(y->notices);
	free(y->ranges);
	memset(y, 0, sizeof(*y));
}

static void year_copy(struct calendar_year *dst,
		      const struct calendar_year *src)
{
	dst->year = src->year;
	dst->provisional = src->provisional;
	dst->nnotices = src->nnotices;
	dst->nranges = src->nranges;
	dst->notices = xcalloc(src->nnotices, sizeof(*src->notices));
	dst->ranges = xcalloc(src->nranges, sizeof(*src->ranges));
	if (src->nnotices)
		memcpy(dst->notices, src->notices,
		       src->nnotices * sizeof(*src->notices));
	if (src->nranges)
		memcpy(dst->ranges, src->ranges,
		       src->nranges * sizeof(*src->ranges));
}

static bool bit_get(const uint64_t *bits, int32_t i)
{
	return (bits[i >> 6] >> (i & 63)) & 1;
}

static void bit_set(uint64_t *bits, int32_t i, bool on)
{
	if (on)
		bits[i >> 6] |= UINT64_C(1) << (i & 63);
	else
		bits[i >> 6] &= ~(UINT64_C(1) << (i & 63));
}

static void index_release(struct calendar *cal)
{
	free(cal->work);
	free(cal->pre);
	free(cal->run_end);
	free(cal->prov);
	free(cal->ppre);
	cal->work = NULL;
	cal->pre = NULL;
	cal->run_end = NULL;
	cal->prov = NULL;
	cal->ppre = NULL;
	cal->first_day = 0;
	cal->ndays = 0;
}

static void rebuild(struct calendar *cal)
{
	index_release(cal);
	if (!cal->nyears)
		return;

	const int32_t first = date_from_ymd(cal->years[0].year, 1, 1);
	const int32_t end = date_from_ymd(cal->years[cal->nyears - 1].year + 1,
					  1, 1);
	const int32_t n = end - first;
	cal->first_day = first;
	cal->ndays = n;
	cal->work = xcalloc((size_t)(n + 63) / 64, sizeof(uint64_t));
	cal->pre = xcalloc((size_t)n + 1, sizeof(int32_t));
	cal->run_end = xcalloc((size_t)n, sizeof(int32_t));

	cal->prov = xcalloc((size_t)(n + 63) / 64, sizeof(uint64_t));
	cal->ppre = xcalloc((size_t)n + 1, sizeof(int32_t));

	for (int32_t i = 0; i < n; i++)
		bit_set(cal->work, i, date_weekday(first + i) < 5);

	/* Provisional years first, then the notices oldest first, so that a
	 * notice beats the law's guess and a later notice an earlier one on
	 * a day both name (a December day named by next year's 元旦). */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < cal->nyears; k++) {
			const struct calendar_year *y = &cal->years[k];
			if (y->provisional != (pass == 0))
				continue;
			if (y->provisional) {
				int32_t a = date_from_ymd(y->year, 1, 1);
				int32_t b = date_from_ymd(y->year + 1, 1, 1);
				for (int32_t d = a; d < b; d++)
					bit_set(cal->prov, d - first, true);
			}
			for (size_t r = 0; r < y->nranges; r++) {
				const struct calendar_range *rg = &y->ranges[r];
				int32_t a = rg->first > first ? rg->first : first;
				int32_t b = rg->last < end - 1 ? rg->last : end - 1;
				for (int32_t d = a; d <= b; d++) {
					bit_set(cal->work, d - first,
						rg->kind == CALENDAR_WORK);
					if (!y->provisional)
						bit_set(cal->prov, d - first,
							false);
				}
			}
		}
	}

	for (size_t k = 0; k < cal->nyears;) {
		size_t j = k;
		while (j + 1 < cal->nyears &&
		       cal->years[j + 1].year == cal->years[j].year + 1)
			j++;
		int32_t a = date_from_ymd(cal->years[k].year, 1, 1) - first;
		int32_t b = date_from_ymd(cal->years[j].year + 1, 1, 1) - first;
		for (int32_t i = a; i < b; i++)
			cal->run_end[i] = b;
		k = j + 1;
	}

	/* Days of years that are not loaded count nothing and are never
	 * answered; clearing them keeps the bitmap honest. */
	for (int32_t i = 0; i < n; i++) {
		if (!cal->run_end[i]) {
			bit_set(cal->work, i, false);
			bit_set(cal->prov, i, false);
		}
		cal->pre[i + 1] = cal->pre[i] + bit_get(cal->work, i);
		cal->ppre[i + 1] = cal->ppre[i] + bit_get(cal->prov, i);
	}
}

/* Moves *y into cal, replacing a year of the same number. */
static void put_year(struct calendar *cal, struct calendar_year *y)
{
	size_t i = 0;
	while (i < cal->nyears && cal->years[i].year < y->year)
		i++;
	if (i < cal->nyears && cal->years[i].year == y->year) {
		if (y->provisional && !cal->years[i].provisional) {
			year_release(y);
			return;
		}
		year_release(&cal->years[i]);
	} else {
		if (cal->nyears == cal->cap) {
			cal->cap = cal->cap ? cal->cap * 2 : 8;
			cal->years = xrealloc(cal->years,
					      cal->cap * sizeof(*cal->years));
		}
		memmove(&cal->years[i + 1], &cal->years[i],
			(cal->nyears - i) * sizeof(*cal->years));
		cal->nyears++;
	}
	cal->years[i] = *y;
	memset(y, 0, sizeof(*y));
}

struct calendar *calendar_new(void)
{
	return xcalloc(1, sizeof(struct calendar));
}

void calendar_free(struct calendar *cal)
{
	if (!cal)
		return;
	for (size_t i = 0; i < cal->nyears; i++)
		year_release(&cal->years[i]);
	free(cal->years);
	index_release(cal);
	free(cal);
}

void calendar_merge(struct calendar *dst, const struct calendar *src)
{
	for (size_t i = 0; i < src->nyears; i++) {
		struct calendar_year y;
		year_copy(&y, &src->years[i]);
		put_year(dst, &y);
	}
	rebuild(dst);
}

struct calendar *calendar_clone(const struct calendar *cal)
{
	struct calendar *c = calendar_new();
	calendar_merge(c, cal);
	return c;
}

bool calendar_has_year(const struct calendar *cal, int year)
{
	for (size_t i = 0; i < cal->nyears; i++)
		if (cal->years[i].year == year)
			return true;
	return false;
}

size_t calendar_year_count(const struct calendar *cal)
{
	return cal->nyears;
}

const struct calendar_year *calendar_year_at(const struct calendar *cal,
					     size_t i)
{
	return i < cal->nyears ? &cal->years[i] : NULL;
}

bool calendar_year_provisional(const struct calendar *cal, int year)
{
	for (size_t i = 0; i < cal->nyears; i++)
		if (cal->years[i].year == year)
			return cal->years[i].provisional;
	return false;
}

/* ---- queries ----------------------------------------------------------- */

static duban_result no_schedule(struct duban_error *err, int32_t day)
{
	int y, m, d;

	/* date_to_ymd would overflow far outside the civil range. */
	if (day < date_from_ymd(1, 1, 1) || day > date_from_ymd(9999, 12, 31))
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "day %ld is out of range", (long)day);
	date_to_ymd(day, &y, &m, &d);
	return duban_fail(err, DUBAN_E_INVALID, NULL,
			  "no working-day schedule loaded for year %d", y);
}

/* The index of day, which must lie in a loaded year. */
static duban_result locate(const struct calendar *cal, int32_t day,
			   int32_t *idx, struct duban_error *err)
{
	int64_t i = (int64_t)day - cal->first_day;

	if (i < 0 || i >= cal->ndays || !cal->run_end[i])
		return no_schedule(err, day);
	*idx = (int32_t)i;
	return DUBAN_OK;
}

duban_result calendar_is_workday(const struct calendar *cal, int32_t day,
				 bool *out, struct duban_error *err)
{
	int32_t i = 0;
	duban_result result = locate(cal, day, &i, err);

	if (result == DUBAN_OK)
		*out = bit_get(cal->work, i);
	return result;
}

duban_result calendar_add(const struct calendar *cal, int32_t day, int n,
			  int32_t *out, struct duban_error *err)
{
	int32_t i = 0;
	duban_result result;

	if (n < 1)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "working-day count %d is less than 1", n);
	result = locate(cal, day, &i, err);
	if (result)
		return result;

	const int32_t end = cal->run_end[i];
	const int64_t target = (int64_t)cal->pre[i + 1] + n;
	if (target > cal->pre[end])
		return no_schedule(err, cal->first_day + end);

	/* The answer is day j - 1 for the least j in [i + 2, end] with
	 * pre[j] >= target; pre[end] >= target bounds the search. */
	int32_t lo = i + 2, hi = end;
	while (lo < hi) {
		int32_t mid = lo + (hi - lo) / 2;
		if (cal->pre[mid] >= target)
			hi = mid;
		else
			lo = mid + 1;
	}
	*out = cal->first_day + lo - 1;
	return DUBAN_OK;
}

bool calendar_is_provisional(const struct calendar *cal, int32_t day)
{
	int64_t i = (int64_t)day - cal->first_day;

	return i >= 0 && i < cal->ndays && bit_get(cal->prov, (int32_t)i);
}

bool calendar_span_provisional(const struct calendar *cal, int32_t from,
			       int32_t to)
{
	int64_t a = (int64_t)(from < to ? from : to) - cal->first_day;
	int64_t b = (int64_t)(from < to ? to : from) - cal->first_day;

	if (a < 0)
		a = 0;
	if (b >= cal->ndays)
		b = (int64_t)cal->ndays - 1;
	return a <= b && cal->ppre[b + 1] - cal->ppre[a] > 0;
}

duban_result calendar_workdays_between(const struct calendar *cal,
				       int32_t from, int32_t to, int64_t *out,
				       struct duban_error *err)
{
	int32_t a = 0, b = 0;
	duban_result result;

	result = locate(cal, from, &a, err);
	if (result)
		return result;
	result = locate(cal, to, &b, err);
	if (result)
		return result;
	if (cal->run_end[a] != cal->run_end[b])
		/* The earlier day's run ends at a year that is not loaded. */
		return no_schedule(err, cal->first_day +
					cal->run_end[a < b ? a : b]);
	*out = (int64_t)cal->pre[b + 1] - cal->pre[a + 1];
	return DUBAN_OK;
}

/* ---- shared parsing ---------------------------------------------------- */

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp, min;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * Checks that a line is UTF-8 without control characters other than tab,
 * so that whatever is quoted or stored from it is printable.
 */
static duban_result check_line(struct span s, unsigned line,
			       struct duban_error *err)
{
	const unsigned char *p = (const unsigned char *)s.p;

	for (size_t i = 0; i < s.n;) {
		if (p[i] == 0x7f || (p[i] < 0x20 && p[i] != '\t'))
			return duban_fail(err, DUBAN_E_INVALID, NULL,
					  "line %u: control character 0x%02x",
					  line, p[i]);
		size_t k = utf8_seq(p + i, s.n - i);
		if (!k)
			return duban_fail(err, DUBAN_E_INVALID, NULL,
					  "line %u: invalid UTF-8", line);
		i += k;
	}
	return DUBAN_OK;
}

/* How many bytes of s to quote: at most QUOTE_MAX, whole characters. */
static int quote_len(struct span s)
{
	size_t n = s.n;

	if (n > QUOTE_MAX) {
		n = QUOTE_MAX;
		while (n > 0 && ((unsigned char)s.p[n] & 0xc0) == 0x80)
			n--;
	}
	return (int)n;
}

/* Copies s into a fixed buffer, cut at a character boundary if need be. */
static void copy_text(char *dst, size_t size, struct span s)
{
	size_t n = s.n;

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s.p[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s.p, n);
	dst[n] = '\0';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static struct span trim(struct span s)
{
	while (s.n && is_blank(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_blank(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* The next blank-separated token of *s, which loses it. */
static struct span next_token(struct span *s)
{
	struct span t;

	*s = trim(*s);
	t.p = s->p;
	t.n = 0;
	while (t.n < s->n && !is_blank(s->p[t.n]))
		t.n++;
	s->p += t.n;
	s->n -= t.n;
	return t;
}

static bool span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

/* Digits and dashes in the shape of a date, valid or not. */
static bool looks_like_date(struct span s)
{
	if (s.n != 10)
		return false;
	for (size_t i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? s.p[i] != '-' : (s.p[i] < '0' || s.p[i] > '9'))
			return false;
	}
	return true;
}

/* ---- builder ----------------------------------------------------------- */

/* A year being read, with what each day of its window was named as. */
struct builder {
	struct calendar_year y;
	size_t cap_notices, cap_ranges;
	int32_t win_first;                /* December 1 of the year before */
	int32_t win_end;                  /* February 1 of the year after */
	unsigned char seen[WINDOW_DAYS];  /* 0, or 1 + enum calendar_kind */
	unsigned seen_line[WINDOW_DAYS];
	bool has_off;
};

static void builder_start(struct builder *b, int year)
{
	memset(b, 0, sizeof(*b));
	b->y.year = year;
	b->win_first = date_from_ymd(year - 1, 12, 1);
	b->win_end = date_from_ymd(year + 1, 2, 1);
}

static void builder_append(struct builder *b, int32_t first, int32_t last,
			   enum calendar_kind kind, struct span name)
{
	if (b->y.nranges == b->cap_ranges) {
		b->cap_ranges = b->cap_ranges ? b->cap_ranges * 2 : 32;
		b->y.ranges = xrealloc(b->y.ranges,
				       b->cap_ranges * sizeof(*b->y.ranges));
	}
	struct calendar_range *r = &b->y.ranges[b->y.nranges++];
	memset(r, 0, sizeof(*r));
	r->first = first;
	r->last = last;
	r->kind = kind;
	copy_text(r->name, sizeof(r->name), name);
}

/*
 * Adds a range after checking it against the rules of docs/calendar.md.
 * merge_same lets a day be named twice with the same kind (overlapping .ics
 * events); only the days not named before are kept, so that every day is
 * stored once and the year can be written back in the text format, which
 * names each day once to catch typing slips.
 */
static duban_result builder_add(struct builder *b, int32_t first,
				int32_t last, enum calendar_kind kind,
				struct span name, unsigned line,
				bool merge_same, struct duban_error *err)
{
	char d1[11], d2[11];

	date_format(first, d1);
	date_format(last, d2);
	if (last < first)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: range '%s' to '%s' ends before it starts",
				  line, d1, d2);
	if ((int64_t)last - first + 1 > CALENDAR_RANGE_MAX_DAYS)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: range '%s' to '%s' is longer than %d days",
				  line, d1, d2, CALENDAR_RANGE_MAX_DAYS);
	if (first < b->win_first || last >= b->win_end)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: '%s' lies outside %d (one schedule holds one year)",
				  line, first < b->win_first ? d1 : d2,
				  b->y.year);

	for (int32_t d = first; d <= last; d++) {
		int32_t w = d - b->win_first;
		char ds[11];

		date_format(d, ds);
		if (kind == CALENDAR_WORK && date_weekday(d) < 5)
			return duban_fail(err, DUBAN_E_INVALID, NULL,
					  "line %u: adjusted working day '%s' is a %s",
					  line, ds,
					  weekday_names[date_weekday(d)]);
		if (b->seen[w] && (!merge_same || b->seen[w] != 1 + kind))
			return duban_fail(err, DUBAN_E_INVALID, NULL,
					  "line %u: '%s' already listed on line %u",
					  line, ds, b->seen_line[w]);
	}

	/* Append each run of days not named before. */
	const int32_t jan1 = date_from_ymd(b->y.year, 1, 1);
	const int32_t next = date_from_ymd(b->y.year + 1, 1, 1);
	int32_t run = first; /* where the open run began */
	bool open = false;
	for (int32_t d = first; d <= last + 1; d++) {
		bool fresh = d <= last && !b->seen[d - b->win_first];

		if (fresh && !open) {
			run = d;
			open = true;
		}
		if (!fresh && open) {
			if (b->y.nranges == MAX_RANGES)
				return duban_fail(err, DUBAN_E_INVALID, NULL,
						  "line %u: more than %d ranges",
						  line, MAX_RANGES);
			builder_append(b, run, d - 1, kind, name);
			open = false;
		}
		if (fresh) {
			b->seen[d - b->win_first] = (unsigned char)(1 + kind);
			b->seen_line[d - b->win_first] = line;
		}
		if (d <= last && kind == CALENDAR_OFF && d >= jan1 && d < next)
			b->has_off = true;
	}
	return DUBAN_OK;
}

static duban_result builder_finish(struct builder *b,
				   struct duban_error *err)
{
	if (!b->has_off)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "no holidays listed for %d", b->y.year);
	return DUBAN_OK;
}

/* Moves the built year into cal. */
static void builder_commit(struct builder *b, struct calendar *cal,
			   int *year_out)
{
	if (year_out)
		*year_out = b->y.year;
	put_year(cal, &b->y);
	rebuild(cal);
}

/* ---- text format ------------------------------------------------------- */

static duban_result text_date(struct span tok, unsigned line, int32_t *out,
			      struct duban_error *err)
{
	if (!tok.n)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: missing date", line);
	if (!date_parse(tok.p, tok.n, out))
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: bad date '%.*s'", line,
				  quote_len(tok), tok.p);
	return DUBAN_OK;
}

static duban_result text_year(struct builder *b, struct span rest,
			      unsigned line, struct duban_error *err)
{
	struct span tok = next_token(&rest);
	int year = 0;

	if (tok.n != 4)
		goto bad;
	for (size_t i = 0; i < 4; i++) {
		if (tok.p[i] < '0' || tok.p[i] > '9')
			goto bad;
		year = year * 10 + (tok.p[i] - '0');
	}
	if (year < CALENDAR_YEAR_MIN || year > CALENDAR_YEAR_MAX)
		goto bad;
	rest = trim(rest);
	if (rest.n)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: unexpected '%.*s'", line,
				  quote_len(rest), rest.p);
	builder_start(b, year);
	return DUBAN_OK;
bad:
	return duban_fail(err, DUBAN_E_INVALID, NULL,
			  "line %u: bad year '%.*s' (%d to %d)", line,
			  quote_len(tok), tok.p, CALENDAR_YEAR_MIN,
			  CALENDAR_YEAR_MAX);
}

static duban_result text_notice(struct builder *b, struct span rest,
				unsigned line, struct duban_error *err)
{
	struct calendar_notice nt;
	struct span number = next_token(&rest);
	struct span title;
	duban_result result;

	memset(&nt, 0, sizeof(nt));
	if (!number.n)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: missing notice number", line);
	if (number.n >= sizeof(nt.number))
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: notice number '%.*s' too long (at most %zu bytes)",
				  line, quote_len(number), number.p,
				  sizeof(nt.number) - 1);
	result = text_date(next_token(&rest), line, &nt.date, err);
	if (result)
		return result;
	title = trim(rest);
	if (title.n >= sizeof(nt.title))
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: notice title too long (at most %zu bytes)",
				  line, sizeof(nt.title) - 1);
	if (b->y.nnotices == MAX_NOTICES)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: more than %d notices", line,
				  MAX_NOTICES);
	copy_text(nt.number, sizeof(nt.number), number);
	copy_text(nt.title, sizeof(nt.title), title);
	if (b->y.nnotices == b->cap_notices) {
		b->cap_notices = b->cap_notices ? b->cap_notices * 2 : 2;
		b->y.notices = xrealloc(b->y.notices,
					b->cap_notices * sizeof(nt));
	}
	b->y.notices[b->y.nnotices++] = nt;
	return DUBAN_OK;
}

static duban_result text_range(struct builder *b, struct span rest,
				enum calendar_kind kind, unsigned line,
				struct duban_error *err)
{
	int32_t first, last;
	struct span tok, name;
	duban_result result;

	result = text_date(next_token(&rest), line, &first, err);
	if (result)
		return result;
	last = first;
	/* An optional second date ends the range; anything shaped like a
	 * date is taken as one, so that a typo is not read as a name. */
	struct span peek = rest;
	tok = next_token(&peek);
	if (looks_like_date(tok)) {
		result = text_date(tok, line, &last, err);
		if (result)
			return result;
		rest = peek;
	}
	name = trim(rest);
	if (!name.n)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: missing name", line);
	if (name.n >= sizeof(((struct calendar_range *)0)->name))
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: name too long (at most %zu bytes)",
				  line,
				  sizeof(((struct calendar_range *)0)->name) - 1);
	return builder_add(b, first, last, kind, name, line, false, err);
}

static duban_result parse_text(const char *text, size_t len,
			       struct builder *b, struct duban_error *err)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;
	bool have_year = false;
	duban_result result = DUBAN_OK;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct span s = { p, (size_t)((nl ? nl : end) - p) };

		p = nl ? nl + 1 : end;
		line++;
		if (s.n && s.p[s.n - 1] == '\r')
			s.n--;
		result = check_line(s, line, err);
		if (result)
			goto out;
		s = trim(s);
		if (!s.n || s.p[0] == '#')
			continue;

		struct span kw = next_token(&s);
		if (span_eq(kw, "year")) {
			if (have_year) {
				result = duban_fail(err, DUBAN_E_INVALID, NULL,
						    "line %u: second 'year' line",
						    line);
				goto out;
			}
			result = text_year(b, s, line, err);
			have_year = true;
		} else if (!span_eq(kw, "notice") && !span_eq(kw, "off") &&
			   !span_eq(kw, "work")) {
			result = duban_fail(err, DUBAN_E_INVALID, NULL,
					    "line %u: unknown keyword '%.*s'",
					    line, quote_len(kw), kw.p);
		} else if (!have_year) {
			result = duban_fail(err, DUBAN_E_INVALID, NULL,
					    "line %u: '%.*s' before the 'year' line",
					    line, quote_len(kw), kw.p);
		} else if (span_eq(kw, "notice")) {
			result = text_notice(b, s, line, err);
		} else {
			result = text_range(b, s,
					    span_eq(kw, "off") ? CALENDAR_OFF
							       : CALENDAR_WORK,
					    line, err);
		}
		if (result)
			goto out;
	}
	if (!have_year) {
		result = duban_fail(err, DUBAN_E_INVALID, NULL,
				    "missing 'year' line");
		goto out;
	}
	result = builder_finish(b, err);
out:
	return result;
}

duban_result calendar_load_text(struct calendar *cal, const char *text,
				size_t len, int *year_out,
				struct duban_error *err)
{
	struct builder *b = xcalloc(1, sizeof(*b));
	duban_result result;

	if (len > CALENDAR_INPUT_MAX) {
		result = duban_fail(err, DUBAN_E_TOO_LARGE, NULL,
				    "schedule of %zu bytes is larger than %d",
				    len, CALENDAR_INPUT_MAX);
		goto out;
	}
	result = parse_text(text, len, b, err);
	if (result)
		goto out;
	builder_commit(b, cal, year_out);
out:
	year_release(&b->y);
	free(b);
	return result;
}

void calendar_fill_provisional(struct calendar *cal, int first, int last)
{
	struct duban_error err;
	bool added = false;

	if (first < STATUTORY_YEAR_MIN)
		first = STATUTORY_YEAR_MIN;
	if (last > STATUTORY_YEAR_MAX)
		last = STATUTORY_YEAR_MAX;
	for (int year = first; year <= last; year++) {
		if (calendar_has_year(cal, year))
			continue;
		struct builder *b = xcalloc(1, sizeof(*b));
		size_t len = 0;
		char *text = statutory_schedule(year, &len);
		/* the law's schedule is generated, so a refusal is a bug */
		if (parse_text(text, len, b, &err) != DUBAN_OK) {
			fprintf(stderr, "provisional schedule of %d: %s\n",
				year, err.message);
			abort();
		}
		b->y.provisional = true;
		put_year(cal, &b->y);
		added = true;
		year_release(&b->y);
		free(b);
		free(text);
	}
	if (added)
		rebuild(cal);
}

/* ---- iCalendar --------------------------------------------------------- */

struct ics_event {
	int32_t first, last; /* inclusive */
	enum calendar_kind kind;
	char name[96];
	unsigned line;       /* of BEGIN:VEVENT */
};

/* What one VEVENT said so far. */
struct ics_pending {
	unsigned line;
	bool has_start, has_end, has_dur, has_summary, cancelled;
	int32_t start, end; /* end exclusive */
	int32_t dur;
	int kind;           /* -1 from SUMMARY, else enum calendar_kind */
	bool summary_work;
	char name[96];
};

struct ics_reader {
	const char *p, *end;
	unsigned line;
	char *buf; /* one logical line; as large as the input */
};

/*
 * The next logical line: a physical line (LF or CRLF) and the lines after it
 * that begin with a space or tab, each without that first character
 * (RFC 5545 §3.1).  *first_line is where it began.
 */
static bool ics_next(struct ics_reader *r, struct span *out,
		     unsigned *first_line)
{
	size_t n = 0;
	bool cont = false;

	if (r->p >= r->end)
		return false;
	*first_line = r->line + 1;
	do {
		const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
		const char *s = r->p;
		size_t l = (size_t)((nl ? nl : r->end) - s);

		r->p = nl ? nl + 1 : r->end;
		r->line++;
		if (l && s[l - 1] == '\r')
			l--;
		if (cont) {
			s++;
			l--;
		}
		memcpy(r->buf + n, s, l);
		n += l;
		cont = true;
	} while (r->p < r->end && is_blank(*r->p));
	out->p = r->buf;
	out->n = n;
	return true;
}

static bool ascii_ieq(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s.p[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != lit[i])
			return false;
	}
	return true;
}

/* Splits "NAME;PARAM=V;...:VALUE"; false when it is not a content line. */
static bool ics_split(struct span line, struct span *name,
		      struct span *params, struct span *value)
{
	size_t i = 0;
	bool quoted = false;

	while (i < line.n && ((line.p[i] >= 'A' && line.p[i] <= 'Z') ||
			      (line.p[i] >= 'a' && line.p[i] <= 'z') ||
			      (line.p[i] >= '0' && line.p[i] <= '9') ||
			      line.p[i] == '-'))
		i++;
	if (!i || i == line.n || (line.p[i] != ';' && line.p[i] != ':'))
		return false;
	name->p = line.p;
	name->n = i;
	params->p = line.p + i;
	while (i < line.n && (quoted || line.p[i] != ':')) {
		if (line.p[i] == '"')
			quoted = !quoted;
		i++;
	}
	if (i == line.n)
		return false;
	params->n = (size_t)(line.p + i - params->p);
	value->p = line.p + i + 1;
	value->n = line.n - i - 1;
	return true;
}

/* The value of parameter key in ";K=V;K=V", or an empty span. */
static struct span ics_param(struct span params, const char *key)
{
	struct span none = { NULL, 0 };
	size_t i = 0;

	while (i < params.n) {
		size_t start = ++i; /* past ';' */
		bool quoted = false;
		while (i < params.n && (quoted || params.p[i] != ';')) {
			if (params.p[i] == '"')
				quoted = !quoted;
			i++;
		}
		struct span kv = { params.p + start, i - start };
		const char *eq = memchr(kv.p, '=', kv.n);
		if (!eq)
			continue;
		struct span k = { kv.p, (size_t)(eq - kv.p) };
		if (ascii_ieq(k, key)) {
			struct span v = { eq + 1, (size_t)(kv.p + kv.n - eq - 1) };
			return v;
		}
	}
	return none;
}

/* A DATE value, "YYYYMMDD"; date-times are refused by name. */
static duban_result ics_date(struct span name, struct span params,
			     struct span value, unsigned line, int32_t *out,
			     struct duban_error *err)
{
	struct span type = ics_param(params, "VALUE");
	int v[3] = { 0, 0, 0 };
	static const int width[3] = { 4, 2, 2 };
	size_t at = 0;

	if (type.n && !ascii_ieq(type, "DATE"))
		goto not_date;
	if (value.n != 8)
		goto not_date;
	for (int f = 0; f < 3; f++) {
		for (int k = 0; k < width[f]; k++, at++) {
			if (value.p[at] < '0' || value.p[at] > '9')
				goto not_date;
			v[f] = v[f] * 10 + (value.p[at] - '0');
		}
	}
	if (!date_valid_ymd(v[0], v[1], v[2]) || v[0] < CALENDAR_YEAR_MIN - 1 ||
	    v[0] > CALENDAR_YEAR_MAX + 1)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: bad date '%.*s'", line,
				  quote_len(value), value.p);
	*out = date_from_ymd(v[0], v[1], v[2]);
	return DUBAN_OK;
not_date:
	return duban_fail(err, DUBAN_E_INVALID, NULL,
			  "line %u: %.*s '%.*s' is not a date (only all-day events are supported)",
			  line, quote_len(name), name.p, quote_len(value),
			  value.p);
}

/* "P<n>D" or "P<n>W", at most a year. */
static duban_result ics_duration(struct span value, unsigned line,
				 int32_t *days, struct duban_error *err)
{
	int32_t n = 0;
	size_t i = 1;

	if (value.n < 3 || value.p[0] != 'P')
		goto bad;
	for (; i < value.n && value.p[i] >= '0' && value.p[i] <= '9'; i++) {
		n = n * 10 + (value.p[i] - '0');
		if (n > 366)
			goto bad;
	}
	if (i == 1 || i + 1 != value.n)
		goto bad;
	if (value.p[i] == 'W' && n <= 52)
		n *= 7;
	else if (value.p[i] != 'D')
		goto bad;
	if (n < 1)
		goto bad;
	*days = n;
	return DUBAN_OK;
bad:
	return duban_fail(err, DUBAN_E_INVALID, NULL,
			  "line %u: unsupported DURATION '%.*s' (whole days or weeks only)",
			  line, quote_len(value), value.p);
}

/* SUMMARY text, unescaped (RFC 5545 §3.3.11), into the event. */
static void ics_summary(struct ics_pending *ev, struct span value)
{
	char tmp[sizeof(ev->name) * 2];
	size_t n = 0;

	/* 班 (U+73ED) anywhere marks a working day: 上班, 补班, 调休上班. */
	ev->summary_work = false;
	for (size_t i = 0; i + 3 <= value.n; i++)
		if (memcmp(value.p + i, "\xe7\x8f\xad", 3) == 0)
			ev->summary_work = true;

	for (size_t i = 0; i < value.n && n < sizeof(tmp); i++) {
		char c = value.p[i];
		if (c == '\\' && i + 1 < value.n) {
			c = value.p[++i];
			if (c == 'n' || c == 'N')
				c = ' ';
		}
		tmp[n++] = c == '\t' ? ' ' : c;
	}
	/* When tmp filled up it may end inside a character, but then it is
	 * longer than name and copy_text cuts back to a whole character. */
	struct span s = trim((struct span){ tmp, n });
	copy_text(ev->name, sizeof(ev->name), s);
	/* Cut short, the name may end in a blank, which the text form
	 * (calendar_year_text) would lose. */
	for (size_t k = strlen(ev->name); k && is_blank(ev->name[k - 1]); k--)
		ev->name[k - 1] = '\0';
	ev->has_summary = ev->name[0] != '\0';
}

static duban_result ics_property(struct ics_pending *ev, struct span name,
				 struct span params, struct span value,
				 unsigned line, struct duban_error *err)
{
	duban_result result = DUBAN_OK;

	if (ascii_ieq(name, "DTSTART") || ascii_ieq(name, "DTEND")) {
		bool start = ascii_ieq(name, "DTSTART");
		if (start ? ev->has_start : ev->has_end)
			return duban_fail(err, DUBAN_E_INVALID, NULL,
					  "line %u: second %.*s in one event",
					  line, (int)name.n, name.p);
		result = ics_date(name, params, value, line,
				  start ? &ev->start : &ev->end, err);
		if (start)
			ev->has_start = true;
		else
			ev->has_end = true;
	} else if (ascii_ieq(name, "DURATION")) {
		result = ics_duration(value, line, &ev->dur, err);
		ev->has_dur = true;
	} else if (ascii_ieq(name, "SUMMARY")) {
		ics_summary(ev, value);
	} else if (ascii_ieq(name, "X-DUBAN-KIND")) {
		if (ascii_ieq(value, "WORK"))
			ev->kind = CALENDAR_WORK;
		else if (ascii_ieq(value, "OFF"))
			ev->kind = CALENDAR_OFF;
		else
			result = duban_fail(err, DUBAN_E_INVALID, NULL,
					    "line %u: X-DUBAN-KIND '%.*s' is neither 'work' nor 'off'",
					    line, quote_len(value), value.p);
	} else if (ascii_ieq(name, "STATUS")) {
		ev->cancelled = ascii_ieq(value, "CANCELLED");
	} else if (ascii_ieq(name, "RRULE") || ascii_ieq(name, "RDATE")) {
		result = duban_fail(err, DUBAN_E_INVALID, NULL,
				    "line %u: recurring events (%.*s) are not supported",
				    line, (int)name.n, name.p);
	}
	return result;
}

/* Turns a finished VEVENT into an event, or into nothing when cancelled. */
static duban_result ics_finish(struct ics_pending *ev, struct ics_event **evs,
			       size_t *nevs, size_t *cap,
			       struct duban_error *err)
{
	int32_t last;

	if (ev->cancelled)
		return DUBAN_OK;
	if (!ev->has_start)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: event without DTSTART", ev->line);
	if (!ev->has_summary)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: event without SUMMARY", ev->line);
	if (ev->has_end && ev->has_dur)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: event with both DTEND and DURATION",
				  ev->line);
	if (ev->has_end) {
		if (ev->end <= ev->start) {
			char ds[11];
			date_format(ev->end, ds);
			return duban_fail(err, DUBAN_E_INVALID, NULL,
					  "line %u: DTEND '%s' is not after DTSTART",
					  ev->line, ds);
		}
		last = ev->end - 1;
	} else {
		last = ev->start + (ev->has_dur ? ev->dur : 1) - 1;
	}
	if (*nevs == MAX_RANGES)
		return duban_fail(err, DUBAN_E_INVALID, NULL,
				  "line %u: more than %d events", ev->line,
				  MAX_RANGES);
	if (*nevs == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*evs = xrealloc(*evs, *cap * sizeof(**evs));
	}
	struct ics_event *e = &(*evs)[(*nevs)++];
	e->first = ev->start;
	e->last = last;
	e->kind = ev->kind >= 0 ? (enum calendar_kind)ev->kind
		  : ev->summary_work ? CALENDAR_WORK
				     : CALENDAR_OFF;
	memcpy(e->name, ev->name, sizeof(e->name));
	e->line = ev->line;
	return DUBAN_OK;
}

#define ICS_DEPTH 8
#define ICS_NAME_MAX 32

static duban_result parse_ics(const char *text, size_t len, struct builder *b,
			      struct duban_error *err)
{
	struct ics_reader r = { text, text + len, 0, NULL };
	struct ics_event *evs = NULL;
	size_t nevs = 0, cap = 0;
	char stack[ICS_DEPTH][ICS_NAME_MAX]; /* open components, upper case */
	size_t depth = 0;
	bool in_event = false, seen_calendar = false;
	struct ics_pending ev;
	struct span s, name, params, value;
	unsigned line = 0;
	duban_result result = DUBAN_OK;
	int year = 0;

	memset(&ev, 0, sizeof(ev));
	if (len >= 3 && memcmp(r.p, "\xef\xbb\xbf", 3) == 0)
		r.p += 3;
	r.buf = xmalloc(len + 1);
	while (ics_next(&r, &s, &line)) {
		result = check_line(s, line, err);
		if (result)
			goto out;
		if (!s.n)
			continue;
		if (!ics_split(s, &name, &params, &value)) {
			result = duban_fail(err, DUBAN_E_INVALID, NULL,
					    "line %u: not an iCalendar content line",
					    line);
			goto out;
		}
		if (ascii_ieq(name, "BEGIN")) {
			bool cal = ascii_ieq(value, "VCALENDAR");
			bool event = ascii_ieq(value, "VEVENT");
			/* VCALENDAR outermost, VEVENT right inside it. */
			if (depth == ICS_DEPTH || value.n >= ICS_NAME_MAX ||
			    !value.n || (depth == 0) != cal ||
			    (event && depth != 1)) {
				result = duban_fail(err, DUBAN_E_INVALID, NULL,
						    "line %u: unexpected BEGIN:%.*s",
						    line, quote_len(value),
						    value.p);
				goto out;
			}
			for (size_t i = 0; i < value.n; i++) {
				char c = value.p[i];
				stack[depth][i] = c >= 'a' && c <= 'z'
						  ? (char)(c - 'a' + 'A') : c;
			}
			stack[depth][value.n] = '\0';
			depth++;
			seen_calendar = true;
			if (event) {
				in_event = true;
				memset(&ev, 0, sizeof(ev));
				ev.line = line;
				ev.kind = -1;
			}
			continue;
		}
		if (ascii_ieq(name, "END")) {
			if (!depth || !ascii_ieq(value, stack[depth - 1])) {
				result = duban_fail(err, DUBAN_E_INVALID, NULL,
						    "line %u: unexpected END:%.*s",
						    line, quote_len(value),
						    value.p);
				goto out;
			}
			depth--;
			if (in_event && depth == 1) {
				in_event = false;
				result = ics_finish(&ev, &evs, &nevs, &cap,
						    err);
				if (result)
					goto out;
			}
			continue;
		}
		if (!depth) {
			result = duban_fail(err, DUBAN_E_INVALID, NULL,
					    "line %u: expected BEGIN:VCALENDAR",
					    line);
			goto out;
		}
	/* Only the event's own properties, not those of a VALARM. */
		if (in_event && depth == 2) {
			result = ics_property(&ev, name, params, value, line,
					      err);
			if (result)
				goto out;
		}
	}
	if (depth || !seen_calendar) {
		result = duban_fail(err, DUBAN_E_INVALID, NULL,
				    depth ? "unexpected end of file inside %s"
					  : "not an iCalendar file%s",
				    depth ? stack[depth - 1] : "");
		goto out;
	}
	if (!nevs) {
		result = duban_fail(err, DUBAN_E_INVALID, NULL,
				    "no events in the calendar");
		goto out;
	}

	for (size_t i = 0; i < nevs; i++) {
		int y, m, d;
		date_to_ymd(evs[i].last, &y, &m, &d);
		if (y > year)
			year = y;
	}
	if (year < CALENDAR_YEAR_MIN || year > CALENDAR_YEAR_MAX) {
		result = duban_fail(err, DUBAN_E_INVALID, NULL,
				    "year %d is outside %d to %d", year,
				    CALENDAR_YEAR_MIN, CALENDAR_YEAR_MAX);
		goto out;
	}
	builder_start(b, year);
	for (size_t i = 0; i < nevs; i++) {
		struct span nm = { evs[i].name, strlen(evs[i].name) };
		result = builder_add(b, evs[i].first, evs[i].last, evs[i].kind,
				     nm, evs[i].line, true, err);
		if (result)
			goto out;
	}
	result = builder_finish(b, err);
out:
	free(r.buf);
	free(evs);
	return result;
}

duban_result calendar_load_ics(struct calendar *cal, const char *text,
			       size_t len, int *year_out,
			       struct duban_error *err)
{
	struct builder *b = xcalloc(1, sizeof(*b));
	duban_result result;

	if (len > CALENDAR_INPUT_MAX) {
		result = duban_fail(err, DUBAN_E_TOO_LARGE, NULL,
				    "calendar of %zu bytes is larger than %d",
				    len, CALENDAR_INPUT_MAX);
		goto out;
	}
	result = parse_ics(text, len, b, err);
	if (result)
		goto out;
	builder_commit(b, cal, year_out);
out:
	year_release(&b->y);
	free(b);
	return result;
}

/* ---- writing the text format ------------------------------------------- */

struct outbuf {
	char *p;
	size_t n, cap;
};

static void out_put(struct outbuf *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		while (o->n + n + 1 > o->cap)
			o->cap = o->cap ? o->cap * 2 : 1024;
		o->p = xrealloc(o->p, o->cap);
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static void out_str(struct outbuf *o, const char *s)
{
	out_put(o, s, strlen(s));
}

static void out_date(struct outbuf *o, int32_t day)
{
	char ds[11];

	date_format(day, ds);
	out_put(o, ds, 10);
}

char *calendar_year_text(const struct calendar *cal, int year,
			 size_t *len_out)
{
	const struct calendar_year *y = NULL;
	struct outbuf o = { NULL, 0, 0 };
	char num[16];

	for (size_t i = 0; i < cal->nyears; i++)
		if (cal->years[i].year == year)
			y = &cal->years[i];
	if (!y)
		return NULL;

	out_str(&o, "# duban working-day schedule (docs/calendar.md)\nyear ");
	snprintf(num, sizeof(num), "%d", y->year);
	out_str(&o, num);
	out_str(&o, "\n");
	for (size_t i = 0; i < y->nnotices; i++) {
		out_str(&o, "notice ");
		out_str(&o, y->notices[i].number);
		out_str(&o, " ");
		out_date(&o, y->notices[i].date);
		if (y->notices[i].title[0]) {
			out_str(&o, " ");
			out_str(&o, y->notices[i].title);
		}
		out_str(&o, "\n");
	}
	for (size_t i = 0; i < y->nranges; i++) {
		const struct calendar_range *r = &y->ranges[i];
		struct span nm = { r->name, strlen(r->name) };
		struct span head = next_token(&nm);

		out_str(&o, r->kind == CALENDAR_WORK ? "work " : "off ");
		out_date(&o, r->first);
		/* A name that starts like a date would be read as the end. */
		if (r->last != r->first || looks_like_date(head)) {
			out_str(&o, " ");
			out_date(&o, r->last);
		}
		out_str(&o, " ");
		out_str(&o, r->name);
		out_str(&o, "\n");
	}
	if (len_out)
		*len_out = o.n;
	return o.p;
}
