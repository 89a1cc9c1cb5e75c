"""Ports of the console and dispatch: a counselor's working day and the offers."""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Protocol, Sequence
from hotline.ports.common import UnitOfWork

__all__ = [
    "SUPERVISORS",
    "line_room",
    "counselor_room",
    "RingingOffer",
    "QueuedCall",
    "OfferSteps",
    "Continuity",
    "HandleTimes",
    "HandledCall",
    "HandledCalls",
    "ConsoleUnitOfWork",
    "Rooms",
    "Payload",
]

# --- console and dispatch (console area) ------------------------------------------------------
# A counselor's working day and the offers that connect callers to counselors. Providers:
# hotline/live/offers.py (OfferSteps), hotline/live/floor_memory.py (Continuity, HandleTimes),
# hotline/store/console.py (ConsoleUnitOfWork); wired in hotline/bootstrap/console.py.

SUPERVISORS = "supervisors"   # the Socket.IO room of supervisors and admins


def line_room(line_id: str) -> str:
    """The room of everyone who answers a line."""
    return f"line:{line_id}"


def counselor_room(counselor_id: int | str) -> str:
    """A counselor's own room (their console, in every tab)."""
    return f"counselor:{counselor_id}"


@dataclass(frozen=True)
class RingingOffer:
    """An offer ringing on a counselor's console, until it expires."""

    counselor_id: int
    expires_at: datetime | None


@dataclass(frozen=True)
class QueuedCall:
    """One call at the head of a line's queue, with its live hash (strings) as it was read."""

    line_id: str
    call_sid: str
    state: Mapping[str, str]


class OfferSteps(Protocol):
    """The steps of an offer's life, each one atomic in the live state: every step re-checks
    the call and the counselor it starts from, so two processes or two clicks can never give
    one call to two counselors, or one counselor two calls."""

    def make_offer(self, call_sid: str, line_id: str, counselor_id: int, at: datetime, expires: datetime,
                   seen: Sequence[str]) -> int:
        """1 made; 0 refused (taken, gone, counselor not available); -1 a caller not in `seen`
        (the dispatcher's snapshot of this line) has since joined ahead: decide again."""

    def accept(self, call_sid: str, counselor_id: int, at: datetime) -> bool: ...

    def withdraw(self, call_sid: str, counselor_id: int, at: datetime, next_state: str,
                 declined: bool) -> bool: ...

    def leave(self, call_sid: str, at: datetime, reason: str) -> tuple[bool, int | None]:
        """The caller leaves the queue (voicemail, rollover), withdrawing any ringing offer:
        (left, counselor whose offer was withdrawn); left is False once a counselor accepted."""

    def transition(self, counselor_id: int, from_state: str, to_state: str, at: datetime,
                   until: datetime | None = None) -> bool:
        """Move a counselor from an expected state ("*": any but offered/on call) to another."""

    def ringing(self, call_sid: str) -> RingingOffer | None: ...

    def queue_heads(self, line_ids: Sequence[str], depth: int) -> list[QueuedCall]:
        """The first `depth` calls of each line's queue, line by line, in queue order."""

    def dispatch_lock(self) -> AbstractContextManager[bool]:
        """`with steps.dispatch_lock() as held:` — held by one dispatcher of all processes at a time."""


class Continuity(Protocol):
    """The counselor who last spoke with each caller (by caller key)."""

    def last_counselors(self, caller_keys: Sequence[str]) -> dict[str, int]: ...

    def remember(self, caller_key: str, counselor_id: int) -> None: ...


class HandleTimes(Protocol):
    """Each line's learned handling time (talk + wrap-up, seconds), read by the expected wait."""

    def handle_time(self, line_id: str) -> float | None: ...

    def set_handle_time(self, line_id: str, seconds: float) -> None: ...


@dataclass(frozen=True)
class HandledCall:
    """A call a counselor answered, as the record has it."""

    call_sid: str
    line_id: str | None
    answered_at: datetime | None
    wait_seconds: float | None
    ended_at: datetime | None


class HandledCalls(Protocol):
    """Read-only: the calls a counselor answered, and who handled a call."""

    def last_answered(self, counselor_id: int) -> HandledCall | None: ...

    def handled_by(self, user_id: int, call_sid: str) -> bool:
        """The counselor of record of the call, or someone who wrote a note on it."""


class ConsoleUnitOfWork(UnitOfWork, Protocol):
    handled: HandledCalls


Rooms = Sequence[str]
Payload = Mapping[str, Any]


