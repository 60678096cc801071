"""The provisional years' lunar holidays against an independent ephemeris
(issue 13): the Chinese calendar of GB/T 33661-2017 computed here with
PyEphem (Debian's python3-ephem: VSOP87 for the Sun, ELP for the Moon),
and compared with what `duban calendar show` prints for 2027 to 2040.

The rules, as the standard gives them: days are civil days in Beijing time
(UTC+8); a month begins on the day of a new moon; the month holding the
winter solstice is the 11th; when 13 months begin between one 11th month
and the next, the first of them holding no principal term (中气, a solar
longitude that is a multiple of 30 degrees) is a leap month.
"""
import datetime
import math
import re

import pytest

from duban_client import run_cli

ephem = pytest.importorskip("ephem")

CST = datetime.timedelta(hours=8)
YEARS = range(2027, 2041)


def cst_day(t):
    return (ephem.Date(t).datetime() + CST).date()


def sun_longitude(t):
    """The Sun's apparent geocentric longitude, of date, in degrees."""
    sun = ephem.Sun(ephem.Date(t))
    equatorial = ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=ephem.Date(t))
    return math.degrees(ephem.Ecliptic(equatorial).lon)


def solar_term(year, degrees):
    t = ephem.Date(f"{year}/1/1") + ((degrees - 280) % 360) / 360 * 365.2422
    for _ in range(60):
        step = ((degrees - sun_longitude(t) + 180) % 360) - 180
        t += step / 360 * 365.2422
        if abs(step) < 1e-8:
            break
    return cst_day(t)


def months_from_solstice(year):
    """The first days of the months from the 11th month of year - 1 on, and
    the index of the leap month among them (0: none)."""
    solstice, next_solstice = (solar_term(year - 1, 270),
                               solar_term(year, 270))
    start = datetime.datetime.combine(solstice, datetime.time()) - CST
    t = ephem.previous_new_moon(ephem.Date(start + datetime.timedelta(days=1)))
    starts = []
    for _ in range(15):
        starts.append(cst_day(t))
        t = ephem.next_new_moon(ephem.Date(t + 1))
    n = 12
    while starts[n + 1] <= next_solstice:
        n += 1
    leap = 0
    if n == 13:
        principal = ([solstice] + [solar_term(year, (270 + 30 * k) % 360)
                                   for k in range(1, 12)] + [next_solstice])
        leap = next(i for i in range(1, n)
                    if not any(starts[i] <= p < starts[i + 1]
                               for p in principal))
    return starts, leap


def lunar_date(year, month, day):
    starts, leap = months_from_solstice(year)
    for i in range(1, 14):
        number = (11 + i - (1 if leap and i >= leap else 0) - 1) % 12 + 1
        if i != leap and number == month:
            return starts[i] + datetime.timedelta(days=day - 1)
    raise AssertionError(f"no month {month} in {year}")


def shown(year):
    cp = run_cli("calendar", "show", str(year))
    assert cp.returncode == 0, cp.stderr
    assert "provisional" in cp.stdout.splitlines()[0]
    ranges = {}
    for line in cp.stdout.splitlines()[1:]:
        m = re.fullmatch(r"off\s+(\S+) (\S+) (.+)", line)
        assert m, line
        ranges[m.group(3)] = (m.group(1), m.group(2))
    return ranges


@pytest.mark.parametrize("year", YEARS)
def test_the_lunar_holidays_agree_with_the_ephemeris(year):
    ranges = shown(year)
    spring = lunar_date(year, 1, 1)
    # 2024 revision: 除夕 and 初一 to 初三
    assert ranges["春节"] == (str(spring - datetime.timedelta(days=1)),
                            str(spring + datetime.timedelta(days=2)))
    qingming = str(solar_term(year, 15))
    assert ranges["清明节"] == (qingming, qingming)
    duanwu = str(lunar_date(year, 5, 5))
    assert ranges["端午节"] == (duanwu, duanwu)
    zhongqiu = lunar_date(year, 8, 15)
    if "中秋节" in ranges:
        assert ranges["中秋节"] == (str(zhongqiu), str(zhongqiu))
    else:
        # inside 国庆节 (2031: 10-01)
        first, last = ranges["国庆节、中秋节"]
        assert first <= str(zhongqiu) <= last
    assert ranges["元旦"] == (f"{year}-01-01", f"{year}-01-01")
    assert ranges["劳动节"] == (f"{year}-05-01", f"{year}-05-02")
