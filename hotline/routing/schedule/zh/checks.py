"""Whole-text checks of Chinese hours: claims that must agree with the rest of the text.

"节假日照常" / "节假日不休息" / "全年无休" say holidays keep their hours. Under the
engine's meanings that is already true of weekday words and 每天, so the phrase adds no
window — but it contradicts a text that also closes or excludes holidays, or whose hours
are for 工作日 (official working days exclude holidays by definition). "周末照常" for days
the text gives no hours is not a window either. Those texts are refused, never guessed.
"""

from __future__ import annotations

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DaySel, Windows
from hotline.routing.schedule.zh.lexer import Token

__all__ = ["check_as_usual", "no_hours"]

Clause = tuple[DaySel, DaySel, Windows]


def check_as_usual(text: str, claims: list[tuple[DaySel, int]], clauses: list[Clause], closed: DaySel) -> None:
    for sel, pos in claims:
        if sel.rest or sel.public:
            _check_holidays(text, pos, clauses, closed)
        if sel.weekdays:
            covered = frozenset().union(*(days.weekdays for days, _, _ in clauses)) if clauses else frozenset()
            if sel.weekdays - covered or sel.weekdays & closed.weekdays:
                raise ScheduleError(text, pos, "“照常”的日期没有给出时间 / 'as usual' for days the text "
                                    "gives no hours for: write their hours")


def _check_holidays(text: str, pos: int, clauses: list[Clause], closed: DaySel) -> None:
    if closed.rest or closed.public or any(ex.rest or ex.public for _, ex, _ in clauses):
        raise ScheduleError(text, pos, "节假日照常开放与节假日休息/除外矛盾 / says holidays keep their hours, "
                            "but the text also closes or excludes holidays")
    if any(days.working for days, _, _ in clauses):
        raise ScheduleError(text, pos, "“工作日”不含节假日，与节假日照常矛盾；请写周一至周五或每天 / 工作日 "
                            "(official working days) excludes holidays, so 'holidays as usual' contradicts it: "
                            "write 周一至周五 or 每天")


def no_hours(text: str, notes: list[Token]) -> ScheduleError:
    """The error for a text with no clock times at all, naming what it says instead."""
    if notes:
        note = text[notes[0].pos:notes[-1].end]
        return ScheduleError(text, notes[0].pos, f"没有营业时间：“{note}”只说明从何时起或到何时为止，没有几点到几点 / "
                             f"no opening hours: {note!r} says from or until when, not at what times")
    return ScheduleError(text, 0, "没有找到营业时间（几点到几点）/ no opening hours found: give clock times "
                         "like 9:00-17:00")
