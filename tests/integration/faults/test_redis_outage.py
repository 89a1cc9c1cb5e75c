"""Redis stops during calls: callers still get a route, and nothing is lost when it returns."""
from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest
import redis

from hotline.app import create_app
from hotline.settings import testing_settings as make_settings
from hotline.store.calls import find
from hotline.store.migrate import upgrade
from tests.faults import Forwarder
from tests.integration.voice.conftest import CALLER, GAOXIN, Voice, local
from tests.twilio_fake import call_params, new_call_sid


@pytest.fixture
def outage(tmp_path, redis_url, redis_prefix, monkeypatch):
    import hotline.web.voice as voice_module

    monkeypatch.setattr(voice_module, "BREAKER_RESET_S", 0.2)
    monkeypatch.setattr(voice_module, "BREAKER_FAIL_MAX", 2)     # the new call and one wait round
    target = urlparse(redis_url)
    forwarder = Forwarder(target.port or 6379, target.hostname or "127.0.0.1").start()
    settings = make_settings(tmp_path, redis_url=f"redis://127.0.0.1:{forwarder.port}/0",
                                redis_prefix=redis_prefix)
    upgrade(settings.database_url)
    app = create_app(settings)
    voice = Voice(app)
    voice.at(local(2026, 11, 23, 10, 0))
    voice.staff("chengdu-gaoxin", counselor_id=99, state="on_call")
    yield voice, forwarder
    forwarder.stop()
    app.extensions["hotline"].adapters.close()


def _timed_post(voice, path, params):
    started = time.monotonic()
    twiml = voice.post(path, params)
    return twiml, time.monotonic() - started


def test_redis_down_then_back_empty(outage, redis_url, redis_prefix):
    voice, forwarder = outage
    services = voice.services
    voice.app.extensions["hotline"].console_tick.tick()   # the running system has seen this Redis
    first, second = new_call_sid(), new_call_sid()
    for sid in (first, second):
        assert voice.post("/voice/incoming", call_params(sid, GAOXIN, CALLER)).find("Enqueue") is not None
    forwarder.stop()                                      # Redis goes away
    third = new_call_sid()
    twiml, elapsed = _timed_post(voice, "/voice/incoming", call_params(third, GAOXIN, CALLER))
    assert twiml.find("Dial/Number") is not None and elapsed < 1.0
    left, _ = _timed_post(voice, "/voice/wait?line=chengdu-gaoxin", call_params(first, GAOXIN, CALLER))
    assert left.verbs() == ["Leave"]
    moved, elapsed = _timed_post(voice, "/voice/queue-result?line=chengdu-gaoxin",
                                 call_params(first, GAOXIN, CALLER, QueueResult="leave"))
    assert moved.find("Dial/Number") is not None and elapsed < 1.0
    _restart_empty(redis_url, redis_prefix, forwarder)    # Redis returns with nothing in it
    time.sleep(0.3)                                       # the breaker closes again
    voice.flush()
    voice.app.extensions["hotline"].console_tick.tick()   # the ticker notices and rebuilds
    assert services.queues.waiting("chengdu-gaoxin") == [second]
    with services.db.session() as session:
        records = {sid: find(session, sid) for sid in (first, second, third)}
    assert all(records.values())                          # no call record lost
    assert records[third].outcome == "failsafe" and records[first].outcome == "failsafe"
    assert records[second].status == "queued"


def _restart_empty(redis_url: str, prefix: str, forwarder: Forwarder) -> None:
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    forwarder.start()


def test_dashboard_says_degraded_while_redis_is_down(outage):
    from hotline.store.users import create_user
    from tests.conftest import sign_in

    voice, forwarder = outage
    services = voice.services
    with services.db.session() as session:
        create_user(session, "boss", "supervisor", "correct-horse-42", now=services.now())
    client = voice.app.test_client()
    assert sign_in(client, "boss", "correct-horse-42").status_code == 302
    forwarder.stop()
    response = client.get("/api/dashboard")
    assert response.status_code == 503
    assert response.json["status"] == "degraded" and "降级" in response.json["message"]
