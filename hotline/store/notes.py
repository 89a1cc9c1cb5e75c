"""Counselors' call notes (encrypted at rest) and the log of who opened which record.

A note is sensitive: what a caller said in distress. The store never sees its text:
callers of `add_note` pass the already encrypted token (services.keyring.encrypt), and
readers decrypt outside. Every read (and write) of a call's notes leaves a row in
`record_access`, so a supervisor or auditor can later answer "who looked at this?".
The table is general on purpose: caller files and triage forms will log there too.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hotline.store.db import Base
from hotline.store.types import UTCDateTime


class CallNote(Base):
    """One note a counselor wrote about a call; body_encrypted is a Fernet token."""

    __tablename__ = "call_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), index=True)
    counselor_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    body_encrypted: Mapped[str] = mapped_column(Text)


class RecordAccess(Base):
    """One access to a protected record: who (user id), when, which call, what action."""

    __tablename__ = "record_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    call_sid: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def add_note(session: Session, call_sid: str, counselor_id: int, body_encrypted: str,
             at: datetime) -> CallNote:
    """Save an already encrypted note; flushed so the caller gets its id."""
    note = CallNote(call_sid=call_sid, counselor_id=counselor_id, created_at=at,
                    body_encrypted=body_encrypted)
    session.add(note)
    session.flush()
    return note


def notes_for_call(session: Session, call_sid: str) -> list[CallNote]:
    """All notes on one call, oldest first (a call may be handed over and noted twice)."""
    query = select(CallNote).where(CallNote.call_sid == call_sid).order_by(CallNote.created_at, CallNote.id)
    return list(session.scalars(query))


def has_written(session: Session, user_id: int, call_sid: str) -> bool:
    """True when this user wrote a note on the call (they keep access after a transfer)."""
    query = select(CallNote.id).where(CallNote.call_sid == call_sid, CallNote.counselor_id == user_id)
    return session.scalar(query.limit(1)) is not None


def record_access(session: Session, user_id: int, call_sid: str, action: str, at: datetime) -> None:
    """Append one line to the access log (never updated, never deleted here)."""
    session.add(RecordAccess(user_id=user_id, call_sid=call_sid, action=action[:32], at=at))


def access_log(session: Session, call_sid: str) -> list[RecordAccess]:
    query = select(RecordAccess).where(RecordAccess.call_sid == call_sid).order_by(RecordAccess.id)
    return list(session.scalars(query))
