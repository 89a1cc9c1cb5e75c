"""Small shared pieces of the roster use cases: the problem they raise, the zone roster dates
are read in, date checks, and announcing a committed change.

A change runs in one unit of work with its audit entry; only after the commit does
`RosterChanges.announce()` tell this process and every other one, so no process ever sees
a version for a change that was rolled back.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from hotline.ports import Clock, RosterVersion
from hotline.shifts._time import DEFAULT_TZ, local_midnight

log = logging.getLogger(__name__)


class RosterProblem(ValueError):
    """A request the roster cannot carry out as asked; the message is "中文 / English"."""

    def __init__(self, message: str, violations: list[str] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []


class LocalSnapshot(Protocol):
    """This process's cached on-call snapshot (RosterEligibility)."""

    def invalidate(self) -> None: ...


class RosterChanges:
    """Announce a committed change that moved shifts: drop this process's snapshot now, then bump
    the roster version every process reads. A Redis outage is logged, not raised: the change is
    already committed, and the other processes' snapshots expire by their TTL anyway."""

    def __init__(self, version: RosterVersion, local: LocalSnapshot | None = None) -> None:
        self.version = version
        self.local = local

    def announce(self) -> None:
        if self.local is not None:
            self.local.invalidate()
        try:
            self.version.bump()
        except Exception as exc:  # noqa: BLE001 — Redis down must not undo a committed change
            log.warning("排班版本未能更新 / roster version not bumped: %s", exc)


def home_zone(directory) -> ZoneInfo:
    """The zone roster dates are read in: the directory's (first hosted line's) or the default."""
    hosted = [line for line in directory if line.hosted] if directory is not None else []
    return ZoneInfo(hosted[0].timezone if hosted else DEFAULT_TZ)


def today(clock: Clock, directory) -> date:
    return clock.now().astimezone(home_zone(directory)).date()


def day_bounds(directory, first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, last+1 00:00) in the home zone."""
    tz = str(home_zone(directory))
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
