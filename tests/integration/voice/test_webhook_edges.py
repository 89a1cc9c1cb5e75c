"""Webhook edges: a repeated parameter is checked as Twilio signed it, and a body over the
size limit still gets a valid TwiML route (the fail-safe), never an HTML 413."""
from __future__ import annotations

from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from tests.integration.voice.conftest import CALLER, GAOXIN, parse
from tests.twilio_fake import call_params, new_call_sid


def signed_multi(voice, path: str, pairs: list[tuple[str, str]]) -> str:
    """What Twilio computes: every value of every parameter (the validator's multi-dict path)."""
    settings = voice.services.settings
    return RequestValidator(settings.twilio_auth_token).compute_signature(settings.public_url + path,
                                                                          MultiDict(pairs))


def test_a_repeated_parameter_signed_by_twilio_is_accepted(voice):
    voice.staff("chengdu-gaoxin")
    pairs = [*call_params(new_call_sid(), GAOXIN, CALLER).items(), ("StirVerstat", "TN-Validation-Passed-A"),
             ("StirVerstat", "TN-Validation-Passed-B")]
    signature = signed_multi(voice, "/voice/incoming", pairs)
    response = voice.twilio.client.post("/voice/incoming", data=MultiDict(pairs), headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200, response.data
    assert parse(response.data).find("Enqueue") is not None


def test_a_value_added_to_a_repeated_parameter_is_refused(voice):
    pairs = [*call_params(new_call_sid(), GAOXIN, CALLER).items(), ("StirVerstat", "A")]
    signature = signed_multi(voice, "/voice/incoming", pairs)
    smuggled = MultiDict([*pairs, ("StirVerstat", "B")])             # one more value than was signed
    response = voice.twilio.client.post("/voice/incoming", data=smuggled, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_an_oversized_body_gets_the_failsafe_twiml(voice):
    params = call_params(new_call_sid(), GAOXIN, CALLER, Padding="x" * (300 * 1024))
    response = voice.twilio.post("/voice/incoming", params)
    assert response.status_code == 200 and response.mimetype == "application/xml", response.data[:200]
    assert parse(response.data).find("Dial/Number") is not None or b"<Say" in response.data


def test_an_oversized_wait_round_leaves_the_queue(voice):
    params = call_params(new_call_sid(), GAOXIN, CALLER, Padding="x" * (300 * 1024))
    response = voice.twilio.post("/voice/wait?line=chengdu-gaoxin", params)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert parse(response.data).verbs() == ["Leave"]
