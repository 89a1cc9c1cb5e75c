"""The calls area's adapters against real Redis and the record (SQLite and PostgreSQL):
what the use cases' fakes stand in for (tests/unit/usecases/fakes_calls.py)."""
from __future__ import annotations

import secrets
from datetime import timedelta

import redis

from hotline.live.keys import Keys
from hotline.live.queues import QueueStore
from hotline.ports import RecordOp
from hotline.store import calls
from hotline.store.calls import CallsUnitOfWork
from hotline.store.db import Database
from hotline.store.migrate import upgrade
from tests.integration.voice.conftest import GAOXIN, local

T0 = local(2026, 11, 23, 10, 0)


def test_queue_store_counts_rounds_reads_handling_time_and_tells_a_fresh_redis(redis_url, redis_prefix):
    client = redis.Redis.from_url(redis_url)
    store, keys = QueueStore(client, Keys(redis_prefix)), Keys(redis_prefix)
    store.enqueue("CA1", "chengdu", 0, T0)
    assert [store.count_round("CA1") for _ in range(3)] == [1, 2, 3]
    assert store.call_state("CA1")["rounds"] == "3"
    assert store.handle_time("chengdu") is None
    client.hset(keys.line_stats("chengdu"), "handle_s", "241.5")
    assert store.handle_time("chengdu") == 241.5
    assert store.start(T0) is True and store.start(T0 + timedelta(seconds=1)) is False
    assert client.get(f"{redis_prefix}:epoch") == T0.isoformat().encode()
    client.delete(keys.epoch())                                  # Redis lost everything
    assert store.start(T0) is True


def _op(sid, kind, at, **fields):
    return RecordOp(sid, kind, kind, at, GAOXIN, f"key-{sid}", fields)


def test_still_waiting_reads_back_the_calls_a_queue_lost_in_queue_order(both_backends_settings):
    upgrade(both_backends_settings.database_url)
    db = Database(both_backends_settings.database_url)
    run = secrets.token_hex(4)   # the PostgreSQL test database is shared: read back only this test's calls

    def sid(n: int) -> str:
        return f"CA{run}{n}"

    ops = [_op(sid(1), "received", T0 - timedelta(minutes=5)),
           _op(sid(1), "queued", T0 - timedelta(minutes=5), status="queued", line_id="chengdu", priority=0,
               queued_at=T0 - timedelta(minutes=2)),
           _op(sid(2), "received", T0 - timedelta(minutes=4)),
           _op(sid(2), "queued", T0 - timedelta(minutes=4), status="queued", line_id="chengdu", priority=30,
               queued_at=T0 - timedelta(minutes=4)),
           _op(sid(3), "received", T0 - timedelta(minutes=3)),
           _op(sid(3), "offered", T0 - timedelta(minutes=3), status="offered", line_id="sichuan",
               queued_at=T0 - timedelta(minutes=3)),
           _op(sid(4), "received", T0 - timedelta(minutes=3)),                        # never reached a line
           _op(sid(5), "received", T0 - timedelta(minutes=3)),
           _op(sid(5), "queued", T0, status="queued", line_id="chengdu", queued_at=T0 - timedelta(minutes=3)),
           _op(sid(5), "abandoned", T0, status="abandoned", ended_at=T0),              # ended
           _op(sid(6), "received", T0 - timedelta(hours=7)),
           _op(sid(6), "queued", T0, status="queued", line_id="chengdu", queued_at=T0 - timedelta(hours=7)),
           _op(sid(7), "received", T0 - timedelta(minutes=1)),
           _op(sid(7), "menu", T0 - timedelta(minutes=1), status="menu", line_id="sichuan")]   # not queued yet
    for op in ops:
        with db.session() as session:
            calls.apply(session, op)
    with CallsUnitOfWork(db) as uow:
        waiting = [w for w in uow.calls.still_waiting(T0 - timedelta(hours=6)) if w.call_sid.startswith(f"CA{run}")]
    queued = [(w.call_sid, w.line_id, w.priority, w.queued_at) for w in waiting if w.call_sid != sid(7)]
    assert queued == [(sid(2), "chengdu", 30, T0 - timedelta(minutes=4)),
                      (sid(3), "sichuan", 0, T0 - timedelta(minutes=3)),
                      (sid(1), "chengdu", 0, T0 - timedelta(minutes=2))]
    (menu,) = [w for w in waiting if w.call_sid == sid(7)]           # (NULLs sort by backend)
    assert menu.queued_at == T0 - timedelta(minutes=1)              # when it was received
    assert all(w.caller_key == f"key-{w.call_sid}" and w.dialled == GAOXIN for w in waiting)
    db.dispose()
