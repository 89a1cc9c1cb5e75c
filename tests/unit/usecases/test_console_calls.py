"""Ending a call: wrap-up with the learned handling time, transfers, extending wrap-up, and
"ready" guarded by the triage area's close guard."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.usecases.console import ConsoleError
from tests.unit.usecases.console_floor import Floor


@pytest.fixture
def talking() -> Floor:
    """Counselor 1 has been talking with CA1 for 5 minutes."""
    floor = Floor(wrapup_s=60)
    floor.on_call("CA1", 1)
    floor.clock.advance(minutes=5)
    floor.records.ops.clear()
    floor.events.sent.clear()
    return floor


def test_end_call_hangs_up_and_starts_wrap_up(talking):
    floor = talking
    floor.console.end_call("CA1", 1)
    presence = floor.presences.get(1)
    assert (presence.state, presence.call) == ("wrap_up", "CA1")
    assert presence.until == floor.clock.now() + timedelta(seconds=60)
    assert floor.calls.commands[-1] == ("hang_up", "CA1")
    [ended] = floor.records.ops
    assert ended.kind == "talk_ended"
    assert ended.fields == {"status": "wrap_up", "ended_at": floor.clock.now(), "talk_seconds": 300.0}
    assert floor.queues.calls["CA1"]["status"] == "ended"
    [(payload, rooms)] = floor.events_named("call.ended")
    assert payload == {"call": "CA1", "counselor": 1} and rooms == ("supervisors", "counselor:1", "line:gaoxin")


def test_the_handling_time_is_learned_from_talk_and_wrap_up(talking):
    floor = talking
    floor.console.end_call("CA1", 1)
    assert floor.memory.handle["gaoxin"] == 360.0                 # the first call: its own time
    floor.clock.advance(seconds=61)
    floor.console.ready(1)
    floor.on_call("CA2", 1)
    floor.clock.advance(seconds=60)
    floor.console.end_call("CA2", 1)
    assert floor.memory.handle["gaoxin"] == 0.8 * 360.0 + 0.2 * 120.0   # then a moving average


def test_a_failed_hang_up_still_ends_the_talk(talking):
    floor = talking
    floor.calls.fail = True
    floor.console.end_call("CA1", 1)
    assert floor.state(1) == "wrap_up" and floor.records.kinds("CA1") == ["talk_ended"]


def test_only_the_counselor_on_the_call_can_end_or_transfer_it(talking):
    floor = talking
    floor.counselor(2)
    for act in (lambda: floor.console.end_call("CA1", 2), lambda: floor.console.transfer("CA1", 2, "chengdu"),
                lambda: floor.console.end_call("CA9", 1)):
        with pytest.raises(ConsoleError, match="not on this call"):
            act()
    assert floor.calls.commands == [("bridge", "CA1", None, 1)] and floor.state(1) == "on_call"


def test_transfer_records_the_target_ends_the_talk_and_redirects(talking):
    floor = talking
    floor.console.transfer("CA1", 1, "chengdu")
    assert floor.records.kinds("CA1") == ["transfer:chengdu", "talk_ended"]
    assert floor.records.ops[0].fields == {"routed_to": "chengdu"}
    assert floor.state(1) == "wrap_up"
    assert floor.calls.commands[-1] == ("redirect", "CA1", "/voice/transfer?line=chengdu")


def test_transfer_to_an_unknown_line_is_refused_before_anything_happens(talking):
    floor = talking
    with pytest.raises(ConsoleError, match="unknown line"):
        floor.console.transfer("CA1", 1, "atlantis")
    assert floor.state(1) == "on_call" and floor.records.ops == []
    assert floor.console.is_line("deyang") and not floor.console.is_line("atlantis")


def test_wrap_up_is_extended_from_its_end_up_to_half_an_hour(talking):
    floor = talking
    floor.console.end_call("CA1", 1)
    end = floor.presences.get(1).until
    assert floor.console.extend_wrap_up(1, 120) == end + timedelta(seconds=120)
    assert floor.presences.get(1).until == end + timedelta(seconds=120)
    assert floor.console.extend_wrap_up(1, 99999) == end + timedelta(seconds=120 + 1800)
    assert floor.presences.get(1).call == "CA1"                    # the notes still belong to it


def test_an_overdue_wrap_up_is_extended_from_now(talking):
    floor = talking
    floor.console.end_call("CA1", 1)
    floor.clock.advance(minutes=10)
    assert floor.console.extend_wrap_up(1, 30) == floor.clock.now() + timedelta(seconds=30)


def test_extend_and_ready_need_a_wrap_up(talking):
    floor = talking
    with pytest.raises(ConsoleError, match="not in wrap-up"):
        floor.console.extend_wrap_up(1, 60)
    with pytest.raises(ConsoleError, match="not in wrap-up"):
        floor.console.ready(1)
    assert floor.state(1) == "on_call"


def test_ready_ends_wrap_up_and_asks_for_the_next_caller(talking):
    floor = talking
    floor.console.end_call("CA1", 1)
    pokes = floor.trigger.pokes
    floor.console.ready(1)
    presence = floor.presences.get(1)
    assert (presence.state, presence.call, presence.until) == ("available", None, None)
    assert floor.records.kinds("CA1")[-1] == "wrap_up_ended"       # reports measure wrap-up from it
    assert floor.trigger.pokes == pokes + 1


def test_ready_is_refused_while_the_close_guard_blocks(talking):
    floor = talking
    floor.console.end_call("CA1", 1)
    floor.guard.blockers[1] = ["须先登记转介 / a referral is required", "须完成紧急清单 / finish the checklist"]
    with pytest.raises(ConsoleError) as refused:
        floor.console.ready(1)
    assert str(refused.value) == ("尚不能结束通话记录：须先登记转介；须完成紧急清单 / the call record cannot be "
                                  "closed yet: a referral is required; finish the checklist")
    assert floor.state(1) == "wrap_up" and "wrap_up_ended" not in floor.records.kinds("CA1")


def test_a_warm_transfer_puts_the_colleague_on_the_call(talking):
    """The conference's warm transfer: counselor 1 goes to wrap-up (caller_hung_up), the
    colleague who joined is on call with the same call; told twice, nothing changes."""
    floor = talking
    floor.counselor(2)
    floor.console.caller_hung_up("CA1")
    floor.console.call_taken_over("CA1", 2)
    assert (floor.state(1), floor.presences.get(1).call) == ("wrap_up", "CA1")
    presence = floor.presences.get(2)
    assert (presence.state, presence.call, presence.lines) == ("on_call", "CA1", ("gaoxin",))
    assert floor.queues.calls["CA1"]["counselor"] == "2"
    since = presence.since
    floor.clock.advance(seconds=5)
    floor.console.call_taken_over("CA1", 2)
    assert floor.presences.get(2).since == since
    floor.console.end_call("CA1", 2)                 # the colleague ends it: their wrap-up
    assert floor.state(2) == "wrap_up"


def test_a_colleague_with_a_ringing_offer_loses_it_when_taking_over(talking):
    floor = talking
    floor.caller("CA2")
    floor.counselor(2)
    assert floor.dispatcher.dispatch() and floor.offered_to(2) == "CA2"
    floor.console.call_taken_over("CA1", 2)
    assert (floor.state(2), floor.presences.get(2).call) == ("on_call", "CA1")
    assert [p["call"] for p, _ in floor.events_named("offer.withdrawn")] == ["CA2"]
