"""Trust X-Forwarded-* from a known number of reverse proxies (nginx), and only then.

Behind nginx every request arrives from 127.0.0.1 over plain HTTP. Without ProxyFix the
sign-in limiter would count every counselor as one client and URLs built by Flask would
say http://. With it switched on while nothing is in front, anyone could claim any
address. So it is off unless HOTLINE_TRUSTED_PROXIES says how many proxies to trust.

Twilio's signature check does not depend on this: it signs HOTLINE_PUBLIC_URL + path.
"""
from __future__ import annotations

import os
from typing import Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

ENV_VAR = "HOTLINE_TRUSTED_PROXIES"
MAX_PROXIES = 5


def trusted_proxies(environ: Mapping[str, str] | None = None) -> int:
    """The number of proxies in front of the app (0: none; the default)."""
    raw = ((os.environ if environ is None else environ).get(ENV_VAR) or "0").strip()
    if not raw.isdigit() or int(raw) > MAX_PROXIES:
        raise ValueError(f"{ENV_VAR} 需要 0 到 {MAX_PROXIES} 的整数（代理层数）/ must be a whole number "
                         f"0–{MAX_PROXIES} (how many proxies are in front), got {raw!r}")
    return int(raw)


def init_app(app: Flask, environ: Mapping[str, str] | None = None) -> int:
    """Wrap app.wsgi_app in ProxyFix when proxies are configured; returns their number.

    Call it last in create_app, after Flask-SocketIO has wrapped wsgi_app, so that
    /socket.io/ requests get the real client address too. The count comes from
    `environ` when given, else Settings.trusted_proxies when the settings carry it,
    else HOTLINE_TRUSTED_PROXIES.
    """
    count = None if environ is not None else _from_settings(app)
    if count is None:
        count = trusted_proxies(environ)
    if count and not isinstance(app.wsgi_app, ProxyFix):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.config["HOTLINE_TRUSTED_PROXIES"] = count
    return count


def _from_settings(app: Flask) -> int | None:
    services = app.extensions.get("hotline")
    return getattr(getattr(services, "settings", None), "trusted_proxies", None)
