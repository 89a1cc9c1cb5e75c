"""Folding hour buckets into a line's tally, and finishing it into figures."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from hotline.reports.figures import finish
from hotline.reports.tally import CALL_SUMS, BucketRow, ReportTally, add_sums, fold_buckets, total


def bucket(line, utc: datetime, **sums) -> BucketRow:
    values = dict.fromkeys(CALL_SUMS, 0.0)
    values.update(sums)
    return BucketRow(line, int(utc.timestamp()) // 3600, 3600, values)


def test_buckets_are_read_in_the_line_zone():
    rows = [bucket("a", datetime(2026, 10, 13, 16, tzinfo=timezone.utc), offered=3, answered=2, abandoned=1),
            bucket("a", datetime(2026, 10, 14, 15, tzinfo=timezone.utc), offered=1),
            bucket(None, datetime(2026, 10, 14, 1, tzinfo=timezone.utc), offered=5)]
    tallies = fold_buckets(rows, "Asia/Shanghai")
    a = tallies["a"]
    assert a.sums["offered"] == 4 and a.sums["answered"] == 2
    assert a.series["hour_offered"] == {"00": 3, "23": 1}       # 16:00 UTC is midnight in Shanghai
    assert a.series["day_offered"] == {"2026-10-14": 4}
    assert a.series["heat"] == {"2:00": 3, "2:23": 1}           # a Wednesday
    assert a.series["hour_abandoned"]["00"] == 1
    assert tallies["unassigned"].sums["offered"] == 5


def test_tallies_add_up():
    one, two = ReportTally(), ReportTally()
    one.sums.update(offered=2, wait_sum=10)
    one.series_of("heat")["0:01"] = 2
    two.sums.update(offered=3)
    two.series_of("heat")["0:01"] = 1
    both = total([one, two])
    assert both.sums["offered"] == 5 and both.series["heat"]["0:01"] == 3
    add_sums({"a": both}, {"a": {"rolled_in": 1}})
    assert both.sums["rolled_in"] == 1


def test_rates_exclude_short_abandons_and_means_ignore_missing_values():
    tally = ReportTally()
    tally.sums.update(offered=10, answered=6, abandoned=3, abandoned_short=2, within_20=3, within_60=5,
                      wait_sum=120, wait_n=6, talk_sum=600, talk_n=5, abandon_wait_sum=30, abandon_wait_n=3,
                      ab_0_5=2, ab_20_60=1)
    figures = finish(tally, repeat_callers=4)
    v = figures.values
    assert v["answer_rate"] == 0.6
    assert v["service_level_20"] == pytest.approx(3 / 8) and v["service_level_60"] == pytest.approx(5 / 8)
    assert (v["asa"], v["talk_avg"], v["abandon_wait_avg"], v["repeat_callers"]) == (20, 120, 10, 4)
    assert figures.series["abandon_wait"] == {"0-5": 2, "5-20": 0, "20-60": 1, "60-120": 0, "120+": 0}


def test_nothing_to_divide_by_gives_none_not_zero():
    v = finish(ReportTally(), repeat_callers=0).values
    assert v["offered"] == 0
    assert v["answer_rate"] is v["service_level_20"] is v["asa"] is v["talk_avg"] is v["wrap_up_avg"] is None


def test_missing_sources_and_wrap_up_carry_a_note():
    tally = ReportTally()
    tally.sums.update(offered=1, answered=1)
    figures = finish(tally, 0, {"triage": "no triage store", "staffing": "no rosters"})
    assert figures.values["assessments"] is None and figures.notes["assessments"] == "no triage store"
    assert figures.values["staffed_hours"] is None and figures.notes["coverage_gaps"] == "no rosters"
    assert figures.values["wrap_up_avg"] is None and "wrap_up_ended" in figures.notes["wrap_up_avg"]
    assert figures.series["concerns"] == {}
