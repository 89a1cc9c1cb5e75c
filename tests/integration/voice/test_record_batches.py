"""A batch of record changes (the worker's apply_many) ends in the record the same changes give
one by one (apply), on SQLite and PostgreSQL: out of order, retried, several calls mixed."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from hotline.ports import RecordOp
from hotline.store import calls
from hotline.store.db import Database
from hotline.store.migrate import upgrade
from hotline.store.models import Call, CallbackRequest, CallEvent

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def db(both_backends_settings):
    upgrade(both_backends_settings.database_url)
    database = Database(both_backends_settings.database_url)
    yield database
    database.dispose()


def _story(sid: str) -> list[RecordOp]:
    at = lambda s: T0 + timedelta(seconds=s)   # noqa: E731
    return [
        RecordOp(sid, "queued", "queued:chengdu", at(2), "+862887577510", "key-1",
                 {"status": "queued", "line_id": "chengdu", "queued_at": at(2), "priority": 0}),
        RecordOp(sid, "received", "received", at(0), "+862887577510", "key-1",
                 {"status": "received", "caller_region": "四川省成都市"}),
        RecordOp(sid, "received", "received", at(0), "+862887577510", "key-1", {"status": "received"}),
        RecordOp(sid, "rolled_over", "rollover:chengdu", at(50), fields={"rollover": True}),
        RecordOp(sid, "answered", "answered", at(60), fields={"status": "answered", "answered_at": at(60)}),
        RecordOp(sid, "status:completed", "status:completed", at(300),
                 fields={"status": "ended", "ended_at": at(300), "telephony_status": "completed"}),
        RecordOp(sid, "queued", "queued:chengdu", at(2), fields={"status": "queued", "queued_at": at(99)}),
    ]


def _voicemail(sid: str) -> list[RecordOp]:
    return [RecordOp(sid, "received", "received", T0, "+862812320", "key-2", {"status": "received"}),
            RecordOp(sid, "voicemail", "voicemail", T0 + timedelta(seconds=40),
                     fields={"status": "voicemail", "line_id": "sichuan"}, detail={"recording_url": "https://r/1"})]


def _record(db, sid: str) -> tuple:
    with db.session() as session:
        call = calls.find(session, sid)
        events = sorted(session.scalars(select(CallEvent.dedup_key).where(CallEvent.call_id == call.id)))
        callbacks = session.scalars(select(CallbackRequest.status).where(CallbackRequest.call_sid == sid)).all()
        columns = {c.name: getattr(call, c.name) for c in Call.__table__.columns if c.name not in ("id", "call_sid")}
        return columns, events, callbacks


def test_a_batch_merges_exactly_like_one_change_at_a_time(db):
    one, batch = f"CA{uuid.uuid4().hex}", f"CA{uuid.uuid4().hex}"
    vm_one, vm_batch = f"CA{uuid.uuid4().hex}", f"CA{uuid.uuid4().hex}"
    for op in _story(one) + _voicemail(vm_one):
        with db.session() as session:
            calls.apply(session, op)
    mixed = [op for pair in zip(_story(batch), _voicemail(vm_batch) + [None] * 5) for op in pair if op]
    with db.session() as session:
        applied = calls.apply_many(session, mixed)
    assert applied == 5 + 2                      # the retried "received" and "queued" count nothing
    assert _record(db, batch) == _record(db, one)
    assert _record(db, vm_batch) == _record(db, vm_one)
    columns, events, _ = _record(db, batch)
    assert columns["status"] == "ended" and columns["rollovers"] == 1
    assert columns["received_at"].replace(tzinfo=None) == T0.replace(tzinfo=None)


def test_a_batch_delivered_twice_changes_nothing_the_second_time(db):
    sid = f"CA{uuid.uuid4().hex}"
    with db.session() as session:
        calls.apply_many(session, _story(sid))
    before = _record(db, sid)
    with db.session() as session:
        assert calls.apply_many(session, _story(sid)) == 0
    assert _record(db, sid) == before


def test_the_web_write_behind_commits_what_piled_up_in_one_batch(db, monkeypatch):
    """The in-process writer (HOTLINE_RECORD_WRITES=web) takes everything waiting, up to
    MAX_BATCH, into one commit, and the record is what the changes give one by one."""
    from hotline.store import writer as writer_module

    real, sizes, first_taken, release = writer_module.write_batch, [], threading.Event(), threading.Event()

    def held_write(database, ops):
        sizes.append(len(ops))
        first_taken.set()
        release.wait(10)                     # the first commit is slow: the rest piles up meanwhile
        return real(database, ops)

    monkeypatch.setattr(writer_module, "write_batch", held_write)
    record_writer = writer_module.RecordWriter(db)
    sids = [f"CA{uuid.uuid4().hex}" for _ in range(40)]
    record_writer.submit(_story(sids[0])[0])
    assert first_taken.wait(5)
    piled = [op for sid in sids[1:] for op in _story(sid)]                  # 273 changes
    for op in piled:
        record_writer.submit(op)
    release.set()
    assert record_writer.flush(20)
    record_writer.close()
    assert sizes == [1, writer_module.MAX_BATCH, len(piled) - writer_module.MAX_BATCH]
    alone = f"CA{uuid.uuid4().hex}"
    for op in _story(alone):
        with db.session() as session:
            calls.apply(session, op)
    expected = _record(db, alone)
    for sid in sids[1:]:
        assert _record(db, sid) == expected


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(order=st.permutations(range(9)), split=st.integers(min_value=0, max_value=9), data=st.data())
def test_any_order_and_any_cut_into_batches_ends_in_the_record_one_by_one_gives(db, order, split, data):
    """Whatever order the changes of a call arrive in, and wherever a commit cuts them (with
    some delivered twice), the batch writer ends where one change at a time does."""
    story = _story("x") + _voicemail("x")
    again = data.draw(st.lists(st.sampled_from(range(9)), max_size=3))
    chosen = [story[i] for i in order] + [story[i] for i in again]
    one, batch = f"CA{uuid.uuid4().hex}", f"CA{uuid.uuid4().hex}"
    for op in chosen:
        with db.session() as session:
            calls.apply(session, _for(op, one))
    for part in (chosen[:split], chosen[split:]):
        with db.session() as session:
            calls.apply_many(session, [_for(op, batch) for op in part])
    assert _record(db, batch) == _record(db, one)


def _for(op: RecordOp, sid: str) -> RecordOp:
    return RecordOp(sid, op.kind, op.dedup_key, op.at, op.dialled_number, op.caller_key, op.fields, op.detail)
