"""Nth weekdays with day offsets ("Sa[1]", "Su[-1] +1 day", "Mo[1] -1 day"), day by day against opening_hours.js.

Every weekday, every n in ±1…±4 with every offset from -6 to +6 days, and ±5 without one,
is compared with the reference's point answer (getState at 09:30) on each of 600 days —
month ends and two Februaries. Point answers, because the
reference's interval iteration skips some days its own getState() counts (e.g. Sunday
2026-05-03 for "Mo[1] -1 day"). A 5th weekday *with* an offset is the one combination the
reference answers inconsistently, so it is refused (see test_osm_features.py).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hotline.routing.schedule.osm.hours import parse_osm

from .osm_node import reference_points, skip_reason

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

FIRST, DAYS = date(2025, 1, 1), 600
WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def _offset(k: int) -> str:
    return "" if k == 0 else f" {'+' if k > 0 else '-'}{abs(k)} day{'s' if abs(k) > 1 else ''}"


EXPRS = [f"{wd}[{n}]{_offset(k)} 09:00-10:00" for wd in WEEKDAYS for n in (1, 2, 3, 4, -1, -2, -3, -4)
         for k in range(-6, 7)] + [f"{wd}[{n}] 09:00-10:00" for wd in WEEKDAYS for n in (5, -5)]


def test_every_nth_weekday_and_offset_is_the_references_day_by_day():
    theirs = reference_points(EXPRS, FIRST, DAYS, [570], "Asia/Shanghai")
    failures = []
    for expr in EXPRS:
        plan = parse_osm(expr)
        ours = "".join("1" if plan.windows(FIRST + timedelta(days=n), None) else "0" for n in range(DAYS))
        if ours != theirs[expr]:
            day = FIRST + timedelta(days=next(i for i, (a, b) in enumerate(zip(ours, theirs[expr])) if a != b))
            failures.append(f"{expr!r} first differs on {day}")
    assert not failures, "\n".join(failures[:10])
    assert sum(bits.count("1") for bits in theirs.values()) > len(EXPRS) * 15    # about one day a month each: the days were really there
