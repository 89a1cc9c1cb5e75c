"""Shifts: slots, rotation patterns, rosters, rules, fairness, coverage, on-call, iCalendar.

Pure core — no Flask, database or Redis. Adapters (web UI, store, RQ job, CLI)
build these plain values and call the functions below.
"""
from .coverage import coverage, coverage_between, line_coverage
from .coverage_report import CoverageReport, CoverageRun, LineCoverage
from .days import HolidayCalendar, day_matches, default_calendar
from .fairness import Fairness, Spread, fairness, is_holiday_shift, is_night_shift
from .generate import generate
from .ical import counselor_calendar, shift_uid
from .labels import Labels
from .oncall import OnCall, OnCallIndex, current_and_next, on_shift
from .patterns import Assignee, RotationPattern
from .roster import Edit, Roster, RosterError
from .rules import LEAVE, OVERLAP, REST, WEEKLY_HOURS, RuleSet, Violation, check
from .shift import Shift, Unavailability, UnfilledSeat
from .slots import ShiftSlot

__all__ = [
    "Assignee", "CoverageReport", "CoverageRun", "Edit", "Fairness", "HolidayCalendar", "Labels",
    "LEAVE", "LineCoverage", "OVERLAP", "OnCall", "OnCallIndex", "REST", "Roster", "RosterError",
    "RotationPattern", "RuleSet", "Shift", "ShiftSlot", "Spread", "Unavailability", "UnfilledSeat",
    "Violation", "WEEKLY_HOURS", "check", "counselor_calendar", "coverage", "coverage_between",
    "current_and_next", "day_matches", "default_calendar", "fairness", "generate", "is_holiday_shift",
    "is_night_shift", "line_coverage", "on_shift", "shift_uid",
]
