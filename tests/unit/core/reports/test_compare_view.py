"""Comparison with the previous period, and the page's view model choices."""
from __future__ import annotations

from datetime import date, datetime, timezone

from hotline.reports.compare import change, compare
from hotline.reports.report import Report
from hotline.reports.figures import Figures
from hotline.reports.metrics import BY_ID
from hotline.reports.periods import period_ending
from hotline.reports.view import heat_rows, page_model


def test_rates_change_in_points_counts_in_percent_and_direction_says_good_or_bad():
    rate = change(BY_ID["answer_rate"], 0.80, 0.85)
    assert rate.describe(BY_ID["answer_rate"]) == "-5.0 pp" and rate.good is False
    offered = change(BY_ID["offered"], 120, 100)
    assert offered.describe(BY_ID["offered"]) == "+20 (+20.0%)" and offered.good is None
    abandoned = change(BY_ID["abandoned"], 8, 10)
    assert abandoned.good is True and abandoned.direction == "down"
    assert change(BY_ID["asa"], None, 10).describe(BY_ID["asa"]) == "—"
    assert change(BY_ID["offered"], 5, 0).relative is None
    assert set(compare(Figures({"offered": 1.0}), None)) == set(BY_ID)


def report_with_heat(heat: dict) -> Report:
    figures = Figures({"offered": float(sum(heat.values()))}, {"heat": heat})
    return Report(period_ending("week", date(2026, 10, 31)), None, {}, figures,
                  datetime(2026, 11, 1, tzinfo=timezone.utc))


def test_heat_map_shades_relative_to_the_busiest_cell():
    rows = heat_rows(report_with_heat({"0:09": 10, "0:10": 1, "6:23": 5}))
    monday, sunday = rows[0]["cells"], rows[6]["cells"]
    assert monday[9] == {"hour": 9, "value": 10, "level": 5}
    assert monday[10]["level"] == 1 and monday[0]["level"] == 0 and sunday[23]["level"] == 3
    assert len(rows) == 7 and all(len(r["cells"]) == 24 for r in rows)


def test_page_model_cards_and_missing_previous():
    model = page_model(report_with_heat({"0:09": 3}), None, {}, stored=False)
    assert [c["id"] for c in model["cards"]][:3] == ["offered", "answered", "abandoned"]
    assert model["cards"][0]["value"] == "3" and model["cards"][0]["previous"] == "—"
    assert model["computed_label"] == "2026-11-01 08:00"
