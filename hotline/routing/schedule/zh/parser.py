"""Clause structure of Chinese hours text: which days, which exclusions, which windows.

A clause collects a day selector and windows; a day list after a finished clause starts
a new clause, while a clause with days but no times yet merges with the times that follow
("周一至周五，8:00-18:00"). Exclusions ("（节假日除外）", "除…外") attach to the clause
being built, or to the previous one when they trail it; "…休息" closes days everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DAY, DaySel, Window, Windows, normalize, weekday_set
from hotline.routing.schedule.zh.cursor import ZhCursor
from hotline.routing.schedule.zh.lexer import Token

__all__ = ["ZhParser", "ALL_DAYS"]

ALL_DAYS = DaySel(frozenset(range(7)))
_DAYSETS = {"all": ALL_DAYS, "working": DaySel(working=True), "rest": DaySel(rest=True),
            "public": DaySel(public=True)}
_DAY_START = {"DAY", "DAYSET"}
_DAY_ITEM = {"DAY", "DAYSET", "DAYNUM"}
_TIME_START = {"TIME", "BARENUM", "PERIOD", "NEXTDAY", "FULLDAY", "FULLWEEK"}
_SKIP = {"COMMA", "DUN", "FILLER", "LPAREN", "RPAREN"}


@dataclass
class _Draft:
    days: DaySel | None = None
    days_pos: int = 0
    excluded: DaySel = field(default_factory=DaySel)
    windows: list[Window] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.days is None and not self.windows and self.excluded.is_empty


class ZhParser(ZhCursor):
    """Clauses from tokens: days, exclusions, closures and windows (see zh_hours)."""

    def __init__(self, text: str, tokens: list[Token]):
        super().__init__(text, tokens)
        self.done: list[_Draft] = []
        self.cur = _Draft()
        self.closed = DaySel()

    # -- driver ---------------------------------------------------------------------

    def parse(self) -> tuple[list[tuple[DaySel, DaySel, Windows]], DaySel]:
        """(days, excluded days, windows) per clause, and the days closed by "…休息"."""
        while self.i < len(self.tokens):
            self._step(self.tokens[self.i])
        self._finish()
        if not self.done and self.closed.is_empty:
            raise ScheduleError(self.text, 0, "没有找到营业时间 / no opening hours found")
        clauses = [(d.days or ALL_DAYS, d.excluded, normalize(d.windows)) for d in self.done]
        return clauses, self.closed

    def _step(self, tok: Token) -> None:
        if tok.kind == "SEMI":
            self.i += 1
            if self.cur.windows:
                self._finish()
        elif tok.kind in _SKIP:
            self.i += 1
        elif tok.kind in _DAY_START:
            self._days()
        elif tok.kind in _TIME_START:
            self._times(tok)
        elif tok.kind == "EXCEPT_PREFIX":
            self._except_prefix()
        elif tok.kind == "INCLUDE":
            self.i += 1
            self._day_list()  # "（含节假日）": weekday words already ignore holidays
        else:
            raise ScheduleError(self.text, tok.pos, f"此处不应出现 / unexpected {self._quote(tok)}")

    def _finish(self) -> None:
        cur = self.cur
        if cur.days is not None and not cur.windows:
            raise ScheduleError(self.text, cur.days_pos, "缺少时间段 / days without hours")
        if cur.windows:
            self.done.append(cur)
        elif not cur.excluded.is_empty:
            raise ScheduleError(self.text, cur.days_pos, "排除的日期没有对应的时间 / exclusion without hours")
        self.cur = _Draft()

    # -- days -----------------------------------------------------------------------

    def _days(self) -> None:
        pos = self.tokens[self.i].pos
        sel = self._day_list()
        nxt = self._peek_kind()
        if nxt == "EXCEPT_SUFFIX":
            self.i += 1
            self._exclude(sel, pos)
        elif nxt in ("CLOSED", "ASUSUAL"):
            self.i += 1
            if nxt == "CLOSED":
                self.closed = self.closed | sel
        elif self.cur.windows and (self.cur.days is not None or self._time_follows()):
            self._finish()
            self._select(sel, pos)
        else:
            self._select(sel, pos)

    def _select(self, sel: DaySel, pos: int) -> None:
        if self.cur.days is None:
            self.cur.days, self.cur.days_pos = sel, pos
        else:
            self.cur.days = self.cur.days | sel

    def _exclude(self, sel: DaySel, pos: int) -> None:
        """Attach an exclusion to the clause being built, else to the last finished one."""
        target = self.done[-1] if self.cur.empty and self.done else self.cur
        target.excluded = target.excluded | sel
        if target is self.cur and self.cur.days is None and not self.cur.windows:
            self.cur.days_pos = pos

    def _except_prefix(self) -> None:
        pos = self.tokens[self.i].pos
        self.i += 1
        if self._peek_kind() not in _DAY_START:
            raise ScheduleError(self.text, pos, "“除”后应为日期 / expected days after 除")
        sel = self._day_list()
        if self._peek_kind() not in ("EXCEPT_END", "EXCEPT_SUFFIX"):
            raise ScheduleError(self.text, self._pos(), "缺少“外” / expected 外 after 除…")
        self.i += 1
        self._exclude(sel, pos)

    def _day_list(self) -> DaySel:
        sel = self._day_item()
        while True:
            kind = self._peek_kind()
            if kind == "DUN" and self._peek_kind(1) in _DAY_ITEM:
                self.i += 1
            elif kind not in _DAY_START:
                return sel
            sel = sel | self._day_item()

    def _day_item(self) -> DaySel:
        tok = self._take(_DAY_ITEM, "应为日期 / expected days")
        if tok.kind == "DAYSET":
            return _DAYSETS[tok.value]
        if self._peek_kind() != "RANGE" or self._peek_kind(1) not in ("DAY", "DAYNUM"):
            return DaySel(_weekdays(tok))
        self.i += 1
        last = self.tokens[self.i]
        self.i += 1
        first_set, last_set = _weekdays(tok), _weekdays(last)
        if len(first_set) != 1 or len(last_set) != 1:
            raise ScheduleError(self.text, tok.pos, "周末不能用于范围 / 周末 cannot be part of a day range")
        return DaySel(weekday_set(next(iter(first_set)), next(iter(last_set))))

    def _time_follows(self) -> bool:
        """After days: does a time come next (so the days start a new clause)?"""
        j = self.i
        while j < len(self.tokens) and self.tokens[j].kind in _SKIP:
            j += 1
        return j < len(self.tokens) and self.tokens[j].kind in _TIME_START

    # -- times ----------------------------------------------------------------------

    def _times(self, tok: Token) -> None:
        if tok.kind in ("FULLDAY", "FULLWEEK"):
            self.i += 1
            if tok.kind == "FULLWEEK":
                if self.cur.windows and self.cur.days is not None:
                    self._finish()
                self._select(ALL_DAYS, tok.pos)
            self.cur.windows.append((0, DAY))
            return
        self.cur.windows.append(self._range())


def _weekdays(tok: Token) -> frozenset[int]:
    return tok.value if tok.kind == "DAY" else frozenset({tok.value})
