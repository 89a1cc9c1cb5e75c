"""JSON logs of real /voice/ requests: the call id is there, the caller's number is not."""
from __future__ import annotations

import io
import json
import logging

import pytest

from hotline.logging_setup import make_handler
from tests.twilio_fake import TwilioClient, call_params, new_call_sid

CALLER = "+8613551585969"
GAOXIN = "+862885337950"


@pytest.fixture
def json_log():
    """Every record reaching the root logger, as the JSON lines a deployment would write."""
    stream = io.StringIO()
    handler = make_handler("json", stream=stream)
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.fixture
def twilio(app):
    settings = app.extensions["hotline"].adapters.settings
    return TwilioClient(app.test_client(), settings.twilio_auth_token, settings.public_url)


class _Exploding:
    """Stands in for the call routing use case: fails the way a bug would, naming the caller."""

    def incoming(self, call):
        raise RuntimeError(f"cannot route {call.caller}")


def test_a_failed_signed_webhook_logs_json_with_the_call_sid(app, twilio, json_log, monkeypatch):
    monkeypatch.setattr(app.extensions["hotline"], "calls_routing", _Exploding())
    sid = new_call_sid()
    response = twilio.post("/voice/incoming", call_params(sid, GAOXIN, CALLER))
    assert response.status_code == 200 and b"<Dial" in response.data      # the fail-safe transfer
    lines = json_log()
    failure = [line for line in lines if line["logger"] == "hotline.web.voice"]
    assert failure and failure[0]["call_sid"] == sid and failure[0]["level"] == "ERROR"
    assert "RuntimeError" in failure[0]["exc"]
    assert "13551585969" not in json.dumps(lines, ensure_ascii=False)
    assert "[REDACTED-PHONE]" in failure[0]["exc"]


def test_a_rejected_signature_is_logged_with_the_call_sid(app, twilio, json_log):
    sid = new_call_sid()
    assert twilio.post("/voice/incoming", call_params(sid, GAOXIN, CALLER), signature="forged").status_code == 403
    rejected = [line for line in json_log() if line["logger"] == "hotline.web.voice"]
    assert rejected[0]["level"] == "WARNING" and rejected[0]["call_sid"] == sid


def test_other_requests_carry_no_call_sid(app, json_log):
    with app.test_request_context("/console", method="POST", data={"CallSid": new_call_sid()}):
        logging.getLogger("hotline.test").warning("from the console, caller %s", CALLER)
    (line,) = [line for line in json_log() if line["logger"] == "hotline.test"]
    assert "call_sid" not in line and line["message"] == "from the console, caller [REDACTED-PHONE]"
