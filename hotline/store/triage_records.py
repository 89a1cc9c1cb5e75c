"""Repositories of a call's triage: the assessment, the emergency checklist, the follow-up.

Each works on the session of one TriageUnitOfWork (hotline/store/triage_uow.py) and
returns the plain records of hotline.ports; a record with an id updates its row, one
without inserts (a unique call_sid taken meanwhile is a StoreConflict).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.ports import AssessmentRecord, ChecklistRecord, FollowUpRecord
from hotline.store.records import to_record, write
from hotline.store.triage import Assessment, EmergencyChecklist, FollowUp


class SqlAssessments:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, call_sid: str, for_update: bool = False) -> Assessment | None:
        query = select(Assessment).where(Assessment.call_sid == call_sid)
        return self.session.scalar(query.with_for_update() if for_update else query)

    def get(self, call_sid: str, for_update: bool = False) -> AssessmentRecord | None:
        row = self._row(call_sid, for_update)
        return to_record(AssessmentRecord, row) if row else None

    def save(self, record: AssessmentRecord) -> AssessmentRecord:
        row = self.session.get(Assessment, record.id) if record.id is not None else None
        return replace(record, id=write(self.session, Assessment, record, row).id)

    def add_actions(self, assessment_id: int, actions: Iterable[str]) -> list[str]:
        row = self.session.get(Assessment, assessment_id)
        row.actions_done = sorted(set(row.actions_done or []) | set(actions))
        return list(row.actions_done)

    def latest_by(self, counselor_id: int) -> tuple[str, datetime] | None:
        found = self.session.execute(select(Assessment.call_sid, Assessment.updated_at)
                                     .where(Assessment.counselor_id == counselor_id)
                                     .order_by(Assessment.updated_at.desc()).limit(1)).first()
        return (found[0], found[1]) if found else None

    def for_caller(self, caller_key: str) -> list[AssessmentRecord]:
        query = select(Assessment).where(Assessment.caller_key == caller_key).order_by(Assessment.updated_at.desc())
        return [to_record(AssessmentRecord, row) for row in self.session.scalars(query)]

    def last_level(self, caller_key: str, exclude_sid: str) -> str | None:
        return self.session.execute(select(Assessment.level)
                                    .where(Assessment.caller_key == caller_key, Assessment.call_sid != exclude_sid)
                                    .order_by(Assessment.updated_at.desc()).limit(1)).scalar()

    def needing_review(self) -> list[AssessmentRecord]:
        query = select(Assessment).where(Assessment.needs_review.is_(True)).order_by(Assessment.updated_at)
        return [to_record(AssessmentRecord, row) for row in self.session.scalars(query)]

    def at_levels(self, levels: Iterable[str], limit: int, counselor_id: int | None = None) -> list[AssessmentRecord]:
        """The newest assessments whose (final) level is one of these (of one counselor, if
        given): the close guard's candidates."""
        query = select(Assessment).where(Assessment.level.in_(tuple(levels)))
        if counselor_id is not None:
            query = query.where(Assessment.counselor_id == counselor_id)
        query = query.order_by(Assessment.updated_at.desc()).limit(limit)
        return [to_record(AssessmentRecord, row) for row in self.session.scalars(query)]

    def mark_reviewed(self, assessment_id: int, by: int, at: datetime) -> AssessmentRecord | None:
        row = self.session.get(Assessment, assessment_id)
        if row is None:
            return None
        row.needs_review, row.reviewed_by, row.reviewed_at = False, by, at
        return to_record(AssessmentRecord, row)


class _OnePerCall:
    """A table with one row per call (a unique call_sid)."""

    model: type
    record: type

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, call_sid: str):
        return self.session.scalar(select(self.model).where(self.model.call_sid == call_sid))

    def get(self, call_sid: str):
        row = self._row(call_sid)
        return to_record(self.record, row) if row else None

    def save(self, record) -> None:
        write(self.session, self.model, record, self._row(record.call_sid))


class SqlChecklists(_OnePerCall):
    model, record = EmergencyChecklist, ChecklistRecord


class SqlFollowUps(_OnePerCall):
    model, record = FollowUp, FollowUpRecord

    def due(self, now: datetime) -> list[FollowUpRecord]:
        query = select(FollowUp).where(FollowUp.status != "done", FollowUp.due_at <= now).order_by(FollowUp.due_at)
        return [to_record(FollowUpRecord, row) for row in self.session.scalars(query)]

    def mark_done(self, follow_up_id: int, by: int, at: datetime) -> FollowUpRecord | None:
        row = self.session.get(FollowUp, follow_up_id)
        if row is None:
            return None
        row.status, row.done_by, row.done_at = "done", by, at
        return to_record(FollowUpRecord, row)

    def for_caller(self, caller_key: str) -> list[FollowUpRecord]:
        query = select(FollowUp).where(FollowUp.caller_key == caller_key).order_by(FollowUp.due_at.desc())
        return [to_record(FollowUpRecord, row) for row in self.session.scalars(query)]
