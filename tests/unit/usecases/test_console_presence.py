"""Presence switching by hand: available, break, offline — never away from an offer or a call."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.usecases.console import ConsoleError
from tests.unit.usecases.console_floor import Floor
from tests.unit.usecases.fakes_console import FakeBlockMarks


def test_a_first_presence_is_created_with_name_and_lines():
    floor = Floor()
    presence = floor.console.set_presence(1, "available", "李老师", ("gaoxin", "chengdu"))
    assert (presence.state, presence.name, presence.lines) == ("available", "李老师", ("gaoxin", "chengdu"))
    assert presence.since == floor.clock.now()
    [(payload, rooms)] = floor.events_named("presence")
    assert payload["state"] == "available" and payload["lines"] == ["gaoxin", "chengdu"]
    assert rooms == ("supervisors", "counselor:1")
    assert floor.trigger.pokes == 1                       # a counselor freed: dispatch soon


@pytest.mark.parametrize("state", ["offered", "on_call", "wrap_up", "asleep"])
def test_only_available_break_and_offline_can_be_chosen(state):
    floor = Floor()
    with pytest.raises(ConsoleError, match="cannot switch"):
        floor.console.set_presence(1, state, "李老师", ("gaoxin",))
    assert floor.presences.get(1) is None and floor.trigger.pokes == 0


@pytest.mark.parametrize("busy", ["offered", "on_call"])
def test_a_ringing_offer_or_a_call_must_be_finished_first(busy):
    floor = Floor()
    floor.counselor(1, state=busy, call="CA1")
    with pytest.raises(ConsoleError, match="finish it first"):
        floor.console.set_presence(1, "break")
    assert floor.state(1) == busy and floor.presences.get(1).call == "CA1"


def test_wrap_up_may_be_left_for_a_break_and_the_call_is_forgotten():
    floor = Floor()
    floor.counselor(1, state="wrap_up", call="CA1", until=floor.clock.now())
    floor.clock.advance(seconds=5)
    presence = floor.console.set_presence(1, "break")
    assert (presence.state, presence.call, presence.until) == ("break", None, None)
    assert presence.since == floor.clock.now()


def test_choosing_the_same_state_keeps_its_start_but_refreshes_the_profile():
    floor = Floor()
    floor.counselor(1, "gaoxin", idle_s=120)
    since = floor.presences.get(1).since
    presence = floor.console.set_presence(1, "available", "新名字", ("gaoxin", "chengdu"))
    assert presence.since == since                         # still the longest idle
    assert (presence.name, presence.lines) == ("新名字", ("gaoxin", "chengdu"))


def test_without_lines_the_profile_is_left_alone():
    floor = Floor()
    floor.counselor(1, "gaoxin")
    presence = floor.console.set_presence(1, "offline")
    assert presence.state == "offline" and presence.lines == ("gaoxin",) and presence.name == "咨询师1"


def test_a_database_outage_keeps_the_last_known_block():
    floor = Floor()
    floor.console.marks = floor.dispatcher.marks = FakeBlockMarks()
    floor.counselor(1, state="wrap_up", call="CA0", until=floor.clock.now() + timedelta(seconds=30))
    floor.guard.blockers[1] = ["须先登记转介 / a referral is required"]
    floor.time.tick()                                    # in wrap-up: the guard's answer is kept
    floor.console.set_presence(1, "break")
    floor.guard.down = True                              # the database goes away
    with pytest.raises(ConsoleError):
        floor.console.set_presence(1, "available")
    assert floor.state(1) == "break"
    floor.guard.down, floor.guard.blockers[1] = False, []   # back, and the referral is recorded
    floor.console.set_presence(1, "available")
    assert floor.state(1) == "available" and floor.console.marks.last(1) == []
