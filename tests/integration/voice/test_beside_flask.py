"""The webhooks are answered beside Flask (web/voice.py, issue #18): the request as a WSGI server
hands it over — chunked, multipart, percent-encoded Chinese, any method — still gets what the
Flask views gave, and nothing of the browser surfaces (session cookie) rides along."""
from __future__ import annotations

import io
from urllib.parse import urlencode

from werkzeug.test import EnvironBuilder

from tests.integration.voice.conftest import CALLER, GAOXIN, parse
from tests.twilio_fake import call_params, new_call_sid, sign


def _environ(voice, path: str, body: bytes, **overrides) -> dict:
    environ = EnvironBuilder(path=path, method="POST").get_environ()
    environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_TYPE": "application/x-www-form-urlencoded"})
    environ.update(overrides)
    return environ


def _call(app, environ: dict) -> tuple[str, dict, bytes]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def _signed(voice, path: str, params: dict) -> str:
    settings = voice.services.settings
    return sign(settings.twilio_auth_token, settings.public_url, path, params)


def test_a_chunked_body_without_a_length_is_read_and_routed(voice):
    voice.staff("chengdu-gaoxin")
    params = call_params(new_call_sid(), GAOXIN, CALLER)
    environ = _environ(voice, "/voice/incoming", urlencode(params).encode(), **{
        "wsgi.input_terminated": True, "HTTP_X_TWILIO_SIGNATURE": _signed(voice, "/voice/incoming", params)})
    environ.pop("CONTENT_LENGTH", None)
    status, headers, body = _call(voice.app, environ)
    assert status.startswith("200") and headers["Content-Type"] == "application/xml; charset=utf-8"
    assert parse(body).find("Enqueue") is not None
    assert int(headers["Content-Length"]) == len(body)


def test_a_chunked_body_over_the_limit_gets_the_failsafe(voice):
    params = call_params(new_call_sid(), GAOXIN, CALLER, Padding="x" * (300 * 1024))
    environ = _environ(voice, "/voice/incoming", urlencode(params).encode(), **{"wsgi.input_terminated": True})
    environ.pop("CONTENT_LENGTH", None)
    status, _headers, body = _call(voice.app, environ)
    assert status.startswith("200")
    assert parse(body).find("Dial/Number") is not None or b"<Say" in body


def test_percent_encoded_chinese_is_signed_and_read_as_twilio_sent_it(voice):
    voice.staff("chengdu-gaoxin")
    params = call_params(new_call_sid(), GAOXIN, CALLER, CallerName="张三", FromCity="成都")
    response = voice.twilio.post("/voice/incoming", params)
    assert response.status_code == 200 and parse(response.data).find("Enqueue") is not None


def test_a_multipart_body_is_still_read_through_werkzeug(voice):
    voice.staff("chengdu-gaoxin")
    params = call_params(new_call_sid(), GAOXIN, CALLER)
    response = voice.twilio.client.post("/voice/incoming", data=params, content_type="multipart/form-data",
                                        headers={"X-Twilio-Signature": _signed(voice, "/voice/incoming", params)})
    assert response.status_code == 200 and parse(response.data).find("Enqueue") is not None


def test_a_webhook_path_answers_only_post(voice):
    for method in ("get", "put", "delete"):
        response = getattr(voice.twilio.client, method)("/voice/incoming")
        assert response.status_code == 405 and response.headers["Allow"] == "POST"


def test_a_bad_signature_is_refused_without_reading_on(voice):
    params = call_params(new_call_sid(), GAOXIN, CALLER)
    response = voice.twilio.post("/voice/wait?line=chengdu-gaoxin", params, signature="forged")
    assert response.status_code == 403 and b"X-Twilio-Signature" in response.data


def test_webhook_answers_set_no_session_cookie_and_say_no_sniffing(voice):
    voice.staff("chengdu-gaoxin")
    _sid, response = voice.twilio.call(GAOXIN, CALLER)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_query_is_signed_and_read_with_the_line(voice):
    """/voice/menu?line=… : the line comes from the query Twilio signed; changing it breaks the signature."""
    params = call_params(new_call_sid(), "+862812320", CALLER, Digits="1")
    good = voice.twilio.post("/voice/menu?line=sichuan", params)
    assert good.status_code == 200
    forged = voice.twilio.client.post("/voice/menu?line=chengdu", data=params,
                                      headers={"X-Twilio-Signature": _signed(voice, "/voice/menu?line=sichuan",
                                                                             params)})
    assert forged.status_code == 403


def test_other_voice_paths_still_reach_flask(voice):
    """The conference webhooks stay Flask views with the same signature check; unknown paths are 404."""
    params = {"ConferenceSid": "CF" + "0" * 32, "StatusCallbackEvent": "conference-start"}
    assert voice.twilio.post("/voice/conference-status", params, signature="forged").status_code == 403
    assert voice.twilio.post("/voice/nowhere", params).status_code == 404
    assert voice.twilio.client.get("/healthz").status_code == 200
