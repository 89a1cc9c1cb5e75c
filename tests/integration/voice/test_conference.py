"""Calls as conferences through signed webhooks, real Redis and the record (SQLite and
PostgreSQL); the Participants API requests as the twilio client sends them (its HTTP layer
is the simulator's Redis bridge here, so each request is read back exactly)."""
from __future__ import annotations

import json
import random
from urllib.parse import parse_qs, urlparse

import pytest

from hotline.store.calls import find
from tests.integration.voice.conftest import CALLER, GAOXIN, Voice, app_on, monday_morning
from tests.twilio_fake import ACCOUNT_SID, call_params, new_call_sid

CONF = "CF" + "7" * 32
COUNSELOR_LEG = "CA" + "3" * 32


@pytest.fixture
def app(both_backends_settings, migrate):
    with app_on(both_backends_settings.with_(conference_calls=True), migrate) as application:
        yield application


@pytest.fixture
def voice(app) -> Voice:
    return monday_morning(app)


def rest_requests(voice) -> list[dict]:
    services = voice.services
    return [json.loads(raw) for raw in services.redis.lrange(services.keys.sim_rest(), 0, -1)]


def conference_form(call_sid, event, seq, label="", participant="", **extra):
    form = {"AccountSid": ACCOUNT_SID, "ConferenceSid": CONF, "FriendlyName": f"call-{call_sid}",
            "StatusCallbackEvent": event, "SequenceNumber": str(seq),
            "Timestamp": f"Mon, 23 Nov 2026 02:{seq:02d}:00 +0000"}
    if label:
        form.update(CallSid=participant, ParticipantLabel=label, Muted="false", Hold="false", Coaching="false",
                    EndConferenceOnExit="false", StartConferenceOnEnter="true")
    form.update(extra)
    return form


def answered_call(voice) -> str:
    """A caller queued on Gaoxin and accepted by counselor 7 (as the console leaves it)."""
    voice.staff("chengdu-gaoxin")
    sid = new_call_sid()
    voice.post("/voice/incoming", call_params(sid, GAOXIN, CALLER))
    voice.services.queues.annotate(sid, counselor="7", status="on_call")
    return sid


def joined(voice, sid):
    for form in (conference_form(sid, "conference-start", 1),
                 conference_form(sid, "participant-join", 2, "caller", sid),
                 conference_form(sid, "participant-join", 3, "counselor-7", COUNSELOR_LEG)):
        assert voice.twilio.post("/voice/conference-status", form).status_code == 200


def test_accept_dials_the_counselor_into_the_conference_and_the_caller_joins_it(voice):
    sid = answered_call(voice)
    voice.services.telephony.bridge(sid, "QU" + "1" * 32, 7)
    create, move = rest_requests(voice)
    assert create["method"] == "POST"
    assert create["url"].endswith(f"/Conferences/call-{sid}/Participants.json")
    assert create["data"]["To"] == "client:counselor-7" and create["data"]["Label"] == "counselor-7"
    assert create["data"]["EndConferenceOnExit"] == "false"
    assert move["url"].endswith(f"/Members/{sid}.json")
    twiml = voice.post(f"/voice/bridge?counselor=7&call={sid}", call_params(sid, GAOXIN, CALLER, "in-progress"))
    assert twiml.find("Dial/Conference").text == f"call-{sid}"
    assert twiml.attr("Dial/Conference", "participantLabel") == "caller"


def test_conference_callbacks_must_be_signed(voice):
    sid = answered_call(voice)
    response = voice.twilio.post("/voice/conference-status", conference_form(sid, "conference-start", 1),
                                 signature="bad")
    assert response.status_code == 403
    assert voice.twilio.post("/voice/conference-status",
                             conference_form("nope", "conference-start", 1, FriendlyName="room")).status_code == 400


def test_duplicated_and_shuffled_callbacks_end_with_one_correct_record(voice):
    sid = answered_call(voice)
    stream = [conference_form(sid, "conference-start", 1),
              conference_form(sid, "participant-join", 2, "caller", sid),
              conference_form(sid, "participant-join", 3, "counselor-7", COUNSELOR_LEG),
              conference_form(sid, "participant-hold", 4, "caller", sid, Hold="true"),
              conference_form(sid, "participant-unhold", 5, "caller", sid),
              conference_form(sid, "participant-leave", 6, "caller", sid),
              conference_form(sid, "participant-leave", 7, "counselor-7", COUNSELOR_LEG),
              conference_form(sid, "conference-end", 8, ReasonConferenceEnded="last-participant-left")]
    mixed = stream + random.Random(7).sample(stream, 4)
    random.Random(16).shuffle(mixed)
    for form in mixed:
        assert voice.twilio.post("/voice/conference-status", form).status_code == 200
    voice.flush()
    with voice.services.db.session() as session:
        call = find(session, sid)
        kinds = [e.kind for e in call.events]
        summaries = sorted((e for e in call.events if e.kind == "conference_summary"),
                           key=lambda e: int(e.dedup_key.rsplit(":", 1)[1]))
        assert kinds.count("conference") == len(stream)
        final = summaries[-1].detail
    assert {p["label"]: p["state"] for p in final["parties"]} == {"caller": "left", "counselor-7": "left"}
    assert final["ended_at"] is not None
    state = voice.app.extensions["hotline"].calls_conference.state(sid)
    assert state["parties"] == final["parties"]


def test_hold_then_a_third_party_that_does_not_answer_never_drops_the_caller(voice):
    sid = answered_call(voice)
    joined(voice, sid)
    actions = voice.app.extensions["hotline"].conference_actions
    actions.bring_in(sid, 7, "120", private=True)
    hold, dial = rest_requests(voice)
    assert hold["url"].endswith(f"/Conferences/{CONF}/Participants/{sid}.json")
    assert hold["data"] == {"Hold": "true", "HoldUrl": voice.services.settings.public_url + "/voice/conference-hold",
                            "HoldMethod": "POST"}
    assert dial["url"].endswith(f"/Conferences/call-{sid}/Participants.json") and dial["data"]["To"] == "120"
    party_path = urlparse(dial["data"]["StatusCallback"])
    assert parse_qs(party_path.query)["label"] == ["third-120"]
    path = f"{party_path.path}?{party_path.query}"
    leg = call_params("CA" + "8" * 32, "120", GAOXIN, "no-answer")
    assert voice.twilio.post(path, leg).status_code == 200
    unhold = rest_requests(voice)[-1]
    assert unhold["url"].endswith(f"/Participants/{sid}.json") and unhold["data"] == {"Hold": "false"}
    assert not any(r["method"] == "DELETE" or r["data"].get("Status") == "completed" for r in rest_requests(voice))
    voice.flush()
    with voice.services.db.session() as session:
        details = [e.detail for e in find(session, sid).events if e.kind in ("third_party", "third_party_outcome")]
    assert details[0]["target"] == "120" and details[0]["by"] == 7
    assert details[1] == {"label": "third-120", "target": "120", "outcome": "no-answer"}


def test_the_hold_audio_is_valid_twiml(voice):
    twiml = voice.post("/voice/conference-hold", call_params(new_call_sid(), GAOXIN, CALLER, "in-progress"))
    assert "Say" in twiml.verbs() and "咨询师马上回来" in twiml.said()
