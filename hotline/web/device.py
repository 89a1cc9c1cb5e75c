"""The device cookie: a browser where an account signed in before is a client of its own.

The sign-in limits count failures per (account, client). Without this cookie the client
is the address, which a guesser may share (one NAT for a whole center); with it, the
owner's browser keeps its own count and is spared by the per-address limit, so nobody
elsewhere can slow the owner down. The cookie is signed with the app's secret key (a
guesser cannot make one), names at most MAX_ACCOUNTS accounts, lives DEVICE_DAYS days,
is HttpOnly and is sent only to /login.
"""
from __future__ import annotations

import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "hotline_device"
DEVICE_DAYS = 90
MAX_ACCOUNTS = 8


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="hotline-device")


def _key(username: str) -> str:
    return username.strip().casefold()[:128]


def _known() -> dict[str, str]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        data = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def device_id(username: str) -> str | None:
    """This browser's id for username, if it signed in here before (a valid cookie)."""
    return _known().get(_key(username))


def remember(response: Response, username: str) -> Response:
    """After a successful sign-in: this browser is a known device of username."""
    known = _known()
    known[_key(username)] = known.get(_key(username)) or secrets.token_urlsafe(16)
    kept = dict(list(known.items())[-MAX_ACCOUNTS:])
    response.set_cookie(COOKIE, _serializer().dumps(kept), max_age=DEVICE_DAYS * 86400, path="/login",
                        httponly=True, samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
