"""On-call lookup: exact hand-over minute, next shift, lines kept apart."""
from datetime import date, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from hotline.shifts import Roster, current_and_next, on_shift

from .helpers import at, shift, three_slots

DAY, EVENING, NIGHT = three_slots()
B_DAY, _, _ = three_slots("B")
D = date(2026, 12, 31)
SHIFTS = [shift("n1", NIGHT, D), shift("d1", DAY, D), shift("d2", DAY, D), shift("e1", EVENING, D),
          shift("n2", NIGHT, D + timedelta(days=1)), shift("b1", B_DAY, D)]
ROSTER = Roster.of(SHIFTS)


@pytest.mark.parametrize("source", [SHIFTS, ROSTER], ids=["list", "roster"])
def test_hand_over_minute_belongs_to_the_incoming_shift(source):
    assert on_shift(source, "A", at(2026, 12, 31, 7, 59)) == {"n1"}
    assert on_shift(source, "A", at(2026, 12, 31, 8, 0)) == {"d1", "d2"}
    assert on_shift(source, "A", at(2026, 12, 31, 16, 0)) == {"e1"}
    assert on_shift(source, "A", at(2027, 1, 1, 0, 0)) == {"n2"}  # year end hand-over
    assert on_shift(source, "A", at(2027, 1, 1, 8, 0)) == set()


def test_lines_are_kept_apart():
    assert on_shift(ROSTER, "B", at(2026, 12, 31, 9)) == {"b1"}
    assert on_shift(ROSTER, "C", at(2026, 12, 31, 9)) == set()


def test_instant_in_another_zone_is_the_same_instant():
    utc = at(2026, 12, 31, 8).astimezone(timezone.utc)  # 00:00 UTC
    assert on_shift(ROSTER, "A", utc) == {"d1", "d2"}


def test_current_and_next():
    oc = current_and_next(ROSTER, "A", at(2026, 12, 31, 12))
    assert oc.counselors == {"d1", "d2"} and [s.counselor_id for s in oc.next] == ["e1"]
    assert oc.next_start == at(2026, 12, 31, 16)
    last = current_and_next(SHIFTS, "A", at(2027, 1, 1, 8))
    assert last.current == () and last.next == () and last.next_start is None


def test_naive_instant_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        on_shift(ROSTER, "A", at(2026, 12, 31, 9).replace(tzinfo=None))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-2 * 60, max_value=50 * 60))
def test_index_agrees_with_a_plain_scan(minutes):
    t = at(2026, 12, 31) + timedelta(minutes=minutes)
    expected = {s.counselor_id for s in SHIFTS if s.line_id == "A" and s.start <= t < s.end}
    assert on_shift(ROSTER, "A", t) == expected
