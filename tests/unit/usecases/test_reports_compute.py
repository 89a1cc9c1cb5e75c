"""A report computed from fake sources: known calls → known figures, per line and overall.

The day is Wednesday 2026-10-14; east and north are in Shanghai, west in Urumqi (UTC+6),
so west's day starts and ends two hours later (in UTC) than the others'.
"""
from __future__ import annotations

import pytest

from hotline.reports.figures import UNAVAILABLE
from hotline.reports.periods import period_ending
from hotline.usecases.reports.compute import STEPS
from tests.unit.usecases.fakes_report_sources import FakeCall
from tests.unit.usecases.fakes_reports import FakeReports
from tests.unit.usecases.reports_world import AFTER, DAY, EAST, NORTH, URUMQI, WEST, at, reports_over

CALLS = [
    FakeCall(at(14, 9), "answered", "east", EAST, "K1", wait=10, talk=600, wrap=60),
    FakeCall(at(14, 9, 30), "answered", "east", EAST, "K1", wait=30, talk=300),
    FakeCall(at(14, 10, 5), "abandoned", "east", EAST, "K2", wait=3),                  # a short abandon
    FakeCall(at(14, 10, 10), "abandoned", "east", EAST, "K3", wait=45),
    FakeCall(at(14, 11), "voicemail", "east", EAST, "anonymous", wait=20),
    FakeCall(at(14, 8), "info_only", None, NORTH, "K2"),                               # no queue: the dialled line
    FakeCall(at(14, 23, 59, 59), "answered", "east", NORTH, "K4", wait=100, talk=200,  # rolled over north → east
             steps=(("queued", "queued:north"), ("rolled_over", "rollover:north"), ("queued", "queued:east"))),
    FakeCall(at(14, 14), "info_only", None, "+861069000000", "K7"),                    # not our number
    FakeCall(at(13, 23, 59, 59), "answered", "east", EAST, "K1", wait=1, talk=50),     # the day before
    FakeCall(at(14, 0, 30, tz=URUMQI), "answered", "west", WEST, "K8", wait=5, talk=100),
    FakeCall(at(14, 23, 30, tz=URUMQI), "answered", "west", WEST, "K9", wait=15, talk=100),  # 01:30 in Shanghai
    FakeCall(at(15, 0, 30, tz=URUMQI), "answered", "west", WEST, "K8", wait=5, talk=100),    # west's next day
]


@pytest.fixture
def report():
    return reports_over(FakeReports(CALLS)).compute(DAY)


def test_each_line_counts_its_own_calls(report):
    east, north, west = (report.lines[k].values for k in ("east", "north", "west"))
    assert (east["offered"], east["answered"], east["abandoned"], east["abandoned_short"]) == (6, 3, 2, 1)
    assert east["abandon_wait_avg"] == 24.0 and east["voicemail"] == 1
    assert east["answer_rate"] == pytest.approx(0.5)
    assert east["service_level_20"] == pytest.approx(1 / 5)            # 10 s of 6 − 1 short abandon
    assert east["service_level_60"] == pytest.approx(2 / 5)
    assert east["asa"] == pytest.approx((10 + 30 + 100) / 3) and east["talk_avg"] == pytest.approx(1100 / 3)
    assert east["wrap_up_avg"] == 60
    assert (east["rolled_in"], north["rolled_out"]) == (1, 1)
    assert east["repeat_callers"] == 1                                  # K1; K2 was on two lines
    assert (north["offered"], north["info_only"], north["answer_rate"]) == (1, 1, 0)
    assert (west["offered"], west["answered"]) == (2, 2)                # by west's own midnight
    assert report.lines["unassigned"].values["info_only"] == 1


def test_overall_sums_the_lines_and_counts_repeat_callers_across_them(report):
    overall = report.overall.values
    assert (overall["offered"], overall["answered"], overall["rolled_in"], overall["rolled_out"]) == (10, 5, 1, 1)
    assert overall["repeat_callers"] == 2                               # K1 and K2 (east and north)
    assert overall["service_level_20"] == pytest.approx(3 / 9)          # c1 and west's two calls


def test_breakdowns_are_in_each_lines_local_time(report):
    east = report.lines["east"].series
    assert {k: v for k, v in east["heat"].items() if v} == {"2:09": 2, "2:10": 2, "2:11": 1, "2:23": 1}
    assert east["abandon_wait"] == {"0-5": 1, "5-20": 0, "20-60": 1, "60-120": 0, "120+": 0}
    west = report.lines["west"].series
    assert {k: v for k, v in west["hour_offered"].items() if v} == {"00": 1, "23": 1}
    assert {k: v for k, v in west["day_offered"].items() if v} == {"2026-10-14": 2}


def test_lines_come_in_directory_order_with_names_and_unassigned_last(report):
    assert list(report.lines) == ["east", "north", "west", "unassigned"]
    assert report.name("east") == "东线 / East line" and report.name("west") == "西线"
    assert report.name("*") == "全部热线 / all lines" and report.computed_at == AFTER


def test_a_one_line_report_is_that_line_of_the_all_lines_report(report):
    alone = reports_over(FakeReports(CALLS)).compute(DAY, "east")
    assert list(alone.lines) == ["east"] and alone.line == "east"
    assert alone.overall.values == pytest.approx(report.lines["east"].values)
    assert alone.overall.series == report.lines["east"].series
    west = reports_over(FakeReports(CALLS)).compute(DAY, "west")
    assert west.overall.values["offered"] == 2


def test_calls_on_no_known_line_can_be_reported_alone():
    alone = reports_over(FakeReports(CALLS)).compute(DAY, "unassigned")
    assert alone.overall.values["offered"] == 1 and alone.overall.values["answer_rate"] == 0


def test_an_empty_period_has_zero_counts_and_no_rates():
    empty = reports_over(FakeReports()).compute(period_ending("week", DAY.last))
    assert empty.overall.values["offered"] == 0 and empty.overall.values["answer_rate"] is None
    assert empty.overall.values["repeat_callers"] == 0 and list(empty.lines) == ["east", "north", "west"]


def test_progress_is_reported_after_each_of_the_seven_steps():
    seen = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append((done, total, message))

    reports_over(FakeReports(CALLS)).compute(DAY, progress=progress)
    assert seen == [(n + 1, 7, STEPS[n]) for n in range(7)]


def test_a_missing_source_gives_null_figures_with_a_note_never_zero():
    report = reports_over(FakeReports(CALLS, with_triage=False, with_rosters=False)).compute(DAY)
    values, notes = report.overall.values, report.overall.notes
    assert values["assessments"] is None and notes["assessments"] == UNAVAILABLE["triage"]
    assert values["staffed_hours"] is None and notes["coverage_gaps"] == UNAVAILABLE["staffing"]
    assert report.overall.series["concerns"] == {} and values["offered"] == 10
    present = reports_over(FakeReports(CALLS)).compute(DAY).overall
    assert present.values["assessments"] == 0 and "assessments" not in present.notes


def test_all_figures_come_from_one_unit_of_work():
    store = FakeReports(CALLS)
    reports_over(store).compute(DAY)
    assert store.opened == 1 and store.commits == 0
