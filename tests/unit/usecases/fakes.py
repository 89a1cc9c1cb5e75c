"""In-memory fakes of the ports in hotline/ports.py (as Architecture Patterns with Python does).

Each fake keeps the adapter's observable behaviour (the queue orders by priority, then
arrival; a repeated enqueue keeps the first place; a call hash holds strings) without
Redis or a database, so the use cases' logic is tested in milliseconds. The adapters
themselves are proven against real Redis and PostgreSQL in tests/integration.
Areas add their own fakes in modules beside this one (fakes_<area>.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from hotline.ports import Presence, RecordOp, Waiting

UTC = timezone.utc


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime(2026, 10, 12, 10, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta) -> datetime:
        self.at += timedelta(**delta)
        return self.at


class FakeRecords:
    """RecordSink: keeps every op; `applied` replays them with the dedup rule of the store."""

    def __init__(self) -> None:
        self.ops: list[RecordOp] = []

    def submit(self, op: RecordOp) -> None:
        self.ops.append(op)

    def kinds(self, call_sid: str | None = None) -> list[str]:
        return [op.kind for op in self.ops if call_sid is None or op.call_sid == call_sid]

    def applied(self) -> list[RecordOp]:
        """Ops as the store keeps them: one per (call, dedup key), the first one."""
        seen, kept = set(), []
        for op in self.ops:
            if (op.call_sid, op.dedup_key) not in seen:
                seen.add((op.call_sid, op.dedup_key))
                kept.append(op)
        return kept


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _from_ms(value) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


class FakeQueues:
    """CallQueues: per line an order of (−priority, arrival ms, arrival sequence)."""

    def __init__(self, records: FakeRecords | None = None) -> None:
        self.calls: dict[str, dict[str, str]] = {}
        self.lines: dict[str, set[str]] = {}
        self.sequence = 0
        self.records = records   # where a change recorded with an enqueue goes (QueueStore's carrier)

    def _order(self, line_id: str) -> list[str]:
        def key(sid):
            state = self.calls[sid]
            return (-int(state.get("priority", 0)), int(state["arrived_ms"]), int(state["seq"]))
        return sorted(self.lines.get(line_id, ()), key=key)

    def enqueue(self, call_sid: str, line_id: str, priority: int, at: datetime, *, record: RecordOp | None = None,
                **fields) -> Waiting:
        if record is not None and self.records is None:
            raise ValueError("FakeQueues built without records= cannot record with an enqueue")
        state = self.calls.setdefault(call_sid, {})
        previous = state.get("line", "")
        if not state.get("arrived_ms"):
            self.sequence += 1
            state.update(arrived_ms=str(_ms(at)), seq=str(self.sequence))
        if previous and previous != line_id:
            self.lines.get(previous, set()).discard(call_sid)
        if previous != line_id:
            state["enqueued_ms"] = str(_ms(at))
        if call_sid not in self.lines.get(line_id, set()):
            state["priority"] = str(priority)
        state.update(line=line_id, **{k: "" if v is None else str(v) for k, v in fields.items()})
        self.lines.setdefault(line_id, set()).add(call_sid)
        if record is not None:
            self.records.submit(record)
        return self.position(call_sid)

    def position(self, call_sid: str) -> Waiting | None:
        state = self.calls.get(call_sid, {})
        line_id = state.get("line")
        if not line_id or call_sid not in self.lines.get(line_id, set()):
            return None
        order = self._order(line_id)
        return Waiting(call_sid, line_id, order.index(call_sid) + 1, len(order), int(state.get("priority", 0)),
                       _from_ms(state["arrived_ms"]), _from_ms(state.get("enqueued_ms", state["arrived_ms"])))

    def remove(self, call_sid: str) -> str | None:
        line_id = self.calls.get(call_sid, {}).get("line")
        if line_id and call_sid in self.lines.get(line_id, set()):
            self.lines[line_id].discard(call_sid)
            return line_id
        return None

    def call_state(self, call_sid: str) -> dict[str, str]:
        return dict(self.calls.get(call_sid, {}))

    def annotate(self, call_sid: str, **fields) -> None:
        self.calls.setdefault(call_sid, {}).update({k: "" if v is None else str(v) for k, v in fields.items()})

    def lengths(self, line_ids) -> dict[str, int]:
        return {line_id: len(self.lines.get(line_id, ())) for line_id in line_ids}

    def waiting(self, line_id: str) -> list[str]:
        return self._order(line_id)


class FakePresences:
    """Presences: counselor id → Presence."""

    def __init__(self) -> None:
        self.by_id: dict[int, Presence] = {}

    def get(self, counselor_id: int) -> Presence | None:
        return self.by_id.get(counselor_id)

    def set(self, presence: Presence) -> None:
        self.by_id[presence.counselor_id] = presence

    def all(self) -> list[Presence]:
        return list(self.by_id.values())

    def update_profile(self, counselor_id: int, name: str, lines: tuple[str, ...]) -> None:
        if counselor_id in self.by_id:
            self.by_id[counselor_id] = replace(self.by_id[counselor_id], name=name, lines=lines)


@dataclass
class FakeEvents:
    """Events: what was published, to which rooms."""

    sent: list[tuple[str, dict, tuple[str, ...]]] = field(default_factory=list)

    def publish(self, event: str, payload: dict, rooms) -> None:
        self.sent.append((event, dict(payload), tuple(rooms)))

    def named(self, event: str) -> list[dict]:
        return [payload for name, payload, _ in self.sent if name == event]


class FakeKeyring:
    """Keyring: readable, reversible 'encryption' so tests can see what was stored."""

    def __init__(self, generation: str = "k1", older: tuple[str, ...] = ()) -> None:
        self.generation = generation
        self.older = older

    def caller_key(self, e164: str) -> str:
        return f"{self.generation}:{e164[::-1]}"

    def caller_key_candidates(self, e164: str) -> list[str]:
        return [f"{g}:{e164[::-1]}" for g in (self.generation, *self.older)]

    def encrypt(self, text: str) -> str:
        return f"enc[{self.generation}]:{text}"

    def decrypt(self, token: str) -> str:
        prefix, _, text = token.partition("]:")
        if not prefix.startswith("enc["):
            raise ValueError("not a token")
        return text

    def rotate(self, token: str) -> str:
        return self.encrypt(self.decrypt(token))

    def is_current(self, token: str) -> bool:
        return token.startswith(f"enc[{self.generation}]:")


@dataclass
class FakeCallControl:
    """CallControl: the REST commands a use case gave, in order."""

    commands: list[tuple] = field(default_factory=list)
    fail: bool = False

    def _do(self, *command) -> None:
        if self.fail:
            raise ConnectionError("telephony unavailable")
        self.commands.append(command)

    def bridge(self, call_sid: str, queue_sid: str | None, counselor_id: int) -> None:
        self._do("bridge", call_sid, queue_sid, counselor_id)

    def hang_up(self, call_sid: str) -> None:
        self._do("hang_up", call_sid)

    def redirect(self, call_sid: str, path: str) -> None:
        self._do("redirect", call_sid, path)


@dataclass
class FakeJobs:
    """Jobs: what was enqueued (now or later); status as set by the test."""

    queued: list[dict] = field(default_factory=list)
    statuses: dict[str, dict] = field(default_factory=dict)

    def enqueue(self, function: str, *args, queue: str = "default", job_id: str | None = None, **kwargs) -> str:
        job_id = job_id or f"job-{len(self.queued) + 1}"
        self.queued.append({"function": function, "args": args, "kwargs": kwargs, "queue": queue,
                            "id": job_id, "delay": None})
        return job_id

    def enqueue_in(self, delay: timedelta, function: str, *args, queue: str = "default",
                   job_id: str | None = None, **kwargs) -> str:
        job_id = self.enqueue(function, *args, queue=queue, job_id=job_id, **kwargs)
        self.queued[-1]["delay"] = delay
        return job_id

    def status(self, job_id: str) -> dict | None:
        return self.statuses.get(job_id)


@dataclass
class FakeTrigger:
    """DispatchTrigger: counts the pokes."""

    pokes: int = 0

    def poke(self) -> None:
        self.pokes += 1
