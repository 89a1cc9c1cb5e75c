"""Stored reports (aggregate rows only) and the nightly schedule's settings.

A report run is one computation of one period, for all lines (scope "*") or one
line; its figures are rows (line, metric, key, value): a scalar has key "", a
breakdown one row per non-zero key (an hour, a date, a concern…). Nothing in
these tables can name a caller: there is no caller key, number, note or answer
text, only counts, rates, means and hours.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint, delete,
                        insert, select)
from sqlalchemy.orm import Mapped, Session, mapped_column

from hotline.store.db import Base
from hotline.store.types import UTCDateTime

OVERALL = "*"
SCHEDULE_ID = 1
DEFAULT_RUN_AT = "02:30"
DEFAULT_TZ = "Asia/Shanghai"


class ReportRun(Base):
    """One computed report: a period of one kind, for all lines or one line."""

    __tablename__ = "report_runs"
    __table_args__ = (UniqueConstraint("period", "first_day", "last_day", "scope", name="uq_report_run_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(8))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(String(64))              # "*" or a line id
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(16))              # nightly | on_demand | cli
    notes: Mapped[dict] = mapped_column(JSON, default=dict)      # {line: {metric: why it is missing}}


class ReportFigure(Base):
    """One aggregate figure of a run: (line, metric, key) → value (NULL: not available)."""

    __tablename__ = "report_figures"

    run_id: Mapped[int] = mapped_column(ForeignKey("report_runs.id", ondelete="CASCADE"), primary_key=True)
    line_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    metric: Mapped[str] = mapped_column(String(48), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    value: Mapped[float | None] = mapped_column(Float)


class ReportSchedule(Base):
    """The nightly reports job: when it runs (local time) and whether it is on."""

    __tablename__ = "report_schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    run_at: Mapped[str] = mapped_column(String(5), default=DEFAULT_RUN_AT)       # HH:MM
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TZ)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by: Mapped[int | None] = mapped_column(Integer)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status: Mapped[str | None] = mapped_column(String(16))                  # ok | failed
    last_message: Mapped[str | None] = mapped_column(Text)


# --- report runs ---------------------------------------------------------------------
def replace_run(session: Session, *, period: str, first: date, last: date, scope: str, computed_at: datetime,
                source: str, notes: dict, figures: list[dict]) -> int:
    """Store a run, replacing the earlier run of the same period and scope."""
    session.execute(delete(ReportRun).where(ReportRun.period == period, ReportRun.first_day == first,
                                            ReportRun.last_day == last, ReportRun.scope == scope))
    run = ReportRun(period=period, first_day=first, last_day=last, scope=scope, computed_at=computed_at,
                    source=source, notes=notes)
    session.add(run)
    session.flush()
    session.execute(delete(ReportFigure).where(ReportFigure.run_id == run.id))   # SQLite may reuse an id
    if figures:
        session.execute(insert(ReportFigure), [dict(row, run_id=run.id) for row in figures])
    return run.id


def find_run(session: Session, period: str, first: date, last: date, line: str | None) -> ReportRun | None:
    """The newest run covering this period for `line` (a one-line run or an all-lines run)."""
    scopes = [OVERALL] if not line or line == OVERALL else [line, OVERALL]
    runs = session.scalars(select(ReportRun).where(ReportRun.period == period, ReportRun.first_day == first,
                                                   ReportRun.last_day == last, ReportRun.scope.in_(scopes))
                           .order_by(ReportRun.computed_at.desc()))
    return next(iter(runs), None)


def run_figures(session: Session, run_id: int, lines: list[str] | None = None) -> list[ReportFigure]:
    query = select(ReportFigure).where(ReportFigure.run_id == run_id)
    if lines is not None:
        query = query.where(ReportFigure.line_id.in_(lines))
    return list(session.scalars(query))


def recent_runs(session: Session, limit: int = 20) -> list[ReportRun]:
    return list(session.scalars(select(ReportRun).order_by(ReportRun.computed_at.desc()).limit(limit)))


# --- the schedule --------------------------------------------------------------------
def get_schedule(session: Session) -> ReportSchedule:
    """The schedule row, created with its defaults (on, 02:30 Asia/Shanghai) when absent."""
    row = session.get(ReportSchedule, SCHEDULE_ID)
    if row is None:
        row = ReportSchedule(id=SCHEDULE_ID, enabled=True, run_at=DEFAULT_RUN_AT, timezone=DEFAULT_TZ)
        session.add(row)
        session.flush()
    return row


def update_schedule(session: Session, *, enabled: bool, run_at: str, timezone: str | None, by: int | None,
                    now: datetime) -> ReportSchedule:
    row = get_schedule(session)
    row.enabled, row.run_at = enabled, run_at
    if timezone:
        row.timezone = timezone
    row.updated_at, row.updated_by = now, by
    return row


def record_result(session: Session, *, at: datetime, status: str, message: str = "") -> None:
    row = get_schedule(session)
    row.last_run_at, row.last_status, row.last_message = at, status, message[:2000]
