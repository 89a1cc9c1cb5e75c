"""How the pages look in a real browser: every page at 1440×900 as a screenshot for a reviewer
(test-screenshots/), no request of any page answered with an error (the favicon included),
the English half of every button readable (WCAG AA, 4.5:1), and Chinese rendered with real
glyphs, not the empty boxes of a machine without a CJK font.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from hotline.bootstrap import Adapters  # noqa: E402
from hotline.settings import from_env  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, PASSWORD, needs_chromium, needs_vendor  # noqa: E402
from tests.e2e.floor import add_supervisors, busy_floor  # noqa: E402
from tests.e2e.screenshots import shoot  # noqa: E402
from tests.e2e.test_triage_browser import answer  # noqa: E402
from tests.integration.triage.conftest import remove_rq_jobs  # noqa: E402
from tests.e2e.test_triage_browser import ring as triage_ring  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium, needs_vendor]
VIEWPORT = {"width": 1440, "height": 900}
SUPERVISOR_PAGES = ["/dashboard", "/triage", "/triage/reviews", "/triage/referrals/overdue", "/reports",
                    "/roster", "/roster/month", "/roster/coverage"]
ADMIN_PAGES = ["/roster/slots", "/roster/patterns", "/roster/leave", "/roster/audit", "/reports/schedule"]
COUNSELOR_PAGES = ["/console", "/roster/mine", "/roster/swaps"]
CJK_SAMPLE = "心理援助热线排队接听咨询师转介报告"
LATIN_ONLY_FONTS = Path("/usr/share/fonts/truetype/dejavu")

# The contrast ratio (WCAG 2) of each visible button's English half against the button's own
# background (the first ancestor with an opaque background colour).
BUTTON_CONTRAST = """() => {
  const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = node => {
    for (; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] >= 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return Array.from(document.querySelectorAll(".btn .en")).filter(n => n.offsetParent).map(n => {
    const a = lum(rgb(getComputedStyle(n).color)), b = lum(background(n.closest(".btn")));
    return { text: n.closest(".btn").textContent.trim(), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
  });
}"""

# Each character drawn alone in the page's own font; the images compared with each other and
# with the box drawn for U+10FFFD (a code point no font has). Without a CJK font every
# Chinese character is that same box.
GLYPHS = """(chars) => {
  const font = "32px " + getComputedStyle(document.body).fontFamily;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const g = canvas.getContext("2d", { willReadFrequently: true });
  const image = ch => {
    g.clearRect(0, 0, 48, 48); g.font = font; g.fillStyle = "#000"; g.textBaseline = "top"; g.fillText(ch, 4, 4);
    return Array.from(g.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3)).join(",");
  };
  const tofu = image(String.fromCodePoint(0x10FFFD));
  const images = Array.from(chars).map(image);
  return { count: images.length, distinct: new Set(images).size,
           asTofu: images.filter(i => i === tofu).length, blank: images.filter(i => !/[1-9]/.test(i)).length };
}"""


@pytest.fixture
def center(live_server):
    """Supervisors, an admin, and a busy floor so the dashboard has something to show."""
    add_supervisors(live_server)
    live_server.add_user("root", "admin", "", "管理员")
    outside = Adapters(from_env(live_server.env))
    busy_floor(live_server, outside)
    yield live_server
    outside.close()


def new_tab(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    failed: list[str] = []
    tab.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.on("pageerror", lambda error: failed.append(f"JavaScript: {error}"))
    return context, tab, failed


def sign_in(tab, base: str, username: str) -> None:
    tab.goto(f"{base}/login")
    tab.fill("#username", username)
    tab.fill("#password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(re.compile(re.escape(base) + r"/(dashboard|console)"))


def name_of(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


def visit(tab, base: str, path: str) -> None:
    tab.goto(base + path)
    tab.wait_for_load_state("networkidle")
    tab.wait_for_timeout(300)                   # the live pages draw their first snapshot


def test_every_page_at_1440x900_without_failed_requests(center, browser):
    context, tab, failed = new_tab(browser)
    tab.goto(center.base + "/login")
    expect(tab.locator("#username")).to_be_visible()
    shoot(tab, "login")
    for username, pages in (("boss", SUPERVISOR_PAGES), ("root", ADMIN_PAGES), ("li", COUNSELOR_PAGES)):
        sign_in(tab, center.base, username)
        for path in pages:
            visit(tab, center.base, path)
            expect(tab.locator("main")).to_be_visible()
            shoot(tab, f"{username}-{name_of(path)}", full_page=True)
        tab.context.clear_cookies()
    assert failed == []
    context.close()


def test_the_english_half_of_every_button_is_readable(center, browser):
    context, tab, failed = new_tab(browser)
    sign_in(tab, center.base, "boss")
    measured = []
    for path in ("/dashboard?wall=1", "/dashboard", "/reports", "/triage", "/roster"):
        visit(tab, center.base, path)
        if "dashboard" in path:                 # the alarm button turns green once sound is on
            tab.click("#sound")
            tab.wait_for_timeout(300)           # dashboard.js sets the state it found (no audio here)
            tab.evaluate("document.getElementById('sound').classList.add('btn-success')")
            tab.evaluate("document.getElementById('sound').setAttribute('aria-pressed', 'true')")
            tab.wait_for_timeout(300)           # the colour's transition has ended
        measured += [dict(item, page=path) for item in tab.evaluate(BUTTON_CONTRAST)]
    assert any(m["page"] == "/reports" and "Show" in m["text"] for m in measured)          # btn-primary
    assert any(m["page"] == "/dashboard?wall=1" and "sound" in m["text"] for m in measured)   # btn-success, dark
    unreadable = [m for m in measured if m["ratio"] < 4.5]
    assert unreadable == [], unreadable
    context.close()


def test_chinese_renders_with_real_glyphs(center, browser):
    context, tab, _ = new_tab(browser)
    tab.goto(center.base + "/login")
    glyphs = tab.evaluate(GLYPHS, CJK_SAMPLE)
    assert glyphs["blank"] == 0 and glyphs["asTofu"] == 0, (
        f"中文显示为方框 / Chinese renders as missing glyphs ({glyphs}): install fonts-noto-cjk")
    assert glyphs["distinct"] == glyphs["count"]
    context.close()


@pytest.mark.skipif(not LATIN_ONLY_FONTS.is_dir(), reason="no DejaVu fonts to build a font-less machine from")
def test_the_glyph_check_catches_a_machine_without_cjk_fonts(center, playwright_driver, chromium_path, tmp_path):
    """The same check in a Chromium that sees only a Latin font reports the boxes."""
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><dir>{LATIN_ONLY_FONTS}</dir>'
                      f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    browser = playwright_driver.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS,
                                                env={"FONTCONFIG_FILE": str(config), "HOME": str(tmp_path)})
    try:
        tab = browser.new_page()
        tab.goto(center.base + "/login")
        glyphs = tab.evaluate(GLYPHS, CJK_SAMPLE)
    finally:
        browser.close()
    assert glyphs["asTofu"] + glyphs["blank"] == glyphs["count"] or glyphs["distinct"] == 1, glyphs


# Each suggested institution's hours badge: its words, its class and its background colour.
BADGES = """() => Array.from(document.querySelectorAll("#triage-suggestions li.suggestion > .pill")).map(pill => {
  const [r, g, b] = (getComputedStyle(pill).backgroundColor.match(/\\d+/g) || []).map(Number);
  return { text: pill.textContent, open: pill.classList.contains("institution-open"), green: g > r + 20 && g > b };
})"""


@pytest.fixture
def no_rq_leftovers(redis_url, redis_prefix):
    """A high-risk record schedules a follow-up job under RQ's own keys: remove it afterwards."""
    yield
    remove_rq_jobs(redis_url, redis_prefix)


def test_open_institutions_have_a_green_open_badge_and_closed_ones_a_grey_one(live_server, page, no_rq_leftovers):
    """A high-risk call in the console: the suggested institutions say whether they are open now."""
    sign_in(page, live_server.base, "li")
    page.click(".status-btn[data-state=available]")
    expect(page.locator("#presence-label")).to_have_text("可接听 / Available")   # the server has it: ring only now
    triage_ring(live_server)
    expect(page.locator("#offer")).to_be_visible(timeout=5_000)
    page.click("#accept")
    for item, value in (("wish_dead", "yes"), ("suicidal_thoughts", "yes"), ("behavior", "none"),
                        ("harm_others", "none"), ("danger_now", "no"), ("method", "no"), ("plan", "no"),
                        ("intent", "yes")):
        answer(page, item, value)
    expect(page.locator("#triage-suggestions li.suggestion").first).to_be_visible()
    badges = page.evaluate(BADGES)
    assert any(b["open"] for b in badges), badges                       # 24 h institutions are open now
    for badge in badges:
        assert badge["open"] == badge["text"].startswith("开放中 / open"), badge
        assert badge["green"] == badge["open"], badge                   # green means open, and only that
    shoot(page, "console-triage-suggestions", full_page=True)
