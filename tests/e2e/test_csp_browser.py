"""Under the strict Content-Security-Policy every page loads in Chromium with no console
error and no CSP violation, and the main controls still work (Socket.IO connects, the
presence buttons answer, a select that submits its form, the admin's sign-out button)."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from tests.e2e.conftest import PASSWORD, needs_chromium, needs_vendor

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium, needs_vendor]

SUPERVISOR_PAGES = ["/dashboard", "/dashboard?wall=1", "/triage", "/triage/reviews", "/triage/referrals/overdue",
                    "/roster", "/roster/month", "/roster/slots", "/roster/patterns", "/roster/leave",
                    "/roster/swaps", "/roster/coverage", "/roster/audit", "/reports", "/reports/print", "/admin"]
COUNSELOR_PAGES = ["/console", "/roster/mine"]
WATCH_CSP = """document.addEventListener("securitypolicyviolation", function (e) {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI);
});"""


class Watched:
    """A tab whose console errors, page errors and CSP violations are collected."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                           timezone_id="Asia/Shanghai")
        self.context.add_init_script(WATCH_CSP)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))
        self.page.on("response", lambda r: self.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def open(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.status == 200, (url, response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("networkidle")
        violations = self.page.evaluate("window.__csp || []")
        assert violations == [], (url, violations)
        assert self.problems == [], (url, self.problems)

    def sign_in(self, base: str, name: str) -> None:
        self.page.goto(base + "/login")
        self.page.fill("#username", name)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")


def test_every_page_loads_clean_under_the_csp(live_server, browser):
    live_server.add_user("sup", "supervisor", "chengdu", "王督导")
    base = live_server.base
    anonymous = Watched(browser)
    anonymous.open(base + "/login")

    sup = Watched(browser)
    sup.sign_in(base, "sup")
    for path in SUPERVISOR_PAGES:
        sup.open(base + path)
    sup.open(base + "/roster")
    with sup.page.expect_navigation():
        sup.page.select_option("select[name=line]", index=1)      # data-autosubmit, no inline onchange
    assert "line=" in sup.page.url
    sup.open(base + "/admin")
    sup.page.locator("tr[data-username=li] button", has_text="Sign out everywhere").click()
    expect(sup.page.locator(".alert")).to_contain_text("signed out everywhere: li")
    assert sup.page.evaluate("window.__csp || []") == [] and sup.problems == []

    li = Watched(browser)
    li.sign_in(base, "li")
    for path in COUNSELOR_PAGES:
        li.open(base + path)
    li.open(base + "/console")
    expect(li.page.locator("#connection")).to_contain_text("已连接")     # Socket.IO under connect-src 'self'
    li.page.click(".status-btn[data-state=available]")
    expect(li.page.locator("#presence-label")).to_have_text("可接听 / Available")
    assert li.page.evaluate("window.__csp || []") == [] and li.problems == []
    for watched in (anonymous, sup, li):
        watched.context.close()
