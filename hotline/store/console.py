"""The console's reads of the call record (hotline.ports.ConsoleUnitOfWork): the call a
counselor answered last (shown in wrap-up after a reload) and who handled a call (they
may touch its notes). Read-only: the record is written by the record writer.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.ports import HandledCall
from hotline.store.calls import find
from hotline.store.models import Call
from hotline.store.notes import has_written
from hotline.store.uow import SqlUnitOfWork


class HandledCallsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def last_answered(self, counselor_id: int) -> HandledCall | None:
        query = (select(Call).where(Call.counselor_id == counselor_id, Call.answered_at.is_not(None))
                 .order_by(Call.answered_at.desc(), Call.id.desc()).limit(1))
        call = self.session.scalar(query)
        if call is None:
            return None
        return HandledCall(call.call_sid, call.line_id, call.answered_at, call.wait_seconds, call.ended_at)

    def handled_by(self, user_id: int, call_sid: str) -> bool:
        call = find(self.session, call_sid)
        if call is not None and call.counselor_id == user_id:
            return True
        return has_written(self.session, user_id, call_sid)


class ConsoleUnitOfWork(SqlUnitOfWork):
    def _repositories(self, session: Session) -> None:
        self.handled = HandledCallsRepository(session)
