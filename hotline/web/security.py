"""The browser's defences: a strict Content-Security-Policy and the security headers.

Every script and stylesheet is served by the app itself (no inline script, no inline
event handler, no style attribute in the templates), so the policy allows only 'self'.
Socket.IO connects to the same origin ('self' covers ws:/wss: to it in CSP 3). With a
real Twilio account the browser softphone also talks to Twilio's voice gateways and
plays its ring tones from Twilio. HTTPS redirects and HSTS are nginx's (it terminates
TLS: config/nginx/hotline.conf), so Flask-Talisman's are off here.
"""
from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

SELF = "'self'"
TWILIO_CONNECT = ("wss://*.twilio.com", "https://*.twilio.com")
TWILIO_MEDIA = ("https://sdk.twilio.com",)


def content_security_policy(twilio_live: bool) -> dict[str, str]:
    connect = [SELF, *(TWILIO_CONNECT if twilio_live else ())]
    media = [SELF, *(TWILIO_MEDIA if twilio_live else ())]
    return {"default-src": SELF, "script-src": SELF, "style-src": SELF, "img-src": f"{SELF} data:",
            "font-src": SELF, "connect-src": " ".join(connect), "media-src": " ".join(media),
            "object-src": "'none'", "base-uri": SELF, "form-action": SELF, "frame-ancestors": "'none'"}


def init_app(app: Flask) -> None:
    settings = app.extensions["hotline"].settings
    Talisman(app, force_https=False, strict_transport_security=False,
             content_security_policy=content_security_policy(settings.twilio_live),
             frame_options="DENY", referrer_policy="same-origin", x_content_type_options=True,
             session_cookie_secure=settings.public_url.startswith("https://"), session_cookie_samesite="Lax",
             permissions_policy={"camera": "()", "geolocation": "()", "browsing-topics": "()"})
