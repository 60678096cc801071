/*
 * statutory.c - provisional schedules from the holiday law; see statutory.h.
 */
#include "core/statutory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/xalloc.h"
#include "core/lunar.h"

/* One holiday of the law: its days off in a year. */
struct holiday {
	const char *name;
	int32_t first, last;
};

/* The holidays of year by the version of the law in force, in date order. */
static size_t holidays_of(int year, struct holiday h[8])
{
	const int32_t spring = lunar_new_year(year);
	size_t n = 0;

	h[n++] = (struct holiday){ "元旦", date_from_ymd(year, 1, 1),
				   date_from_ymd(year, 1, 1) };
	if (year >= 2025)
		h[n++] = (struct holiday){ "春节", spring - 1, spring + 2 };
	else if (year >= 2014 || year < 2008)
		h[n++] = (struct holiday){ "春节", spring, spring + 2 };
	else
		h[n++] = (struct holiday){ "春节", spring - 1, spring + 1 };
	if (year >= 2008) {
		int32_t qingming = lunar_solar_term(year, 15);
		h[n++] = (struct holiday){ "清明节", qingming, qingming };
	}
	h[n++] = (struct holiday){
		"劳动节", date_from_ymd(year, 5, 1),
		date_from_ymd(year, 5, year >= 2025 ? 2 : year >= 2008 ? 1 : 3)
	};
	if (year >= 2008) {
		int32_t duanwu = lunar_day(year, 5, 5);
		h[n++] = (struct holiday){ "端午节", duanwu, duanwu };
		int32_t zhongqiu = lunar_day(year, 8, 15);
		h[n++] = (struct holiday){ "中秋节", zhongqiu, zhongqiu };
	}
	h[n++] = (struct holiday){ "国庆节", date_from_ymd(year, 10, 1),
				   date_from_ymd(year, 10, 3) };

	/* 端午 follows 劳动节 and 中秋 may fall inside 国庆 (2020, 2031):
	 * sort by day and fold a holiday inside another into it */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && h[j].first < h[j - 1].first; j--) {
			struct holiday t = h[j];
			h[j] = h[j - 1];
			h[j - 1] = t;
		}
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && h[i].first <= h[m - 1].last) {
			if (h[i].last > h[m - 1].last)
				h[m - 1].last = h[i].last;
			/* the later one named first: 国庆节、中秋节 */
			h[m - 1].name = strcmp(h[i].name, "国庆节") == 0 ||
						strcmp(h[m - 1].name,
						       "国庆节") == 0
						? "国庆节、中秋节"
						: h[m - 1].name;
			continue;
		}
		h[m++] = h[i];
	}
	return m;
}

char *statutory_schedule(int year, size_t *len_out)
{
	struct holiday h[8];
	char *text;
	size_t cap = 1024, len;

	if (year < STATUTORY_YEAR_MIN || year > STATUTORY_YEAR_MAX)
		return NULL;
	size_t n = holidays_of(year, h);
	text = xmalloc(cap);
	len = (size_t)snprintf(text, cap,
			       "# provisional: the statutory holidays of %d by"
			       " 全国年节及纪念日放假办法, no 调休\nyear %d\n",
			       year, year);
	for (size_t i = 0; i < n; i++) {
		char a[11], b[11];
		date_format(h[i].first, a);
		date_format(h[i].last, b);
		len += (size_t)snprintf(text + len, cap - len, "off %s %s %s\n",
					a, b, h[i].name);
	}
	if (len_out)
		*len_out = len;
	return text;
}
