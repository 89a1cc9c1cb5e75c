"""What callers hear, in zh-CN. Kept in one place so a center can review every word."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hotline.ports import Prompt

VOICE = {"language": "cmn-CN", "voice": "Polly.Zhiyu"}

BREATHING = ("我们一起做一个放松呼吸练习。慢慢用鼻子吸气，一，二，三，四。"
             "轻轻屏住呼吸，一，二。再慢慢用嘴呼气，一，二，三，四，五，六。很好，再来一次。")
LEAVE_MESSAGE_HINT = "如果想留言或请我们回电，请按1。"
VOICEMAIL = "请在提示音后留言，说完请挂机。如需回电，请说出您方便接听的时间。"
VOICEMAIL_THANKS = "您的留言已收到，我们会尽快与您联系。如遇紧急危险，请立即拨打110或120。再见。"
EMERGENCY = "如果您现在有危险，请立即拨打110或120。"
TRANSFER_FAILED = "转接没有成功，正在为您尝试其他热线。"
CONNECTING = "正在为您接通咨询师，请稍候。"
CONFERENCE_HOLD = "请稍候，咨询师马上回来，您没有被挂断。"
TRANSFERRING = "正在为您转接，请稍候。"
GOODBYE = "感谢您的来电，再见。"
COUNSELOR_UNREACHED = "转接没有成功，" + EMERGENCY

_FIXED = {Prompt.TRANSFERRING: TRANSFERRING, Prompt.TRANSFER_FAILED: TRANSFER_FAILED, Prompt.GOODBYE: GOODBYE,
          Prompt.COUNSELOR_UNREACHED: COUNSELOR_UNREACHED, Prompt.VOICEMAIL_THANKS: VOICEMAIL_THANKS}


def welcome(line_name: str) -> str:
    return f"您好，这里是{line_name}。"


def spoken(prompt: Prompt | None, line_name: str = "") -> str | None:
    """The words of a fixed prompt (None: say nothing)."""
    if prompt is None:
        return None
    return welcome(line_name) if prompt is Prompt.WELCOME else _FIXED[prompt]


def queue_position(position: int, wait_s: float | None) -> str:
    ahead = max(position - 1, 0)
    head = "您是下一位，咨询师会尽快接听。" if ahead == 0 else f"您前面还有{ahead}位来电者。"
    if wait_s is None:
        return head + "请不要挂机。"
    minutes = max(1, round(wait_s / 60))
    return head + f"预计等待约{minutes}分钟，请不要挂机。"


def notice_reads_clock(reason: str, opens_at: datetime | None) -> bool:
    """Whether closed_notice's words depend on `now`: only a closed line's says when it opens
    ('今天18点', '明天上午8点')."""
    return reason not in ("busy", "unstaffed") and opens_at is not None


def closed_notice(reason: str, line_name: str, opens_at: datetime | None, now: datetime,
                  zone: str, target_name: str | None) -> str:
    if reason == "busy":
        head = f"{line_name}的咨询师都在通话中，为了不让您久等，"
    elif reason == "unstaffed":
        head = f"{line_name}的咨询师暂时都不在线，"
    else:
        opens = f"将于{speak_time(opens_at, now, zone)}开放，" if notice_reads_clock(reason, opens_at) else ""
        head = f"您拨打的{line_name}现在不在服务时间，{opens}"
    tail = f"正在为您转接{target_name}，请稍候。" if target_name else ""
    return head + tail


def nothing_open(notice_text: str, always_open: list[tuple[str, str]]) -> str:
    listed = "；".join(f"{name}，{_spell(number)}" for name, number in always_open[:4])
    numbers = f"以下热线二十四小时开放：{listed}。" if listed else ""
    return f"{notice_text}很抱歉，目前所有热线都不在服务时间。{numbers}{EMERGENCY}您也可以在提示音后留言。"


def speak_time(at: datetime, now: datetime, zone: str) -> str:
    """'今天18点', '明天上午8点30分', '10月1日9点' — how a person says it."""
    tz = ZoneInfo(zone)
    local, today = at.astimezone(tz), now.astimezone(tz).date()
    days = (local.date() - today).days
    day = {0: "今天", 1: "明天", 2: "后天"}.get(days, f"{local.month}月{local.day}日")
    minute = f"{local.minute}分" if local.minute else ""
    return f"{day}{local.hour}点{minute}"


def _spell(number: str) -> str:
    """Digits read one by one, as phone numbers are read aloud in Chinese."""
    digits = number.split("号线")[0]
    return " ".join(ch for ch in digits if ch.isdigit() or ch == "-").replace("-", "，")
