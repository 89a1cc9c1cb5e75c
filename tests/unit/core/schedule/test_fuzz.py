"""Garbage in, ScheduleError out: parsers never crash with another exception.

Operators paste hours from documents; whatever they paste, the answer must be a schedule
or a ScheduleError with a position inside the text — never an IndexError at 3 a.m.
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import ScheduleError, compile_schedule

CAL = china_calendar()
EXAMPLES = int(os.environ.get("HOTLINE_SCHEDULE_EXAMPLES", "300"))   # raise for a soak run
ZH_ALPHABET = list("周星期礼拜一二三四五六日天至到-~～—，,；;、和（）()除外节假日法定工作休息次日点时分半上午下午晚上凌晨"
                   "每天24小时全天7×:：0123456789 \n時週開共个少于照常开始结束止起晚早∶】【") + [
    "周一至周五", "8:00-18:00", "17:00-次日9:00", "节假日除外", "365天", "全年无休", "16个小时", "不少于", "汛期期间",
    "即日起", "时间不固定", "节假日照常", "2个半小时", "每个工作日", "\u00a0"]
OSM_ALPHABET = list("MoTuWeThFrSaSuPHJanDecoff0123456789:-,; /+[]\"|.–～：“”") + [
    "Mo-Fr", "08:00-18:00", "PH off", "24/7", "Dec 24-26", "2026 ", "22:00-02:00", "||", " open", ' "note"', "Sa[1]",
    "Su[-1]", " +1 day", " -2 days", "am", "pm", "10-12", "Monday", "Aug", ",Jan 31"]


def _check(text: str, fmt: str) -> None:
    try:
        schedule = compile_schedule(text, fmt=fmt, calendar=CAL)
    except ScheduleError as err:
        assert err.position is None or 0 <= err.position <= len(text)
        assert "cannot parse hours" in str(err)
        return
    at = datetime(2026, 10, 1, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    schedule.is_open(at)
    schedule.next_change(at)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(ZH_ALPHABET), max_size=25).map("".join))
def test_chinese_parser_only_raises_schedule_error(text):
    _check(text, "zh")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(OSM_ALPHABET), max_size=20).map("".join))
def test_osm_parser_only_raises_schedule_error(text):
    _check(text, "osm")
