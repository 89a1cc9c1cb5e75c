"""What the /reports page and the printed summary show, as plain data for the templates.

Kept out of the Flask module so the choices (which figures are headline cards, how
a heat-map cell is shaded, what the charts receive) are testable without a request.
"""
from __future__ import annotations

from typing import Iterable

from hotline.reports.compare import Change, compare
from hotline.reports.labels import key_order
from hotline.reports.metrics import BREAKDOWNS, BY_ID, METRICS, WEEKDAYS, format_value
from hotline.reports.periods import KIND_LABELS, KINDS
from hotline.reports.report import OVERALL, Report
from hotline.reports.windows import zone

HEADLINE = ("offered", "answered", "abandoned", "answer_rate", "service_level_20", "asa", "talk_avg",
            "repeat_callers")
LINE_COLUMNS = ("offered", "answered", "abandoned", "answer_rate", "service_level_20", "service_level_60",
                "asa", "rolled_in", "rolled_out", "voicemail", "staffed_hours", "coverage_gap_hours")
GROUPS = (("calls", "来电", "Calls"), ("service", "服务", "Service"), ("triage", "分诊与转介", "Triage and referrals"),
          ("staffing", "排班与覆盖", "Staffing and coverage"))
HEAT_LEVELS = 6


def card(metric_id: str, c: Change) -> dict:
    metric = BY_ID[metric_id]
    tone = "neutral" if c.good is None else ("good" if c.good else "bad")
    return {"id": metric_id, "zh": metric.zh, "en": metric.en, "value": format_value(metric, c.value),
            "previous": format_value(metric, c.previous), "change": c.describe(metric), "tone": tone,
            "direction": c.direction}


def figure_groups(report: Report, changes: dict[str, Change]) -> list[dict]:
    notes = report.overall.notes
    groups = []
    for group, zh, en in GROUPS:
        rows = [dict(card(m.id, changes[m.id]), note=notes.get(m.id, "")) for m in METRICS if m.group == group]
        groups.append({"id": group, "zh": zh, "en": en, "rows": rows})
    return groups


def line_rows(report: Report) -> list[dict]:
    rows = []
    for line_id, figures in report.lines.items():
        cells = [format_value(BY_ID[m], figures.values.get(m)) for m in LINE_COLUMNS]
        rows.append({"id": line_id, "name": report.names.get(line_id, (line_id,))[0], "cells": cells})
    return rows


def heat_rows(report: Report) -> list[dict]:
    """7 rows (Monday first) of 24 cells with a shade 0..5 relative to the busiest cell."""
    heat = report.overall.series.get("heat", {})
    peak = max(heat.values(), default=0)
    rows = []
    for index, (zh, en) in enumerate(WEEKDAYS):
        cells = []
        for hour in range(24):
            value = heat.get(f"{index}:{hour:02d}", 0)
            level = 0 if not value or not peak else 1 + int((HEAT_LEVELS - 2) * value / peak + 0.5)
            cells.append({"hour": hour, "value": int(value), "level": min(level, HEAT_LEVELS - 1)})
        rows.append({"zh": zh, "en": en, "cells": cells})
    return rows


def chart_data(report: Report, previous: Report | None, labels: dict[str, dict[str, str]]) -> dict:
    """What static/js/reports.js draws: series with labels, already in display order."""
    figures = report.overall
    days = sorted(figures.series.get("day_offered", {}))
    hours = [f"{h:02d}" for h in range(24)]
    data = {
        "days": {"labels": days, **{k: [figures.series.get(f"day_{k}", {}).get(d, 0) for d in days]
                                    for k in ("offered", "answered", "abandoned")}},
        "hours": {"labels": [f"{h}:00" for h in hours], **{k: [figures.series.get(f"hour_{k}", {}).get(h, 0)
                                                               for h in hours] for k in ("offered", "answered",
                                                                                         "abandoned")}},
        "breakdowns": {name: _breakdown(figures, previous, name, labels.get(name, {}))
                       for name in ("abandon_wait", "concerns", "population_levels", "risk_levels")},
    }
    if previous is not None:
        data["previous_hours"] = [previous.overall.series.get("hour_offered", {}).get(h, 0) for h in hours]
    return data


def _breakdown(figures, previous, name: str, names: dict[str, str]) -> dict:
    values = figures.series.get(name, {})
    old = previous.overall.series.get(name, {}) if previous is not None else {}
    keys = key_order(name, names, set(values) | set(old))
    zh, en = BREAKDOWNS[name]
    labels = [names.get(k, k) for k in keys]
    return {"title": f"{zh} / {en}", "labels": labels, "counts": [values.get(k, 0) for k in keys],
            "pairs": [[label, values.get(k, 0)] for label, k in zip(labels, keys)],
            "previous": [old.get(k, 0) for k in keys],
            "note": figures.notes.get("assessments", "") if name != "abandon_wait" else ""}


def filters(kind: str, end, line: str | None, lines: Iterable[tuple[str, str]]) -> dict:
    """The filter bar: period kinds, the chosen ones, and the lines ((id, name) pairs) to pick from."""
    return {"kinds": [{"id": k, "label": f"{KIND_LABELS[k][0]} / {KIND_LABELS[k][1]}"} for k in KINDS],
            "kind": kind, "end": end.isoformat(), "line": line or "",
            "lines": [{"id": line_id, "name": name} for line_id, name in lines]}


def page_model(report: Report, previous: Report | None, labels: dict, stored: bool,
               tz: str = "Asia/Shanghai") -> dict:
    changes = compare(report.overall, previous.overall if previous else None)
    computed = report.computed_at.astimezone(zone(tz))
    return {"title": report.name(report.line or OVERALL), "period": report.period, "previous": previous,
            "computed_at": report.computed_at, "computed_label": computed.strftime("%Y-%m-%d %H:%M"),
            "stored": stored,
            "cards": [card(m, changes[m]) for m in HEADLINE], "groups": figure_groups(report, changes),
            "line_columns": [BY_ID[m] for m in LINE_COLUMNS], "line_rows": line_rows(report) if not report.line else [],
            "heat": heat_rows(report), "charts": chart_data(report, previous, labels)}
