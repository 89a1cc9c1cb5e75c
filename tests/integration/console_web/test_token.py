"""GET /console/token: a Twilio Access Token for the browser softphone, or 404 in simulator mode."""
from __future__ import annotations

import jwt
import pytest

ACCOUNT = "AC" + "1" * 32


@pytest.fixture
def live(app):
    services = app.extensions["hotline"].adapters
    services.settings = services.settings.with_(twilio_account_sid=ACCOUNT, twilio_api_key_sid="SK" + "2" * 32,
                                                twilio_api_key_secret="api-key-secret-0123456789abcdef0123456789")
    return services


def test_simulator_mode_has_no_token(desk):
    response = desk("li").get("/console/token")
    assert response.status_code == 404
    assert response.get_json() == {"error": "simulator mode"}


def test_token_lets_this_counselor_receive_calls_for_an_hour(live, desk):
    li = desk("li")
    response = li.get("/console/token")
    assert response.status_code == 200
    body = response.get_json()
    assert body["identity"] == f"counselor-{li.id}" and body["ttl"] == 3600
    claims = jwt.decode(body["token"], "api-key-secret-0123456789abcdef0123456789", algorithms=["HS256"])
    assert claims["iss"] == "SK" + "2" * 32 and claims["sub"] == ACCOUNT
    assert claims["exp"] - claims["nbf"] == 3600
    assert claims["grants"]["identity"] == f"counselor-{li.id}"
    assert claims["grants"]["voice"]["incoming"] == {"allow": True}
    assert "outgoing" not in claims["grants"]["voice"]


def test_missing_api_key_is_a_clear_503(live, desk):
    live.settings = live.settings.with_(twilio_api_key_secret=None)
    response = desk("li").get("/console/token")
    assert response.status_code == 503
    assert "TWILIO_API_KEY" in response.get_json()["message"]


def test_the_api_key_is_read_from_the_environment(tmp_path):
    from hotline.settings import from_env

    settings = from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path), "TWILIO_API_KEY_SID": "SK" + "2" * 32,
                         "TWILIO_API_KEY_SECRET": "secret"})
    assert (settings.twilio_api_key_sid, settings.twilio_api_key_secret) == ("SK" + "2" * 32, "secret")
    assert from_env({"HOTLINE_INSTANCE_DIR": str(tmp_path)}).twilio_api_key_sid is None
