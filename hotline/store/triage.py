"""Triage records: assessments, referrals, caller files (一人一档), checklists, follow-ups.

Everything a caller said stays encrypted: the store only ever sees Fernet tokens made
by the keyring (answers, override reasons, referral notes, checklist texts, the
call-back number). What is kept in clear is what supervisors must query and what
cannot identify anyone: levels, item ids, statuses, times and the pseudonymous
caller key. This module only declares tables; the repositories over them are in
triage_records.py and caller_files.py, gathered by the unit of work in triage_uow.py.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.store.db import Base
from hotline.store.types import UTCDateTime


class Assessment(Base):
    """The current triage assessment of one call (one row per call, updated on each save).

    `peak_level` is the most severe level the call ever reached (rule or counselor), so a
    later lowering never hides that alerts, the follow-up and the flag were set off;
    `actions_done` lists those one-time actions (alert:high, alert:imminent, follow_up,
    flag) so a re-save never repeats them.
    """

    __tablename__ = "triage_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    caller_key: Mapped[str] = mapped_column(String(64), index=True)
    counselor_id: Mapped[int] = mapped_column(Integer, index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    form_version: Mapped[int] = mapped_column(Integer)
    answers_encrypted: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(16), index=True)
    rule_level: Mapped[str] = mapped_column(String(16))
    peak_level: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list] = mapped_column(JSON, default=list)        # [{item, level}] only
    override_reason_encrypted: Mapped[str | None] = mapped_column(Text)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    reviewed_by: Mapped[int | None] = mapped_column(Integer)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actions_done: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Referral(Base):
    """A hand-over of one caller to one institution, with its status history.

    `history` holds [{status, at, by}] only; any free text is in note_encrypted.
    """

    __tablename__ = "triage_referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), index=True)
    caller_key: Mapped[str] = mapped_column(String(64), index=True)
    institution_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    history: Mapped[list] = mapped_column(JSON, default=list)
    note_encrypted: Mapped[str | None] = mapped_column(Text)
    next_follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_by: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CallerFile(Base):
    """一人一档: one pseudonymous file per caller key; the number only encrypted, on consent."""

    __tablename__ = "caller_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    caller_key: Mapped[str] = mapped_column(String(64), unique=True)
    flagged_level: Mapped[str | None] = mapped_column(String(16), index=True)
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flagged_call_sid: Mapped[str | None] = mapped_column(String(64))
    callback_number_encrypted: Mapped[str | None] = mapped_column(Text)
    callback_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EmergencyChecklist(Base):
    """The emergency checklist of one call: which steps are done (clear booleans) and the
    recorded values (location, who called…) as an encrypted JSON object."""

    __tablename__ = "triage_checklists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    done: Mapped[dict] = mapped_column(JSON, default=dict)
    values_encrypted: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FollowUp(Base):
    """A follow-up task set off by a high or imminent call (due 24 h later).

    The row is the durable task; the RQ job only raises the reminder when it falls due,
    so a lost Redis never loses a follow-up (supervisors see due rows on the triage page).
    """

    __tablename__ = "triage_follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    caller_key: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")   # scheduled|due|done
    job_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_by: Mapped[int | None] = mapped_column(Integer)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CallerFileAccess(Base):
    """Who opened (or exported, or was refused) which caller file, and when."""

    __tablename__ = "caller_file_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    caller_key: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


Index("ix_triage_referrals_open_due", Referral.status, Referral.next_follow_up_at)
