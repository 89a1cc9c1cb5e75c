"""The dashboard feed: one leader pushes, only while someone watches, bursts coalesced into
one push per window, a trailing fresh push after call events, quiet through Redis outages."""
from __future__ import annotations

import logging

import pytest

from hotline.usecases import dashboard_feed as feeds
from hotline.usecases.dashboard_feed import DashboardFeed
from tests.unit.usecases.fakes_ops import FakeBuilder, FakeChanges, FakeLeadership, FakeMonotonic, FakeSink


class Kit:
    def __init__(self, shared: bool = True, leadership: FakeLeadership | None = None) -> None:
        self.builder, self.changes, self.sink = FakeBuilder(), FakeChanges(), FakeSink()
        self.leadership = leadership or FakeLeadership()
        self.monotonic = FakeMonotonic()
        self.feed = DashboardFeed(self.builder, self.leadership, self.changes, self.sink, shared=shared,
                                  interval_s=0.01, monotonic=self.monotonic)


@pytest.fixture
def kit():
    return Kit()


def test_only_the_leader_reacts_and_never_to_its_own_pushes(kit):
    feed = kit.feed
    feed.note("queue.changed")
    assert not feed._wake.is_set()
    feed.leader = True
    for own in ("dashboard", "snapshot", None, ""):
        feed.note(own)
    assert not feed._wake.is_set()
    feed.note("presence")
    assert feed._wake.is_set() and feed._trailing_at is None
    feed.note("call.answered")
    assert feed._trailing_at == kit.monotonic.at + feeds.TRAILING_S
    kit.monotonic.at += 0.5
    feed.note("call.ended")                                  # the first trailing time stands
    assert feed._trailing_at == kit.monotonic.at - 0.5 + feeds.TRAILING_S


def test_one_leader_among_processes_and_a_clean_hand_over():
    shared = FakeLeadership()
    first, second = Kit(leadership=shared), Kit(leadership=shared)
    first.feed._heartbeat()
    second.feed._heartbeat()
    assert (first.feed.leader, second.feed.leader) == (True, False)
    first.feed._heartbeat()
    assert first.feed.leader and shared.holder == first.feed.token
    first.feed.stop()                                        # leaving hands over at once
    second.feed._heartbeat()
    assert second.feed.leader and first.changes.stopped


def test_a_single_process_leads_without_asking_redis():
    kit = Kit(shared=False)
    kit.leadership.down = True
    kit.feed.start()
    try:
        assert kit.feed.leader and kit.changes.on_event == kit.feed.note and kit.changes.listening()
        kit.feed._heartbeat()                                # Redis away does not demote it
        assert kit.feed.leader
    finally:
        kit.feed.stop()
    assert kit.changes.stopped


def test_redis_away_demotes_a_shared_leader_with_one_warning_per_outage(kit, caplog):
    kit.feed._heartbeat()
    assert kit.feed.leader
    kit.leadership.down = True
    with caplog.at_level(logging.WARNING, logger=feeds.__name__):
        kit.feed._heartbeat()
        kit.feed._heartbeat()
    assert not kit.feed.leader
    assert len([r for r in caplog.records if "dashboard pushes paused" in r.getMessage()]) == 1
    kit.leadership.down = False
    kit.feed._heartbeat()
    assert kit.feed.leader


def test_nothing_is_built_while_nobody_watches(kit):
    assert kit.feed.push() is None and kit.builder.built == []
    kit.feed.watcher_joined("sid-1")
    assert kit.leadership.watched_for == feeds.WATCHED_TTL_S        # other processes see the watcher
    assert kit.feed.push() == {"seq": 1, "fresh": False} and kit.sink.sent == [{"seq": 1, "fresh": False}]
    kit.feed.watcher_left("sid-1")
    assert kit.feed.watched()                                        # still marked in Redis
    kit.leadership.down = True
    assert not kit.feed.watched()


def test_a_watcher_elsewhere_is_enough_and_the_heartbeat_keeps_the_mark(kit):
    kit.leadership.mark_watched(30)
    assert kit.feed.push() is not None
    kit.leadership.watched_for = None
    kit.feed.watchers.add("sid-2")
    kit.feed._heartbeat()
    assert kit.leadership.watched_for == feeds.WATCHED_TTL_S


def test_no_web_server_no_push(kit):
    kit.feed.watchers.add("sid")
    kit.sink.is_ready = False
    assert kit.feed.push() is None and kit.builder.built == []


def test_failures_to_build_or_emit_skip_the_push_and_count_nothing(kit):
    kit.feed.watchers.add("sid")
    kit.builder.fail = True
    assert kit.feed.push() is None
    kit.builder.fail, kit.sink.fail = False, True
    assert kit.feed.push() is None and kit.feed.pushes == 0
    kit.sink.fail = False
    assert kit.feed.push() is not None and kit.feed.pushes == 1 and kit.feed.last_build_s >= 0


def test_a_change_is_pushed_once_and_the_trailing_push_is_fresh(kit):
    feed = kit.feed
    feed.watchers.add("sid")
    feed.leader = True
    feed._last_push = kit.monotonic.at                       # just pushed: nothing periodic is due
    feed.note("call.answered")
    feed._maybe_push(kit.monotonic.at)
    assert kit.builder.built == [False] and not feed._wake.is_set()
    feed._maybe_push(kit.monotonic.at)                       # nothing new: no push
    assert kit.builder.built == [False]
    kit.monotonic.at += feeds.TRAILING_S
    feed._maybe_push(kit.monotonic.at)                       # the record is stored by now: recount today
    assert kit.builder.built == [False, True] and feed._trailing_at is None


def test_time_alone_brings_a_periodic_push(kit):
    feed = kit.feed
    feed.watchers.add("sid")
    feed.leader = True
    feed._last_push = kit.monotonic.at
    kit.monotonic.at += feeds.PERIODIC_S
    feed._maybe_push(kit.monotonic.at)
    assert kit.builder.built == [False]


def test_a_follower_never_pushes(kit):
    feed = kit.feed
    feed.watchers.add("sid")
    feed._wake.set()
    feed._maybe_push(kit.monotonic.at + feeds.PERIODIC_S)
    assert kit.builder.built == [] and not feed._wake.is_set()


def test_the_channel_only_listens_for_the_leader(kit):
    kit.leadership.holder = "another-process"
    kit.feed.start()
    try:
        kit.changes.emit("queue.changed")
        assert not kit.feed._wake.is_set()
    finally:
        kit.feed.stop()


def test_across_processes_the_leader_listens_only_while_someone_watches():
    kit = Kit(leadership=FakeLeadership())
    kit.feed.start()
    try:
        kit.feed._heartbeat()
        assert kit.feed.leader and not kit.changes.listening()   # nobody watches: the channel is not read
        kit.feed.watcher_joined("sid-1")
        assert kit.changes.listening()
        kit.feed.watcher_left("sid-1")
        assert kit.changes.listening() == kit.leadership.watched()   # another process's watcher still counts
    finally:
        kit.feed.stop()
