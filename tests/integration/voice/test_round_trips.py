"""How often one incoming call talks to Redis (issue #18): counted, not timed.

Routing reads what it needs in one pipeline (the call's hash, presence, the roster version,
the flagged set and its sentinel) and a queued caller joins the queue and learns its place
in one script: a transferred call costs one round trip, a queued one two; so does a menu
choice that queues the call (the choice goes on the call's hash in the same script). A new call
after the first is decided on what the last read saw, and its step (queue or record) goes with
the check that this still holds: one round trip; when it does not, the check answers the reads
and the call is decided again on them. The first unstaffed call also claims the coverage notice
(one more); the next ones do not. Once a second a process also asks whether a worker writes the
record stream (one more). A wait round reads what it needs in one pipeline, then counts the round.
"""
from __future__ import annotations

import threading

import pytest

from hotline.live import record_stream
from tests.integration.voice.conftest import CALLER, GAOXIN, SICHUAN
from tests.redis_trips import Trips, counting
from tests.twilio_fake import call_params, new_call_sid


@pytest.fixture(autouse=True)
def roll_call_asked_once(monkeypatch):
    """However slow the machine, the roll call is asked on the first call only."""
    monkeypatch.setattr(record_stream, "ROLL_CALL_CACHE_S", 3600)


def incoming(voice):
    """The request's own round trips (the event publisher's thread may send meanwhile), with
    the events an earlier call left that they carried taken off."""
    with counting(voice.services.redis) as trips:
        twiml = voice.post("/voice/incoming", call_params(new_call_sid(), GAOXIN, CALLER))
    own = Trips([tuple(n for n in names if n != "PUBLISH") or names
                 for names in trips.by(threading.current_thread().name)])
    return own, twiml


def test_an_unstaffed_call_is_one_round_trip_once_its_gap_is_announced(voice):
    first, twiml = incoming(voice)
    assert twiml.find("Dial/Number") is not None            # transferred along the fallbacks
    # the reads, the notice's claim, and (once a second per process, HOTLINE_RECORD_WRITES=auto)
    # whether a worker writes the record stream
    assert first.round_trips == 3 and first.sent[-1] == ("ZCOUNT",), first.sent
    assert set(first.sent[0]) == {"HGETALL", "GET", "EXISTS", "SMISMEMBER"}
    incoming(voice)                                          # loads the step's script into Redis
    again, twiml = incoming(voice)
    assert twiml.find("Dial/Number") is not None
    assert again.sent == [("EVALSHA",)]                      # the record, checked against the last read
    assert len(voice.events("coverage.alert")) == 1          # the gap announced once, not per call


def test_a_staffed_call_is_one_round_trip_the_queue_checked_against_the_last_read(voice):
    voice.staff("chengdu-gaoxin")
    first, twiml = incoming(voice)                           # read, then the queue
    assert twiml.find("Enqueue").text == "chengdu-gaoxin"
    assert "HGETALL" in first.sent[0] and first.sent[-1] == ("EVALSHA",), first.sent
    incoming(voice)                                          # loads the step's script into Redis
    trips, twiml = incoming(voice)
    assert twiml.find("Enqueue").text == "chengdu-gaoxin"
    assert trips.sent == [("EVALSHA",)]
    third = voice.services.queues.waiting("chengdu-gaoxin")[2]
    assert voice.services.queues.position(third).position == 3
    assert voice.events("queue.changed")[-1]["length"] == 3   # what the script answered: the real queue


def test_a_call_after_presence_changed_is_decided_on_the_facts_the_check_answered(voice):
    voice.staff("chengdu-gaoxin")
    incoming(voice)
    incoming(voice)                                          # both queued; the last read: staffed
    voice.staff()                                            # the counselor signs off
    trips, twiml = incoming(voice)
    assert twiml.find("Dial/Number") is not None             # not queued behind nobody
    assert trips.sent[0] == ("EVALSHA",) and trips.round_trips >= 1, trips.sent
    assert len(voice.services.queues.waiting("chengdu-gaoxin")) == 2
    voice.staff("chengdu-gaoxin")                            # back on
    trips, twiml = incoming(voice)
    assert twiml.find("Enqueue").text == "chengdu-gaoxin"
    assert trips.round_trips == 2 and trips.sent[0] == ("EVALSHA",), trips.sent   # refused, then queued
    assert len(voice.services.queues.waiting("chengdu-gaoxin")) == 3


def test_a_flagged_caller_is_seen_in_the_same_read_and_goes_first(voice):
    from hotline.live.triage import RedisFlaggedSet

    s = voice.services
    voice.staff("chengdu-gaoxin")
    incoming(voice)                                          # an ordinary caller already waits
    RedisFlaggedSet(s.redis, s.keys).rebuild([s.keyring.caller_key("+8613908170000")])
    sid = new_call_sid()
    with counting(s.redis) as trips:
        voice.post("/voice/incoming", call_params(sid, GAOXIN, "+8613908170000"))
    assert len(trips.by(threading.current_thread().name)) == 2
    assert s.queues.waiting("chengdu-gaoxin")[0] == sid and s.queues.call_state(sid)["priority"] == "30"


def test_a_menu_choice_that_queues_the_call_is_two_round_trips_and_keeps_the_choice(voice):
    voice.staff("sichuan")
    incoming(voice)                                          # loads the scripts into Redis
    sid = new_call_sid()
    assert voice.post("/voice/incoming", call_params(sid, SICHUAN, CALLER)).find("Gather") is not None
    with counting(voice.services.redis) as trips:
        twiml = voice.post("/voice/menu?line=sichuan", call_params(sid, SICHUAN, CALLER, Digits="0"))
    assert twiml.find("Enqueue").text == "sichuan"
    own = trips.by(threading.current_thread().name)
    assert len(own) == 2 and own[1] == ("EVALSHA",), own
    state = voice.services.queues.call_state(sid)
    assert (state["menu"], state["crisis"], state["status"]) == ("danger_now", "1", "queued")
    again = voice.post("/voice/menu?line=sichuan", call_params(sid, SICHUAN, CALLER, Digits="2"))
    assert again.find("Enqueue").text == "sichuan"            # a repeated post: the first choice stands
    assert voice.services.queues.call_state(sid)["menu"] == "danger_now"


def test_a_redis_that_lost_the_step_script_still_queues_the_call_once(voice):
    """A Redis restarted or flushed has no scripts: the step's script is loaded and run once."""
    voice.staff("chengdu-gaoxin")
    incoming(voice)                                          # read, then the queue: remembered
    reads = voice.app.extensions["hotline"].calls_routing.reads
    reads._step.sha = "0" * 40                              # a script Redis does not know
    trips, twiml = incoming(voice)
    assert twiml.find("Enqueue").text == "chengdu-gaoxin"
    assert trips.sent == [("EVALSHA",), ("SCRIPT LOAD",), ("EVALSHA",)], trips.sent   # refused, loaded, run
    assert len(voice.services.queues.waiting("chengdu-gaoxin")) == 2
    again, _ = incoming(voice)
    assert again.sent == [("EVALSHA",)]                      # loaded: one round trip again
    assert len(voice.services.queues.waiting("chengdu-gaoxin")) == 3


def test_a_wait_round_is_two_round_trips_its_reads_then_its_count(voice):
    """The QueueSid noted, the place, the call's hash, the handling time, presence and the roster
    version in one pipeline (six round trips before), then the round's count."""
    voice.staff("chengdu-gaoxin")
    sid = new_call_sid()
    voice.post("/voice/incoming", call_params(sid, GAOXIN, CALLER))
    voice.services.redis.hset(voice.services.keys.line_stats("chengdu-gaoxin"), "handle_s", 240)
    wait = "/voice/wait?line=chengdu-gaoxin"
    assert "您是下一位" in voice.post(wait, call_params(sid, GAOXIN, CALLER, QueueSid="QU1", QueueTime="5")).said()
    with counting(voice.services.redis) as trips:
        said = voice.post(wait, call_params(sid, GAOXIN, CALLER, QueueSid="QU1", QueueTime="35")).said()
    own = trips.by(threading.current_thread().name)
    assert [names[:3] for names in own] == [("HSET", "EXPIRE", "EVALSHA"), ("HINCRBY",)], own
    assert "您是下一位" in said and "请按1" in said
    assert voice.services.queues.call_state(sid)["queue_sid"] == "QU1"
    assert voice.services.queues.call_state(sid)["rounds"] == "2"


def test_a_wait_round_after_redis_lost_its_scripts_still_finds_the_place(voice):
    first, second = new_call_sid(), new_call_sid()
    voice.staff("chengdu-gaoxin")
    for sid in (first, second):
        voice.post("/voice/incoming", call_params(sid, GAOXIN, CALLER))
    voice.app.extensions["hotline"].calls_waiting.reads._position.sha = "0" * 40   # one Redis does not know
    said = voice.post("/voice/wait?line=chengdu-gaoxin", call_params(second, GAOXIN, CALLER)).said()
    assert "您前面还有1位来电者" in said
