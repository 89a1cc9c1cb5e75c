"""A webhook's Socket.IO events leave with its record entry, in one round trip (issue #18),
and other processes still get them; outside a request, and with HOTLINE_RECORD_WRITES=web,
events are published at once as before."""
from __future__ import annotations

import json
import time

import pytest

from tests.integration.voice.conftest import GAOXIN, Voice, local
from tests.redis_trips import counting
from tests.twilio_fake import call_params, new_call_sid


def _voice(settings, mode: str):
    from hotline.app import create_app
    from hotline.store.migrate import upgrade

    settings = settings.with_(record_writes=mode, socketio_message_queue=True)
    upgrade(settings.database_url)
    application = create_app(settings)
    v = Voice(application)
    v.at(local(2026, 11, 23, 10, 0))
    v.staff("chengdu-gaoxin")
    return application, v


@pytest.fixture
def listener(settings):
    import redis

    pubsub = redis.Redis.from_url(settings.redis_url).pubsub()
    pubsub.subscribe(f"{settings.redis_prefix}-socketio")
    pubsub.get_message(timeout=1)                      # the subscription's confirmation
    yield pubsub
    pubsub.close()


def _published(pubsub, event: str, timeout: float = 3.0) -> list[dict]:
    found, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = pubsub.get_message(timeout=0.1)
        if message and message["type"] == "message":
            data = json.loads(message["data"])
            if data.get("event") == event:
                found.append(data)
                return found
    return found


def _manager_redis(application):
    manager = application.extensions["hotline"].adapters.socketio.server.manager
    if not manager.connected:
        manager._redis_connect()   # noqa: SLF001 — the client it publishes on, made now
    return manager.redis


def test_the_record_entry_and_the_events_of_a_webhook_are_one_round_trip(settings, listener):
    application, voice = _voice(settings, "worker")
    try:
        sid = new_call_sid()
        with counting(voice.services.redis) as trips, counting(_manager_redis(application)) as apart:
            voice.post("/voice/incoming", call_params(sid, GAOXIN, "+8613800000001"))
        assert trips.sent[-1] == ("XADD", "PUBLISH"), trips.sent
        assert apart.sent == []                                   # nothing published on its own
        (event,) = _published(listener, "queue.changed")
        assert event["data"][0]["call"] == sid and event["data"][0]["change"] == "joined"
    finally:
        application.extensions["hotline"].adapters.close()


def test_with_web_writes_the_events_are_published_at_once(settings, listener):
    application, voice = _voice(settings, "web")
    try:
        sid = new_call_sid()
        with counting(voice.services.redis) as trips, counting(_manager_redis(application)) as apart:
            voice.post("/voice/incoming", call_params(sid, GAOXIN, "+8613800000001"))
        assert all("PUBLISH" not in sent for sent in trips.sent)
        assert ("PUBLISH",) in apart.sent
        (event,) = _published(listener, "queue.changed")
        assert event["data"][0]["call"] == sid
    finally:
        application.extensions["hotline"].adapters.close()
