"""Coverage against fake schedules: gaps, over-staffing, closed hours, runs, JSON."""
from datetime import date, timedelta

import pytest

from hotline.shifts import ShiftSlot, coverage, coverage_between

from .helpers import AlwaysOpen, FakeSchedule, at, shift, three_slots

DAY, EVENING, NIGHT = three_slots(day=2)
D = date(2026, 12, 31)


def _full_day(day=D):
    return [shift("d1", DAY, day), shift("d2", DAY, day), shift("e1", EVENING, day), shift("n1", NIGHT, day)]


def test_fully_staffed_24h_line_has_no_runs_across_year_end():
    shifts = _full_day() + _full_day(D + timedelta(days=1))
    report = coverage(shifts, [DAY, EVENING, NIGHT], {"A": AlwaysOpen()}, D, D + timedelta(days=1))
    assert report.ok and report.gaps == () and report.over == ()
    assert report.line("A").open_hours == 48


def test_missing_evening_is_one_gap_run_ending_at_midnight():
    shifts = [s for s in _full_day() if s.counselor_id != "e1"]
    [gap] = coverage(shifts, [DAY, EVENING, NIGHT], {"A": AlwaysOpen()}, D, D).gaps
    assert (gap.start, gap.end, gap.required, gap.staffed, gap.shortfall) == (at(2026, 12, 31, 16), at(2027, 1, 1), 1, 0, 1)
    assert gap.seat_hours == 8 and "short 1 seat" in gap.message() and "缺 1 个席位" in gap.message()


def test_runs_split_when_the_shortfall_changes():
    shifts = [shift("d1", DAY, D), shift("n1", NIGHT, D)]  # day 2 needed 1 there; evening 1 needed 0 there
    gaps = coverage(shifts, [DAY, EVENING, NIGHT], {"A": AlwaysOpen()}, D, D).gaps
    assert [(g.start.hour, g.end.hour, g.required, g.staffed) for g in gaps] == [(8, 16, 2, 1), (16, 0, 1, 0)]


def test_over_staffing_and_staffing_while_closed():
    schedule = FakeSchedule((at(2026, 12, 31, 8), at(2026, 12, 31, 16)))  # only the day is open
    shifts = _full_day() + [shift("d3", DAY, D)]
    over = coverage(shifts, [DAY, EVENING, NIGHT], {"A": schedule}, D, D).over
    assert [(o.start.hour, o.end.hour, o.required, o.staffed, o.open) for o in over] == [
        (0, 8, 0, 1, False), (8, 16, 2, 3, True), (16, 0, 0, 1, False)]
    assert "line closed" in over[0].message()


def test_open_when_no_slot_covers_needs_one_seat():
    slot = ShiftSlot("w", "W", "09:00", "17:00")
    schedule = FakeSchedule((at(2026, 12, 31, 9), at(2026, 12, 31, 21)))
    [gap] = coverage([shift("x", slot, D)], [slot], {"W": schedule}, D, D).gaps
    assert (gap.start.hour, gap.end.hour, gap.required, gap.staffed) == (17, 21, 1, 0)


def test_partial_quarters_open_counts_staffed_does_not():
    slot = ShiftSlot("w", "W", "09:00", "17:00")
    schedule = FakeSchedule((at(2026, 12, 31, 9), at(2026, 12, 31, 17, 5)))  # open into 17:00-17:15
    late = ShiftSlot("w2", "W", "09:10", "17:00", seats=0)
    report = coverage([shift("x", late, D)], [slot, late], {"W": schedule}, D, D)
    assert [(g.start.strftime("%H:%M"), g.end.strftime("%H:%M")) for g in report.gaps] == [("09:00", "09:15"), ("17:00", "17:15")]


def test_line_without_schedule_takes_requirement_from_slots():
    report = coverage([], [DAY], {}, D, D)
    assert [(g.start.hour, g.end.hour, g.required) for g in report.gaps] == [(8, 16, 2)]


def test_coverage_between_and_to_dict():
    start, end = at(2026, 12, 31, 15), at(2026, 12, 31, 17)
    report = coverage_between([], [DAY, EVENING, NIGHT], {"A": AlwaysOpen()}, start, end)
    data = report.to_dict()
    assert data["ok"] is False
    assert [(r["start"], r["required"]) for r in data["lines"][0]["runs"]] == [
        ("2026-12-31T15:00:00+08:00", 2), ("2026-12-31T16:00:00+08:00", 1)]
    assert data["lines"][0]["short_seat_hours"] == 3


def test_night_slot_of_the_first_day_and_evening_of_the_last_day_are_in_range():
    report = coverage([], [EVENING, NIGHT], {}, D, D)
    assert [(g.start, g.end) for g in report.gaps] == [(at(2026, 12, 31), at(2026, 12, 31, 8)),
                                                       (at(2026, 12, 31, 16), at(2027, 1, 1))]


def test_only_requested_lines():
    report = coverage([], three_slots("A") + three_slots("B"), {}, D, D, lines=["B"])
    assert [c.line_id for c in report.lines] == ["B"]


def test_reversed_date_range_is_refused():
    with pytest.raises(ValueError, match="before first date"):
        coverage([], [DAY], {}, D, D - timedelta(days=1))
