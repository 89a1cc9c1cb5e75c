"""Loading and saving roster rows: the queries the roster application layer needs.

Plain functions over a Session, no business rules: the rules are in the shifts core
and in hotline/shifts_app. Bulk writes use one executemany per chunk (SQLAlchemy's
"insertmanyvalues" on PostgreSQL, executemany on SQLite), so a year of roster
(~13 000 shifts) is written in well under a second.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from hotline.store.rosters import (OPEN_SWAP_STATUSES, FeedToken, LeaveRow, RosterAudit, RosterSlot,
                                   RotationPatternRow, ShiftRow, SwapRequest)
from hotline.store.users import User

CHUNK = 2000


# --- slots and patterns --------------------------------------------------------------
def slots(session: Session, active_only: bool = True) -> list[RosterSlot]:
    query = select(RosterSlot).order_by(RosterSlot.line_id, RosterSlot.start_time, RosterSlot.code)
    if active_only:
        query = query.where(RosterSlot.active.is_(True))
    return list(session.scalars(query))


def patterns(session: Session, first: date | None = None, last: date | None = None,
             active_only: bool = True) -> list[RotationPatternRow]:
    """Patterns (optionally only those that can run between first and last)."""
    query = select(RotationPatternRow).order_by(RotationPatternRow.code)
    if active_only:
        query = query.where(RotationPatternRow.active.is_(True))
    if last is not None:
        query = query.where(RotationPatternRow.start_date <= last)
    if first is not None:
        query = query.where(or_(RotationPatternRow.end_date.is_(None), RotationPatternRow.end_date >= first))
    return list(session.scalars(query))


# --- people -------------------------------------------------------------------------------
def counselors(session: Session, active_only: bool = True) -> list[User]:
    """Everyone who can be rostered: counselors, and staff who answer lines."""
    query = select(User).order_by(User.display_name, User.id)
    if active_only:
        query = query.where(User.active.is_(True))
    return [u for u in session.scalars(query) if u.role == "counselor" or u.line_ids]


def names(session: Session, ids: Iterable[int] | None = None) -> dict[int, str]:
    query = select(User.id, User.display_name)
    if ids is not None:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        query = query.where(User.id.in_(wanted))
    return {uid: name for uid, name in session.execute(query)}


def existing_user_ids(session: Session, ids: Iterable[int]) -> set[int]:
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    return set(session.scalars(select(User.id).where(User.id.in_(wanted))))


# --- shifts -------------------------------------------------------------------------------
def shifts_between(session: Session, start: datetime, end: datetime, *, line_ids: Sequence[str] | None = None,
                   counselor_ids: Sequence[int] | None = None) -> list[ShiftRow]:
    """Shifts overlapping [start, end), in time order."""
    query = select(ShiftRow).where(ShiftRow.starts_at < end, ShiftRow.ends_at > start)
    if line_ids is not None:
        query = query.where(ShiftRow.line_id.in_(list(line_ids)))
    if counselor_ids is not None:
        query = query.where(ShiftRow.counselor_id.in_(list(counselor_ids)))
    return list(session.scalars(query.order_by(ShiftRow.starts_at, ShiftRow.line_id, ShiftRow.id)))


def shifts_starting_between(session: Session, start: datetime, end: datetime, *,
                            source: str | None = None) -> list[ShiftRow]:
    """Shifts whose start lies in [start, end) (a date range's shifts)."""
    return list(session.scalars(select(ShiftRow).where(*_starting_between(start, end, source))))


def shift_tuples_between(session: Session, start: datetime, end: datetime):
    """(counselor_id, line_id, slot_code, starts_at, ends_at, display_name) rows, light for caches."""
    query = (select(ShiftRow.counselor_id, ShiftRow.line_id, ShiftRow.slot_code, ShiftRow.starts_at,
                    ShiftRow.ends_at, User.display_name)
             .join(User, User.id == ShiftRow.counselor_id)
             .where(ShiftRow.starts_at < end, ShiftRow.ends_at > start))
    return list(session.execute(query))


def _starting_between(start: datetime, end: datetime, source: str | None):
    clause = [ShiftRow.starts_at >= start, ShiftRow.starts_at < end]
    return clause + ([ShiftRow.source == source] if source is not None else [])


def shift_ids_starting_between(session: Session, start: datetime, end: datetime, *,
                               source: str | None = None) -> list[int]:
    """Only the ids (a year is ~13 000 rows: no need to build objects for them)."""
    return list(session.scalars(select(ShiftRow.id).where(*_starting_between(start, end, source))))


def delete_shifts_starting_between(session: Session, start: datetime, end: datetime, *,
                                   source: str | None = None) -> int:
    """One DELETE for a date range's shifts (of one source)."""
    return session.execute(delete(ShiftRow).where(*_starting_between(start, end, source))).rowcount


def insert_shifts(session: Session, rows: list[dict], progress=None) -> int:
    """Bulk insert shift dicts in chunks; progress(done, total) after each chunk."""
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(ShiftRow), rows[i:i + CHUNK])
        if progress is not None:
            progress(min(i + CHUNK, len(rows)), len(rows))
    return len(rows)


# --- leave ----------------------------------------------------------------------------------
def leave_between(session: Session, start: datetime, end: datetime,
                  counselor_ids: Sequence[int] | None = None) -> list[LeaveRow]:
    query = select(LeaveRow).where(LeaveRow.starts_at < end, LeaveRow.ends_at > start)
    if counselor_ids is not None:
        query = query.where(LeaveRow.counselor_id.in_(list(counselor_ids)))
    return list(session.scalars(query.order_by(LeaveRow.starts_at)))


# --- swaps ------------------------------------------------------------------------------------
def open_swaps_touching(session: Session, shift_ids: Sequence[int]) -> list[SwapRequest]:
    ids = list(shift_ids)
    found: list[SwapRequest] = []
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        found += session.scalars(select(SwapRequest).where(
            SwapRequest.status.in_(OPEN_SWAP_STATUSES),
            or_(SwapRequest.shift_id.in_(chunk), SwapRequest.other_shift_id.in_(chunk))))
    return list({s.id: s for s in found}.values())


def swaps(session: Session, *, user_id: int | None = None, statuses: Sequence[str] | None = None,
          limit: int = 200) -> list[SwapRequest]:
    query = select(SwapRequest).order_by(SwapRequest.created_at.desc(), SwapRequest.id.desc()).limit(limit)
    if user_id is not None:
        query = query.where(or_(SwapRequest.requester_id == user_id, SwapRequest.target_id == user_id))
    if statuses is not None:
        query = query.where(SwapRequest.status.in_(list(statuses)))
    return list(session.scalars(query))


# --- audit and feed tokens -----------------------------------------------------------------------
def audit(session: Session, at: datetime, actor_id: int | None, action: str, target: str = "",
          before: dict | None = None, after: dict | None = None, note: str = "") -> None:
    """Append one audit row (in the caller's transaction: the change and its record commit together)."""
    session.add(RosterAudit(at=at, actor_id=actor_id, action=action, target=target[:128],
                            before=before, after=after, note=note or ""))


def audit_log(session: Session, limit: int = 200) -> list[RosterAudit]:
    return list(session.scalars(select(RosterAudit).order_by(RosterAudit.id.desc()).limit(limit)))


def feed_token_of(session: Session, counselor_id: int) -> FeedToken | None:
    return session.scalar(select(FeedToken).where(FeedToken.counselor_id == counselor_id))


def feed_token_by_hash(session: Session, token_hash: str) -> FeedToken | None:
    return session.scalar(select(FeedToken).where(FeedToken.token_hash == token_hash))


def touch_feed(session: Session, token_id: int, at: datetime) -> None:
    session.execute(update(FeedToken).where(FeedToken.id == token_id).values(last_used_at=at))
