"""Key rotation at rest: re-encrypt tokens under the newest key, re-key caller files.

A caller key is an HMAC of the number under the newest secret, so adding a secret gives
every caller a new key. A file can only follow its caller when the number is known:
from the encrypted call-back number (`hotline keys rotate`), or from the next incoming
call (`rekey_caller`, for the voice webhook). Moving a key moves every row and Redis
entry under it; a flagged caller keeps priority across the move.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from hotline.ports import DataKeyError, Keyring, LiveCallerKeys, UnitOfWorkFactory
from hotline.triage.risk import max_level

log = logging.getLogger(__name__)


class Rekey:
    def __init__(self, uow: UnitOfWorkFactory, keyring: Keyring, live: LiveCallerKeys) -> None:
        self.uow, self.keyring, self.live = uow, keyring, live

    def rotate_tokens(self, dry_run: bool = False) -> dict[tuple[str, str], int]:
        """Re-encrypt every token not under the newest key; returns counts per column."""
        with self.uow() as uow:
            columns = uow.encrypted.columns()
        counts = {}
        for table, column in columns:
            with self.uow() as uow:
                done = 0
                for row_id, token in uow.encrypted.tokens(table, column):
                    if self.keyring.is_current(token):
                        continue
                    try:
                        fresh = self.keyring.rotate(token)
                    except DataKeyError:
                        log.error("无法轮换 / cannot rotate %s.%s row %s (no configured key opens it)",
                                  table, column, row_id)
                        continue
                    if not dry_run:
                        uow.encrypted.replace_token(table, column, row_id, fresh)
                    done += 1
                uow.commit()
            counts[(table, column)] = done
        return counts

    def rekey_files(self, dry_run: bool = False) -> tuple[int, int]:
        """Re-key files whose number is stored; returns (moved, files without a number)."""
        with self.uow() as uow:
            files = uow.caller_files.numbers_on_file()
        moved, without = 0, 0
        for key, token in files:
            if not token:
                without += 1
                continue
            try:
                number = self.keyring.decrypt(token)
            except DataKeyError:
                log.error("无法解密回电号码，档案未重新计算键 / cannot decrypt a call-back number; file not re-keyed")
                continue
            candidates = self.keyring.caller_key_candidates(number)
            if key != candidates[0] and key in candidates[1:]:
                if not dry_run:
                    self.move_caller_key(key, candidates[0])
                moved += 1
        return moved, without

    def rekey_caller(self, e164: str) -> str:
        """For the voice webhook: the caller's newest key, after moving any file and flag kept
        under an older key to it (so a flagged caller is still put first after a rotation)."""
        candidates = self.keyring.caller_key_candidates(e164)
        if len(candidates) > 1:
            with self.uow() as uow:
                old = [key for key in candidates[1:] if uow.caller_files.get(key) is not None]
            for key in old:
                self.move_caller_key(key, candidates[0])
        return candidates[0]

    def move_caller_key(self, old: str, new: str) -> None:
        """Every row and Redis entry under `old` goes to `new`; two files merge (flag: the more severe)."""
        with self.uow() as uow:
            uow.encrypted.move_caller_key(old, new)
            _merge_files(uow, old, new)
            uow.commit()
        try:
            self.live.move(old, new)
        except Exception as exc:   # the database holds the flag; the set is rebuilt from it
            log.error("Redis 中的来电者键未迁移 / caller key not moved in Redis: %s", type(exc).__name__)
        log.info("来电者档案已重新计算键 / a caller file was re-keyed")


def _merge_files(uow, old: str, new: str) -> None:
    source, target = uow.caller_files.get(old), uow.caller_files.get(new)
    if source is None:
        return
    if target is None:
        uow.caller_files.save(replace(source, caller_key=new))
        return
    merged = replace(target, created_at=min(target.created_at, source.created_at))
    if source.flagged_level:
        merged = replace(merged, flagged_level=max_level(source.flagged_level, target.flagged_level or "none"),
                         flagged_at=target.flagged_at or source.flagged_at,
                         flagged_call_sid=target.flagged_call_sid or source.flagged_call_sid)
    if source.callback_number_encrypted and not target.callback_number_encrypted:
        merged = replace(merged, callback_number_encrypted=source.callback_number_encrypted,
                         callback_consent_at=source.callback_consent_at)
    uow.caller_files.delete(source.id)
    uow.caller_files.save(merged)
