"""ProxyFix: forwarded headers count only when HOTLINE_TRUSTED_PROXIES says so."""
from __future__ import annotations

import pytest
from flask import Flask, jsonify, request, url_for

from hotline.web.proxy import init_app, trusted_proxies

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hotline.example.org",
             "X-Forwarded-For": "198.51.100.7, 203.0.113.9"}


def _app(environ):
    app = Flask(__name__)

    @app.get("/who")
    def who():
        return jsonify(scheme=request.scheme, host=request.host, addr=request.remote_addr,
                       url=url_for("who", _external=True))

    init_app(app, environ)
    return app


def test_headers_ignored_when_no_proxy_is_configured():
    seen = _app({}).test_client().get("/who", headers=FORWARDED).get_json()
    assert seen == {"scheme": "http", "host": "localhost", "addr": "127.0.0.1", "url": "http://localhost/who"}


def test_one_trusted_proxy_gives_scheme_host_and_the_nearest_client():
    app = _app({"HOTLINE_TRUSTED_PROXIES": "1"})
    seen = app.test_client().get("/who", headers=FORWARDED).get_json()
    assert seen["scheme"] == "https" and seen["host"] == "hotline.example.org"
    assert seen["addr"] == "203.0.113.9"      # the hop nginx added, not what the client claimed
    assert seen["url"] == "https://hotline.example.org/who"
    assert app.config["HOTLINE_TRUSTED_PROXIES"] == 1


def test_init_twice_wraps_once():
    app = _app({"HOTLINE_TRUSTED_PROXIES": "1"})
    inner = app.wsgi_app
    init_app(app, {"HOTLINE_TRUSTED_PROXIES": "1"})
    assert app.wsgi_app is inner


@pytest.mark.parametrize("value", ["yes", "-1", "9"])
def test_bad_values_are_refused(value):
    with pytest.raises(ValueError, match="HOTLINE_TRUSTED_PROXIES"):
        trusted_proxies({"HOTLINE_TRUSTED_PROXIES": value})
