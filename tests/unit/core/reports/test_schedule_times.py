"""The nightly run's next time (wall clock of the zone, also across DST) and its input."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from hotline.reports.schedule import next_run, parse_run_at


def test_next_run_is_strictly_after():
    after = datetime(2026, 10, 14, 18, 30, tzinfo=timezone.utc)          # 02:30 on the 15th in Shanghai
    assert next_run(after, "02:30", "Asia/Shanghai") == datetime(2026, 10, 15, 18, 30, tzinfo=timezone.utc)
    assert next_run(after, "02:31", "Asia/Shanghai") == datetime(2026, 10, 14, 18, 31, tzinfo=timezone.utc)


def test_next_run_keeps_the_wall_clock_across_dst():
    before = next_run(datetime(2026, 3, 6, 12, tzinfo=timezone.utc), "03:30", "America/New_York")
    after = next_run(before, "03:30", "America/New_York")
    assert before.hour == 8 and after.hour == 7         # EST (−5) then EDT (−4)


@pytest.mark.parametrize("text,value", [("02:30", "02:30"), ("7:05", "07:05"), (" 23:59 ", "23:59")])
def test_times_are_read_as_hh_mm(text, value):
    assert parse_run_at(text) == value


@pytest.mark.parametrize("text", ["24:00", "2:3", "noon", "", "12:60"])
def test_bad_times_are_refused(text):
    with pytest.raises(ValueError, match="HH:MM"):
        parse_run_at(text)
