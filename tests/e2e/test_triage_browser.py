"""Triage in a real browser: a counselor fills the form, the answers make `high`, the
supervisors' screens show the alert within a second, and the call record cannot be
closed until a referral is recorded."""
from __future__ import annotations

import sqlite3
import time

import pytest
import requests

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import CHROMIUM_ARGS, PASSWORD, needs_chromium, needs_vendor  # noqa: E402,F401
from tests.twilio_fake import call_params, new_call_sid  # noqa: E402

CHENGDU_24H = "+862887577510"     # 成都市心理援助热线, 24 h, menu: 1 general, 0 danger
CALLER = "+8613908170000"         # a Chengdu mobile: Chengdu institutions are suggested
pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium, needs_vendor]


@pytest.fixture(autouse=True)
def no_rq_leftovers(redis_url, redis_prefix):
    """The server schedules a follow-up job under RQ's own keys: remove it afterwards."""
    yield
    from tests.integration.triage.conftest import remove_rq_jobs

    remove_rq_jobs(redis_url, redis_prefix)


def sign_in(page, base: str, username: str, landing: str) -> None:
    page.goto(f"{base}/login?next={landing}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + landing)


def ring(server) -> str:
    sid = new_call_sid()
    assert "<Gather" in server.twilio("/voice/incoming", call_params(sid, CHENGDU_24H, CALLER)).text
    server.twilio("/voice/menu?line=chengdu", call_params(sid, CHENGDU_24H, CALLER, Digits="1"))
    server.twilio("/voice/wait?line=chengdu", call_params(sid, CHENGDU_24H, CALLER, QueueSid="QU" + "1" * 32))
    return sid


def answer(page, item: str, value: str) -> None:
    page.check(f'#triage-form [data-item="{item}"] input[value="{value}"]')


@pytest.fixture
def supervisor_tabs(live_server, browser):
    """A supervisor signed in, with the dashboard (if installed) and the triage page open."""
    live_server.add_user("zhou", "supervisor", "", "周督导")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    triage = context.new_page()
    triage.set_default_timeout(10_000)
    sign_in(triage, live_server.base, "zhou", "/triage")
    expect(triage.locator("#connection")).to_contain_text("已连接")
    dashboard = None
    if requests.get(live_server.base + "/dashboard", allow_redirects=False, timeout=5).status_code != 404:
        dashboard = context.new_page()
        dashboard.goto(live_server.base + "/dashboard")
        dashboard.wait_for_load_state("networkidle")
    yield context, triage, dashboard
    context.close()


def test_high_risk_answers_alert_supervisors_at_once_and_closing_needs_a_referral(live_server, page,
                                                                                  supervisor_tabs):
    context, triage_tab, dashboard_tab = supervisor_tabs
    sign_in(page, live_server.base, "li", "/console")
    expect(page.locator("#connection")).to_contain_text("已连接")
    page.click(".status-btn[data-state=available]")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")

    sid = ring(live_server)
    expect(page.locator("#offer")).to_be_visible(timeout=5_000)
    page.click("#accept")
    expect(page.locator("#call")).to_be_visible()
    expect(page.locator("#triage")).to_be_visible()
    expect(page.locator('#triage-form [data-item="wish_dead"]')).to_be_visible()
    expect(page.locator('#triage-form [data-item="method"]')).to_be_hidden()     # ask_when, in the browser
    expect(page.locator("#triage-form-version")).to_have_text("default v1")

    for item, value in (("wish_dead", "yes"), ("suicidal_thoughts", "yes"), ("behavior", "none"),
                        ("harm_others", "none"), ("danger_now", "no")):
        answer(page, item, value)
    expect(page.locator('#triage-form [data-item="method"]')).to_be_visible()
    answer(page, "method", "no")
    answer(page, "plan", "no")
    expect(page.locator("#triage-level")).to_have_text("低 / low")
    expect(page.locator("#triage-reasons")).to_contain_text("希望自己死去")
    expect(page.locator('#triage-form [data-item="emergency_checklist"]')).to_be_hidden()

    started = time.monotonic()
    answer(page, "intent", "yes")                                      # this answer makes it high
    expect(triage_tab.locator('#risk-alerts li[data-level="high"]')).to_be_visible(timeout=1_000)
    if dashboard_tab is not None:
        expect(dashboard_tab.locator("#alert-list li.risk-edge-high")).to_be_visible(timeout=1_000)
    assert time.monotonic() - started < 1.5
    triage_tab.screenshot(path="/tmp/hotline-triage-alert.png", full_page=True)
    board = context.request.get(live_server.base + "/api/dashboard")
    if board.status != 404:
        assert any(a["kind"] == "risk" and a["level"] == "high" and a["call"] == sid
                   for a in board.json()["alerts"])

    expect(page.locator("#triage-level")).to_have_text("高 / high")
    expect(page.locator("#triage-reasons")).to_contain_text("付诸行动的意图")
    expect(page.locator("#triage-actions")).to_contain_text("必须完成转介")
    expect(page.locator("#triage-suggestions")).to_contain_text("成都市精神卫生中心")
    page.fill('#triage-form [data-item="notes"] textarea', "来电者独居，刚失业 / lives alone, just lost the job")
    expect(page.locator("#triage-saving")).to_contain_text("已加密保存")
    page.screenshot(path="/tmp/hotline-triage-console.png", full_page=True)

    page.click("#hangup")
    expect(page.locator("#wrapup")).to_be_visible()
    expect(page.locator("#triage")).to_be_visible()                    # wrap-up keeps the form
    page.click("#ready")
    expect(page.locator("#triage-blockers")).to_contain_text("转介")        # said once, by the panel
    expect(page.locator("#message")).to_be_hidden()
    expect(page.locator("#presence-label")).to_have_text("整理中 / Wrap-up")
    if dashboard_tab is not None:          # the supervisors see the open record and the marker on the card
        dashboard_tab.wait_for_timeout(3_500)                            # past the dashboard's 3 s cache
        dashboard_tab.reload()
        expect(dashboard_tab.locator(f'#blocked-list li[data-call="{sid}"]')).to_contain_text("李老师")
        expect(dashboard_tab.locator(".counselor-tile.is-blocked .tile-blocked")).to_contain_text("未完成高风险记录")
        dashboard_tab.screenshot(path="/tmp/hotline-dashboard-blocked-record.png", full_page=True)
    expect(triage_tab.locator("#risk-alerts")).to_be_visible()
    triage_tab.reload()
    expect(triage_tab.locator(f'#blocked-list tr[data-blocked="{sid}"]')).to_contain_text("李老师")

    page.locator('#triage-suggestions li[data-institution="chengdu_psychiatric"] button[data-refer="accepted"]').click()
    expect(page.locator('#triage-referrals li[data-status="accepted"]')).to_be_visible()    # one action
    expect(page.locator("#triage-blockers")).to_be_hidden()
    page.click("#ready")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")

    with sqlite3.connect(live_server.database) as db:
        level, version, answers = db.execute("SELECT level, form_version, answers_encrypted FROM "
                                             "triage_assessments WHERE call_sid = ?", (sid,)).fetchone()
    assert (level, version) == ("high", 1)
    assert "独居" not in answers and "lives alone" not in answers
    log = (live_server.database.parent / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "独居" not in log and "lives alone" not in log and "13908170000" not in log


def make_high(page) -> None:
    for item, value in (("wish_dead", "yes"), ("suicidal_thoughts", "yes"), ("behavior", "none"),
                        ("harm_others", "none"), ("danger_now", "no")):
        answer(page, item, value)
    answer(page, "method", "yes")
    answer(page, "plan", "no")
    answer(page, "intent", "yes")
    expect(page.locator("#triage-level")).to_have_text("高 / high")
    expect(page.locator("#triage-saving")).to_contain_text("已加密保存")


def test_the_console_opens_on_the_blocked_record_after_a_reload_and_a_new_sign_in(live_server, page):
    sign_in(page, live_server.base, "li", "/console")
    expect(page.locator("#connection")).to_contain_text("已连接")
    page.click(".status-btn[data-state=available]")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")   # the server has it: ring only now
    sid = ring(live_server)
    expect(page.locator("#offer")).to_be_visible(timeout=5_000)
    page.click("#accept")
    expect(page.locator("#triage")).to_be_visible()
    make_high(page)
    page.click("#hangup")
    expect(page.locator("#wrapup")).to_be_visible()

    page.reload()                                                       # the page forgets the call ...
    expect(page.locator("#connection")).to_contain_text("已连接")
    expect(page.locator("#triage")).to_be_visible()                     # ... the state names it
    expect(page.locator("#triage-level")).to_have_text("高 / high")
    expect(page.locator("#triage-blockers")).to_contain_text("转介")

    page.click(".status-btn[data-state=break]")                         # people may stop
    expect(page.locator("#presence-label")).to_have_text("休息 / Break")
    expect(page.locator("#triage")).to_be_visible()
    page.locator('form[action="/logout"] button').click()
    page.wait_for_url("**/login**")
    sign_in(page, live_server.base, "li", "/console")                   # a new sign-in opens it again
    expect(page.locator("#triage")).to_be_visible()
    expect(page.locator("#triage-level")).to_have_text("高 / high")
    expect(page.locator("#triage-blockers")).to_be_visible()
    state = page.request.get(live_server.base + "/api/console/state").json()
    assert state["blocked"]["call_sid"] == sid and state["blocked"]["level"] == "high"
    page.screenshot(path="/tmp/hotline-console-blocked-record.png", full_page=True)

    # Declining needs a reason: refused with a clear message, nothing recorded.
    institution = page.locator('#triage-suggestions li[data-institution="chengdu_psychiatric"]')
    institution.locator('button[data-refer="declined"]').click()
    expect(page.locator("#triage-error")).to_contain_text("拒绝转介须写明原因")
    expect(page.locator("#triage-error")).to_contain_text("a declined referral needs a reason")
    expect(page.locator("#triage-referrals li.referral")).to_have_count(0)

    # One action — "转介 / Refer" — records a referral the caller agreed to, with its follow-up,
    # and lifts the block: no second click.
    institution.locator('button[data-refer="accepted"]').click()
    accepted = page.locator('#triage-referrals li[data-status="accepted"]')
    expect(accepted).to_be_visible()
    expect(accepted.locator(".referral-help")).to_contain_text("来电者同意转介")
    expect(accepted.locator(".referral-follow-up")).to_contain_text("回访 / follow-up")
    expect(page.locator("#triage-blockers")).to_be_hidden()
    expect(page.locator("#triage-error")).to_be_hidden()
    page.click(".status-btn[data-state=available]")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")
    expect(page.locator("#message")).not_to_contain_text("尚不能结束通话记录")
    state = page.request.get(live_server.base + "/api/console/state").json()
    assert state["blocked"] is None and state["presence"]["state"] == "available"
    page.screenshot(path="/tmp/hotline-console-one-action-referral.png", full_page=True)
