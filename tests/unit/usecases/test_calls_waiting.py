"""While a caller waits (usecases/calls/waiting.py), with in-memory ports."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.ports import Continue, FailSafeAnswer, HoldOn, LeaveQueue, RecordVoicemail, RouteAnswer, WaitRound
from hotline.routing.decision import PRIORITY_FLAGGED, Enqueue, Transfer
from tests.unit.usecases.fakes_calls import ANNOUNCE_EVERY_S, CALLER, CallPath, inbound, local


@pytest.fixture
def path() -> CallPath:
    """Two callers waiting on the district line, one counselor on shift."""
    p = CallPath()
    p.staff(district=1)
    p.routing.incoming(inbound("CA1", caller="+8613800000001"))
    p.routing.incoming(inbound("CA2", caller="+8613800000002"))
    p.records.ops.clear()
    p.events.sent.clear()
    return p


def _wait(path, sid, queue_sid=None, queue_time_s=0.0):
    return path.waiting.wait("district", inbound(sid), queue_sid, queue_time_s)


def test_wait_announces_place_and_expected_wait(path):
    first, second = _wait(path, "CA1"), _wait(path, "CA2")
    assert (first.position, first.expected_wait_s) == (1, 600.0)
    assert second == WaitRound("district", 2, 1200.0, breathing=False, pause_s=ANNOUNCE_EVERY_S - 12)


def test_expected_wait_uses_the_learned_handling_time_and_counselors_on_the_line(path):
    path.staff(district=2)
    path.queues.handle_s["district"] = 240.0
    assert _wait(path, "CA2").expected_wait_s == 240.0   # 2nd place, 2 counselors: the first round
    path.queues.handle_s["district"] = 0.0                # learned as zero: kept, not the default
    assert _wait(path, "CA2").expected_wait_s == 0.0


def test_breathing_exercise_every_other_round(path):
    assert [_wait(path, "CA1").breathing for _ in range(4)] == [False, True, False, True]


def test_pause_never_below_one_second(path):
    path.waiting.announce_every_s = 5
    assert _wait(path, "CA1").pause_s == 1


def test_the_queue_sid_is_kept_for_the_bridge(path):
    _wait(path, "CA1", queue_sid="QU" + "x" * 100)
    assert path.queues.call_state("CA1")["queue_sid"] == ("QU" + "x" * 100)[:64]


@pytest.mark.parametrize("status", ["offered", "on_call"])
def test_a_ringing_console_holds_the_announcements(path, status):
    path.queues.annotate("CA1", status=status)
    assert _wait(path, "CA1") == HoldOn(3)
    assert "rounds" not in path.queues.call_state("CA1")


def test_a_lost_queue_entry_is_rebuilt_from_the_time_twilio_says_it_waited(path):
    path.queues.calls.pop("CA1")
    path.queues.lines["district"].discard("CA1")
    answer = _wait(path, "CA1", queue_time_s=25)
    assert answer.position == 1                                   # waited longest: keeps the front
    waiting = path.queues.position("CA1")
    assert waiting.arrived_at == path.clock.now() - timedelta(seconds=25)
    state = path.queues.call_state("CA1")
    assert (state["status"], state["max_wait_s"], state["priority"]) == ("queued", "90", "0")


def test_a_lost_entry_whose_live_hash_survived_keeps_priority_and_arrival(path):
    path.queues.annotate("CA1", priority="20")
    before = path.queues.position("CA1")
    path.clock.advance(seconds=40)
    path.queues.lines["district"].discard("CA1")                  # only the queue entry was lost
    _wait(path, "CA1", queue_time_s=3)
    after = path.queues.position("CA1")
    assert (after.priority, after.arrived_at) == (20, before.arrived_at)
    assert "rejoined" not in path.queues.call_state("CA1")


def test_a_flagged_caller_whose_hash_was_lost_rejoins_with_the_flagged_priority(path):
    path.flagged.keys.add(path.keyring.caller_key(CALLER))        # who the wait round says is calling
    path.queues.calls.pop("CA1")
    path.queues.lines["district"].discard("CA1")
    _wait(path, "CA1", queue_time_s=25)
    state = path.queues.call_state("CA1")
    assert (state["priority"], state["rejoined"]) == (str(PRIORITY_FLAGGED), "1")   # the record repairs it later


@pytest.mark.parametrize("status", ["offered", "bridging", "on_call", "leaving", "ended", "failsafe"])
def test_no_rejoin_while_being_connected(path, status):
    path.queues.remove("CA1")
    path.queues.annotate("CA1", status=status)
    assert _wait(path, "CA1") == HoldOn(2)
    assert path.queues.position("CA1") is None


def test_waiting_too_long_leaves_the_queue_for_a_rollover(path):
    path.clock.advance(seconds=89)
    assert isinstance(_wait(path, "CA1"), WaitRound)
    path.clock.advance(seconds=1)
    assert _wait(path, "CA1") == LeaveQueue()
    assert path.hang_ups.left == [("CA1", "rollover")]


def test_the_call_limit_comes_from_its_line_else_the_setting(path):
    path.queues.annotate("CA1", max_wait_s="30")
    path.clock.advance(seconds=30)
    assert _wait(path, "CA1") == LeaveQueue()
    path.queues.annotate("CA2", max_wait_s="")
    path.waiting.max_wait_s = 20
    assert _wait(path, "CA2") == LeaveQueue()


def test_a_caller_accepted_a_moment_ago_stays(path):
    path.hang_ups.accepted.add("CA1")
    path.clock.advance(seconds=120)
    assert _wait(path, "CA1") == HoldOn(2)
    assert path.waiting.wait_key("district", inbound("CA1"), "1") == HoldOn(2)
    assert path.hang_ups.left == []


def test_key_one_asks_to_leave_a_message_any_other_key_keeps_waiting(path):
    assert path.waiting.wait_key("district", inbound("CA1"), "5") == Continue()
    assert path.waiting.wait_key("district", inbound("CA1"), None) == Continue()
    assert path.waiting.wait_key("district", inbound("CA1"), "1") == LeaveQueue()
    assert path.hang_ups.left == [("CA1", "voicemail")]


def test_after_the_voicemail_key_the_queue_result_records_a_message(path):
    path.queues.annotate("CA1", leave_reason="voicemail")
    answer = path.waiting.queue_result("district", inbound("CA1"), "leave", 30.0)
    assert answer == RecordVoicemail("district")
    assert path.queues.waiting("district") == ["CA2"]
    (op,) = path.records.ops
    assert (op.kind, op.fields) == ("voicemail_requested", {"status": "voicemail", "outcome": "voicemail",
                                                            "wait_seconds": 30.0})
    assert path.events.sent == [("queue.changed", {"line": "district", "call": "CA1", "change": "left"},
                                 ("district",))]


def test_rollover_keeps_arrival_and_moves_to_the_next_staffed_line(path):
    path.staff(city=1)
    arrived = path.queues.position("CA1").arrived_at
    path.clock.advance(seconds=91)
    answer = path.waiting.queue_result("district", inbound("CA1"), "leave", 91.0)
    assert isinstance(answer, RouteAnswer) and isinstance(answer.decision, Enqueue)
    assert answer.decision.line_id == "city" and answer.decision.notice.reason == "busy"
    assert path.queues.waiting("district") == ["CA2"] and path.queues.waiting("city") == ["CA1"]
    assert path.queues.position("CA1").arrived_at == arrived
    state = path.queues.call_state("CA1")
    assert (state["tried"], state["leave_reason"]) == ("district", "")
    rolled = path.ops("CA1", "rolled_over")[0]
    assert (rolled.dedup_key, rolled.detail, rolled.fields) == ("rollover:district", {"from": "district"},
                                                                {"rollover": True})
    assert [e for e, _, _ in path.events.sent] == ["queue.changed", "call.rolled_over", "queue.changed"]


def test_rollover_never_returns_to_a_line_already_tried(path):
    path.queues.annotate("CA1", tried="city")
    path.staff(city=1)
    answer = path.waiting.queue_result("district", inbound("CA1"), "leave", 91.0)
    assert isinstance(answer.decision, Transfer) and answer.decision.line_id == "external"
    assert path.queues.call_state("CA1")["tried"] == "city,district"


def test_hangup_in_the_queue_is_abandoned_with_the_wait(path):
    path.clock.advance(seconds=40)
    assert path.waiting.queue_result("district", inbound("CA1"), "hangup", 40.0) == Continue()
    assert path.queues.waiting("district") == ["CA2"]
    (op,) = path.records.ops
    assert (op.kind, op.fields) == ("abandoned", {"status": "abandoned", "outcome": "abandoned",
                                                  "wait_seconds": 40.0, "ended_at": local(2026, 11, 23, 10, 0, 40)})
    assert path.events.named("queue.changed") == [{"line": "district", "call": "CA1", "change": "abandoned"}]


@pytest.mark.parametrize("result", ["error", "system-error"])
def test_a_queue_error_is_answered_by_the_failsafe_away_from_this_line(path, result):
    answer = path.waiting.queue_result("district", inbound("CA1"), result, 0.0)
    assert answer == FailSafeAnswer(path.directory, inbound().dialled, path.clock.now(), "district")
    assert path.records.ops == [] and path.queues.waiting("district") == ["CA1", "CA2"]


@pytest.mark.parametrize("result", ["bridged", "redirected", ""])
def test_other_queue_results_need_nothing(path, result):
    assert path.waiting.queue_result("district", inbound("CA1"), result, 0.0) == Continue()
    assert path.records.ops == [] and path.events.sent == []
