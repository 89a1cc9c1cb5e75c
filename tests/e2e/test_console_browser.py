"""A counselor's call in a real browser: sign in, go available, a call rings, accept,
write a note, hang up — and the call record shows who answered, the wait and the talk."""
from __future__ import annotations

import sqlite3
import time

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import PASSWORD, needs_chromium, needs_vendor
from tests.twilio_fake import call_params, new_call_sid

CHENGDU_24H = "+862887577510"     # 成都市心理援助热线, 24 h, menu: 1 general, 0 danger
CALLER = "+8613551585969"
NOTE = "来电者睡眠差，已做放松练习 / poor sleep; did a relaxation exercise"
SCREENSHOT = "/tmp/hotline-console-offer.png"
pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium, needs_vendor]


def sign_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", "li")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/console")
    expect(page.locator("#connection")).to_contain_text("已连接")


def ring(server) -> str:
    """A caller dials Chengdu, presses 1 in the menu and waits in the queue."""
    sid = new_call_sid()
    assert "<Gather" in server.twilio("/voice/incoming", call_params(sid, CHENGDU_24H, CALLER)).text
    queued = server.twilio("/voice/menu?line=chengdu", call_params(sid, CHENGDU_24H, CALLER, Digits="1"))
    assert "<Enqueue" in queued.text
    server.twilio("/voice/wait?line=chengdu", call_params(sid, CHENGDU_24H, CALLER, QueueSid="QU" + "1" * 32))
    return sid


def call_record(database, sid: str, timeout: float = 10.0):
    """The calls row once the write-behind has stored the talk time."""
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(database) as db:
            row = db.execute("SELECT counselor_id, wait_seconds, talk_seconds, status FROM calls "
                             "WHERE call_sid = ?", (sid,)).fetchone()
        if (row and row[2] is not None) or time.monotonic() > deadline:
            return row
        time.sleep(0.2)


def test_counselor_answers_notes_and_ends_a_call(live_server, page):
    sign_in(page, live_server.base)
    expect(page.locator("#audio-mode")).to_contain_text("模拟模式（无音频）/ simulator mode (no audio)")
    page.click(".status-btn[data-state=available]")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")

    sid = ring(live_server)
    offer = page.locator("#offer")
    expect(offer).to_be_visible(timeout=5_000)
    expect(page.locator("#offer-line")).to_have_text("成都市心理援助热线")
    expect(page.locator("#offer-menu")).to_have_text("一般咨询 / General")
    expect(page.locator("#offer-countdown")).to_contain_text("秒内接听")
    expect(page.locator("#announcer")).to_contain_text("新来电")
    time.sleep(1.2)                                   # let the countdown and the wait move
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.reload()                                     # a reload re-syncs the ringing offer
    expect(offer).to_be_visible()
    page.locator("body").press("a")                   # the keyboard shortcut accepts
    expect(page.locator("#call")).to_be_visible()
    expect(offer).to_be_hidden()
    expect(page.locator("#presence-label")).to_have_text("通话中 / On a call")

    page.fill("#note-text", NOTE)
    page.click("#note-save")
    expect(page.locator("#note-list")).to_contain_text("放松练习")
    expect(page.locator("#note-text")).to_have_value("")
    time.sleep(1.5)                                   # a talk of at least a second
    page.screenshot(path="/tmp/hotline-console-call.png", full_page=True)
    page.click("#hangup")
    expect(page.locator("#wrapup")).to_be_visible()
    expect(page.locator("#notes")).to_be_visible()    # notes stay open in wrap-up
    page.screenshot(path="/tmp/hotline-console-wrapup.png", full_page=True)

    counselor_id, waited, talked, status = call_record(live_server.database, sid)
    assert counselor_id == 1
    assert waited is not None and waited > 0
    assert talked is not None and talked >= 1
    with sqlite3.connect(live_server.database) as db:
        [body] = db.execute("SELECT body_encrypted FROM call_notes WHERE call_sid = ?", (sid,)).fetchone()
    assert "放松" not in body and "relaxation" not in body

    page.click("#ready")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")
    expect(page.locator("#idle-text")).to_contain_text("等待来电")


def test_flagged_repeat_caller_is_marked_and_a_hang_up_withdraws_the_offer(live_server, page):
    live_server.flag(CALLER)
    sign_in(page, live_server.base)
    page.click(".status-btn[data-state=available]")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")

    first = ring(live_server)
    expect(page.locator("#offer")).to_be_visible(timeout=5_000)
    expect(page.locator("#offer-flagged")).to_be_visible()
    expect(page.locator("#offer-priority")).to_have_text("优先：高危回访来电 / priority: flagged caller")
    page.locator("body").press("d")                   # declined: never offered to li again
    expect(page.locator("#offer")).to_be_hidden()
    live_server.twilio("/voice/status", call_params(first, CHENGDU_24H, CALLER, status="completed"))

    second = ring(live_server)                        # the same person calls back
    expect(page.locator("#offer")).to_be_visible(timeout=5_000)
    expect(page.locator("#offer-flagged")).to_be_visible()
    expect(page.locator("#offer-history")).to_contain_text("既往来电 / Previous contacts")
    expect(page.locator("#offer-history-list dd").first).to_have_text("1")
    page.screenshot(path="/tmp/hotline-console-repeat.png", full_page=True)

    live_server.twilio("/voice/status", call_params(second, CHENGDU_24H, CALLER, status="completed"))
    expect(page.locator("#offer")).to_be_hidden()
    expect(page.locator("#message")).to_contain_text("来电者已挂断")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")
