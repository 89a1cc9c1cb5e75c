"""HOTLINE_NOW: a frozen instant or an offset, always loud."""
import logging
from datetime import datetime, timedelta, timezone

import pytest

from hotline.clock import Clock, ClockSpecError, parse_clock, warn_if_not_real


def test_unset_is_real_time():
    clock = parse_clock(None)
    assert clock.is_real
    assert abs((clock.now() - datetime.now(timezone.utc)).total_seconds()) < 1


def test_iso_instant_freezes():
    clock = parse_clock("2026-10-01T08:00:00+08:00")
    assert clock.now() == datetime(2026, 10, 1, 0, 0, tzinfo=timezone.utc)
    assert clock.now() == clock.now()


def test_z_suffix_means_utc():
    assert parse_clock("2026-10-01T00:00Z").now().utcoffset() == timedelta(0)


@pytest.mark.parametrize("spec,delta", [("+3h", timedelta(hours=3)), ("-2d", timedelta(days=-2)),
                                        ("+30m", timedelta(minutes=30)), ("+1w", timedelta(weeks=1)),
                                        ("- 90s", timedelta(seconds=-90))])
def test_offsets_shift(spec, delta):
    clock = parse_clock(spec)
    assert clock.offset == delta
    assert abs((clock.now() - datetime.now(timezone.utc) - delta).total_seconds()) < 1


@pytest.mark.parametrize("spec", ["tomorrow", "2026-10-01T08:00", "+3x", "3h"])
def test_bad_values_name_the_problem(spec):
    with pytest.raises(ClockSpecError, match="HOTLINE_NOW"):
        parse_clock(spec)


def test_shifted_clock_warns_loudly(caplog):
    with caplog.at_level(logging.WARNING):
        warn_if_not_real(Clock(offset=timedelta(hours=3)))
        warn_if_not_real(Clock())
    assert len(caplog.records) == 1
    assert "HOTLINE_NOW" in caplog.records[0].message and "3:00:00" in caplog.records[0].message
