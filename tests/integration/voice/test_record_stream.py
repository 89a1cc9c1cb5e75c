"""Call records written off the web process (HOTLINE_RECORD_WRITES=worker, issue #18): each
webhook's changes go through the Redis stream as one entry and a worker writes them; nothing
is lost when the worker dies between reading and committing, and a second delivery changes
nothing."""
from __future__ import annotations

import pytest
import redis
from sqlalchemy import func, select

from hotline.bootstrap.records import RecordWrites
from hotline.live.queues import QueueStore
from hotline.live.record_stream import GROUP, RecordStream, decode
from hotline.ports import RecordOp
from hotline.store.calls import find
from hotline.store.models import Call, CallEvent
from hotline.store.writer import RecordWriter
from tests.integration.voice.conftest import GAOXIN, Voice, app_on, monday_morning
from tests.twilio_fake import call_params, new_call_sid


@pytest.fixture
def app(both_backends_settings, migrate):
    with app_on(both_backends_settings.with_(record_writes="worker"), migrate) as application:
        yield application


@pytest.fixture
def voice(app) -> Voice:
    v = monday_morning(app)
    v.staff("chengdu-gaoxin")
    return v


def _stream(voice) -> str:
    return voice.services.keys.record_stream()


def _entries(voice):
    return voice.services.redis.xrange(_stream(voice))


def _queue_a_call(voice) -> str:
    sid = new_call_sid()
    voice.post("/voice/incoming", call_params(sid, GAOXIN, "+8613800000001"))
    return sid


def _writer(voice, **options) -> RecordWrites:
    return RecordWrites(voice.services, consumer="test-writer", block_ms=50, **options)


def _events(voice, sid: str) -> list[str]:
    with voice.services.db.session() as session:
        call = find(session, sid)
        return sorted(session.scalars(select(CallEvent.kind).where(CallEvent.call_id == call.id)))


def test_one_webhook_is_one_stream_entry_and_the_web_process_writes_nothing(voice):
    sid = _queue_a_call(voice)
    entries = _entries(voice)
    assert len(entries) == 1
    assert [op.kind for op in decode(entries[0][1][b"ops"])] == ["received", "queued"]
    with voice.services.db.session() as session:
        assert find(session, sid) is None        # the web process did not touch the database


def test_the_worker_writes_the_record_and_empties_the_stream(voice):
    sid = _queue_a_call(voice)
    writes = _writer(voice)
    assert writes.step() == 2
    with voice.services.db.session() as session:
        call = find(session, sid)
        assert call.status == "queued" and call.line_id == "chengdu-gaoxin"
        assert call.queued_at is not None
    assert _entries(voice) == []
    assert voice.services.redis.xpending(_stream(voice), GROUP)["pending"] == 0


def test_changes_of_several_webhooks_are_written_in_one_batch(voice):
    sids = [_queue_a_call(voice) for _ in range(5)]
    assert _writer(voice).step() == 10
    with voice.services.db.session() as session:
        assert session.scalar(select(func.count(Call.id)).where(Call.call_sid.in_(sids))) == 5


def test_a_worker_killed_between_reading_and_committing_loses_nothing(voice):
    sid = _queue_a_call(voice)
    dying = _writer(voice)

    def die_before_commit(ops):
        raise KeyboardInterrupt("killed")   # the process goes away with the entry read, unacknowledged

    with pytest.raises(KeyboardInterrupt):
        dying.reader.step(die_before_commit)
    assert voice.services.redis.xpending(_stream(voice), GROUP)["pending"] == 1
    survivor = RecordWrites(voice.services, consumer="other-writer", block_ms=50, claim_idle_ms=0)
    assert survivor.step() == 2                 # it claims the dead consumer's entry
    with voice.services.db.session() as session:
        assert find(session, sid).status == "queued"
    assert voice.services.redis.xpending(_stream(voice), GROUP)["pending"] == 0


def test_a_second_delivery_of_the_same_changes_changes_nothing(voice):
    sid = _queue_a_call(voice)
    raw = _entries(voice)[0][1]
    writes = _writer(voice)
    assert writes.step() == 2
    voice.services.redis.xadd(_stream(voice), raw)       # the same entry delivered again
    assert writes.step() == 0
    assert _events(voice, sid) == ["queued", "received"]
    with voice.services.db.session() as session:
        assert find(session, sid).status == "queued"


def test_a_commit_whose_acknowledgement_was_lost_is_delivered_again_harmlessly(voice, monkeypatch):
    sid = _queue_a_call(voice)
    writes = _writer(voice)
    monkeypatch.setattr(writes.reader, "acknowledge", lambda ids: (_ for _ in ()).throw(redis.ConnectionError()))
    with pytest.raises(redis.ConnectionError):
        writes.step()
    monkeypatch.undo()
    assert writes.step() == 0                   # its own pending entry again: already applied
    assert _events(voice, sid) == ["queued", "received"]
    assert _entries(voice) == []


def test_later_changes_of_a_call_merge_with_the_earlier_ones(voice):
    sid = _queue_a_call(voice)
    voice.post("/voice/status", call_params(sid, GAOXIN, "+8613800000001", CallStatus="completed",
                                            CallDuration="42"))
    assert len(_entries(voice)) == 2
    _writer(voice).step()
    with voice.services.db.session() as session:
        call = find(session, sid)
        assert call.status in ("ended", "abandoned") and call.ended_at is not None


def test_while_redis_is_down_the_web_process_writes_the_record_itself(voice):
    services = voice.services
    dead = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2, socket_timeout=0.2)   # no retries, as the app's
    records = RecordStream(dead, services.keys, lambda: RecordWriter(services.db))
    sid = new_call_sid()
    with records.batch():
        records.submit(RecordOp(sid, "received", "received", services.now(), GAOXIN, "key",
                                {"status": "received", "caller_region": "四川省"}))
    assert records.flush(10)
    with services.db.session() as session:
        assert find(session, sid).status == "received"
    records.close()


def _op(services, sid: str, kind: str, **fields) -> RecordOp:
    return RecordOp(sid, kind, kind, services.now(), GAOXIN, "key", {"status": kind, **fields})


def test_a_queued_call_is_recorded_inside_the_enqueue_script_with_what_the_request_held(voice):
    services, sid = voice.services, new_call_sid()
    with services.records.batch():
        services.records.submit(_op(services, sid, "received"))
        services.queues.enqueue(sid, "chengdu-gaoxin", 0, services.now(), status="queued",
                                record=_op(services, sid, "queued", line_id="chengdu-gaoxin"))
        (entry,) = _entries(voice)                      # already there, before the request ends
        assert [op.kind for op in decode(entry[1][b"ops"])] == ["received", "queued"]
    assert len(_entries(voice)) == 1                    # and nothing was left to send at its end
    assert services.queues.position(sid).position == 1


def test_an_enqueue_that_fails_records_nothing_and_keeps_what_the_request_held(voice):
    services, sid = voice.services, new_call_sid()
    services.redis.set(services.keys.call(sid), "not a hash")   # the script stops at its first HMGET
    with services.records.batch():
        services.records.submit(_op(services, sid, "received"))
        with pytest.raises(redis.ResponseError):
            services.queues.enqueue(sid, "chengdu-gaoxin", 0, services.now(), status="queued",
                                    record=_op(services, sid, "queued"))
        assert _entries(voice) == []
    (entry,) = _entries(voice)
    assert [op.kind for op in decode(entry[1][b"ops"])] == ["received"]   # "queued" did not happen
    assert services.queues.waiting("chengdu-gaoxin") == []


def test_with_nobody_writing_the_stream_the_queued_change_is_written_here_after_the_enqueue(voice):
    services, sid = voice.services, new_call_sid()
    records = RecordStream(services.redis, services.keys, lambda: RecordWriter(services.db), only_while_written=True)
    queues = QueueStore(services.redis, services.keys, records)
    with records.batch():
        queues.enqueue(sid, "chengdu-gaoxin", 0, services.now(), status="queued",
                       record=_op(services, sid, "queued", line_id="chengdu-gaoxin"))
    assert records.flush(10)
    assert _entries(voice) == []
    with services.db.session() as session:
        assert find(session, sid).status == "queued"
    records.close()


def test_a_queue_store_without_a_record_carrier_refuses_to_record(voice):
    services = voice.services
    with pytest.raises(ValueError, match="record carrier"):
        QueueStore(services.redis, services.keys).enqueue("CA1", "chengdu-gaoxin", 0, services.now(),
                                                          record=_op(services, "CA1", "queued"))
