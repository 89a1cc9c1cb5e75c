"""The on-call snapshot with fakes: rostered versus assigned lines, the hand-over minute, when the
snapshot is reused, refreshed or rebuilt, and what answers while the database or Redis is away."""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import date, timedelta

import pytest

from hotline.ports import Presence
from hotline.usecases import eligibility as module
from hotline.usecases.eligibility import RosterEligibility
from hotline.usecases.roster.context import RosterChanges
from tests.unit.usecases.fakes import FakePresences
from tests.unit.usecases.fakes_roster_ports import FakeRosterVersion, FakeTicks, local
from tests.unit.usecases.roster_world import ANA, BO, CY, RosterWorld

AT = local(2026, 11, 23, 10, 0)          # ana early (09-15), bo late (15-21)


@pytest.fixture
def world() -> RosterWorld:
    return RosterWorld.rostered(date(2026, 11, 20), date(2026, 11, 30))


@pytest.fixture
def ticks() -> FakeTicks:
    return FakeTicks()


@pytest.fixture
def staffing(world, ticks) -> RosterEligibility:
    presences = FakePresences()
    for cid in (ANA, BO, CY):
        presences.set(Presence(cid, "available", AT, ("gx", "allday")))
    return RosterEligibility(world.store, world.version, presences, ticks=ticks)


def _lines(staffing, cid, at=AT, lines=("gx", "allday")):
    return staffing.lines_for(Presence(cid, "available", at, lines), at)


def _settled(staffing) -> None:
    if staffing._refreshing is not None:
        staffing._refreshing.join(timeout=5)


def test_a_rostered_line_goes_to_whoever_is_on_shift_others_keep_their_assigned_lines(staffing):
    assert _lines(staffing, ANA) == {"gx", "allday"}
    assert _lines(staffing, BO) == {"allday"}                   # assigned to gx, but not on shift
    assert _lines(staffing, CY, lines=()) == set()
    assert staffing.rostered("gx", AT) and not staffing.rostered("allday", AT)


def test_at_the_hand_over_minute_the_incoming_shift_has_the_line(staffing):
    before, handover = local(2026, 11, 23, 14, 59, 59), local(2026, 11, 23, 15, 0)
    assert _lines(staffing, ANA, before) == {"gx", "allday"} and _lines(staffing, BO, before) == {"allday"}
    assert _lines(staffing, ANA, handover) == {"allday"} and _lines(staffing, BO, handover) == {"gx", "allday"}


def test_a_line_far_from_any_shift_is_not_rostered(staffing):
    later = local(2026, 12, 20, 10, 0)                          # >4 days after the last shift
    assert _lines(staffing, BO, later) == {"gx", "allday"}
    assert staffing.on_call("gx", later) is None


def test_staffed_counts_count_working_states_by_the_roster(world, ticks):
    presences = FakePresences()
    presences.set(Presence(ANA, "on_call", AT, ("gx",)))
    presences.set(Presence(BO, "available", AT, ("gx", "allday")))
    presences.set(Presence(CY, "break", AT, ("allday",)))
    counts = RosterEligibility(world.store, world.version, presences, ticks=ticks).staffed_counts(AT)
    assert counts == {"gx": 1, "allday": 1}


def test_the_snapshot_is_reused_until_its_time_to_live_runs_out(staffing, world, ticks):
    first = staffing.snapshot(AT)
    units = world.store.units
    _lines(staffing, ANA)
    ticks.now += module.TTL_S - 1
    assert staffing.snapshot(AT) is first and world.store.units == units
    ticks.now += 2                                              # outdated but still covering `at`:
    assert staffing.snapshot(AT) is first                       # served at once, refreshed behind
    _settled(staffing)
    assert staffing.snapshot(AT) is not first and world.store.units == units + 1


def test_a_version_bump_elsewhere_reaches_this_process_within_a_second(staffing, world, ticks):
    assert _lines(staffing, BO) == {"allday"}
    ana_early = world.shift(ANA, 2026, 11, 23, 9, 0)
    world.store.tables.shifts[ana_early.id] = replace(ana_early, counselor_id=BO)
    assert _lines(staffing, BO) == {"allday"}                   # a change without a bump: still cached
    world.version.value += 1                                    # another process announced a change
    assert _lines(staffing, BO) == {"allday"}                   # the version is read at most every second
    ticks.now += module.VERSION_EVERY_S
    _lines(staffing, BO)                                        # stale: served, refreshed in the background
    _settled(staffing)
    assert _lines(staffing, BO) == {"gx", "allday"} and _lines(staffing, ANA) == {"allday"}


def test_a_change_here_drops_the_snapshot_at_once(staffing, world):
    first = staffing.snapshot(AT)
    RosterChanges(world.version, staffing).announce()
    assert world.version.value == 1
    assert staffing.snapshot(AT) is not first                   # rebuilt now, not in the background


def test_leaving_the_window_rebuilds_around_the_new_instant(staffing):
    first = staffing.snapshot(AT)
    assert staffing.snapshot(AT + timedelta(days=6)) is not first


def test_without_any_snapshot_a_database_failure_falls_back_to_assigned_lines(staffing, world, ticks, caplog):
    world.store.fail = ConnectionError("database unavailable")
    with caplog.at_level(logging.ERROR, logger=module.__name__):
        assert _lines(staffing, BO) == {"gx", "allday"}
    assert "assigned lines" in caplog.text
    world.store.fail = None
    assert _lines(staffing, BO) == {"gx", "allday"}             # no retry before RETRY_AFTER_FAILURE_S
    ticks.now += module.RETRY_AFTER_FAILURE_S
    assert _lines(staffing, BO) == {"allday"}


def test_with_a_snapshot_a_database_failure_keeps_serving_the_last_one(staffing, world, ticks):
    first = staffing.snapshot(AT)
    world.store.fail = ConnectionError("database unavailable")
    ticks.now += module.TTL_S + 1
    assert _lines(staffing, BO) == {"allday"}
    _settled(staffing)
    assert staffing.snapshot(AT) is first and _lines(staffing, ANA) == {"gx", "allday"}


def test_redis_away_the_snapshot_still_answers(world, ticks):
    version = FakeRosterVersion(fail=True)
    presences = FakePresences()
    staffing = RosterEligibility(world.store, version, presences, ticks=ticks)
    assert _lines(staffing, ANA) == {"gx", "allday"} and _lines(staffing, BO) == {"allday"}


def test_announcing_survives_redis_being_away(world, caplog):
    version, local_cache = FakeRosterVersion(fail=True), world.local
    with caplog.at_level(logging.WARNING):
        RosterChanges(version, local_cache).announce()
    assert local_cache.invalidations == 1 and "not bumped" in caplog.text


def test_a_slow_refresh_is_started_only_once(staffing, world, ticks):
    staffing.snapshot(AT)
    ticks.now += module.TTL_S + 1
    started = []
    real = staffing._refresh

    def slow(at):
        started.append(at)
        time.sleep(0.05)
        real(at)

    staffing._refresh = slow
    for _ in range(5):
        staffing.snapshot(AT)
    _settled(staffing)
    assert len(started) == 1
