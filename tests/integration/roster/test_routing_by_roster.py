"""Routing and assignment follow the roster: only counselors on shift are offered a line's calls,
and at the hand-over minute the offer goes to the next shift. Driven in-process like the console
tests (webhooks through the test client, ConsoleService.tick() as the ticker), on a frozen clock."""
from datetime import date

import pytest

from tests.integration.console.conftest import Floor
from tests.integration.roster.conftest import local
from tests.integration.voice.conftest import GAOXIN

LINE = "chengdu-gaoxin"


@pytest.fixture
def floor(app, kit):
    """ana works 早班 09:00-15:00 and bo 晚班 15:00-21:00 on 2026-11-23 (they alternate daily)."""
    ana, bo = kit.counselors("ana", "bo", lines=(LINE,))
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    kit.generate(date(2026, 11, 22), date(2026, 11, 30))
    f = Floor(app)
    f.at(local(2026, 11, 23, 10, 0))
    f.ana, f.bo = ana.id, bo.id
    return f


def test_only_the_counselor_on_shift_is_offered_and_the_offer_moves_at_hand_over(floor):
    floor.counselor(floor.ana, LINE)
    floor.counselor(floor.bo, LINE)                      # signed in and available, but not on shift
    first = floor.caller("+8613800000001")
    floor.tick()
    assert floor.offered_to(floor.ana) == first and floor.offered_to(floor.bo) is None
    floor.console.accept(first, floor.ana)               # ana is busy with a long call

    floor.at(local(2026, 11, 23, 14, 59, 0))
    second = floor.caller("+8613800000002")               # staffed: ana is on shift and working
    for instant in (local(2026, 11, 23, 14, 59, 0), local(2026, 11, 23, 14, 59, 30), local(2026, 11, 23, 14, 59, 59)):
        floor.at(instant)
        floor.tick()
        assert floor.offered_to(floor.bo) is None and floor.state(floor.bo) == "available"
    assert floor.services.queues.length(LINE) == 1

    floor.at(local(2026, 11, 23, 15, 0, 0))               # the hand-over minute
    floor.tick()
    assert floor.offered_to(floor.bo) == second
    assert floor.hotline.staffing.lines_for(floor.services.presence.get(floor.ana), floor.services.now()) == set()


def test_incoming_shift_is_on_duty_at_the_hand_over_and_the_dashboard_shape_holds(floor):
    floor.counselor(floor.ana, LINE)
    floor.at(local(2026, 11, 23, 14, 59))
    duty = floor.hotline.on_duty.on_duty(LINE, floor.services.now())
    assert duty["source"] == "roster" and duty["staffed"] is True
    assert duty["current"] == [{"id": floor.ana, "name": "ana老师", "state": "available"}]
    assert duty["next"] == {"start": local(2026, 11, 23, 15, 0).isoformat(), "names": ["bo老师"]}
    floor.at(local(2026, 11, 23, 15, 0))
    duty = floor.hotline.on_duty.on_duty(LINE, floor.services.now())
    assert duty["current"] == [{"id": floor.bo, "name": "bo老师", "state": "offline"}]
    assert duty["staffed"] is False      # bo is on shift but not signed in: the dashboard shows a gap
    assert duty["next"] == {"start": local(2026, 11, 24, 9, 0).isoformat(), "names": ["bo老师"]}


def test_open_line_with_nobody_on_shift_is_closed_to_callers_and_alerts(floor, kit):
    kit.hotline.roster_edits.add_leave(None, floor.bo, date(2026, 11, 24), date(2026, 11, 24), "病假")
    kit.generate(date(2026, 11, 24), date(2026, 11, 24))  # bo's early shift on 11-24 is left unfilled
    floor.at(local(2026, 11, 24, 10, 0))
    floor.counselor(floor.ana, LINE)                      # available, assigned, but her shift is at 15:00
    twiml = floor.post("/voice/incoming", _params(GAOXIN))
    assert twiml.find("Enqueue") is None or twiml.attr("Enqueue", "waitUrl").find(LINE) < 0
    assert any(LINE in e["lines"] for e in floor.events("coverage.alert"))
    assert floor.hotline.coverage_alerts.raise_alerts(floor.services.now()) == [LINE]
    assert floor.hotline.coverage_alerts.raise_alerts(floor.services.now()) == []   # once an hour at most
    assert [a.line_id for a in floor.hotline.alerts.open_alerts() if a.kind == "coverage"] == [LINE]


def test_lines_without_a_roster_keep_the_assigned_lines_rule(floor):
    floor.counselor(floor.bo, LINE, "chengdu")
    presence = floor.services.presence.get(floor.bo)
    assert floor.hotline.staffing.lines_for(presence, floor.services.now()) == {"chengdu"}
    assert floor.hotline.on_duty.on_duty("chengdu", floor.services.now())["source"] == "presence"


def _params(to: str):
    from tests.twilio_fake import call_params, new_call_sid

    return call_params(new_call_sid(), to, "+8613800000009")
