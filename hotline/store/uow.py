"""The SQLAlchemy unit of work: one session, one transaction, repositories on top.

`with uow:` opens a session; `uow.commit()` commits; leaving the block without a
commit (or with an exception) rolls back, so nothing half-written stays behind.
Each area's unit of work subclasses this and builds its repositories from the
session in `_repositories` (see the store modules of each area); the use cases only
see the Protocols of hotline/ports.py.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.store.db import Database


class SqlUnitOfWork:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.session: Session | None = None

    def __enter__(self):
        self.session = self.db.sessions()
        self._repositories(self.session)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.rollback()     # a no-op after commit(); undoes anything left uncommitted
        finally:
            self.session.close()
            self.session = None

    def _repositories(self, session: Session) -> None:
        """Attach the area's repositories (subclasses)."""

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
