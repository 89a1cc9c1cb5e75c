"""The reports' unit of work: the sources a report reads and the store it is kept in.

`SqlReportsUnitOfWork` (the ReportsUnitOfWork port) opens one session and hangs the
repositories on it: the call sums (report_queries.py), the triage and roster rows
(report_sources.py), the stored runs and the nightly schedule (below, over the tables
of hotline/store/reports.py). Everything crossing it is plain data: the core's
FigureRow, StoredRun and NightlySchedule, never a row object.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from hotline.reports.report import OVERALL
from hotline.reports.schedule import DEFAULT_RUN_AT, DEFAULT_TZ, NightlySchedule
from hotline.reports.stored import FigureRow, StoredRun
from hotline.store.report_queries import SqlReportCalls
from hotline.store.report_sources import SqlReportRosters, SqlReportTriage
from hotline.store.reports import SCHEDULE_ID, ReportFigure, ReportRun, ReportSchedule
from hotline.store.uow import SqlUnitOfWork

# What this store raises when the database fails or refuses a write, for a use case that
# tolerates it (keeping a report computed for a viewer) without importing SQLAlchemy.
STORE_ERRORS: tuple[type[Exception], ...] = (SQLAlchemyError,)
MESSAGE_LENGTH = 2000


class SqlReportRuns:
    """ReportRuns: stored report runs and their figure rows."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, *, period: str, first: date, last: date, scope: str, computed_at: datetime, source: str,
                notes: dict, figures: Sequence[FigureRow]) -> int:
        session = self.session
        session.execute(delete(ReportRun).where(ReportRun.period == period, ReportRun.first_day == first,
                                                ReportRun.last_day == last, ReportRun.scope == scope))
        run = ReportRun(period=period, first_day=first, last_day=last, scope=scope, computed_at=computed_at,
                        source=source, notes=notes)
        session.add(run)
        session.flush()
        session.execute(delete(ReportFigure).where(ReportFigure.run_id == run.id))   # SQLite may reuse an id
        if figures:
            session.execute(insert(ReportFigure), [dict(run_id=run.id, line_id=row.line_id, metric=row.metric,
                                                        key=row.key, value=row.value) for row in figures])
        return run.id

    def find(self, period: str, first: date, last: date, line: str | None) -> StoredRun | None:
        scopes = [OVERALL] if not line or line == OVERALL else [line, OVERALL]
        runs = self.session.scalars(select(ReportRun).where(ReportRun.period == period, ReportRun.first_day == first,
                                                            ReportRun.last_day == last, ReportRun.scope.in_(scopes))
                                    .order_by(ReportRun.computed_at.desc()))
        run = next(iter(runs), None)
        return None if run is None else _run(run)

    def figures(self, run_id: int, lines: Sequence[str] | None = None) -> list[FigureRow]:
        query = select(ReportFigure).where(ReportFigure.run_id == run_id)
        if lines is not None:
            query = query.where(ReportFigure.line_id.in_(list(lines)))
        return [FigureRow(r.line_id, r.metric, r.key, r.value) for r in self.session.scalars(query)]

    def recent(self, limit: int = 20) -> list[StoredRun]:
        runs = self.session.scalars(select(ReportRun).order_by(ReportRun.computed_at.desc()).limit(limit))
        return [_run(run) for run in runs]


def _run(row: ReportRun) -> StoredRun:
    return StoredRun(row.id, row.period, row.first_day, row.last_day, row.scope, row.computed_at, row.source,
                     dict(row.notes or {}))


class SqlReportSchedule:
    """ReportScheduleStore: the one settings row of the nightly run."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self) -> ReportSchedule:
        row = self.session.get(ReportSchedule, SCHEDULE_ID)
        if row is None:
            row = ReportSchedule(id=SCHEDULE_ID, enabled=True, run_at=DEFAULT_RUN_AT, timezone=DEFAULT_TZ)
            self.session.add(row)
            self.session.flush()
        return row

    def get(self) -> NightlySchedule:
        """The settings, the row created with its defaults (on, 02:30 Asia/Shanghai) when absent."""
        return _schedule(self._row())

    def update(self, *, enabled: bool, run_at: str, by: int | None, now: datetime) -> NightlySchedule:
        row = self._row()
        row.enabled, row.run_at = enabled, run_at
        row.updated_at, row.updated_by = now, by
        return _schedule(row)

    def record_result(self, *, at: datetime, status: str, message: str = "") -> None:
        row = self._row()
        row.last_run_at, row.last_status, row.last_message = at, status, message[:MESSAGE_LENGTH]


def _schedule(row: ReportSchedule) -> NightlySchedule:
    return NightlySchedule(row.enabled, row.run_at, row.timezone, row.updated_at, row.updated_by, row.last_run_at,
                           row.last_status, row.last_message)


class SqlReportsUnitOfWork(SqlUnitOfWork):
    """One session for a report's reading (or its storing), with the reports' repositories."""

    calls: SqlReportCalls
    triage: SqlReportTriage | None
    rosters: SqlReportRosters | None
    runs: SqlReportRuns
    schedule: SqlReportSchedule

    def _repositories(self, session: Session) -> None:
        self.calls = SqlReportCalls(session)
        self.triage = SqlReportTriage(session)
        self.rosters = SqlReportRosters(session)
        self.runs = SqlReportRuns(session)
        self.schedule = SqlReportSchedule(session)
