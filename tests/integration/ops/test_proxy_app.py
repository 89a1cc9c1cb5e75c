"""ProxyFix on the real app: forwarded headers honoured only when configured, and
Twilio's signature check unaffected either way (it signs HOTLINE_PUBLIC_URL + path)."""
from __future__ import annotations

import pytest
from flask import jsonify, request

from hotline.web.proxy import init_app
from tests.twilio_fake import TwilioClient, call_params, new_call_sid

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hotline.example.org",
             "X-Forwarded-For": "203.0.113.9"}


def _probe(app, monkeypatch):
    """A public test route that shows what the app believes about the request."""
    from hotline.web import access

    monkeypatch.setattr(access, "PUBLIC_PATHS", access.PUBLIC_PATHS | {"/_whoami"})
    app.add_url_rule("/_whoami", "whoami", lambda: jsonify(scheme=request.scheme, addr=request.remote_addr))
    return app.test_client()


@pytest.mark.parametrize("configured,scheme,addr", [("0", "http", "127.0.0.1"), ("1", "https", "203.0.113.9")])
def test_forwarded_proto_only_when_configured(app, monkeypatch, configured, scheme, addr):
    init_app(app, {"HOTLINE_TRUSTED_PROXIES": configured})
    seen = _probe(app, monkeypatch).get("/_whoami", headers=FORWARDED).get_json()
    assert (seen["scheme"], seen["addr"]) == (scheme, addr)


def test_signed_webhooks_still_pass_behind_the_proxy(app):
    init_app(app, {"HOTLINE_TRUSTED_PROXIES": "1"})
    settings = app.extensions["hotline"].adapters.settings
    twilio = TwilioClient(app.test_client(), settings.twilio_auth_token, settings.public_url)
    params = call_params(new_call_sid(), "+862885337950", "+8613551585969")
    headers = {"X-Twilio-Signature": twilio_signature(settings, "/voice/incoming", params), **FORWARDED}
    assert app.test_client().post("/voice/incoming", data=params, headers=headers).status_code == 200
    assert twilio.post("/voice/incoming", params, signature="forged").status_code == 403


def twilio_signature(settings, path, params):
    from tests.twilio_fake import sign

    return sign(settings.twilio_auth_token, settings.public_url, path, params)
