"""Requests exactly as Twilio sends them: form-encoded and signed."""
from __future__ import annotations

import itertools
import secrets

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
_counter = itertools.count(1)


def new_call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def sign(token: str, public_url: str, path: str, params: dict) -> str:
    return RequestValidator(token).compute_signature(public_url + path, params)


def call_params(call_sid: str, to: str, caller: str, status: str = "ringing", **extra) -> dict:
    params = {"CallSid": call_sid, "AccountSid": ACCOUNT_SID, "From": caller, "To": to,
              "Caller": caller, "Called": to, "CallStatus": status, "Direction": "inbound",
              "ApiVersion": "2010-04-01", "FromCountry": "CN", "ToCountry": "CN"}
    params.update({k: str(v) for k, v in extra.items()})
    return params


class TwilioClient:
    """Posts signed webhooks through a Flask test client (or any poster)."""

    def __init__(self, client, token: str, public_url: str) -> None:
        self.client = client
        self.token = token
        self.public_url = public_url

    def post(self, path: str, params: dict, signature: str | None = None):
        header = sign(self.token, self.public_url, path, params) if signature is None else signature
        headers = {"X-Twilio-Signature": header} if header else {}
        return self.client.post(path, data=params, headers=headers)

    def call(self, to: str, caller: str, call_sid: str | None = None):
        sid = call_sid or new_call_sid()
        return sid, self.post("/voice/incoming", call_params(sid, to, caller))
