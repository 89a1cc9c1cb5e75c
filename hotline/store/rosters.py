"""Roster tables: slots, rotation patterns, shifts, leave, swap requests, audit, feed tokens.

The shifts core (hotline/shifts) knows only plain values; these rows are how they
are kept. Shifts are stored as instants (UTC) with the slot they came from, so the
roster survives a slot being edited later; the pattern that produced a shift and
the counselor it first went to are kept so a regeneration can respect swaps.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from hotline.store import users  # noqa: F401  (the users table the foreign keys point at)
from hotline.store.db import Base
from hotline.store.types import UTCDateTime


class RosterSlot(Base):
    """A recurring seat of a line (wall-clock times in the line's zone)."""

    __tablename__ = "roster_slots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    line_id: Mapped[str] = mapped_column(String(64), index=True)
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    seats: Mapped[int] = mapped_column(Integer, default=1)
    label_zh: Mapped[str] = mapped_column(String(64), default="")
    label_en: Mapped[str] = mapped_column(String(64), default="")
    tz: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RotationPatternRow(Base):
    """A repeating cycle of slot codes; assignees hold user ids (teams or single people)."""

    __tablename__ = "roster_patterns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    cycle: Mapped[list] = mapped_column(JSON)           # ["gx-day", null, ...]
    assignees: Mapped[list] = mapped_column(JSON)       # [{"id", "members": [user ids], "offset"}]
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    days: Mapped[str] = mapped_column(String(16), default="all")
    on_holiday: Mapped[str] = mapped_column(String(8), default="work")
    advance_on: Mapped[str] = mapped_column(String(16), default="every_day")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ShiftRow(Base):
    """One counselor on one line for [starts_at, ends_at)."""

    __tablename__ = "roster_shifts"
    __table_args__ = (UniqueConstraint("counselor_id", "starts_at", "line_id", name="uq_roster_shift_seat"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counselor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    line_id: Mapped[str] = mapped_column(String(64))
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("roster_slots.id", ondelete="SET NULL"))
    slot_code: Mapped[str] = mapped_column(String(64), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(16), default="generated")
    pattern_id: Mapped[int | None] = mapped_column(Integer)
    original_counselor_id: Mapped[int | None] = mapped_column(Integer)


Index("ix_roster_shifts_line_start", ShiftRow.line_id, ShiftRow.starts_at)
Index("ix_roster_shifts_counselor_start", ShiftRow.counselor_id, ShiftRow.starts_at)
Index("ix_roster_shifts_start", ShiftRow.starts_at)


class LeaveRow(Base):
    """Leave or other unavailability: generation skips it, rule checks report clashes."""

    __tablename__ = "roster_leave"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counselor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SwapRequest(Base):
    """A swap (two shifts change hands) or a cover (one shift goes to a colleague).

    `detail` keeps a readable copy of the shifts as proposed, so the request still
    says what it was about after the roster has moved on.
    """

    __tablename__ = "roster_swaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default="proposed", index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("roster_shifts.id", ondelete="SET NULL"))
    other_shift_id: Mapped[int | None] = mapped_column(ForeignKey("roster_shifts.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    violations: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RosterAudit(Base):
    """Who changed what in the roster, when, with the state before and after."""

    __tablename__ = "roster_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)   # None: CLI or job without a user
    action: Mapped[str] = mapped_column(String(48))
    target: Mapped[str] = mapped_column(String(128), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")


class FeedToken(Base):
    """A counselor's secret calendar-feed token; only its SHA-256 is kept."""

    __tablename__ = "roster_feed_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    counselor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
