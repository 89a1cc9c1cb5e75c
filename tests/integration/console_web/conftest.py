"""Console web fixtures: signed-in counselors ("desks") working a simulated floor.

Callers arrive through signed Twilio webhooks (the Floor from the console tests);
counselors act only through the HTTP API and Socket.IO, exactly as the page does.
Sign-in helpers are copied from tests/integration/auth/conftest.py.
"""
from __future__ import annotations

import re

import pytest

from hotline.store.users import create_user
from tests.integration.console.conftest import Floor
from tests.integration.voice.conftest import local

PASSWORD = "correct-horse-42"
GAOXIN_LINE = "chengdu-gaoxin"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


def token_in(html: bytes | str) -> str:
    text = html.decode() if isinstance(html, bytes) else html
    match = _TOKEN.search(text)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


def sign_in(client, username: str, password: str = PASSWORD):
    token = token_in(client.get("/login", follow_redirects=True).data)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


class Desk:
    """One signed-in browser: a test client with its user and CSRF token."""

    def __init__(self, app, user) -> None:
        self.app = app
        self.user = user
        self.id = user.id
        self.client = app.test_client()
        response = sign_in(self.client, user.username)
        assert response.status_code == 302, response.data
        self.token = token_in(self.client.get("/login", follow_redirects=True).data)

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, body=None, csrf: bool = True):
        headers = {"X-CSRFToken": self.token} if csrf else {}
        return self.client.post(path, json={} if body is None else body, headers=headers)

    def state(self) -> dict:
        response = self.get("/api/console/state")
        assert response.status_code == 200, response.data
        return response.get_json()

    def presence(self, state: str):
        return self.post("/api/console/presence", {"state": state})

    def go(self, state: str) -> dict:
        response = self.presence(state)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def accept(self, sid: str):
        return self.post(f"/api/console/offers/{sid}/accept")

    def decline(self, sid: str):
        return self.post(f"/api/console/offers/{sid}/decline")

    def hangup(self, sid: str):
        return self.post(f"/api/console/calls/{sid}/hangup")

    def note(self, sid: str, text: str):
        return self.post(f"/api/console/calls/{sid}/notes", {"text": text})

    def notes(self, sid: str):
        return self.get(f"/api/console/calls/{sid}/notes")

    def socket(self, **auth):
        socketio = self.app.extensions["socketio"]
        return socketio.test_client(self.app, flask_test_client=self.client, auth=auth or None)


@pytest.fixture
def make_user(app):
    """make_user("li", "counselor", lines=(...)) → the saved User."""
    services = app.extensions["hotline"].adapters

    def make(username: str, role: str = "counselor", lines=(), display_name: str | None = None):
        with services.db.session() as db:
            return create_user(db, username, role, PASSWORD, now=services.now(),
                               display_name=display_name, lines=tuple(lines))
    return make


@pytest.fixture
def desk(app, make_user):
    """desk("li") → a signed-in counselor on the Gaoxin line (role and lines adjustable)."""
    def make(username: str = "li", role: str = "counselor", lines=(GAOXIN_LINE,),
             display_name: str | None = None) -> Desk:
        return Desk(app, make_user(username, role, lines=lines, display_name=display_name))
    return make


@pytest.fixture
def floor(app) -> Floor:
    """10:00 on a Monday; counselor 999 is busy on a long call, so Gaoxin counts as staffed."""
    f = Floor(app)
    f.at(local(2026, 11, 23, 10, 0))
    f.staff(GAOXIN_LINE, counselor_id=999, state="on_call")
    return f


@pytest.fixture
def offered(floor, desk):
    """A counselor with a call ringing on their console: (floor, desk, call_sid)."""
    li = desk("li")
    li.go("available")
    sid = floor.caller()
    floor.tick()
    assert floor.offered_to(li.id) == sid
    return floor, li, sid


@pytest.fixture
def on_call(offered):
    floor, li, sid = offered
    floor.at(local(2026, 11, 23, 10, 0, 8))
    assert li.accept(sid).status_code == 200
    return floor, li, sid
