#include "base/date.h"

#include <stdio.h>

/* Howard Hinnant's days_from_civil / civil_from_days, in int arithmetic. */
int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const int yoe = y - era * 400;
	const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const int doe = z - era * 146097;
	const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int date_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int w = (int)((day % 7 + 7 + 3) % 7);
	return w;
}

bool date_valid_ymd(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int n = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		n = 29;
	return d <= n;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool date_parse(const char *s, size_t len, int32_t *out)
{
	if (!s || len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !date_valid_ymd(y, m, d))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

void date_format(int32_t day, char buf[11])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
		 (unsigned)m % 100u, (unsigned)d % 100u);
}

int32_t date_of_time(time_t t)
{
	long long s = (long long)t + DATE_CST_OFFSET;
	long long day = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	return (int32_t)day;
}

int32_t date_today(void)
{
	return date_of_time(time(NULL));
}

void date_format_timestamp(time_t t, char buf[26])
{
	long long s = (long long)t + DATE_CST_OFFSET;
	int32_t day = date_of_time(t);
	long long sec = s - (long long)day * 86400;
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, 26, "%04u-%02u-%02uT%02u:%02u:%02u+08:00",
		 (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u,
		 (unsigned)(sec / 3600) % 24u, (unsigned)(sec / 60 % 60) % 60u,
		 (unsigned)(sec % 60) % 60u);
}
