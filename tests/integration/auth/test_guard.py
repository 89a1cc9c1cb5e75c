"""Every page needs sign-in (whatever its author forgot); roles decide the rest.

The url_map walk below covers every route any surface registers, now or later.
"""
from __future__ import annotations

import uuid

import pytest
from werkzeug.routing import AnyConverter, FloatConverter, IntegerConverter, UUIDConverter

from hotline.web.access import is_public
from tests.integration.auth.conftest import sign_in
from tests.twilio_fake import call_params, new_call_sid, sign

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def placeholder(converter) -> object:
    """A value each converter accepts, so every rule can be built into a URL."""
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, FloatConverter):
        return 1.5
    if isinstance(converter, UUIDConverter):
        return uuid.uuid4()
    if isinstance(converter, AnyConverter):
        return converter.items[0] if hasattr(converter, "items") else converter.regex.split("|")[0]
    return "x"


def protected_requests(app) -> list[tuple[str, str]]:
    requests = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        values = {name: placeholder(conv) for name, conv in rule._converters.items()}
        url = adapter.build(rule.endpoint, values, method=next(iter(rule.methods)))
        if is_public(url.split("?")[0]):
            continue
        requests += [(method, url) for method in sorted(rule.methods - SKIPPED_METHODS)]
    return requests


def test_every_protected_route_refuses_anonymous_requests(app, client):
    requests = protected_requests(app)
    assert ("GET", "/authprobe/forgotten") in requests and ("GET", "/authprobe/item/1/x") in requests
    for method, url in requests:
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code == 401, (method, url)
            assert response.json["error"] == 401 and "请先登录" in response.json["message"]
        else:
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"].startswith("/login?next="), (method, url)


@pytest.mark.parametrize("path", ["/healthz", "/login", "/static/css/app.css"])
def test_public_paths_stay_open(client, path):
    assert client.get(path).status_code == 200


def test_unknown_paths_are_closed_too(client):
    assert client.get("/no/such/page").headers["Location"] == "/login?next=/no/such/page"
    assert client.get("/api/no/such").status_code == 401


def test_voice_needs_a_signature_not_a_session_or_csrf(app, client):
    settings = app.extensions["hotline"].adapters.settings
    params = call_params(new_call_sid(), "+862885337950", "+8613551585969")
    assert client.post("/voice/incoming", data=params).status_code == 403
    signature = sign(settings.twilio_auth_token, settings.public_url, "/voice/incoming", params)
    response = client.post("/voice/incoming", data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200 and response.mimetype == "application/xml"


@pytest.mark.parametrize("role, allowed", [
    ("counselor", {"anyone", "forgotten", "counselor"}),
    ("supervisor", {"anyone", "forgotten", "supervisor"}),
    ("admin", {"anyone", "forgotten", "supervisor", "admin"}),
])
def test_roles(client, signed_in, role, allowed):
    signed_in(role)
    for page in ("anyone", "forgotten", "counselor", "supervisor", "admin"):
        response = client.get(f"/authprobe/{page}")
        assert response.status_code == (200 if page in allowed else 403), (role, page)
        if response.status_code == 403:
            assert "您的角色无权访问此页面" in response.data.decode()


def test_api_role_refusal_is_json(client, signed_in):
    signed_in("counselor")
    response = client.get("/api/authprobe/supervisor")
    assert response.status_code == 403 and response.json["error"] == 403


def test_counselor_cannot_open_supervisor_or_admin_surfaces(app, client, make_user):
    """Whatever the dashboard and admin surfaces register: a counselor gets 403."""
    pages = [rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint.split(".")[0] in ("dashboard", "admin") and "GET" in rule.methods
             and not rule.arguments]
    if not pages:
        pytest.skip("no dashboard or admin pages registered yet")
    make_user("li", "counselor")
    sign_in(client, "li")
    for page in pages:
        assert client.get(page).status_code == 403, page
