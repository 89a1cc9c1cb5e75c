#!/usr/bin/env python3
"""Benchmark the schedule engine on the Sichuan directory (prints figures, asserts nothing).

Routing asks `is_open` for every call and dashboards ask `intervals` for whole periods, so
both must stay cheap. This compiles every number's schedule — from config/lines.yaml when
it exists (lines[].numbers[].schedule), else the 22 texts embedded below — then times:

- compile_schedule per number;
- intervals() over a whole year for every number (cold cache, then warm);
- is_open() at every minute of a year (525,600 instants) for a few numbers;
- next_change() at every hour of a year for the same numbers.

Usage: .venv/bin/python scripts/bench_schedules.py [--lines config/lines.yaml] [--year 2026]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hotline.routing.calendar.holidays import china_calendar  # noqa: E402
from hotline.routing.schedule import Schedule, compile_schedule  # noqa: E402

SICHUAN = [
    ("4001-888-976", "周一至周日，6:00-24：00"), ("010-64851106", "周一至周日，20:00-23:00"),
    ("010-64015039", "周一至周日，18:30-21:30"),
    ("028-12320-4号线", "周一至周五，8:00-18:00，\n\n周六至周日，9:00-17:00"),
    ("028-87577510", "周一至周日，24小时"), ("028-85422114", "周一至周日，9:00-21:00"),
    ("0813-5512320", "周一至周日，24小时"), ("0812-3330157", "周一至周五，8:00-12:00,15:00-18:00"),
    ("18982762013", "周一至周日，24小时"), ("0838-6661611", "周一至周日，24小时"),
    ("0816-2268885", "周一至周日，24小时"), ("0816-12355", "周一至周日，24小时"),
    ("0839-3450733", "周一至周日，24小时"), ("0817-2316000", "周一至周日，8:00-12:00,15:00-18:00"),
    ("0831-8247085", "周一至周日，8:00-20:00"), ("0818-2797120", "周一至周五，8:00-11:30,14:00-17:30"),
    ("0818-2672120", "周一至周日，24小时"), ("0835-5895004", "周一至周五，9:00-17:00"),
    ("13551585969", "周一至周五17:00-次日9:00，\n\n节假日24小时"),
    ("028-38296995", "周一至周五（节假日除外），19:00-21:00"),
    ("028-26501223", "周一至周五，8:00-11:30,15:00-17:00"), ("028-85337950", "周一至周日，9:00-21:00"),
]
MINUTE_BY_MINUTE = ["028-87577510", "0812-3330157", "13551585969", "028-38296995"]


def load_numbers(path: Path) -> tuple[list[tuple[str, object]], str]:
    """(number, schedule) pairs from lines.yaml if present, else the embedded directory."""
    if not path.exists():
        return SICHUAN, "embedded Sichuan directory"
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = [(str(n["number"]), n["schedule"]) for line in data.get("lines", [])
             for n in line.get("numbers", []) if "schedule" in n]
    return (pairs, str(path)) if pairs else (SICHUAN, "embedded Sichuan directory")


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def bench_compile(pairs, calendar) -> dict[str, Schedule]:
    schedules, total = {}, 0.0
    for number, spec in pairs:
        schedules[number], seconds = timed(lambda s: compile_schedule(s, calendar=calendar), spec)
        total += seconds
    print(f"compile_schedule: {len(pairs)} numbers in {total * 1e3:.2f} ms "
          f"({total / len(pairs) * 1e6:.0f} µs per number)")
    return schedules


def bench_intervals(schedules: dict[str, Schedule], year: int, tz: ZoneInfo) -> None:
    start, end = datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    for label in ("cold", "warm"):
        total, spans = 0.0, 0
        for schedule in schedules.values():
            result, seconds = timed(schedule.intervals, start, end)
            total, spans = total + seconds, spans + len(result)
        print(f"intervals({year}) {label}: {len(schedules)} numbers in {total * 1e3:.1f} ms "
              f"({total / len(schedules) * 1e3:.2f} ms per number-year, {spans} intervals)")


def bench_is_open(schedules: dict[str, Schedule], numbers: list[str], year: int, tz: ZoneInfo) -> None:
    start = datetime(year, 1, 1, tzinfo=tz)
    instants = [start + timedelta(minutes=m) for m in range(525_600)]
    grand = 0.0
    for number in [n for n in numbers if n in schedules] or list(schedules)[:3]:
        schedule = schedules[number]
        is_open = schedule.is_open
        t0 = time.perf_counter()
        opened = sum(1 for at in instants if is_open(at))
        seconds = time.perf_counter() - t0
        grand += seconds
        print(f"is_open × 525,600 minutes [{number}] {schedule.source!r:.40}: {seconds:.3f} s "
              f"({seconds / len(instants) * 1e6:.2f} µs per call, open {opened / 60:.0f} h)")
    print(f"is_open total: {grand:.2f} s")


def bench_next_change(schedules: dict[str, Schedule], numbers: list[str], year: int, tz: ZoneInfo) -> None:
    start = datetime(year, 1, 1, tzinfo=tz)
    instants = [start + timedelta(hours=h) for h in range(8760)]
    for number in [n for n in numbers if n in schedules] or list(schedules)[:3]:
        schedule = schedules[number]
        t0 = time.perf_counter()
        for at in instants:
            schedule.next_change(at)
        seconds = time.perf_counter() - t0
        print(f"next_change × 8,760 hours [{number}]: {seconds:.3f} s ({seconds / len(instants) * 1e6:.1f} µs per call)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=Path, default=REPO / "config" / "lines.yaml")
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()
    tz = ZoneInfo("Asia/Shanghai")
    pairs, origin = load_numbers(args.lines)
    print(f"schedules from {origin}: {len(pairs)} numbers; Python {sys.version.split()[0]}")
    calendar = china_calendar()
    schedules = bench_compile(pairs, calendar)
    bench_intervals(schedules, args.year, tz)
    bench_is_open(schedules, MINUTE_BY_MINUTE, args.year, tz)
    bench_next_change(schedules, MINUTE_BY_MINUTE, args.year, tz)


if __name__ == "__main__":
    main()
