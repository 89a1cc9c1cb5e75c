"""A new call and the menu (usecases/calls/incoming.py), with in-memory ports."""
from __future__ import annotations

import pytest

from hotline.ports import Prompt, RouteAnswer
from hotline.routing.decision import PRIORITY_CRISIS, PRIORITY_FLAGGED, Enqueue, NothingOpen, Transfer
from tests.unit.usecases.fakes_calls import (CALLER, CITY, CLOSED_DIRECTORY, DISTRICT, CallPath, inbound,
                                             local)


def test_open_staffed_line_queues_the_caller_and_records_it():
    path = CallPath()
    path.staff(district=1)
    answer = path.routing.incoming(inbound("CA1"))
    assert isinstance(answer, RouteAnswer) and isinstance(answer.decision, Enqueue)
    assert (answer.opening, answer.line_name) == (Prompt.WELCOME, "区热线")
    assert answer.at == path.clock.now() and answer.directory is path.directory
    assert path.queues.waiting("district") == ["CA1"]
    state = path.queues.call_state("CA1")
    assert (state["status"], state["dialled"], state["max_wait_s"]) == ("queued", DISTRICT, "90")
    assert state["caller_key"] == path.keyring.caller_key(CALLER)
    received, queued = path.records.ops
    assert (received.kind, received.dedup_key, received.fields) == (
        "received", "received", {"status": "received", "caller_region": inbound().region})
    assert (queued.kind, queued.dedup_key, queued.detail) == ("queued", "queued:district", {"line": "district"})
    assert queued.fields == {"status": "queued", "line_id": "district", "queued_at": path.clock.now(), "priority": 0}
    assert all(op.caller_key == path.keyring.caller_key(CALLER) and CALLER not in op.caller_key
               for op in path.records.ops)
    assert path.events.sent == [("queue.changed", {"line": "district", "length": 1, "call": "CA1",
                                                   "change": "joined"}, ("district",))]


def test_a_queue_that_fails_leaves_no_queued_record_and_no_event():
    """The record says "queued" only with the queue place: both go in one step (issue #18)."""
    class Broken(ConnectionError):
        pass

    path = CallPath()
    path.staff(district=1)

    def failing_enqueue(*args, **kwargs):
        raise Broken("the queue is away")

    path.queues.enqueue = failing_enqueue
    with pytest.raises(Broken):
        path.routing.incoming(inbound("CA1"))
    assert path.records.kinds("CA1") == ["received"]
    assert path.events.named("queue.changed") == []


def test_unstaffed_line_transfers_to_an_open_external_line_with_coverage_alerts():
    path = CallPath()
    answer = path.routing.incoming(inbound("CA1"))
    assert isinstance(answer.decision, Transfer) and answer.decision.line_id == "external"
    assert path.queues.call_state("CA1") == {}                      # nobody queued
    transferred = path.ops(kind="transferred")[0]
    assert transferred.dedup_key == "transfer:external" and transferred.detail == {"to": "external"}
    assert transferred.fields == {"status": "transferred", "routed_to": "external", "outcome": "transferred"}
    assert [p["lines"] for p in path.events.named("coverage.alert")] == [["district", "city"]]   # one notice
    assert path.events.sent[-1] == ("call.transferred", {"call": "CA1", "to": "external"}, ("external",))


def test_nothing_open_anywhere_is_recorded_as_information_only():
    path = CallPath(CLOSED_DIRECTORY, local(2026, 11, 24, 23, 30))
    answer = path.routing.incoming(inbound("CA1", dialled="+862861111111"))
    assert isinstance(answer.decision, NothingOpen)
    assert path.records.kinds() == ["received", "nothing_open"]
    assert path.ops(kind="nothing_open")[0].fields == {"status": "info_only", "outcome": "info_only"}


def test_a_number_we_do_not_know_is_routed_without_a_welcome():
    path = CallPath()
    answer = path.routing.incoming(inbound("CA1", dialled="+861234"))
    assert answer.opening is None and answer.line_name == ""
    assert isinstance(answer.decision, Transfer)


def test_a_line_with_a_menu_asks_first_and_queues_nobody_yet():
    path = CallPath()
    path.staff(city=1)
    answer = path.routing.incoming(inbound("CA1", dialled=CITY))
    assert isinstance(answer.decision, Enqueue) and answer.decision.menu is not None
    assert path.queues.waiting("city") == []
    assert path.records.kinds() == ["received"]


def test_menu_choice_is_kept_and_the_caller_queued():
    path = CallPath()
    path.staff(city=1)
    answer = path.routing.menu("city", inbound("CA1", dialled=CITY), "1")
    assert answer.decision == Enqueue("city", 0, None, None, 120)
    state = path.queues.call_state("CA1")
    assert (state["menu"], state["crisis"]) == ("general", "0")
    menu = path.ops(kind="menu")[0]
    assert (menu.dedup_key, menu.detail, menu.fields) == ("menu:general", {"choice": "general"},
                                                          {"status": "menu", "menu_choice": "general"})


def test_a_menu_choice_is_kept_when_nobody_works_the_line_and_the_call_is_transferred():
    path = CallPath()                                        # nobody on shift: the menu's line sends on
    answer = path.routing.menu("city", inbound("CA1", dialled=CITY), "0")
    assert isinstance(answer.decision, Transfer)
    state = path.queues.call_state("CA1")
    assert (state["menu"], state["crisis"]) == ("danger_now", "1")
    assert path.queues.waiting("city") == [] and path.records.kinds() == ["menu", "transferred"]


def test_crisis_digit_jumps_ahead_of_earlier_callers():
    path = CallPath()
    path.staff(city=1)
    path.routing.menu("city", inbound("CA1", dialled=CITY, caller="+8613800000001"), "1")
    path.clock.advance(seconds=5)
    answer = path.routing.menu("city", inbound("CA2", dialled=CITY), "0")
    assert answer.decision.priority == PRIORITY_CRISIS
    assert path.queues.call_state("CA2")["crisis"] == "1"
    assert path.queues.waiting("city") == ["CA2", "CA1"]


def test_no_key_or_an_unknown_key_or_line_counts_as_no_choice():
    path = CallPath()
    path.staff(city=1)
    for sid, line, digits in (("CA1", "city", None), ("CA2", "city", "9"), ("CA3", "nowhere", "1")):
        path.routing.menu(line, inbound(sid, dialled=CITY), digits)
        assert path.queues.call_state(sid)["menu"] == "none"
        assert path.ops(sid, "menu")[0].dedup_key == "menu:none"
    assert path.queues.waiting("city") == ["CA1", "CA2", "CA3"]   # still queued, not asked again


def test_flagged_caller_goes_first_even_under_an_older_data_key():
    path = CallPath()
    path.staff(district=1)
    path.routing.incoming(inbound("CA1", caller="+8613800000001"))
    path.flagged.keys.add(path.keyring.caller_key_candidates(CALLER)[1])   # flagged before a key rotation
    answer = path.routing.incoming(inbound("CA2"))
    assert answer.decision.priority == PRIORITY_FLAGGED
    assert path.queues.waiting("district") == ["CA2", "CA1"]
    assert path.flagged.asked[-1] == tuple(path.keyring.caller_key_candidates(CALLER))


def test_withheld_number_is_queued_without_a_caller_key_and_never_looked_up():
    path = CallPath()
    path.staff(district=1)
    answer = path.routing.incoming(inbound("CA1", caller=""))
    assert isinstance(answer.decision, Enqueue) and path.queues.waiting("district") == ["CA1"]
    assert path.flagged.asked == []
    assert {op.caller_key for op in path.records.ops} == {""}        # no shared "anonymous" key
    assert path.ops(kind="received")[0].fields["caller_region"] is None
    state = path.queues.call_state("CA1")
    assert (state["caller_key"], state["withheld"]) == ("", "1")


def test_two_withheld_callers_share_nothing():
    path = CallPath()
    path.staff(district=1)
    path.flagged.keys.add("")          # even a stray empty key in the flagged set links nobody
    path.flagged.keys.add("anonymous")
    first = path.routing.incoming(inbound("CA1", caller=""))
    second = path.routing.incoming(inbound("CA2", caller=""))
    assert first.decision.priority == second.decision.priority == 0
    assert path.flagged.asked == []


def test_staffing_is_asked_for_the_instant_of_the_call():
    path = CallPath()
    path.routing.incoming(inbound("CA1"))
    assert path.staffing.asked_at == [local(2026, 11, 23, 10, 0)]


def test_a_late_menu_request_for_a_call_with_a_counselor_changes_nothing():
    """Found by the call-lifecycle state machine: a repeated menu post for a caller already
    talking to a counselor put them back in the queue, behind their counselor's back."""
    path = CallPath()
    path.staff(city=1)
    path.routing.menu("city", inbound("CA1", dialled=CITY), "0")           # crisis: first in line
    path.queues.remove("CA1")                                              # offered, accepted, bridged
    path.queues.annotate("CA1", status="on_call")
    ops, events = len(path.records.ops), len(path.events.sent)
    answer = path.routing.menu("city", inbound("CA1", dialled=CITY), "9")  # the old request, again
    assert isinstance(answer, RouteAnswer) and isinstance(answer.decision, Enqueue)   # still a route
    assert path.queues.waiting("city") == []
    state = path.queues.call_state("CA1")
    assert (state["status"], state["menu"], state["crisis"]) == ("on_call", "danger_now", "1")
    assert (len(path.records.ops), len(path.events.sent)) == (ops, events)


def test_a_repeated_new_call_request_for_a_call_past_routing_changes_nothing():
    path = CallPath()
    path.staff(district=1)
    for status in ("offered", "bridging", "on_call", "leaving", "ended", "failsafe"):
        sid = f"CA-{status}"
        path.routing.incoming(inbound(sid))
        path.queues.remove(sid)
        path.queues.annotate(sid, status=status)
        ops = len(path.records.ops)
        answer = path.routing.incoming(inbound(sid))
        assert isinstance(answer, RouteAnswer) and answer.decision is not None
        assert sid not in path.queues.waiting("district") and path.queues.call_state(sid)["status"] == status
        assert [op.kind for op in path.records.ops[ops:]] == ["received"], status   # its dedup key: once
    path.routing.incoming(inbound("CA-queued"))                    # a repeated request while queued
    path.routing.incoming(inbound("CA-queued"))
    assert path.queues.waiting("district").count("CA-queued") == 1  # keeps its one place, as before


def test_only_the_first_menu_post_counts_even_when_the_queue_entry_was_lost():
    """Found by the state machine: a crisis caller whose queue entry Redis lost, then a repeated
    menu post with another digit, rejoined the queue at priority 0."""
    path = CallPath()
    path.staff(city=1)
    first = path.routing.menu("city", inbound("CA1", dialled=CITY), "0")   # crisis
    path.queues.remove("CA1")                                              # the queue entry is lost
    ops = len(path.records.ops)
    again = path.routing.menu("city", inbound("CA1", dialled=CITY), "1")   # a late post, other digits
    assert again.decision == first.decision and again.decision.priority == PRIORITY_CRISIS
    state = path.queues.call_state("CA1")
    assert (state["menu"], state["crisis"], state["priority"]) == ("danger_now", "1", str(PRIORITY_CRISIS))
    assert len(path.records.ops) == ops                                    # not recorded twice
    assert path.queues.waiting("city") == []   # a wait round rejoins it with its kept priority
