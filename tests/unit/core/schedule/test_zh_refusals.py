"""Texts no careful reader can turn into hours are refused, naming the position and what is missing.

A schedule read wrongly routes a crisis call to a closed line, so the engine refuses
rather than guesses (issue 14). Each case checks the 0-based position and a fragment of the
English half of the message that says what is missing or contradictory; the CLI and the
directory loader show the same message and exit 1 (test_zh_cli.py).
"""

from __future__ import annotations

import pytest

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import ScheduleError, compile_schedule

CAL = china_calendar()


@pytest.mark.parametrize("text,position,fragment", [
    # a duration without a window
    ("每晚开通2小时", 4, "2 h says how long, not when"),
    ("16小时", 0, "16 h says how long, not when"),
    ("周六、周日各开放8个小时", 8, "8 h says how long, not when"),
    ("工作日开放2个半小时", 5, "2.5 h says how long, not when"),
    # approximate or minimum durations
    ("不少于16小时", 0, "minimum duration, not opening hours"),
    ("每天服务至少12小时", 4, "minimum duration"),
    ("每天8小时左右", 5, "approximate or minimum"),
    # an event or a period instead of hours — even with hours beside it
    ("汛期期间", 0, "names a period or an event"),
    ("疫情期间24小时值守", 0, "names a period or an event"),
    ("暑假期间每天9:00-17:00", 0, "names a period or an event"),
    ("即日起至另行通知", 0, "says from or until when, not at what times"),
    ("自即日起", 0, "says from or until when"),
    # hours declared unfixed
    ("时间不固定", 0, "hours are not fixed"),
    ("服务时间不固定", 4, "hours are not fixed"),
    ("值班时间待定", 4, "hours are not fixed"),
    # a part of the day with no clock times
    ("每周日下午", 3, "'下午' has no clock times"),
    ("周六上午", 2, "'上午' has no clock times"),
    ("周日下午休息", 2, "'下午' has no clock times"),
    ("工作日晚上开通", 3, "'晚上' has no clock times"),
    # claims that contradict the windows
    ("每天开放10小时，8:00-20:00", 4, "do not match the windows (12 h in all)"),
    ("8:00-12:00，14:00-18:00，共6小时", 24, "the stated 6 h do not match the windows (8 h in all)"),
    ("24小时（9:00-21:00）", 0, "the stated 24 h do not match"),
    ("全天候 9:00-17:00", 0, "the stated 24 h do not match"),
    ("上午15:00-17:00", 0, "上午 (morning) contradicts 15:00"),
    ("工作日 9:00-17:00，节假日照常", 15, "工作日 (official working days) excludes holidays"),
    ("每天9:00-17:00（节假日除外），节假日照常", 20, "also closes or excludes holidays"),
    ("全年无休，8:00-20:00，法定节假日休息", 0, "also closes or excludes holidays"),
    ("周一至周五 9:00-17:00，周末照常", 17, "'as usual' for days the text gives no hours for"),
    # an unfinished range
    ("9点开始", 4, "expected an end time"),
    ("早9点开始，晚9点", 9, "expected 结束 after the end time"),
])
def test_refused_with_position_and_what_is_missing(text, position, fragment):
    with pytest.raises(ScheduleError) as info:
        compile_schedule(text, fmt="zh", calendar=CAL)
    assert info.value.position == position, str(info.value)
    assert fragment in info.value.reason, info.value.reason
    assert "cannot parse hours at position" in str(info.value)


@pytest.mark.parametrize("text", ["每周日下午", "每晚开通2小时", "汛期期间", "时间不固定"])
def test_refusals_also_stand_under_auto_detection(text):
    with pytest.raises(ScheduleError):
        compile_schedule(text, calendar=CAL)


def test_the_refusal_message_has_a_caret_under_the_missing_part():
    with pytest.raises(ScheduleError) as info:
        compile_schedule("周一至周五，每晚开通2小时", calendar=CAL)
    first, excerpt, caret = str(info.value).split("\n")
    assert "position 10" in first and excerpt.strip() == "周一至周五，每晚开通2小时"
    assert caret.index("^") == 4 + 2 * 10                 # ten wide characters before "2小时"
