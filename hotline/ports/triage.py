"""Ports of triage: assessments, referrals, caller files, notes, keys."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Protocol, Sequence
from hotline.ports.common import UnitOfWork

__all__ = [
    "DataKeyError",
    "StoreConflict",
    "AssessmentRecord",
    "ChecklistRecord",
    "FollowUpRecord",
    "CallerFileRecord",
    "ReferralRecord",
    "NoteRecord",
    "AccessEntry",
    "RecordedCall",
    "AssessmentRepository",
    "ChecklistRepository",
    "FollowUpRepository",
    "CallerFileRepository",
    "ReferralRepository",
    "AccessLog",
    "NoteRepository",
    "CallRecordReader",
    "EncryptedColumns",
    "TriageUnitOfWork",
    "FlaggedSet",
    "OnceClaims",
    "LiveCallerKeys",
]

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

    def at_levels(self, levels: Iterable[str], limit: int,
                  counselor_id: int | None = None) -> list[AssessmentRecord]: ...      # newest first

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


