"""/console: the counselor's page, and the softphone token for its Twilio Device.

The JSON API lives in console_api.py and console_notes.py, nested under this blueprint
so that app.py's auto-registration (one `bp` per module) picks everything up.
"""
from __future__ import annotations

import logging
import os

from flask import Blueprint, jsonify, render_template
from flask_login import current_user

from hotline.web.console_api import api
from hotline.web.console_http import console_required, services

log = logging.getLogger(__name__)
bp = Blueprint("console", __name__, template_folder="templates")
bp.register_blueprint(api)
TOKEN_TTL_S = 3600


@bp.get("/console")
@console_required
def page():
    return render_template("console.html", simulator=not services().settings.twilio_live)


@bp.get("/console/token")
@console_required
def token():
    """A 1-hour Twilio Access Token so this browser can receive the bridged caller."""
    settings = services().settings
    if not settings.twilio_live:
        return jsonify(error="simulator mode"), 404
    key_sid, key_secret = os.environ.get("TWILIO_API_KEY_SID"), os.environ.get("TWILIO_API_KEY_SECRET")
    if not key_sid or not key_secret:
        log.error("缺少 TWILIO_API_KEY_SID / TWILIO_API_KEY_SECRET：软电话不可用 / softphone unavailable")
        return jsonify(error="softphone not configured",
                       message="软电话未配置 / softphone not configured (TWILIO_API_KEY_SID/SECRET)"), 503
    identity = f"counselor-{current_user.id}"
    return jsonify(token=_access_token(settings.twilio_account_sid, key_sid, key_secret, identity),
                   identity=identity, ttl=TOKEN_TTL_S)


def _access_token(account_sid: str, key_sid: str, key_secret: str, identity: str) -> str:
    from twilio.jwt.access_token import AccessToken
    from twilio.jwt.access_token.grants import VoiceGrant

    access = AccessToken(account_sid, key_sid, key_secret, identity=identity, ttl=TOKEN_TTL_S)
    access.add_grant(VoiceGrant(incoming_allow=True))
    jwt = access.to_jwt()
    return jwt.decode() if isinstance(jwt, bytes) else jwt
