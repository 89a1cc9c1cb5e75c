"""The dashboard's service level in a real browser, against a known call record on a fixed
clock (HOTLINE_NOW): today's and the last hour's figures for Chengdu and overall, the
legend that states the formula, and the "all counselors busy, N waiting" state."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from hotline.bootstrap import Adapters  # noqa: E402
from hotline.devtools.synthetic_calls import SyntheticCall, insert_calls  # noqa: E402
from hotline.ports import Presence  # noqa: E402
from hotline.settings import from_env  # noqa: E402
from hotline.store.db import Database  # noqa: E402
from tests.e2e.conftest import PASSWORD, LiveServer, needs_chromium, needs_vendor  # noqa: E402
from tests.servers import free_port, running_server, server_env  # noqa: E402
from tests.twilio_fake import call_params, new_call_sid  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium, needs_vendor]
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=TZ)          # a Monday afternoon, frozen
CHENGDU_24H = "+862887577510"

# (local time, outcome, wait in seconds): T = 20 s.
#   today:     answered within 10, 15, 12, 8; answered late 45; abandoned within 5 (left out);
#              abandoned late 60, 30 → SL = 4 / (5 + 2) = 57 %; answer rate 5 / 8 = 63 %
#   last hour: 14:00 answered 12, 14:10 abandoned 30, 14:20 answered 8
#              → SL = 2 / (2 + 1) = 67 %; answer rate 67 %; ASA (12 + 8) / 2 = 10 s
RECORD = (("09:00", "answered", 10), ("09:10", "answered", 15), ("10:00", "answered", 45),
          ("10:05", "abandoned", 5), ("11:00", "abandoned", 60), ("14:00", "answered", 12),
          ("14:10", "abandoned", 30), ("14:20", "answered", 8))


def known_calls() -> list[SyntheticCall]:
    calls = []
    for index, (clock, outcome, wait) in enumerate(RECORD):
        hour, minute = map(int, clock.split(":"))
        calls.append(SyntheticCall(
            call_sid=f"CA{index:032d}", dialled_line="chengdu", dialled_number=CHENGDU_24H,
            caller_key=f"{index:064x}", received_at=NOW.replace(hour=hour, minute=minute), outcome=outcome,
            path=("chengdu",), wait_seconds=float(wait), talk_seconds=300.0 if outcome == "answered" else None,
            counselor_id=1 if outcome == "answered" else None))
    return calls


@pytest.fixture
def server(tmp_path, redis_url, redis_prefix):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    database = tmp_path / "hotline.db"
    env = server_env(tmp_path, f"sqlite:///{database}", redis_url, redis_prefix, base,
                     HOTLINE_NOW=NOW.isoformat())
    live = LiveServer(base, env, database)
    live.cli("db", "upgrade")
    live.add_user("boss", "supervisor", "chengdu", "王督导")
    store = Database(f"sqlite:///{database}")
    with store.session() as session:
        insert_calls(session, known_calls())
    store.dispose()
    with running_server(env, port=port, log_path=tmp_path / "server.log"):
        outside = Adapters(from_env(env))
        yield live, outside
        outside.close()


def test_the_dashboard_shows_service_level_today_and_in_the_last_hour(server, page):
    live, outside = server
    page.goto(f"{live.base}/login?next=/dashboard")
    page.fill("#username", "boss")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(live.base + "/dashboard")))
    expect(page.locator("#dashboard")).to_have_attribute("aria-busy", "false")

    expect(page.locator("#kpi-service-level")).to_have_text("57%")
    expect(page.locator("#kpi-sl-threshold")).to_have_text("≤20秒")
    expect(page.locator("#kpi-service-level-hour")).to_have_text("67%")
    expect(page.locator("#kpi-answer-rate")).to_have_text("63%")
    expect(page.locator("#kpi-answer-rate-hour")).to_have_text("67%")
    expect(page.locator("#kpi-asa-hour")).to_have_text("00:10")
    legend = page.locator("#sl-legend")
    expect(legend).to_contain_text("T 秒内放弃的来电不计入")
    expect(legend).to_contain_text("calls abandoned within T are left out")

    chengdu = page.locator('.line-card[data-line="chengdu"]')
    expect(chengdu.locator('[data-field="today"] [data-figure="service-level"]')).to_have_text("57%")
    expect(chengdu.locator('[data-field="today"]')).to_contain_text("服务水平≤20秒")
    expect(chengdu.locator('[data-field="hour"] [data-figure="service-level"]')).to_have_text("67%")
    expect(chengdu.locator('[data-field="hour"] [data-figure="answer-rate"]')).to_have_text("67%")
    expect(chengdu.locator('[data-field="hour"] [data-figure="asa"]')).to_have_text("00:10")
    gaoxin = page.locator('.line-card[data-line="chengdu-gaoxin"]')
    expect(gaoxin.locator('[data-field="today"] [data-figure="service-level"]')).to_have_text("–")
    expect(chengdu.locator('[data-field="busy"]')).to_be_hidden()

    # the only counselor for Chengdu is on a call and a caller rings in: "all busy, 1 waiting"
    outside.presence.set(Presence(1, "on_call", outside.now(), ("chengdu",), "李老师", "CA" + "9" * 32))
    sid = new_call_sid()
    live.twilio("/voice/incoming", call_params(sid, CHENGDU_24H, "+8613551585969"))
    live.twilio("/voice/menu?line=chengdu", call_params(sid, CHENGDU_24H, "+8613551585969", Digits="1"))
    busy = chengdu.locator('[data-field="busy"]')
    expect(busy).to_be_visible(timeout=3000)
    expect(busy).to_have_text("全部忙碌 · 1 位等待 / All counselors busy, 1 waiting")
    expect(chengdu).to_have_class(re.compile(r"\bis-busy\b"))
    page.screenshot(path="/tmp/hotline-dashboard-service-level.png", full_page=True)
