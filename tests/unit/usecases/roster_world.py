"""The roster use cases wired to in-memory fakes, with the builders the tests share.

One "world": 成都高新区 (`gx`, open 09:00-21:00) with two slots, 早班 09:00-15:00 and
晚班 15:00-21:00; ana (1), bo (2) and cy (3) are counselors, sup (9) a supervisor; the
clock stands at Monday 2026-11-23 08:00 in Shanghai.
"""
from __future__ import annotations

from datetime import date

from hotline.usecases.roster.calendar import RosterCalendar
from hotline.usecases.roster.context import RosterChanges
from hotline.usecases.roster.coverage import RosterCoverage
from hotline.usecases.roster.edits import RosterEdits
from hotline.usecases.roster.feeds import CalendarFeeds
from hotline.usecases.roster.generation import RosterGeneration
from hotline.usecases.roster.patterns_form import PatternInput
from hotline.usecases.roster.setup import RosterSetup
from hotline.usecases.roster.swaps import SwapRequests
from tests.unit.usecases.fakes import FakeClock
from tests.unit.usecases.fakes_roster import FakeRosterStore
from tests.unit.usecases.fakes_roster_ports import DIRECTORY, GAOXIN, FakeLocalSnapshot, FakeRosterVersion, local

ANA, BO, CY, SUP = 1, 2, 3, 9


class RosterWorld:
    def __init__(self) -> None:
        self.clock = FakeClock(local(2026, 11, 23, 8, 0))
        self.store = FakeRosterStore()
        self.version = FakeRosterVersion()
        self.local = FakeLocalSnapshot()
        self.changes = RosterChanges(self.version, self.local)
        self.directory = DIRECTORY
        self.setup = RosterSetup(self.store, self.clock, DIRECTORY)
        self.generation = RosterGeneration(self.store, self.clock, DIRECTORY, self.changes)
        self.edits = RosterEdits(self.store, self.clock, DIRECTORY, self.changes)
        self.swaps = SwapRequests(self.store, self.clock, DIRECTORY, self.changes)
        self.calendar = RosterCalendar(self.store, self.clock, DIRECTORY)
        self.coverage = RosterCoverage(self.store, DIRECTORY)
        self.feeds = CalendarFeeds(self.store, self.clock, DIRECTORY, "https://hotline.example.org/")
        for uid, name in ((ANA, "ana"), (BO, "bo"), (CY, "cy")):
            self.store.person(uid, name)
        self.store.person(SUP, "sup", role="supervisor")

    @classmethod
    def rostered(cls, first: date, last: date) -> RosterWorld:
        """A world with the rotation generated for first..last, its announcement already counted."""
        world = cls()
        world.rotation(first, last)
        world.version.value = world.local.invalidations = 0
        return world

    def at(self, *args) -> None:
        self.clock.at = local(*args)

    def gaoxin_slots(self) -> None:
        self.setup.create_slot(None, line_id=GAOXIN, start="09:00", end="15:00", seats=1, label_zh="早班",
                               label_en="early", code="gx-early")
        self.setup.create_slot(None, line_id=GAOXIN, start="15:00", end="21:00", seats=1, label_zh="晚班",
                               label_en="late", code="gx-late")

    def rotation(self, first: date, last: date, assignees: str = "ana\nbo") -> dict:
        """The slots, ana and bo alternating early/late from 2026-11-01, generated for first..last."""
        self.gaoxin_slots()
        self.setup.create_pattern(None, PatternInput(code="gx", cycle_text="gx-early gx-late",
                                                     assignees_text=assignees, start=date(2026, 11, 1)))
        return self.generation.generate_range(first, last)

    def shift(self, counselor_id: int, *start):
        """The stored shift of a counselor starting at a local time (None if there is none)."""
        return next((s for s in self.store.shifts() if s.counselor_id == counselor_id
                     and s.starts_at == local(*start)), None)
