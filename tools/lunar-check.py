#!/usr/bin/env python3
"""Checks the lunar table in src/model/lunar.rs against two other packages, every day.

The table is read from lunar.rs itself (not from tools/lunar-table.py), decoded the way
lunar.rs decodes it, and each day of its range compared with `lunar_python` (6tail's
lunar, astronomical computation; the whole range) and `lunardate` (a table; lunar years
1900–2099, so up to 2100-02-08). Disagreements are grouped by month; those decided in
EXPECTED (with the reason) are listed, any other makes the exit status 1.

    /tmp/lunar-venv/bin/pip install lunar_python==1.4.8 lunardate==0.3.0
    /tmp/lunar-venv/bin/python tools/lunar-check.py src/model/lunar.rs
"""

import datetime
import re
import sys

FIRST_YEAR = 1901

# (package, first day of the disagreement): why the table is right.
EXPECTED = {
    ("lunardate", datetime.date(1933, 7, 22)):
        "new moon 1933-07-23 00:02:45 UTC+8 (JPL DE423): 07-22 is 闰五月三十, as the "
        "Hong Kong Observatory's table has it",
    ("lunardate", datetime.date(1954, 11, 25)):
        "new moon 1954-11-25 20:30 UTC+8: 冬月初一 is 11-25",
    ("lunardate", datetime.date(1978, 9, 2)):
        "new moon 1978-09-03 00:08:54 UTC+8: 八月初一 is 09-03 (中秋 09-17)",
    ("lunardate", datetime.date(2057, 9, 28)):
        "new moon 2057-09-28 16:01:53 TT, after midnight at UTC+8 unless ΔT > 113 s: "
        "九月初一 is 09-29 (the HKO table has 09-28 and warns it may be a day off)",
    ("lunardate", datetime.date(2097, 8, 7)):
        "new moon 2097-08-07 16:02:58 TT, after midnight at UTC+8 unless ΔT > 178 s: "
        "七月初一 is 08-08 (the HKO table has 08-07 and warns it may be a day off)",
    ("lunar_python", datetime.date(2097, 8, 7)):
        "as for lunardate: lunar_python's ΔT for 2097 is about 200 s",
}


def read_table(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    block = text.split("const YEARS", 1)[1].split("];", 1)[0]
    return [int(v, 16) for v in re.findall(r"0x([0-9a-f]+),", block)]


def decode(table):
    """{date: (lunar year, month, leap, day)} for every day of the table's range."""
    days = {}
    for i, value in enumerate(table):
        year = FIRST_YEAR + i
        leap_month = value >> 13 & 0xF
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=value >> 17)
        month, leap = 1, False
        for m in range(13 if leap_month else 12):
            length = 30 if value >> m & 1 else 29
            for d in range(1, length + 1):
                days[day] = (year, month, leap, d)
                day += datetime.timedelta(days=1)
            if not leap and leap_month == month:
                leap = True
            else:
                month, leap = month + 1, False
    return days


def by_lunar_python(day):
    from lunar_python import Solar

    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    return (lunar.getYear(), abs(lunar.getMonth()), lunar.getMonth() < 0, lunar.getDay())


def by_lunardate(day):
    from lunardate import LunarDate

    if day >= datetime.date(2100, 2, 9):
        return None
    lunar = LunarDate.from_solar_date(day.year, day.month, day.day)
    return (lunar.year, lunar.month, bool(lunar.isLeapMonth), lunar.day)


def compare(days, name, other):
    """(days compared, [(first day, last day, ours, theirs)] runs of disagreement)"""
    compared, runs, run = 0, [], None
    for day in sorted(days):
        theirs = other(day)
        if theirs is None:
            continue
        compared += 1
        if theirs != days[day]:
            if run and run[1] == day - datetime.timedelta(days=1):
                run[1] = day
            else:
                run = [day, day, days[day], theirs]
                runs.append(run)
    return compared, runs


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "src/model/lunar.rs"
    days = decode(read_table(path))
    first, last = min(days), max(days)
    print(f"{path}: {len(days)} days, {first} .. {last}")
    unexpected = 0
    for name, other in (("lunar_python", by_lunar_python), ("lunardate", by_lunardate)):
        compared, runs = compare(days, name, other)
        disagree = sum((b - a).days + 1 for a, b, _, _ in runs)
        print(f"{name}: {compared} days compared, {disagree} disagree ({len(runs)} months)")
        for a, b, ours, theirs in runs:
            reason = EXPECTED.get((name, a))
            unexpected += reason is None
            print(f"  {a} .. {b}: ours {ours}, {name} {theirs}: {reason or 'UNEXPECTED'}")
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
