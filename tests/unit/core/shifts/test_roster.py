"""Roster edits: add / remove / reassign / swap / leave return the new roster and new violations."""
from datetime import date

import pytest

from hotline.shifts import Labels, Roster, RosterError, RuleSet, ShiftSlot, Unavailability

from .helpers import shift, three_slots

DAY, EVENING, NIGHT = three_slots()
B_DAY = ShiftSlot("B-day", "B", "08:00", "16:00")
D1, D2 = date(2026, 12, 1), date(2026, 12, 2)


def _roster(*shifts):
    return Roster.of(shifts, rules=RuleSet(labels=Labels(names={"li": "李四", "wang": "王五"})))


def test_add_keeps_time_order_and_returns_no_violations_when_fine():
    r = _roster(shift("li", DAY, D2))
    edit = r.add(shift("wang", NIGHT, D1))
    assert edit.ok and [s.start for s in edit.roster.shifts] == sorted(s.start for s in edit.roster.shifts)
    assert len(r) == 1 and len(edit.roster) == 2  # the original is unchanged


def test_add_reports_only_violations_caused_by_the_change():
    old_a, old_b = shift("li", EVENING, D1), shift("li", DAY, D2)  # already breaks rest
    r = _roster(old_a, old_b)
    edit = r.add(shift("li", B_DAY, D2))  # now also two places at once
    assert [(v.rule, v.shifts) for v in edit.violations] == [("overlap", (old_b, shift("li", B_DAY, D2)))]
    assert [v.rule for v in edit.roster.check()] == ["overlap", "min_rest"]


def test_adding_a_duplicate_or_removing_a_missing_shift_is_an_error():
    s = shift("li", DAY, D1)
    with pytest.raises(RosterError, match="李四"):
        _roster(s).add(s)
    with pytest.raises(RosterError, match="not in roster"):
        _roster().remove(s)
    with pytest.raises(RosterError, match="duplicate"):
        Roster.of([s, s])


def test_remove():
    s = shift("li", DAY, D1)
    edit = _roster(s).remove(s)
    assert edit.ok and len(edit.roster) == 0


def test_swap_exchanges_counselors_and_checks_both():
    li_day, wang_eve = shift("li", DAY, D2), shift("wang", EVENING, D2)
    li_prev = shift("li", EVENING, D1)  # li must not take D2 day after D1 evening… she gives it away
    r = _roster(li_prev, li_day, wang_eve)
    assert [v.rule for v in r.check()] == ["min_rest"]
    edit = r.swap(li_day, wang_eve)
    assert {(s.counselor_id, s.slot_id, s.day) for s in edit.roster.shifts} == {
        ("li", "A-evening", D1), ("wang", "A-day", D2), ("li", "A-evening", D2)}
    assert edit.ok and edit.roster.check() == []


def test_swap_that_breaks_rest_returns_the_violation():
    a, b = shift("li", NIGHT, D2), shift("wang", EVENING, D1)
    r = _roster(a, b, shift("wang", NIGHT, date(2026, 12, 3)))
    assert r.swap(a, b).ok  # wang: D2 night then D3 night (16 h); li: D1 evening
    edit = r.swap(a, shift("wang", NIGHT, date(2026, 12, 3)))
    # li: D3 night; wang: D1 evening (ends D2 00:00) then D2 night (starts D2 00:00) → 0 h rest
    assert [(v.rule, v.counselor_id) for v in edit.violations] == [("min_rest", "wang")]


def test_swap_validations():
    a, b = shift("li", DAY, D1), shift("li", EVENING, D2)
    with pytest.raises(RosterError, match="oneself"):
        _roster(a, b).swap(a, b)
    with pytest.raises(RosterError, match="not in roster"):
        _roster(a).swap(a, shift("wang", DAY, D2))
    same_seat = shift("wang", DAY, D1)
    with pytest.raises(RosterError, match="duplicate"):
        _roster(a, same_seat, shift("wang", DAY, D2), shift("li", DAY, D2)).swap(a, shift("wang", DAY, D2))


def test_reassign_to_someone_on_leave_reports_leave():
    s = shift("li", DAY, D1)
    r = _roster(s).add_leave(Unavailability.days("wang", D1, D1, "病假")).roster
    edit = r.reassign(s, "wang")
    assert [(v.rule, v.counselor_id) for v in edit.violations] == [("leave", "wang")]
    assert edit.roster.shifts[0].counselor_id == "wang"


def test_add_leave_lists_clashing_shifts_but_leave_ending_at_shift_start_is_fine():
    night = shift("li", NIGHT, date(2026, 12, 4))  # starts 12-04 00:00
    day = shift("li", DAY, D2)
    edit = _roster(night, day).add_leave(Unavailability.days("li", D1, date(2026, 12, 3), "年假"))
    assert [v.shifts for v in edit.violations] == [(day,)]
    assert edit.roster.leave[0].reason == "年假"


def test_for_counselor_and_for_line():
    a, b, c = shift("li", DAY, D1), shift("wang", B_DAY, D1), shift("li", NIGHT, D2)
    r = _roster(c, b, a)
    assert r.for_counselor("li") == (a, c) and r.for_line("B") == (b,) and r.for_counselor("x") == ()
