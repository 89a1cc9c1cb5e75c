"""The tables of stored reports (aggregate rows only) and of the nightly schedule's settings.

A report run is one computation of one period, for all lines (scope "*") or one
line; its figures are rows (line, metric, key, value): a scalar has key "", a
breakdown one row per non-zero key (an hour, a date, a concern…). Nothing in
these tables can name a caller: there is no caller key, number, note or answer
text, only counts, rates, means and hours. The repositories over them are in
hotline/store/report_store.py.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline.reports.schedule import DEFAULT_RUN_AT, DEFAULT_TZ
from hotline.store.db import Base
from hotline.store.types import UTCDateTime

SCHEDULE_ID = 1


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
