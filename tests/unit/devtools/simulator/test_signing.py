"""Signatures exactly as Twilio computes them, checked with Twilio's own validator."""
from __future__ import annotations

from twilio.request_validator import RequestValidator

from hotline.devtools.simulator.webhooks import signed

TOKEN = "secret-token"
URL = "https://hotline.example.test/voice/menu?line=chengdu"


def test_post_signature_validates_over_url_and_params():
    validator = RequestValidator(TOKEN)
    params = {"CallSid": "CA" + "a" * 32, "Digits": "1", "From": "+8613800000000"}
    url, form, signature = signed(validator, URL, "POST", params)
    assert url == URL and form == params
    assert validator.validate(URL, form, signature)
    assert not validator.validate(URL, {**form, "Digits": "2"}, signature)


def test_get_signature_covers_the_query():
    validator = RequestValidator(TOKEN)
    url, form, signature = signed(validator, URL, "GET", {"CallSid": "CA1", "Digits": "1"})
    assert form == {} and url == URL + "&CallSid=CA1&Digits=1"
    assert validator.validate(url, {}, signature)


def test_signature_depends_on_the_token():
    _, form, signature = signed(RequestValidator(TOKEN), URL, "POST", {"CallSid": "CA1"})
    assert not RequestValidator("other").validate(URL, form, signature)
