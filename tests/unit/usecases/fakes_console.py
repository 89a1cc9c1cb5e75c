"""In-memory fakes of the console area's ports (console_floor.py wires the use cases to them).

FakeOfferSteps keeps the observable rules of the Lua scripts (hotline/live/scripts.py) on
top of the common FakeQueues and FakePresences: every step checks the state it starts
from; an offer is refused (-1) when a caller the dispatcher did not see has joined ahead.
The scripts themselves are proven against real Redis in tests/integration/console.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime

from hotline.ports import HandledCall, Presence, QueuedCall, RingingOffer
from tests.unit.usecases.fakes import FakePresences, FakeQueues


class FakeOfferSteps:
    def __init__(self, queues: FakeQueues, presences: FakePresences) -> None:
        self.queues = queues
        self.presences = presences
        self.offers: dict[str, RingingOffer] = {}
        self.sequence = 1000            # the arrivals counter shared with offers
        self.lock_held_elsewhere = False
        self.after_reading_heads = None  # a hook: something happens between the snapshot and the offers

    def _presence(self, counselor_id: int, state: str, at: datetime, call: str | None) -> None:
        self.presences.set(replace(self.presences.get(counselor_id), state=state, since=at, call=call))

    def make_offer(self, call_sid, line_id, counselor_id, at, expires, seen) -> int:
        order = self.queues.waiting(line_id)
        if call_sid not in order:
            return 0
        for ahead in order[:order.index(call_sid)]:
            if ahead not in seen and self.queues.calls[ahead].get("status") == "queued":
                return -1
        presence = self.presences.get(counselor_id)
        if call_sid in self.offers or presence is None or presence.state != "available":
            return 0
        if self.queues.calls[call_sid].get("status") != "queued":
            return 0
        self._presence(counselor_id, "offered", at, call_sid)
        self.offers[call_sid] = RingingOffer(counselor_id, expires)
        self.sequence += 1
        self.queues.annotate(call_sid, status="offered", offered_to=counselor_id, offer_seq=self.sequence)
        return 1

    def accept(self, call_sid, counselor_id, at) -> bool:
        offer, presence = self.offers.get(call_sid), self.presences.get(counselor_id)
        if offer is None or offer.counselor_id != counselor_id or presence is None:
            return False
        if presence.state != "offered" or presence.call != call_sid:
            return False
        self._presence(counselor_id, "on_call", at, call_sid)
        del self.offers[call_sid]
        self.queues.remove(call_sid)
        self.queues.annotate(call_sid, status="on_call", counselor=counselor_id, answered_s=f"{at.timestamp():.3f}")
        return True

    def _forget_offer(self, call_sid: str, counselor_id: int, at: datetime, next_state: str) -> None:
        del self.offers[call_sid]
        for name in ("offered_to", "offer_seq"):
            self.queues.calls[call_sid].pop(name, None)
        presence = self.presences.get(counselor_id)
        if presence and presence.state == "offered" and presence.call == call_sid:
            self._presence(counselor_id, next_state, at, None)

    def withdraw(self, call_sid, counselor_id, at, next_state, declined) -> bool:
        offer = self.offers.get(call_sid)
        if offer is None or offer.counselor_id != counselor_id:
            return False
        self._forget_offer(call_sid, counselor_id, at, next_state)
        state = self.queues.calls[call_sid]
        if state.get("status") == "offered":
            state["status"] = "queued"
        if declined:
            state["declined"] = state.get("declined", "") + f",{counselor_id}"
        return True

    def leave(self, call_sid, at, reason) -> tuple[bool, int | None]:
        state = self.queues.calls.setdefault(call_sid, {})
        if state.get("status") in ("on_call", "ended"):
            return False, None
        offer = self.offers.get(call_sid)
        if offer is not None:
            self._forget_offer(call_sid, offer.counselor_id, at, "available")
        self.queues.remove(call_sid)
        state.update(status="leaving", leave_reason=reason)
        return True, offer.counselor_id if offer else None

    def transition(self, counselor_id, from_state, to_state, at, until=None) -> bool:
        presence = self.presences.get(counselor_id)
        if presence is None:
            return False
        if from_state != "*" and presence.state != from_state:
            return False
        if from_state == "*" and presence.state in ("offered", "on_call") and to_state != presence.state:
            return False
        call = presence.call if to_state in ("on_call", "offered", "wrap_up") else None
        self.presences.set(replace(presence, state=to_state, since=at, until=until, call=call))
        return True

    def ringing(self, call_sid) -> RingingOffer | None:
        return self.offers.get(call_sid)

    def queue_heads(self, line_ids, depth) -> list[QueuedCall]:
        heads = [QueuedCall(line_id, sid, self.queues.call_state(sid))
                 for line_id in line_ids for sid in self.queues.waiting(line_id)[:depth]]
        if self.after_reading_heads is not None:
            hook, self.after_reading_heads = self.after_reading_heads, None
            hook()
        return heads

    @contextmanager
    def dispatch_lock(self):
        yield not self.lock_held_elsewhere


@dataclass
class FakeFloorMemory:
    """Continuity and HandleTimes."""

    last: dict[str, int] = field(default_factory=dict)
    handle: dict[str, float] = field(default_factory=dict)

    def last_counselors(self, caller_keys) -> dict[str, int]:
        return {key: self.last[key] for key in caller_keys if key in self.last}

    def remember(self, caller_key: str, counselor_id: int) -> None:
        self.last[caller_key] = counselor_id

    def handle_time(self, line_id: str) -> float | None:
        return self.handle.get(line_id)

    def set_handle_time(self, line_id: str, seconds: float) -> None:
        self.handle[line_id] = round(seconds, 1)


@dataclass
class FakeCloseGuard:
    blockers: dict[int, list[str]] = field(default_factory=dict)
    down: bool = False          # the database is unreachable

    def ready_blockers(self, counselor_id: int) -> list[str]:
        if self.down:
            raise ConnectionError("database unavailable")
        return list(self.blockers.get(counselor_id, []))


@dataclass
class FakeBlockMarks:
    """BlockMarks: the close guard's last answer per counselor."""

    marks: dict[int, list[str]] = field(default_factory=dict)

    def remember(self, counselor_id: int, blockers: list[str]) -> None:
        if blockers:
            self.marks[counselor_id] = list(blockers)
        else:
            self.marks.pop(counselor_id, None)

    def last(self, counselor_id: int) -> list[str]:
        return list(self.marks.get(counselor_id, []))

    def blocked_ids(self) -> set[int]:
        return set(self.marks)


@dataclass
class FakeOfferContext:
    flagged: set[str] = field(default_factory=set)
    asked: list[tuple[str, str]] = field(default_factory=list)

    def offer_context(self, caller_key: str, call_sid: str) -> dict:
        self.asked.append((caller_key, call_sid))
        flagged = caller_key in self.flagged
        return {"flagged": flagged, "warning": "flagged: assess safety first" if flagged else None,
                "history": {"previous_contacts": 0, "last_contact_at": None}}


class FakeStaffing:
    """The assigned lines, unless a test puts a counselor off shift."""

    def __init__(self) -> None:
        self.off_shift: set[int] = set()

    def lines_for(self, presence: Presence, at: datetime) -> set[str]:
        return set() if presence.counselor_id in self.off_shift else set(presence.lines)

    def staffed_counts(self, at: datetime) -> dict[str, int]:
        return {}


@dataclass
class FakeRecovery:
    runs: int = 0

    def rebuild_if_needed(self) -> int:
        self.runs += 1
        return 0


class FakeConsoleUnitOfWork:
    """ConsoleUnitOfWork over a list of answered calls and a set of (user, call) note writers."""

    def __init__(self, answered: list[tuple[int, HandledCall]], writers: set[tuple[int, str]],
                 fail: bool = False) -> None:
        self.handled = self
        self.answered, self.writers, self.fail = answered, writers, fail
        self.committed = False

    def __enter__(self):
        if self.fail:
            raise ConnectionError("database unavailable")
        return self

    def __exit__(self, *exc) -> None:
        return None

    def commit(self) -> None:
        self.committed = True

    def rollback(self) -> None:
        pass

    def last_answered(self, counselor_id: int) -> HandledCall | None:
        mine = [call for cid, call in self.answered if cid == counselor_id]
        return max(mine, key=lambda call: call.answered_at) if mine else None

    def handled_by(self, user_id: int, call_sid: str) -> bool:
        return any(cid == user_id and call.call_sid == call_sid for cid, call in self.answered) \
            or (user_id, call_sid) in self.writers
