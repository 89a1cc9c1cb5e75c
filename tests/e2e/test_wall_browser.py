"""The wall screen (/dashboard?wall=1) on the screens a centre hangs on its wall.

At 1920×1080, 1440×900 and 1366×768, with a crowded floor (18 counselors, callers waiting,
two alerts): nothing scrolls, no navigation bar, no text cut (no element narrower than its
text), and the figures are large enough to read across a room. Less room drops detail
(whole sections or columns), never clips. Screenshots: test-screenshots/wall-*.png.
"""
from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
from playwright.sync_api import expect  # noqa: E402

from hotline.bootstrap import Adapters  # noqa: E402
from hotline.settings import from_env  # noqa: E402
from tests.e2e.conftest import needs_chromium, needs_vendor  # noqa: E402
from tests.e2e.floor import CROWD, add_supervisors, busy_floor, sign_in  # noqa: E402
from tests.e2e.screenshots import shoot  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium, needs_vendor]
SIZES = [(1920, 1080), (1440, 900), (1366, 768)]

# Every visible element that holds text directly, whose text is wider or taller than its box
# while its overflow is not shown: text cut (by an ellipsis or by overflow: hidden).
CLIPPED_TEXT = """() => {
  const cut = [];
  for (const node of document.querySelectorAll("#dashboard *")) {
    const own = Array.from(node.childNodes).some(c => c.nodeType === 3 && c.textContent.trim());
    if (!own || !node.offsetParent || node.closest(".visually-hidden")) continue;   // screen readers only
    const style = getComputedStyle(node);
    if (style.overflowX === "visible" && style.textOverflow !== "ellipsis") continue;
    if (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1)
      cut.push(node.className + ": " + node.textContent.trim().slice(0, 40));
  }
  return cut;
}"""
# Text that leaves the screen: a box reaching past the viewport's right or bottom edge.
OFF_SCREEN = """() => Array.from(document.querySelectorAll("#dashboard *"))
  .filter(n => n.offsetParent && n.getClientRects().length)
  .filter(n => { const r = n.getBoundingClientRect(); return r.right > innerWidth + 1 || r.bottom > innerHeight + 1; })
  .map(n => n.className || n.tagName)"""
FONT_PX = "(selector) => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)"


@pytest.fixture
def floor(live_server):
    add_supervisors(live_server)
    outside = Adapters(from_env(live_server.env))
    busy_floor(live_server, outside, people=CROWD, waiting=4, alerts=2)
    yield live_server
    outside.close()


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_wall_fits_the_screen_without_scrolling_clipping_or_navigation(floor, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(tab, floor.base, "boss", "/dashboard?wall=1")
    expect(tab.locator("body")).to_have_class(re.compile(r"\bwall\b"))
    expect(tab.locator(".counselor-tile")).to_have_count(len(CROWD))
    expect(tab.locator(".alert-item")).to_have_count(2)
    tab.wait_for_timeout(300)
    shoot(tab, f"wall-{width}x{height}")
    expect(tab.locator("#dashboard")).to_have_attribute("data-fitted", "true")

    sizes = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
                         " innerWidth, innerHeight]")
    assert sizes[0] <= sizes[2] and sizes[1] <= sizes[3], f"the wall scrolls at {width}×{height}: {sizes}"
    assert tab.locator("nav:visible").count() == 0 and tab.locator(".topbar").is_hidden()
    assert tab.evaluate(CLIPPED_TEXT) == []
    assert tab.evaluate(OFF_SCREEN) == []
    # what matters most stays on the wall, in type that reads across a room
    for must in ("#kpi-waiting", "#kpi-longest", "#kpi-available", "#kpi-answer-rate", ".alert-item",
                 '.line-card[data-line="chengdu"] [data-field="waiting"]', ".counselor-tile .tile-name"):
        expect(tab.locator(must).first).to_be_visible()
    assert tab.evaluate(FONT_PX, "#kpi-waiting") >= 32
    assert tab.evaluate(FONT_PX, '.line-card [data-field="waiting"]') >= 28
    assert tab.evaluate(FONT_PX, ".tile-name") >= 18
    names = tab.locator(".counselor-tile .tile-name").all_inner_texts()
    assert "司马静怡（实习）" in names and "欧阳明月老师" in names       # whole names, never cut
    assert errors == []
    context.close()


def test_the_wall_still_fits_after_the_window_shrinks(floor, browser):
    """A browser moved from the big screen to a smaller one refits without a reload."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    tab = context.new_page()
    sign_in(tab, floor.base, "boss", "/dashboard?wall=1")
    expect(tab.locator("#dashboard")).to_have_attribute("data-fitted", "true")
    tab.set_viewport_size({"width": 1366, "height": 768})
    tab.wait_for_timeout(600)
    expect(tab.locator("#dashboard")).to_have_attribute("data-fitted", "true")
    assert tab.evaluate("document.documentElement.scrollHeight <= innerHeight")
    assert tab.evaluate(CLIPPED_TEXT) == []
    context.close()
