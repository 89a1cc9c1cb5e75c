"""Reports stored and read back through a fake store; stored or live; filters and labels."""
from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from hotline.reports.periods import PeriodError, period_ending
from hotline.triage.forms import load_forms
from tests.unit.usecases.fakes import FakeClock
from tests.unit.usecases.fakes_report_sources import FakeCall
from tests.unit.usecases.fakes_reports import FakeReports
from tests.unit.usecases.reports_world import AFTER, DAY, EAST, NORTH, at, reports_over

CALLS = [FakeCall(at(14, 9), "answered", "east", EAST, "K1", wait=10, talk=600, sid="c1"),
         FakeCall(at(14, 10), "abandoned", "east", EAST, "K1", wait=8, sid="c2"),
         FakeCall(at(14, 11), "info_only", None, NORTH, "K2", sid="c3"),
         FakeCall(at(14, 12), "info_only", None, "+861069000000", "K3", sid="c4")]


def test_a_stored_report_reads_back_as_computed():
    store = FakeReports(CALLS, with_triage=False)
    reports = reports_over(store)
    report, run_id = reports.compute_and_store(DAY, source="nightly")
    loaded = reports.load(DAY)
    assert loaded.overall.values == report.overall.values and loaded.overall.notes == report.overall.notes
    assert list(loaded.lines) == list(report.lines) and loaded.computed_at == report.computed_at
    for line_id, figures in report.lines.items():
        assert loaded.lines[line_id].values == figures.values, line_id
        for name, series in figures.series.items():
            assert loaded.lines[line_id].series[name] == {k: v for k, v in series.items() if v}, (line_id, name)
    assert store.runs.runs[run_id].source == "nightly" and store.runs.runs[run_id].scope == "*"


def test_one_line_reads_back_out_of_the_all_lines_run():
    reports = reports_over(FakeReports(CALLS))
    report, _ = reports.compute_and_store(DAY)
    east = reports.load(DAY, "east")
    assert list(east.lines) == ["east"] and east.line == "east"
    assert east.overall.values == report.lines["east"].values
    assert reports.load(DAY, "unassigned").overall.values["info_only"] == 1


def test_only_non_zero_breakdown_keys_are_stored_and_nothing_names_a_caller():
    store = FakeReports(CALLS)
    _, run_id = reports_over(store).compute_and_store(DAY)
    rows = store.runs.rows[run_id]
    assert all(row.value for row in rows if row.key)
    text = repr(rows) + repr(store.runs.runs[run_id].notes)
    assert not any(word in text for word in ("K1", "K2", "K3", "c1", "+861069000000", EAST))


def test_storing_again_replaces_the_run_of_the_same_period_and_scope():
    store = FakeReports(CALLS)
    reports = reports_over(store)
    reports.compute_and_store(DAY)
    reports.compute_and_store(DAY)
    reports.compute_and_store(DAY, "east")
    assert sorted(run.scope for run in store.runs.runs.values()) == ["*", "east"]
    assert set(store.runs.rows) == set(store.runs.runs)


def test_stored_or_live_uses_a_complete_run_and_keeps_a_finished_live_one():
    store = FakeReports(CALLS)
    reports = reports_over(store)
    report, stored = reports.stored_or_live(DAY)
    assert stored is False and [r.source for r in store.runs.runs.values()] == ["view"]
    again, stored = reports.stored_or_live(DAY)
    assert stored is True and again.overall.values == report.overall.values
    assert list(again.lines) == ["east", "north", "west", "unassigned"] and again.name("east") == "东线 / East line"


def test_a_run_computed_before_its_period_ended_is_not_used():
    store = FakeReports(CALLS)
    reports = reports_over(store)
    early = reports.compute(DAY)
    early.computed_at = at(14, 23)                    # before the day was over (west's even later)
    reports.store(early, "on_demand")
    assert reports.stored_or_live(DAY)[1] is False
    assert reports.stored_or_live(DAY)[1] is True      # the live one was kept


def test_a_period_not_over_yet_is_computed_every_time_and_not_kept():
    store = FakeReports(CALLS)
    reports = reports_over(store, FakeClock(at(14, 20)))
    _, stored = reports.stored_or_live(DAY)
    assert stored is False and store.runs.runs == {}
    assert reports.period_over_at(DAY) == datetime(2026, 10, 14, 18, tzinfo=timezone.utc)   # Urumqi's midnight


def test_a_viewer_losing_the_race_to_store_still_gets_the_report(caplog):
    store = FakeReports(CALLS)
    store.fail_commit = True
    with caplog.at_level(logging.INFO):
        report, stored = reports_over(store).stored_or_live(DAY)
    assert stored is False and report.overall.values["offered"] == 4 and store.runs.runs == {}
    assert "report not kept (FakeStoreError)" in caplog.text


def test_storing_on_purpose_does_not_hide_a_failure():
    store = FakeReports(CALLS)
    store.fail_commit = True
    with pytest.raises(Exception, match="unique constraint"):
        reports_over(store).compute_and_store(DAY)


def test_with_previous_and_the_view_of_a_period():
    reports = reports_over(FakeReports(CALLS))
    view = reports.view("week", date(2026, 10, 18), None)
    assert view.report.period == period_ending("week", date(2026, 10, 18))
    assert view.previous.period.last == date(2026, 10, 11) and view.stored is False
    assert view.report.overall.values["offered"] == 4 and view.previous.overall.values["offered"] == 0
    assert view.zone == "Asia/Shanghai" and view.now == AFTER
    assert view.labels["risk_levels"]["imminent"] == "紧急 / imminent"
    assert reports.view("day", date(2026, 10, 14), "east", labels=False).labels == {}


@pytest.mark.parametrize("kind,end,line,message", [
    ("year", None, None, "unknown period"), (None, "31/10/2026", None, "YYYY-MM-DD"),
    (None, None, "atlantis", "unknown line 'atlantis'")])
def test_bad_filters_are_named(kind, end, line, message):
    with pytest.raises(PeriodError, match=message):
        reports_over(FakeReports()).filters(kind, end, line)


def test_filters_default_to_the_week_ending_yesterday_in_the_home_zone():
    late = FakeClock(datetime(2026, 11, 2, 17, tzinfo=timezone.utc))          # 01:00 on 11-03 in Shanghai
    reports = reports_over(FakeReports(), late)
    assert reports.filters(None, None, None) == ("week", date(2026, 11, 2), None)
    assert reports.filters("Day", "today", "*") == ("day", date(2026, 11, 3), None)
    assert reports.filters("month", "2026-10-31", "unassigned") == ("month", date(2026, 10, 31), "unassigned")
    assert reports.lines() == [("east", "东线"), ("north", "北线"), ("west", "西线")]


FORMS_DIR = Path(__file__).resolve().parents[3] / "config" / "triage"


def test_labels_come_from_the_forms_and_fall_back_to_the_stored_values(caplog):
    labels = reports_over(FakeReports(), forms=lambda: load_forms(FORMS_DIR)).labels()
    assert labels["concerns"]["anxiety"] == "焦虑 / Anxiety"
    assert labels["population_levels"]["1"] == "第一级 / Level 1"            # shortened for a chart axis

    def broken():
        raise OSError("no such directory")

    with caplog.at_level(logging.WARNING):
        fallback = reports_over(FakeReports(), forms=broken).labels()
    assert fallback["concerns"] == {} and "risk_levels" in fallback and "cannot read triage form labels" in caplog.text
