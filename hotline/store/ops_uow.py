"""The ops area's unit of work (hotline.ports.OpsUnitOfWork): staff accounts and the day's
call record on one session."""
from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.store.today import TodayRepository
from hotline.store.uow import SqlUnitOfWork
from hotline.store.users import AccountAuditLog, UserRepository


class OpsUnitOfWork(SqlUnitOfWork):
    users: UserRepository
    account_audit: AccountAuditLog
    today: TodayRepository

    def _repositories(self, session: Session) -> None:
        self.users = UserRepository(session)
        self.account_audit = AccountAuditLog(session)
        self.today = TodayRepository(session)
