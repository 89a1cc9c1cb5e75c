"""The triage and staffing figures of a report, folded from fake triage records and rosters."""
from __future__ import annotations

import json
import logging

import pytest

from hotline.shifts import Shift, ShiftSlot
from tests.unit.usecases.fakes import FakeClock, FakeKeyring
from tests.unit.usecases.fakes_report_sources import (FakeAssessment, FakeCall, FakeFollowUp, FakeReferral,
                                                      FakeReportRosters, FakeReportTriage)
from tests.unit.usecases.fakes_reports import FakeReports
from tests.unit.usecases.reports_world import DAY, EAST, URUMQI, at, reports_over

KEYRING = FakeKeyring()
C1 = FakeCall(at(14, 9), "answered", "east", EAST, "K1", wait=10, talk=600)
C2 = FakeCall(at(14, 9, 30), "answered", "east", EAST, "K1", wait=30, talk=300)
C3 = FakeCall(at(14, 10), "answered", "east", EAST, "K2", wait=5, talk=60)
BEFORE = FakeCall(at(13, 23, 59, 59), "answered", "east", EAST, "K1", wait=1, talk=50)


def answers(concerns, level) -> str:
    return KEYRING.encrypt(json.dumps({"concerns": concerns, "population_level": level, "wish_dead": "no"}))


def entry(status, when) -> dict:
    return {"status": status, "at": when.isoformat(), "by": "1"}


TRIAGE = FakeReportTriage(
    assessments=[FakeAssessment(C1, "high", answers(["anxiety", "sleep"], "2")),
                 FakeAssessment(C2, "low", answers(["anxiety", "anxiety"], "not_applicable")),
                 FakeAssessment(C3, "none", "gAAAAB-damaged-token"),           # counted, never readable
                 FakeAssessment(BEFORE, "moderate", answers(["bereavement"], "4"))],
    referrals=[FakeReferral(C1, at(14, 9, 20), (entry("suggested", at(14, 9, 20)), entry("completed", at(14, 20)))),
               FakeReferral(BEFORE, at(13, 23, 59), (entry("suggested", at(13, 23, 59)),),
                            next_follow_up_at=at(14, 23, 59))],                   # due 23:59 on the 14th
    follow_ups=[FakeFollowUp(C1, at(15, 9, 10)),                                  # not due yet
                FakeFollowUp(BEFORE, at(14, 23)),                                 # overdue by midnight
                FakeFollowUp(C2, at(14, 12), done_at=at(14, 11)),                 # done in time
                FakeFollowUp(C3, at(14, 12), done_at=at(15, 1))])                 # done, but late


def triage_report(clock=None, decrypt=KEYRING.decrypt):
    store = FakeReports([C1, C2, C3, BEFORE], triage=TRIAGE)
    return reports_over(store, clock, decrypt=decrypt).compute(DAY)


def test_assessments_levels_and_answers_of_the_periods_calls(caplog):
    with caplog.at_level(logging.WARNING):
        east = triage_report().lines["east"]
    assert east.values["assessments"] == 3
    assert east.series["risk_levels"] == {"high": 1, "low": 1, "none": 1}
    assert east.series["concerns"] == {"anxiety": 2, "sleep": 1}          # once per call
    assert east.series["population_levels"] == {"2": 1, "not_applicable": 1}
    warning = "\n".join(r.getMessage() for r in caplog.records)
    assert "1 triage answers could not be decrypted" in warning and "damaged" not in warning


def test_without_a_keyring_the_answers_stay_unread():
    east = triage_report(decrypt=None).lines["east"]
    assert east.series["concerns"] == {} and east.series["population_levels"] == {}
    assert east.values["assessments"] == 3


def test_referrals_made_completed_and_the_overdue_backlog_at_the_end_of_the_day():
    east = triage_report().lines["east"].values
    assert (east["referrals_made"], east["referrals_completed"]) == (1, 1)
    assert east["follow_ups_overdue"] == 3        # BEFORE's task and referral, C3's task done late


def test_overdue_is_counted_as_of_now_when_the_period_is_not_over():
    east = triage_report(FakeClock(at(14, 15))).lines["east"].values
    assert east["follow_ups_overdue"] == 1        # only C3's task was due by 15:00
    assert east["referrals_completed"] == 1       # completed at 20:00: the period's, whatever now is


def slots():
    return [ShiftSlot("e-day", "east", "00:00", "24:00")]


ROSTERS = FakeReportRosters(
    shift_list=[Shift("1", "east", "e-day", at(14, 0), at(14, 16)),
                Shift("2", "east", "e-day", at(13, 20), at(14, 2)),             # 2 h of it in the day
                Shift("3", "north", "", at(14, 9), at(14, 13)),
                Shift("4", "west", "", at(14, 0, tz=URUMQI), at(14, 6, tz=URUMQI))],
    slot_list=slots())


@pytest.fixture
def staffing():
    return reports_over(FakeReports(rosters=ROSTERS)).compute(DAY)


def test_staffed_and_open_hours_per_line(staffing):
    east, north, west = (staffing.lines[k].values for k in ("east", "north", "west"))
    assert (east["staffed_hours"], east["open_hours"]) == (18, 24)
    assert (north["staffed_hours"], north["open_hours"]) == (4, 12)
    assert (west["staffed_hours"], west["open_hours"]) == (6, 24)         # west's own day, in Urumqi
    assert staffing.overall.values["staffed_hours"] == 28


def test_coverage_gaps_only_for_hosted_lines(staffing):
    east, north, west = (staffing.lines[k].values for k in ("east", "north", "west"))
    assert (east["coverage_gaps"], east["coverage_gap_hours"]) == (1, 8)       # 16:00–24:00 unstaffed
    assert (west["coverage_gaps"], west["coverage_gap_hours"]) == (1, 18)      # one seat while open
    assert (north["coverage_gaps"], north["coverage_gap_hours"]) == (0, 0)     # another organisation's


def test_a_one_line_report_reads_only_that_lines_roster():
    alone = reports_over(FakeReports(rosters=ROSTERS)).compute(DAY, "north")
    assert list(alone.lines) == ["north"] and alone.overall.values["staffed_hours"] == 4


def test_source_rows_of_other_lines_do_not_leak_into_a_one_line_report():
    store = FakeReports([C1, C2, C3], triage=TRIAGE)
    alone = reports_over(store, decrypt=KEYRING.decrypt).compute(DAY, "north")
    assert alone.overall.values["assessments"] == 0 and alone.overall.series["concerns"] == {}
    assert alone.overall.values["follow_ups_overdue"] == 0

