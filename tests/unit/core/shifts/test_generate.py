"""Generation: 4-team rotation across year end, leave, weekday/weekend splits, progress."""
from datetime import date

import pytest

from hotline.shifts import Assignee, RotationPattern, ShiftSlot, Unavailability, generate

from .helpers import FakeCalendar, at, three_slots

TEAMS = tuple(Assignee.team(f"T{i}", (f"t{i}a", f"t{i}b"), offset=i) for i in range(4))


def _four_team(cycle=("A-night", "A-day", "A-evening", None)):
    return RotationPattern("4x", cycle, TEAMS, date(2026, 12, 1))


def test_four_team_rotation_fills_every_slot_with_a_team_across_year_end():
    roster = generate([_four_team()], three_slots(), date(2026, 12, 30), date(2027, 1, 2))
    assert len(roster) == 4 * 3 * 2
    for day in (date(2026, 12, 31), date(2027, 1, 1)):
        on_day = [s for s in roster.shifts if s.day == day]
        assert sorted({s.slot_id for s in on_day}) == ["A-day", "A-evening", "A-night"]
        assert len(on_day) == 6
    evening = next(s for s in roster.shifts if s.slot_id == "A-evening" and s.day == date(2026, 12, 31))
    assert (evening.start, evening.end) == (at(2026, 12, 31, 16), at(2027, 1, 1, 0))


def test_night_day_evening_off_order_keeps_the_rules_and_the_naive_order_does_not():
    good = generate([_four_team()], three_slots(), date(2026, 12, 1), date(2027, 1, 31))
    assert [v for v in good.check() if v.rule == "min_rest"] == []
    naive = generate([_four_team(("A-day", "A-evening", "A-night", None))], three_slots(),
                     date(2026, 12, 1), date(2026, 12, 8))
    rests = [v for v in naive.check() if v.rule == "min_rest"]
    assert rests and "间隔仅 0 小时" in rests[0].message  # evening ends 24:00, night starts 00:00


def test_leave_skips_the_person_and_records_the_unfilled_seat():
    leave = [Unavailability.days("t0a", date(2026, 12, 31), date(2027, 1, 1), "年假")]
    roster = generate([_four_team()], three_slots(), date(2026, 12, 30), date(2027, 1, 2), leave)
    assert not any(s.counselor_id == "t0a" and s.day in (date(2026, 12, 31), date(2027, 1, 1)) for s in roster.shifts)
    assert {(u.counselor_id, u.reason) for u in roster.unfilled} == {("t0a", "年假")}
    # T0 (offset 0, from 12-01): 12-31 is step 30 → evening, 01-01 step 31 → off
    assert [(u.slot_id, u.start) for u in roster.unfilled] == [("A-evening", at(2026, 12, 31, 16))]
    assert roster.leave == tuple(leave) and roster.check() == []


def test_leave_partly_overlapping_a_slot_skips_the_whole_slot_only_for_that_member():
    leave = [Unavailability("t0a", at(2026, 12, 31, 23), at(2027, 1, 1, 2), "看病")]
    roster = generate([_four_team()], three_slots(), date(2026, 12, 31), date(2026, 12, 31), leave)
    assert [(u.counselor_id, u.slot_id, u.reason) for u in roster.unfilled] == [("t0a", "A-evening", "看病")]
    assert any(s.counselor_id == "t0b" and s.slot_id == "A-evening" for s in roster.shifts)


def test_weekday_weekend_split_over_month_end():
    slots = [ShiftSlot("B-day", "B", "09:00", "17:00")]
    weekday = RotationPattern("wd", ("B-day",), (Assignee.person("w"),), date(2026, 1, 1), days="weekdays")
    weekend = RotationPattern("we", ("B-day",), (Assignee.person("e"),), date(2026, 1, 1), days="weekends")
    roster = generate([weekday, weekend], slots, date(2026, 1, 29), date(2026, 2, 3))
    assert [(s.day.day, s.counselor_id) for s in roster.shifts] == [
        (29, "w"), (30, "w"), (31, "e"), (1, "e"), (2, "w"), (3, "w")]


def test_holiday_behaviour_off_uses_injected_calendar():
    cal = FakeCalendar(holidays={date(2026, 10, 1), date(2026, 10, 2)})
    slots = [ShiftSlot("B-day", "B", "09:00", "17:00")]
    p = RotationPattern("wd", ("B-day",), (Assignee.person("w"),), date(2026, 9, 1), days="weekdays", on_holiday="off")
    roster = generate([p], slots, date(2026, 9, 30), date(2026, 10, 5), calendar=cal)
    assert [s.day.day for s in roster.shifts] == [30, 5]


def test_pattern_starting_in_a_leap_february_generates_from_its_start():
    slots = [ShiftSlot("n", "A", "22:00", "06:00")]
    p = RotationPattern("p", ("n", None), (Assignee.person("x"),), date(2028, 2, 28))
    roster = generate([p], slots, date(2028, 2, 26), date(2028, 3, 2))
    assert [s.day for s in roster.shifts] == [date(2028, 2, 28), date(2028, 3, 1)]
    assert roster.shifts[0].end == at(2028, 2, 29, 6)


def test_matching_days_pattern_started_before_the_range_keeps_its_phase():
    slots = [ShiftSlot("w", "A", "09:00", "17:00")]
    p = RotationPattern("alt", ("w", None), (Assignee.person("x"),), date(2026, 12, 5),
                        days="weekends", advance_on="matching_days")
    roster = generate([p], slots, date(2026, 12, 19), date(2027, 1, 10))
    # weekend days from 12-05: 5,6,12,13 | 19,20 → steps 4,5 → works Sat 19, off Sun 20, ...
    assert [s.day for s in roster.shifts] == [date(2026, 12, 19), date(2026, 12, 26), date(2027, 1, 2), date(2027, 1, 9)]


def test_progress_is_reported_per_day():
    calls = []
    generate([_four_team()], three_slots(), date(2026, 12, 30), date(2027, 1, 2), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_unknown_slot_in_cycle_names_pattern_and_slot():
    with pytest.raises(ValueError, match="4x.*A-late"):
        generate([_four_team(("A-late", None, None, None))], three_slots(), date(2026, 12, 1), date(2026, 12, 2))


def test_duplicate_slot_ids_are_refused():
    with pytest.raises(ValueError, match="duplicate slot id"):
        generate([], three_slots() + three_slots(), date(2026, 12, 1), date(2026, 12, 2))


def test_reversed_date_range_is_refused():
    with pytest.raises(ValueError, match="before start date"):
        generate([_four_team()], three_slots(), date(2027, 1, 2), date(2026, 12, 30))
