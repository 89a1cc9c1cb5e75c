"""Generated months of calls, written as the call record would hold them.

Used by the report tests (whose oracle recomputes every figure from these plain
objects, one call at a time), by `scripts/bench_reports.py` (100,000 calls for the
18 lines) and for demos. Each call becomes a `calls` row plus the events the voice
flow and the console write (received, queued, rolled_over, transferred, answered,
talk_ended, wrap_up_ended, abandoned, voicemail, nothing_open), inserted in bulk.
Caller keys are random hex strings from a pool, never derived from numbers.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Sequence

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from hotline.reports.windows import zone
from hotline.store.models import Call, CallEvent

HOUR_WEIGHTS = (2, 1, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 5, 5, 6, 6, 6, 6, 7, 8, 9, 9, 7, 4)


@dataclass(frozen=True)
class SyntheticCall:
    """One call as the record ends up: its path through queues and how it ended."""

    call_sid: str
    dialled_line: str
    dialled_number: str
    caller_key: str
    received_at: datetime
    outcome: str                              # answered | abandoned | voicemail | transferred | info_only
    path: tuple[str, ...] = ()                # queues joined, in order (a rollover between each)
    transfer_to: str | None = None            # the line a routing transfer sent the call to
    wait_seconds: float | None = None
    talk_seconds: float | None = None
    wrap_seconds: float | None = None         # time from talk end to available, when recorded
    counselor_id: int | None = None

    @property
    def line_id(self) -> str | None:
        """What calls.line_id holds: the last queue joined."""
        return self.path[-1] if self.path else None

    @property
    def rollovers(self) -> int:
        return max(len(self.path) - 1, 0) + (1 if self.path and self.transfer_to else 0)

    @property
    def answered_at(self) -> datetime | None:
        if self.outcome != "answered":
            return None
        return self.received_at + timedelta(seconds=self.wait_seconds or 0)

    @property
    def ended_at(self) -> datetime | None:
        if self.outcome == "answered":
            return self.answered_at + timedelta(seconds=self.talk_seconds or 0)
        if self.outcome == "abandoned":
            return self.received_at + timedelta(seconds=self.wait_seconds or 0)
        return None


@dataclass(frozen=True)
class LineSpec:
    id: str
    numbers: tuple[str, ...]
    weight: float = 1.0


@dataclass
class Generator:
    """Deterministic calls for given lines over the local dates first..last."""

    lines: Sequence[LineSpec]
    first: date
    last: date
    tz: str = "Asia/Shanghai"
    seed: int = 20261001
    wrap_up_share: float = 0.5
    callers: int | None = None
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def calls(self, count: int) -> list[SyntheticCall]:
        pool = self.callers or max(count * 2 // 3, 1)
        keys = [f"{self._rng.getrandbits(128):032x}" for _ in range(pool)]
        return [self._call(n, keys) for n in range(count)]

    def _call(self, n: int, keys: list[str]) -> SyntheticCall:
        rng = self._rng
        line = rng.choices(self.lines, weights=[spec.weight for spec in self.lines])[0]
        caller = "anonymous" if rng.random() < 0.02 else rng.choice(keys)
        base = dict(call_sid=f"CA{self.seed:08d}{n:024d}"[-34:], dialled_line=line.id,
                    dialled_number=rng.choice(line.numbers), caller_key=caller, received_at=self._instant())
        roll = rng.random()
        if roll < 0.03:
            return SyntheticCall(**base, outcome="info_only")
        if roll < 0.07:
            return SyntheticCall(**base, outcome="transferred", transfer_to=self._other(line.id))
        return self._queued(base, line.id)

    def _queued(self, base: dict, first_line: str) -> SyntheticCall:
        rng = self._rng
        path = [first_line]
        while rng.random() < 0.08 and len(path) < 3:
            path.append(self._other(*path))
        if len(path) > 1 and rng.random() < 0.1:
            return SyntheticCall(**base, outcome="transferred", path=tuple(path), transfer_to=self._other(*path),
                                 wait_seconds=None)
        roll = rng.random()
        if roll < 0.70:
            wait = round(min(rng.expovariate(1 / 25), 88.0) + 90 * (len(path) - 1), 1)
            wrap = round(rng.uniform(10, 180), 1) if rng.random() < self.wrap_up_share else None
            return SyntheticCall(**base, outcome="answered", path=tuple(path), wait_seconds=wait,
                                 talk_seconds=round(rng.uniform(60, 1800), 1), wrap_seconds=wrap,
                                 counselor_id=rng.randint(1, 60))
        if roll < 0.93:
            wait = round(rng.uniform(0, 8) if rng.random() < 0.25 else rng.uniform(5, 150), 1)
            return SyntheticCall(**base, outcome="abandoned", path=tuple(path), wait_seconds=wait)
        return SyntheticCall(**base, outcome="voicemail", path=tuple(path), wait_seconds=round(rng.uniform(10, 80), 1))

    def _instant(self) -> datetime:
        rng = self._rng
        day = self.first + timedelta(days=rng.randrange((self.last - self.first).days + 1))
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60),
                         rng.randrange(1_000_000), tzinfo=zone(self.tz))
        return local.astimezone(timezone.utc)

    def _other(self, *tried: str) -> str:
        """Another line, never one already tried (routing never sends a caller back)."""
        others = [spec.id for spec in self.lines if spec.id not in tried]
        return self._rng.choice(others) if others else tried[-1]


def lines_of(directory, hosted_only: bool = False) -> list[LineSpec]:
    """LineSpecs from a Directory: every line with at least one number."""
    return [LineSpec(line.id, tuple(n.e164 for n in line.numbers)) for line in directory
            if line.numbers and (line.hosted or not hosted_only)]


# --- rows -------------------------------------------------------------------------------
FINAL_STATUS = {"answered": "ended", "abandoned": "abandoned", "voicemail": "voicemail",
                "transferred": "transferred", "info_only": "info_only"}


def call_row(call: SyntheticCall) -> dict:
    return dict(call_sid=call.call_sid, line_id=call.line_id, dialled_number=call.dialled_number,
                caller_key=call.caller_key, caller_region=None, status=FINAL_STATUS[call.outcome],
                outcome=None if call.outcome == "answered" else call.outcome, priority=0, menu_choice=None,
                routed_to=call.transfer_to, rollovers=call.rollovers, counselor_id=call.counselor_id,
                telephony_status="completed", received_at=call.received_at,
                queued_at=call.received_at + timedelta(seconds=8) if call.path else None,
                offered_at=None, answered_at=call.answered_at, ended_at=call.ended_at, closed_at=None,
                wait_seconds=call.wait_seconds, talk_seconds=call.talk_seconds)


def event_rows(call: SyntheticCall, call_id: int) -> list[dict]:
    """The events the voice flow and console would have written for this call."""
    at = call.received_at
    events = [("received", "received", at, {})]
    for index, line_id in enumerate(call.path):
        if index:
            previous = call.path[index - 1]
            events.append(("rolled_over", f"rollover:{previous}", at, {"from": previous}))
        events.append(("queued", f"queued:{line_id}", at, {"line": line_id}))
        at = at + timedelta(seconds=1)
    if call.transfer_to:
        if call.path:
            events.append(("rolled_over", f"rollover:{call.path[-1]}", at, {"from": call.path[-1]}))
        events.append(("transferred", f"transfer:{call.transfer_to}", at, {"to": call.transfer_to}))
    events += _ending(call)
    return [dict(call_id=call_id, kind=kind, dedup_key=key, at=when, detail=detail)
            for kind, key, when, detail in events]


def _ending(call: SyntheticCall) -> list[tuple]:
    if call.outcome == "answered":
        events = [("answered", "answered", call.answered_at, {}), ("talk_ended", "talk_ended", call.ended_at, {})]
        if call.wrap_seconds is not None:
            events.append(("wrap_up_ended", "wrap_up_ended", call.ended_at + timedelta(seconds=call.wrap_seconds), {}))
        return events
    if call.outcome == "abandoned":
        return [("abandoned", "abandoned", call.ended_at, {})]
    if call.outcome == "voicemail":
        return [("voicemail", "voicemail", call.received_at + timedelta(seconds=120), {})]
    if call.outcome == "info_only":
        return [("nothing_open", "nothing_open", call.received_at, {})]
    return []


def insert_calls(session: Session, calls: Iterable[SyntheticCall], batch: int = 5000) -> int:
    """Bulk insert calls and their events (a few statements per `batch` calls; on PostgreSQL
    the events, four or five per call, go through COPY)."""
    calls, written = list(calls), 0
    table = Call.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    for start in range(0, len(calls), batch):
        chunk = calls[start:start + batch]
        ids = session.execute(statement, [call_row(c) for c in chunk]).scalars().all()
        _insert_events(session, [row for c, i in zip(chunk, ids) for row in event_rows(c, i)])
        written += len(chunk)
    return written


def _insert_events(session: Session, rows: list[dict]) -> None:
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(CallEvent.__table__), rows)
        return
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor.copy("COPY call_events (call_id, kind, dedup_key, at, detail) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((row["call_id"], row["kind"], row["dedup_key"], row["at"], json.dumps(row["detail"])))


def analyse(session: Session) -> None:
    """Refresh the planner's statistics after a bulk load (as a nightly VACUUM ANALYZE would)."""
    session.execute(text("ANALYZE"))
