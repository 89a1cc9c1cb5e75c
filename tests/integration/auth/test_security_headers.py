"""Security headers on every answer: a strict CSP, no framing, no sniffing, same-origin
referrers; no HTTPS redirect or HSTS from the app (nginx terminates TLS and adds HSTS)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[3] / "hotline" / "web" / "templates"


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", ["/login", "/healthz", "/static/css/app.css"])
def test_every_answer_carries_the_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'" and csp["form-action"] == "'self'" and csp["connect-src"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_no_https_redirect_and_the_session_cookie_follows_the_public_url(client, make_user):
    from tests.integration.auth.conftest import sign_in

    make_user("wang")
    response = sign_in(client, "wang")
    assert response.status_code == 302 and response.headers["Location"] == "/console"
    cookie = client.get_cookie("session")
    assert cookie is not None and not cookie.secure        # http://127.0.0.1 in the tests


def test_the_twilio_softphone_hosts_are_allowed_only_with_a_real_account():
    from hotline.web.security import content_security_policy

    assert content_security_policy(False)["connect-src"] == "'self'"
    live = content_security_policy(True)
    assert "wss://*.twilio.com" in live["connect-src"] and "https://sdk.twilio.com" in live["media-src"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_no_template_has_inline_script_handlers_or_styles(template):
    html = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html), "style attribute"
