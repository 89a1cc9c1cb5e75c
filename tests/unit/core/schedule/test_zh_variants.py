"""Chinese free-text variants: how notices actually write days, times and exceptions.

Each case is compiled and compared by the windows it yields on chosen dates, which is
what routing ultimately sees. Dates: 2026-10-12 Mon, -14 Wed, -16 Fri, -17 Sat (rest),
-18 Sun; 2026-10-01 Thu (National Day); 2026-10-10 Sat (make-up working day).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import ScheduleError, compile_schedule

CAL = china_calendar()
SH = ZoneInfo("Asia/Shanghai")
MON, WED, FRI, SAT, SUN = (date(2026, 10, d) for d in (12, 14, 16, 17, 18))
HOLIDAY, MAKEUP = date(2026, 10, 1), date(2026, 10, 10)
NINE_FIVE = ((540, 1020),)


def windows(text: str, day: date):
    return compile_schedule(text, fmt="zh", calendar=CAL).windows(day)


@pytest.mark.parametrize("text", [
    "周一至周五 9:00-17:00", "星期一至星期五 9:00-17:00", "礼拜一到礼拜五 9:00-17:00",
    "周一到周五，9:00-17:00", "周一-周五 9:00-17:00", "周一~周五 9:00-17:00", "周一～周五 9:00-17:00",
    "周一—周五 9:00-17:00", "周一－周五 9：00－17：00", "周一至五 9点-17点", "周一、周二、周三、周四、周五 9:00-17:00",
    "周一、二、三、四、五 9:00-17:00", "周一至周五 09:00-17:00", "周一至周五 9时-17时", "周一至周五 上午9点至下午5点",
    "周一至周五\n9:00-17:00", "周一至周五；9:00-17:00", "周一至周五 9:00～17:00", "周一至周五 9-17点",
    "星期一至星期五 九点至十七点", "周一至周五（9:00-17:00）", "每周一至周五 9:00-17:00",
])
def test_weekday_range_variants(text):
    assert windows(text, MON) == NINE_FIVE
    assert windows(text, FRI) == NINE_FIVE
    assert windows(text, SAT) == ()


@pytest.mark.parametrize("text,day", [
    ("周六至周日 9:00-17:00", SUN), ("周末 9:00-17:00", SAT), ("星期六、星期天 9:00-17:00", SUN),
    ("礼拜六、礼拜日 9:00-17:00", SAT), ("周六周日 9:00-17:00", SUN), ("周六及周日 9:00-17:00", SAT),
    ("周六和周日 9:00-17:00", SUN), ("周六至日 9:00-17:00", SUN), ("周五至周一 9:00-17:00", SUN),
])
def test_weekend_variants(text, day):
    assert windows(text, day) == NINE_FIVE
    assert windows(text, WED) == ()


@pytest.mark.parametrize("text", [
    "每天 0:00-24:00", "每日24小时", "全天", "24小时", "二十四小时", "7×24小时", "7*24小时", "7x24h",
    "全年无休，24小时", "周一至周日，全天24小时", "每天全天候", "周一至周日 0:00-24:00", "0-24时",
])
def test_all_day_variants_are_always_open(text):
    schedule = compile_schedule(text, fmt="zh", calendar=CAL)
    assert schedule.always_open
    assert schedule.windows(HOLIDAY) == ((0, 1440),)


@pytest.mark.parametrize("text,expected", [
    ("8:00-12:00,15:00-18:00", ((480, 720), (900, 1080))),
    ("8:00-12:00，15:00-18:00", ((480, 720), (900, 1080))),
    ("8:00-12:00、15:00-18:00", ((480, 720), (900, 1080))),
    ("8:00-12:00和15:00-18:00", ((480, 720), (900, 1080))),
    ("上午8点至12点，下午3点至6点", ((480, 720), (900, 1080))),
    ("8点半-11点半", ((510, 690),)),
    ("8时30分-17时", ((510, 1020),)),
    ("08:00-24:00", ((480, 1440),)),
    ("晚上8点至凌晨2点", ((1200, 1560),)),
    ("22:00-6:00", ((1320, 1800),)),
    ("17:00-次日9:00", ((1020, 1980),)),
    ("17:00至次日上午9点", ((1020, 1980),)),
    ("20:00-次日凌晨2:00", ((1200, 1560),)),
    ("晚上7点到9点", ((1140, 1260),)),
    ("中午12点至下午2点", ((720, 840),)),
    ("9:00-9:00", ((540, 1980),)),
    ("9.00-17.30", ((540, 1050),)),
])
def test_time_variants(text, expected):
    assert windows(text, WED) == expected


@pytest.mark.parametrize("text,open_days,closed_days", [
    ("工作日 9:00-17:00", [MON, MAKEUP], [SAT, HOLIDAY]),
    ("节假日 9:00-17:00", [SAT, SUN, HOLIDAY], [MON, MAKEUP]),
    ("休息日 9:00-17:00", [SAT, HOLIDAY], [MAKEUP, WED]),
    ("法定节假日 9:00-17:00", [HOLIDAY], [SAT, SUN, MON, MAKEUP]),
    ("周一至周日（法定节假日除外）9:00-17:00", [SAT, MAKEUP, MON], [HOLIDAY]),
    ("周一至周五（节假日除外），9:00-17:00", [MON], [HOLIDAY, SAT, MAKEUP]),
    ("周一至周五(节假日除外) 9:00-17:00", [MON], [HOLIDAY]),
    ("每天（周三除外）9:00-17:00", [MON, SAT], [WED]),
    ("除周三外，每天9:00-17:00", [MON, SAT], [WED]),
    ("每天9:00-17:00，周三除外", [MON, SAT], [WED]),
    ("除法定节假日外 每天 9:00-17:00", [SAT, MON], [HOLIDAY]),
    ("周一至周五 9:00-17:00；节假日休息", [MON], [HOLIDAY, SAT]),
    ("每天 9:00-17:00，周六、周日及法定节假日休息", [MON, WED], [SAT, SUN, HOLIDAY, MAKEUP]),
    ("周一至周五9:00-17:00（含节假日）", [MON, HOLIDAY], [SAT]),
    ("9:00-17:00", [MON, SAT, HOLIDAY], []),
    ("9:00-17:00（周一至周五）", [MON, HOLIDAY], [SAT]),
])
def test_day_set_meanings(text, open_days, closed_days):
    for day in open_days:
        assert windows(text, day) == NINE_FIVE, (text, day)
    for day in closed_days:
        assert windows(text, day) == (), (text, day)


def test_clauses_add_up():
    text = "周一至周五，8:00-18:00；周六至周日，9:00-17:00；节假日 20:00-22:00"
    assert windows(text, MON) == ((480, 1080),)
    assert windows(text, SAT) == ((540, 1020), (1200, 1320))
    assert windows(text, HOLIDAY) == ((480, 1080), (1200, 1320))   # Thu: weekday words ignore holidays


def test_day_clause_then_time_clause_is_one_clause():
    assert windows("周一至周五，\n8:00-18:00", MON) == ((480, 1080),)
    assert windows("周一至周五，\n8:00-18:00", SAT) == ()


def test_next_day_window_runs_into_an_excluded_day():
    schedule = compile_schedule("周五 22:00-次日6:00", calendar=CAL)
    assert schedule.is_open(datetime(2026, 10, 17, 5, 59, tzinfo=SH))
    assert not schedule.is_open(datetime(2026, 10, 17, 6, 0, tzinfo=SH))
    assert not schedule.is_open(datetime(2026, 10, 17, 23, 0, tzinfo=SH))


def test_auto_format_detection():
    assert compile_schedule("周一至周五 9:00-17:00").fmt == "zh"
    assert compile_schedule("Mo-Fr 09:00-17:00").fmt == "osm"
    assert compile_schedule({"weekly": [{"days": "all", "windows": [["09:00", "17:00"]]}]}).fmt == "structured"


# -- errors ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,position", [
    ("周一至周五，8:00-18:0x", 11),
    ("周一至周五", 0),
    ("周一至周五，8:00", 10),
    ("星期八 9:00-10:00", 0),
    ("周一至周五 25:00-26:00", 6),
    ("周一至周五 9:61-17:00", 6),
    ("周一至周五 9:00-17:00 营业中", 19),   # 营业 is a filler word; 中 is not
    ("周末至周一 9:00-17:00", 0),
    ("", 0),
    ("周一至周五 24:00-06:00", 6),
    ("除周三，每天 9:00-17:00", 3),
    ("周一至周五 9:00-17", 11),
])
def test_error_positions(text, position):
    with pytest.raises(ScheduleError) as info:
        compile_schedule(text, fmt="zh", calendar=CAL)
    assert info.value.position == position, str(info.value)
    assert info.value.text == text


@pytest.mark.parametrize("text,position,fragment", [
    ("周一至周五(节假日除外 19:00-21:00", 5, "unclosed"),
    ("周一至周五 9:00-17:00)", 16, "unmatched ')'"),
])
def test_unbalanced_brackets_are_read_and_noted(text, position, fragment):
    """Brackets carry no meaning here (issue 14): read past them, and say so."""
    schedule = compile_schedule(text, fmt="zh", calendar=CAL)
    expected = ((1140, 1260),) if "19:00" in text else NINE_FIVE
    assert schedule.windows(MON) == expected and schedule.windows(SAT) == ()
    assert schedule.windows(HOLIDAY) == (() if "节假日除外" in text else NINE_FIVE)
    [warning] = schedule.warnings
    assert warning.startswith(f"位置 {position}:") and fragment in warning


def test_error_message_is_bilingual_with_excerpt_and_caret():
    with pytest.raises(ScheduleError) as info:
        compile_schedule("周一至周五，8:00-18:0x", calendar=CAL)
    message = str(info.value)
    first, excerpt, caret = message.split("\n")
    assert first.startswith("无法解析的营业时间 / cannot parse hours at position 11:")
    assert '"周一至周五，8:00-18:0x"' in first and "expected HH:MM" in first
    assert excerpt.strip() == "周一至周五，8:00-18:0x"
    assert caret.index("^") == 4 + 12 + 5     # 6 wide characters, then "8:00-"
    assert isinstance(info.value, ValueError)
    assert info.value.reason.endswith("expected HH:MM")
