"""Status callbacks, voicemail and the fail-safe's record (status.py, voicemail.py, failsafe.py)."""
from __future__ import annotations

import pytest

from hotline.ports import Continue, FailSafeAnswer, HangUp, Prompt
from tests.unit.usecases.fakes_calls import CallPath, inbound, local


@pytest.mark.parametrize("status", ["ringing", "in-progress", "queued"])
def test_a_status_on_the_way_is_recorded_and_nothing_else(status):
    path = CallPath()
    path.staff(district=1)
    path.routing.incoming(inbound("CA1"))
    path.records.ops.clear()
    path.events.sent.clear()
    assert path.status.status(inbound("CA1", status=status), "") == Continue()
    (op,) = path.records.ops
    assert (op.kind, op.dedup_key, op.fields) == (f"status:{status}", f"status:{status}",
                                                  {"telephony_status": status})
    assert path.hang_ups.hung_up == [] and path.events.sent == []
    assert path.queues.waiting("district") == ["CA1"]


def test_a_final_status_while_waiting_abandons_the_call_and_tells_the_console():
    path = CallPath()
    path.staff(district=1)
    path.routing.incoming(inbound("CA1"))
    path.records.ops.clear()
    path.events.sent.clear()
    path.clock.advance(seconds=50)
    assert path.status.status(inbound("CA1", status="completed"), "50") == Continue()
    abandoned, ended = path.records.ops
    assert (abandoned.kind, abandoned.fields["wait_seconds"]) == ("abandoned", 50.0)
    assert (ended.kind, ended.detail) == ("status:completed", {"duration": "50"})
    assert ended.fields == {"status": "ended", "telephony_status": "completed",
                            "ended_at": local(2026, 11, 23, 10, 0, 50)}
    assert path.queues.waiting("district") == []
    assert path.queues.call_state("CA1")["status"] == "ended"
    assert path.hang_ups.hung_up == ["CA1"]
    assert path.events.sent[-1] == ("call.ended", {"call": "CA1", "status": "completed"}, ("district",))


@pytest.mark.parametrize("status", ["completed", "busy", "failed", "no-answer", "canceled"])
def test_a_final_status_after_the_queue_ends_the_call(status):
    path = CallPath()
    path.queues.annotate("CA1", status="on_call", line="district")
    path.status.status(inbound("CA1", status=status), "65")
    assert path.records.kinds() == [f"status:{status}"]          # not abandoned: no longer waiting
    assert path.hang_ups.hung_up == ["CA1"]
    assert path.events.sent == [("call.ended", {"call": "CA1", "status": status}, ("",))]


def test_a_recorded_message_becomes_a_call_back_request():
    path = CallPath()
    answer = path.voicemail.recorded("district", inbound("CA1"), "https://api.twilio.com/rec/RE1", "12")
    assert answer == HangUp(Prompt.VOICEMAIL_THANKS)
    (op,) = path.records.ops
    assert op.kind == "voicemail" and op.detail == {"recording_url": "https://api.twilio.com/rec/RE1",
                                                    "duration": "12"}
    assert op.fields == {"status": "voicemail", "outcome": "voicemail", "line_id": "district"}
    assert path.events.sent == [("call.voicemail", {"call": "CA1", "line": "district"}, ("district",))]


def test_a_message_with_no_line_records_none():
    path = CallPath()
    path.voicemail.recorded("", inbound("CA1"), "", "")
    assert path.records.ops[0].fields["line_id"] is None


def test_the_failsafe_answer_needs_only_the_directory_and_the_clock():
    path = CallPath()
    assert path.failsafe.answer("+862885337950", "district") == FailSafeAnswer(
        path.directory, "+862885337950", path.clock.now(), "district")


@pytest.mark.parametrize("to,status", [("+868386661611", "transferred"), (None, "info_only")])
def test_the_failsafe_answer_is_recorded_per_path(to, status):
    path = CallPath()
    path.failsafe_log.record(inbound("CA1"), "/voice/incoming", to)
    (op,) = path.records.ops
    assert (op.kind, op.dedup_key) == ("failsafe", "failsafe:/voice/incoming")
    assert op.fields == {"status": status, "outcome": "failsafe"}
    assert op.detail == {"path": "/voice/incoming", "to": to}


def test_a_caller_sent_on_leaves_our_queue_and_is_marked_so_no_offer_takes_them():
    path = CallPath()
    path.staff(district=1)
    path.routing.incoming(inbound("CA1"))
    path.failsafe_log.record(inbound("CA1"), "/voice/incoming", "+868386661611")
    assert path.hang_ups.left == [("CA1", "failsafe")]
    assert path.queues.call_state("CA1")["status"] == "failsafe"
    assert path.failsafe_log.pending == set()


def test_while_redis_refuses_the_exit_stays_pending_and_is_retried():
    path = CallPath()
    refusals = {"n": 2}

    def leaves(call_sid, reason):
        if refusals["n"]:
            refusals["n"] -= 1
            raise ConnectionError("redis away")
        path.hang_ups.left.append((call_sid, reason))
        return True

    path.hang_ups.caller_leaves_queue = leaves
    path.failsafe_log.sent_on("CA1")
    assert path.failsafe_log.pending == {"CA1"}
    assert path.failsafe_log.release_pending() == 0 and path.failsafe_log.pending == {"CA1"}
    assert path.failsafe_log.release_pending() == 1 and path.failsafe_log.pending == set()
    assert path.hang_ups.left == [("CA1", "failsafe")]
