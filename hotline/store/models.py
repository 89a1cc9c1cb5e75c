"""The record: calls and their events. Live state (queues, presence) is in Redis.

Callers appear only as a pseudonymous caller key (HMAC of the E.164 number);
a raw number is stored only encrypted, and only when the caller asked for a call-back.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.store.db import Base
from hotline.store.types import UTCDateTime


class Call(Base):
    """One inbound call, keyed by the telephony provider's CallSid."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    line_id: Mapped[str | None] = mapped_column(String(64), index=True)
    dialled_number: Mapped[str] = mapped_column(String(32))
    caller_key: Mapped[str] = mapped_column(String(64), index=True)
    caller_region: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24), default="received")
    outcome: Mapped[str | None] = mapped_column(String(24))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    menu_choice: Mapped[str | None] = mapped_column(String(32))
    routed_to: Mapped[str | None] = mapped_column(String(64))
    rollovers: Mapped[int] = mapped_column(Integer, default=0)
    counselor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    telephony_status: Mapped[str | None] = mapped_column(String(24))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    wait_seconds: Mapped[float | None]
    talk_seconds: Mapped[float | None]

    events: Mapped[list["CallEvent"]] = relationship(
        back_populates="call", order_by="CallEvent.id", cascade="all, delete-orphan")


class CallEvent(Base):
    """One step of a call; (call, dedup_key) is unique so a retried webhook is a no-op."""

    __tablename__ = "call_events"
    __table_args__ = (UniqueConstraint("call_id", "dedup_key", name="uq_call_event_dedup"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    dedup_key: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    call: Mapped[Call] = relationship(back_populates="events")


class CallbackRequest(Base):
    """A voicemail or call-back the caller asked for instead of waiting."""

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    line_id: Mapped[str | None] = mapped_column(String(64), index=True)
    caller_key: Mapped[str] = mapped_column(String(64), index=True)
    number_encrypted: Mapped[str | None] = mapped_column(Text)
    recording_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


Index("ix_calls_line_received", Call.line_id, Call.received_at)


# Tables of other areas, imported here so Alembic's autogenerate sees every table.
from hotline.store import notes, reports, rosters, triage, users  # noqa: E402,F401
