"""Structured schedules, per-line date overrides and the compile_schedule contract."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import Schedule, ScheduleError, compile_schedule

CAL = china_calendar()
SH = ZoneInfo("Asia/Shanghai")

PROVINCIAL = {
    "weekly": [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "windows": [["08:00", "18:00"]]},
        {"days": ["sat", "sun"], "windows": [["09:00", "17:00"]]},
    ],
    "holidays": "closed",
    "dates": {"2026-12-31": [["09:00", "12:00"]], "2026-10-12": "closed"},
}


class TestStructured:
    schedule = compile_schedule(PROVINCIAL, calendar=CAL)

    def test_format_and_source(self):
        assert self.schedule.fmt == "structured"
        assert "weekly" in self.schedule.source and self.schedule.tz == SH

    @pytest.mark.parametrize("day,expected", [
        (date(2026, 10, 14), ((480, 1080),)),     # Wed
        (date(2026, 10, 17), ((540, 1020),)),     # Sat
        (date(2026, 10, 1), ()),                  # National Day: holidays closed
        (date(2026, 10, 12), ()),                 # dated closure
        (date(2026, 12, 31), ((540, 720),)),      # dated special hours
    ])
    def test_windows(self, day, expected):
        assert self.schedule.windows(day) == expected

    def test_holiday_windows_and_day_groups(self):
        spec = {"weekly": [{"days": "working_days", "windows": [["09:00", "17:00"]]},
                           {"days": ["rest_days"], "windows": [["10:00", "12:00"]]}],
                "holidays": [["20:00", "08:00"]]}
        schedule = compile_schedule(spec, calendar=CAL)
        assert schedule.windows(date(2026, 10, 10)) == ((540, 1020),)       # make-up Saturday
        assert schedule.windows(date(2026, 10, 11)) == ((600, 720),)        # Sunday
        assert schedule.windows(date(2026, 10, 1)) == ((1200, 1920),)       # holiday: overnight window

    def test_timezone_key_overrides_tz_argument(self):
        schedule = compile_schedule({"timezone": "Europe/Berlin",
                                     "weekly": [{"days": "all", "windows": [["09:00", "17:00"]]}]})
        assert schedule.tz == ZoneInfo("Europe/Berlin")
        assert schedule.is_open(datetime(2026, 7, 1, 8, 30, tzinfo=timezone.utc))     # 10:30 in Berlin

    def test_yaml_text_with_structured_format(self):
        schedule = compile_schedule("weekly:\n  - {days: all, windows: [['00:00', '24:00']]}\n", fmt="structured")
        assert schedule.always_open

    @pytest.mark.parametrize("spec,fragment", [
        ({"weekly": [{"days": ["mon"], "windows": [["09:00", "17:00"]]}, {"days": ["sat"]}]}, "weekly[1]"),
        ({"weekly": [{"days": ["mon"], "windows": [["09:00", "25:00"]]}]}, "weekly[0].windows[0]"),
        ({"weekly": [{"days": ["mon"], "windows": [[540, 1020]]}]}, "quote the times"),
        ({"weekly": [{"days": ["funday"], "windows": [["09:00", "17:00"]]}]}, "weekly[0].days[0]"),
        ({"weekly": [{"days": ["mon"], "windows": "09:00-17:00"}]}, "weekly[0].windows"),
        ({"weekly": {"days": ["mon"]}}, "weekly: "),
        ({"weekly": [], "holidays": "sometimes"}, "holidays: "),
        ({"weekly": [], "dates": {"2026-13-01": "closed"}}, "dates[2026-13-01]"),
        ({"weekly": [], "hours": []}, "unknown key"),
        ({"weekly": [], "timezone": "Mars/Olympus"}, "unknown time zone"),
    ])
    def test_errors_name_the_key_path(self, spec, fragment):
        with pytest.raises(ScheduleError) as info:
            compile_schedule(spec, calendar=CAL)
        assert fragment in str(info.value)
        assert info.value.position is None


class TestOverrides:
    def test_closure_and_special_hours_on_any_format(self):
        overrides = {date(2026, 10, 14): "closed", date(2026, 10, 15): [("10:00", "12:00"), ("14:00", "15:00")]}
        for text in ("周一至周五，9:00-17:00", "Mo-Fr 09:00-17:00", PROVINCIAL):
            schedule = compile_schedule(text, calendar=CAL, overrides=overrides)
            assert schedule.windows(date(2026, 10, 14)) == ()
            assert schedule.windows(date(2026, 10, 15)) == ((600, 720), (840, 900))
            assert schedule.windows(date(2026, 10, 16)) != ()

    def test_override_replaces_only_windows_starting_that_day(self):
        schedule = compile_schedule("周一至周五17:00-次日9:00", calendar=CAL,
                                    overrides={date(2026, 10, 15): "closed"})
        assert schedule.is_open(datetime(2026, 10, 15, 8, 0, tzinfo=SH))       # Wed night's spill
        assert not schedule.is_open(datetime(2026, 10, 15, 18, 0, tzinfo=SH))
        assert not schedule.is_open(datetime(2026, 10, 16, 8, 0, tzinfo=SH))

    def test_override_across_midnight(self):
        schedule = compile_schedule("Mo-Fr 09:00-17:00", calendar=CAL,
                                    overrides={"2026-12-31": [("20:00", "02:00")]})
        assert schedule.is_open(datetime(2027, 1, 1, 1, 0, tzinfo=SH))

    def test_overridden_schedule_is_never_claimed_always_open(self):
        schedule = compile_schedule("24/7", calendar=CAL, overrides={date(2026, 10, 1): "closed"})
        assert not schedule.always_open
        assert schedule.next_change(datetime(2026, 9, 30, 12, tzinfo=SH)) == datetime(2026, 10, 1, tzinfo=SH)

    @pytest.mark.parametrize("overrides,fragment", [
        ({date(2026, 10, 1): "maybe"}, "overrides[2026-10-01]"),
        ({date(2026, 10, 1): [("10:00",)]}, "overrides[2026-10-01][0]"),
        ({"yesterday": "closed"}, "overrides[yesterday]"),
    ])
    def test_bad_overrides(self, overrides, fragment):
        with pytest.raises(ScheduleError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
            compile_schedule("24/7", overrides=overrides)


class TestContract:
    schedule = compile_schedule("Mo-Fr 09:00-17:00", calendar=CAL)

    @pytest.mark.parametrize("call", [
        lambda s: s.is_open(datetime(2026, 10, 14, 10)),
        lambda s: s.next_change(datetime(2026, 10, 14, 10)),
        lambda s: s.intervals(datetime(2026, 10, 14), datetime(2026, 10, 15, tzinfo=SH)),
    ])
    def test_naive_datetimes_are_rejected(self, call):
        with pytest.raises(ValueError, match="timezone-aware"):
            call(self.schedule)

    def test_intervals_are_clipped_merged_and_in_schedule_zone(self):
        start = datetime(2026, 10, 14, 12, 0, tzinfo=timezone.utc)           # 20:00 Shanghai, Wed
        end = datetime(2026, 10, 16, 3, 0, tzinfo=timezone.utc)              # 11:00 Shanghai, Fri
        spans = self.schedule.intervals(start, end)
        assert spans == [(datetime(2026, 10, 15, 9, tzinfo=SH), datetime(2026, 10, 15, 17, tzinfo=SH)),
                         (datetime(2026, 10, 16, 9, tzinfo=SH), datetime(2026, 10, 16, 11, tzinfo=SH))]
        assert all(a.tzinfo == SH and b.tzinfo == SH for a, b in spans)
        assert self.schedule.intervals(end, start) == []

    def test_touching_windows_merge_across_midnight(self):
        schedule = compile_schedule("Mo-Su 20:00-24:00, Mo-Su 00:00-08:00", calendar=CAL)
        spans = schedule.intervals(datetime(2026, 10, 14, 12, tzinfo=SH), datetime(2026, 10, 16, 12, tzinfo=SH))
        assert spans[0] == (datetime(2026, 10, 14, 20, tzinfo=SH), datetime(2026, 10, 15, 8, tzinfo=SH))

    def test_never_open_has_no_next_change(self):
        schedule = compile_schedule("off", calendar=CAL)
        assert schedule.next_change(datetime(2026, 1, 1, tzinfo=SH)) is None
        assert not schedule.always_open

    def test_rarely_open_finds_the_next_opening_far_ahead(self):
        schedule = compile_schedule("Dec 25 10:00-12:00", calendar=CAL)
        assert schedule.next_change(datetime(2026, 1, 1, tzinfo=SH)) == datetime(2026, 12, 25, 10, tzinfo=SH)

    def test_is_a_schedule_with_the_documented_attributes(self):
        assert isinstance(self.schedule, Schedule)
        assert (self.schedule.source, self.schedule.fmt, self.schedule.tz.key) == \
            ("Mo-Fr 09:00-17:00", "osm", "Asia/Shanghai")

    @pytest.mark.parametrize("spec,kwargs,fragment", [
        ("Mo-Fr 09:00-17:00", {"fmt": "ical"}, "unknown format"),
        ("Mo-Fr 09:00-17:00", {"tz": "Nowhere/City"}, "unknown time zone"),
        ({"weekly": []}, {"fmt": "zh"}, "needs text"),
        (42, {}, "expected text or a mapping"),
    ])
    def test_usage_errors(self, spec, kwargs, fragment):
        with pytest.raises(ScheduleError, match=fragment):
            compile_schedule(spec, **kwargs)

    def test_dst_zone_new_york(self):
        schedule = compile_schedule("Mo-Su 01:00-03:00", tz="America/New_York", calendar=CAL)
        ny = ZoneInfo("America/New_York")
        # 2026-03-08: clocks jump 02:00 -> 03:00, so the window is one real hour long.
        (start, end), = schedule.intervals(datetime(2026, 3, 8, tzinfo=ny), datetime(2026, 3, 8, 12, tzinfo=ny))
        assert end.timestamp() - start.timestamp() == 3600
        # 2026-11-01: 01:00-02:00 happens twice; the window runs from the first 01:00 to 03:00 EST.
        (start, end), = schedule.intervals(datetime(2026, 11, 1, tzinfo=ny), datetime(2026, 11, 1, 12, tzinfo=ny))
        assert end.timestamp() - start.timestamp() == 3 * 3600
