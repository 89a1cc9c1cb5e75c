"""Generation with fakes: what a regeneration replaces and what it keeps, in one unit of work."""
from __future__ import annotations

from datetime import date

import pytest

from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.patterns_form import PatternInput
from tests.unit.usecases.fakes_roster_ports import local
from tests.unit.usecases.roster_world import ANA, BO, CY, SUP, RosterWorld


@pytest.fixture
def world() -> RosterWorld:
    return RosterWorld()


def test_a_two_person_rotation_alternates_and_is_announced_once_committed(world):
    summary = world.rotation(date(2026, 11, 29), date(2026, 12, 2))
    assert summary["created"] == 8 and summary["deleted"] == 0 and summary["violations"] == 0
    shifts = world.store.shifts()
    # cycle step 28 on 11-29: ana (offset 0) early, bo (offset 1) late; they alternate daily
    assert [(s.counselor_id, s.slot_code) for s in shifts[:4]] == [(ANA, "gx-early"), (BO, "gx-late"),
                                                                    (BO, "gx-early"), (ANA, "gx-late")]
    first = shifts[0]
    assert (first.starts_at, first.ends_at) == (local(2026, 11, 29, 9, 0), local(2026, 11, 29, 15, 0))
    assert first.source == "generated" and first.original_counselor_id == ANA and first.pattern_id is not None
    assert world.store.actions()[-1] == "roster.generate"
    assert world.version.value == 1 and world.local.invalidations == 1


def test_regeneration_replaces_pattern_shifts_but_keeps_swaps_and_manual_shifts(world):
    world.rotation(date(2026, 11, 24), date(2026, 11, 30))
    mine, theirs = world.shift(ANA, 2026, 11, 26, 15, 0), world.shift(BO, 2026, 11, 26, 9, 0)
    request = world.swaps.propose(ANA, "swap", mine.id, BO, theirs.id, "家里有事")
    world.swaps.accept(BO, request.id)
    world.swaps.approve(SUP, request.id)
    extra, _ = world.edits.add_shift(SUP, CY, "gx-early", date(2026, 11, 27), override=True, reason="节假日加班")
    again = world.generation.generate_range(date(2026, 11, 24), date(2026, 11, 30))
    assert again["deleted"] == 12 and again["created"] == 12          # 14 seats, 2 held by the swap
    day_26 = [(s.slot_code, s.counselor_id, s.source) for s in world.store.shifts()
              if s.starts_at.date() == date(2026, 11, 26)]
    assert day_26 == [("gx-early", ANA, "swap"), ("gx-late", BO, "swap")]   # not put back to the pattern
    assert world.store.tables.shifts[extra.id].source == "manual"
    assert len(world.store.shifts()) == 15


def test_a_shift_removed_by_hand_comes_back_absences_belong_in_leave(world):
    world.rotation(date(2026, 11, 24), date(2026, 11, 24))
    world.edits.remove_shift(SUP, world.shift(ANA, 2026, 11, 24, 15, 0).id, "多排了")
    world.generation.generate_range(date(2026, 11, 24), date(2026, 11, 24))
    assert world.shift(ANA, 2026, 11, 24, 15, 0) is not None
    world.edits.add_leave(SUP, ANA, date(2026, 11, 24), date(2026, 11, 24), "病假")
    summary = world.generation.generate_range(date(2026, 11, 24), date(2026, 11, 24))
    assert summary["created"] == 1 and summary["unfilled"] == 1
    assert summary["unfilled_seats"][0]["counselor_id"] == str(ANA)
    assert world.shift(ANA, 2026, 11, 24, 15, 0) is None


def test_open_requests_about_replaced_shifts_are_cancelled_with_the_reason(world):
    world.rotation(date(2026, 11, 24), date(2026, 11, 30))
    request = world.swaps.propose(ANA, "cover", world.shift(ANA, 2026, 11, 24, 15, 0).id, CY, reason="生病")
    summary = world.generation.generate_range(date(2026, 11, 24), date(2026, 11, 30))
    assert summary["cancelled_swaps"] == [request.id]
    cancelled = world.store.tables.swaps[request.id]
    assert cancelled.status == "cancelled" and "regenerated" in cancelled.decision_note
    assert "swap.cancel" in world.store.actions()
    with pytest.raises(RosterProblem):
        world.swaps.accept(CY, request.id)


def test_nothing_is_written_or_announced_when_generation_is_refused(world):
    world.gaoxin_slots()
    with pytest.raises(RosterProblem, match="no active rotation pattern"):
        world.generation.generate_range(date(2026, 12, 1), date(2026, 12, 7))
    world.setup.create_pattern(None, PatternInput(code="gx", cycle_text="gx-early", assignees_text="ana",
                                                  start=date(2026, 12, 1)))
    del world.store.tables.staff[ANA]                                  # the account went away since
    with pytest.raises(RosterProblem, match="unknown users: 1"):
        world.generation.generate_range(date(2026, 12, 1), date(2026, 12, 7))
    assert world.store.shifts() == [] and world.version.value == 0
    assert "roster.generate" not in world.store.actions()


def test_a_pattern_naming_a_deactivated_slot_fails_naming_both(world):
    world.rotation(date(2026, 11, 23), date(2026, 11, 23))
    late = next(s for s in world.setup.slots() if s.code == "gx-late")
    world.setup.set_slot_active(SUP, late.id, False)
    with pytest.raises(RosterProblem, match="gx.*gx-late"):
        world.generation.generate_range(date(2026, 12, 1), date(2026, 12, 2))


@pytest.mark.parametrize("first,last,message", [(date(2026, 12, 7), date(2026, 12, 1), "before"),
                                                (date(2026, 1, 1), date(2029, 12, 31), "too long")])
def test_the_date_range_is_checked_first(world, first, last, message):
    with pytest.raises(RosterProblem, match=message):
        world.generation.generate_range(first, last)
    assert world.store.units == 0


def test_progress_runs_to_the_end(world):
    world.rotation(date(2026, 11, 23), date(2026, 11, 23))
    seen = []
    world.generation.generate_range(date(2026, 11, 23), date(2026, 12, 6), progress=lambda d, t, m: seen.append((d, t)))
    assert seen[-1] == (1000, 1000) and all(d <= t for d, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
