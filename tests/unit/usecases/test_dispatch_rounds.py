"""Dispatch: who gets which waiting call, under the lock, deciding again when a caller
joined ahead while the offers were being made."""
from __future__ import annotations

from datetime import timedelta

from tests.unit.usecases.console_floor import Floor


def test_the_longest_waiting_call_goes_to_the_longest_idle_counselor():
    floor = Floor()
    floor.caller("CA1", ago_s=30)
    floor.caller("CA2", ago_s=10)
    floor.counselor(1, idle_s=5)
    floor.counselor(2, idle_s=50)
    offers = floor.dispatcher.dispatch()
    assert [(o.call_sid, o.counselor_id) for o in offers] == [("CA1", 2), ("CA2", 1)]
    assert floor.queues.calls["CA1"]["offered_to"] == "2"


def test_priority_goes_before_arrival():
    floor = Floor()
    floor.caller("CA1", ago_s=60)
    floor.caller("CA2", priority=2, ago_s=1)
    floor.counselor(1)
    floor.dispatcher.dispatch()
    assert floor.offered_to(1) == "CA2"


def test_only_counselors_who_may_answer_the_line_now_are_offered_its_calls():
    floor = Floor()
    floor.caller("CA1", line_id="chengdu")
    floor.counselor(1, "gaoxin", idle_s=90)
    floor.counselor(2, "chengdu", idle_s=60)
    floor.counselor(3, "chengdu", idle_s=30)
    floor.staffing.off_shift.add(2)                                # not on shift for it now
    floor.dispatcher.dispatch()
    assert floor.offered_to(3) == "CA1" and floor.offered_to(1) is None and floor.offered_to(2) is None


def test_nothing_is_offered_without_a_free_counselor_or_while_another_process_dispatches():
    floor = Floor()
    floor.caller("CA1")
    floor.counselor(1, state="on_call", call="CA0")
    assert floor.dispatcher.dispatch() == []
    floor.counselor(2)
    floor.steps.lock_held_elsewhere = True
    assert floor.dispatcher.dispatch() == [] and floor.offered_to(2) is None


def test_a_caller_who_joined_ahead_meanwhile_is_not_passed_over():
    floor = Floor()
    floor.caller("CA1", ago_s=5)
    floor.counselor(1)
    floor.steps.after_reading_heads = lambda: floor.caller("CA-urgent", priority=2)
    offers = floor.dispatcher.dispatch()
    assert [(o.call_sid, o.counselor_id) for o in offers] == [("CA-urgent", 1)]
    assert floor.queues.calls["CA1"]["status"] == "queued"


def test_calls_already_offered_or_leaving_are_not_offered_again():
    floor = Floor()
    floor.caller("CA1", ago_s=20)
    floor.caller("CA2", ago_s=10)
    floor.queues.annotate("CA1", status="leaving")
    floor.counselor(1)
    floor.counselor(2)
    assert [o.call_sid for o in floor.dispatcher.dispatch()] == ["CA2"]
    assert floor.dispatcher.dispatch() == []


def test_a_repeat_caller_is_held_briefly_for_their_last_counselor():
    floor = Floor(continuity_wait_s=30)
    floor.memory.remember("k1:repeat", 1)
    floor.caller("CA1", caller_key="k1:repeat")
    floor.counselor(1, state="wrap_up", call="CA0", until=floor.clock.now() + timedelta(minutes=5))
    floor.counselor(2)
    assert floor.dispatcher.dispatch() == []                       # held for counselor 1 ...
    floor.clock.advance(seconds=30)
    [offer] = floor.dispatcher.dispatch()                          # ... for 30 s at most
    assert (offer.counselor_id, offer.continuity) == (2, False)


def test_the_last_counselor_gets_the_repeat_caller_with_continuity_in_the_offer():
    floor = Floor()
    floor.memory.remember("k1:repeat", 1)
    floor.caller("CA1", caller_key="k1:repeat")
    floor.counselor(1, idle_s=5)
    floor.counselor(2, idle_s=500)
    [offer] = floor.dispatcher.dispatch()
    assert (offer.counselor_id, offer.continuity) == (1, True)
    [(payload, rooms)] = floor.events_named("offer")
    assert payload["continuity"] is True and payload["counselor"] == 1
    assert rooms == ("supervisors", "counselor:1")                 # not the line room: the file is private


def test_a_counselor_who_declined_is_not_offered_the_call_again():
    floor = Floor()
    floor.caller("CA1")
    floor.counselor(1, idle_s=60)
    floor.dispatcher.dispatch()
    floor.console.decline("CA1", 1)
    floor.counselor(2)
    floor.dispatcher.dispatch()
    assert floor.offered_to(2) == "CA1" and floor.offered_to(1) is None


def test_an_offer_expires_after_the_offer_timeout():
    floor = Floor(offer_timeout_s=20)
    floor.caller("CA1")
    floor.counselor(1)
    floor.dispatcher.dispatch()
    assert floor.steps.ringing("CA1").expires_at == floor.clock.now() + timedelta(seconds=20)
    assert floor.dispatcher.expired_offers(floor.clock.now() + timedelta(seconds=19)) == []
    assert floor.dispatcher.expired_offers(floor.clock.now() + timedelta(seconds=20)) == [("CA1", 1)]
