"""Swap and cover requests with fakes: the life cycle, who may move it, and the rules at approval."""
from __future__ import annotations

from datetime import date

import pytest

from hotline.usecases.roster.context import RosterProblem
from tests.unit.usecases.roster_world import ANA, BO, CY, SUP, RosterWorld


@pytest.fixture
def world() -> RosterWorld:
    """ana and bo alternate early/late from 11-23 to 12-06; cy has no shifts."""
    return RosterWorld.rostered(date(2026, 11, 23), date(2026, 12, 6))


def test_a_cover_goes_proposed_accepted_approved_and_only_approval_moves_the_roster(world):
    late = world.shift(ANA, 2026, 11, 24, 15, 0)
    request = world.swaps.propose(ANA, "cover", late.id, CY, reason="孩子生病")
    assert request.status == "proposed" and request.detail["shift"]["name"] == "ana老师"
    assert request.detail["shift"]["start"] == "2026-11-24T15:00:00+08:00"
    with pytest.raises(RosterProblem, match="only accepted requests"):
        world.swaps.approve(SUP, request.id)
    with pytest.raises(RosterProblem, match="not yours"):
        world.swaps.accept(BO, request.id)
    accepted = world.swaps.accept(CY, request.id)
    assert accepted.status == "accepted" and accepted.accepted_at == world.clock.now()
    assert world.version.value == 0                         # nothing on the roster moved yet
    assert world.swaps.preview(request.id) == []
    approved = world.swaps.approve(SUP, request.id)
    assert approved.status == "approved" and not approved.override and approved.decided_by == SUP
    moved = world.store.tables.shifts[late.id]
    assert moved.counselor_id == CY and moved.source == "cover" and moved.original_counselor_id == ANA
    assert world.store.actions()[-3:] == ["cover.propose", "cover.accept", "cover.approve"]
    assert world.version.value == 1 and world.local.invalidations == 1


def test_violations_refuse_approval_unless_overridden_with_a_written_reason(world):
    late = world.shift(ANA, 2026, 11, 24, 15, 0)       # bo works 09-15 that day: no rest in between
    request = world.swaps.propose(ANA, "cover", late.id, BO)
    world.swaps.accept(BO, request.id)
    preview = world.swaps.preview(request.id)
    assert preview and "bo老师" in preview[0]
    with pytest.raises(RosterProblem) as refused:
        world.swaps.approve(SUP, request.id)
    assert refused.value.violations == preview
    with pytest.raises(RosterProblem):
        world.swaps.approve(SUP, request.id, override=True, note="   ")
    assert world.store.tables.shifts[late.id].counselor_id == ANA and world.version.value == 0
    done = world.swaps.approve(SUP, request.id, override=True, note="无人可替，已征得同意")
    assert done.override and done.violations == preview and done.decision_note == "无人可替，已征得同意"
    entry = world.store.tables.audit[-1]
    assert entry.action == "cover.approve" and entry.after["override"] is True and entry.note == done.decision_note
    assert entry.before["shift"]["counselor_id"] == ANA and entry.after["shift"]["counselor_id"] == BO


def test_a_swap_exchanges_both_shifts_and_a_stale_request_is_refused(world):
    mine, theirs = world.shift(ANA, 2026, 11, 24, 15, 0), world.shift(BO, 2026, 11, 24, 9, 0)
    request = world.swaps.propose(ANA, "swap", mine.id, BO, theirs.id)
    with pytest.raises(RosterProblem, match="open request"):
        world.swaps.propose(ANA, "cover", mine.id, CY)
    world.swaps.accept(BO, request.id)
    world.swaps.approve(SUP, request.id)
    assert world.shift(ANA, 2026, 11, 24, 9, 0).source == "swap"
    assert world.shift(BO, 2026, 11, 24, 15, 0).source == "swap"
    again = world.swaps.propose(BO, "cover", mine.id, CY)          # bo now holds the late one
    world.swaps.accept(CY, again.id)
    world.edits.reassign_shift(SUP, mine.id, ANA, override=True, reason="督导调整")   # meanwhile moved
    assert "have changed" in world.swaps.preview(again.id)[0]
    with pytest.raises(RosterProblem, match="have changed"):
        world.swaps.approve(SUP, again.id)


@pytest.mark.parametrize("kind,target,other,message", [
    ("trade", CY, None, "unknown kind"), ("cover", ANA, None, "cannot ask yourself"),
    ("swap", BO, None, "does not belong"), ("cover", 77, None, "does not exist")])
def test_what_a_proposal_may_not_be(world, kind, target, other, message):
    with pytest.raises(RosterProblem, match=message):
        world.swaps.propose(ANA, kind, world.shift(ANA, 2026, 11, 24, 15, 0).id, target, other)
    assert world.store.tables.swaps == {}


def test_started_foreign_and_disabled_are_refused(world):
    world.at(2026, 11, 24, 16, 0)
    with pytest.raises(RosterProblem, match="not started"):
        world.swaps.propose(ANA, "cover", world.shift(ANA, 2026, 11, 24, 15, 0).id, CY)
    with pytest.raises(RosterProblem, match="does not belong"):
        world.swaps.propose(ANA, "cover", world.shift(BO, 2026, 11, 25, 15, 0).id, CY)
    world.store.person(CY, "cy", active=False)
    with pytest.raises(RosterProblem, match="disabled"):
        world.swaps.propose(ANA, "cover", world.shift(ANA, 2026, 11, 25, 9, 0).id, CY)


def test_an_approval_after_the_shift_started_is_refused(world):
    request = world.swaps.propose(ANA, "cover", world.shift(ANA, 2026, 11, 24, 15, 0).id, CY)
    world.swaps.accept(CY, request.id)
    world.at(2026, 11, 24, 15, 30)
    with pytest.raises(RosterProblem, match="already started"):
        world.swaps.approve(SUP, request.id)


def test_decline_cancel_and_reject_close_a_request_and_are_audited(world):
    shifts = [world.shift(ANA, 2026, 11, 24, 15, 0), world.shift(ANA, 2026, 11, 25, 9, 0),
              world.shift(ANA, 2026, 11, 26, 15, 0)]
    declined, cancelled, rejected = (world.swaps.propose(ANA, "cover", s.id, CY) for s in shifts)
    assert world.swaps.decline(CY, declined.id, "没空").status == "rejected"
    with pytest.raises(RosterProblem, match="not yours"):
        world.swaps.cancel(CY, cancelled.id)
    assert world.swaps.cancel(ANA, cancelled.id).status == "cancelled"
    world.swaps.accept(CY, rejected.id)
    closed = world.swaps.reject(SUP, rejected.id, "人手不足")
    assert closed.status == "rejected" and closed.decided_by == SUP and closed.decision_note == "人手不足"
    with pytest.raises(RosterProblem, match="cannot become accepted"):
        world.swaps.accept(CY, declined.id)
    assert world.swaps.preview(declined.id) == []
    assert [a for a in world.store.actions() if a.startswith("cover.") and a != "cover.propose"] == [
        "cover.decline", "cover.cancel", "cover.accept", "cover.reject"]
    assert world.version.value == 0


def test_what_the_pages_list(world):
    request = world.swaps.propose(ANA, "cover", world.shift(ANA, 2026, 11, 24, 15, 0).id, BO)
    world.swaps.accept(BO, request.id)
    other = world.swaps.propose(BO, "cover", world.shift(BO, 2026, 11, 24, 9, 0).id, CY)
    supervisor = world.swaps.listing(SUP, supervisor=True)
    assert {s.id for s in supervisor["open"]} == {request.id, other.id}
    assert supervisor["previews"][request.id] and other.id not in supervisor["previews"]
    assert supervisor["names"][ANA] == "ana老师" and supervisor["line_names"]["gx"] == "高新区热线"
    assert {s.id for s in world.swaps.listing(CY, supervisor=False)["open"]} == {other.id}
    mine = world.swaps.mine(CY)
    assert [s.id for s in mine["incoming"]] == [other.id] and mine["open_ids"] == {world.shift(BO, 2026, 11, 24, 9, 0).id}
    assert world.swaps.shift_owner(world.shift(BO, 2026, 11, 24, 9, 0).id) == BO
    with pytest.raises(RosterProblem, match="no shift"):
        world.swaps.shift_owner(12345)
