"""The triage area's unit of work: one session, its repositories, one commit.

A unique key taken by a concurrent writer surfaces as hotline.ports.StoreConflict, at a
repository's flush or at the commit, so the use case may try once more and see the other
writer's row (two first saves of one call's assessment race that way).
"""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.ports import StoreConflict
from hotline.store.caller_files import SqlCallerFiles, SqlReferrals, file_access
from hotline.store.notes import SqlNotes, note_access
from hotline.store.triage_calls import SqlCallRecord, SqlEncryptedColumns
from hotline.store.triage_records import SqlAssessments, SqlChecklists, SqlFollowUps
from hotline.store.uow import SqlUnitOfWork


def triage_repositories(target, session: Session) -> None:
    """Hang every triage repository on `target` (the unit of work), over one session."""
    target.assessments = SqlAssessments(session)
    target.checklists = SqlChecklists(session)
    target.follow_ups = SqlFollowUps(session)
    target.caller_files = SqlCallerFiles(session)
    target.file_access = file_access(session)
    target.referrals = SqlReferrals(session)
    target.notes = SqlNotes(session)
    target.note_access = note_access(session)
    target.calls = SqlCallRecord(session)
    target.encrypted = SqlEncryptedColumns(session)


class SqlTriageUnitOfWork(SqlUnitOfWork):
    """hotline.ports.TriageUnitOfWork on SQLAlchemy."""

    def _repositories(self, session: Session) -> None:
        triage_repositories(self, session)

    def commit(self) -> None:
        try:
            super().commit()
        except IntegrityError as exc:
            raise StoreConflict(type(exc.orig).__name__) from exc
