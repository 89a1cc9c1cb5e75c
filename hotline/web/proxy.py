"""Trust X-Forwarded-* from a known number of reverse proxies (nginx), and only then.

Behind nginx every request arrives from 127.0.0.1 over plain HTTP. Without ProxyFix the
sign-in limiter would count every counselor as one client and URLs built by Flask would
say http://. With it switched on while nothing is in front, anyone could claim any
address. So it is off unless HOTLINE_TRUSTED_PROXIES says how many proxies to trust.

Twilio's signature check does not depend on this: it signs HOTLINE_PUBLIC_URL + path.
"""
from __future__ import annotations

from typing import Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from hotline.settings import trusted_proxies

__all__ = ["init_app", "trusted_proxies"]   # trusted_proxies: HOTLINE_TRUSTED_PROXIES, parsed by the settings


def init_app(app: Flask, environ: Mapping[str, str] | None = None) -> int:
    """Wrap app.wsgi_app in ProxyFix when proxies are configured; returns their number.

    Call it last in create_app, after Flask-SocketIO has wrapped wsgi_app, so that
    /socket.io/ requests get the real client address too. The count comes from
    `environ` when given, else from HOTLINE_TRUSTED_PROXIES (hotline.settings).
    """
    count = trusted_proxies(environ)
    if count and not isinstance(app.wsgi_app, ProxyFix):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.config["HOTLINE_TRUSTED_PROXIES"] = count
    return count
