"""Staff accounts: counselors, supervisors and admins, with argon2 password hashes.

The plain password never leaves this module's functions: it is hashed on the way in
and only ever compared through argon2. The model also answers Flask-Login's questions
(is_active, get_id) without importing Flask, so the store stays framework-free.
"""
from __future__ import annotations

import hashlib
import os
from datetime import datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import JSON, Boolean, Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from hotline.store.db import Base
from hotline.store.types import UTCDateTime

ROLES = ("counselor", "supervisor", "admin")
ROLE_LABELS = {"counselor": "咨询师 / Counselor", "supervisor": "督导 / Supervisor",
               "admin": "管理员 / Admin"}
# What each role may do beyond its own name: an admin has every supervisor right.
IMPLIED_ROLES = {"counselor": {"counselor"}, "supervisor": {"supervisor"},
                 "admin": {"admin", "supervisor"}}
MIN_PASSWORD_LENGTH = 8
MAX_USERNAME_LENGTH = 64


class UserError(ValueError):
    """A user could not be created or changed; the message says why (zh / en)."""


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

    # Flask-Login's user protocol, duck-typed so the store needs no Flask import.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    def get_id(self) -> str:
        """id plus a fingerprint of the hash: a new password ends every old session."""
        return f"{self.id}:{session_fingerprint(self.password_hash)}"

    def has_role(self, *roles: str) -> bool:
        return bool(IMPLIED_ROLES.get(self.role, set()) & set(roles))

    @property
    def line_ids(self) -> tuple[str, ...]:
        return tuple(self.lines or ())

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r} {self.role}>"


def session_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's recommended parameters (RFC 9106 low-memory).

    HOTLINE_ARGON2_PROFILE=test (the test suite only) uses cheap parameters so that
    thousands of sign-ins stay fast; never set it in a deployment (doctor warns)."""
    if os.environ.get("HOTLINE_ARGON2_PROFILE") == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hash_password(password: str) -> str:
    check_password_strength(password)
    return hasher().hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符 / "
                        f"password must have at least {MIN_PASSWORD_LENGTH} characters")


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


def check_username(username: str) -> str:
    """Usernames are printable, without spaces, at most 64 characters; case is kept."""
    name = (username or "").strip()
    if not name or len(name) > MAX_USERNAME_LENGTH or not name.isprintable() \
            or any(ch.isspace() for ch in name):
        raise UserError(f"用户名无效 / invalid username {username!r}: 1–{MAX_USERNAME_LENGTH} "
                        "个可打印字符，不含空格 / printable characters without spaces")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"未知角色 / unknown role {role!r}; 可选 / choose one of: {', '.join(ROLES)}")
    return role


def create_user(session: Session, username: str, role: str, password: str, *, now: datetime,
                display_name: str | None = None, lines: tuple[str, ...] | list[str] = ()) -> User:
    """Add a user; raises UserError (nothing written) on a bad or duplicate name."""
    name, role = check_username(username), check_role(role)
    if find_by_username(session, name) is not None:
        raise UserError(f"用户已存在 / user already exists: {name}")
    user = User(username=name, display_name=(display_name or name).strip()[:128], role=role,
                password_hash=hash_password(password), lines=list(dict.fromkeys(lines)),
                active=True, created_at=now)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:   # a concurrent insert of the same name won the race
        raise UserError(f"用户已存在 / user already exists: {name}") from None
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
    """A new hash; old sessions end because get_id() changes with it."""
    user.password_hash = hash_password(password)
