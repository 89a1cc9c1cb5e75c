#!/usr/bin/env python3
"""Our schedule engine beside opening_hours.js on the seed numbers (issue #18; prints, asserts nothing).

Both engines get the same OpenStreetMap `opening_hours` values: the OSM equivalents of the 22
seed texts (below; the holiday clauses of two of them are left out on both sides, since
opening_hours.js has no mainland-China holiday table). Timed on each side:

- a year of open intervals for every number, three times with fresh objects: the first run
  (what a process pays once; node compiles its code meanwhile) and the best (our `intervals(start, end)`, theirs
  `getOpenIntervals(from, to)`), and the number of intervals found (they must agree);
- `is_open` at every minute of the year (525,600 instants, in the lines' zone as node's dates are)
  for four numbers (theirs `getState`); ours also with the same instants in UTC, as routing asks.

The opening_hours.js side runs in node (scripts/bench_schedule_ohjs.js) only when node and the
package are present: install it outside the repository, e.g.
`mkdir -p /tmp/ohjs && cd /tmp/ohjs && npm init -y && npm install opening_hours`, and pass
`--ohjs /tmp/ohjs/node_modules` (or set OPENING_HOURS_JS to that folder).

    .venv/bin/python scripts/bench_schedule.py --ohjs /tmp/ohjs/node_modules [--year 2026] [--profile]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hotline.routing.calendar.holidays import china_calendar  # noqa: E402
from hotline.routing.schedule import compile_schedule  # noqa: E402

TZ = "Asia/Shanghai"
# number → (the published Chinese text, its OSM equivalent)
SEED = [
    ("4001-888-976", "周一至周日，6:00-24：00", "Mo-Su 06:00-24:00"),
    ("010-64851106", "周一至周日，20:00-23:00", "Mo-Su 20:00-23:00"),
    ("010-64015039", "周一至周日，18:30-21:30", "Mo-Su 18:30-21:30"),
    ("028-12320-4号线", "周一至周五，8:00-18:00，周六至周日，9:00-17:00", "Mo-Fr 08:00-18:00; Sa,Su 09:00-17:00"),
    ("028-87577510", "周一至周日，24小时", "24/7"),
    ("028-85422114", "周一至周日，9:00-21:00", "Mo-Su 09:00-21:00"),
    ("0813-5512320", "周一至周日，24小时", "24/7"),
    ("0812-3330157", "周一至周五，8:00-12:00,15:00-18:00", "Mo-Fr 08:00-12:00,15:00-18:00"),
    ("18982762013", "周一至周日，24小时", "24/7"),
    ("0838-6661611", "周一至周日，24小时", "24/7"),
    ("0816-2268885", "周一至周日，24小时", "24/7"),
    ("0816-12355", "周一至周日，24小时", "24/7"),
    ("0839-3450733", "周一至周日，24小时", "24/7"),
    ("0817-2316000", "周一至周日，8:00-12:00,15:00-18:00", "Mo-Su 08:00-12:00,15:00-18:00"),
    ("0831-8247085", "周一至周日，8:00-20:00", "Mo-Su 08:00-20:00"),
    ("0818-2797120", "周一至周五，8:00-11:30,14:00-17:30", "Mo-Fr 08:00-11:30,14:00-17:30"),
    ("0818-2672120", "周一至周日，24小时", "24/7"),
    ("0835-5895004", "周一至周五，9:00-17:00", "Mo-Fr 09:00-17:00"),
    ("13551585969", "周一至周五17:00-次日9:00，节假日24小时", "Mo-Fr 17:00-09:00"),          # PH 24 h left out
    ("028-38296995", "周一至周五（节假日除外），19:00-21:00", "Mo-Fr 19:00-21:00"),          # PH off left out
    ("028-26501223", "周一至周五，8:00-11:30,15:00-17:00", "Mo-Fr 08:00-11:30,15:00-17:00"),
    ("028-85337950", "周一至周日，9:00-21:00", "Mo-Su 09:00-21:00"),
]
REPEATS = 3   # the machine is shared: each side's best of three
MINUTE_NUMBERS = ["028-87577510", "0812-3330157", "13551585969", "028-38296995"]


def ours(year: int, chinese: bool = False) -> dict:
    """Our engine on the OSM values (or, with `chinese`, on the published texts themselves, holidays
    included; the holiday table is loaded before the clock starts: a process does that once)."""
    calendar = china_calendar()
    for warm in (year, year + 1):
        calendar.is_rest_day(datetime(warm, 1, 1).date())
    zone = ZoneInfo(TZ)
    start, end = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    compile_s = intervals_s = float("inf")
    first_s = None
    for _ in range(REPEATS):       # fresh schedules each time (no cached days); the best of the runs
        t0 = time.perf_counter()
        compiled = {number: compile_schedule(zh if chinese else osm, fmt="zh" if chinese else "osm", tz=TZ,
                                             calendar=calendar)
                    for number, zh, osm in SEED}
        compile_s = min(compile_s, time.perf_counter() - t0)
        t0 = time.perf_counter()
        intervals = sum(len(compiled[number].intervals(start, end)) for number, *_ in SEED)
        took = time.perf_counter() - t0
        first_s = took if first_s is None else first_s
        intervals_s = min(intervals_s, took)
    instants = [start + timedelta(minutes=m) for m in range(525_600)]
    is_open = {}
    for number in MINUTE_NUMBERS:
        check = compiled[number].is_open
        t0 = time.perf_counter()
        opened = sum(1 for at in instants if check(at))
        is_open[number] = {"seconds": time.perf_counter() - t0, "calls": len(instants), "open_minutes": opened}
    utc_instants = [at.astimezone(timezone.utc) for at in instants]   # the clock's `now` is in UTC
    t0 = time.perf_counter()
    for number in MINUTE_NUMBERS:
        check = compiled[number].is_open
        sum(1 for at in utc_instants if check(at))
    utc_us = (time.perf_counter() - t0) / (len(utc_instants) * len(MINUTE_NUMBERS)) * 1e6
    return {"engine": "hotline (中文)" if chinese else "hotline", "compile_s": compile_s, "intervals_s": intervals_s, "first_intervals_s": first_s,
            "intervals": intervals, "is_open": is_open, "is_open_utc_us": utc_us}


def theirs(year: int, modules: str | None) -> dict | None:
    node = shutil.which("node")
    if not node or not modules or not (Path(modules) / "opening_hours").is_dir():
        return None
    job = {"values": [[number, osm] for number, _zh, osm in SEED], "year": year, "minute_numbers": MINUTE_NUMBERS,
           "repeats": REPEATS}
    env = dict(os.environ, TZ=TZ, NODE_PATH=modules)
    done = subprocess.run([node, str(REPO / "scripts" / "bench_schedule_ohjs.js")], input=json.dumps(job),
                          capture_output=True, text=True, env=env, check=True, timeout=600)
    return json.loads(done.stdout)


def show(result: dict) -> None:
    calls = sum(v["calls"] for v in result["is_open"].values())
    seconds = sum(v["seconds"] for v in result["is_open"].values())
    print(f"{result['engine']:>17}: compile {result['compile_s'] * 1e3:7.1f} ms | a year of intervals, "
          f"{len(SEED)} numbers: first {result['first_intervals_s']:.3f} s, best {result['intervals_s']:.3f} s "
          f"({result['intervals']} intervals) | "
          f"is_open: {seconds / calls * 1e6:.2f} µs per call")
    if "is_open_utc_us" in result:
        print(f"{'':>19}is_open asked with UTC instants (as routing does): {result['is_open_utc_us']:.2f} µs per call")
    for number, v in result["is_open"].items():
        print(f"{'':>19}is_open [{number}]: {v['seconds'] / v['calls'] * 1e6:.2f} µs, open {v['open_minutes'] // 60} h")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--ohjs", default=os.environ.get("OPENING_HOURS_JS"),
                        help="a node_modules folder holding opening_hours (default: $OPENING_HOURS_JS)")
    parser.add_argument("--profile", action="store_true", help="cProfile our side, top 25 by own time")
    args = parser.parse_args()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(ours, args.year)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    mine = ours(args.year)
    show(mine)
    show(ours(args.year, chinese=True))
    other = theirs(args.year, args.ohjs)
    if other is None:
        print("opening_hours.js: not run (needs node and --ohjs / OPENING_HOURS_JS pointing at node_modules)")
        return
    show(other)
    if mine["intervals"] != other["intervals"]:
        print(f"NOTE: interval counts differ ({mine['intervals']} vs {other['intervals']})")
    mine_call = sum(v["seconds"] for v in mine["is_open"].values()) / sum(v["calls"] for v in mine["is_open"].values())
    other_call = (sum(v["seconds"] for v in other["is_open"].values())
                  / sum(v["calls"] for v in other["is_open"].values()))
    print(f"ratio ours/theirs: intervals first run {mine['first_intervals_s'] / other['first_intervals_s']:.2f}×, "
          f"best {mine['intervals_s'] / other['intervals_s']:.2f}× (node's JIT warms over the runs), "
          f"is_open {mine_call / other_call:.2f}× (below 1: ours faster)")


if __name__ == "__main__":
    main()
