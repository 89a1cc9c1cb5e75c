"""The nightly reports run: its settings, its next time, and the ids of its scheduled jobs.

The settings (local time, on/off) are a row an admin edits; the next run is the first
instant strictly after now at that wall-clock time in the schedule's zone, so the chain
of nights stays anchored to the local clock across DST (a fixed 24 h repeat would
drift). Each scheduled run has the id `<prefix>-reports-nightly-<UTC time>`, so
registering twice is harmless and a stale registration is recognised.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from hotline.reports.periods import KINDS
from hotline.reports.windows import zone

NIGHTLY_KINDS = KINDS                  # day, week and month ending yesterday
DEFAULT_RUN_AT = "02:30"
DEFAULT_TZ = "Asia/Shanghai"
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class NightlySchedule:
    """The nightly reports job: when it runs (local time), whether it is on, how it last went."""

    enabled: bool = True
    run_at: str = DEFAULT_RUN_AT                  # HH:MM
    timezone: str = DEFAULT_TZ
    updated_at: datetime | None = None
    updated_by: int | None = None
    last_run_at: datetime | None = None
    last_status: str | None = None               # ok | failed
    last_message: str | None = None


def parse_run_at(text: str) -> str:
    """HH:MM (a single-digit hour is padded), or a bilingual ValueError naming the input."""
    value = (text or "").strip()
    if len(value) == 4 and value[1] == ":":
        value = "0" + value
    if not _HHMM.match(value):
        raise ValueError(f"时间应为 HH:MM（00:00–23:59）：{text!r} / the time must be HH:MM (00:00–23:59): {text!r}")
    return value


def next_run(after: datetime, run_at: str, tz: str) -> datetime:
    """The first instant strictly after `after` at local time run_at in zone tz (UTC)."""
    hour, minute = (int(part) for part in parse_run_at(run_at).split(":"))
    local = after.astimezone(zone(tz))
    for days in range(0, 3):
        day = local.date() + timedelta(days=days)
        candidate = datetime.combine(day, time(hour, minute), zone(tz)).astimezone(timezone.utc)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable")


def nightly_end(planned: datetime, tz: str) -> date:
    """The last date the night planned for `planned` reports on: the local day before."""
    return planned.astimezone(zone(tz)).date() - timedelta(days=1)


def nightly_prefix(job_prefix: str) -> str:
    """The id prefix of this deployment's nightly runs (its Redis prefix, made id-safe)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", job_prefix) + "-reports-nightly-"


def nightly_job_id(job_prefix: str, at: datetime) -> str:
    return nightly_prefix(job_prefix) + at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M")
