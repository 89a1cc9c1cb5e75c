"""Properties over random dates: the 4-team rotation always covers, never breaks rest."""
from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from hotline.shifts import Assignee, RotationPattern, coverage, generate

from .helpers import AlwaysOpen, three_slots

SLOTS = three_slots(day=2, evening=2, night=2)
TEAMS = tuple(Assignee.team(f"T{i}", (f"t{i}a", f"t{i}b"), offset=i) for i in range(4))
CYCLE = ("A-night", "A-day", "A-evening", None)


@settings(max_examples=60, deadline=None)
@given(start=st.dates(date(2020, 1, 1), date(2035, 12, 31)), lead=st.integers(0, 400), length=st.integers(1, 45))
def test_rotation_covers_every_seat_and_keeps_rest(start, lead, length):
    first = start + timedelta(days=lead)
    last = first + timedelta(days=length - 1)
    roster = generate([RotationPattern("4x", CYCLE, TEAMS, start)], SLOTS, first, last)
    per_day_slot = Counter((s.day, s.slot_id) for s in roster.shifts)
    assert set(per_day_slot.values()) == {2} and len(per_day_slot) == 3 * length
    assert [v for v in roster.check() if v.rule in ("min_rest", "overlap")] == []
    assert coverage(roster, SLOTS, {"A": AlwaysOpen()}, first, last).ok
