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


# --- triage (assessments, referrals, caller files, notes, keys) ------------------------------
# What the triage use cases (hotline/usecases/triage/) need: the records below, held by the
# repositories of one TriageUnitOfWork (hotline/store/triage_uow.py), and a few Redis steps
# (hotline/live/triage.py). Everything free-text arrives here already encrypted (a Keyring
# token); levels, statuses, item ids and pseudonymous caller keys are kept in clear.

class DataKeyError(ValueError):
    """A missing or unusable HOTLINE_DATA_KEY, or a token no configured key can open.

    Messages never contain key material, numbers or plaintext."""


class StoreConflict(Exception):
    """Two writers created the same row at once (a unique key); trying again sees the other's."""


@dataclass(frozen=True)
class AssessmentRecord:
    """The current assessment of one call; `peak_level` is the most severe level the call
    ever reached and `actions_done` the one-time actions already set off (never repeated)."""

    call_sid: str
    caller_key: str
    counselor_id: int
    form_id: str
    form_version: int
    answers_encrypted: str
    level: str
    rule_level: str
    peak_level: str
    reasons: list
    created_at: datetime
    updated_at: datetime
    override_reason_encrypted: str | None = None
    needs_review: bool = False
    reviewed_by: int | None = None
    reviewed_at: datetime | None = None
    actions_done: list = field(default_factory=list)
    id: int | None = None


@dataclass(frozen=True)
class ChecklistRecord:
    """The emergency checklist of one call: steps done (clear) and the values (encrypted)."""

    call_sid: str
    done: dict
    values_encrypted: str
    updated_by: int
    updated_at: datetime


@dataclass(frozen=True)
class FollowUpRecord:
    """The 24-hour follow-up of a high or imminent call (scheduled → due → done)."""

    call_sid: str
    caller_key: str
    level: str
    due_at: datetime
    created_at: datetime
    status: str = "scheduled"
    job_id: str | None = None
    done_by: int | None = None
    done_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class CallerFileRecord:
    """一人一档: one pseudonymous file per caller key; the number only encrypted, on consent."""

    caller_key: str
    created_at: datetime
    updated_at: datetime
    flagged_level: str | None = None
    flagged_at: datetime | None = None
    flagged_call_sid: str | None = None
    callback_number_encrypted: str | None = None
    callback_consent_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class ReferralRecord:
    """A hand-over of a caller to an institution; `history` holds [{status, at, by}] only."""

    call_sid: str
    caller_key: str
    institution_id: str
    status: str
    history: list
    created_by: int
    created_at: datetime
    updated_at: datetime
    next_follow_up_at: datetime | None = None
    note_encrypted: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class NoteRecord:
    """A counselor's note on a call (`body_encrypted` is a Keyring token)."""

    id: int
    call_sid: str
    counselor_id: int
    created_at: datetime
    body_encrypted: str


@dataclass(frozen=True)
class AccessEntry:
    """One line of an access log (a caller file's, or a call's notes')."""

    user_id: int
    action: str
    at: datetime


@dataclass(frozen=True)
class RecordedCall:
    """What triage reads of the call record (never the number: it is not there)."""

    call_sid: str
    caller_key: str
    line_id: str | None = None
    caller_region: str | None = None
    status: str = "received"
    counselor_id: int | None = None
    received_at: datetime | None = None
    answered_at: datetime | None = None
    talk_seconds: float | None = None


class AssessmentRepository(Protocol):
    def get(self, call_sid: str, for_update: bool = False) -> AssessmentRecord | None: ...

    def save(self, record: AssessmentRecord) -> AssessmentRecord: ...   # by call_sid; StoreConflict

    def add_actions(self, assessment_id: int, actions: Iterable[str]) -> list[str]: ...

    def latest_by(self, counselor_id: int) -> tuple[str, datetime] | None: ...

    def for_caller(self, caller_key: str) -> list[AssessmentRecord]: ...            # newest first

    def last_level(self, caller_key: str, exclude_sid: str) -> str | None: ...

    def needing_review(self) -> list[AssessmentRecord]: ...                          # oldest first

    def mark_reviewed(self, assessment_id: int, by: int, at: datetime) -> AssessmentRecord | None: ...


class ChecklistRepository(Protocol):
    def get(self, call_sid: str) -> ChecklistRecord | None: ...

    def save(self, record: ChecklistRecord) -> None: ...                              # by call_sid


class FollowUpRepository(Protocol):
    def get(self, call_sid: str) -> FollowUpRecord | None: ...

    def save(self, record: FollowUpRecord) -> None: ...                               # by call_sid

    def due(self, now: datetime) -> list[FollowUpRecord]: ...             # not done, due, by due time

    def mark_done(self, follow_up_id: int, by: int, at: datetime) -> FollowUpRecord | None: ...

    def for_caller(self, caller_key: str) -> list[FollowUpRecord]: ...                # latest due first


class CallerFileRepository(Protocol):
    def get(self, caller_key: str) -> CallerFileRecord | None: ...

    def save(self, record: CallerFileRecord) -> CallerFileRecord: ...   # by id (new: inserted)

    def delete(self, file_id: int) -> None: ...

    def flagged_keys(self) -> list[str]: ...

    def numbers_on_file(self) -> list[tuple[str, str | None]]: ...    # (caller key, number token)


class ReferralRepository(Protocol):
    def get(self, referral_id: int, for_update: bool = False) -> ReferralRecord | None: ...

    def save(self, record: ReferralRecord) -> ReferralRecord: ...       # by id (new: inserted)

    def for_call(self, call_sid: str) -> list[ReferralRecord]: ...                     # oldest first

    def for_caller(self, caller_key: str) -> list[ReferralRecord]: ...                 # newest first

    def due(self, statuses: Iterable[str], now: datetime) -> list[ReferralRecord]: ...

    def count(self, caller_key: str, statuses: Iterable[str]) -> int: ...


class AccessLog(Protocol):
    """Append-only: who opened which caller file (by key) or which call's notes (by call)."""

    def record(self, user_id: int, subject: str, action: str, at: datetime) -> None: ...

    def entries(self, subject: str) -> list[AccessEntry]: ...


class NoteRepository(Protocol):
    def add(self, call_sid: str, counselor_id: int, body_encrypted: str, at: datetime) -> NoteRecord: ...

    def for_call(self, call_sid: str) -> list[NoteRecord]: ...                         # oldest first


class CallRecordReader(Protocol):
    """The call record (the calls area writes it), read by triage."""

    def find(self, call_sid: str) -> RecordedCall | None: ...

    def latest_answered_by(self, counselor_id: int) -> tuple[str, datetime] | None: ...

    def for_caller(self, caller_key: str, limit: int = 200) -> list[RecordedCall]: ...  # newest first

    def history(self, caller_key: str, exclude_sid: str) -> dict: ...  # previous_contacts, last_contact_at


class EncryptedColumns(Protocol):
    """Every stored token and every caller-keyed row, for key rotation."""

    def columns(self) -> list[tuple[str, str]]: ...        # (table, column) of tokens, tables present

    def tokens(self, table: str, column: str) -> list[tuple[int, str]]: ...   # (row id, token)

    def replace_token(self, table: str, column: str, row_id: int, token: str) -> None: ...

    def move_caller_key(self, old: str, new: str) -> None: ...     # every keyed row but the files'


class TriageUnitOfWork(UnitOfWork, Protocol):
    assessments: AssessmentRepository
    checklists: ChecklistRepository
    follow_ups: FollowUpRepository
    caller_files: CallerFileRepository
    file_access: AccessLog
    referrals: ReferralRepository
    notes: NoteRepository
    note_access: AccessLog
    calls: CallRecordReader
    encrypted: EncryptedColumns


class FlaggedSet(Protocol):
    """The live set of flagged caller keys the router reads, and the sentinel that says it
    was built (its absence after a Redis restart triggers a rebuild from the caller files)."""

    def add(self, caller_key: str) -> None: ...

    def remove(self, caller_key: str) -> None: ...

    def any_flagged(self, caller_keys: Sequence[str]) -> bool: ...

    def is_built(self) -> bool: ...

    def rebuild(self, caller_keys: Sequence[str]) -> None: ...   # add them all, mark built


class OnceClaims(Protocol):
    """One process only sets off a (call, action): claim it atomically, release on failure."""

    def claim(self, call_sid: str, action: str) -> bool: ...

    def release(self, call_sid: str, action: str) -> None: ...


class LiveCallerKeys(Protocol):
    """What Redis keeps under a caller key (flag, last counselor), moved on a re-key."""

    def move(self, old: str, new: str) -> None: ...


class OpenAlerts(Protocol):
    """The alerts supervisors have not acknowledged yet (objects with kind, level, message,
    raised_at, ...). Provided by the dashboard area (its alert store)."""

    def open_alerts(self) -> list: ...

