"""HOTLINE_RECORD_WRITES=auto, the default (issue #18): records go through the stream while a
`hotline worker` writes it, and are written by the web process itself while none does — so a
deployment without a worker loses nothing and piles nothing up unseen."""
from __future__ import annotations

import time

import pytest

from hotline.bootstrap.records import RecordWrites
from hotline.live import record_stream
from hotline.live.record_stream import WriterRollCall
from hotline.settings import from_env
from hotline.store.calls import find
from tests.integration.voice.conftest import GAOXIN, Voice, local
from tests.twilio_fake import call_params, new_call_sid


@pytest.fixture
def voice(both_backends_settings, monkeypatch):
    from hotline.app import create_app
    from hotline.store.migrate import upgrade

    monkeypatch.setattr(record_stream, "ROLL_CALL_CACHE_S", 0.05)   # answer the roll call at once
    settings = both_backends_settings.with_(record_writes="auto")
    upgrade(settings.database_url)
    application = create_app(settings)
    v = Voice(application)
    v.at(local(2026, 11, 23, 10, 0))
    v.staff("chengdu-gaoxin")
    yield v
    application.extensions["hotline"].adapters.close()


def _queue_a_call(voice) -> str:
    sid = new_call_sid()
    voice.post("/voice/incoming", call_params(sid, GAOXIN, "+8613800000001"))
    return sid


def _written(voice, sid: str):
    voice.services.records.flush()
    with voice.services.db.session() as session:
        call = find(session, sid)
        return call and call.status


def _stream_length(voice) -> int:
    return voice.services.redis.xlen(voice.services.keys.record_stream())


def test_auto_is_the_default():
    assert from_env({"HOTLINE_SECRET_KEY": "k"}).record_writes == "auto"


def test_with_no_worker_writing_the_web_process_writes_the_record(voice):
    sid = _queue_a_call(voice)
    assert _written(voice, sid) == "queued"
    assert _stream_length(voice) == 0


def test_while_a_worker_writes_the_stream_is_used_and_after_it_leaves_the_web_writes_again(voice):
    writes = RecordWrites(voice.services, consumer="auto-writer", block_ms=50).start()
    try:
        deadline = time.monotonic() + 5
        while not WriterRollCall(voice.services.redis, voice.services.keys).anyone():
            assert time.monotonic() < deadline, "the worker never answered the roll call"
            time.sleep(0.02)
        time.sleep(0.1)                                  # past the web process's last answer
        streamed = _queue_a_call(voice)
        deadline = time.monotonic() + 10
        while _written(voice, streamed) != "queued":   # written by the worker thread
            assert time.monotonic() < deadline, "the worker did not write the streamed call"
            time.sleep(0.05)
        assert voice.services.records._local is None    # noqa: SLF001 — the web process wrote nothing itself
    finally:
        writes.stop()
    time.sleep(0.1)
    here = _queue_a_call(voice)
    assert _stream_length(voice) == 0
    assert _written(voice, here) == "queued"


def test_a_worker_that_died_drops_off_the_roll_call_by_itself(voice):
    roll_call = WriterRollCall(voice.services.redis, voice.services.keys)
    roll_call.present("dead-worker", ttl_s=0.2)
    assert roll_call.anyone()
    time.sleep(0.3)
    assert not roll_call.anyone()
    roll_call.present("live-worker")
    roll_call.leave("live-worker")
    assert not roll_call.anyone()
