"""Renderings of a report: JSON, CSV (one tidy row per figure) and XLSX (a sheet per view).

CSV is for machines: one row per (line, metric, key) with the raw value (a rate as
a fraction, times in seconds) and the previous period's value, UTF-8 with a BOM so
that spreadsheet programs show the Chinese labels. XLSX is for people: a summary
with the comparison, one row per line, the days, the hours, the heat map and the
breakdowns, with number formats instead of pre-formatted text.
"""
from __future__ import annotations

import csv
import io
from typing import Iterator

from hotline.reports.compare import compare
from hotline.reports.figures import Figures
from hotline.reports.labels import key_order
from hotline.reports.metrics import BREAKDOWNS, METRICS, WEEKDAYS
from hotline.reports.report import OVERALL, Report

CSV_COLUMNS = ("period", "first_day", "last_day", "line_id", "line_name", "metric", "metric_label", "key",
               "key_label", "value", "previous_value")
CSV_BREAKDOWNS = ("day_offered", "day_answered", "day_abandoned", "hour_offered", "hour_answered",
                  "hour_abandoned", "weekday_offered", "heat", "abandon_wait", "concerns", "population_levels",
                  "risk_levels")


def scopes(report: Report) -> list[tuple[str, Figures]]:
    """(line id, figures) to list: overall then each line; just the line when filtered."""
    if report.line:
        return [(report.line, report.overall)]
    return [(OVERALL, report.overall), *report.lines.items()]


def _previous_of(previous: Report | None, line_id: str) -> Figures | None:
    if previous is None:
        return None
    if line_id in (OVERALL, previous.line):
        return previous.overall
    return previous.lines.get(line_id)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}".rstrip("0").rstrip(".")


def csv_rows(report: Report, previous: Report | None, labels: dict[str, dict[str, str]]) -> Iterator[list[str]]:
    p = report.period
    for line_id, figures in scopes(report):
        before = _previous_of(previous, line_id)
        head = [p.kind, p.first.isoformat(), p.last.isoformat(), line_id, report.name(line_id)]
        for metric in METRICS:
            old = before.values.get(metric.id) if before else None
            yield head + [metric.id, metric.label, "", "", _number(figures.values.get(metric.id)), _number(old)]
        for name in CSV_BREAKDOWNS:
            values = figures.series.get(name, {})
            old_values = before.series.get(name, {}) if before else {}
            names = labels.get(name, {})
            label = " / ".join(BREAKDOWNS[name])
            for key in key_order(name, names, set(values) | set(old_values)):
                yield head + [name, label, key, names.get(key, key), _number(values.get(key, 0.0)),
                              _number(old_values.get(key, 0.0)) if before else ""]


def to_csv(report: Report, previous: Report | None, labels: dict[str, dict[str, str]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(report, previous, labels))
    return buffer.getvalue()


def to_json(report: Report, previous: Report | None) -> dict:
    data = report.to_dict()
    if previous is not None:
        data["previous"] = previous.to_dict()
        data["comparison"] = {k: c.to_dict() for k, c in compare(report.overall, previous.overall).items()}
    return data


# --- XLSX -------------------------------------------------------------------------------
FORMATS = {"ratio": "0.0%", "seconds": "0.0", "hours": "0.0", "count": "0"}


def to_xlsx(report: Report, previous: Report | None, labels: dict[str, dict[str, str]]) -> bytes:
    from openpyxl import Workbook   # loaded only when someone downloads a workbook (slow to import)

    book = Workbook()
    _summary_sheet(book.active, report, previous)
    if not report.line:
        _lines_sheet(book.create_sheet("按线路 By line"), report)
    _days_sheet(book.create_sheet("按日 By day"), report.overall)
    _hours_sheet(book.create_sheet("按小时 By hour"), report.overall)
    _heat_sheet(book.create_sheet("星期×小时 Heat map"), report.overall)
    _breakdown_sheet(book.create_sheet("分类 Breakdowns"), report.overall, labels)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bold_row(sheet, row: int) -> None:
    from openpyxl.styles import Font   # as in to_xlsx: only for a workbook

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def _summary_sheet(sheet, report: Report, previous: Report | None) -> None:
    sheet.title = "汇总 Summary"
    scope = report.name(report.line or OVERALL)
    sheet.append(["心理援助热线报告 / Hotline report", report.period.label])
    sheet.append(["范围 / Scope", scope])
    sheet.append(["计算时间 / Computed at", report.computed_at.isoformat(timespec="seconds")])
    sheet.append([])
    sheet.append(["指标 / Figure", "本期 / This period", "上期 / Previous", "变化 / Change"])
    _bold_row(sheet, sheet.max_row)
    changes = compare(report.overall, previous.overall if previous else None)
    for metric in METRICS:
        c = changes[metric.id]
        sheet.append([metric.label, c.value, c.previous, c.describe(metric)])
        for cell in sheet[sheet.max_row][1:3]:
            cell.number_format = FORMATS[metric.unit]
    sheet.column_dimensions["A"].width = 42
    for col in "BCD":
        sheet.column_dimensions[col].width = 18


def _lines_sheet(sheet, report: Report) -> None:
    sheet.append(["线路 / Line", *[m.label for m in METRICS]])
    _bold_row(sheet, 1)
    for line_id, figures in [(OVERALL, report.overall), *report.lines.items()]:
        sheet.append([report.name(line_id), *[figures.values.get(m.id) for m in METRICS]])
        for cell, metric in zip(sheet[sheet.max_row][1:], METRICS):
            cell.number_format = FORMATS[metric.unit]
    sheet.column_dimensions["A"].width = 36
    sheet.freeze_panes = "B2"


def _days_sheet(sheet, figures: Figures) -> None:
    sheet.append(["日期 / Date", "来电 / Offered", "接听 / Answered", "放弃 / Abandoned"])
    _bold_row(sheet, 1)
    for day in sorted(figures.series.get("day_offered", {})):
        sheet.append([day, *[figures.series.get(n, {}).get(day, 0) for n in
                             ("day_offered", "day_answered", "day_abandoned")]])
    sheet.column_dimensions["A"].width = 14


def _hours_sheet(sheet, figures: Figures) -> None:
    sheet.append(["小时 / Hour", "来电 / Offered", "接听 / Answered", "放弃 / Abandoned"])
    _bold_row(sheet, 1)
    for hour in range(24):
        key = f"{hour:02d}"
        sheet.append([f"{key}:00", *[figures.series.get(n, {}).get(key, 0) for n in
                                     ("hour_offered", "hour_answered", "hour_abandoned")]])


def _heat_sheet(sheet, figures: Figures) -> None:
    heat = figures.series.get("heat", {})
    sheet.append(["星期 / Weekday", *[f"{h:02d}" for h in range(24)]])
    _bold_row(sheet, 1)
    for index, (zh, en) in enumerate(WEEKDAYS):
        sheet.append([f"周{zh} / {en}", *[heat.get(f"{index}:{h:02d}", 0) for h in range(24)]])


def _breakdown_sheet(sheet, figures: Figures, labels: dict[str, dict[str, str]]) -> None:
    sheet.append(["分类 / Breakdown", "值 / Key", "名称 / Label", "数量 / Count"])
    _bold_row(sheet, 1)
    for name in ("concerns", "population_levels", "risk_levels", "abandon_wait"):
        values, names = figures.series.get(name, {}), labels.get(name, {})
        title = " / ".join(BREAKDOWNS[name])
        note = figures.notes.get("assessments") if name != "abandon_wait" else None
        if note and not values:
            sheet.append([title, "", note, None])
        for key in key_order(name, names, set(values)):
            sheet.append([title, key, names.get(key, key), values.get(key, 0)])
    for col, width in zip("ABCD", (24, 18, 40, 12)):
        sheet.column_dimensions[col].width = width
