"""A queue entry rebuilt after Redis lost it keeps its priority and its arrival (issue #12,
item 4), against real Redis, through signed webhooks."""
from __future__ import annotations

from hotline.routing.decision import PRIORITY_CRISIS
from tests.integration.voice.conftest import SICHUAN, local
from tests.twilio_fake import call_params, new_call_sid

LINE = "sichuan"


def _queue(voice, number: str, digit: str) -> str:
    sid = new_call_sid()
    voice.post("/voice/incoming", call_params(sid, SICHUAN, number))
    assert voice.post(f"/voice/menu?line={LINE}", call_params(sid, SICHUAN, number, Digits=digit)).find("Enqueue") \
        is not None
    return sid


def _wait(voice, sid: str, number: str, queue_time: int):
    return voice.post(f"/voice/wait?line={LINE}", call_params(sid, SICHUAN, number, QueueTime=queue_time))


def _snapshot(voice, sids):
    queues = voice.services.queues
    return [(queues.position(sid).priority, queues.position(sid).arrived_at, queues.position(sid).position)
            for sid in sids]


def _three_waiting(voice):
    voice.staff(LINE)
    plain = _queue(voice, "+8613800000001", "1")
    voice.at(local(2026, 11, 23, 10, 0, 20))
    crisis = _queue(voice, "+8613800000002", "0")          # the crisis option jumps the queue
    voice.at(local(2026, 11, 23, 10, 0, 40))
    later = _queue(voice, "+8613800000003", "1")
    voice.at(local(2026, 11, 23, 10, 1, 0))
    return {"+8613800000001": plain, "+8613800000002": crisis, "+8613800000003": later}


def test_a_lost_queue_entry_comes_back_with_its_priority_and_arrival(voice):
    callers = _three_waiting(voice)
    sids = list(callers.values())
    before = _snapshot(voice, sids)
    assert voice.services.queues.waiting(LINE) == [sids[1], sids[0], sids[2]]
    assert before[1][0] == PRIORITY_CRISIS
    voice.services.redis.delete(voice.services.keys.queue(LINE))      # Redis lost the line's queue
    for number, sid in callers.items():
        assert "Gather" in _wait(voice, sid, number, queue_time=5).verbs()   # each caller rejoins
    assert _snapshot(voice, sids) == before
    assert voice.services.queues.waiting(LINE) == [sids[1], sids[0], sids[2]]


def test_after_redis_lost_everything_the_rebuild_restores_the_records_priority_and_arrival(voice):
    callers = _three_waiting(voice)
    sids = list(callers.values())
    before = _snapshot(voice, sids)
    voice.flush()
    hotline = voice.app.extensions["hotline"]
    hotline.console_tick.tick()                                       # the running system knows this Redis
    redis, prefix = voice.services.redis, voice.services.keys.prefix
    redis.delete(*redis.scan_iter(f"{prefix}*"))                      # Redis restarted empty
    # the crisis caller's wait round comes first: Twilio only says how long they waited in its queue
    number, sid = list(callers.items())[1]
    assert "Gather" in _wait(voice, sid, number, queue_time=3).verbs()
    hotline.console_tick.tick()                                       # the ticker rebuilds from the record
    for number, sid in callers.items():
        _wait(voice, sid, number, queue_time=3)
    after = _snapshot(voice, sids)
    assert [(p, at) for p, at, _ in after] == [(p, at) for p, at, _ in before]
    # (the shared PostgreSQL test database may hold other tests' waiting calls: compare ours)
    assert [sid for sid in voice.services.queues.waiting(LINE) if sid in sids] == [sids[1], sids[0], sids[2]]
