"""The supervisor dashboard's holiday-table warning: the same one `hotline doctor` gives.

From 1 November a center must drop next year's official table in (the State Council's
notice cannot be computed); without it next year runs on the statutory days only. The
doctor is run by whoever deploys; the dashboard is seen by supervisors every day, so the
warning is shown there too, with the year and the file to add.
"""
from __future__ import annotations

from typing import Callable
from zoneinfo import ZoneInfo

from hotline.ports import Clock
from hotline.routing.calendar.holidays import HolidayCalendar
from hotline.routing.calendar.table_warning import missing_table_warning

CHINA = ZoneInfo("Asia/Shanghai")   # the calendar is mainland China's: its dates are read there (as the doctor does)


class HolidayTableNotice:
    def __init__(self, clock: Clock, calendar: Callable[[], HolidayCalendar]) -> None:
        self.clock, self.calendar = clock, calendar

    def warning(self) -> dict | None:
        """{year, path, current, message, message_zh, message_en}, or None when no table is due."""
        today = self.clock.now().astimezone(CHINA).date()
        missing = missing_table_warning(today, self.calendar())
        if missing is None:
            return None
        zh, _, en = missing.message.partition(" / ")
        return {"year": missing.year, "path": missing.path, "current": missing.current,
                "message": missing.message, "message_zh": zh, "message_en": en}
