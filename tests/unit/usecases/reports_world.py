"""A small directory and builders shared by the reports use-case tests (test_reports_*.py)."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from hotline.reports.periods import period_ending
from hotline.routing.directory_loader import parse_directory
from hotline.usecases.reports import ReportCalculator, ReportJobs, Reports
from tests.unit.usecases.fakes import FakeClock
from tests.unit.usecases.fakes_reports import FakeReports, FakeScheduledJobs, FakeStoreError

EAST, NORTH, WEST = "+862887577510", "+862885422114", "+869911234567"
DIRECTORY = parse_directory({"version": 1, "timezone": "Asia/Shanghai", "lines": [
    {"id": "east", "name": "东线", "name_en": "East line", "level": "city", "hosted": True,
     "numbers": [{"number": "028-87577510", "schedule": "周一至周日，24小时"}]},
    {"id": "north", "name": "北线", "name_en": "North line", "level": "city", "hosted": False,
     "numbers": [{"number": "028-85422114", "schedule": "周一至周日，9:00-21:00"}]},
    {"id": "west", "name": "西线", "level": "city", "hosted": True, "timezone": "Asia/Urumqi",
     "numbers": [{"number": "0991-1234567", "schedule": "周一至周日，24小时"}]},
]})
SHANGHAI, URUMQI = ZoneInfo("Asia/Shanghai"), ZoneInfo("Asia/Urumqi")
DAY = period_ending("day", datetime(2026, 10, 14).date())          # a Wednesday
AFTER = datetime(2026, 10, 20, tzinfo=timezone.utc)                # well after the day, in every zone


def at(day: int, hh: int, mm: int = 0, ss: int = 0, tz: ZoneInfo = SHANGHAI, month: int = 10) -> datetime:
    """A local time of October 2026, as UTC."""
    return datetime(2026, month, day, hh, mm, ss, tzinfo=tz).astimezone(timezone.utc)


def reports_over(store: FakeReports, clock: FakeClock | None = None, decrypt=None, forms=None) -> Reports:
    clock = clock or FakeClock(AFTER)
    calculator = ReportCalculator(store, DIRECTORY, clock, decrypt)
    return Reports(calculator, store, DIRECTORY, clock, forms, store_errors=(FakeStoreError,))


def jobs_over(store: FakeReports, jobs: FakeScheduledJobs | None = None, clock: FakeClock | None = None,
              wall: FakeClock | None = None) -> ReportJobs:
    clock = clock or FakeClock(AFTER)
    return ReportJobs(reports_over(store, clock), store, jobs if jobs is not None else FakeScheduledJobs(), clock,
                      wall or clock, job_prefix="hl:test")

