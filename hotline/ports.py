"""The ports: what the use cases need from the outside world, as Protocols.

A use case (`hotline/usecases/`) takes exactly the ports it needs in its constructor
(or as arguments) and never imports an adapter, Flask, SQLAlchemy, Redis, Twilio or RQ.
The adapters in `hotline/store`, `hotline/live` and `hotline/telephony` satisfy these
Protocols structurally and import this module only for the plain data types that cross
a port (RecordOp, Waiting, Presence, ...); the composition root
(`hotline/bootstrap.py`) wires one to the other; the unit tests pass in-memory fakes
(`tests/unit/usecases/fakes.py`).

Values that cross a port are plain data: the dataclasses below, the core's types
(`hotline.routing`, `hotline.triage`, `hotline.shifts`), dicts of strings.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Protocol, Sequence


# --- time -------------------------------------------------------------------------------

class Clock(Protocol):
    """The one clock (hotline.clock.Clock): real, fixed or offset for drills and tests."""

    def now(self) -> datetime: ...


# --- the call record --------------------------------------------------------------------

@dataclass(frozen=True)
class RecordOp:
    """One change to a call record, safe to apply more than once (the dedup key)."""

    call_sid: str
    kind: str
    dedup_key: str
    at: datetime
    dialled_number: str = ""
    caller_key: str = ""
    fields: dict = field(default_factory=dict)
    detail: dict = field(default_factory=dict)


class RecordSink(Protocol):
    """Where call-record changes go; a webhook never waits for the database."""

    def submit(self, op: RecordOp) -> None: ...


# --- live state (Redis) -------------------------------------------------------------------

PRESENCE_STATES = ("available", "offered", "on_call", "wrap_up", "break", "offline")
WORKING = frozenset({"available", "offered", "on_call", "wrap_up"})   # staffing a line


@dataclass(frozen=True)
class Presence:
    """A counselor's live state, shared by every process."""

    counselor_id: int
    state: str
    since: datetime
    lines: tuple[str, ...]
    name: str = ""
    call: str | None = None                 # the call offered to / handled by this counselor
    until: datetime | None = None           # end of wrap-up


@dataclass(frozen=True)
class Waiting:
    """A caller's place in a line's queue."""

    call_sid: str
    line_id: str
    position: int          # 1-based
    length: int
    priority: int
    arrived_at: datetime
    enqueued_at: datetime


class CallQueues(Protocol):
    """The order of waiting callers (priority, then arrival) and each call's live hash."""

    def enqueue(self, call_sid: str, line_id: str, priority: int, at: datetime, **fields) -> Waiting: ...

    def position(self, call_sid: str) -> Waiting | None: ...

    def remove(self, call_sid: str) -> str | None: ...

    def call_state(self, call_sid: str) -> dict[str, str]: ...

    def annotate(self, call_sid: str, **fields) -> None: ...

    def lengths(self, line_ids: Iterable[str]) -> dict[str, int]: ...


class Presences(Protocol):
    """Counselor presence shared by every process."""

    def get(self, counselor_id: int) -> Presence | None: ...

    def set(self, presence: Presence) -> None: ...

    def all(self) -> list[Presence]: ...

    def update_profile(self, counselor_id: int, name: str, lines: tuple[str, ...]) -> None: ...


class Events(Protocol):
    """State changes pushed to browsers' rooms (line:<id>, counselor:<id>, supervisors)."""

    def publish(self, event: str, payload: dict[str, Any], rooms: Iterable[str]) -> None: ...


# --- privacy ------------------------------------------------------------------------------

class Keyring(Protocol):
    """Pseudonymous caller keys and encryption at rest, with key rotation."""

    def caller_key(self, e164: str) -> str: ...

    def caller_key_candidates(self, e164: str) -> list[str]: ...

    def encrypt(self, text: str) -> str: ...

    def decrypt(self, token: str) -> str: ...

    def rotate(self, token: str) -> str: ...

    def is_current(self, token: str) -> bool: ...


# --- telephony ----------------------------------------------------------------------------

class CallControl(Protocol):
    """Moving live calls through the provider's REST API (Twilio, or the simulator)."""

    def bridge(self, call_sid: str, queue_sid: str | None, counselor_id: int) -> None: ...

    def hang_up(self, call_sid: str) -> None: ...

    def redirect(self, call_sid: str, path: str) -> None: ...


# --- background jobs ----------------------------------------------------------------------

class Jobs(Protocol):
    """Background work (RQ): enqueue now or later, ask how it is going."""

    def enqueue(self, function: str, *args, queue: str = "default", job_id: str | None = None,
                **kwargs) -> str: ...

    def enqueue_in(self, delay: timedelta, function: str, *args, queue: str = "default",
                   job_id: str | None = None, **kwargs) -> str: ...

    def status(self, job_id: str) -> dict | None: ...


# --- the database -------------------------------------------------------------------------

class UnitOfWork(AbstractContextManager, Protocol):
    """One database transaction: `with uow:` … `uow.commit()`; leaving without a commit
    rolls back, so nothing half-written stays. Repositories hang off it as attributes
    (each area adds its own below) and return plain data or the rows they own."""

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """A fresh unit of work per use-case call (`with uow_factory() as uow:`)."""

    def __call__(self) -> UnitOfWork: ...


# --- cross-area collaborators ---------------------------------------------------------------
# A use case of one area reaches another area only through these (the composition root
# hands it the other area's use case), so the areas never import each other and no
# import cycle can form. The Hotline attribute that provides each is named beside it.

class DispatchTrigger(Protocol):
    """Ask for a dispatch soon: the ticker thread of this process wakes up (without a ticker —
    tests, the CLI — nobody does: they tick by hand). Provided by the console area
    (Hotline.dispatch_trigger)."""

    def poke(self) -> None: ...


class Staffing(Protocol):
    """Which lines a counselor may answer at an instant (the roster where there is one,
    else their assigned lines), and per line how many working counselors may answer it.
    Provided by the roster area (Hotline.staffing)."""

    def lines_for(self, presence: Presence, at: datetime) -> set[str]: ...

    def staffed_counts(self, at: datetime) -> dict[str, int]: ...


class OnDuty(Protocol):
    """Current and next shift of a line ({"current": [...], "next": {...}} as today).
    Provided by the roster area (Hotline.on_duty)."""

    def on_duty(self, line_id: str, at: datetime) -> dict: ...


class CloseGuard(Protocol):
    """Why a counselor may not take the next call yet ("zh / en" each; [] = they may):
    a high-risk call still needs its referral, an imminent one its emergency checklist.
    Provided by the triage area (Hotline.close_guard)."""

    def ready_blockers(self, counselor_id: int) -> list[str]: ...


class FlaggedCallers(Protocol):
    """Whether any of a caller's keys (current and older data keys) is flagged high risk.
    Provided by the triage area (Hotline.flagged_callers)."""

    def is_flagged(self, caller_keys: Sequence[str]) -> bool: ...


class OfferContext(Protocol):
    """What a counselor sees of a caller's file on an offer: {"flagged", "warning",
    "history"} as in today's offer payload. Provided by the triage area
    (Hotline.offer_context)."""

    def offer_context(self, caller_key: str, call_sid: str) -> dict: ...


class HangUps(Protocol):
    """What the call use cases tell the console: the provider says the call ended; the
    caller asks to leave the queue (voicemail, rollover) — False once a counselor has
    accepted. Provided by the console area (Hotline.hang_ups)."""

    def caller_hung_up(self, call_sid: str) -> None: ...

    def caller_leaves_queue(self, call_sid: str, reason: str) -> bool: ...


class AlertRaiser(Protocol):
    """Alerts supervisors must see and acknowledge (risk, coverage).
    Provided by the dashboard area (Hotline.alerts)."""

    def raise_alert(self, kind: str, level: str, at: datetime, **fields) -> Any: ...



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


class LiveRecovery(Protocol):
    """Put waiting calls back in their queues when Redis lost them (once per Redis lifetime).
    Provided by the calls area (hotline/usecases/recovery.py)."""

    def rebuild_if_needed(self) -> int: ...


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
