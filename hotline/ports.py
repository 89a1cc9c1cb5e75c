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
from enum import Enum
from functools import cached_property
from typing import Any, Iterable, Mapping, Protocol, Sequence

from hotline.routing.decision import Decision
from hotline.routing.directory import Directory
from hotline.routing.regions import region_of


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
    """Ask for a dispatch soon: the ticker thread wakes up (at once in tests).
    Provided by the console area (Hotline.dispatch_trigger)."""

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


Rooms = Sequence[str]
Payload = Mapping[str, Any]


# --- calls area: the caller's path through /voice/* -------------------------------------
# The use cases in hotline/usecases/calls/ take an InboundCall (parsed by
# telephony/inbound.py) and return one of the answers below; telephony/answers.py renders
# it as TwiML. The Redis reads they need are small Protocols implemented by
# live/queues.py (QueueStore); the record they read back for recovery is CallRecords.

@dataclass(frozen=True)
class InboundCall:
    """What a provider's webhook tells us about a call, normalised once."""

    call_sid: str
    dialled: str      # E.164 of our number
    caller: str       # E.164 of the caller — never logged, never stored in clear
    status: str       # the provider's call status ("ringing", "completed", ...)

    @cached_property
    def region(self) -> str | None:
        """Geocoded once per request, and only when asked (routing and the record both ask)."""
        return region_of(self.caller)


class Prompt(Enum):
    """Fixed words said before a route or a hang-up; telephony/prompts.py holds the text."""

    WELCOME = "welcome"                    # "this is <line name>"
    TRANSFERRING = "transferring"          # a counselor hands the caller to another line
    TRANSFER_FAILED = "transfer_failed"    # the external line did not answer: trying another
    GOODBYE = "goodbye"                    # the counselor's call ended normally
    COUNSELOR_UNREACHED = "counselor_unreached"   # the counselor's leg failed
    VOICEMAIL_THANKS = "voicemail_thanks"  # after the message was recorded


@dataclass(frozen=True)
class RouteAnswer:
    """Carry out a routing decision: a menu, a place in a queue, a transfer, or the hours."""

    decision: Decision
    directory: Directory
    at: datetime
    opening: Prompt | None = None
    line_name: str = ""                    # for Prompt.WELCOME


@dataclass(frozen=True)
class WaitRound:
    """One round of the waiting caller's loop: place, expected wait, the voicemail key."""

    line_id: str
    position: int
    expected_wait_s: float
    breathing: bool                        # the breathing exercise, every other round
    pause_s: int


@dataclass(frozen=True)
class HoldOn:
    """Silence for a moment (a counselor is being connected): Twilio asks again after it."""

    seconds: int


@dataclass(frozen=True)
class LeaveQueue:
    """Leave the provider's queue; its queue-result callback says what happens next."""


@dataclass(frozen=True)
class RecordVoicemail:
    """Record a message for the line (a call-back request)."""

    line_id: str | None


@dataclass(frozen=True)
class HangUp:
    prompt: Prompt | None = None


@dataclass(frozen=True)
class Continue:
    """Nothing to add: the call goes on as it is (an empty TwiML response)."""


@dataclass(frozen=True)
class RingCounselor:
    """Ring a counselor's browser and bridge the caller to it."""

    counselor_id: int
    call_sid: str


@dataclass(frozen=True)
class FailSafeAnswer:
    """Route as if nobody were on shift anywhere: an external line open now, or the
    last-resort words. Needs no Redis and no database."""

    directory: Directory
    dialled: str
    at: datetime
    line_id: str | None = None             # the line the caller came from (not tried again)


VoiceAnswer = (RouteAnswer | WaitRound | HoldOn | LeaveQueue | RecordVoicemail | HangUp | Continue
               | RingCounselor | FailSafeAnswer)


class CallEvents(Protocol):
    """Events about a call, to the supervisors and to the rooms of the lines named."""

    def publish(self, event: str, payload: dict[str, Any], *line_ids: str | None) -> None: ...


class WaitRounds(Protocol):
    """How many wait rounds a caller has heard (the breathing exercise alternates)."""

    def count_round(self, call_sid: str) -> int: ...


class LineStats(Protocol):
    """The handling time (talk + wrap-up, seconds) learned per line; None until known."""

    def handle_time(self, line_id: str) -> float | None: ...


class LiveEpoch(Protocol):
    """Tells a fresh (emptied) live state from a running one."""

    def start(self, at: datetime) -> bool:
        """Mark the live state as seen; True only the first time after it was lost."""
        ...


@dataclass(frozen=True)
class RecordedWait:
    """A call the record still shows as waiting (to put back after Redis lost its queue)."""

    call_sid: str
    line_id: str
    priority: int
    queued_at: datetime            # when it joined a queue (else when it was received)
    caller_key: str
    dialled: str


class CallRecords(Protocol):
    """The call record, read back (the writes go through the RecordSink)."""

    def still_waiting(self, since: datetime) -> list[RecordedWait]:
        """Calls received since then, waiting on a line and not ended, in queue order."""
        ...


class CallsUnitOfWork(UnitOfWork, Protocol):
    calls: CallRecords


class FlaggedSetRepair(Protocol):
    """Put the flagged callers back into the live set if Redis lost it (throttled).
    The triage area's code (today usecases/triage/files.ensure_flagged)."""

    def ensure_flagged(self) -> bool: ...


class LostQueues(Protocol):
    """Rebuild the queues from the record once per Redis lifetime; how many calls were
    put back. Provided by the calls area (Hotline.lost_queues); the console's tick calls it."""

    def rebuild_if_needed(self) -> int: ...
