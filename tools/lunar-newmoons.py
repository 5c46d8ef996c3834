#!/usr/bin/env python3
"""Checks every month start of the lunar table in src/model/lunar.rs against the new moon.

GB/T 33661-2017: a lunar month begins on the day, in Beijing time (UTC+8), of the new
moon (the Moon's apparent geocentric ecliptic longitude equal to the Sun's). Before 1929
China's calendars used the local time of the Beijing meridian, 116°24' E (UT+7:45:36).

The conjunctions are computed here from the JPL DE423 ephemeris (PyPI package `de423`,
read with `jplephem`): light time, annual aberration, the ecliptic and equinox of date
(skyfield's frame), bisection to well under a second, in TT. UT = TT - ΔT, with
skyfield's built-in ΔT (measured values, then a long-term prediction: 73 s in 2057, 94 s
in 2097; older predictions ran to 200 s and more by 2100). For each near-midnight case
the ΔT that would move the new moon to the other side of midnight is printed, so the
choice can be judged without trusting one ΔT model.

    /tmp/lunar-venv/bin/pip install de423 jplephem skyfield numpy
    /tmp/lunar-venv/bin/python tools/lunar-newmoons.py src/model/lunar.rs
"""

import datetime
import importlib.util
import os
import sys

import de423
import numpy as np
from jplephem import Ephemeris
from skyfield.api import load
from skyfield.framelib import ecliptic_frame

EPH = Ephemeris(de423)
EARTH_SHARE = 1 / (1 + float(EPH.EMRAT))
C = 299792.458  # km/s
TS = load.timescale(builtin=True)
NEAR = 5 * 60  # seconds from midnight that count as near
BEIJING_LMT = datetime.timedelta(hours=7, minutes=45, seconds=36)
# Month starts of the calendars as they were issued, which the methods of the time put on
# another day than a modern ephemeris does (every package checked agrees with these).
HISTORICAL = {
    datetime.date(1906, 4, 24): "四月初一 of the 1906 时宪历 (new moon 23:51 Beijing local time on 04-23)",
}


def earth(jd):
    emb, vemb = EPH.position_and_velocity("earthmoon", jd)
    moon, vmoon = EPH.position_and_velocity("moon", jd)
    return (emb - moon * EARTH_SHARE)[:, 0], (vemb - vmoon * EARTH_SHARE)[:, 0] / 86400


def barycentric(body, jd):
    if body == "sun":
        return EPH.position("sun", jd)[:, 0]
    return earth(jd)[0] + EPH.position("moon", jd)[:, 0]


def apparent(body, jd, e, ve):
    """Unit vector (ICRF) towards the body as seen from the geocentre at `jd` (TDB)."""
    tau = 0.0
    for _ in range(3):
        r = barycentric(body, jd - tau / 86400) - e
        tau = np.linalg.norm(r) / C
    u = r / np.linalg.norm(r)
    beta = ve / C
    u = u + beta - np.dot(u, beta) * u  # annual aberration, first order
    return u / np.linalg.norm(u)


def elongation(jd):
    """Moon's ecliptic longitude minus the Sun's, in radians, -π..π."""
    rotation = ecliptic_frame.rotation_at(TS.tt_jd(jd))
    e, ve = earth(jd)
    lon = [np.arctan2(*(rotation @ apparent(b, jd, e, ve))[1::-1]) for b in ("moon", "sun")]
    return (lon[0] - lon[1] + np.pi) % (2 * np.pi) - np.pi


def conjunction(jd):
    """The new moon within two days of `jd` (TT), as a TT Julian date."""
    a, b = jd - 2, jd + 2
    fa = elongation(a)
    while b - a > 1e-7:  # about 0.01 s
        m = (a + b) / 2
        fm = elongation(m)
        if (fa < 0) == (fm < 0):
            a, fa = m, fm
        else:
            b = m
    return (a + b) / 2


def seconds_after(tt, moment):
    """Seconds from `moment` (its numbers read as TT) to the TT Julian date `tt`."""
    m = moment
    return (tt - TS.tt(m.year, m.month, m.day, m.hour, m.minute, m.second).tt) * 86400


def month_starts(path):
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("check", os.path.join(here, "lunar-check.py"))
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    days = check.decode(check.read_table(path))
    return [(day, lunar) for day, lunar in sorted(days.items()) if lunar[3] == 1]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "src/model/lunar.rs"
    starts = month_starts(path)
    mismatches, near = 0, 0
    for day, (year, month, leap, _) in starts:
        offset = BEIJING_LMT if day.year < 1929 else datetime.timedelta(hours=8)
        midnight_ut = datetime.datetime.combine(day, datetime.time()) - offset
        guess = TS.utc(midnight_ut.year, midnight_ut.month, midnight_ut.day, 12).tt
        tt = conjunction(guess)
        t = TS.tt_jd(tt)
        local = t.utc_datetime().replace(tzinfo=None) + offset
        name = f"{year} {'闰' if leap else ''}{month}月初一 {day}"
        # The ΔT that puts the conjunction at the midnight that begins `day` (larger: the
        # day before) and at the one that ends it (smaller: the day after).
        before = seconds_after(tt, midnight_ut)
        after = seconds_after(tt, midnight_ut + datetime.timedelta(days=1))
        # The conjunction falls on `day` iff after < ΔT < before.
        if before - t.delta_t < t.delta_t - after:
            edge, seconds_to_midnight = f"the day before if ΔT > {before:.0f} s", before - t.delta_t
        else:
            edge, seconds_to_midnight = f"the day after if ΔT < {after:.0f} s", t.delta_t - after
        if local.date() != day and day in HISTORICAL:
            print(f"historic {name}: {HISTORICAL[day]}")
        elif local.date() != day:
            mismatches += 1
            print(f"MISMATCH {name}: new moon {local:%Y-%m-%d %H:%M:%S} local, ΔT {t.delta_t:.0f} s; {edge}")
        elif seconds_to_midnight < NEAR:
            near += 1
            print(f"near     {name}: new moon {local:%H:%M:%S} local, ΔT {t.delta_t:.0f} s; {edge}")
    print(f"{len(starts)} month starts checked: {mismatches} unexpectedly on another day than the "
          f"new moon, {len(HISTORICAL)} historical, {near} within {NEAR // 60} minutes of midnight")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
