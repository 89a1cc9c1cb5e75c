"""A webhook's Socket.IO events leave with its record entry, in one round trip (issue #18),
or, when the record already rode the enqueue script, from the publisher thread; other
processes still get them; outside a request, and with HOTLINE_RECORD_WRITES=web, events are
published at once as before."""
from __future__ import annotations

import json
import threading
import time

import pytest

from hotline.live.held_events import EventPublisher
from hotline.live.record_stream import decode
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
        voice.staff()                                             # nobody on: the call is transferred
        sid = new_call_sid()
        with counting(voice.services.redis) as trips, counting(_manager_redis(application)) as apart:
            voice.post("/voice/incoming", call_params(sid, GAOXIN, "+8613800000001"))
        assert trips.sent[-1] == ("XADD", "PUBLISH", "PUBLISH"), trips.sent   # transferred, the gap's alert
        assert apart.sent == []                                   # nothing published on its own
        (event,) = _published(listener, "call.transferred")
        assert event["data"][0]["call"] == sid
    finally:
        application.extensions["hotline"].adapters.close()


def test_a_queued_call_rides_the_enqueue_script_and_its_event_goes_after(settings, listener):
    """The record entry leaves inside the new call's step (the queue, checked against the last
    read): the request's one round trip. The queue event (which needs the length the script
    answered) is published by the process's publisher thread, not on the caller's time."""
    application, voice = _voice(settings, "worker")
    services = voice.services
    try:
        for caller in ("+8613800000002", "+8613800000003"):    # read and queue; load the step's script
            voice.post("/voice/incoming", call_params(new_call_sid(), GAOXIN, caller))
        assert services.records.publisher.flush()
        assert len(_messages(listener, 2)) == 2                      # their events, out of the way
        services.redis.delete(services.keys.record_stream())
        sid = new_call_sid()
        with counting(services.redis) as trips, counting(_manager_redis(application)) as apart:
            voice.post("/voice/incoming", call_params(sid, GAOXIN, "+8613800000001"))
            request_thread = threading.current_thread().name
            assert services.records.publisher.flush()
        assert [names[0] for names in trips.by(request_thread)] == ["EVALSHA"], trips.sent
        assert trips.by("event-publisher") == [("PUBLISH",)]
        assert apart.sent == []
        (entry,) = services.redis.xrange(services.keys.record_stream())
        assert [op.kind for op in decode(entry[1][b"ops"])] == ["received", "queued"]
        (event,) = _published(listener, "queue.changed")
        assert event["data"][0]["call"] == sid and event["data"][0]["length"] == 3
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


def test_the_next_call_carries_the_queue_event_an_earlier_one_left(settings, listener):
    """A queued call's event waits for the next request's round trip (its step, checked against
    the last read), which publishes it (no command of its own), before that request's own events."""
    application, voice = _voice(settings, "worker")
    services = voice.services
    services.records.publisher.carry_wait_s = 30                # only a carrier (or a flush) sends
    try:
        first, second = new_call_sid(), new_call_sid()
        voice.post("/voice/incoming", call_params(first, GAOXIN, "+8613800000001"))
        with counting(services.redis) as trips:
            voice.post("/voice/incoming", call_params(second, GAOXIN, "+8613800000002"))
        own = trips.by(threading.current_thread().name)
        assert own[0] == ("EVALSHA",) and not any("PUBLISH" in names for names in trips.sent), trips.sent
        (carried,) = _messages(listener, 1)                       # the first call's event: the script published it
        assert carried["event"] == "queue.changed" and carried["data"][0]["call"] == first
        assert services.records.publisher.busy()                # the second's waits for a carrier
        assert services.records.publisher.flush()
        events = [m for m in _messages(listener, 1) if m.get("event") == "queue.changed"]
        assert [e["data"][0]["call"] for e in events] == [second]   # after the first
    finally:
        application.extensions["hotline"].adapters.close()


def _messages(pubsub, count: int, timeout: float = 3.0) -> list[dict]:
    found, deadline = [], time.monotonic() + timeout
    while len(found) < count and time.monotonic() < deadline:
        message = pubsub.get_message(timeout=0.1)
        if message and message["type"] == "message":
            found.append(json.loads(message["data"]))
    return found


def test_the_publisher_sends_in_order_and_outlives_redis_being_away(settings, listener, caplog):
    import redis

    channel = f"{settings.redis_prefix}-socketio"
    # built as the app builds its client (from_url: no retries); a bare redis.Redis() retries a refused
    # connection 3 times with a random backoff of up to 14 s, past flush()'s 5 s (a flaky test)
    publisher = EventPublisher(redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2))
    publisher.submit([(channel, json.dumps({"n": 0}))])
    assert publisher.flush()
    assert "1 event(s) not published" in caplog.text          # dropped and said so, not retried
    publisher.redis = redis.Redis.from_url(settings.redis_url)   # Redis is back
    for batch in ([1, 2], [3], [4, 5, 6]):
        publisher.submit([(channel, json.dumps({"n": n})) for n in batch])
    assert publisher.flush() and not publisher.busy()
    assert [m["n"] for m in _messages(listener, 6)] == [1, 2, 3, 4, 5, 6]


class _BusyPublisher:
    def __init__(self) -> None:
        self.submitted: list = []

    def busy(self) -> bool:
        return True

    def submit(self, events) -> None:
        self.submitted.extend(events)


def test_events_queue_behind_the_publisher_while_it_still_has_some(settings):
    """A request's events do not overtake an earlier request's that the publisher still holds,
    even when they could ride on its own record entry."""
    import redis

    from hotline.live.keys import Keys
    from hotline.live.record_stream import RecordStream
    from hotline.ports import RecordOp
    from hotline.store.writer import RecordWriter

    client = redis.Redis.from_url(settings.redis_url)
    records = RecordStream(client, Keys(settings.redis_prefix), lambda: RecordWriter(None))
    records.publisher = _BusyPublisher()
    op = RecordOp(new_call_sid(), "received", "received", local(2026, 11, 23, 10, 0), GAOXIN, "key", {}, {})
    with counting(client) as trips:
        records._send([op], [("channel", "later event")])   # noqa: SLF001 — the rule itself
    assert trips.sent == [("XADD",)]
    assert records.publisher.submitted == [("channel", "later event")]
    client.delete(Keys(settings.redis_prefix).record_stream())


def test_the_thread_sends_only_what_waited_its_full_time_and_nothing_a_carrier_took(settings, listener):
    """An event a request carried is not sent again, and one that came after it is left for
    the next carrier until its own wait is over: under steady calls the thread sends nothing."""
    import redis

    client = redis.Redis.from_url(settings.redis_url)
    channel = f"{settings.redis_prefix}-socketio"
    publisher = EventPublisher(client, carry_wait_s=2.0)
    started = time.monotonic()
    publisher.submit([(channel, json.dumps({"n": 1}))])
    time.sleep(0.3)                                          # the thread is up and counting its wait
    pipe = client.pipeline(transaction=False)
    with publisher.carry(pipe) as carried:                     # a request's round trip takes it
        pipe.execute()
    assert carried == 1
    time.sleep(max(0.0, started + 1.0 - time.monotonic()))
    publisher.submit([(channel, json.dumps({"n": 2}))])      # due a second after the first was
    time.sleep(max(0.0, started + 2.5 - time.monotonic()))
    assert [m["n"] for m in _messages(listener, 2, timeout=0.2)] == [1]   # the first's time passed: 2 waits
    assert publisher.busy()
    assert [m["n"] for m in _messages(listener, 1, timeout=2.0)] == [2]   # then its own time is over
    assert time.monotonic() - started >= 3.0
    # the listener can hear the PUBLISH before the thread has read its reply: idle right after
    deadline = time.monotonic() + 1.0
    while publisher.busy() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not publisher.busy()
