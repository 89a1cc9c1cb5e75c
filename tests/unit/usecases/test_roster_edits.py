"""Supervisors' set-up and edits with fakes: slots, patterns, leave, single shifts; rules and audit."""
from __future__ import annotations

from datetime import date

import pytest

from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.patterns_form import PatternInput, parse_assignees, parse_cycle
from tests.unit.usecases.fakes_roster_ports import local
from tests.unit.usecases.roster_world import ANA, BO, CY, SUP, RosterWorld


@pytest.fixture
def world() -> RosterWorld:
    return RosterWorld()


@pytest.fixture
def rostered() -> RosterWorld:
    return RosterWorld.rostered(date(2026, 11, 23), date(2026, 11, 29))


# --- slots and patterns --------------------------------------------------------------------------
def test_a_slot_is_created_once_with_a_default_code_and_audited(world):
    slot = world.setup.create_slot(SUP, line_id="gx", start="09:00", end="21:00", seats=2, label_zh=" 全天 ")
    assert (slot.code, slot.seats, slot.label_zh, slot.tz, slot.active) == ("gx-0900-2100", 2, "全天", "Asia/Shanghai",
                                                                            True)
    entry = world.store.tables.audit[-1]
    assert (entry.action, entry.target, entry.actor_id) == ("slot.create", "slot:gx-0900-2100", SUP)
    with pytest.raises(RosterProblem, match="already exists"):
        world.setup.create_slot(SUP, line_id="gx", start="09:00", end="21:00", seats=1)
    assert world.version.value == 0                                    # no shift moved


@pytest.mark.parametrize("values,message", [
    ({"line_id": "nowhere"}, "unknown line"), ({"code": "bad code!"}, "codes use letters"),
    ({"start": "25:00"}, "HH:MM"), ({"seats": -1}, "seats must be")])
def test_a_slot_names_what_is_wrong(world, values, message):
    with pytest.raises(RosterProblem, match=message):
        world.setup.create_slot(SUP, **({"line_id": "gx", "start": "09:00", "end": "15:00", "seats": 1} | values))
    assert world.setup.slots() == []


def test_deactivating_keeps_the_slot_and_records_before_and_after(world):
    world.gaoxin_slots()
    early = world.setup.slots()[0]
    assert world.setup.set_slot_active(SUP, early.id, False).active is False
    entry = world.store.tables.audit[-1]
    assert entry.action == "slot.deactivate" and entry.before["active"] and not entry.after["active"]
    assert [s.code for s in world.setup.slots()] == ["gx-early", "gx-late"]
    with pytest.raises(RosterProblem, match="no slot"):
        world.setup.set_slot_active(SUP, 999, True)


def test_a_pattern_resolves_usernames_and_reads_back_as_typed(world):
    world.gaoxin_slots()
    pattern = world.setup.create_pattern(SUP, PatternInput(code="gx", cycle_text="gx-early, 休 gx-late",
                                                           assignees_text="ana\nbo, cy @3", start=date(2026, 11, 1)))
    assert pattern.cycle == ["gx-early", None, "gx-late"]
    assert pattern.assignees == [{"id": "ana", "members": [ANA], "offset": 0},
                                 {"id": "bo+cy", "members": [BO, CY], "offset": 3}]
    page = world.setup.patterns_page()
    assert page["patterns"][0]["assignees"] == "ana @0\nbo, cy @3" and page["slot_codes"] == ["gx-early", "gx-late"]
    assert [p.username for p in page["people"]] == ["ana", "bo", "cy"]      # the supervisor is not rostered
    world.setup.set_pattern_active(SUP, pattern.id, False)
    assert world.store.actions()[-2:] == ["pattern.create", "pattern.deactivate"]


@pytest.mark.parametrize("cycle,assignees,message", [
    ("gx-early nope", "ana", "unknown or inactive slots: nope"), ("gx-early", "ana\nghost", "disabled users: ghost"),
    ("  ", "ana", "must not be empty"), ("gx-early", "# nobody", "at least one assignee")])
def test_a_pattern_names_every_problem(world, cycle, assignees, message):
    world.gaoxin_slots()
    with pytest.raises(RosterProblem, match=message):
        world.setup.create_pattern(SUP, PatternInput(code="gx", cycle_text=cycle, assignees_text=assignees,
                                                     start=date(2026, 11, 1)))
    assert world.store.tables.patterns == {}


def test_pattern_text_forms():
    assert parse_cycle("night, day 休 -  evening") == ["night", "day", None, None, "evening"]
    assert parse_assignees("a\n# comment\nb, c @5\n\nd") == [(["a"], 0), (["b", "c"], 5), (["d"], 2)]


# --- leave -------------------------------------------------------------------------------------------
def test_leave_is_recorded_even_when_it_clashes_and_the_clashes_are_returned(rostered):
    entry, clashes = rostered.edits.add_leave(SUP, ANA, date(2026, 11, 26), date(2026, 11, 26), " 年假 ")
    assert (entry.starts_at, entry.ends_at, entry.reason) == (local(2026, 11, 26), local(2026, 11, 27), "年假")
    assert len(clashes) == 1 and "年假" in clashes[0]
    assert rostered.store.tables.audit[-1].note == clashes[0]
    assert rostered.version.value == 1
    page = rostered.edits.leave_page()
    assert [e.id for e in page["leave"]] == [entry.id] and page["names"] == {ANA: "ana老师"}
    rostered.edits.delete_leave(SUP, entry.id)
    assert rostered.store.tables.leave == {} and rostered.store.actions()[-1] == "leave.delete"
    with pytest.raises(RosterProblem, match="no leave"):
        rostered.edits.delete_leave(SUP, entry.id)


def test_leave_for_nobody_or_backwards_is_refused(rostered):
    with pytest.raises(RosterProblem, match="before start"):
        rostered.edits.add_leave(SUP, ANA, date(2026, 11, 26), date(2026, 11, 25))
    with pytest.raises(RosterProblem, match="does not exist"):
        rostered.edits.add_leave(SUP, 77, date(2026, 11, 26), date(2026, 11, 26))
    assert rostered.store.tables.leave == {} and rostered.version.value == 0


# --- single shifts -------------------------------------------------------------------------------------
def test_an_added_shift_is_manual_and_a_broken_rule_needs_an_override_with_a_reason(rostered):
    shift, messages = rostered.edits.add_shift(SUP, CY, "gx-early", date(2026, 11, 25))
    assert messages == [] and shift.source == "manual" and shift.starts_at == local(2026, 11, 25, 9, 0)
    with pytest.raises(RosterProblem, match="already has this shift"):
        rostered.edits.add_shift(SUP, CY, "gx-early", date(2026, 11, 25))
    with pytest.raises(RosterProblem) as refused:            # cy would work 09-15 and 15-21
        rostered.edits.add_shift(SUP, CY, "gx-late", date(2026, 11, 25))
    assert refused.value.violations
    late, forced = rostered.edits.add_shift(SUP, CY, "gx-late", date(2026, 11, 25), override=True, reason="缺人")
    assert forced == refused.value.violations
    assert rostered.store.tables.audit[-1].after["violations"] == forced
    with pytest.raises(RosterProblem, match="unknown slot"):
        rostered.edits.add_shift(SUP, CY, "gx-night", date(2026, 11, 25))


def test_reassigning_is_a_cover_unless_the_shift_was_manual(rostered):
    late = rostered.shift(ANA, 2026, 11, 24, 15, 0)
    moved, messages = rostered.edits.reassign_shift(SUP, late.id, CY)
    assert (moved.counselor_id, moved.source, messages) == (CY, "cover", [])
    entry = rostered.store.tables.audit[-1]
    assert entry.before["counselor_id"] == ANA and entry.after["counselor_id"] == CY
    manual, _ = rostered.edits.add_shift(SUP, CY, "gx-early", date(2026, 11, 27))
    again, _ = rostered.edits.reassign_shift(SUP, manual.id, BO, override=True, reason="互换")
    assert again.source == "manual"
    with pytest.raises(RosterProblem):                     # bo works early on 11-24: no rest before the late
        rostered.edits.reassign_shift(SUP, late.id, BO)
    assert rostered.store.tables.shifts[late.id].counselor_id == CY


def test_removing_a_shift_cancels_open_requests_about_it(rostered):
    late = rostered.shift(ANA, 2026, 11, 24, 15, 0)
    request = rostered.swaps.propose(ANA, "cover", late.id, CY)
    rostered.edits.remove_shift(SUP, late.id, "多排了")
    assert late.id not in rostered.store.tables.shifts
    swap = rostered.store.tables.swaps[request.id]
    assert swap.status == "cancelled" and "removed" in swap.decision_note
    assert rostered.store.actions()[-1] == "shift.remove" and rostered.version.value == 1
    with pytest.raises(RosterProblem, match="no shift"):
        rostered.edits.remove_shift(SUP, late.id)


def test_the_shift_and_audit_pages(rostered):
    late = rostered.shift(ANA, 2026, 11, 24, 15, 0)
    page = rostered.edits.shift_page(late.id)
    assert page["name"] == "ana老师" and page["local"]["line"] == "高新区热线"
    assert page["local"]["start"] == local(2026, 11, 24, 15, 0)
    assert rostered.edits.shift_page(12345) is None
    audit = rostered.edits.audit_page(limit=2)
    assert [e.action for e in audit["entries"]] == ["roster.generate", "pattern.create"]
