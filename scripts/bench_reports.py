"""Benchmark the reports: a month of 100,000 calls on the 18 lines, computed in seconds.

Generates the calls (with their events), triage records for 40 % of the answered
calls and a roster for the hosted lines, bulk-inserts them into a fresh SQLite file
(and a fresh PostgreSQL database when HOTLINE_TEST_POSTGRES_URL is set, dropped
afterwards), then times the report computation: the month for all lines (with each
step), the month for one line, the week and the day. Prints timings; asserts nothing.

    .venv/bin/python scripts/bench_reports.py [--calls 100000] [--keep /tmp/bench.db]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline.reports.periods import period_ending  # noqa: E402
from hotline.devtools.synthetic_calls import Generator, analyse, insert_calls, lines_of  # noqa: E402
from hotline.devtools.synthetic_records import (SyntheticSlot, insert_roster, insert_triage, roster_for,  # noqa: E402
                                               triage_for)
from hotline.routing.directory_loader import load_directory  # noqa: E402
from hotline.bootstrap import Adapters, Hotline  # noqa: E402
from tests.servers import scratch_database  # noqa: E402
from hotline.settings import testing_settings  # noqa: E402

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)
SLOTS = [SyntheticSlot("cd-night", "chengdu", "00:00", "08:00"),
         SyntheticSlot("cd-day", "chengdu", "08:00", "16:00", 2),
         SyntheticSlot("cd-evening", "chengdu", "16:00", "24:00"),
         SyntheticSlot("gx-day", "chengdu-gaoxin", "09:00", "21:00"),
         SyntheticSlot("sc-day", "sichuan", "08:00", "18:00")]


def timed(label: str, fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    elapsed = time.perf_counter() - started
    print(f"  {label:<38} {elapsed:7.2f} s", flush=True)
    return result, elapsed


def load(services, calls, triage, shifts) -> None:
    with services.db.session() as session:
        insert_calls(session, calls)
        insert_triage(session, triage, services.keyring.encrypt)
        insert_roster(session, SLOTS, shifts, datetime.now(timezone.utc))
    with services.db.session() as session:
        analyse(session)


def steps_printer():
    started = time.perf_counter()
    last = [started]

    def progress(done: int, total: int, message: str) -> None:
        now = time.perf_counter()
        print(f"      {done}/{total} {message:<40} {now - last[0]:6.2f} s", flush=True)
        last[0] = now
    return progress


def bench(name: str, url: str, directory, calls, triage, shifts, tmp: Path) -> dict:
    from hotline.store.migrate import upgrade

    print(f"\n{name}: {url.split('@')[-1]}", flush=True)
    upgrade(url)
    services = Adapters(testing_settings(tmp, database_url=url))
    services.__dict__["directory"] = directory
    compute = Hotline(services).reports.compute
    _, inserted = timed(f"bulk insert ({len(calls):,} calls)", load, services, calls, triage, shifts)
    month = period_ending("month", LAST)
    timings = {"insert": inserted}
    print("  month, all lines, step by step:")
    report, timings["month_all"] = timed("month, 18 lines + overall", compute, month, None, steps_printer())
    _, timings["month_all_again"] = timed("month, 18 lines + overall (again)", compute, month)
    _, timings["month_one"] = timed("month, one line (chengdu)", compute, month, "chengdu")
    _, timings["week_all"] = timed("week, all lines", compute, period_ending("week", LAST))
    _, timings["day_all"] = timed("day, all lines", compute, period_ending("day", LAST))
    print(f"  offered {report.overall.values['offered']:.0f}, answered {report.overall.values['answered']:.0f}, "
          f"assessments {report.overall.values['assessments']:.0f}, "
          f"staffed hours {report.overall.values['staffed_hours']:.0f}", flush=True)
    services.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--keep", metavar="PATH", help="write the SQLite database here and keep it")
    args = parser.parse_args()
    directory = load_directory(ROOT / "config" / "lines.yaml")
    print(f"Reports benchmark: {len(directory)} lines, {args.calls:,} calls, {FIRST} – {LAST}", flush=True)
    calls, _ = timed("generate calls", Generator(lines_of(directory), FIRST, LAST).calls, args.calls)
    triage, _ = timed("generate triage records", triage_for, calls)
    shifts, _ = timed("generate the roster", roster_for, SLOTS, date(2026, 9, 1), date(2026, 11, 30))
    print(f"  {len(triage.assessments):,} assessments, {len(triage.referrals):,} referrals, "
          f"{len(triage.follow_ups):,} follow-ups, {len(shifts):,} shifts", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.db"
        if path.exists():
            path.unlink()
        results["sqlite"] = bench("SQLite", f"sqlite:///{path}", directory, calls, triage, shifts, Path(tmp))
        server = os.environ.get("HOTLINE_TEST_POSTGRES_URL")
        if server:
            with scratch_database(server, f"hotline_bench_{uuid.uuid4().hex[:10]}") as url:
                results["postgresql"] = bench("PostgreSQL", url, directory, calls, triage, shifts, Path(tmp))
        else:
            print("\n(PostgreSQL skipped: set HOTLINE_TEST_POSTGRES_URL to include it)")
    print("\nsummary (seconds)        month/all  month/1 line  week/all  day/all")
    for backend, t in results.items():
        print(f"  {backend:<22} {t['month_all']:9.2f} {t['month_one']:13.2f} {t['week_all']:9.2f} {t['day_all']:8.2f}")


if __name__ == "__main__":
    main()
