"""A tiny fake Hotline (aiohttp, in a thread) that serves canned TwiML to the simulator.

It checks every X-Twilio-Signature against the *public* URL, counts requests per
call and port, and, like the real server in simulator mode, pushes REST commands
onto `{prefix}:sim:rest`: the first caller to wait is moved to a counselor's
browser (<Dial><Client>), and that call is ended by REST once it is bridged.
The tests of this module check the fake itself; the flows are in test_simulator_flow.py.
"""
from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter, defaultdict

import pytest
import redis
from aiohttp import web
from twilio.request_validator import RequestValidator

TOKEN = "fake-hotline-token"
PUBLIC = "https://hotline.example.test"
EXTERNAL = "+862887577510"
API = "https://api.twilio.com/2010-04-01/Accounts/ACx"


class FakeHotline:
    def __init__(self, waits_before_leave: int = 3, redis_url: str | None = None, prefix: str = "",
                 bridge_calls: int = 1, fail_paths: tuple[str, ...] = ()) -> None:
        self.waits_before_leave = waits_before_leave
        self.redis = redis.Redis.from_url(redis_url) if redis_url else None
        self.prefix = prefix
        self.bridge_left = bridge_calls
        self.fail_paths = fail_paths
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.ports: dict[str, set[int]] = defaultdict(set)
        self.waits: Counter = Counter()
        self.bad_signatures = 0
        self.urls: list[str] = []

    # --- the server ---------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.Response:
        form = {k: v for k, v in (await request.post()).items()}
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(TOKEN).validate(PUBLIC + request.path_qs, form, signature):
            self.bad_signatures += 1
            return web.Response(status=403)
        self.requests.append((request.path_qs, form))
        self.ports[form.get("CallSid", "")].add(request.url.port)
        name = request.path.rsplit("/", 1)[-1].replace("-", "_")
        if request.path in self.fail_paths:
            return web.Response(status=500, text="boom")
        body = getattr(self, f"on_{name}")(request, form)
        return web.Response(status=204) if body is None else web.Response(text=body, content_type="text/xml")

    def on_incoming(self, request, form) -> str:
        return ('<Response><Gather numDigits="1" action="menu?line=test" timeout="1">'
                "<Say>学生请按1</Say></Gather><Redirect>menu?line=test&amp;timeout=1</Redirect></Response>")

    def on_menu(self, request, form) -> str:
        return ('<Response><Say>请稍候</Say><Enqueue waitUrl="wait?line=test" '
                'action="/voice/queue-result?line=test">test</Enqueue></Response>')

    def on_wait(self, request, form) -> str:
        sid = form["CallSid"]
        self.waits[sid] += 1
        if self.redis is not None and self.bridge_left > 0 and self.waits[sid] == 1:
            self.bridge_left -= 1
            self.push(f"{API}/Queues/{form['QueueSid']}/Members/{sid}.json",
                      {"Url": f"{PUBLIC}/voice/bridge?call={sid}", "Method": "POST"})
        if self.waits[sid] > self.waits_before_leave:
            return "<Response><Leave/></Response>"
        return f"<Response><Say>您前面还有{form['QueuePosition']}位</Say><Pause length=\"1\"/></Response>"

    def on_queue_result(self, request, form) -> str:
        if form["QueueResult"] != "leave":
            return "<Response/>"
        return (f'<Response><Say>正在为您转接</Say><Dial action="dial-result" timeout="30" timeLimit="10">'
                f'<Number sendDigits="ww4">{EXTERNAL}</Number></Dial></Response>')

    def on_dial_result(self, request, form) -> str:
        return "<Response><Hangup/></Response>"

    def on_bridge(self, request, form) -> str:
        return '<Response><Dial action="/voice/bridge-result"><Client>counselor-1</Client></Dial></Response>'

    def on_bridge_result(self, request, form) -> str:
        return "<Response/>"

    def on_status(self, request, form) -> None:
        if form["CallStatus"] == "in-progress" and self.redis is not None:
            self.push(f"{API}/Calls/{form['CallSid']}.json", {"Status": "completed"})
        return None

    def push(self, url: str, data: dict[str, str]) -> None:
        self.redis.rpush(f"{self.prefix}:sim:rest", json.dumps({"method": "POST", "url": url, "data": data}))

    # --- what the tests look at ------------------------------------------------------
    def calls_to(self, name: str) -> list[dict[str, str]]:
        return [form for path, form in self.requests if path.split("?")[0].endswith("/" + name)]


class ServerThread:
    """Runs the fake on `sites` random ports of 127.0.0.1 in its own event loop."""

    def __init__(self, fake: FakeHotline, sites: int = 1) -> None:
        self.fake = fake
        self.sites = sites
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> "ServerThread":
        self.thread.start()
        self.urls = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    async def _start(self) -> list[str]:
        app = web.Application()
        app.router.add_route("*", "/voice/{name}", self.fake.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        for _ in range(self.sites):
            await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        return [f"http://127.0.0.1:{port}" for _, port in self.runner.addresses]

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def test_fake_rejects_a_bad_signature():
    import requests

    fake = FakeHotline()
    with ServerThread(fake) as server:
        answer = requests.post(server.urls[0] + "/voice/incoming", data={"CallSid": "CA1"},
                               headers={"X-Twilio-Signature": "nope"}, timeout=5)
    assert answer.status_code == 403 and fake.bad_signatures == 1


def test_fake_accepts_a_signature_over_the_public_url():
    import requests

    fake = FakeHotline()
    params = {"CallSid": "CA1"}
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + "/voice/incoming", params)
    with ServerThread(fake) as server:
        answer = requests.post(server.urls[0] + "/voice/incoming", data=params,
                               headers={"X-Twilio-Signature": signature}, timeout=5)
    assert answer.status_code == 200 and "<Gather" in answer.text


@pytest.fixture
def fake_server():
    """Factory fixture: `with fake_server(FakeHotline(...), sites=2) as server: ...`."""
    return ServerThread
