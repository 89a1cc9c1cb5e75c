"""The conference adapter: callbacks parsed as Twilio sends them, the caller's TwiML, and the
exact Participants API requests the twilio client makes (its HTTP layer replaced)."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlparse
from xml.etree import ElementTree

import pytest
from twilio.http.http_client import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from hotline.telephony.conference import CallbackError, TwilioConferences, conference_event, join_conference

ACCOUNT = "AC" + "a" * 32
CALL = "CA" + "1" * 32
CONF = "CF" + "2" * 32
BASE = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Conferences"


class RecordingHttp(HttpClient):
    """Keeps each request; answers like Twilio's Participants resource."""

    def __init__(self) -> None:
        super().__init__(logger=logging.getLogger(__name__), is_async=False)
        self.requests: list[tuple[str, str, dict]] = []

    def request(self, method, url, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        self.requests.append((method, url, dict(data or {})))
        if method == "DELETE":
            return Response(204, "")
        return Response(201 if method == "POST" and url.endswith("Participants.json") else 200, json.dumps({
            "account_sid": ACCOUNT, "call_sid": "CA" + "9" * 32, "conference_sid": CONF, "label": "x",
            "muted": False, "hold": False, "coaching": False, "status": "queued"}))


@pytest.fixture
def rest():
    http = RecordingHttp()
    return TwilioConferences(Client(ACCOUNT, "token", http_client=http), lambda p: "https://h.example" + p), http


def form(**extra):
    base = {"AccountSid": ACCOUNT, "ConferenceSid": CONF, "FriendlyName": f"call-{CALL}",
            "StatusCallbackEvent": "participant-join", "SequenceNumber": "3",
            "Timestamp": "Wed, 02 Dec 2026 05:30:00 +0000", "CallSid": "CA" + "3" * 32,
            "ParticipantLabel": "counselor-7", "Muted": "false", "Hold": "false", "Coaching": "false",
            "EndConferenceOnExit": "false", "StartConferenceOnEnter": "true"}
    base.update(extra)
    return base


def test_a_participant_callback_is_read_field_by_field():
    event = conference_event(form())
    assert (event.call_sid, event.event, event.sequence, event.label) == (CALL, "participant-join", 3, "counselor-7")
    assert event.at == datetime(2026, 12, 2, 5, 30, tzinfo=timezone.utc)
    assert (event.muted, event.hold, event.coaching) == (False, False, False)
    ended = conference_event(form(StatusCallbackEvent="conference-end", CallSid="", ParticipantLabel="",
                                  ReasonConferenceEnded="last-participant-left", SequenceNumber="9"))
    assert ended.reason == "last-participant-left" and ended.participant == ""


@pytest.mark.parametrize("field,value,named", [("FriendlyName", "my-room", "FriendlyName"),
                                               ("StatusCallbackEvent", "participant-dance", "StatusCallbackEvent"),
                                               ("SequenceNumber", "x", "SequenceNumber"),
                                               ("Timestamp", "yesterday", "Timestamp")])
def test_a_bad_callback_names_its_field(field, value, named):
    with pytest.raises(CallbackError, match=named):
        conference_event(form(**{field: value}))


def test_the_caller_joins_the_conference_named_for_the_call_and_never_ends_it():
    root = ElementTree.fromstring(str(join_conference(CALL)))
    conference = root.find("Dial/Conference")
    assert conference.text == f"call-{CALL}"
    assert conference.get("participantLabel") == "caller"
    assert conference.get("endConferenceOnExit") == "false" and conference.get("startConferenceOnEnter") == "true"
    assert conference.get("statusCallback") == "/voice/conference-status"
    assert conference.get("statusCallbackEvent") == "start end join leave hold mute modify"
    assert root.find("Dial").get("action") == f"/voice/bridge-result?call={CALL}"


def test_adding_a_party_posts_to_the_participants_of_the_named_conference(rest):
    control, http = rest
    assert control.add_party(CALL, "third-120", "120", from_="+862887577510") == "CA" + "9" * 32
    method, url, data = http.requests[0]
    assert method == "POST" and url == f"{BASE}/call-{CALL}/Participants.json"
    assert data["From"] == "+862887577510" and data["To"] == "120" and data["Label"] == "third-120"
    assert data["EndConferenceOnExit"] == "false" and data["StartConferenceOnEnter"] == "true"
    assert data["Muted"] == "false" and "Coaching" not in data
    callback = urlparse(data["StatusCallback"])
    assert callback.path == "/voice/conference-party"
    assert parse_qs(callback.query) == {"call": [CALL], "label": ["third-120"]}
    assert data["ConferenceStatusCallback"] == "https://h.example/voice/conference-status"


def test_a_coach_joins_with_coaching_and_the_counselor_leg(rest):
    control, http = rest
    control.add_party(CALL, "supervisor-3", "client:supervisor-3", from_="hotline", coaching_sid="CA" + "3" * 32)
    data = http.requests[0][2]
    assert data["Coaching"] == "true" and data["CallSidToCoach"] == "CA" + "3" * 32
    assert data["To"] == "client:supervisor-3"


def test_hold_mute_and_coaching_updates_and_removal(rest):
    control, http = rest
    control.update_party(CONF, CALL, hold=True, hold_url="https://h.example/voice/conference-hold",
                         hold_method="POST")
    control.update_party(CONF, "CA5", muted=False, coaching=True, call_sid_to_coach="CA3")
    control.remove_party(CONF, "CA5")
    assert http.requests[0] == ("POST", f"{BASE}/{CONF}/Participants/{CALL}.json",
                                {"Hold": "true", "HoldUrl": "https://h.example/voice/conference-hold",
                                 "HoldMethod": "POST"})
    assert http.requests[1] == ("POST", f"{BASE}/{CONF}/Participants/CA5.json",
                                {"Muted": "false", "Coaching": "true", "CallSidToCoach": "CA3"})
    assert http.requests[2][:2] == ("DELETE", f"{BASE}/{CONF}/Participants/CA5.json")
