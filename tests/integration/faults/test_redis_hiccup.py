"""A Redis hiccup costs a waiting caller nothing; sustained failure opens the breaker; a
caller the fail-safe sent on is never offered; one call has one outcome (issue #12, item 5).
Through signed webhooks against real Redis, the client patched to time out."""
from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
import redis

import hotline.web.voice as voice_module
from hotline.web.breaker import CLOSED, OPEN
from hotline.ports import RecordOp
from hotline.store import calls
from hotline.store.calls import find
from tests.integration.console.conftest import Floor
from tests.integration.voice.conftest import CALLER, GAOXIN, local
from tests.twilio_fake import call_params, new_call_sid

LINE = "chengdu-gaoxin"


@pytest.fixture
def floor(app) -> Floor:
    f = Floor(app)
    f.at(local(2026, 11, 23, 10, 0))
    f.staff(LINE, counselor_id=99, state="on_call")     # the line counts as staffed
    return f


def _flaky(monkeypatch, floor, times: int | None):
    """A wait round's place in its queue times out `times` times (None: until undone): the
    round's reads (WaitReads, one pipeline) and QueueStore.position raise redis.TimeoutError."""
    queues = floor.services.queues
    reads = floor.app.extensions["hotline"].calls_waiting.reads
    originals = {"position": queues.position, "read": reads.read}
    left = {"n": times}

    def failing(original):
        def call(*args, **kwargs):
            if left["n"] is None or left["n"] > 0:
                if left["n"] is not None:
                    left["n"] -= 1
                raise redis.TimeoutError("Timeout reading from socket (800 ms)")
            return original(*args, **kwargs)
        return call

    monkeypatch.setattr(queues, "position", failing(originals["position"]))
    monkeypatch.setattr(reads, "read", failing(originals["read"]))

    def undo():
        monkeypatch.setattr(queues, "position", originals["position"])
        monkeypatch.setattr(reads, "read", originals["read"])
    return undo


def _wait(floor, sid):
    return floor.post(f"/voice/wait?line={LINE}", call_params(sid, GAOXIN, CALLER))


def _breaker(floor):
    return floor.app.extensions[voice_module._BREAKER]


def test_a_single_timeout_costs_the_waiting_caller_nothing(floor, monkeypatch):
    first, sid = floor.caller("+8613800000001"), floor.caller(CALLER)
    assert "您前面还有1位来电者" in _wait(floor, sid).said()
    _flaky(monkeypatch, floor, times=1)
    held = _wait(floor, sid)
    assert held.verbs() == ["Pause"]                                # hold on, not <Leave/>
    assert _breaker(floor).current_state == CLOSED
    assert "您前面还有1位来电者" in _wait(floor, sid).said()          # the place is kept
    assert floor.services.queues.waiting(LINE) == [first, sid]
    floor.flush()
    with floor.services.db.session() as session:
        assert not [e for e in find(session, sid).events if e.kind == "failsafe"]


def test_sustained_failure_opens_the_breaker_and_the_caller_sent_on_is_never_offered(floor, monkeypatch):
    sid = floor.caller(CALLER)
    undo = _flaky(monkeypatch, floor, times=None)
    answers = [_wait(floor, sid).verbs() for _ in range(voice_module.BREAKER_FAIL_MAX)]
    assert answers[:-1] == [["Pause"]] * (voice_module.BREAKER_FAIL_MAX - 1) and answers[-1] == ["Leave"]
    assert _breaker(floor).current_state == OPEN
    undo()                                                          # Redis answers again
    assert sid not in floor.services.queues.waiting(LINE)           # out of our queue at once
    assert floor.services.queues.call_state(sid)["status"] == "failsafe"
    floor.counselor(5, LINE)                                        # someone becomes free
    floor.tick()
    assert floor.offered_to(5) is None
    result = floor.post(f"/voice/queue-result?line={LINE}", call_params(sid, GAOXIN, CALLER, QueueResult="leave"))
    assert result.find("Dial/Number") is not None                   # sent on, as announced
    _breaker(floor).close()
    assert _wait(floor, sid).verbs() == ["Pause"]
    assert sid not in floor.services.queues.waiting(LINE)           # a stray wait round never rejoins
    floor.tick()
    assert floor.offered_to(5) is None
    floor.flush()
    with floor.services.db.session() as session:
        record = find(session, sid)
        assert (record.outcome, record.answered_at) == ("failsafe", None)


def test_the_breaker_probes_before_closing(floor, monkeypatch):
    monkeypatch.setattr(voice_module, "BREAKER_RESET_S", 0.05)
    floor.app.extensions.pop(voice_module._BREAKER, None)
    sid = floor.caller(CALLER)
    undo = _flaky(monkeypatch, floor, times=None)
    for _ in range(voice_module.BREAKER_FAIL_MAX):
        _wait(floor, sid)
    assert _breaker(floor).current_state == OPEN
    time.sleep(0.1)
    assert _wait(floor, sid).verbs() == ["Leave"]                   # the probe failed: open again
    assert _breaker(floor).current_state == OPEN
    undo()
    time.sleep(0.1)
    other = new_call_sid()
    assert floor.post("/voice/incoming", call_params(other, GAOXIN, "+8613800000009")).find("Enqueue") is not None
    assert _breaker(floor).current_state == CLOSED   # the probe succeeded


def test_a_failed_transfer_followed_by_an_answer_is_answered_once(both_backends_settings):
    """The record's merge rule (store/calls.py): whatever order, one outcome; reports count it once."""
    from hotline.store.db import Database
    from hotline.store.migrate import upgrade
    from hotline.store.models import Call

    upgrade(both_backends_settings.database_url)
    db = Database(both_backends_settings.database_url)
    sid = "CA" + uuid.uuid4().hex
    t0 = local(2026, 11, 23, 10, 0)
    ops = [RecordOp(sid, "received", "received", t0, GAOXIN, "k", {"status": "received"}),
           RecordOp(sid, "queued", "queued:x", t0, GAOXIN, "k", {"status": "queued", "line_id": LINE}),
           RecordOp(sid, "failsafe", "failsafe:/voice/wait", t0 + timedelta(seconds=5), GAOXIN, "k",
                    {"status": "transferred", "outcome": "failsafe"}, {"path": "/voice/wait"}),
           RecordOp(sid, "answered", "answered", t0 + timedelta(seconds=9), GAOXIN, "k",
                    {"status": "answered", "answered_at": t0 + timedelta(seconds=9), "counselor_id": 5}),
           RecordOp(sid, "status:completed", "status:completed", t0 + timedelta(seconds=99), GAOXIN, "k",
                    {"status": "ended", "ended_at": t0 + timedelta(seconds=99)})]
    for op in ops:
        with db.session() as session:
            calls.apply(session, op)
            session.commit()
    with db.session() as session:
        call = find(session, sid)
        assert call.outcome is None and call.answered_at is not None and call.status == "ended"
        assert "failsafe" in [e.kind for e in call.events]          # the attempt stays in the events
        transferred = session.query(Call).filter(Call.call_sid == sid, Call.outcome.in_(("transferred", "failsafe")))
        assert transferred.count() == 0
