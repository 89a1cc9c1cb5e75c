"""The supervisor's dashboard in a real browser: a simulated call shows in the queue within
a second of its webhook, moves to "in progress" when the counselor accepts, the day's
counters change; an imminent-risk alert sounds until a supervisor acknowledges it, and
then leaves every supervisor's screen. The wall screen: test_wall_browser.py.
"""
from __future__ import annotations

import re
import time

import pytest
import requests

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from hotline.ports import Presence  # noqa: E402
from hotline.bootstrap import Adapters, Hotline  # noqa: E402
from hotline.settings import from_env  # noqa: E402
from tests.e2e.conftest import PASSWORD, needs_chromium, needs_vendor  # noqa: E402
from tests.e2e.floor import add_supervisors, ring, sign_in  # noqa: E402
pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium, needs_vendor]
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture
def server(live_server):
    """The live server plus two supervisors (li, the counselor, comes with it)."""
    add_supervisors(live_server)
    outside = Adapters(from_env(live_server.env))   # plays an RQ worker: raises alerts from outside
    yield live_server, outside
    outside.close()


class CounselorDesk:
    """The counselor li working through the console's JSON API (her page is not under test)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        login = self.http.get(f"{base}/login", timeout=10).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
        self.http.post(f"{base}/login", data={"username": "li", "password": PASSWORD, "csrf_token": token}, timeout=10)
        self.token = TOKEN.search(self.http.get(f"{base}/console", timeout=10).text).group(1)

    def post(self, path: str, body: dict | None = None) -> dict:
        response = self.http.post(self.base + path, json=body or {}, headers={"X-CSRFToken": self.token}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def wait_for_offer(self, timeout: float = 5.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            offer = self.http.get(f"{self.base}/api/console/state", timeout=10).json()["offer"]
            if offer:
                return offer["call"]
            time.sleep(0.1)
        raise AssertionError("no offer reached the counselor")


def card(page, line_id: str):
    return page.locator(f'.line-card[data-line="{line_id}"]')


def test_a_call_appears_within_a_second_moves_to_in_progress_and_counts(server, page):
    live, _ = server
    sign_in(page, live.base, "boss")
    chengdu = card(page, "chengdu")
    expect(chengdu.locator('[data-field="waiting"]')).to_have_text("0")
    expect(page.locator("#kpi-offered")).to_have_text("0")
    li = CounselorDesk(live.base)
    li.post("/api/console/presence", {"state": "available"})
    expect(page.locator('.counselor-tile[data-counselor="1"]')).to_contain_text("可接听")

    sid = ring(live)
    webhook_done = time.monotonic()
    expect(chengdu.locator('[data-field="waiting"]')).to_have_text("1", timeout=1000)
    assert time.monotonic() - webhook_done < 1.0
    expect(chengdu.locator(f'.queue-item[data-call="{sid}"]')).to_be_visible()
    expect(page.locator("#kpi-waiting")).to_have_text("1")

    assert li.wait_for_offer() == sid
    li.post(f"/api/console/offers/{sid}/accept")
    expect(chengdu.locator('[data-field="in_progress"]')).to_have_text("1", timeout=2000)
    expect(chengdu.locator('[data-field="waiting"]')).to_have_text("0")
    expect(page.locator("#kpi-in-progress")).to_have_text("1")
    expect(page.locator('.counselor-tile[data-counselor="1"]')).to_contain_text("通话中")
    expect(page.locator("#kpi-offered")).to_have_text("1", timeout=5000)
    expect(page.locator("#kpi-answered")).to_have_text("1", timeout=5000)
    expect(page.locator("#kpi-answer-rate")).to_have_text("100%")
    page.screenshot(path="/tmp/hotline-dashboard-call.png", full_page=True)


def test_an_imminent_alert_sounds_until_acknowledged_and_leaves_every_screen(server, browser, page):
    live, outside = server
    sign_in(page, live.base, "boss")
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(other, live.base, "deputy")
    outside.presence.set(Presence(1, "on_call", outside.now(), ("chengdu",), "李老师"))
    alert = Hotline(outside).alerts.raise_alert("risk", "imminent", outside.now(), call_sid="CA" + "7" * 32,
                                       counselor_id=1, line_id="chengdu", message="来电者表示今晚有具体计划")
    for tab in (page, other):
        item = tab.locator(f'.alert-item[data-alert="{alert.id}"]')
        expect(item).to_be_visible(timeout=2000)
        expect(item).to_contain_text("紧急风险")
        expect(item).to_contain_text("李老师")
        expect(item).to_contain_text("…777777")
        expect(tab.locator("body")).to_have_attribute("data-alarm", "on")
    expect(page.locator("#alarm-unlock")).to_be_visible()          # no click yet: the browser blocks sound
    bursts = page.evaluate("window.HotlineAlarm.bursts")
    time.sleep(2.7)
    assert page.evaluate("window.HotlineAlarm.bursts") > bursts       # it keeps repeating
    page.screenshot(path="/tmp/hotline-dashboard-alert.png", full_page=True)

    page.locator(f'.alert-item[data-alert="{alert.id}"] .alert-ack').click()
    for tab in (page, other):
        expect(tab.locator(f'.alert-item[data-alert="{alert.id}"]')).to_have_count(0, timeout=2000)
        expect(tab.locator("#alerts")).to_be_hidden()
        expect(tab.locator("body")).to_have_attribute("data-alarm", "off")
    assert Hotline(outside).alerts.open_alerts() == []
    other.context.close()
