"""Counselors' call notes (encrypted at rest) and the log of who opened which record.

A note is sensitive: what a caller said in distress. The store never sees its text:
the notes use case (hotline/usecases/triage/notes.py) hands over the Keyring token and
decrypts what it reads. Every read (and write, and refusal) of a call's notes leaves a
row in `record_access`, so a supervisor or auditor can later answer "who looked at this?".
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hotline.ports import NoteRecord
from hotline.store.db import Base
from hotline.store.records import SqlAccessLog, flush, to_record
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


class SqlNotes:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, call_sid: str, counselor_id: int, body_encrypted: str, at: datetime) -> NoteRecord:
        """Save an already encrypted note; flushed so the record has its id."""
        note = CallNote(call_sid=call_sid, counselor_id=counselor_id, created_at=at, body_encrypted=body_encrypted)
        self.session.add(note)
        flush(self.session)
        return to_record(NoteRecord, note)

    def for_call(self, call_sid: str) -> list[NoteRecord]:
        """All notes on one call, oldest first (a call may be handed over and noted twice)."""
        query = select(CallNote).where(CallNote.call_sid == call_sid).order_by(CallNote.created_at, CallNote.id)
        return [to_record(NoteRecord, note) for note in self.session.scalars(query)]


def note_access(session: Session) -> SqlAccessLog:
    """record_access: one row per read, write or refusal of a call's notes."""
    return SqlAccessLog(session, RecordAccess, "call_sid")


def has_written(session: Session, user_id: int, call_sid: str) -> bool:
    """True when this user wrote a note on the call (they keep access after a transfer);
    the console's handler check (hotline/web/console_state.py) asks."""
    query = select(CallNote.id).where(CallNote.call_sid == call_sid, CallNote.counselor_id == user_id)
    return session.scalar(query.limit(1)) is not None
