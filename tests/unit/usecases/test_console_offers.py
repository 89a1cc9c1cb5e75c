"""Offers: accept (bridge, record, continuity), decline, time-out, and what the telephony
tells the console (the caller hung up, or left the queue while an offer rang)."""
from __future__ import annotations

import pytest

from hotline.usecases.console import ConsoleError
from tests.unit.usecases.console_floor import Floor


@pytest.fixture
def ringing() -> Floor:
    """CA1 (waiting 12 s, a known caller) rings on counselor 1's console."""
    floor = Floor()
    floor.caller("CA1", caller_key="k1:caller", ago_s=12, queue_sid="QU1")
    floor.counselor(1)
    floor.dispatcher.dispatch()
    assert floor.offered_to(1) == "CA1"
    floor.events.sent.clear()
    floor.trigger.pokes = 0
    return floor


def test_accept_bridges_records_the_wait_and_remembers_the_counselor(ringing):
    floor = ringing
    state = floor.console.accept("CA1", 1)
    assert state["line"] == "gaoxin" and floor.state(1) == "on_call"
    assert floor.calls.commands == [("bridge", "CA1", "QU1", 1)]
    [answered] = [op for op in floor.records.ops if op.kind == "answered"]
    assert answered.fields == {"status": "answered", "answered_at": floor.clock.now(), "counselor_id": 1,
                               "wait_seconds": 12.0}
    assert answered.caller_key == "k1:caller" and answered.dialled_number == "+862885337950"
    assert floor.memory.last == {"k1:caller": 1}                  # continuity for the next call
    [(payload, rooms)] = floor.events_named("call.answered")
    assert payload == {"call": "CA1", "counselor": 1, "line": "gaoxin"}
    assert rooms == ("supervisors", "counselor:1", "line:gaoxin")
    assert floor.trigger.pokes == 1


def test_a_failed_bridge_still_records_the_answer(ringing):
    floor = ringing
    floor.calls.fail = True
    floor.console.accept("CA1", 1)
    assert floor.records.kinds("CA1") == ["answered"] and floor.state(1) == "on_call"


def test_only_the_counselor_it_rings_for_can_accept(ringing):
    floor = ringing
    floor.counselor(2)
    with pytest.raises(ConsoleError, match="no longer offered"):
        floor.console.accept("CA1", 2)
    assert floor.state(1) == "offered" and floor.records.ops == [] and floor.calls.commands == []


def test_decline_frees_the_counselor_and_skips_them_next_time(ringing):
    floor = ringing
    floor.console.decline("CA1", 1)
    assert floor.state(1) == "available"
    assert floor.queues.calls["CA1"]["status"] == "queued" and floor.queues.calls["CA1"]["declined"] == ",1"
    assert [p for p, _ in floor.events_named("offer.withdrawn")] == [{"call": "CA1", "reason": "declined"}]
    assert floor.dispatcher.dispatch() == []                      # nobody else, and not them again
    with pytest.raises(ConsoleError):
        floor.console.decline("CA1", 1)


def test_time_out_puts_the_counselor_on_break_with_a_notice(ringing):
    floor = ringing
    floor.console.time_out("CA1", 1)
    assert floor.state(1) == "break"
    [(payload, rooms)] = floor.events_named("offer.withdrawn")
    assert payload["reason"] == "timeout" and "on break" in payload["notice"] and rooms[-1] == "counselor:1"


def test_time_out_of_an_offer_already_gone_does_nothing(ringing):
    floor = ringing
    floor.console.accept("CA1", 1)
    floor.events.sent.clear()
    floor.console.time_out("CA1", 1)
    assert floor.state(1) == "on_call" and floor.events.sent == []


def test_caller_hanging_up_while_it_rings_withdraws_the_offer(ringing):
    floor = ringing
    floor.console.caller_hung_up("CA1")
    assert floor.state(1) == "available" and floor.steps.ringing("CA1") is None
    assert floor.queues.calls["CA1"].get("declined") is None      # not the counselor's refusal
    assert [p["reason"] for p, _ in floor.events_named("offer.withdrawn")] == ["caller_hung_up"]
    assert floor.trigger.pokes == 1


def test_caller_hanging_up_during_the_talk_starts_wrap_up(ringing):
    floor = ringing
    floor.console.accept("CA1", 1)
    floor.clock.advance(seconds=90)
    floor.console.caller_hung_up("CA1")
    assert floor.state(1) == "wrap_up" and floor.records.kinds("CA1")[-1] == "talk_ended"


def test_a_hang_up_of_a_call_nobody_had_is_ignored():
    floor = Floor()
    floor.caller("CA1")
    floor.console.caller_hung_up("CA1")
    floor.console.caller_hung_up("CA-unknown")
    assert floor.events.sent == [] and floor.records.ops == []


def test_caller_leaving_while_it_rings_frees_the_counselor_and_forgets_the_offer(ringing):
    floor = ringing
    assert floor.console.caller_leaves_queue("CA1", "voicemail") is True
    assert floor.state(1) == "available"
    state = floor.queues.calls["CA1"]
    assert state["status"] == "leaving" and "offer_seq" not in state and "offered_to" not in state
    assert [p for p, _ in floor.events_named("offer.withdrawn")] == [{"call": "CA1", "reason": "caller_left"}]
    assert [p["state"] for p, _ in floor.events_named("presence")] == ["available"]
    assert floor.trigger.pokes == 1
    with pytest.raises(ConsoleError):
        floor.console.accept("CA1", 1)


def test_caller_leaving_after_the_accept_stays_to_be_connected(ringing):
    floor = ringing
    floor.console.accept("CA1", 1)
    floor.events.sent.clear()
    assert floor.console.caller_leaves_queue("CA1", "voicemail") is False
    assert floor.state(1) == "on_call" and floor.events.sent == []


def test_caller_leaving_without_an_offer_tells_no_counselor():
    floor = Floor()
    floor.caller("CA1")
    assert floor.console.caller_leaves_queue("CA1", "rollover") is True
    assert floor.queues.waiting("gaoxin") == [] and floor.events.sent == [] and floor.trigger.pokes == 0
