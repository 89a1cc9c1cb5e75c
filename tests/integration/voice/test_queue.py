"""Waiting: place and expected wait, voicemail on request, rollover, hang-ups."""
from datetime import timedelta

from hotline.store.calls import find
from tests.integration.voice.conftest import CALLER, DEYANG, GAOXIN, local, query_param
from tests.twilio_fake import call_params, new_call_sid


def _queue_two(voice):
    voice.staff("chengdu-gaoxin")
    first, second = new_call_sid(), new_call_sid()
    voice.post("/voice/incoming", call_params(first, GAOXIN, "+8613800000001"))
    voice.post("/voice/incoming", call_params(second, GAOXIN, "+8613800000002"))
    return first, second


def _wait(voice, sid, **extra):
    return voice.post("/voice/wait?line=chengdu-gaoxin", call_params(sid, GAOXIN, CALLER, **extra))


def test_wait_announces_place_and_expected_wait(voice):
    first, second = _queue_two(voice)
    assert "您是下一位" in _wait(voice, first).said()
    said = _wait(voice, second).said()
    assert "您前面还有1位来电者" in said
    assert "预计等待约20分钟" in said      # 2nd place, 1 counselor, 10 min default handling
    assert "请按1" in said


def test_expected_wait_uses_line_history_and_staffing(voice):
    first, second = _queue_two(voice)
    voice.staff("chengdu-gaoxin", counselor_id=2)
    voice.services.redis.hset(voice.services.keys.line_stats("chengdu-gaoxin"), "handle_s", 240)
    assert "预计等待约4分钟" in _wait(voice, second).said()


def test_wait_loop_pauses_for_the_announce_interval(voice):
    first, _ = _queue_two(voice)
    twiml = _wait(voice, first)
    assert twiml.verbs() == ["Gather", "Pause"]
    assert int(twiml.attr("Pause", "length")) == voice.services.settings.queue_announce_every_s - 12


def test_breathing_exercise_alternates_with_announcements(voice):
    first, _ = _queue_two(voice)
    rounds = [_wait(voice, first).said() for _ in range(2)]
    assert ["呼吸" in said for said in rounds] == [False, True]


def test_rollover_after_maximum_wait_keeps_arrival_and_moves_on(voice):
    first, second = _queue_two(voice)
    voice.at(local(2026, 11, 23, 10, 1, 31))   # 91 s later: past the 90 s maximum
    assert _wait(voice, first).verbs() == ["Leave"]
    voice.staff("chengdu", counselor_id=5)
    result = voice.post("/voice/queue-result?line=chengdu-gaoxin",
                        call_params(first, GAOXIN, CALLER, QueueResult="leave", QueueTime=91))
    assert result.find("Enqueue").text == "chengdu"
    assert "都在通话中" in result.said()
    assert voice.services.queues.waiting("chengdu-gaoxin") == [second]
    assert voice.services.queues.position(first).arrived_at == local(2026, 11, 23, 10, 0)
    voice.flush()
    with voice.services.db.session() as session:
        assert find(session, first).rollovers == 1


def test_rollover_never_returns_to_the_line_it_left(voice):
    first, _ = _queue_two(voice)
    voice.at(local(2026, 11, 23, 10, 2))
    _wait(voice, first)
    result = voice.post("/voice/queue-result?line=chengdu-gaoxin",
                        call_params(first, GAOXIN, CALLER, QueueResult="leave", QueueTime=120))
    assert result.find("Enqueue") is None           # nobody else staffed: an external line
    assert result.find("Dial/Number").text == DEYANG


def test_press_one_leaves_a_voicemail(voice):
    first, _ = _queue_two(voice)
    left = voice.post("/voice/wait-key?line=chengdu-gaoxin", call_params(first, GAOXIN, CALLER, Digits="1"))
    assert left.verbs() == ["Leave"]
    record = voice.post("/voice/queue-result?line=chengdu-gaoxin",
                        call_params(first, GAOXIN, CALLER, QueueResult="leave", QueueTime=30))
    assert record.find("Record") is not None
    assert query_param(record.attr("Record", "action"), "line") == "chengdu-gaoxin"
    done = voice.post("/voice/voicemail?line=chengdu-gaoxin",
                      call_params(first, GAOXIN, CALLER, RecordingUrl="https://api.twilio.com/rec/RE1",
                                  RecordingDuration="12", RecordingSid="RE1"))
    assert done.verbs() == ["Say", "Hangup"]
    voice.flush()
    with voice.services.db.engine.connect() as conn:
        row = conn.exec_driver_sql("select call_sid, recording_url, caller_key from callback_requests "
                                   f"where call_sid = '{first}'").one()
    assert row[0] == first and row[1].endswith("RE1") and CALLER not in row[2]


def test_other_keys_keep_the_caller_waiting(voice):
    first, _ = _queue_two(voice)
    twiml = voice.post("/voice/wait-key?line=chengdu-gaoxin", call_params(first, GAOXIN, CALLER, Digits="5"))
    assert twiml.verbs() == []
    assert voice.services.queues.position(first).position == 1


def test_hangup_while_waiting_is_abandoned_with_wait_time(voice):
    first, second = _queue_two(voice)
    voice.at(local(2026, 11, 23, 10, 0, 40))
    voice.post("/voice/queue-result?line=chengdu-gaoxin",
               call_params(first, GAOXIN, CALLER, QueueResult="hangup", QueueTime=40))
    assert voice.services.queues.waiting("chengdu-gaoxin") == [second]
    voice.flush()
    with voice.services.db.session() as session:
        call = find(session, first)
        assert (call.status, call.outcome, call.wait_seconds) == ("abandoned", "abandoned", 40.0)


def test_wait_rebuilds_a_lost_queue_entry(voice):
    """Redis lost our queue (restart): the next wait request puts the caller back."""
    first, _ = _queue_two(voice)
    voice.services.queues.forget(first)
    twiml = _wait(voice, first, QueueTime=25)
    assert "您是下一位" in twiml.said()   # Twilio says it waited longest: it keeps the front
    waiting = voice.services.queues.position(first)
    assert waiting.arrived_at == local(2026, 11, 23, 10, 0) - timedelta(seconds=25)
