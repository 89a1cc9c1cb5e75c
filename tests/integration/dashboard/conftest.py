"""Dashboard fixtures: a call-center floor (callers by webhook, counselors through the
console service) watched by signed-in supervisors, on SQLite and on PostgreSQL.

The floor is the console tests' Floor; supervisors sign in with the shared helpers
and use the HTTP API and the Socket.IO test client exactly as the page does.
"""
from __future__ import annotations

import pytest

from hotline.settings import testing_settings
from tests.conftest import PASSWORD, sign_in, token_in
from tests.integration.console.conftest import Floor
from tests.integration.voice.conftest import GAOXIN, local
from tests.twilio_fake import call_params

GAOXIN_LINE = "chengdu-gaoxin"


@pytest.fixture
def settings(tmp_path, redis_url, redis_prefix, database_url):
    """Every dashboard test runs on an SQLite file and on a fresh PostgreSQL database."""
    return testing_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, database_url=database_url)


class Watcher:
    """One signed-in browser on the dashboard: a test client, its CSRF token, its sockets."""

    def __init__(self, app, user) -> None:
        self.app = app
        self.user = user
        self.client = app.test_client()
        assert sign_in(self.client, user.username, PASSWORD).status_code == 302
        self.token = token_in(self.client.get("/login", follow_redirects=True).data)

    def snapshot(self) -> dict:
        response = self.client.get("/api/dashboard")
        assert response.status_code == 200, response.data
        return response.get_json()

    def ack(self, alert_id: str, csrf: bool = True):
        headers = {"X-CSRFToken": self.token} if csrf else {}
        return self.client.post(f"/api/alerts/{alert_id}/ack", json={}, headers=headers)

    def socket(self, page: str | None = "dashboard"):
        socketio = self.app.extensions["socketio"]
        return socketio.test_client(self.app, flask_test_client=self.client,
                                    auth={"page": page} if page else None)


def received(socket, name: str) -> list:
    return [message["args"][0] for message in socket.get_received() if message["name"] == name]


def line_of(snapshot: dict, line_id: str = GAOXIN_LINE) -> dict:
    return next(line for line in snapshot["lines"] if line["id"] == line_id)


class DashFloor(Floor):
    """The floor plus the steps the dashboard tests need."""

    def leave_and_roll_over(self, sid: str, waited: int) -> None:
        self.post(f"/voice/wait?line={GAOXIN_LINE}", call_params(sid, GAOXIN, "+8613800000001"))
        self.post(f"/voice/queue-result?line={GAOXIN_LINE}",
                  call_params(sid, GAOXIN, "+8613800000001", QueueResult="leave", QueueTime=waited))

    def hang_up_waiting(self, sid: str, waited: int) -> None:
        self.post(f"/voice/queue-result?line={GAOXIN_LINE}",
                  call_params(sid, GAOXIN, "+8613800000001", QueueResult="hangup", QueueTime=waited))


@pytest.fixture
def floor(app) -> DashFloor:
    """10:00 on a Monday; counselor 99 is busy on a long call, so Gaoxin counts as staffed."""
    f = DashFloor(app)
    f.at(local(2026, 11, 23, 10, 0))
    f.staff(GAOXIN_LINE, counselor_id=99, state="on_call")
    return f


@pytest.fixture
def watcher(app, make_user):
    """watcher("boss", "supervisor") → a signed-in Watcher."""
    def make(username: str = "boss", role: str = "supervisor", lines=(), display_name: str | None = None):
        return Watcher(app, make_user(username, role, lines=lines, display_name=display_name))
    return make


@pytest.fixture
def feed(app):
    return app.extensions["hotline_dashboard"]
