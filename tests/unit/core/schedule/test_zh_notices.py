"""Hours as real notices write them (issue 14): every construct, read to exact windows.

Texts are written for these tests, one per variant, in the styles seen on news, government,
university, hospital and trade-union pages. Each is checked by the windows it yields on
chosen dates (what routing sees), and the trickier ones by `is_open` / `intervals` too.
Dates: 2026-10-12 Mon, -14 Wed, -16 Fri, -17 Sat, -18 Sun; 2026-10-01 Thu (National Day);
2026-10-10 Sat (make-up working day).
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
ALL_DAY = ((0, 1440),)


def compiled(text: str):
    schedule = compile_schedule(text, calendar=CAL)
    assert schedule.fmt == "zh" or not any(ch.isalpha() for ch in text)   # letterless text may read as OSM
    return schedule


@pytest.mark.parametrize("text", [
    "7×24小时", "7*24小时服务", "7x24小时开通", "7X24小时在线", "7天×24小时", "每周7天24小时",
    "365天×24小时", "全年365天×24小时值守", "一年365天，24小时", "24小时开通", "热线24小时在线",
    "24小时专人值守", "24小时畅通", "24小时不间断服务", "24小时全天候", "24小时全年无休",
    "24小时都有专人值守", "每周7天、每天24小时", "二十四小时开通", "24小時開通", "全年無休，24小時",
    "每天24个小时", "昼夜服务", "週一至週日，24小時服務",
])
def test_round_the_clock(text):
    schedule = compiled(text)
    assert schedule.always_open
    for day in (WED, SAT, HOLIDAY, MAKEUP):
        assert schedule.windows(day) == ALL_DAY
    assert schedule.next_change(datetime(2026, 10, 1, 3, 0, tzinfo=SH)) is None


@pytest.mark.parametrize("text,expected", [
    ("每天9时至21时", ((540, 1260),)),
    ("每天8点到20点", ((480, 1200),)),
    ("早9点开始，晚9点结束", ((540, 1260),)),
    ("每天早上8点开始，晚上10点结束", ((480, 1320),)),
    ("8点起至22点止", ((480, 1320),)),
    ("每天8:00起，22:00止", ((480, 1320),)),
    ("从早上7时到晚上7时", ((420, 1140),)),
    ("上午8时至下午6时", ((480, 1080),)),
    ("下午1:30-4:30", ((810, 990),)),          # one 下午 governs both ends
    ("下午2:00-5:30", ((840, 1050),)),
    ("晚上6:30—8:00", ((1110, 1200),)),
    ("晚上7:00-9:30", ((1140, 1290),)),
    ("下午15:00-17:00", ((900, 1020),)),       # redundant on 24-hour numbers
    ("晚上20:30-22:30", ((1230, 1350),)),
    ("上午8:00-12:00，下午14:00-17:30", ((480, 720), (840, 1050))),
    ("8:00-24时", ((480, 1440),)),
    ("下午2点至24:00", ((840, 1440),)),
    ("凌晨0:00-6:00", ((0, 360),)),
    ("早8点至晚8点", ((480, 1200),)),
    ("晚8点至12点", ((1200, 1440),)),
    ("每晚开放时间：8点至10点", ((1200, 1320),)),   # 每晚's 晚 reaches past the fillers
    ("八时三十分至十一时二十分", ((510, 680),)),     # regression: 三十分 was read as 31 minutes
    ("8点30至9点", ((510, 540),)),
    ("1:30-2点 3:00-3:30", ((90, 120), (180, 210))),  # regression: "2点 3" was read as 2:03
])
def test_clock_words(text, expected):
    schedule = compiled(text)
    assert schedule.windows(WED) == expected
    assert schedule.windows(SAT) == expected       # no day words: every day


@pytest.mark.parametrize("text,expected", [
    ("18:00-次日8:00", ((1080, 1920),)),
    ("每天20:00至次日早上8:00", ((1200, 1920),)),
    ("早9:00至次日凌晨1:00", ((540, 1500),)),
    ("晚19：00-早8：00", ((1140, 1920),)),           # no 次日: the end is before the start
    ("晚上10点到凌晨2点", ((1320, 1560),)),
])
def test_past_midnight(text, expected):
    assert compiled(text).windows(WED) == expected


def test_friday_night_runs_into_saturday_and_stops():
    schedule = compiled("周五晚上8点至次日凌晨2点")
    assert schedule.is_open(datetime(2026, 10, 17, 1, 59, tzinfo=SH))
    assert not schedule.is_open(datetime(2026, 10, 17, 2, 0, tzinfo=SH))
    assert schedule.intervals(datetime(2026, 10, 14, tzinfo=SH), datetime(2026, 10, 19, tzinfo=SH)) == [
        (datetime(2026, 10, 16, 20, tzinfo=SH), datetime(2026, 10, 17, 2, tzinfo=SH))]


@pytest.mark.parametrize("text", [
    "8:00-18:00", "8:00—18:00", "8:00--18:00", "8:00——18:00", "8:00~18:00", "8:00～18:00", "8:00至18:00",
    "8:00到18:00", "8:00－18:00", "8:00–18:00", "8：00-18：00", "8∶00-18∶00", "8︰00-18︰00", "８:００-１８:００",
])
def test_range_marks_and_colon_look_alikes(text):
    assert compiled(text).windows(WED) == ((480, 1080),)


@pytest.mark.parametrize("text", [
    "8:00-12:00，14:00-18:00", "8:00-12:00,14:00-18:00", "8:00-12:00、14:00-18:00", "每天8:00-12:00;14:00-18:00",
    "8:00-12:00；14:00-18:00", "8:00-12:00/14:00-18:00", "8:00-12:00 14:00-18:00", "8:00-12:00   14:00-18:00",
    "8:00-12:00\u00a014:00-18:00", "8:00-12:00\u300014:00-18:00", "上午8:00-12:00下午2:00-6:00",
    "上午8点至12点\n下午2点至6点",
])
def test_window_separators(text):
    assert compiled(text).windows(WED) == ((480, 720), (840, 1080))


@pytest.mark.parametrize("text", [
    "周一至周五: 8:00-18:00", "周一至周五：8:00-18:00", "周一至周五（8:00-18:00）", "周一至周五(8:00-18:00)",
    "周一至周五【8:00-18:00】", "周一至周五（8:00-18:00)", "周一至周五(8:00-18:00）", "周一至周五（8:00-18:00",
    "周一至周五 8:00-18:00）", "周一至周五 8:00-18:00。",
])
def test_colons_brackets_and_full_stop_around_days(text):
    schedule = compiled(text)
    assert schedule.windows(WED) == ((480, 1080),)
    assert schedule.windows(SAT) == ()
    assert bool(schedule.warnings) == (text.count("(") + text.count("（") != text.count(")") + text.count("）"))


@pytest.mark.parametrize("text,open_days,closed_days", [
    ("每天8:00-20:00", [WED, SAT, HOLIDAY], []),
    ("每日8:00-20:00", [MON, SUN, HOLIDAY], []),
    ("全年8:00-20:00", [WED, SUN], []),
    ("一年365天 8:00-20:00", [FRI, SAT, HOLIDAY], []),
    ("每周7天 8:00-20:00", [MON, SUN], []),
    ("星期一至五 8:00-20:00", [MON, FRI, HOLIDAY], [SAT, SUN, MAKEUP]),
    ("周六、日 8:00-20:00", [SAT, SUN, MAKEUP], [MON, FRI]),
    ("周六、周日 8:00-20:00", [SAT, SUN], [WED]),
    ("每周三 8:00-20:00", [WED], [MON, SAT, SUN]),
    ("每个工作日 8:00-20:00", [MON, MAKEUP], [SAT, HOLIDAY]),
    ("周一至周五每天8:00-20:00", [MON, FRI], [SAT, SUN]),
    ("周一至周五 8:00-20:00（法定假日除外）", [MON], [HOLIDAY, SAT]),
    ("周一至周五 8:00-20:00，法定假日除外", [FRI], [HOLIDAY, SUN]),
    ("每天8:00-20:00，节假日照常", [WED, SAT, HOLIDAY], []),
    ("每天8:00-20:00，节假日不休息", [SUN, HOLIDAY], []),
    ("全年无休，每天8:00-20:00", [SAT, HOLIDAY], []),
    ("每天8:00-20:00，全年无休", [SUN, HOLIDAY], []),
    ("周一至周五 8:00-20:00，节假日照常", [MON, HOLIDAY], [SAT]),   # weekday words stay calendar weekdays
    ("08:00-20:00", [MON, SAT, HOLIDAY], []),                      # a bare range: every day
    ("（8:00~20:00）", [WED, SUN, HOLIDAY], []),
])
def test_day_and_holiday_words(text, open_days, closed_days):
    schedule = compiled(text)
    for day in open_days:
        assert schedule.windows(day) == ((480, 1200),), (text, day)
    for day in closed_days:
        assert schedule.windows(day) == (), (text, day)


def test_evening_words_select_every_day():
    schedule = compiled("每晚7点至9点")
    assert [schedule.windows(d) for d in (WED, SAT, HOLIDAY)] == [((1140, 1260),)] * 3


@pytest.mark.parametrize("text,expected", [
    ("每天开放12小时，8:00-20:00", ((480, 1200),)),
    ("每天开放十二小时（8:00-20:00）", ((480, 1200),)),
    ("8:00-24:00，共16个小时", ((480, 1440),)),
    ("每日16小时(8:00-24:00)", ((480, 1440),)),
    ("上午8:00-12:00（4小时），下午14:00-18:00（4小时）", ((480, 720), (840, 1080))),
    ("8:00-12:00，14:00-18:00，共8小时", ((480, 720), (840, 1080))),
    ("每天8:30-11:00，共2个半小时", ((510, 660),)),
    ("每日24小时（8:00-次日8:00）", ((480, 1920),)),
])
def test_durations_that_agree_are_checks_not_windows(text, expected):
    assert compiled(text).windows(WED) == expected


def test_duration_after_weekday_hours_checks_them_without_opening_other_days():
    schedule = compiled("周一至周五17:00-次日9:00，共16小时")
    assert schedule.windows(FRI) == ((1020, 1980),) and schedule.windows(SAT) == ()
    schedule = compiled("周一至周五 8:00-20:00，每天开放12小时")
    assert schedule.windows(MON) == ((480, 1200),) and schedule.windows(SUN) == ()


def test_letterless_text_that_reads_differently_as_osm_is_refused_unless_the_format_is_given():
    """OSM's ';' replaces the earlier rule, a notice's ';' adds a window: refuse, never pick one."""
    with pytest.raises(ScheduleError, match="reads differently as an OpenStreetMap value") as info:
        compile_schedule("8:00-12:00;14:00-18:00", calendar=CAL)
    assert info.value.position is None
    assert compile_schedule("8:00-12:00;14:00-18:00", fmt="zh", calendar=CAL).windows(WED) == ((480, 720), (840, 1080))
    assert compile_schedule("8:00-12:00;14:00-18:00", fmt="osm", calendar=CAL).windows(WED) == ((840, 1080),)
    assert compile_schedule("08:00-12:00,14:00-18:00", calendar=CAL).fmt == "osm"     # both read it alike


def test_times_after_a_semicolon_keep_the_days_and_exclusions_before():
    schedule = compiled("周一至周五（节假日除外）8:00-12:00；14:00-18:00")
    assert schedule.windows(WED) == ((480, 720), (840, 1080))
    assert schedule.windows(SAT) == () and schedule.windows(HOLIDAY) == ()


def test_only_times_continue_the_days_before_a_semicolon():
    schedule = compiled("周一至周五 9:00-17:00；24小时")        # a bare 24小时 stays every day, as before
    assert schedule.windows(SAT) == ALL_DAY and schedule.always_open


def test_traditional_script_reads_like_simplified():
    traditional = compiled("週一至週五 上午9點至12點，下午2點至5點（國定假日除外）；週六、週日休息")
    simplified = compiled("周一至周五 上午9点至12点，下午2点至5点（法定节假日除外）；周六、周日休息")
    for day in (MON, SAT, HOLIDAY, MAKEUP):
        assert traditional.windows(day) == simplified.windows(day)
    assert traditional.windows(MON) == ((540, 720), (840, 1020))


def test_a_clinic_style_notice_reads_with_every_part():
    text = "服务时间：周一至周五（法定节假日除外）8:30-12:00、14:30-17:30，周六、日 9:00-12:00。"
    schedule = compiled(text)
    assert schedule.windows(MON) == ((510, 720), (870, 1050))
    assert schedule.windows(SUN) == ((540, 720),)
    assert schedule.windows(HOLIDAY) == ()                       # Thu, excluded from the weekday clause
    assert schedule.windows(date(2026, 10, 3)) == ((540, 720),)  # a Saturday in the holiday: weekday words
