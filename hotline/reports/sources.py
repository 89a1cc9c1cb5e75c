"""Seams to other areas' records: triage (assessments, referrals) and rosters (shifts).

Reports read those stores through two small interfaces so that the call figures
never wait for them: a source answers per-line tallies (tally.Tally: additive sums
plus breakdowns) for the report's windows. When a store is not installed, the
source is None and its figures are null with the reason in `UNAVAILABLE`.
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from hotline.reports.tally import Tally
from hotline.reports.windows import Window

log = logging.getLogger(__name__)

UNAVAILABLE = {
    "triage": "分诊记录模块尚未安装（hotline.store.triage） / triage records are not installed yet "
              "(hotline.store.triage)",
    "staffing": "排班模块尚未安装（hotline.store.rosters） / rosters are not installed yet (hotline.store.rosters)",
}


@dataclass(frozen=True)
class Scope:
    """What a source needs to know about the report being computed."""

    windows: list[Window]          # the lines reported on, one window per zone
    key: ColumnElement             # SQL expression of a call's line (queries.line_key)
    directory: object              # the line Directory (schedules, zones)
    lines: tuple[str, ...]         # the line ids reported on
    now: datetime                  # for "overdue" figures


class TriageSource(Protocol):
    def tallies(self, session: Session, scope: Scope) -> dict[str | None, Tally]:
        """Per line: sums assessments, referrals_made, referrals_completed, follow_ups_overdue;
        series concerns, population_levels, risk_levels."""


class StaffingSource(Protocol):
    def tallies(self, session: Session, scope: Scope) -> dict[str | None, Tally]:
        """Per line: sums staffed_hours, open_hours, coverage_gap_hours, coverage_gaps."""


@dataclass(frozen=True)
class Sources:
    triage: TriageSource | None = None
    staffing: StaffingSource | None = None

    def unavailable(self) -> dict[str, str]:
        missing = {}
        if self.triage is None:
            missing["triage"] = UNAVAILABLE["triage"]
        if self.staffing is None:
            missing["staffing"] = UNAVAILABLE["staffing"]
        return missing


def _installed(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return False
    return True


def default_sources(decrypt=None) -> Sources:
    """The adapters whose stores are installed in this checkout.

    decrypt: services.keyring.decrypt, to count the encrypted triage answers (concerns,
    population levels) in memory; without it those two breakdowns stay empty.
    """
    triage = staffing = None
    if _installed("hotline.store.triage"):
        from hotline.reports.source_triage import StoreTriage

        triage = StoreTriage(decrypt)
    if _installed("hotline.store.rosters"):
        from hotline.reports.source_rosters import StoreRosters

        staffing = StoreRosters()
    return Sources(triage, staffing)
