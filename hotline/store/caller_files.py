"""Repositories of a caller's file (一人一档): the file, its referrals and who opened it.

Rows come and go as the plain records of hotline.ports (see records.py); free text is
only ever stored as the Keyring tokens the use cases hand over.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.ports import CallerFileRecord, ReferralRecord
from hotline.store.records import SqlAccessLog, flush, to_record, write
from hotline.store.triage import CallerFile, CallerFileAccess, Referral


class SqlCallerFiles:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, caller_key: str) -> CallerFileRecord | None:
        row = self.session.scalar(select(CallerFile).where(CallerFile.caller_key == caller_key))
        return to_record(CallerFileRecord, row) if row else None

    def save(self, record: CallerFileRecord) -> CallerFileRecord:
        row = self.session.get(CallerFile, record.id) if record.id is not None else None
        return replace(record, id=write(self.session, CallerFile, record, row).id)

    def delete(self, file_id: int) -> None:
        row = self.session.get(CallerFile, file_id)
        if row is not None:
            self.session.delete(row)
            flush(self.session)

    def flagged_keys(self) -> list[str]:
        return list(self.session.scalars(select(CallerFile.caller_key).where(CallerFile.flagged_level.is_not(None))))

    def numbers_on_file(self) -> list[tuple[str, str | None]]:
        rows = self.session.execute(select(CallerFile.caller_key, CallerFile.callback_number_encrypted))
        return [(key, token) for key, token in rows]


class SqlReferrals:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, referral_id: int, for_update: bool = False) -> ReferralRecord | None:
        row = self.session.get(Referral, referral_id, with_for_update=for_update or None)
        return to_record(ReferralRecord, row) if row else None

    def save(self, record: ReferralRecord) -> ReferralRecord:
        row = self.session.get(Referral, record.id) if record.id is not None else None
        return replace(record, id=write(self.session, Referral, record, row).id)

    def _list(self, query) -> list[ReferralRecord]:
        return [to_record(ReferralRecord, row) for row in self.session.scalars(query)]

    def for_call(self, call_sid: str) -> list[ReferralRecord]:
        return self._list(select(Referral).where(Referral.call_sid == call_sid).order_by(Referral.id))

    def for_caller(self, caller_key: str) -> list[ReferralRecord]:
        return self._list(select(Referral).where(Referral.caller_key == caller_key).order_by(Referral.id.desc()))

    def due(self, statuses: Iterable[str], now: datetime) -> list[ReferralRecord]:
        return self._list(select(Referral).where(Referral.status.in_(tuple(statuses)),
                                                 Referral.next_follow_up_at <= now))

    def count(self, caller_key: str, statuses: Iterable[str]) -> int:
        found = self.session.scalar(select(func.count(Referral.id)).where(Referral.caller_key == caller_key,
                                                                          Referral.status.in_(tuple(statuses))))
        return int(found or 0)


def file_access(session: Session) -> SqlAccessLog:
    """caller_file_access: one row per view, export, unflag or refusal of a caller file."""
    return SqlAccessLog(session, CallerFileAccess, "caller_key")
