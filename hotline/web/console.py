"""/console: the counselor's page, and the softphone token for its Twilio Device.

The JSON API lives in console_api.py and console_notes.py, nested under this blueprint.
init_app starts this process's ticker (offers, timeouts, wrap-ups) when it serves.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify, render_template
from flask_login import current_user
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VoiceGrant

from hotline.web.console_api import api
from hotline.web.console_http import console_required
from hotline.web.context import hotline
from hotline.web.ticker import Ticker

log = logging.getLogger(__name__)
bp = Blueprint("console", __name__, template_folder="templates")
bp.register_blueprint(api)
TOKEN_TTL_S = 3600


def init_app(app: Flask) -> None:
    """A serving process runs the ticker; tests tick by hand (settings.run_background)."""
    use_cases = app.extensions["hotline"]
    if not use_cases.settings.run_background:
        return
    ticker = Ticker(lambda: _tick(use_cases),                # built on the first tick: connections stay lazy
                    lambda: use_cases.coverage_alerts.raise_alerts(use_cases.settings.clock.now()),
                    use_cases.dispatch_trigger)
    use_cases.ticker = ticker                                # stopped when the use cases close
    ticker.start()


def _tick(use_cases) -> None:
    """Callers the fail-safe sent on while Redis was away leave our queues first, then the tick."""
    if use_cases.calls_failsafe_log.pending:
        use_cases.calls_failsafe_log.release_pending()
    use_cases.console_tick.tick()


@bp.get("/console")
@console_required
def page():
    return render_template("console.html", simulator=not hotline().settings.twilio_live)


@bp.get("/console/token")
@console_required
def token():
    """A 1-hour Twilio Access Token so this browser can receive the bridged caller."""
    settings = hotline().settings
    if not settings.twilio_live:
        return jsonify(error="simulator mode"), 404
    key_sid, key_secret = settings.twilio_api_key_sid, settings.twilio_api_key_secret
    if not key_sid or not key_secret:
        log.error("缺少 TWILIO_API_KEY_SID / TWILIO_API_KEY_SECRET：软电话不可用 / softphone unavailable")
        return jsonify(error="softphone not configured",
                       message="软电话未配置 / softphone not configured (TWILIO_API_KEY_SID/SECRET)"), 503
    identity = f"counselor-{current_user.id}"
    return jsonify(token=_access_token(settings.twilio_account_sid, key_sid, key_secret, identity),
                   identity=identity, ttl=TOKEN_TTL_S)


def _access_token(account_sid: str, key_sid: str, key_secret: str, identity: str) -> str:
    access = AccessToken(account_sid, key_sid, key_secret, identity=identity, ttl=TOKEN_TTL_S)
    access.add_grant(VoiceGrant(incoming_allow=True))
    jwt = access.to_jwt()
    return jwt.decode() if isinstance(jwt, bytes) else jwt
