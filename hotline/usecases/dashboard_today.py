"""Today's figures for the supervisor's dashboard, counted from the call record.

Counted from the database (not from Redis counters) so that every process, the
dashboard, /metrics and a later report agree on one source of truth, and so that
a restart loses nothing. "Today" is the calendar day in the service's time zone;
a call belongs to the day it arrived.

Per line, a call counts as *offered* to each line whose queue it entered (a
rolled-over caller is offered to both lines, and counts as *rolled over* for the
first); answered and abandoned go to the line where the call ended up. Overall,
each call counts once.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.ports import DayCall, QueueEntry, TodayRecords
from hotline.routing.directory import Directory

DEFAULT_ZONE = "Asia/Shanghai"
FINISHED = frozenset({"ended", "closed"})


def service_zone(directory: Directory) -> ZoneInfo:
    """The zone most hosted lines use: one day boundary for the whole dashboard."""
    zones = Counter(line.timezone for line in directory.hosted())
    return ZoneInfo(zones.most_common(1)[0][0] if zones else DEFAULT_ZONE)


def day_bounds(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    local = now.astimezone(zone)
    start = datetime(local.year, local.month, local.day, tzinfo=zone)
    following = start.date() + timedelta(days=1)
    return start, datetime(following.year, following.month, following.day, tzinfo=zone)


@dataclass
class DayCounts:
    """Today's counters for one line or for the whole service."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    rolled_over: int = 0
    voicemail: int = 0
    waits: list[float] = field(default_factory=list)
    talks: list[float] = field(default_factory=list)
    hourly_offered: list[int] = field(default_factory=lambda: [0] * 24)
    hourly_answered: list[int] = field(default_factory=lambda: [0] * 24)

    def payload(self) -> dict:
        return {"offered": self.offered, "answered": self.answered, "abandoned": self.abandoned,
                "rolled_over": self.rolled_over, "voicemail": self.voicemail,
                "answer_rate": round(self.answered / self.offered, 4) if self.offered else None,
                "asa_s": _mean(self.waits), "avg_talk_s": _mean(self.talks),
                "hourly": {"offered": list(self.hourly_offered), "answered": list(self.hourly_answered)}}


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def today_counters(records: TodayRecords, line_ids, now: datetime, zone: ZoneInfo) -> dict:
    """{"date", "zone", "start", "overall": {...}, "lines": {line_id: {...}}}."""
    start, end = day_bounds(now, zone)
    calls = records.calls(start, end)
    entries = records.queue_entries(start, end)
    overall, lines = DayCounts(), {line_id: DayCounts() for line_id in line_ids}
    offered_ids = _count_entries(entries, overall, lines, zone)
    _count_outcomes([c for c in calls if c.id in offered_ids], overall, lines, zone)
    return {"date": start.date().isoformat(), "zone": zone.key, "start": start.isoformat(),
            "overall": overall.payload(), "lines": {k: v.payload() for k, v in lines.items()}}


def _count_entries(entries: list[QueueEntry], overall: DayCounts, lines: dict[str, DayCounts],
                   zone: ZoneInfo) -> set[int]:
    """Queue entries: offered per line (and per hour), rollovers from a line.
    Returns the ids of the calls that reached a queue at all."""
    queued_calls: dict[int, datetime] = {}
    rolled_calls: set[int] = set()
    for entry in entries:
        line_id = entry.dedup_key.partition(":")[2]
        counts = lines.get(line_id)
        if entry.kind == "queued":
            queued_calls[entry.call_id] = min(entry.at, queued_calls.get(entry.call_id, entry.at))
            if counts is not None:
                counts.offered += 1
                counts.hourly_offered[entry.at.astimezone(zone).hour] += 1
        elif entry.kind == "rolled_over":
            rolled_calls.add(entry.call_id)
            if counts is not None:
                counts.rolled_over += 1
    overall.offered = len(queued_calls)
    overall.rolled_over = len(rolled_calls & queued_calls.keys())
    for at in queued_calls.values():
        overall.hourly_offered[at.astimezone(zone).hour] += 1
    return set(queued_calls)


def _count_outcomes(calls: list[DayCall], overall: DayCounts, lines: dict[str, DayCounts], zone: ZoneInfo) -> None:
    """Outcomes of the calls that reached a queue (not those routed away at once)."""
    for call in calls:
        targets = [overall] + ([lines[call.line_id]] if call.line_id in lines else [])
        for counts in targets:
            _count_call(counts, call, zone)


def _count_call(counts: DayCounts, call: DayCall, zone: ZoneInfo) -> None:
    if call.answered_at is not None:
        counts.answered += 1
        counts.hourly_answered[call.answered_at.astimezone(zone).hour] += 1
        if call.wait_seconds is not None:
            counts.waits.append(call.wait_seconds)
        if call.talk_seconds is not None:
            counts.talks.append(call.talk_seconds)
    elif call.outcome == "abandoned" or (call.outcome is None and call.status in FINISHED):
        counts.abandoned += 1   # hung up while waiting, or while a counselor's console rang
    elif call.outcome == "voicemail":
        counts.voicemail += 1
