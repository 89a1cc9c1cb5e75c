"""Two `hotline serve` processes sharing Redis: an event produced in one reaches a
Socket.IO client connected to the other, and so does one from a process that is no
server at all (an RQ worker raising an alert); the dashboard pushes follow, whichever
of the two servers leads the pushes."""
from __future__ import annotations

import queue
import re
import subprocess
import sys
import time
from contextlib import ExitStack

import pytest
import requests
import socketio

from hotline.ports import Presence
from hotline.bootstrap import Adapters, Hotline
from hotline.settings import from_env
from tests.servers import ROOT, free_port, running_server, server_env
from tests.twilio_fake import call_params, new_call_sid, sign

pytestmark = pytest.mark.slow
PASSWORD = "correct-horse-42"
CHENGDU_24H = "+862887577510"          # 成都市心理援助热线: 24 h, menu 1 = general
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"|name="csrf_token" value="([^"]+)"')


def sign_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    token = next(g for g in TOKEN.search(page).groups() if g)
    response = session.post(f"{base}/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return session


class Listener:
    """A python-socketio client that files every event it gets, for waiting on them."""

    def __init__(self, base: str, session: requests.Session, origin: str, page: str | None = "dashboard") -> None:
        self.events: "queue.Queue[tuple[str, dict]]" = queue.Queue()
        self.client = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin})
        self.client.on("*", lambda event, data=None: self.events.put((event, data)))
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        self.client.connect(base, headers={"Cookie": cookie}, auth={"page": page} if page else None,
                            transports=["websocket"], wait_timeout=10)

    def wait_for(self, accept, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event, data = self.events.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            if accept(event, data):
                return data
        raise AssertionError("the awaited event never came")


def test_events_cross_processes_through_redis(tmp_path, redis_url, redis_prefix):
    ports = [free_port(), free_port()]
    public = f"http://127.0.0.1:{ports[0]}"
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'hotline.db'}", redis_url, redis_prefix, public)
    subprocess.run([sys.executable, "-m", "hotline", "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "hotline", "users", "add", "boss", "--role", "supervisor", "--password-stdin"],
                   env=env, cwd=ROOT, check=True, capture_output=True, input=PASSWORD + "\n", text=True)
    outside = Adapters(from_env(env))                  # a process that is no web server
    outside.presence.set(Presence(50, "on_call", outside.now(), ("chengdu",), "值班咨询师"))
    with ExitStack() as stack:
        first, second = (stack.enter_context(running_server(env, port=p)) for p in ports)
        session = sign_in(first, "boss")                       # signed in on one, listening on the other
        raw, dashboard = Listener(second, session, public, page=None), Listener(second, session, public)
        stack.callback(raw.client.disconnect)
        stack.callback(dashboard.client.disconnect)
        assert "dashboard" in dashboard.wait_for(lambda e, d: e == "snapshot")

        sid = _queue_a_call(first, public)                    # the event is produced in the first server
        changed = raw.wait_for(lambda e, d: e == "queue.changed" and d.get("call") == sid)
        assert changed["line"] == "chengdu" and changed["change"] == "joined"
        pushed = dashboard.wait_for(lambda e, d: e == "dashboard" and _waiting(d, "chengdu") == 1)
        assert pushed["lines"] and "+8613551585969" not in str(pushed)

        alert = Hotline(outside).alerts.raise_alert("risk", "imminent", outside.now(), call_sid=sid,
                                                    line_id="chengdu", counselor_id=50)
        raised = raw.wait_for(lambda e, d: e == "alert" and d.get("id") == alert.id)
        assert raised["sounding"] is True
        pushed = dashboard.wait_for(lambda e, d: e == "dashboard" and [a["id"] for a in d["alerts"]] == [alert.id])
        assert pushed["alerts"][0]["counselor_name"] == "值班咨询师"
    outside.close()


def _queue_a_call(base: str, public: str) -> str:
    """A caller dials Chengdu and presses 1: webhooks signed for the shared public URL."""
    sid = new_call_sid()
    for path, extra in (("/voice/incoming", {}), ("/voice/menu?line=chengdu", {"Digits": "1"})):
        params = call_params(sid, CHENGDU_24H, "+8613551585969", **extra)
        response = requests.post(base + path, data=params, timeout=10,
                                 headers={"X-Twilio-Signature": sign("test-auth-token", public, path, params)})
        assert response.status_code == 200, response.text
    assert "<Enqueue" in response.text
    return sid


def _waiting(snapshot: dict, line_id: str) -> int | None:
    return next((line["waiting"] for line in snapshot.get("lines", []) if line["id"] == line_id), None)
