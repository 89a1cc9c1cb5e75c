"""Caller files (一人一档): the flag, the call-back number, who may look, and the audit trail.

A flagged file must put the caller first in the queue on every later call. The routing
core reads the Redis set keys.flagged(); the database row is the durable truth, so the
set is rebuilt from it whenever it is missing (a Redis restart, a flush): a sentinel key
marks a built set, and its absence triggers a rebuild that only ever *adds* keys.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.store.triage import CallerFile, CallerFileAccess
from hotline.triage.risk import at_least, max_level

log = logging.getLogger(__name__)
FLAG_LEVEL = "imminent"
_REBUILD_EVERY_S = 5.0
_last_check: dict[str, float] = {}


def sentinel_key(services) -> str:
    return f"{services.keys.flagged()}:built"


def get_file(session: Session, caller_key: str) -> CallerFile | None:
    return session.scalar(select(CallerFile).where(CallerFile.caller_key == caller_key))


def ensure_file(session: Session, caller_key: str, now: datetime) -> CallerFile:
    """The caller's file, created on first need (a file exists once something is recorded)."""
    found = get_file(session, caller_key)
    if found is None:
        found = CallerFile(caller_key=caller_key, created_at=now, updated_at=now)
        session.add(found)
        session.flush()
    return found


def flag_in_db(session: Session, caller_key: str, level: str, call_sid: str, now: datetime) -> CallerFile:
    """Persist the flag (never lowers an existing one)."""
    found = ensure_file(session, caller_key, now)
    if found.flagged_level is None or not at_least(found.flagged_level, level):
        found.flagged_level = max_level(level, found.flagged_level or "none")
        found.flagged_at, found.flagged_call_sid, found.updated_at = now, call_sid, now
    return found


def flag_in_redis(services, caller_key: str) -> None:
    services.redis.sadd(services.keys.flagged(), caller_key)


def unflag(services, caller_key: str, now: datetime) -> bool:
    """A supervisor's decision: clears the flag in the database, then in Redis."""
    with services.db.session() as session:
        found = get_file(session, caller_key)
        if found is None or found.flagged_level is None:
            return False
        found.flagged_level, found.flagged_at, found.flagged_call_sid = None, None, None
        found.updated_at = now
    services.redis.srem(services.keys.flagged(), caller_key)
    return True


def flagged_keys(session: Session) -> list[str]:
    return list(session.scalars(select(CallerFile.caller_key).where(CallerFile.flagged_level.is_not(None))))


def rebuild_flagged(services) -> int:
    """Add every flagged file's key to the Redis set and mark the set as built."""
    with services.db.session() as session:
        keys = flagged_keys(session)
    pipe = services.redis.pipeline()
    if keys:
        pipe.sadd(services.keys.flagged(), *keys)
    pipe.set(sentinel_key(services), "1")
    pipe.execute()
    log.info("已重建高风险来电者集合 / flagged caller set rebuilt: %d file(s)", len(keys))
    return len(keys)


def ensure_flagged(services, force: bool = False) -> bool:
    """Rebuild the flagged set if its sentinel is gone; checks at most every few seconds
    per process unless forced. Never raises: callers are on the caller's path."""
    prefix = services.keys.prefix
    now = time.monotonic()
    if not force and now - _last_check.get(prefix, -1e9) < _REBUILD_EVERY_S:
        return False
    _last_check[prefix] = now
    try:
        if services.redis.exists(sentinel_key(services)):
            return False
        rebuild_flagged(services)
        return True
    except Exception as exc:
        log.error("无法重建高风险来电者集合 / cannot rebuild the flagged caller set: %s", type(exc).__name__)
        return False


def is_flagged(services, caller_key: str) -> bool:
    if not caller_key or caller_key == "anonymous":
        return False
    ensure_flagged(services)
    return bool(services.redis.sismember(services.keys.flagged(), caller_key))


def record_access(session: Session, user_id: int, caller_key: str, action: str, at: datetime) -> None:
    """Append one line to the caller-file access log (never updated or deleted here)."""
    session.add(CallerFileAccess(user_id=user_id, caller_key=caller_key, action=action[:32], at=at))


def access_log(session: Session, caller_key: str) -> list[CallerFileAccess]:
    query = select(CallerFileAccess).where(CallerFileAccess.caller_key == caller_key).order_by(CallerFileAccess.id)
    return list(session.scalars(query))


def save_callback(services, caller_key: str, number_e164: str | None, now: datetime) -> CallerFile:
    """Consent given: keep the number, encrypted. Consent withdrawn (None): forget it."""
    with services.db.session() as session:
        found = ensure_file(session, caller_key, now)
        if number_e164 is None:
            found.callback_number_encrypted, found.callback_consent_at = None, None
        else:
            found.callback_number_encrypted = services.keyring.encrypt(number_e164)
            found.callback_consent_at = now
        found.updated_at = now
        return found
