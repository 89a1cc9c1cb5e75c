"""Every schedule of the Sichuan directory (seeds/hotline-directory-sichuan-2020.txt, annex 1)
evaluated at chosen instants: ordinary days, public holidays, make-up working days, nights
across midnight and across the week's end, and instants given in UTC.

Calendar facts used (checked against chinese_calendar 1.11): 2026-10-01 Thu and
2026-02-17 Tue are public holidays; 2026-10-10 Sat is a make-up working day (调休上班);
2026-10-11 Sun and 2026-10-17 Sat are ordinary rest days.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import compile_schedule

SH = ZoneInfo("Asia/Shanghai")
CAL = china_calendar()

# Instants (Asia/Shanghai wall clock) — one letter each, used as columns below.
AT = {
    "A": datetime(2026, 10, 9, 10, 0, tzinfo=SH),   # Fri, working day, morning
    "B": datetime(2026, 10, 9, 13, 0, tzinfo=SH),   # Fri, lunch break
    "C": datetime(2026, 10, 9, 18, 45, tzinfo=SH),  # Fri evening
    "D": datetime(2026, 10, 9, 20, 30, tzinfo=SH),  # Fri evening, later
    "E": datetime(2026, 10, 9, 22, 30, tzinfo=SH),  # Fri night
    "F": datetime(2026, 10, 10, 3, 0, tzinfo=SH),   # Sat (make-up working day) 03:00, after Fri night
    "G": datetime(2026, 10, 10, 10, 0, tzinfo=SH),  # Sat (make-up working day) morning
    "H": datetime(2026, 10, 11, 10, 0, tzinfo=SH),  # Sun, rest day
    "I": datetime(2026, 10, 1, 10, 0, tzinfo=SH),   # Thu, National Day
    "J": datetime(2026, 2, 17, 20, 0, tzinfo=SH),   # Tue, Spring Festival, 20:00 sharp
    "K": datetime(2026, 10, 12, 5, 0, tzinfo=SH),   # Mon 05:00 after a weekend
    "L": datetime(2026, 10, 1, 5, 30, tzinfo=SH),   # National Day 05:30
    "M": datetime(2026, 10, 14, 23, 30, tzinfo=SH),  # Wed 23:30
}
COLUMNS = "ABCDEFGHIJKLM"

# (line, number, schedule text as printed, expected open/closed per column A..M)
SEEDS = [
    ("全国新冠肺炎心理支持热线", "4001-888-976", "周一至周日，6:00-24：00", "TTTTTFTTTTFFT"),
    ("中科院心理所心理咨询热线", "010-64851106", "周一至周日，20:00-23:00", "FFFTTFFFFTFFF"),
    ("中国青年报心理热线", "010-64015039", "周一至周日，18:30-21:30", "FFTTFFFFFTFFF"),
    ("四川省心理援助热线", "028-12320-4号线", "周一至周五，8:00-18:00，\n\n周六至周日，9:00-17:00", "TTFFFFTTTFFFF"),
    ("成都市心理援助热线", "028-87577510", "周一至周日，24小时", "TTTTTTTTTTTTT"),
    ("成都市心理援助热线", "028-85422114", "周一至周日，9:00-21:00", "TTTTFFTTTTFFF"),
    ("自贡市心理援助热线", "0813-5512320", "周一至周日，24小时", "TTTTTTTTTTTTT"),
    ("攀枝花市心理援助热线", "0812-3330157", "周一至周五，8:00-12:00,15:00-18:00", "TFFFFFFFTFFFF"),
    ("泸州市心理援助热线", "18982762013", "周一至周日，24小时", "TTTTTTTTTTTTT"),
    ("德阳市心理援助热线", "0838-6661611", "周一至周日，24小时", "TTTTTTTTTTTTT"),
    ("绵阳市心理援助热线", "0816-2268885", "周一至周日，24小时", "TTTTTTTTTTTTT"),
    ("绵阳市心理援助热线", "0816-12355", "周一至周日，24小时", "TTTTTTTTTTTTT"),
    ("广元市心理援助热线", "0839-3450733", "周一至周日，24小时", "TTTTTTTTTTTTT"),
    ("南充市心理援助热线", "0817-2316000", "周一至周日，8:00-12:00,15:00-18:00", "TFFFFFTTTFFFF"),
    ("宜宾市心理援助热线", "0831-8247085", "周一至周日，8:00-20:00", "TTTFFFTTTFFFF"),
    ("达州市心理援助热线", "0818-2797120", "周一至周五，8:00-11:30,14:00-17:30", "TFFFFFFFTFFFF"),
    ("达州市心理援助热线", "0818-2672120", "周一至周日，24小时", "TTTTTTTTTTTTT"),
    ("雅安市心理援助热线", "0835-5895004", "周一至周五，9:00-17:00", "TTFFFFFFTFFFF"),
    ("雅安市心理援助热线", "13551585969", "周一至周五17:00-次日9:00，\n\n节假日24小时", "FFTTTTFTTTFTT"),
    ("眉山市心理援助热线", "028-38296995", "周一至周五（节假日除外），19:00-21:00", "FFFTFFFFFFFFF"),
    ("资阳市心理援助热线", "028-26501223", "周一至周五，8:00-11:30,15:00-17:00", "TFFFFFFFTFFFF"),
    ("成都市高新区疫情关爱援助热线", "028-85337950", "周一至周日，9:00-21:00", "TTTTFFTTTTFFF"),
]

CASES = [(number, text, col, flag == "T") for _, number, text, flags in SEEDS
         for col, flag in zip(COLUMNS, flags)]


def test_directory_has_22_numbers():
    assert len(SEEDS) == 22 and len({n for _, n, _, _ in SEEDS}) == 22


@pytest.mark.parametrize("number,text,col,expected", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_seed_schedule_at_instant(number, text, col, expected):
    schedule = compile_schedule(text, calendar=CAL)
    assert schedule.fmt == "zh"
    assert schedule.is_open(AT[col]) is expected


@pytest.mark.parametrize("number,text,col,expected", CASES[::5], ids=[f"utc-{c[0]}-{c[2]}" for c in CASES[::5]])
def test_seed_schedule_with_utc_instants(number, text, col, expected):
    schedule = compile_schedule(text, calendar=CAL)
    assert schedule.is_open(AT[col].astimezone(timezone.utc)) is expected


def test_24h_lines_are_always_open_and_never_change():
    schedule = compile_schedule("周一至周日，24小时", calendar=CAL)
    assert schedule.always_open
    assert schedule.next_change(AT["A"]) is None


def test_other_lines_are_not_always_open():
    for _, _, text, flags in SEEDS:
        if "F" in flags:
            assert not compile_schedule(text, calendar=CAL).always_open, text


class TestYaanNightLine:
    """13551585969: 周一至周五17:00-次日9:00，节假日24小时 — overnight, week's end, holidays."""

    schedule = compile_schedule("周一至周五17:00-次日9:00，\n\n节假日24小时", calendar=CAL)

    def test_friday_night_runs_into_make_up_saturday_and_stops_at_nine(self):
        assert self.schedule.next_change(datetime(2026, 10, 9, 18, 0, tzinfo=SH)) == \
            datetime(2026, 10, 10, 9, 0, tzinfo=SH)
        assert self.schedule.is_open(datetime(2026, 10, 10, 8, 59, tzinfo=SH))
        assert not self.schedule.is_open(datetime(2026, 10, 10, 9, 0, tzinfo=SH))

    def test_ordinary_weekend_is_open_from_friday_17_to_monday_midnight(self):
        spans = self.schedule.intervals(datetime(2026, 10, 16, 12, tzinfo=SH), datetime(2026, 10, 19, 12, tzinfo=SH))
        assert spans == [(datetime(2026, 10, 16, 17, tzinfo=SH), datetime(2026, 10, 19, 0, tzinfo=SH))]

    def test_literal_reading_leaves_monday_early_morning_closed(self):
        # "节假日24小时" ends at midnight; Monday 00:00-09:00 is not covered by the text.
        assert self.schedule.next_change(datetime(2026, 10, 19, 0, 0, tzinfo=SH)) == \
            datetime(2026, 10, 19, 17, 0, tzinfo=SH)

    def test_holiday_on_a_weekday_is_open_all_day(self):
        day = self.schedule.intervals(datetime(2026, 2, 17, tzinfo=SH), datetime(2026, 2, 18, tzinfo=SH))
        assert day == [(datetime(2026, 2, 17, tzinfo=SH), datetime(2026, 2, 18, tzinfo=SH))]


class TestMeishanExceptHolidays:
    """028-38296995: 周一至周五（节假日除外），19:00-21:00."""

    schedule = compile_schedule("周一至周五（节假日除外），19:00-21:00", calendar=CAL)

    @pytest.mark.parametrize("when,expected", [
        (datetime(2026, 10, 12, 20, 0, tzinfo=SH), True),    # ordinary Monday
        (datetime(2026, 10, 1, 20, 0, tzinfo=SH), False),    # National Day (Thu)
        (datetime(2026, 10, 10, 20, 0, tzinfo=SH), False),   # make-up Saturday: not Mon-Fri
        (datetime(2026, 2, 17, 20, 0, tzinfo=SH), False),    # Spring Festival (Tue)
        (datetime(2026, 10, 12, 21, 0, tzinfo=SH), False),   # end is exclusive
    ])
    def test_open(self, when, expected):
        assert self.schedule.is_open(when) is expected

    def test_uses_the_calendar(self):
        assert self.schedule.next_change(datetime(2026, 9, 30, 21, 0, tzinfo=SH)) == \
            datetime(2026, 10, 8, 19, 0, tzinfo=SH)


def test_provincial_line_switches_at_weekend_and_weekday_boundaries():
    schedule = compile_schedule("周一至周五，8:00-18:00，\n\n周六至周日，9:00-17:00", calendar=CAL)
    friday = datetime(2026, 10, 16, 18, 0, tzinfo=SH)
    assert schedule.next_change(friday) == datetime(2026, 10, 17, 9, 0, tzinfo=SH)
    assert schedule.next_change(datetime(2026, 10, 18, 17, 0, tzinfo=SH)) == datetime(2026, 10, 19, 8, 0, tzinfo=SH)


def test_two_windows_a_day_in_utc():
    schedule = compile_schedule("周一至周五，8:00-12:00,15:00-18:00", calendar=CAL)
    noon_utc = datetime(2026, 10, 9, 4, 0, tzinfo=timezone.utc)     # 12:00 in Shanghai
    assert not schedule.is_open(noon_utc)
    assert schedule.next_change(noon_utc) == datetime(2026, 10, 9, 15, 0, tzinfo=SH)
    assert schedule.next_change(noon_utc).tzinfo == SH


@pytest.mark.parametrize("two_lines,one_line", [
    ("周一至周五，8:00-18:00，\n\n周六至周日，9:00-17:00", "周一至周五，8:00-18:00，周六至周日，9:00-17:00"),
    ("周一至周五17:00-次日9:00，\n\n节假日24小时", "周一至周五17:00-次日9:00，节假日24小时"),
])
def test_line_breaks_and_commas_mean_the_same(two_lines, one_line):
    a, b = compile_schedule(two_lines, calendar=CAL), compile_schedule(one_line, calendar=CAL)
    start, end = datetime(2026, 9, 25, tzinfo=SH), datetime(2026, 10, 20, tzinfo=SH)
    assert a.intervals(start, end) == b.intervals(start, end)


def test_every_schedule_in_the_line_directory_compiles():
    """config/lines.yaml (maintained by the lead) must only hold schedules the engine reads."""
    path = Path(__file__).resolve().parents[4] / "config" / "lines.yaml"
    if not path.exists():
        pytest.skip("config/lines.yaml not present")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    numbers = [n for line in data.get("lines", []) for n in line.get("numbers", []) if "schedule" in n]
    assert numbers
    for number in numbers:
        compile_schedule(number["schedule"], tz=data.get("timezone", "Asia/Shanghai"), calendar=CAL)
