"""Staff accounts: counselors, supervisors and admins, with argon2 password hashes.

The plain password never leaves this module's functions: it is hashed on the way in
and only ever compared through argon2. `UserRepository` is the Users port of
hotline/ports.py (it hands out Accounts, never the hash); the rules an account follows
(username shape, roles, password length) are the accounts use case's
(hotline/usecases/accounts.py). The row also answers Flask-Login's questions
(is_active, get_id) for the code that still holds rows.
"""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Iterable, Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import JSON, Boolean, Integer, String, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from hotline.ports import (MAX_USERNAME_LENGTH, ROLE_LABELS, Account, AccountError, AccountEvent, SignIn,
                           role_grants)
from hotline.settings import argon2_profile
from hotline.store.db import Base
from hotline.store.types import UTCDateTime

__all__ = ["AccountAuditRow", "AccountAuditLog", "User", "UserRepository", "create_user", "find_by_username", "get_user", "list_users", "set_password",
           "verify_password"]


class User(Base):
    """One staff member who signs in to the console, the dashboard or the admin pages."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(MAX_USERNAME_LENGTH), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    lines: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Flask-Login's user protocol, duck-typed so the store needs no Flask import.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    def get_id(self) -> str:
        """Flask-Login's alternative id, "<id>:<session version>": every cookie carries it,
        so a new version (sign-out, password, disable, enable) ends every older session."""
        return f"{self.id}:{self.session_version or 0}"

    def has_role(self, *roles: str) -> bool:
        return role_grants(self.role, *roles)

    @property
    def line_ids(self) -> tuple[str, ...]:
        return tuple(self.lines or ())

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def account(self) -> Account:
        """The row as plain data (what leaves the store)."""
        return Account(id=self.id, username=self.username, display_name=self.display_name, role=self.role,
                       lines=self.line_ids, active=self.is_active, created_at=self.created_at,
                       last_login_at=self.last_login_at, session_id=self.get_id(), locked_at=self.locked_at)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r} {self.role}>"


class AccountAuditRow(Base):
    """One account event: a lock, an unlock, a forced sign-out, a password or state change."""

    __tablename__ = "account_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(MAX_USERNAME_LENGTH))
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(255), default="", server_default="")


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's recommended parameters (RFC 9106 low-memory).

    HOTLINE_ARGON2_PROFILE=test (the test suite only) uses cheap parameters so that
    thousands of sign-ins stay fast; never set it in a deployment (doctor warns)."""
    if argon2_profile() == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash("hotline-dummy-password")


def verify_password(user: User | None, password: str) -> bool:
    """True when password matches an active user's hash; rehashes outdated hashes.

    An unknown user still costs one argon2 verification, so response time does not
    tell an attacker which usernames exist. The caller's session saves a rehash.
    """
    if user is None or not user.active:
        _safe_verify(_dummy_hash(), password)
        return False
    if not _safe_verify(user.password_hash, password):
        return False
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hasher().hash(password)
    return True


def _safe_verify(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(session: Session, username: str, role: str, password: str, *, now: datetime,
                display_name: str | None = None, lines: Sequence[str] = ()) -> User:
    """Add a user row (the name already checked by the accounts use case); AccountError
    (nothing written) when the name is taken. Fixtures and scripts call this directly."""
    name = username.strip()
    if find_by_username(session, name) is not None:
        raise AccountError(f"用户已存在 / user already exists: {name}")
    user = User(username=name, display_name=(display_name or name).strip()[:128], role=role,
                password_hash=hasher().hash(password), lines=list(dict.fromkeys(lines)),
                active=True, created_at=now)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:   # a concurrent insert of the same name won the race
        raise AccountError(f"用户已存在 / user already exists: {name}") from None
    return user


def find_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session, role: str | None = None, active_only: bool = False) -> list[User]:
    query = select(User).order_by(User.username)
    if role is not None:
        query = query.where(User.role == role)
    if active_only:
        query = query.where(User.active.is_(True))
    return list(session.scalars(query))


def set_password(user: User, password: str) -> None:
    """A new hash and a new session version: every old session ends."""
    user.password_hash = hasher().hash(password)
    new_session_version(user)


def new_session_version(user: User) -> None:
    user.session_version = (user.session_version or 0) + 1


class UserRepository:
    """hotline.ports.Users on one session (the unit of work commits)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_username(self, username: str) -> Account | None:
        user = find_by_username(self.session, username)
        return user.account() if user is not None else None

    def by_id(self, user_id: int) -> Account | None:
        user = get_user(self.session, user_id)
        return user.account() if user is not None else None

    def all(self) -> list[Account]:
        return [user.account() for user in list_users(self.session)]

    def display_names(self, user_ids: Iterable[int]) -> dict[int, str]:
        ids = set(user_ids)
        if not ids:
            return {}
        rows = self.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()
        return {user_id: name for user_id, name in rows}

    def add(self, username: str, role: str, password: str, *, display_name: str, lines: Sequence[str],
            now: datetime) -> Account:
        return create_user(self.session, username, role, password, now=now, display_name=display_name,
                           lines=lines).account()

    def set_password(self, username: str, password: str) -> bool:
        user = find_by_username(self.session, username)
        if user is None:
            return False
        set_password(user, password)
        return True

    def set_active(self, username: str, active: bool) -> bool:
        user = find_by_username(self.session, username)
        if user is None:
            return False
        user.active = active
        new_session_version(user)
        return True

    def revoke_sessions(self, username: str) -> bool:
        """A new session version in one UPDATE (two sign-outs at once both count)."""
        result = self.session.execute(update(User).where(User.username == username)
                                      .values(session_version=User.session_version + 1))
        self.session.expire_all()
        return bool(result.rowcount)

    def set_locked(self, username: str, locked_at: datetime | None) -> bool:
        """Lock (a time) or unlock (None); False when there is no such user or nothing changed."""
        user = find_by_username(self.session, username)
        if user is None or (user.locked_at is None) == (locked_at is None):
            return False
        user.locked_at = locked_at
        return True

    def sign_in(self, username: str, password: str, now: datetime) -> SignIn:
        """The active user with this password, their last sign-in recorded (and an outdated
        hash renewed); an unknown or empty name costs the same argon2 work as a known one.
        A locked account is refused without trying the password (no oracle for a guesser)."""
        user = find_by_username(self.session, username) if username else None
        if user is not None and user.active and user.locked_at is not None:
            return SignIn(None, user.id, locked=True)
        if not verify_password(user, password):
            return SignIn(None, user.id if user is not None else None)
        user.last_login_at = now
        return SignIn(user.account())


class AccountAuditLog:
    """hotline.ports.AccountAudit on one session (the unit of work commits)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, event: AccountEvent) -> None:
        user = find_by_username(self.session, event.username)
        self.session.add(AccountAuditRow(at=event.at, user_id=user.id if user else None,
                                         username=event.username[:MAX_USERNAME_LENGTH], action=event.action,
                                         actor=event.actor[:64], detail=event.detail[:255]))

    def recent(self, limit: int) -> list[AccountEvent]:
        rows = self.session.scalars(select(AccountAuditRow).order_by(AccountAuditRow.id.desc()).limit(limit))
        return [AccountEvent(at=row.at, username=row.username, action=row.action, actor=row.actor,
                             detail=row.detail) for row in rows]
