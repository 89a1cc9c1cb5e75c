"""Rebuilding the queues after Redis lost them (usecases/recovery.py)."""
from __future__ import annotations

import logging
from datetime import timedelta

from hotline.ports import RecordedWait
from tests.unit.usecases.fakes_calls import DISTRICT, CallPath, local

T0 = local(2026, 11, 23, 10, 0)


def _waits():
    """As the record returns them: queue order (first queued first)."""
    return [RecordedWait("CA1", "district", 0, T0 - timedelta(minutes=3), "k1:a", DISTRICT),
            RecordedWait("CA2", "district", 30, T0 - timedelta(minutes=2), "k1:b", DISTRICT),
            RecordedWait("CA3", "gone-line", 0, T0 - timedelta(minutes=2), "k1:c", DISTRICT),
            RecordedWait("CA4", "city", 0, T0 - timedelta(minutes=1), "k1:d", DISTRICT)]


def _received():
    return {"CA1": T0 - timedelta(minutes=3), "CA2": T0 - timedelta(minutes=2),
            "CA3": T0 - timedelta(minutes=2), "CA4": T0 - timedelta(minutes=1)}


def test_a_fresh_redis_gets_the_waiting_calls_back_in_their_order(caplog):
    path = CallPath()
    recovery, uow = path.recovery(_waits(), _received())
    with caplog.at_level(logging.WARNING, logger="hotline.usecases.recovery"):
        assert recovery.rebuild_if_needed() == 3                 # CA3's line is no longer in the directory
    assert path.queues.waiting("district") == ["CA2", "CA1"]     # flagged priority first, then arrival
    assert path.queues.waiting("city") == ["CA4"]
    waiting = path.queues.position("CA1")
    assert waiting.arrived_at == T0 - timedelta(minutes=3)
    state = path.queues.call_state("CA1")
    assert (state["status"], state["caller_key"], state["dialled"], state["max_wait_s"]) == (
        "queued", "k1:a", DISTRICT, "90")
    assert path.queues.call_state("CA4")["max_wait_s"] == "120"
    assert uow.calls.asked_since == [T0 - timedelta(hours=6)]
    assert "3 waiting calls restored" in caplog.text


def test_only_once_per_redis_lifetime():
    path = CallPath()
    recovery, uow = path.recovery(_waits(), _received())
    recovery.rebuild_if_needed()
    path.queues.remove("CA1")
    assert recovery.rebuild_if_needed() == 0
    assert uow.entered == 1 and path.queues.waiting("district") == ["CA2"]
    path.queues.forget_everything()                               # Redis restarted empty again
    assert recovery.rebuild_if_needed() == 3


def test_calls_redis_still_knows_are_not_lost():
    path = CallPath()
    path.queues.annotate("CA1", status="on_call")                 # bridged: not in a queue, not lost
    recovery, _ = path.recovery(_waits(), _received())
    assert recovery.rebuild_if_needed() == 2
    assert path.queues.waiting("district") == ["CA2"]


def test_a_caller_who_rejoined_before_the_rebuild_gets_the_records_priority_and_arrival():
    path = CallPath()
    path.queues.enqueue("CA2", "district", 0, T0, status="queued", rejoined="1", queue_sid="QU1")
    recovery, _ = path.recovery(_waits(), _received())
    assert recovery.rebuild_if_needed() == 3
    assert path.queues.waiting("district") == ["CA2", "CA1"]
    waiting = path.queues.position("CA2")
    assert (waiting.priority, waiting.arrived_at) == (30, T0 - timedelta(minutes=2))
    assert path.queues.call_state("CA2")["queue_sid"] == "QU1"    # what Twilio's queue needs is kept


def test_nothing_to_restore_says_nothing(caplog):
    path = CallPath()
    recovery, _ = path.recovery([], {})
    with caplog.at_level(logging.WARNING):
        assert recovery.rebuild_if_needed() == 0
    assert caplog.text == ""


def test_the_flagged_set_is_repaired_on_every_tick_first():
    path = CallPath()
    recovery, _ = path.recovery([], {})
    for _ in range(3):
        recovery.rebuild_if_needed()
    assert path.flagged.repairs == 3
