"""is_open reads blocks of merged boundaries (issue #18): its answer at and around every block
edge and every span edge is the one intervals() gives, in a zone with and without DST."""
from datetime import datetime, timedelta, timezone

import pytest

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import compile_schedule
from hotline.routing.schedule.runtime import BLOCK_DAYS

CASES = [("周一至周五17:00-次日9:00，节假日24小时", "zh", "Asia/Shanghai"),
         ("Mo-Fr 08:00-12:00,13:00-18:00; Sa 22:00-26:00", "osm", "Europe/Berlin"),
         ("Mo-Su 00:00-24:00", "osm", "America/New_York")]


def _inside(intervals, at):
    return any(start <= at < end for start, end in intervals)


@pytest.mark.parametrize("text,fmt,zone", CASES)
def test_is_open_at_block_and_span_edges_agrees_with_intervals(text, fmt, zone):
    schedule = compile_schedule(text, fmt=fmt, tz=zone, calendar=china_calendar())
    start, end = datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2026, 12, 31, tzinfo=timezone.utc)
    intervals = schedule.intervals(start, end)
    block = BLOCK_DAYS * 86_400
    edges = [datetime.fromtimestamp(n * block, timezone.utc)
             for n in range(int(start.timestamp() // block) + 1, int(end.timestamp() // block))]
    edges += [edge for span in intervals[:60] for edge in span]
    for edge in edges:
        for at in (edge - timedelta(seconds=1), edge, edge + timedelta(seconds=1)):
            if start <= at < end - timedelta(seconds=1):
                assert schedule.is_open(at) == _inside(intervals, at), at
