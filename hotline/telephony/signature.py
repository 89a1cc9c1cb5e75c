"""Twilio's request signature: only Twilio, holding our auth token, can call /voice/*.

The signature covers the public URL Twilio called (HOTLINE_PUBLIC_URL + path + query)
and the form parameters; a request signed for another deployment, or with one
parameter changed, does not validate. The parameters are checked as Twilio signed them:
every value of a repeated parameter counts (pass the multi-dict, e.g. Flask's
request.form, never a dict that kept one value per name).
"""
from __future__ import annotations

from typing import Any, Mapping

from twilio.request_validator import RequestValidator, compare


def signed_url(public_url: str, path: str, query: str) -> str:
    return public_url + path + (f"?{query}" if query else "")


def is_signed(auth_token: str, url: str, params: Mapping[str, Any], signature: str) -> bool:
    """params: a multi-dict (getlist/getall) or a plain mapping of one value per name.

    The twilio library's validate() always computes the signature twice (the URL with and
    without its port); Twilio signs the URL it called, which is one of the two, so that one
    is tried first and the library asked only when it does not match (issue #18: one HMAC
    over the sorted form per webhook, not two). Same answers: a match here is one validate()
    accepts, and a body-hash URL goes to the library."""
    if not signature:
        return False
    validator = RequestValidator(auth_token)
    if "bodySHA256=" not in url and compare(validator.compute_signature(url, params), signature):
        return True
    return validator.validate(url, params, signature)
