"""Who may open the console and its API: sign-in (401), role and lines (403), CSRF (400)."""
from __future__ import annotations

import re

import pytest

API_GETS = ["/api/console/state", "/api/console/calls/CA123/notes"]
API_POSTS = ["/api/console/presence", "/api/console/offers/CA123/accept", "/api/console/offers/CA123/decline",
             "/api/console/calls/CA123/hangup", "/api/console/calls/CA123/transfer",
             "/api/console/calls/CA123/notes", "/api/console/wrap-up/extend", "/api/console/ready"]


@pytest.mark.parametrize("path", API_GETS)
def test_api_reads_need_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.get_json()["error"] == 401


@pytest.mark.parametrize("path", API_POSTS)
def test_api_actions_need_sign_in(client, path):
    response = client.post(path, json={})
    assert response.status_code == 401
    assert response.is_json


@pytest.mark.parametrize("path", ["/console", "/console/token"])
def test_pages_send_anonymous_visitors_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_staff_without_lines_may_not_use_the_console(desk, role):
    boss = desk("boss", role, lines=())
    assert boss.get("/console").status_code == 403
    assert boss.get("/console/token").status_code == 403
    response = boss.get("/api/console/state")
    assert response.status_code == 403 and response.get_json()["error"] == 403
    assert boss.presence("available").status_code == 403


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_staff_with_lines_may_use_the_console(desk, role):
    boss = desk("boss", role, lines=("chengdu-gaoxin",))
    assert boss.get("/console").status_code == 200
    assert boss.go("available")["presence"]["state"] == "available"


@pytest.mark.parametrize("path", API_POSTS)
def test_every_action_needs_the_csrf_header(desk, path):
    li = desk("li")
    response = li.post(path, {"state": "available", "line": "chengdu", "seconds": 60, "text": "x"}, csrf=False)
    assert response.status_code == 400
    assert response.get_json()["error"] == 400
    forged = li.client.post(path, json={"state": "available"}, headers={"X-CSRFToken": "forged"})
    assert forged.status_code == 400
    assert li.state()["presence"] is None, "nothing changed"


def test_page_is_bilingual_self_contained_and_carries_the_token(desk):
    li = desk("li", display_name="李老师")
    html = li.get("/console").data.decode()
    assert '<meta name="csrf-token" content="' in html
    assert "接线台" in html and "Console" in html
    assert "/static/js/console.js" in html and "/static/css/console.css" in html
    assert "/static/vendor/socket.io.min.js" in html
    assert "模拟模式（无音频）/ simulator mode (no audio)" in html
    assert "twilio.min.js" not in html, "the Twilio SDK is loaded only with a Twilio account"
    assert "console-softphone.js" not in html and "/static/js/console-ringer.js" in html
    assert 'aria-keyshortcuts="A"' in html and 'aria-keyshortcuts="D"' in html
    assert 'aria-live="assertive"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "no external resources"
    for asset in ("/static/js/console.js", "/static/js/console-ringer.js", "/static/js/console-softphone.js",
                  "/static/css/console.css"):
        assert li.get(asset).status_code == 200


def test_page_loads_the_softphone_sdk_with_twilio(app, desk):
    services = app.extensions["hotline"].adapters
    services.settings = services.settings.with_(twilio_account_sid="AC" + "1" * 32)
    html = desk("li").get("/console").data.decode()
    assert "/static/vendor/twilio.min.js" in html and "/static/js/console-softphone.js" in html
    assert "模拟模式" not in html
