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

from sqlalchemy import select

from hotline.store.models import Call, CallEvent

DEFAULT_ZONE = "Asia/Shanghai"
FINISHED = frozenset({"ended", "closed"})


def service_zone(directory) -> ZoneInfo:
    """The zone most hosted lines use: one day boundary for the whole dashboard."""
    zones = Counter(line.timezone for line in directory.hosted())
    return ZoneInfo(zones.most_common(1)[0][0] if zones else DEFAULT_ZONE)


def day_bounds(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    local = now.astimezone(zone)
    start = datetime(local.year, local.month, local.day, tzinfo=zone)
    following = start.date() + timedelta(days=1)
    return start, datetime(following.year, following.month, following.day, tzinfo=zone)


@dataclass
class Tally:
    """Counters for one line or for the whole service."""

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


@dataclass(frozen=True)
class CallRow:
    id: int
    line_id: str | None
    received_at: datetime
    answered_at: datetime | None
    status: str
    outcome: str | None
    wait_seconds: float | None
    talk_seconds: float | None


def today_counters(session, line_ids, now: datetime, zone: ZoneInfo) -> dict:
    """{"date", "zone", "start", "overall": {...}, "lines": {line_id: {...}}}."""
    start, end = day_bounds(now, zone)
    calls = [CallRow(*row) for row in session.execute(
        select(Call.id, Call.line_id, Call.received_at, Call.answered_at, Call.status, Call.outcome,
               Call.wait_seconds, Call.talk_seconds).where(Call.received_at >= start, Call.received_at < end))]
    entries = session.execute(
        select(CallEvent.call_id, CallEvent.kind, CallEvent.dedup_key, CallEvent.at)
        .join(Call, Call.id == CallEvent.call_id)
        .where(Call.received_at >= start, Call.received_at < end,
               CallEvent.kind.in_(("queued", "rolled_over")))).all()
    overall, lines = Tally(), {line_id: Tally() for line_id in line_ids}
    offered_ids = _count_entries(entries, overall, lines, zone)
    _count_outcomes([c for c in calls if c.id in offered_ids], overall, lines, zone)
    return {"date": start.date().isoformat(), "zone": zone.key, "start": start.isoformat(),
            "overall": overall.payload(), "lines": {k: v.payload() for k, v in lines.items()}}


def _count_entries(entries, overall: Tally, lines: dict[str, Tally], zone: ZoneInfo) -> set[int]:
    """Queue entries: offered per line (and per hour), rollovers from a line.
    Returns the ids of the calls that reached a queue at all."""
    queued_calls: dict[int, datetime] = {}
    rolled_calls: set[int] = set()
    for call_id, kind, dedup_key, at in entries:
        line_id = dedup_key.partition(":")[2]
        tally = lines.get(line_id)
        if kind == "queued":
            queued_calls[call_id] = min(at, queued_calls.get(call_id, at))
            if tally is not None:
                tally.offered += 1
                tally.hourly_offered[at.astimezone(zone).hour] += 1
        elif kind == "rolled_over":
            rolled_calls.add(call_id)
            if tally is not None:
                tally.rolled_over += 1
    overall.offered = len(queued_calls)
    overall.rolled_over = len(rolled_calls & queued_calls.keys())
    for at in queued_calls.values():
        overall.hourly_offered[at.astimezone(zone).hour] += 1
    return set(queued_calls)


def _count_outcomes(calls: list[CallRow], overall: Tally, lines: dict[str, Tally], zone: ZoneInfo) -> None:
    """Outcomes of the calls that reached a queue (not those routed away at once)."""
    for call in calls:
        targets = [overall] + ([lines[call.line_id]] if call.line_id in lines else [])
        for tally in targets:
            _count_call(tally, call, zone)


def _count_call(tally: Tally, call: CallRow, zone: ZoneInfo) -> None:
    if call.answered_at is not None:
        tally.answered += 1
        tally.hourly_answered[call.answered_at.astimezone(zone).hour] += 1
        if call.wait_seconds is not None:
            tally.waits.append(call.wait_seconds)
        if call.talk_seconds is not None:
            tally.talks.append(call.talk_seconds)
    elif call.outcome == "abandoned" or (call.outcome is None and call.status in FINISHED):
        tally.abandoned += 1   # hung up while waiting, or while a counselor's console rang
    elif call.outcome == "voicemail":
        tally.voicemail += 1
