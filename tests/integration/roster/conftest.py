"""Roster fixtures: an app on SQLite and on a fresh PostgreSQL database, with builders.

Roster tests regenerate whole date ranges, so each gets a database of its own
(`database_url`: an SQLite file, then a fresh PostgreSQL database).
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

import hotline.store.rosters  # noqa: F401  (registers the roster tables until models.py imports them)
from hotline.clock import Clock
from hotline.settings import testing_settings
from hotline.usecases.roster.patterns_form import PatternInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
GAOXIN_LINE = "chengdu-gaoxin"     # open 9:00-21:00 every day


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def settings(tmp_path, redis_url, redis_prefix, database_url):
    return testing_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, database_url=database_url,
                            clock=Clock(frozen=local(2026, 11, 23, 8, 0)))


class RosterKit:
    """Build a roster the way a supervisor would, through the application layer."""

    def __init__(self, app, make_user) -> None:
        self.app = app
        self.services = app.extensions["hotline"].adapters
        self.hotline = app.extensions["hotline"]
        self.make_user = make_user

    def at(self, instant: datetime) -> None:
        self.services.settings = self.services.settings.with_(clock=Clock(frozen=instant))

    def counselors(self, *names: str, lines=()) -> list:
        return [self.make_user(n, "counselor", lines=lines, display_name=f"{n}老师") for n in names]

    def gaoxin_slots(self) -> None:
        """早班 09:00-15:00 and 晚班 15:00-21:00, one seat each."""
        self.hotline.roster_setup.create_slot(None, line_id=GAOXIN_LINE, start="09:00", end="15:00", seats=1,
                                              label_zh="早班", label_en="early", code="gx-early")
        self.hotline.roster_setup.create_slot(None, line_id=GAOXIN_LINE, start="15:00", end="21:00", seats=1,
                                              label_zh="晚班", label_en="late", code="gx-late")

    def pattern(self, code: str, cycle: str, assignees: str, start: date, **extra):
        return self.hotline.roster_setup.create_pattern(None, PatternInput(code=code, cycle_text=cycle,
                                                                           assignees_text=assignees, start=start,
                                                                           **extra))

    def generate(self, first: date, last: date, **kw) -> dict:
        return self.hotline.roster_generation.generate_range(first, last, **kw)


@pytest.fixture
def kit(app, make_user) -> RosterKit:
    return RosterKit(app, make_user)
