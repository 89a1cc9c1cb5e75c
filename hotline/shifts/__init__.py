"""Shifts: slots, rotation patterns, rosters, rules, fairness, coverage, on-call, iCalendar.

Pure core — no Flask, database or Redis. Adapters (web UI, store, RQ job, CLI)
build these plain values and call the functions below.
"""
from hotline.shifts.coverage import LineHours, coverage, coverage_between, line_coverage
from hotline.shifts.coverage_report import CoverageReport, CoverageRun, LineCoverage
from hotline.shifts.days import HolidayCalendar, day_matches, default_calendar
from hotline.shifts.fairness import Fairness, Spread, fairness, is_holiday_shift, is_night_shift
from hotline.shifts.generate import generate
from hotline.shifts.ical import counselor_calendar, shift_uid
from hotline.shifts.labels import Labels
from hotline.shifts.oncall import OnCall, OnCallIndex, current_and_next, on_shift
from hotline.shifts.patterns import Assignee, RotationPattern
from hotline.shifts.roster import Edit, Roster, RosterError
from hotline.shifts.rules import LEAVE, OVERLAP, REST, WEEKLY_HOURS, RuleSet, Violation, check
from hotline.shifts.shift import Shift, Unavailability, UnfilledSeat
from hotline.shifts.slots import ShiftSlot

__all__ = [
    "Assignee", "CoverageReport", "CoverageRun", "Edit", "Fairness", "HolidayCalendar", "Labels",
    "LEAVE", "LineCoverage", "LineHours", "OVERLAP", "OnCall", "OnCallIndex", "REST", "Roster", "RosterError",
    "RotationPattern", "RuleSet", "Shift", "ShiftSlot", "Spread", "Unavailability", "UnfilledSeat",
    "Violation", "WEEKLY_HOURS", "check", "counselor_calendar", "coverage", "coverage_between",
    "current_and_next", "day_matches", "default_calendar", "fairness", "generate", "is_holiday_shift",
    "is_night_shift", "line_coverage", "on_shift", "shift_uid",
]
