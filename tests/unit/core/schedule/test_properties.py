"""Property tests: is_open, next_change and intervals tell the same story.

For random instants (in several zones, including DST zones) and a mix of schedules in all
three formats — overnight spans, holidays, overrides, random OSM rule mixes — the three
answers must agree with each other, and intervals must be well-formed.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import ScheduleError, compile_schedule

from .test_osm_reference import _rules as osm_expressions
from .test_zh_seeds import SEEDS

CAL = china_calendar()
ZONES = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC"]
SPECS = [text for _, _, text, _ in SEEDS] + [
    "Mo-Fr 22:00-02:00; Sa 10:00-12:00", "Mo-Su 20:00-26:00; We off", "Mo-Fr 08:00-18:00; PH off",
    "Sa,Su,PH 00:00-24:00; Mo-Fr 17:00-09:00", "Mo 20:00-48:00", "24/7; Dec 24-26 off", "off",
    "周一至周日（法定节假日除外）22:00-次日6:00", "工作日 9:00-17:00；节假日休息",
    "每晚7点至次日早上7点，共12小时", "早9点开始，晚9点结束", "周一至周五（节假日除外）8:00-12:00；14:00-18:00", "7×24小时",
    "Mo-Fr 09:00-17:00; PH off || PH 10:00-12:00", 'Mo-Su 22:00-02:00 open "night"; Su[-1] off', "Mo[2] +1 day 18-02",
    "24/7; PH -1 day 12:00-13:00 off", "Jan 31-Feb 01,Aug Mo-Fr 10am-12pm",
    {"weekly": [{"days": "working_days", "windows": [["09:00", "17:00"]]}], "holidays": [["20:00", "02:00"]]},
]
SCHEDULES = [compile_schedule(spec, tz=zone, calendar=CAL) for spec in SPECS for zone in ZONES[:2]] + [
    compile_schedule("周一至周五，9:00-17:00", tz=zone, calendar=CAL,
                     overrides={date(2026, 3, 9): "closed", date(2026, 11, 2): [("00:30", "03:00")]})
    for zone in ZONES]

START = datetime(2025, 6, 1, tzinfo=timezone.utc)
instants = st.builds(lambda seconds, zone: (START + timedelta(seconds=seconds)).astimezone(ZoneInfo(zone)),
                     st.integers(0, 540 * 86400), st.sampled_from(ZONES))
schedules = st.sampled_from(SCHEDULES)
EXAMPLES = int(os.environ.get("HOTLINE_SCHEDULE_EXAMPLES", "150"))   # raise for a soak run
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(schedules, instants)
def test_is_open_agrees_with_intervals(schedule, t):
    spans = schedule.intervals(t - timedelta(days=3), t + timedelta(days=3))
    assert schedule.is_open(t) == any(a <= t < b for a, b in spans)


@FAST
@given(schedules, instants)
def test_next_change_is_the_next_interval_boundary(schedule, t):
    horizon = t + timedelta(days=40)
    spans = schedule.intervals(t, horizon)
    state = schedule.is_open(t)
    if state:
        assert spans[0][0] == t
        expected = spans[0][1]
    else:
        expected = spans[0][0] if spans else horizon
    change = schedule.next_change(t)
    if expected < horizon:
        assert change == expected
    else:
        assert change is None or change >= horizon


@FAST
@given(schedules, instants)
def test_is_open_flips_at_next_change(schedule, t):
    change = schedule.next_change(t)
    if change is None:
        spans = schedule.intervals(t, t + timedelta(days=30))
        assert spans in ([], [(t, t + timedelta(days=30))])
        return
    assert change > t and change.tzinfo == schedule.tz
    state = schedule.is_open(t)
    assert schedule.is_open(change) != state
    assert schedule.is_open(change - timedelta(microseconds=1)) == state
    middle = t + (change - t) / 2
    assert schedule.is_open(middle) == state


@FAST
@given(schedules, instants, st.integers(1, 20 * 86400), st.integers(1, 20 * 86400))
def test_intervals_are_well_formed_and_split_consistently(schedule, t, first, second):
    mid, end = t + timedelta(seconds=first), t + timedelta(seconds=first + second)
    whole = schedule.intervals(t, end)
    for a, b in whole:
        assert t <= a < b <= end and a.tzinfo == schedule.tz
    for (_, b), (c, _) in zip(whole, whole[1:]):
        assert b < c                    # sorted, disjoint and merged where they touch
    parts = schedule.intervals(t, mid) + schedule.intervals(mid, end)
    joined = []
    for a, b in parts:
        if joined and joined[-1][1] == a:
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    assert [(a.timestamp(), b.timestamp()) for a, b in joined] == [(a.timestamp(), b.timestamp()) for a, b in whole]


@settings(max_examples=max(60, EXAMPLES // 3), deadline=None, suppress_health_check=list(HealthCheck))
@given(osm_expressions, st.sampled_from(ZONES), instants)
def test_random_osm_rules_keep_the_three_answers_consistent(expr, zone, t):
    try:
        schedule = compile_schedule(expr, fmt="osm", tz=zone, calendar=CAL)
    except ScheduleError:           # e.g. "Mo, Dec Mo": ',' after a rule without times
        assume(False)
    spans = schedule.intervals(t - timedelta(days=2), t + timedelta(days=9))
    assert schedule.is_open(t) == any(a <= t < b for a, b in spans)
    change = schedule.next_change(t)
    later = [x for a, b in spans for x in (a, b) if x > t]
    if later and later[0] < t + timedelta(days=9):
        assert change == later[0]
    if schedule.always_open:
        assert spans == [(t - timedelta(days=2), t + timedelta(days=9))]
