"""The roster's unit of work: slots, patterns, staff, audit and feed tokens here; shifts,
leave and swap requests in shifts_repo.py.

Repositories over one Session, no business rules (those are in the shifts core and the
roster use cases); rows go out as the plain records of hotline/ports.py.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from hotline.ports import AuditEntry, FeedTokenRecord, StaffMember, StoredPattern, StoredSlot
from hotline.shifts._time import DEFAULT_TZ
from hotline.store.db import Database
from hotline.store.rosters import FeedToken, RosterAudit, RosterSlot, RotationPatternRow
from hotline.store.shifts_repo import SqlLeave, SqlShifts, SqlSwaps
from hotline.store.uow import SqlUnitOfWork
from hotline.store.users import User, find_by_username


class RosterUnitOfWork(SqlUnitOfWork):
    """One roster transaction; shifts come back in their line's zone (from the directory)."""

    def __init__(self, db: Database, directory=None) -> None:
        super().__init__(db)
        self.directory = directory

    def _repositories(self, session: Session) -> None:
        self.slots = SqlSlots(session)
        self.patterns = SqlPatterns(session)
        self.staff = SqlStaff(session)
        self.shifts = SqlShifts(session, self.directory)
        self.leave = SqlLeave(session)
        self.swaps = SqlSwaps(session)
        self.audit = SqlAudit(session)
        self.feeds = SqlFeedTokens(session)


class SqlSlots:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self, active_only: bool = True) -> list[StoredSlot]:
        query = select(RosterSlot).order_by(RosterSlot.line_id, RosterSlot.start_time, RosterSlot.code)
        if active_only:
            query = query.where(RosterSlot.active.is_(True))
        return [_slot(row) for row in self.session.scalars(query)]

    def get(self, slot_id: int) -> StoredSlot | None:
        row = self.session.get(RosterSlot, slot_id)
        return None if row is None else _slot(row)

    def add(self, **values) -> StoredSlot:
        row = RosterSlot(**values, active=True)
        self.session.add(row)
        self.session.flush()
        return _slot(row)

    def set_active(self, slot_id: int, active: bool) -> StoredSlot:
        row = self.session.get(RosterSlot, slot_id)
        row.active = active
        return _slot(row)


def _slot(row: RosterSlot) -> StoredSlot:
    return StoredSlot(row.id, row.code, row.line_id, row.start_time, row.end_time, row.seats, row.label_zh or "",
                      row.label_en or "", row.tz or DEFAULT_TZ, bool(row.active))


class SqlPatterns:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self, first: date | None = None, last: date | None = None,
            active_only: bool = True) -> list[StoredPattern]:
        query = select(RotationPatternRow).order_by(RotationPatternRow.code)
        if active_only:
            query = query.where(RotationPatternRow.active.is_(True))
        if last is not None:
            query = query.where(RotationPatternRow.start_date <= last)
        if first is not None:
            query = query.where(or_(RotationPatternRow.end_date.is_(None), RotationPatternRow.end_date >= first))
        return [_pattern(row) for row in self.session.scalars(query)]

    def get(self, pattern_id: int) -> StoredPattern | None:
        row = self.session.get(RotationPatternRow, pattern_id)
        return None if row is None else _pattern(row)

    def add(self, *, created_at: datetime, **values) -> StoredPattern:
        row = RotationPatternRow(**values, active=True, created_at=created_at)
        self.session.add(row)
        self.session.flush()
        return _pattern(row)

    def set_active(self, pattern_id: int, active: bool) -> StoredPattern:
        row = self.session.get(RotationPatternRow, pattern_id)
        row.active = active
        return _pattern(row)


def _pattern(row: RotationPatternRow) -> StoredPattern:
    return StoredPattern(row.id, row.code, row.name or "", list(row.cycle or []), list(row.assignees or []),
                         row.start_date, row.end_date, row.days, row.on_holiday, row.advance_on, bool(row.active),
                         row.created_at)


class SqlStaff:
    """StaffDirectory: the users table, as the roster needs it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: int) -> StaffMember | None:
        user = self.session.get(User, user_id)
        return None if user is None else _member(user)

    def find(self, username: str) -> StaffMember | None:
        user = find_by_username(self.session, username)
        return None if user is None else _member(user)

    def by_usernames(self, usernames: Iterable[str]) -> dict[str, StaffMember]:
        wanted = sorted(set(usernames))
        return {u.username: _member(u) for u in self.session.scalars(select(User).where(User.username.in_(wanted)))}

    def names(self, ids: Iterable[int] | None = None) -> dict[int, str]:
        query = select(User.id, User.display_name)
        if ids is not None:
            wanted = sorted(set(ids))
            if not wanted:
                return {}
            query = query.where(User.id.in_(wanted))
        return {uid: name for uid, name in self.session.execute(query)}

    def usernames(self, ids: Iterable[int]) -> dict[int, str]:
        query = select(User.id, User.username).where(User.id.in_(sorted(set(ids))))
        return {uid: name for uid, name in self.session.execute(query)}

    def existing_ids(self, ids: Iterable[int]) -> set[int]:
        wanted = sorted(set(ids))
        if not wanted:
            return set()
        return set(self.session.scalars(select(User.id).where(User.id.in_(wanted))))

    def counselors(self, active_only: bool = True) -> list[StaffMember]:
        query = select(User).order_by(User.display_name, User.id)
        if active_only:
            query = query.where(User.active.is_(True))
        return [_member(u) for u in self.session.scalars(query) if u.role == "counselor" or u.line_ids]


def _member(user: User) -> StaffMember:
    return StaffMember(user.id, user.username, user.display_name, user.role, bool(user.active), user.line_ids)


class SqlAudit:
    """RosterAuditLog: roster_audit (written in the change's own transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, at: datetime, actor_id: int | None, action: str, target: str = "",
               before: dict | None = None, after: dict | None = None, note: str = "") -> None:
        self.session.add(RosterAudit(at=at, actor_id=actor_id, action=action, target=target[:128],
                                     before=before, after=after, note=note or ""))

    def latest(self, limit: int = 200) -> list[AuditEntry]:
        rows = self.session.scalars(select(RosterAudit).order_by(RosterAudit.id.desc()).limit(limit))
        return [AuditEntry(r.id, r.at, r.actor_id, r.action, r.target, r.before, r.after, r.note) for r in rows]


class SqlFeedTokens:
    """FeedTokens: roster_feed_tokens (one per counselor, only the hash)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, counselor_id: int) -> FeedToken | None:
        return self.session.scalar(select(FeedToken).where(FeedToken.counselor_id == counselor_id))

    def of(self, counselor_id: int) -> FeedTokenRecord | None:
        row = self._row(counselor_id)
        return None if row is None else _feed(row)

    def by_hash(self, token_hash: str) -> FeedTokenRecord | None:
        row = self.session.scalar(select(FeedToken).where(FeedToken.token_hash == token_hash))
        return None if row is None else _feed(row)

    def save(self, counselor_id: int, token_hash: str, at: datetime) -> None:
        row = self._row(counselor_id)
        if row is None:
            self.session.add(FeedToken(counselor_id=counselor_id, token_hash=token_hash, created_at=at))
        else:
            row.token_hash, row.created_at, row.last_used_at = token_hash, at, None

    def remove(self, counselor_id: int) -> bool:
        row = self._row(counselor_id)
        if row is None:
            return False
        self.session.delete(row)
        return True

    def touch(self, token_id: int, at: datetime) -> None:
        self.session.execute(update(FeedToken).where(FeedToken.id == token_id).values(last_used_at=at))


def _feed(row: FeedToken) -> FeedTokenRecord:
    return FeedTokenRecord(row.id, row.counselor_id, row.created_at, row.last_used_at)
