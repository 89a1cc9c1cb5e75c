"""Routing from one read (RoutingReads) and the coverage notice announced once per gap (issue #18)."""
from __future__ import annotations

from datetime import timedelta

from hotline.ports import RoutingReadout
from hotline.routing.decision import PRIORITY_FLAGGED, Enqueue, Transfer
from hotline.usecases.calls.incoming import COVERAGE_NOTICE_EVERY_S, CallRouting
from tests.unit.usecases.fakes_calls import CallPath, inbound


class OneRead:
    """RoutingReads over the fakes: counts its reads and serves what the test sets."""

    def __init__(self, path: CallPath, hit: bool = False, built: bool = True) -> None:
        self.path, self.hit, self.built, self.reads = path, hit, built, 0

    def read(self, call_sid, caller_keys):
        self.reads += 1
        return RoutingReadout(self.path.queues.call_state(call_sid), (), 7, self.hit, self.built)

    def remembered(self):
        return None   # every call is read (the step checked against a remembered read: test_calls_remembered.py)


class Notices:
    """CoverageNotices in memory: a line is claimed once per window."""

    def __init__(self) -> None:
        self.claimed: dict[str, object] = {}

    def claim(self, line_ids, at, seconds):
        fresh = [l for l in line_ids if l not in self.claimed or at - self.claimed[l] >= timedelta(seconds=seconds)]
        self.claimed.update({l: at for l in fresh})
        return fresh


def routing(path: CallPath, reads, notices=None) -> CallRouting:
    return CallRouting(path.directory, path.clock, path.queues, path.staffing, path.flagged, path.keyring,
                       path.recorder, path.events, reads=reads, notices=notices)


def test_one_read_serves_the_call_state_flag_and_staffing():
    path = CallPath()
    path.staff(district=1)
    reads = OneRead(path, hit=True)
    answer = routing(path, reads).incoming(inbound("CA1"))
    assert isinstance(answer.decision, Enqueue) and answer.decision.priority == PRIORITY_FLAGGED
    assert reads.reads == 1
    assert path.flagged.asked == [tuple(path.keyring.caller_key_candidates(inbound().caller))]


def test_a_withheld_caller_is_never_flagged_even_if_the_read_says_so():
    path = CallPath()
    path.staff(district=1)
    answer = routing(path, OneRead(path, hit=True)).incoming(inbound("CA1", caller=""))
    assert answer.decision.priority == 0


def test_one_coverage_notice_per_call_naming_every_uncovered_line_and_not_again_while_it_lasts():
    path = CallPath()
    calls = routing(path, OneRead(path), Notices())
    assert isinstance(calls.incoming(inbound("CA1")).decision, Transfer)
    calls.incoming(inbound("CA2"))
    notices = path.events.named("coverage.alert")
    assert [n["lines"] for n in notices] == [["district", "city"]] and notices[0]["line"] == "district"
    path.clock.advance(seconds=COVERAGE_NOTICE_EVERY_S)
    calls.incoming(inbound("CA3"))
    assert len(path.events.named("coverage.alert")) == 2      # the gap lasted: announced again, once
