"""Benchmark the stored roster: a year for 4 lines and 60 counselors, on SQLite and PostgreSQL.

The same rotation as scripts/bench_roster.py (three slots a line — day 4 seats,
evening 3, night 2 — and 15 counselors a line on a 15-day cycle), but through the
application layer: load patterns, generate, replace the range's shifts, bulk insert,
check the rules, audit, commit. Then a regeneration of the same year (the replace
path), a year's coverage from the database and an eligibility snapshot build.

    .venv/bin/python scripts/bench_roster_store.py [--year 2026] [--postgres URL] [--redis URL]

PostgreSQL: --postgres (or HOTLINE_TEST_POSTGRES_URL) names a server; a scratch
database is created there and dropped afterwards. Redis: --redis (or
HOTLINE_TEST_REDIS_URL), else the embedded one. Prints timings; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotline.bootstrap import Adapters, Hotline  # noqa: E402
from tests.servers import scratch_database  # noqa: E402
from hotline.settings import testing_settings  # noqa: E402
from hotline.store.migrate import upgrade  # noqa: E402
from hotline.store.rosters import RosterSlot, RotationPatternRow  # noqa: E402
from hotline.store.users import User  # noqa: E402

CYCLE = "NDEOEONDDODOOEO"
SLOT_OF = {"D": "day", "E": "evening", "N": "night", "O": None}
SLOTS = (("day", "08:00", "16:00", 4, "白班", "day"), ("evening", "16:00", "24:00", 3, "中班", "evening"),
         ("night", "00:00", "08:00", 2, "夜班", "night"))


def timed(label: str, fn):
    t0 = time.perf_counter()
    result = fn()
    print(f"  {label:<44} {time.perf_counter() - t0:8.3f} s")
    return result


def seed(services: Adapters, year: int, lines: int = 4, per_line: int = 15) -> None:
    """60 users (a fixed dummy hash: the benchmark is about rosters, not argon2), slots, patterns."""
    now = datetime.now(timezone.utc)
    with services.db.session() as session:
        users = [User(username=f"bench-{n:02d}", display_name=f"咨询师{n:02d}", role="counselor",
                      password_hash="x", lines=[], active=True, created_at=now) for n in range(lines * per_line)]
        session.add_all(users)
        session.flush()
        for n in range(1, lines + 1):
            line = f"l{n}"
            session.add_all(RosterSlot(code=f"{line}-{name}", line_id=line, start_time=s, end_time=e, seats=seats,
                                       label_zh=zh, label_en=en, tz="Asia/Shanghai", active=True)
                            for name, s, e, seats, zh, en in SLOTS)
            members = users[(n - 1) * per_line:n * per_line]
            session.add(RotationPatternRow(
                code=f"{line}-rotation", name=line, start_date=date(year, 1, 1), end_date=None, days="all",
                on_holiday="work", advance_on="every_day", active=True, created_at=now,
                cycle=[f"{line}-{SLOT_OF[c]}" if SLOT_OF[c] else None for c in CYCLE],
                assignees=[{"id": u.username, "members": [u.id], "offset": i} for i, u in enumerate(members)]))


LINES_YAML = """version: 1
timezone: Asia/Shanghai
calendar: cn
lines:
""" + "".join(f"""  - id: l{n}
    name: 基准线路{n}
    name_en: Bench line {n}
    region: 成都市
    level: city
    hosted: true
    numbers:
      - number: "028-8757751{n}"
        schedule: "周一至周日，24小时"
""" for n in range(1, 5))


def run(label: str, database_url: str, redis_url: str, year: int) -> None:
    print(f"{label}:")
    with tempfile.TemporaryDirectory() as tmp:
        lines_file = Path(tmp) / "lines.yaml"
        lines_file.write_text(LINES_YAML, encoding="utf-8")
        settings = testing_settings(Path(tmp), database_url=database_url, redis_url=redis_url,
                                    redis_prefix=f"bench-{uuid.uuid4().hex[:8]}", lines_file=lines_file)
        timed("migrate", lambda: upgrade(database_url))
        services = Adapters(settings)
        hotline = Hotline(services)
        generate_range = hotline.roster_generation.generate_range
        try:
            timed("seed 60 users, 12 slots, 4 patterns", lambda: seed(services, year))
            first, last = date(year, 1, 1), date(year, 12, 31)
            ticks: list[int] = []
            summary = timed("generate + store a year (first time)",
                            lambda: generate_range(first, last, progress=lambda d, t, m: ticks.append(d)))
            again = timed("regenerate the same year (replace)", lambda: generate_range(first, last))
            timed("coverage of the year from the database",
                  lambda: hotline.roster_coverage.report(first, last, ["l1", "l2", "l3", "l4"]))
            at = datetime(year, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))
            timed("eligibility snapshot build", lambda: hotline.staffing._load(at))
            print(f"  shifts {summary['created']} (replaced {again['deleted']} → {again['created']}), "
                  f"unfilled {summary['unfilled']}, violations {summary['violations']}, "
                  f"progress reports {len(ticks)}, in-function time {summary['seconds']} s / {again['seconds']} s")
        finally:
            services.close()
            _clean_redis(redis_url, settings.redis_prefix)


def _clean_redis(url: str, prefix: str) -> None:
    if url == "embedded":
        return
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--postgres", default=os.environ.get("HOTLINE_TEST_POSTGRES_URL"))
    parser.add_argument("--redis", default=os.environ.get("HOTLINE_TEST_REDIS_URL") or "embedded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{tmp}/bench.db", args.redis, args.year)
    if args.postgres:
        with scratch_database(args.postgres, f"hotline_bench_{uuid.uuid4().hex[:10]}") as url:
            run("PostgreSQL", url, args.redis, args.year)
    else:
        print("PostgreSQL: skipped (give --postgres URL or set HOTLINE_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
