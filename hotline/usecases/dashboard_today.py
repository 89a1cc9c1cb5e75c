"""Today's figures for the supervisor's dashboard, counted from the call record.

Counted from the database (not from Redis counters) so that every process, the
dashboard, /metrics and a later report agree on one source of truth, and so that
a restart loses nothing. "Today" is the calendar day in the service's time zone;
a call belongs to the day it arrived.

Per line, a call counts as *offered* to each line whose queue it entered (a
rolled-over caller is offered to both lines, and counts as *rolled over* for the
first); answered and abandoned go to the line where the call ended up. Overall,
each call counts once.

Service level, as contact centers count it: of the calls that reached a queue, those
answered within the line's threshold T, divided by those answered plus those abandoned
after T. A caller who hung up within T is left out of the denominator (they gave up
before the center could fairly have answered). An answered call with no recorded wait
counts as answered late, an abandoned one with no recorded wait as abandoned after T:
an unknown never flatters the figure. Overall, each call is judged by its own line's T.
The same figures are given for the last hour (calls that arrived in the 60 minutes up
to now, across midnight), so a supervisor sees the trend, not only the day.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Mapping
from zoneinfo import ZoneInfo

from hotline.ports import DayCall, QueueEntry, TodayRecords
from hotline.routing.directory import Directory

DEFAULT_ZONE = "Asia/Shanghai"
FINISHED = frozenset({"ended", "closed"})
DEFAULT_SERVICE_LEVEL_S = 20
LAST_HOUR = timedelta(hours=1)


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
    answered_within: int = 0          # answered with a wait of at most T
    abandoned_within: int = 0         # hung up within T: left out of the service level
    service_level_s: int | None = None   # T (None overall when the lines' thresholds differ)

    def payload(self, hourly: bool = True) -> dict:
        figures = {"offered": self.offered, "answered": self.answered, "abandoned": self.abandoned,
                   "rolled_over": self.rolled_over, "voicemail": self.voicemail,
                   "answer_rate": round(self.answered / self.offered, 4) if self.offered else None,
                   "asa_s": _mean(self.waits), "avg_talk_s": _mean(self.talks),
                   "service_level": self.service_level, "service_level_s": self.service_level_s,
                   "answered_within": self.answered_within, "abandoned_within": self.abandoned_within}
        if hourly:
            figures["hourly"] = {"offered": list(self.hourly_offered), "answered": list(self.hourly_answered)}
        return figures

    @property
    def service_level(self) -> float | None:
        """answered within T / (answered + abandoned after T); None with no such call."""
        counted = self.answered + self.abandoned - self.abandoned_within
        return round(self.answered_within / counted, 4) if counted else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def today_counters(records: TodayRecords, line_ids, now: datetime, zone: ZoneInfo,
                   thresholds: Mapping[str, int] | None = None,
                   default_threshold: int = DEFAULT_SERVICE_LEVEL_S) -> dict:
    """{"date", "zone", "start", "overall": {...}, "lines": {line_id: {...}}}; each of
    overall and the lines carries "last_hour" (the same figures, without the hourly chart).
    `thresholds`: a line's own service-level threshold T in seconds, else `default_threshold`."""
    start, end = day_bounds(now, zone)
    hour_start = now - LAST_HOUR
    calls = records.calls(min(start, hour_start), end)
    entries = records.queue_entries(min(start, hour_start), end)
    line_ids = list(line_ids)
    threshold = _threshold_for(thresholds or {}, default_threshold)
    day = _tally(_since(calls, entries, start), line_ids, zone, threshold)
    hour = _tally(_since(calls, entries, hour_start), line_ids, zone, threshold)
    shared = {threshold(line_id) for line_id in line_ids} or {default_threshold}
    for overall, lines in (day, hour):
        overall.service_level_s = next(iter(shared)) if len(shared) == 1 else None
        for line_id, counts in lines.items():
            counts.service_level_s = threshold(line_id)
    return {"date": start.date().isoformat(), "zone": zone.key, "start": start.isoformat(),
            "overall": day[0].payload() | {"last_hour": hour[0].payload(hourly=False)},
            "lines": {k: v.payload() | {"last_hour": hour[1][k].payload(hourly=False)} for k, v in day[1].items()}}


def _threshold_for(thresholds: Mapping[str, int], default: int) -> Callable[[str | None], int]:
    return lambda line_id: thresholds.get(line_id or "", default)


def _since(calls: list[DayCall], entries: list[QueueEntry], start: datetime):
    """The calls (and their queue entries) that arrived at or after `start`."""
    kept = [c for c in calls if c.received_at >= start]
    ids = {c.id for c in kept}
    return kept, [e for e in entries if e.call_id in ids]


def _tally(window, line_ids: list[str], zone: ZoneInfo,
           threshold: Callable[[str | None], int]) -> tuple[DayCounts, dict[str, DayCounts]]:
    calls, entries = window
    overall, lines = DayCounts(), {line_id: DayCounts() for line_id in line_ids}
    offered_ids = _count_entries(entries, overall, lines, zone)
    _count_outcomes([c for c in calls if c.id in offered_ids], overall, lines, zone, threshold)
    return overall, lines


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


def _count_outcomes(calls: list[DayCall], overall: DayCounts, lines: dict[str, DayCounts], zone: ZoneInfo,
                    threshold: Callable[[str | None], int]) -> None:
    """Outcomes of the calls that reached a queue (not those routed away at once)."""
    for call in calls:
        targets = [overall] + ([lines[call.line_id]] if call.line_id in lines else [])
        for counts in targets:
            _count_call(counts, call, zone, threshold(call.line_id))


def _count_call(counts: DayCounts, call: DayCall, zone: ZoneInfo, threshold_s: int) -> None:
    within = call.wait_seconds is not None and call.wait_seconds <= threshold_s
    if call.answered_at is not None:
        counts.answered += 1
        counts.answered_within += within
        counts.hourly_answered[call.answered_at.astimezone(zone).hour] += 1
        if call.wait_seconds is not None:
            counts.waits.append(call.wait_seconds)
        if call.talk_seconds is not None:
            counts.talks.append(call.talk_seconds)
    elif call.outcome == "abandoned" or (call.outcome is None and call.status in FINISHED):
        counts.abandoned += 1   # hung up while waiting, or while a counselor's console rang
        counts.abandoned_within += within
    elif call.outcome == "voicemail":
        counts.voicemail += 1
