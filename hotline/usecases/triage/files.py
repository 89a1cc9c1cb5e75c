"""Caller files (一人一档): the flag, the call-back number, and the live flagged set.

A flagged file must put the caller first in the queue on every later call. The routing
core reads the Redis set (hotline.ports.FlaggedSet); the database row is the durable
truth, so the set is rebuilt from it whenever it is missing (a Redis restart, a flush):
a sentinel marks a built set, and its absence triggers a rebuild that only ever *adds*
keys.
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import datetime
from typing import Callable, Sequence

from hotline.ports import CallerFileRecord, Clock, FlaggedSet, Keyring, UnitOfWorkFactory
from hotline.triage.numbers import normalize_number
from hotline.triage.risk import at_least, max_level
from hotline.usecases.triage.errors import TriageError
from hotline.usecases.triage.origin import ANONYMOUS, CallOrigins

log = logging.getLogger(__name__)
REBUILD_EVERY_S = 5.0


def ensure_file(uow, caller_key: str, now: datetime) -> CallerFileRecord:
    """The caller's file, created on first need (a file exists once something is recorded)."""
    return uow.caller_files.get(caller_key) or uow.caller_files.save(
        CallerFileRecord(caller_key, created_at=now, updated_at=now))


def flag_file(uow, caller_key: str, level: str, call_sid: str, now: datetime) -> CallerFileRecord:
    """Persist the flag (never lowers an existing one)."""
    found = ensure_file(uow, caller_key, now)
    if found.flagged_level is None or not at_least(found.flagged_level, level):
        found = uow.caller_files.save(replace(found, flagged_level=max_level(level, found.flagged_level or "none"),
                                              flagged_at=now, flagged_call_sid=call_sid, updated_at=now))
    return found


class FlaggedCallers:
    """hotline.ports.FlaggedCallers: is any of a caller's keys flagged (the live set, rebuilt
    from the files first when Redis lost it)."""

    def __init__(self, flagged: FlaggedSet, uow: UnitOfWorkFactory, every_s: float = REBUILD_EVERY_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.flagged, self.uow, self.every_s, self.monotonic = flagged, uow, every_s, monotonic
        self._last_check = -1e9

    def is_flagged(self, caller_keys: Sequence[str]) -> bool:
        keys = [key for key in caller_keys if key and key != ANONYMOUS]
        if not keys:
            return False
        rebuilt = self.ensure()
        if self.flagged.any_flagged(keys):
            return True
        return not rebuilt and not self._set_built() and self.on_file(keys)

    def flagged_from(self, caller_keys: Sequence[str], hit: bool, set_built: bool) -> bool:
        """is_flagged from a read already made: the answer as read while the set is built;
        when it is not (Redis lost it), rebuilt from the files first (at most every few seconds),
        and between two rebuilds the files are asked for this caller."""
        keys = [key for key in caller_keys if key and key != ANONYMOUS]
        if not keys:
            return False
        if set_built:
            return hit
        if self.ensure():
            return self.flagged.any_flagged(keys)
        return hit or self.on_file(keys)

    def on_file(self, caller_keys: Sequence[str]) -> bool:
        """The durable truth for one caller, asked while the live set is missing and not rebuilt
        this moment (the rebuild is throttled, or failed): without it a flagged caller would be
        queued as an unknown one until the next rebuild. A database failure answers False."""
        try:
            with self.uow() as uow:
                return any(found is not None and found.flagged_level is not None
                           for found in map(uow.caller_files.get, caller_keys))
        except Exception as exc:
            log.error("无法查询来电者档案标记 / cannot read the caller's file flag: %s", type(exc).__name__)
            return False

    def _set_built(self) -> bool:
        try:
            return self.flagged.is_built()
        except Exception:
            return False

    def ensure(self, force: bool = False) -> bool:
        """Rebuild the set if its sentinel is gone; checks at most every few seconds unless
        forced. True when it rebuilt. Never raises: callers are on the caller's path."""
        now = self.monotonic()
        if not force and now - self._last_check < self.every_s:
            return False
        self._last_check = now
        try:
            if self.flagged.is_built():
                return False
            self.rebuild()
            return True
        except Exception as exc:
            log.error("无法重建高风险来电者集合 / cannot rebuild the flagged caller set: %s", type(exc).__name__)
            return False

    def rebuild(self) -> int:
        """Add every flagged file's key to the set and mark the set as built."""
        with self.uow() as uow:
            keys = uow.caller_files.flagged_keys()
        self.flagged.rebuild(keys)
        log.info("已重建高风险来电者集合 / flagged caller set rebuilt: %d file(s)", len(keys))
        return len(keys)


class CallerFiles:
    """A supervisor's unflagging and the caller's call-back consent."""

    def __init__(self, uow: UnitOfWorkFactory, flagged: FlaggedSet, keyring: Keyring, clock: Clock,
                 origins: CallOrigins) -> None:
        self.uow, self.flagged, self.keyring, self.clock, self.origins = uow, flagged, keyring, clock, origins

    def unflag(self, user_id: int, caller_key: str) -> bool:
        """Clears the flag in the database, then in Redis; the decision is audited either way."""
        now = self.clock.now()
        with self.uow() as uow:
            found = uow.caller_files.get(caller_key)
            done = found is not None and found.flagged_level is not None
            if done:
                uow.caller_files.save(replace(found, flagged_level=None, flagged_at=None, flagged_call_sid=None,
                                              updated_at=now))
                uow.commit()
        if done:
            self.flagged.remove(caller_key)
        with self.uow() as uow:
            uow.file_access.record(user_id, caller_key, "file.unflag", self.clock.now())
            uow.commit()
        log.info("督导取消档案标记 / supervisor %s unflagged a caller file", user_id)
        return done

    def callback_file(self, call_sid: str) -> str:
        """The caller key a call-back number of this call would be kept under."""
        origin = self.origins.of(call_sid)
        if not origin.has_file:
            raise TriageError("匿名来电无法建立档案 / an anonymous call has no caller file")
        return origin.caller_key

    def save_callback(self, caller_key: str, consent: bool, number: str | None) -> dict:
        """Consent given: keep the number, encrypted. Consent withdrawn: forget it."""
        e164 = None
        if consent:
            try:
                e164 = normalize_number(number or "")
            except ValueError:
                raise TriageError("字段 number：不是有效的电话号码 / field 'number': not a valid phone number") from None
        now = self.clock.now()
        with self.uow() as uow:
            found = ensure_file(uow, caller_key, now)
            uow.caller_files.save(replace(found, updated_at=now,
                                          callback_number_encrypted=self.keyring.encrypt(e164) if e164 else None,
                                          callback_consent_at=now if e164 else None))
            uow.commit()
        matches = bool(e164) and caller_key in self.keyring.caller_key_candidates(e164)
        return {"consent": consent, "stored": bool(e164), "matches_caller": matches}
