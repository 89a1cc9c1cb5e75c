"""The feed's plumbing: reading event names off the Socket.IO channel, one leader among
processes sharing Redis, and today's counters cached briefly between pushes."""
from __future__ import annotations

import json

import pytest

from hotline.bootstrap import Adapters, Hotline
from hotline.live.dashboard_channel import event_of
from hotline.usecases.dashboard import line_next_change, mask_numbers
from tests.integration.voice.conftest import local


def channel_message(event: str, data) -> bytes:
    """What python-socketio's Redis manager publishes for an emit."""
    return json.dumps({"method": "emit", "event": event, "data": [data], "binary": False, "namespace": "/",
                       "room": ["supervisors"], "skip_sid": None, "callback": None, "host_id": "x"}).encode()


def test_event_names_are_read_without_parsing_the_payload():
    assert event_of(channel_message("queue.changed", {"line": "a"})) == "queue.changed"
    assert event_of(channel_message("dashboard", {"event": "nested", "lines": [1] * 5000})) == "dashboard"
    assert event_of(json.dumps({"method": "enter_room", "sid": "x", "room": "y"})) is None
    assert event_of(b"not json at all") is None


@pytest.fixture
def shared_settings(settings):
    """Settings as a multi-process deployment has them: events through Redis."""
    return settings.with_(socketio_message_queue=True)


def test_one_leader_among_processes_and_a_quick_hand_over(shared_settings):
    first, second = (Adapters(shared_settings) for _ in range(2))
    feeds = [Hotline(s).dashboard_feed for s in (first, second)]
    try:
        for feed in feeds:
            feed._heartbeat()
        assert [feed.leader for feed in feeds] == [True, False]
        feeds[0]._heartbeat()                        # renewing keeps it
        feeds[1]._heartbeat()
        assert [feed.leader for feed in feeds] == [True, False]
        feeds[0].stop()                              # a clean stop hands over at once
        feeds[1]._heartbeat()
        assert feeds[1].leader
    finally:
        feeds[1].stop()
        first.close()
        second.close()


def test_only_the_leader_reacts_to_events(shared_settings):
    services = Adapters(shared_settings)
    feed = Hotline(services).dashboard_feed
    feed.note("queue.changed")
    assert not feed._wake.is_set()
    feed.leader = True
    feed.note("dashboard")                           # our own pushes never trigger another
    assert not feed._wake.is_set()
    feed.note("queue.changed")
    assert feed._wake.is_set() and feed._trailing_at is not None
    services.close()


def test_todays_counters_are_cached_between_pushes(app, monkeypatch):
    builder = app.extensions["hotline_dashboard"].builder
    calls = []
    import hotline.usecases.dashboard as state

    real = state.today_counters
    monkeypatch.setattr(state, "today_counters", lambda *a: calls.append(1) or real(*a))
    builder.snapshot()
    builder.snapshot()
    assert len(calls) == 1
    builder.snapshot(fresh_today=True)
    assert len(calls) == 2


def test_database_down_keeps_the_live_half(app, monkeypatch):
    builder = app.extensions["hotline_dashboard"].builder
    first = builder.snapshot()
    monkeypatch.setattr(builder, "uow", lambda: (_ for _ in ()).throw(OSError("db down")))
    stale = builder.snapshot(fresh_today=True)
    assert stale["today_stale"] is True and stale["today"] == first["today"]
    assert len(stale["lines"]) == len(first["lines"])


def test_a_line_whose_second_number_closes_stays_open(app):
    chengdu = app.extensions["hotline"].adapters.directory.get("chengdu")     # a 24 h number and a 9-21 one
    assert chengdu.next_change(local(2026, 11, 23, 10, 0)) is not None
    assert line_next_change(chengdu, local(2026, 11, 23, 10, 0)) is None


def test_phone_like_runs_are_masked():
    assert mask_numbers("回拨 +86 138-0000-0001，第2次") == "回拨 ***，第2次"
    assert mask_numbers("等待 90 秒") == "等待 90 秒"
