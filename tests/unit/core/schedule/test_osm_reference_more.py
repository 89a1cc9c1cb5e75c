"""Cross-check the OSM constructs added for issue 14 with opening_hours.js, the reference.

Same mechanism as test_osm_reference.py (merged open intervals over whole date ranges must
be identical), for fallback rules, comments, nth weekdays with offsets, holiday offsets,
mixed month / month-day lists and the lenient spellings. Beyond intervals: the reference
must not call any of these intervals *unknown*, the comments it reports for each open
interval must be ours, and for lenient spellings its warnings must be exactly ours — and
our normalised value must read the same while neither side warns about it any more.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from hotline.routing.calendar.holidays import HolidayCalendar
from hotline.routing.schedule import compile_schedule
from hotline.routing.schedule.osm.hours import parse_osm

from .osm_node import js_cn_holidays, merge, reference_details, reference_points, skip_reason, warning_texts
from .test_osm_reference import RANGES, _compare

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

TZ = "Asia/Shanghai"
ZONE = ZoneInfo(TZ)
YEAR = [(datetime(2025, 12, 20), datetime(2027, 1, 10))]

FALLBACK = [
    "Mo-Fr 08:00-18:00; We off || 10:00-12:00", "Mo-Fr 08:00-12:00 || Sa 10:00-12:00",
    "Mo-Fr 10:00-12:00 || Sa 10:00-12:00, Su 10:00-12:00", "Tu 00:00-03:00 || Mo 22:00-02:00 off",
    "Mo-Su 00:00-24:00; Tu 01:00-02:00 off || Tu 00:30-01:30", "Mo 22:00-02:00 || Tu 01:00-05:00",
    "Mo-Fr 09:00-17:00 || Mo-Fr 12:00-13:00 off || Sa 10:00-14:00", "We 20:00-02:00 || Th 01:00-03:00; Fr 10:00-12:00",
    "Mo-Fr 07:00-19:00; We 12:00-14:00 off || 13:00-15:00", "Sa off || Sa 09:00-11:00",
]
COMMENTS = [
    'Mo-Fr 09:00-17:00 open "call first"',
    'Mo-Fr 09:00-17:00 open "weekdays"; Sa 10:00-14:00 open "weekend"; Dec 25 off "closed for Christmas"',
    'Mo-Su 20:00-02:00 open "night line"', 'Mo-Fr 08:00-20:00 open "office", Sa 10:00-12:00 open "duty"',
    '24/7 open "always staffed"; Dec 24-26 off "holidays"', 'Mo-Fr 09:00-12:00 open “预约优先”',
    'Mo-Fr 10:00-18:00 || Sa 10:00-12:00 open "weekend duty"', 'Mo-Fr 09:00-18:00; We 12:00-14:00 off "lunch"',
]
NTH = [
    "Sa[1] 10:00-12:00", "Su[-1] 10:00-12:00", "Mo[2] +1 day 10:00-12:00", "Mo[1,3] 18:00-20:00",
    "Th[1-2] 09:00-11:00", "Su[-1] +1 day 09:00-10:00", "Fr[4] +3 days 20:00-02:00",
    "Mo-Fr 09:00-17:00; Sa[1],Sa[3] 10:00-12:00", "Sa[-2] 08:00-12:00; Sa[-2] 10:00-11:00 off",
    "Jan Mo[1] 10:00-12:00", "Mo[2] +1 day 22:00-01:00", "We[3] +2 days 10:00-12:00", "Su[5] 10:00-12:00",
]
MIXED = [
    "Jan 31-Feb 01,Aug 10:00-12:00", "Jan,Mar 05 10:00-12:00", "Jan 05,Mar 10:00-12:00",
    "Dec 24,Jan 02-05,Mar 10:00-12:00", "Nov-Dec,Feb 14 Mo-Fr 09:00-17:00", "Mo-Su 09:00-17:00; Oct 01-07,Feb off",
]
LENIENT = [
    "Mo-Fr 10:00–12:00", "Mo–Fr 10:00-12:00", "Mo-Fr 10.00-12.00", "Mo-Fr 10-12", "Mo-Fr 10am-12pm",
    "Mo-Fr 10:30am-2:15pm", "Mo-Fr 10pm-12am", "Mo-Fr 12am-12pm", "Mo-Fr 10-12,14-18", "Mo-Fr 10:00~12:00",
    "Mo-Fr 10：00-12：00", "Mo-Fr 10:00—12:00", "Monday-Friday 10:00-12:00", "Mon-Fri 10:00-12:00",
    "Mo-Fr 8:00-9:00", "Mo-Fr 9-5", "Mo-Fr 10-26", "Mo-Fr 22-02", "Mo[1] +0 days 10:00-12:00",
    'Mo-Fr 09:00-17:00 open “call first”', "Sa-Su 9am-5pm", "Wednesday 10 am - 12 pm", "Mo-Fr 08.30–17.30",
    "Mo-Fr 10a.m.-12p.m.", "SAT 10:00-12:00; Sunday 0:00-6:00",
]
PH_MORE = [
    "Mo-Fr 08:00-18:00; PH off || 10:00-12:00", "PH -1 day 10:00-12:00", "PH +1 day 10:00-12:00",
    "Mo-Fr 09:00-17:00; PH -1 day 09:00-12:00; PH off",
    "PH -1 day,PH +1 day 10:00-12:00", "Mo-Su 22:00-02:00; PH +1 day off",
    "Mo-Fr 09:00-17:00; PH off || PH 10:00-12:00", 'Mo-Fr 09:00-17:00; PH off "public holiday"',
    "Mo-Fr,PH -1 day 18:00-20:00",
]


def _js_calendar():
    return HolidayCalendar.from_dates("js-cn", js_cn_holidays(range(2025, 2028)), years=range(2025, 2028))


def _no_unknown(exprs, ranges=RANGES, country=None):
    for start, end in ranges:
        for expr, result in zip(exprs, reference_details(exprs, start, end, TZ, country)):
            assert "error" not in result, f"opening_hours.js rejects {expr!r}: {result['error']}"
            assert not any(iv[2] for iv in result["intervals"]), f"opening_hours.js calls part of {expr!r} unknown"


@pytest.mark.parametrize("name,corpus,ranges", [
    ("fallback", FALLBACK, RANGES), ("comments", COMMENTS, RANGES), ("nth", NTH, YEAR), ("mixed", MIXED, YEAR),
    ("lenient", LENIENT, RANGES[:2]),
])
def test_new_constructs_match_opening_hours_js(name, corpus, ranges):
    _compare(corpus, ranges=ranges)
    _no_unknown(corpus, ranges=ranges[:1])


def test_holiday_offsets_match_with_the_same_holidays():
    _compare(PH_MORE, country="cn", calendar=_js_calendar(), ranges=RANGES + YEAR)
    _no_unknown(PH_MORE, country="cn")


def test_comments_are_the_references_for_every_open_interval():
    start, end = datetime(2025, 12, 20), datetime(2026, 1, 10)
    for expr, result in zip(COMMENTS, reference_details(COMMENTS, start, end, TZ)):
        schedule = compile_schedule(expr, fmt="osm", tz=TZ)
        assert schedule.comments, expr
        theirs: dict[str, list] = {}
        for a, b, _, comment in result["intervals"]:
            if comment is not None:
                theirs.setdefault(comment, []).append((a // 1000, b // 1000))
        ours: dict[str, list] = {}
        for a, b, is_open, comment in schedule.notes(start.replace(tzinfo=ZONE), end.replace(tzinfo=ZONE)):
            if is_open:
                ours.setdefault(comment, []).append((int(a.timestamp()), int(b.timestamp())))
        assert {c: merge(s) for c, s in ours.items()} == {c: merge(s) for c, s in theirs.items()}, expr


def test_lenient_spellings_carry_the_references_warnings_and_normalise_to_silence():
    start, end = RANGES[0]
    originals = reference_details(LENIENT, start, end, TZ)
    normalised = [parse_osm(expr).normalized for expr in LENIENT]
    for expr, norm, theirs, again in zip(LENIENT, normalised, originals, reference_details(normalised, start, end, TZ)):
        plan = parse_osm(expr)
        assert plan.lenient, expr
        assert sorted(note.en for note in plan.lenient) == warning_texts(theirs["warnings"]), expr
        assert parse_osm(norm).lenient == () and again["warnings"] == [], (expr, norm)
        assert merge([(a // 1000, b // 1000) for a, b, *_ in again["intervals"]]) == \
            merge([(a // 1000, b // 1000) for a, b, *_ in theirs["intervals"]]), (expr, norm)


# -- generated expressions with the new constructs --------------------------------------

_SELECTOR = st.sampled_from(["", "Mo-Fr ", "Sa,Su ", "Sa[1] ", "Su[-1] ", "Mo[2] +1 day ", "Th[1,3] ", "Fr[2-3] ",
                             "Jan 31-Feb 01,Aug ", "Dec ", "Jan,Mar 05 ", "Dec 24-Jan 02 "])
_HOUR = st.integers(0, 47)
_SPAN = st.builds(lambda a, b, dash: f"{a // 2:02d}:{a % 2 * 30:02d}{dash}{b // 2:02d}:{b % 2 * 30:02d}",
                  _HOUR, _HOUR, st.sampled_from(["-", "-", "–"]))
_BARE = st.builds(lambda a, b: f"{a:02d}-{b:02d}", st.integers(0, 23), st.integers(0, 26))
_TIMES = st.lists(st.one_of(_SPAN, _BARE), min_size=1, max_size=2).map(",".join)
_STATE = st.sampled_from(["", "", " off", " open", ' open "staffed"', ' off "closed"'])
_SPANS = st.lists(_SPAN, min_size=1, max_size=2).map(",".join)
# after a month, "21-20" would be a day range (as in opening_hours.js): only HH:MM spans there
_RULE = _SELECTOR.flatmap(lambda sel: st.builds(lambda times, state: f"{sel}{times}{state}",
                                                _SPANS if sel.rstrip()[-3:].isalpha() else _TIMES, _STATE))
_SEP = st.sampled_from(["; ", ", ", " || "])
_VALUE = st.lists(st.tuples(_RULE, _SEP), min_size=1, max_size=4).map(
    lambda rs: "".join(r + sep for r, sep in rs[:-1]) + rs[-1][0])


@settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck))
@given(st.lists(_VALUE, min_size=60, max_size=60))
def test_generated_values_with_new_constructs_answer_like_opening_hours_js(exprs):
    """Random mixes of fallbacks, comments, nth weekdays, mixed lists and lenient spans give
    the reference's state at every quarter past and quarter to (all spans start and end on
    the half hour) for 80 days. Point queries, not getOpenIntervals: the reference's interval
    iteration can skip a change its own getState() sees (e.g. 'Mo-Fr 21-01, Jan,Mar 05
    19-12,21-18 off' after a fallback). Values it rejects are skipped (derandomized, not shrunk)."""
    first, days, minutes = date(2025, 12, 20), 80, list(range(15, 1440, 30))
    theirs = reference_points(exprs, first, days, minutes, TZ)
    failures = []
    for expr in exprs:
        if theirs[expr] is None:
            continue
        schedule = compile_schedule(expr, fmt="osm", tz=TZ)
        ours = "".join("1" if schedule.is_open(datetime.combine(first + timedelta(days=n), time(), ZONE)
                                               + timedelta(minutes=m)) else "0"
                       for n in range(days) for m in minutes)
        if ours != theirs[expr]:
            at = next(i for i, (a, b) in enumerate(zip(ours, theirs[expr])) if a != b)
            day, minute = divmod(at, len(minutes))
            failures.append(f"{expr!r}: first difference on day {day} minute {minutes[minute]}")
    assert not failures, "\n".join(failures[:10])
