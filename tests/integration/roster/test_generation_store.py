"""Generation stores the roster; regeneration replaces pattern shifts and keeps swaps."""
from datetime import date

import pytest
from sqlalchemy import func, select

from hotline.usecases.roster.context import RosterProblem
from hotline.store.rosters import RosterAudit, ShiftRow
from tests.integration.roster.conftest import local


def _shifts(kit):
    with kit.services.db.session() as session:
        return list(session.scalars(select(ShiftRow).order_by(ShiftRow.starts_at, ShiftRow.slot_code)))


def test_two_person_rotation_across_month_end_is_stored_in_local_time(kit):
    a, b = kit.counselors("ana", "bo")
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    summary = kit.generate(date(2026, 11, 29), date(2026, 12, 2))
    assert summary["created"] == 8 and summary["violations"] == 0
    rows = _shifts(kit)
    first = rows[0]
    assert first.starts_at == local(2026, 11, 29, 9, 0) and first.ends_at == local(2026, 11, 29, 15, 0)
    # cycle step 28 on 11-29: ana (offset 0) early, bo (offset 1) late; they alternate daily
    assert [(r.counselor_id, r.slot_code) for r in rows[:4]] == [
        (a.id, "gx-early"), (b.id, "gx-late"), (b.id, "gx-early"), (a.id, "gx-late")]
    with kit.services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(RosterAudit)
                              .where(RosterAudit.action == "roster.generate")) == 1


def test_regeneration_replaces_pattern_shifts_but_keeps_an_approved_swap(kit):
    a, b = kit.counselors("ana", "bo")
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    kit.generate(date(2026, 11, 24), date(2026, 11, 30))
    # on 11-26 ana is late and bo early: they exchange the day's halves
    mine = next(r for r in _shifts(kit) if r.counselor_id == a.id and r.starts_at == local(2026, 11, 26, 15, 0))
    theirs = next(r for r in _shifts(kit) if r.counselor_id == b.id and r.starts_at == local(2026, 11, 26, 9, 0))
    request = kit.hotline.roster_swaps.propose(a.id, "swap", mine.id, b.id, theirs.id, "家里有事")
    kit.hotline.roster_swaps.accept(b.id, request.id)
    kit.hotline.roster_swaps.approve(999, request.id)
    again = kit.generate(date(2026, 11, 24), date(2026, 11, 30))
    rows = _shifts(kit)
    assert len(rows) == 14 and again["created"] == 12
    day_26 = [(r.slot_code, r.counselor_id, r.source) for r in rows if r.starts_at.date() == date(2026, 11, 26)]
    assert day_26 == [("gx-early", a.id, "swap"), ("gx-late", b.id, "swap")]


def test_open_request_about_a_replaced_shift_is_cancelled(kit):
    a, b = kit.counselors("ana", "bo")
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    kit.generate(date(2026, 11, 24), date(2026, 11, 30))
    mine = next(r for r in _shifts(kit) if r.counselor_id == a.id)
    request = kit.hotline.roster_swaps.propose(a.id, "cover", mine.id, b.id, reason="生病")
    summary = kit.generate(date(2026, 11, 24), date(2026, 11, 30))
    assert summary["cancelled_swaps"] == [request.id]
    with pytest.raises(RosterProblem):
        kit.hotline.roster_swaps.accept(b.id, request.id)


def test_generation_without_patterns_or_with_unknown_members_names_the_problem(kit):
    kit.gaoxin_slots()
    with pytest.raises(RosterProblem, match="no active rotation pattern"):
        kit.generate(date(2026, 12, 1), date(2026, 12, 7))
    with pytest.raises(RosterProblem, match="unknown or disabled users: ghost"):
        kit.pattern("gx", "gx-early", "ghost", date(2026, 12, 1))
