"""Key rotation at rest: re-encrypt tokens under the newest key, re-key caller files.

A caller key is an HMAC of the number under the newest secret, so adding a secret gives
every caller a new key. A file can only follow its caller when the number is known:
from the encrypted call-back number (`hotline keys rotate`), or from the next incoming
call (`rekey_caller`, for the voice webhook). Moving a key moves every row and Redis
entry under it; a flagged caller keeps priority across the move.
"""
from __future__ import annotations

import logging

from sqlalchemy import inspect, text

from hotline.store.privacy import DataKeyError
from hotline.triage.risk import max_level

log = logging.getLogger(__name__)

# (table, column) of every Fernet token stored by Hotline.
ENCRYPTED = (("call_notes", "body_encrypted"), ("callback_requests", "number_encrypted"),
             ("triage_assessments", "answers_encrypted"), ("triage_assessments", "override_reason_encrypted"),
             ("triage_referrals", "note_encrypted"), ("caller_files", "callback_number_encrypted"),
             ("triage_checklists", "values_encrypted"))
# Tables whose rows belong to a caller key (caller_files is handled on its own).
KEYED = ("calls", "callback_requests", "triage_assessments", "triage_referrals", "triage_follow_ups",
         "caller_file_access")


def _tables(services) -> set[str]:
    return set(inspect(services.db.engine).get_table_names())


def rotate_tokens(services, dry_run: bool = False) -> dict[tuple[str, str], int]:
    """Re-encrypt every token not under the newest key; returns counts per column."""
    ring, present, counts = services.keyring, _tables(services), {}
    for table, column in ENCRYPTED:
        if table not in present:
            continue
        with services.db.session() as session:
            rows = session.execute(text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")).all()
            done = 0
            for row_id, token in rows:
                if ring.is_current(token):
                    continue
                try:
                    fresh = ring.rotate(token)
                except DataKeyError:
                    log.error("无法轮换 / cannot rotate %s.%s row %s (no configured key opens it)", table, column, row_id)
                    continue
                if not dry_run:
                    session.execute(text(f"UPDATE {table} SET {column} = :t WHERE id = :i"), {"t": fresh, "i": row_id})
                done += 1
        counts[(table, column)] = done
    return counts


def rekey_files(services, dry_run: bool = False) -> tuple[int, int]:
    """Re-key files whose number is stored; returns (moved, files without a number)."""
    with services.db.session() as session:
        rows = session.execute(text("SELECT caller_key, callback_number_encrypted FROM caller_files")).all()
    moved, without = 0, 0
    for key, token in rows:
        if not token:
            without += 1
            continue
        try:
            number = services.keyring.decrypt(token)
        except DataKeyError:
            log.error("无法解密回电号码，档案未重新计算键 / cannot decrypt a call-back number; file not re-keyed")
            continue
        candidates = services.keyring.caller_key_candidates(number)
        if key != candidates[0] and key in candidates[1:]:
            if not dry_run:
                move_caller_key(services, key, candidates[0])
            moved += 1
    return moved, without


def rekey_caller(services, e164: str) -> str:
    """For the voice webhook: the caller's newest key, after moving any file and flag kept
    under an older key to it (so a flagged caller is still put first after a rotation)."""
    candidates = services.keyring.caller_key_candidates(e164)
    if len(candidates) > 1:
        with services.db.session() as session:
            old = [k for k in candidates[1:] if session.execute(
                text("SELECT 1 FROM caller_files WHERE caller_key = :k"), {"k": k}).first()]
        for key in old:
            move_caller_key(services, key, candidates[0])
    return candidates[0]


def move_caller_key(services, old: str, new: str) -> None:
    """Every row and Redis entry under `old` goes to `new`; two files merge (flag: the more severe)."""
    present = _tables(services)
    with services.db.session() as session:
        for table in KEYED:
            if table in present:
                session.execute(text(f"UPDATE {table} SET caller_key = :new WHERE caller_key = :old"),
                                {"new": new, "old": old})
        _merge_files(session, old, new)
    _move_redis(services, old, new)
    log.info("来电者档案已重新计算键 / a caller file was re-keyed")


def _merge_files(session, old: str, new: str) -> None:
    from sqlalchemy import select

    from hotline.store.triage import CallerFile

    source = session.scalar(select(CallerFile).where(CallerFile.caller_key == old))
    target = session.scalar(select(CallerFile).where(CallerFile.caller_key == new))
    if source is None:
        return
    if target is None:
        source.caller_key = new
        return
    if source.flagged_level:
        target.flagged_level = max_level(source.flagged_level, target.flagged_level or "none")
        target.flagged_at = target.flagged_at or source.flagged_at
        target.flagged_call_sid = target.flagged_call_sid or source.flagged_call_sid
    if source.callback_number_encrypted and not target.callback_number_encrypted:
        target.callback_number_encrypted = source.callback_number_encrypted
        target.callback_consent_at = source.callback_consent_at
    target.created_at = min(target.created_at, source.created_at)
    session.delete(source)


def _move_redis(services, old: str, new: str) -> None:
    try:
        r, keys = services.redis, services.keys
        if r.sismember(keys.flagged(), old):
            r.sadd(keys.flagged(), new)
            r.srem(keys.flagged(), old)
        last = r.hget(keys.last_counselor(), old)
        if last is not None:
            r.hset(keys.last_counselor(), new, last)
            r.hdel(keys.last_counselor(), old)
    except Exception as exc:   # the database holds the flag; the set is rebuilt from it
        log.error("Redis 中的来电者键未迁移 / caller key not moved in Redis: %s", type(exc).__name__)
