"""On duty now and next, coverage alerts and the coverage of a stored roster, with fakes."""
from __future__ import annotations

from datetime import date

import pytest

from hotline.ports import Presence
from hotline.shifts import LineHours
from hotline.usecases.duty import DutyBoard
from hotline.usecases.eligibility import RosterEligibility
from hotline.usecases.roster.alerts import ALERT_EVERY_S, CoverageAlerts
from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.coverage import runs_json
from tests.unit.usecases.fakes import FakePresences
from tests.unit.usecases.fakes_roster_ports import DIRECTORY, FakeAlerts, FakeGate, FakeTicks, local
from tests.unit.usecases.roster_world import ANA, BO, CY, SUP, RosterWorld


@pytest.fixture
def world() -> RosterWorld:
    return RosterWorld.rostered(date(2026, 11, 20), date(2026, 11, 30))


@pytest.fixture
def presences() -> FakePresences:
    return FakePresences()


@pytest.fixture
def on_call(world, presences) -> RosterEligibility:
    return RosterEligibility(world.store, world.version, presences, ticks=FakeTicks())


@pytest.fixture
def board(on_call, presences, world) -> DutyBoard:
    return DutyBoard(on_call, presences, DIRECTORY, world.clock)


def test_a_rostered_line_shows_the_shift_with_live_states_and_the_next_one(board, presences):
    presences.set(Presence(ANA, "available", local(2026, 11, 23, 8, 0), ("gx",), "咨询师1"))
    duty = board.on_duty("gx", local(2026, 11, 23, 14, 59))
    assert duty == {"current": [{"id": ANA, "name": "ana老师", "state": "available"}],
                    "next": {"start": local(2026, 11, 23, 15, 0).isoformat(), "names": ["bo老师"]},
                    "source": "roster", "staffed": True}
    at_handover = board.on_duty("gx", local(2026, 11, 23, 15, 0))
    assert at_handover["current"] == [{"id": BO, "name": "bo老师", "state": "offline"}]
    assert at_handover["staffed"] is False                     # on shift but not signed in: a gap


def test_a_line_without_a_roster_shows_who_is_signed_in_for_it(board, presences):
    presences.set(Presence(CY, "wrap_up", local(2026, 11, 23, 8, 0), ("allday",), "咨询师3"))
    presences.set(Presence(BO, "offline", local(2026, 11, 23, 8, 0), ("allday",), "咨询师2"))
    assert board.on_duty("allday", local(2026, 11, 23, 10, 0)) == {
        "current": [{"id": CY, "name": "咨询师3", "state": "wrap_up"}], "next": {"start": None, "names": []},
        "source": "presence", "staffed": True}


def test_the_roster_page_lists_every_hosted_line_and_skips_one_that_fails(board, world):
    world.at(2026, 11, 23, 10, 0)
    lines = board.hosted_lines()
    assert [(d["line_id"], d["open"], d["source"]) for d in lines] == [("gx", True, "roster"),
                                                                       ("allday", True, "presence")]

    class Broken:
        def on_call(self, line_id, at):
            if line_id == "gx":
                raise RuntimeError("roster unreadable")
            return None

    board.on_call = Broken()
    assert [d["line_id"] for d in board.hosted_lines()] == ["allday"]


def test_an_open_rostered_line_with_nobody_on_shift_is_alerted_once_an_hour(world, on_call):
    world.edits.add_leave(SUP, BO, date(2026, 11, 24), date(2026, 11, 24), "病假")
    world.generation.generate_range(date(2026, 11, 24), date(2026, 11, 24))   # bo's early seat left unfilled
    alerts, gate = FakeAlerts(), FakeGate()
    coverage = CoverageAlerts(on_call, DIRECTORY, alerts, gate)
    at = local(2026, 11, 24, 10, 0)
    assert coverage.uncovered_lines(at) == ["gx"]              # "allday" has no roster, "elsewhere" is not ours
    assert coverage.raise_alerts(at) == ["gx"] and coverage.raise_alerts(at) == []
    assert alerts.raised == [{"kind": "coverage", "level": "gap", "at": at, "line_id": "gx",
                              "message": "高新区热线 开放中但无人当班 / 高新区热线 is open but nobody is on shift"}]
    assert gate.until["gx"] == at.replace(hour=11)
    assert ALERT_EVERY_S == 3600
    assert coverage.uncovered_lines(local(2026, 11, 24, 15, 30)) == []       # ana is on the late shift
    assert coverage.uncovered_lines(local(2026, 11, 24, 22, 0)) == []        # closed at night


def test_coverage_of_the_stored_roster_shows_an_ungenerated_day_as_a_gap(world):
    report = world.coverage.report(date(2026, 11, 29), date(2026, 12, 1))
    assert runs_json(report) == [{"line": "gx", "kind": "gap", "start": "2026-12-01T09:00:00+08:00",
                                  "end": "2026-12-01T21:00:00+08:00", "required": 1, "staffed": 0, "open": True}]
    assert [line.line_id for line in report.lines] == ["gx"]            # the lines with slots, by default
    with pytest.raises(RosterProblem, match="unknown lines: nowhere"):
        world.coverage.report(date(2026, 11, 29), date(2026, 12, 1), ["nowhere"])
    with pytest.raises(RosterProblem, match="before"):
        world.coverage.report(date(2026, 12, 1), date(2026, 11, 29))


def test_a_line_is_open_when_any_of_its_numbers_is():
    spans = LineHours(DIRECTORY.get("allday")).intervals(local(2026, 11, 23), local(2026, 11, 24))
    assert spans == [(local(2026, 11, 23), local(2026, 11, 24))]
    assert LineHours(DIRECTORY.get("gx")).intervals(local(2026, 11, 23), local(2026, 11, 24)) == [
        (local(2026, 11, 23, 9), local(2026, 11, 23, 21))]
