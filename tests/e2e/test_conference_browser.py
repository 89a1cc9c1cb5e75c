"""A call as a conference in a real browser: the counselor accepts, holds the caller and
brings in 120 from the console; a supervisor listens from the dashboard and the counselor's
console says so. Twilio's conference callbacks are posted signed, as Twilio sends them."""
from __future__ import annotations

import json
import time

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import PASSWORD, LiveServer, needs_chromium, needs_vendor
from tests.e2e.test_console_browser import ring
from tests.servers import free_port, running_server, server_env
from tests.twilio_fake import ACCOUNT_SID

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium, needs_vendor]
CONF = "CF" + "7" * 32
COUNSELOR_LEG = "CA" + "3" * 32
SUPERVISOR_LEG = "CA" + "5" * 32


@pytest.fixture
def live_server(tmp_path, redis_url, redis_prefix):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database = tmp_path / "hotline.db"
    env = server_env(tmp_path, f"sqlite:///{database}", redis_url, redis_prefix, base,
                     HOTLINE_CONFERENCE_CALLS="on")
    server = LiveServer(base, env, database)
    server.cli("db", "upgrade")
    server.add_user("li", "counselor", "chengdu", "李老师")
    server.add_user("chen", "supervisor", "chengdu", "陈督导")
    with running_server(env, port=port, log_path=tmp_path / "server.log"):
        yield server


class Conference:
    def __init__(self, server, sid) -> None:
        self.server, self.sid, self.seq = server, sid, 0

    def send(self, event, label="", leg="", **flags) -> None:
        self.seq += 1
        form = {"AccountSid": ACCOUNT_SID, "ConferenceSid": CONF, "FriendlyName": f"call-{self.sid}",
                "StatusCallbackEvent": event, "SequenceNumber": str(self.seq),
                "Timestamp": f"Mon, 23 Nov 2026 02:00:{self.seq:02d} +0000"}
        if label:
            form.update(CallSid=leg, ParticipantLabel=label, Muted=flags.get("Muted", "false"),
                        Hold=flags.get("Hold", "false"), Coaching="false")
        self.server.twilio("/voice/conference-status", form)


def rest_requests(server) -> list[dict]:
    import redis

    client = redis.Redis.from_url(server.env["HOTLINE_REDIS_URL"])
    try:
        return [json.loads(raw) for raw in client.lrange(f"{server.env['HOTLINE_REDIS_PREFIX']}:sim:rest", 0, -1)]
    finally:
        client.close()


def eventually(check, timeout_s: float = 5.0) -> bool:
    """The page may show the call (a pushed presence) a moment before the accept's REST call."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def sign_in(page, base, username, landing):
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + landing)


def test_hold_bring_in_120_and_a_listening_supervisor(live_server, page, browser):
    sign_in(page, live_server.base, "li", "/console")
    expect(page.locator("#connection")).to_contain_text("已连接")
    page.click(".status-btn[data-state=available]")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")   # the server has it: ring only now
    sid = ring(live_server)
    expect(page.locator("#offer")).to_be_visible(timeout=5_000)
    page.click("#accept")
    expect(page.locator("#call")).to_be_visible()
    assert eventually(lambda: any(r["data"].get("To") == "client:counselor-1" for r in rest_requests(live_server)))

    conference = Conference(live_server, sid)
    conference.send("conference-start")
    conference.send("participant-join", "caller", sid)
    conference.send("participant-join", "counselor-1", COUNSELOR_LEG)
    expect(page.locator("#conference")).to_be_visible(timeout=6_000)
    expect(page.locator("#conf-status")).to_contain_text("通话中 / talking")

    page.click("#conf-hold")
    expect(page.locator("#conf-error")).to_have_text("")
    assert eventually(lambda: rest_requests(live_server)[-1]["data"].get("Hold") == "true")
    conference.send("participant-hold", "caller", sid, Hold="true")
    expect(page.locator("#conf-status")).to_contain_text("来电者保持中", timeout=6_000)
    expect(page.locator("#conf-unhold")).to_be_visible()

    page.select_option("#conf-target", "120")
    page.click("#conf-bring-in")
    expect(page.locator("#conf-dialled")).to_contain_text("120")
    assert eventually(lambda: rest_requests(live_server)[-1]["data"].get("To") == "120")

    boss = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    sign_in(boss, live_server.base, "chen", "/dashboard")
    row = boss.locator(f"#calls-body tr[data-call='{sid}']")
    expect(row).to_contain_text("保持中 / on hold", timeout=6_000)
    row.locator("button[data-mode=listen]").click()
    expect(boss.locator("#calls-error")).to_have_text("")
    assert eventually(lambda: rest_requests(live_server)[-1]["data"].get("To") == "client:supervisor-2")
    assert rest_requests(live_server)[-1]["data"]["Muted"] == "true"
    conference.send("participant-join", "supervisor-2", SUPERVISOR_LEG, Muted="true")
    expect(row).to_contain_text("旁听 / listen", timeout=6_000)
    expect(page.locator("#conf-supervision")).to_contain_text("督导正在旁听", timeout=6_000)
    boss.context.close()
