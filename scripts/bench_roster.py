"""Benchmark the shifts core: a year of roster for 4 lines and 60 counselors.

Each line is open 24/7 with three slots (day 4 seats, evening 3, night 2) and
15 counselors rotating individually through a 15-day cycle that needs no more
than 40 h in any ISO week and at least 11 h rest. Prints timings; asserts nothing.

    .venv/bin/python scripts/bench_roster.py [--year 2026]
"""
from __future__ import annotations

import argparse
import time
from datetime import date, datetime

from hotline.shifts import (Assignee, RotationPattern, ShiftSlot, Unavailability, counselor_calendar, coverage,
                            default_calendar, fairness, generate, on_shift)

# 4 day, 3 evening, 2 night, 6 off; never day→night, evening→day or evening→night.
CYCLE = "NDEOEONDDODOOEO"
SLOT_OF = {"D": "day", "E": "evening", "N": "night", "O": None}


def open_24h():
    """The lines' schedule: the real engine's "24小时" (a plain 24/7 stand-in if it is missing)."""
    try:
        from hotline.routing.schedule import compile_schedule
    except ImportError:
        class AlwaysOpen:
            def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
                return [(start, end)]
        return AlwaysOpen()
    return compile_schedule("24小时")


def build(lines: int = 4, per_line: int = 15, start: date = date(2026, 1, 1)):
    slots, patterns = [], []
    for n in range(1, lines + 1):
        line = f"L{n}"
        slots += [ShiftSlot(f"{line}-day", line, "08:00", "16:00", 4, "白班", "day"),
                  ShiftSlot(f"{line}-evening", line, "16:00", "24:00", 3, "中班", "evening"),
                  ShiftSlot(f"{line}-night", line, "00:00", "08:00", 2, "夜班", "night")]
        cycle = tuple(f"{line}-{SLOT_OF[c]}" if SLOT_OF[c] else None for c in CYCLE)
        people = [Assignee.person(f"{line}-c{i:02d}", offset=i) for i in range(per_line)]
        patterns.append(RotationPattern(f"{line}-rotation", cycle, tuple(people), start))
    return slots, patterns


def timed(label: str, fn):
    t0 = time.perf_counter()
    result = fn()
    print(f"{label:<38} {time.perf_counter() - t0:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2026)
    year = parser.parse_args().year
    first, last = date(year, 1, 1), date(year, 12, 31)
    slots, patterns = build(start=first)
    leave = [Unavailability.days("L1-c03", date(year, 3, 2), date(year, 3, 6), "年假")]
    ticks = []
    roster = timed("generate (365 days, 4 lines, 60 people)",
                   lambda: generate(patterns, slots, first, last, leave, progress=lambda d, t: ticks.append(d)))
    violations = timed("check rules", roster.check)
    schedules = {f"L{n}": open_24h() for n in range(1, 5)}
    report = timed("coverage (15-minute quarters)", lambda: coverage(roster, slots, schedules, first, last))
    calendar = default_calendar()  # China; unknown years fall back to plain weekends (with a warning)
    spread = timed("fairness", lambda: fairness(roster, slots={s.id: s for s in slots}, calendar=calendar))
    at = datetime(year, 6, 1, 16, 0, tzinfo=roster.shifts[0].start.tzinfo)
    timed("iCalendar feed (1 counselor, 1 year)", lambda: counselor_calendar(roster, "L1-c00", now=at))
    timed("on_shift x 10000 (indexed)", lambda: [on_shift(roster, "L1", at) for _ in range(10000)])
    print(f"progress callbacks {len(ticks)}, shifts {len(roster)}, unfilled {len(roster.unfilled)}, violations {len(violations)}, "
          f"gap runs {len(report.gaps)}, over runs {len(report.over)}")
    print(spread.summary())


if __name__ == "__main__":
    main()
