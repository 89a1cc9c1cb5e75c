"""A new call decided on what the last read saw, its step checked against the facts as they are
(RoutingReads.remembered / *_unless_changed, issue #18): the use case over in-memory fakes."""
from __future__ import annotations

import pytest

from hotline.ports import LiveFactsChanged, RoutingReadout
from hotline.routing.decision import Enqueue, Transfer
from hotline.usecases.calls.incoming import CallRouting
from tests.unit.usecases.fakes_calls import CallPath, inbound


class RememberingReads:
    """RoutingReads over the fakes. `facts` stands for presence and the roster version: a step
    is taken only while it is what the remembered read saw (as the script's digest checks)."""

    def __init__(self, path: CallPath, flagged: set[str] = frozenset()) -> None:
        self.path, self.flagged, self.facts = path, set(flagged), 0
        self.last: RoutingReadout | None = None
        self.reads = self.steps = self.refused = 0

    def _readout(self, call_sid: str, caller_keys) -> RoutingReadout:
        return RoutingReadout(self.path.queues.call_state(call_sid), (), 7, bool(self.flagged & set(caller_keys)),
                              True, seen=str(self.facts))

    def read(self, call_sid, caller_keys):
        self.reads += 1
        readout = self._readout(call_sid, caller_keys)
        self.last = RoutingReadout({}, (), 7, False, True, seen=readout.seen)
        return readout

    def remembered(self):
        return self.last

    def _check(self, seen, caller_keys, call_sid) -> None:
        self.steps += 1
        now = self._readout(call_sid, caller_keys)
        if now.seen != seen.seen or now.call or now.flagged_hit:
            self.refused += 1
            self.last = RoutingReadout({}, (), 7, False, True, seen=now.seen)
            raise LiveFactsChanged(now)

    def enqueue_unless_changed(self, seen, caller_keys, call_sid, line_id, priority, at, record, **fields):
        self._check(seen, caller_keys, call_sid)
        return self.path.queues.enqueue(call_sid, line_id, priority, at, record=record, **fields)

    def record_unless_changed(self, seen, caller_keys, call_sid, record):
        self._check(seen, caller_keys, call_sid)
        self.path.records.submit(record)


def routing(path: CallPath, reads) -> CallRouting:
    return CallRouting(path.directory, path.clock, path.queues, path.staffing, path.flagged, path.keyring,
                       path.recorder, path.events, reads=reads)


def after_a_first_call() -> tuple[CallPath, RememberingReads, CallRouting]:
    """The district line staffed and CA1 queued on a read: what the next call decides on."""
    path = CallPath()
    path.staff(district=1)
    reads = RememberingReads(path)
    calls = routing(path, reads)
    assert isinstance(calls.incoming(inbound("CA1")).decision, Enqueue)
    return path, reads, calls


def test_a_call_after_the_first_is_queued_on_the_remembered_read_without_a_read_of_its_own():
    path, reads, calls = after_a_first_call()
    assert isinstance(calls.incoming(inbound("CA2")).decision, Enqueue)
    assert (reads.reads, reads.steps, reads.refused) == (1, 1, 0)
    assert path.queues.waiting("district") == ["CA1", "CA2"]
    assert [op.kind for op in path.ops("CA2")] == ["received", "queued"]   # once each
    assert [e["call"] for e in path.events.named("queue.changed")] == ["CA1", "CA2"]


def test_a_refused_step_is_decided_again_on_the_facts_it_answered_with_nothing_done_twice():
    path, reads, calls = after_a_first_call()
    path.staffing.counts.clear()                   # nobody works the district line now
    reads.facts += 1                               # presence changed since the read
    answer = calls.incoming(inbound("CA2"))
    assert isinstance(answer.decision, Transfer)   # not queued behind nobody
    assert reads.refused == 1 and path.queues.waiting("district") == ["CA1"]
    assert [op.kind for op in path.ops("CA2")] == ["received", "transferred"]
    assert [e["call"] for e in path.events.named("call.transferred")] == ["CA2"]
    assert len(path.events.named("coverage.alert")) == 1                    # announced once


def test_a_flagged_caller_refuses_the_guess_and_goes_first():
    flagged_caller = "+8613908170000"
    path, reads, calls = after_a_first_call()
    reads.flagged = set(path.keyring.caller_key_candidates(flagged_caller))
    calls.incoming(inbound("CA2", caller=flagged_caller))
    assert reads.refused == 1
    assert path.queues.waiting("district") == ["CA2", "CA1"]


def test_a_repeated_delivery_is_refused_and_keeps_the_first_place():
    path, reads, calls = after_a_first_call()
    calls.incoming(inbound("CA2"))
    calls.incoming(inbound("CA1"))                  # Twilio delivers CA1's webhook again
    assert reads.refused == 1
    assert path.queues.waiting("district") == ["CA1", "CA2"]
    assert [op.kind for op in path.ops("CA1")].count("queued") >= 1


def test_an_error_in_the_step_takes_nothing_half_done():
    path, reads, calls = after_a_first_call()

    def broken(*args, **kwargs):
        raise ConnectionError("redis went away")
    reads.enqueue_unless_changed = broken
    with pytest.raises(ConnectionError):
        calls.incoming(inbound("CA2"))
    assert path.queues.waiting("district") == ["CA1"]
    assert [e["call"] for e in path.events.named("queue.changed")] == ["CA1"]   # no event for what did not happen
