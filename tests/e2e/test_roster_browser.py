"""A supervisor generates a roster in a real browser: the progress bar runs (an RQ worker
process does the work), then the week view shows who is on which shift."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import PASSWORD, needs_chromium
from tests.servers import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium]
SCREENSHOT = "/tmp/hotline-roster-week.png"


def plan(server) -> None:
    """Two counselors, the 成都高新区 early/late slots and a rotation, written as the server's own code would."""
    from hotline.bootstrap import Adapters, Hotline
    from hotline.settings import from_env
    from hotline.usecases.roster.patterns_form import PatternInput

    server.add_user("sup", "supervisor", "chengdu", "王督导")
    server.add_user("zhang", "counselor", "chengdu-gaoxin", "张老师")
    hotline = Hotline(Adapters(from_env(server.env)))
    try:
        setup = hotline.roster_setup
        setup.create_slot(None, line_id="chengdu-gaoxin", start="09:00", end="15:00", seats=1,
                          label_zh="早班", label_en="early", code="gx-early")
        setup.create_slot(None, line_id="chengdu-gaoxin", start="15:00", end="21:00", seats=1,
                          label_zh="晚班", label_en="late", code="gx-late")
        setup.create_pattern(None, PatternInput(code="gx", cycle_text="gx-early gx-late",
                                                assignees_text="li\nzhang", start=date(2026, 1, 1)))
    finally:
        hotline.close()


@pytest.fixture
def worker(live_server, tmp_path):
    log = open(tmp_path / "worker.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "hotline", "worker", "--without-scheduler"],
                               env=live_server.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_supervisor_generates_a_roster_and_sees_the_week(live_server, worker, page):
    plan(live_server)
    base = live_server.base
    page.goto(base + "/login")
    page.fill("#username", "sup")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(base + "/roster")
    expect(page.locator("h1")).to_contain_text("排班")
    today = date.fromisoformat(page.input_value("#gen-from"))
    page.fill("#gen-to", (today + timedelta(days=60)).isoformat())
    page.click("#gen-submit")
    expect(page.locator("#gen-status")).to_be_visible()
    expect(page.locator("#gen-text")).to_contain_text("完成", timeout=30_000)
    assert page.locator("#gen-progress").get_attribute("value") == "100"
    page.wait_for_url(f"{base}/roster?date={today.isoformat()}", timeout=10_000)
    week = page.locator("#week-chengdu-gaoxin")
    expect(week).to_contain_text("李老师")
    expect(week).to_contain_text("张老师")
    expect(week).to_contain_text("早班")
    page.screenshot(path=SCREENSHOT, full_page=True)
