"""Finishing a tally into a line's figures: the rates, means and breakdowns shown.

A ratio with nothing to divide by is None (no calls means no answer rate, not 0 %),
and a figure whose source is missing is None with a note that says why, so a page
never shows a made-up zero.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from hotline.reports.metrics import ABANDON_WAIT_BUCKETS, METRICS
from hotline.reports.tally import TIME_SERIES, ReportTally

COUNTS = ("offered", "answered", "abandoned", "abandoned_short", "rolled_in", "rolled_out", "voicemail",
          "transferred", "info_only")
TRIAGE = ("assessments", "referrals_made", "referrals_completed", "follow_ups_overdue")
TRIAGE_SERIES = ("concerns", "population_levels", "risk_levels")
STAFFING = ("staffed_hours", "open_hours", "coverage_gap_hours", "coverage_gaps")
# Why a source's figures are null: its records are not available to this report.
UNAVAILABLE = {
    "triage": "分诊记录模块尚未安装（hotline.store.triage） / triage records are not installed yet "
              "(hotline.store.triage)",
    "staffing": "排班模块尚未安装（hotline.store.rosters） / rosters are not installed yet (hotline.store.rosters)",
}
WRAP_UP_NOTE = ("整理时长尚未记录：接线台未把“整理结束”写入通话记录（wrap_up_ended 事件）",
                "wrap-up is not recorded yet: the console does not write a wrap_up_ended call event")


@dataclass
class Figures:
    """The figures of one line (or of all lines) for one period."""

    values: dict[str, float | None] = field(default_factory=dict)
    series: dict[str, dict[str, float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"values": dict(self.values), "series": {k: dict(v) for k, v in self.series.items()},
                "notes": dict(self.notes)}

    @classmethod
    def from_dict(cls, data: Mapping) -> "Figures":
        return cls(dict(data.get("values", {})), {k: dict(v) for k, v in data.get("series", {}).items()},
                   dict(data.get("notes", {})))


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def finish(tally: ReportTally, repeat_callers: int | None, unavailable: Mapping[str, str] | None = None) -> Figures:
    """Figures from a tally. `unavailable` maps a source ('triage', 'staffing') to why it is missing."""
    s, unavailable = tally.sums, dict(unavailable or {})
    values: dict[str, float | None] = {name: float(s.get(name, 0)) for name in COUNTS}
    offered = s.get("offered", 0)
    values.update(
        abandon_wait_avg=ratio(s.get("abandon_wait_sum", 0), s.get("abandon_wait_n", 0)),
        answer_rate=ratio(s.get("answered", 0), offered),
        service_level_20=ratio(s.get("within_20", 0), offered - s.get("abandoned_short", 0)),
        service_level_60=ratio(s.get("within_60", 0), offered - s.get("abandoned_short", 0)),
        asa=ratio(s.get("wait_sum", 0), s.get("wait_n", 0)),
        talk_avg=ratio(s.get("talk_sum", 0), s.get("talk_n", 0)),
        wrap_up_avg=ratio(s.get("wrap_sum", 0), s.get("wrap_n", 0)),
        repeat_callers=None if repeat_callers is None else float(repeat_callers),
    )
    notes = {}
    if values["wrap_up_avg"] is None and s.get("answered", 0):
        notes["wrap_up_avg"] = " / ".join(WRAP_UP_NOTE)
    _optional(values, notes, s, TRIAGE, unavailable.get("triage"))
    _optional(values, notes, s, STAFFING, unavailable.get("staffing"))
    series = {name: dict(tally.series.get(name, {})) for name in TIME_SERIES}
    series["abandon_wait"] = {label: float(s.get(key, 0)) for key, label in ABANDON_WAIT_BUCKETS}
    for name in TRIAGE_SERIES:
        series[name] = {} if unavailable.get("triage") else dict(tally.series.get(name, {}))
    return Figures({m.id: values.get(m.id) for m in METRICS}, series, notes)


def _optional(values, notes, sums, names, missing: str | None) -> None:
    for name in names:
        if missing:
            values[name], notes[name] = None, missing
        else:
            values[name] = float(sums.get(name, 0))
