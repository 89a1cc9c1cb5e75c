"""The call record of one day, for the dashboard's counters (hotline.ports.TodayRecords).

Only what counting needs leaves the database: ids, lines, times, status and outcome —
never a caller key or a note. The counting itself is hotline/usecases/dashboard_today.py.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.ports import DayCall, QueueEntry
from hotline.store.models import Call, CallEvent

QUEUE_KINDS = ("queued", "rolled_over")


class TodayRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def calls(self, start: datetime, end: datetime) -> list[DayCall]:
        """Calls received in [start, end)."""
        rows = self.session.execute(
            select(Call.id, Call.line_id, Call.received_at, Call.answered_at, Call.status, Call.outcome,
                   Call.wait_seconds, Call.talk_seconds).where(Call.received_at >= start, Call.received_at < end))
        return [DayCall(*row) for row in rows]

    def queue_entries(self, start: datetime, end: datetime) -> list[QueueEntry]:
        """Queue entries and rollovers of the calls received in [start, end)."""
        rows = self.session.execute(
            select(CallEvent.call_id, CallEvent.kind, CallEvent.dedup_key, CallEvent.at)
            .join(Call, Call.id == CallEvent.call_id)
            .where(Call.received_at >= start, Call.received_at < end, CallEvent.kind.in_(QUEUE_KINDS))).all()
        return [QueueEntry(*row) for row in rows]
