"""CSV (tidy rows, BOM, previous values), JSON and XLSX of a small hand-made report."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

from openpyxl import load_workbook

from hotline.reports.report import Report
from hotline.reports.export import CSV_COLUMNS, to_csv, to_json, to_xlsx
from hotline.reports.figures import Figures
from hotline.reports.periods import period_ending

LABELS = {"concerns": {"anxiety": "焦虑 / Anxiety", "sleep": "睡眠问题 / Sleep"}}


def figures(offered: float, rate: float | None, concerns: dict) -> Figures:
    return Figures({"offered": offered, "answer_rate": rate, "asa": 12.5},
                   {"concerns": concerns, "day_offered": {"2026-10-31": offered}}, {})


def report(end: date, offered: float, rate, concerns, line=None) -> Report:
    a = figures(offered, rate, concerns)
    lines = {"a": a} if line is None else {"a": a}
    result = Report(period_ending("week", end), line, lines, a, datetime(2026, 11, 1, tzinfo=timezone.utc))
    result.names = {"a": ("甲线", "Line A")}
    return result


def test_csv_rows():
    current = report(date(2026, 10, 31), 10, 0.8, {"sleep": 2, "anxiety": 3})
    previous = report(date(2026, 10, 24), 8, None, {"anxiety": 1})
    text = to_csv(current, previous, LABELS)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    offered = [r for r in rows if r["metric"] == "offered"]
    assert [(r["line_id"], r["value"], r["previous_value"]) for r in offered] == [("*", "10", "8"), ("a", "10", "8")]
    rate = next(r for r in rows if r["metric"] == "answer_rate" and r["line_id"] == "*")
    assert (rate["value"], rate["previous_value"]) == ("0.8", "")
    concerns = [(r["key"], r["key_label"], r["value"], r["previous_value"]) for r in rows
                if r["metric"] == "concerns" and r["line_id"] == "*"]
    assert concerns == [("anxiety", "焦虑 / Anxiety", "3", "1"), ("sleep", "睡眠问题 / Sleep", "2", "0")]
    assert next(r for r in rows if r["line_id"] == "a")["line_name"] == "甲线 / Line A"


def test_json_has_the_comparison():
    data = to_json(report(date(2026, 10, 31), 10, 0.8, {}), report(date(2026, 10, 24), 8, 0.5, {}))
    assert data["comparison"]["offered"]["delta"] == 2
    assert data["comparison"]["answer_rate"]["delta"] == 0.8 - 0.5
    assert data["lines"]["a"]["name"] == "甲线 / Line A"


def test_xlsx_sheets_for_one_line():
    book = load_workbook(io.BytesIO(to_xlsx(report(date(2026, 10, 31), 10, 0.8, {"sleep": 1}, line="a"), None,
                                            LABELS)))
    assert "按线路 By line" not in book.sheetnames
    rows = list(book["分类 Breakdowns"].iter_rows(values_only=True))
    assert ("求助问题 / concerns", "sleep", "睡眠问题 / Sleep", 1) in rows
    assert book["汇总 Summary"]["B2"].value == "甲线 / Line A"
