"""Small shared pieces of the roster use cases: errors, the clock, committing a change.

Every change goes through `changed()`: it runs in one transaction with its audit
row, and only after the commit bumps the roster version, so no process ever sees
a version for a change that was rolled back.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.shifts._time import DEFAULT_TZ, local_midnight
from hotline.live.roster_version import bump


class RosterProblem(ValueError):
    """A request the roster cannot carry out as asked; the message is "中文 / English"."""

    def __init__(self, message: str, violations: list[str] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []


@contextmanager
def changed(services, roster_moved: bool = True):
    """A session for one change; commits, then (if shifts moved) tells every process."""
    with services.db.session() as session:
        yield session
    if roster_moved:
        bump(services)


def home_zone(services) -> ZoneInfo:
    """The zone roster dates are read in: the directory's (first hosted line's) or the default."""
    hosted = [line for line in services.directory if line.hosted]
    return ZoneInfo(hosted[0].timezone if hosted else DEFAULT_TZ)


def today(services) -> date:
    return services.now().astimezone(home_zone(services)).date()


def day_bounds(services, first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, last+1 00:00) in the home zone."""
    tz = str(home_zone(services))
    return local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz)


def check_range(first: date, last: date, max_days: int = 3 * 366) -> None:
    if last < first:
        raise RosterProblem(f"结束日期 {last} 早于开始日期 {first} / end date {last} is before start date {first}")
    if (last - first).days + 1 > max_days:
        raise RosterProblem(f"日期范围过长（最多 {max_days} 天） / date range too long (at most {max_days} days)")


def parse_date(text: str | None, zh: str, en: str) -> date:
    """A YYYY-MM-DD field, or a RosterProblem naming the field."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise RosterProblem(f"{zh}的日期格式应为 YYYY-MM-DD：{text!r} / "
                            f"{en} must be a date YYYY-MM-DD: {text!r}") from None
