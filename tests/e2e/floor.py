"""A busy floor for the dashboard's browser tests: counselors in every state, callers waiting,
high-risk alerts; and the supervisor's sign-in. Shared by the dashboard, wall and look tests."""
from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from hotline.bootstrap import Hotline
from hotline.ports import Presence
from tests.e2e.conftest import PASSWORD
from tests.twilio_fake import call_params, new_call_sid

CHENGDU_24H = "+862887577510"     # 成都市心理援助热线, 24 h, menu: 1 general
CALLER = "+8613551585969"
ALL_LINES = ("chengdu", "sichuan", "chengdu-gaoxin")
SEVEN = [(11, "张老师", "on_call"), (12, "王老师", "on_call"), (13, "刘老师", "wrap_up"), (14, "陈老师", "break"),
         (15, "杨老师", "on_call"), (16, "黄老师", "wrap_up"), (17, "周老师", "on_call")]
# a large centre's evening: long names (a compound surname and a trainee's full name), every state
CROWD = SEVEN + [(18, "欧阳明月老师", "available"), (19, "司马静怡（实习）", "available"), (20, "诸葛文华", "on_call"),
                 (21, "李老师", "break"), (22, "赵老师", "wrap_up"), (23, "孙老师", "available"),
                 (24, "吴老师", "on_call"), (25, "郑老师", "available"), (26, "冯老师", "wrap_up"),
                 (27, "何老师", "on_call"), (28, "许老师", "available")]


def add_supervisors(live) -> None:
    for name, display in (("boss", "王督导"), ("deputy", "赵督导")):
        live.cli("users", "add", name, "--role", "supervisor", "--display-name", display,
                 "--password-stdin", stdin=PASSWORD + "\n")


def sign_in(page, base: str, username: str, target: str = "/dashboard", lands_on: str = "/dashboard") -> None:
    page.goto(f"{base}/login?next={target}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base + lands_on)))
    if lands_on == "/dashboard":
        expect(page.locator("#connection")).to_contain_text("已连接")
        expect(page.locator("#dashboard")).to_have_attribute("aria-busy", "false")


def ring(server) -> str:
    sid = new_call_sid()
    server.twilio("/voice/incoming", call_params(sid, CHENGDU_24H, CALLER))
    assert "<Enqueue" in server.twilio("/voice/menu?line=chengdu", call_params(sid, CHENGDU_24H, CALLER, Digits="1")).text
    return sid


def busy_floor(live, outside, people=SEVEN, waiting: int = 3, alerts: int = 1) -> None:
    """Counselors in every state on every line, callers waiting on Chengdu, high-risk alerts."""
    for cid, name, state in people:
        outside.presence.set(Presence(cid, state, outside.now(), ALL_LINES, name))
    for _ in range(waiting):
        ring(live)
    messages = ["来电者有自伤史，已做安全评估", "来电者情绪激动，多次提到不想活了，正在进行安全计划"]
    for index in range(alerts):
        Hotline(outside).alerts.raise_alert("risk", "high", outside.now(), call_sid="CA" + str(3 + index) * 32,
                                            counselor_id=11 + index, line_id="chengdu", message=messages[index % 2])
    time.sleep(0.5)
