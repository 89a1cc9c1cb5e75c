"""Ports every area shares: the clock, the call record, live state, privacy, telephony,
jobs, the database, and the cross-area collaborators (each names the area that provides it)."""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable, Protocol, Sequence

__all__ = [
    "Clock",
    "RecordOp",
    "RecordSink",
    "PRESENCE_STATES",
    "WORKING",
    "Presence",
    "Waiting",
    "CallQueues",
    "Presences",
    "Events",
    "Keyring",
    "CallControl",
    "Jobs",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "DispatchTrigger",
    "Staffing",
    "OnDuty",
    "CloseGuard",
    "BlockMarks",
    "BlockedRecord",
    "BlockedRecordList",
    "FlaggedCallers",
    "OfferContext",
    "HangUps",
    "AlertRaiser",
    "ThirdPartyCall",
    "EmergencyLog",
]

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

    def enqueue(self, call_sid: str, line_id: str, priority: int, at: datetime, *, record: RecordOp | None = None,
                **fields) -> Waiting:
        """Queue the call (a repeat keeps its place); `record`, when given, is written with it:
        the call is queued and recorded, or neither."""

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

    def staffed_among(self, presences: Sequence[Presence], at: datetime, roster_version: int) -> dict[str, int]:
        """staffed_counts for presences and a roster version already read (one round trip)."""
        ...


class OnDuty(Protocol):
    """Current and next shift of a line ({"current": [...], "next": {...}} as today).
    Provided by the roster area (Hotline.on_duty)."""

    def on_duty(self, line_id: str, at: datetime) -> dict: ...


class CloseGuard(Protocol):
    """Why a counselor may not take the next call yet ("zh / en" each; [] = they may):
    a high-risk call still needs its referral, an imminent one its emergency checklist.
    Provided by the triage area (Hotline.close_guard)."""

    def ready_blockers(self, counselor_id: int) -> list[str]: ...


class BlockMarks(Protocol):
    """The close guard's last known answer per counselor, in the live state: read when the
    guard itself cannot be (the database is down), so an outage never releases a block."""

    def remember(self, counselor_id: int, blockers: list[str]) -> None: ...   # [] clears

    def last(self, counselor_id: int) -> list[str]: ...

    def blocked_ids(self) -> set[int]: ...
@dataclass(frozen=True)
class BlockedRecord:
    """A call record the close guard holds open: high risk without its referral, imminent
    without its emergency checklist. What supervisors see (no caller, no answers)."""

    call_sid: str
    counselor_id: int
    counselor_name: str
    line_id: str | None
    line_name: str | None
    level: str                       # high | imminent
    since: datetime                  # when the call ended (or was assessed, if the record lags)
    blockers: tuple[str, ...]        # "zh / en" each
    message: str                     # the one close-guard message (hotline.triage.actions)
    counselor_state: str | None = None   # their presence now (None: signed out)


class BlockedRecordList(Protocol):
    """Every blocked record, newest first, for the dashboard's list and card markers.
    Provided by the triage area (Hotline.blocked_records)."""

    def blocked_records(self) -> list[BlockedRecord]: ...


class FlaggedCallers(Protocol):
    """Whether any of a caller's keys (current and older data keys) is flagged high risk.
    Provided by the triage area (Hotline.flagged_callers)."""

    def is_flagged(self, caller_keys: Sequence[str]) -> bool: ...

    def flagged_from(self, caller_keys: Sequence[str], hit: bool, set_built: bool) -> bool:
        """is_flagged from a read already made (hit: any key in the set; set_built: its sentinel)."""
        ...


class OfferContext(Protocol):
    """What a counselor sees of a caller's file on an offer: {"flagged", "warning",
    "history"} as in today's offer payload. Provided by the triage area
    (Hotline.offer_context)."""

    def offer_context(self, caller_key: str, call_sid: str) -> dict: ...


class HangUps(Protocol):
    """What the call use cases tell the console: the provider says the call ended; the
    caller asks to leave the queue (voicemail, rollover) — False once a counselor has
    accepted; a colleague took the call over (warm transfer). Provided by the console
    area (Hotline.hang_ups)."""

    def caller_hung_up(self, call_sid: str) -> None: ...

    def caller_leaves_queue(self, call_sid: str, reason: str) -> bool: ...

    def call_taken_over(self, call_sid: str, counselor_id: int) -> None:
        """Warm transfer: this counselor now has the call (their console: on call with it)."""
        ...


class AlertRaiser(Protocol):
    """Alerts supervisors must see and acknowledge (risk, coverage).
    Provided by the dashboard area (Hotline.alerts)."""

    def raise_alert(self, kind: str, level: str, at: datetime, **fields) -> Any: ...




@dataclass(frozen=True)
class ThirdPartyCall:
    """A third party (120 / 110 / 119 or a referral institution) brought into a call, and
    what became of it: answered, no-answer, busy, failed, canceled, or left."""

    label: str                    # third-120, third-ref-<id>
    target: str                   # what was dialled: "120", "ref:<id>"
    by: int | None                # the counselor who brought them in
    dialled_at: datetime
    outcome: str
    at: datetime                  # when the outcome was known


class EmergencyLog(Protocol):
    """The call's emergency checklist records who was called, when, and the outcome, so the
    counselor finds it prefilled. Provided by the triage area (Hotline.emergency_log)."""

    def third_party(self, call_sid: str, call: ThirdPartyCall) -> None: ...
