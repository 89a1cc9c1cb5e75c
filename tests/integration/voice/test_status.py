"""Status callbacks: idempotent by CallSid and event, tolerant of disorder."""
from hotline.store.calls import find
from tests.integration.voice.conftest import CALLER, GAOXIN, local
from tests.twilio_fake import call_params, new_call_sid


def _events(voice, sid):
    with voice.services.db.session() as session:
        call = find(session, sid)
        return call, [(e.kind, e.dedup_key) for e in call.events]


def test_retried_status_callback_changes_nothing(voice):
    voice.staff("chengdu-gaoxin")
    sid = new_call_sid()
    voice.post("/voice/incoming", call_params(sid, GAOXIN, CALLER))
    params = call_params(sid, GAOXIN, CALLER, status="completed", CallDuration="65", SequenceNumber="3")
    voice.at(local(2026, 11, 23, 10, 5))
    voice.post("/voice/status", params)
    voice.flush()
    first_call, first_events = _events(voice, sid)
    voice.at(local(2026, 11, 23, 10, 9))      # Twilio retries four minutes later
    voice.post("/voice/status", params)
    voice.flush()
    call, events = _events(voice, sid)
    assert events == first_events
    assert call.ended_at == first_call.ended_at == local(2026, 11, 23, 10, 5)
    assert [k for k, _ in events].count("status:completed") == 1


def test_hangup_reported_only_by_status_callback_abandons_the_queued_call(voice):
    voice.staff("chengdu-gaoxin")
    sid = new_call_sid()
    voice.post("/voice/incoming", call_params(sid, GAOXIN, CALLER))
    voice.at(local(2026, 11, 23, 10, 0, 50))
    voice.post("/voice/status", call_params(sid, GAOXIN, CALLER, status="completed", CallDuration="50"))
    voice.flush()
    call, _ = _events(voice, sid)
    assert call.outcome == "abandoned"
    assert call.wait_seconds == 50.0
    assert voice.services.queues.length("chengdu-gaoxin") == 0


def test_out_of_order_callbacks_never_move_status_back(voice):
    voice.staff("chengdu-gaoxin")
    sid = new_call_sid()
    voice.post("/voice/status", call_params(sid, GAOXIN, CALLER, status="completed", CallDuration="5"))
    voice.post("/voice/incoming", call_params(sid, GAOXIN, CALLER))   # delivered late
    voice.post("/voice/status", call_params(sid, GAOXIN, CALLER, status="in-progress"))
    voice.flush()
    call, events = _events(voice, sid)
    assert call.status == "ended"
    assert call.dialled_number == GAOXIN
    assert {k for k, _ in events} >= {"status:completed", "received", "status:in-progress"}
