"""Transfers and the counselor's leg (usecases/calls/transfer.py, bridge.py)."""
from __future__ import annotations

import pytest

from hotline.ports import FailSafeAnswer, HangUp, Prompt, RingCounselor
from hotline.routing.decision import Enqueue, NothingOpen, Transfer
from tests.unit.usecases.fakes_calls import CallPath, inbound


@pytest.mark.parametrize("status", ["completed", "answered"])
def test_an_answered_transfer_ends_our_part(status):
    path = CallPath()
    assert path.transfers.dial_result("external", inbound("CA1"), status) == HangUp()
    assert path.queues.call_state("CA1") == {} and path.records.ops == []


@pytest.mark.parametrize("status", ["failed", "busy", "no-answer", None])
def test_a_failed_transfer_tries_the_next_line_and_says_so(status):
    path = CallPath()
    path.staff(city=1)
    path.queues.annotate("CA1", tried="district")
    answer = path.transfers.dial_result("external", inbound("CA1"), status)
    assert answer.opening is Prompt.TRANSFER_FAILED
    assert isinstance(answer.decision, Enqueue) and answer.decision.line_id == "city"
    assert path.queues.call_state("CA1")["tried"] == "district,external"


def test_when_every_line_was_tried_the_caller_hears_the_hours_and_may_leave_a_message():
    path = CallPath()
    path.queues.annotate("CA1", tried="district,city")
    answer = path.transfers.dial_result("external", inbound("CA1"), "failed")
    assert isinstance(answer.decision, NothingOpen)
    assert path.records.kinds() == ["nothing_open"]


def test_hand_over_to_a_hosted_line_queues_there_whatever_was_tried():
    path = CallPath()
    path.staff(city=1)
    path.queues.annotate("CA1", tried="city", status="ended")
    answer = path.transfers.transfer("city", inbound("CA1"))
    assert answer.opening is Prompt.TRANSFERRING
    assert isinstance(answer.decision, Enqueue) and answer.decision.menu is None   # no menu on a hand-over
    assert path.queues.waiting("city") == ["CA1"]
    state = path.queues.call_state("CA1")
    assert (state["status"], state["menu"]) == ("queued", "transfer")


def test_hand_over_keeps_the_callers_menu_choice():
    path = CallPath()
    path.staff(city=1)
    path.queues.annotate("CA1", menu="general")
    path.transfers.transfer("city", inbound("CA1"))
    assert path.queues.call_state("CA1")["menu"] == "general"


def test_hand_over_to_an_external_line_dials_it():
    path = CallPath()
    answer = path.transfers.transfer("external", inbound("CA1"))
    assert isinstance(answer.decision, Transfer) and answer.decision.line_id == "external"
    assert path.events.named("call.transferred") == [{"call": "CA1", "to": "external"}]


def test_hand_over_to_an_unknown_line_is_the_failsafe():
    path = CallPath()
    answer = path.transfers.transfer("nowhere", inbound("CA1"))
    assert answer == FailSafeAnswer(path.directory, inbound().dialled, path.clock.now(), None)
    assert path.queues.call_state("CA1") == {}


def test_bridge_rings_the_counselor_and_marks_the_call_on_call():
    path = CallPath()
    assert path.bridge.bridge("7", inbound("CA1")) == RingCounselor(7, "CA1")
    assert path.queues.call_state("CA1")["status"] == "on_call"


def test_bridge_to_a_garbled_counselor_id_fails_so_the_blueprint_answers_with_the_failsafe():
    path = CallPath()
    with pytest.raises(ValueError):
        path.bridge.bridge("seven", inbound("CA1"))


@pytest.mark.parametrize("status,prompt", [("completed", Prompt.GOODBYE), ("answered", Prompt.GOODBYE),
                                           ("no-answer", Prompt.COUNSELOR_UNREACHED),
                                           (None, Prompt.COUNSELOR_UNREACHED)])
def test_the_counselors_leg_ended_frees_them_and_says_goodbye(status, prompt):
    path = CallPath()
    assert path.bridge.bridge_result(inbound("CA1"), status) == HangUp(prompt)
    assert path.hang_ups.hung_up == ["CA1"]
