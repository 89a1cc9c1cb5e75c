"""Fuzzing: thousands of odd requests to the webhooks and the JSON API, never a 500.

Signed webhooks with malformed fields must still answer valid TwiML (a caller never
hears an application error); unsigned ones get 403; the JSON API answers 4xx with a
clear message for anything it cannot use.
"""
from __future__ import annotations

import os
from xml.etree import ElementTree

from hypothesis import HealthCheck, example, given, settings, strategies as st

from tests.integration.voice.conftest import GAOXIN, local
from tests.twilio_fake import ACCOUNT_SID, sign

EXAMPLES = int(os.environ.get("HOTLINE_FUZZ_EXAMPLES", "2500"))
PATHS = ["/voice/incoming", "/voice/status", "/voice/menu", "/voice/wait", "/voice/wait-key",
         "/voice/queue-result", "/voice/dial-result", "/voice/voicemail", "/voice/transfer",
         "/voice/bridge", "/voice/bridge-result"]
FIELDS = ["CallSid", "AccountSid", "From", "To", "Caller", "Called", "CallStatus", "Digits", "QueueResult",
          "QueueTime", "QueueSid", "DialCallStatus", "RecordingUrl", "RecordingDuration", "CallDuration",
          "SequenceNumber", "Direction"]
odd_text = st.one_of(st.text(max_size=80), st.sampled_from(["", "0", "-1", "1e309", "NaN", "+86", GAOXIN,
                                                           "anonymous", "client:counselor-1", "CA" + "0" * 32,
                                                           "completed", "leave", "hangup", "\x00", "１２３"]))
queries = st.one_of(st.just(""), st.builds(lambda v: "?line=" + v, st.sampled_from(
    ["chengdu", "sichuan", "deyang", "nope", "", "%00", "chengdu&line=x"])),
    st.builds(lambda v: "?counselor=" + v, st.sampled_from(["1", "x", "-5", "99999999999999999999"])))
forms = st.dictionaries(st.sampled_from(FIELDS), odd_text, max_size=len(FIELDS))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def test_signed_webhooks_with_odd_fields_always_answer_twiml(app):
    services = app.extensions["hotline"].adapters
    services.settings = services.settings.with_(clock=__import__("hotline.clock", fromlist=["Clock"]).Clock(
        frozen=local(2026, 11, 23, 10, 0)))
    client = app.test_client()
    token, public = services.settings.twilio_auth_token, services.settings.public_url

    @FUZZ
    @given(path=st.sampled_from(PATHS), query=queries, form=forms)
    @example(path="/voice/bridge", query="?counselor=1", form={"CallSid": "\x08"})   # found by CI: raw in TwiML
    @example(path="/voice/incoming", query="", form={"CallSid": "CA1", "From": "\x01", "To": "\x0b"})
    def check(path, query, form):
        form = {"AccountSid": ACCOUNT_SID, **form}
        response = client.post(path + query, data=form,
                               headers={"X-Twilio-Signature": sign(token, public, path + query, form)})
        assert response.status_code == 200, (path, query, form, response.data[:300])
        assert ElementTree.fromstring(response.data).tag == "Response"

    check()


def test_unsigned_garbage_is_refused_never_crashes(app):
    client = app.test_client()

    @settings(max_examples=max(EXAMPLES // 3, 100), deadline=None, suppress_health_check=list(HealthCheck))
    @given(path=st.sampled_from(PATHS), body=st.binary(max_size=600),
           content_type=st.sampled_from(["application/x-www-form-urlencoded", "text/plain",
                                         "application/json", "multipart/form-data; boundary=x"]))
    def check(path, body, content_type):
        response = client.post(path, data=body, headers={"Content-Type": content_type,
                                                         "X-Twilio-Signature": "forged"})
        assert response.status_code in (400, 403), response.status_code

    check()


def test_console_api_fuzz_answers_4xx_not_500(app, client, make_user, login):
    make_user("fuzzer", "counselor", lines=("chengdu",))
    assert login(client, "fuzzer").status_code == 302
    token = _meta_token(client.get("/console").data)
    endpoints = ["/api/console/presence", "/api/console/offers/CA1/accept", "/api/console/offers/x/decline",
                 "/api/console/calls/CA1/hangup", "/api/console/calls/CA1/transfer", "/api/console/calls/CA1/notes",
                 "/api/console/wrap-up/extend", "/api/console/ready"]
    json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                                         st.text(max_size=40)),
                               lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10),
                                                                                          inner, max_size=4),
                               max_leaves=8)
    bodies = st.one_of(json_values, st.fixed_dictionaries({}, optional={
        "state": st.sampled_from(["available", "break", "offline", "on_call", "", None, 5]),
        "line": st.sampled_from(["chengdu", "atlantis", "", None]), "text": st.text(max_size=300),
        "seconds": st.one_of(st.integers(-10**9, 10**9), st.text(max_size=5))}))

    @settings(max_examples=max(EXAMPLES // 2, 100), deadline=None, suppress_health_check=list(HealthCheck))
    @given(endpoint=st.sampled_from(endpoints), body=bodies, raw=st.booleans())
    def check(endpoint, body, raw):
        import json

        data = json.dumps(body) if not raw else str(body).encode("utf-8", "surrogatepass")[:500]
        response = client.post(endpoint, data=data, content_type="application/json",
                               headers={"X-CSRFToken": token})
        assert response.status_code < 500, (endpoint, body, response.data[:300])
        assert response.is_json

    check()


def _meta_token(html: bytes) -> str:
    from tests.conftest import token_in

    return token_in(html)
