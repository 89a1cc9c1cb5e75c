"""Chinese free-text opening hours, as printed on hotline lists, compiled to a day plan.

Meaning, kept literal so an operator can predict it from the text:
- a clause is a day selector and windows; clauses add up (union);
- weekday words select calendar weekdays; 工作日 = official working days (incl. make-up
  days); 节假日 / 休息日 = rest days (weekends + public holidays, make-up days excluded);
  法定节假日 = public holidays only; no day words = every day;
- "（节假日除外）" / "除…外" removes days from the clause it is attached to; "节假日休息"
  closes those days for every clause;
- "次日" or an end not after the start runs past midnight, from an included day into the
  next day even if that day is not included;
- durations and "24小时" beside windows are checks on them, never windows of their own.
Tolerated irregularities (unbalanced brackets) are kept as `warnings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import CalendarLike, DaySel, Windows, normalize
from hotline.routing.schedule.zh.lexer import bracket_warnings, tokenize
from hotline.routing.schedule.zh.parser import ALL_DAYS, ZhParser

__all__ = ["ZhPlan", "ZhClause", "parse_zh", "ALL_DAYS"]


@dataclass(frozen=True)
class ZhClause:
    days: DaySel
    excluded: DaySel
    windows: Windows


@dataclass(frozen=True)
class ZhPlan:
    """Union of clauses, minus days closed by "…休息" clauses."""

    clauses: tuple[ZhClause, ...]
    closed: DaySel = DaySel()
    date_specific: bool = False
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def uses_calendar(self) -> bool:
        sels = [self.closed, *(c.days for c in self.clauses), *(c.excluded for c in self.clauses)]
        return any(sel.uses_calendar for sel in sels)

    def windows(self, d: date, cal: CalendarLike) -> Windows:
        if not self.closed.is_empty and self.closed.matches(d, cal):
            return ()
        return normalize(w for c in self.clauses if c.days.matches(d, cal)
                         and (c.excluded.is_empty or not c.excluded.matches(d, cal)) for w in c.windows)


def parse_zh(text: str) -> ZhPlan:
    """Compile Chinese hours text; ScheduleError (with position) when it cannot."""
    if not text or not text.strip():
        raise ScheduleError(text or "", 0, "营业时间为空 / empty hours text")
    tokens = tokenize(text)
    clauses, closed = ZhParser(text, tokens).parse()
    return ZhPlan(tuple(ZhClause(*clause) for clause in clauses), closed,
                  warnings=tuple(bracket_warnings(tokens)))
