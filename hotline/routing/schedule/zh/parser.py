"""Clause structure of Chinese hours text: which days, which exclusions, which windows.

A clause collects a day selector and windows; a day list after a finished clause starts
a new clause, while a clause with days but no times yet merges with the times that follow
("周一至周五，8:00-18:00"). Times after a ';' or a line break with no day words of their
own continue the days before ("周一至周五 8:00-12:00；14:00-18:00"). Exclusions
("（节假日除外）", "除…外") attach to the clause being built, or to the previous one when
they trail it; "…休息" closes days everywhere; "…照常" says those days keep their hours
and is checked against the rest of the text (zh_checks).
"""

from __future__ import annotations

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DaySel, Windows
from hotline.routing.schedule.zh.checks import check_as_usual, no_hours
from hotline.routing.schedule.zh.clause import Draft, complete
from hotline.routing.schedule.zh.cursor import SKIP
from hotline.routing.schedule.zh.days import ALL_DAYS, DAY_START, ZhDayReader
from hotline.routing.schedule.zh.lexer import Token
from hotline.routing.schedule.zh.words import REFUSALS

__all__ = ["ZhParser", "ALL_DAYS"]

_TIME_START = {"TIME", "BARENUM", "PERIOD", "NEXTDAY", "FULLDAY", "FULLWEEK", "DURATION"}
_BESIDE = {"LPAREN", "COMMA"}          # what may stand between a window and "（4小时）" about it

Clause = tuple[DaySel, DaySel, Windows]


class ZhParser(ZhDayReader):
    """Clauses from tokens: days, exclusions, closures, windows and claims (see zh_hours)."""

    def __init__(self, text: str, tokens: list[Token]):
        super().__init__(text, tokens)
        self.done: list[list] = []                 # [days, excluded, windows]
        self.cur = Draft()
        self.closed = DaySel()
        self.as_usual: list[tuple[DaySel, int]] = []
        self.inherit: tuple[DaySel, DaySel] | None = None
        self.notes: list[Token] = []
        self.window_end = -1                       # token index just after the last window

    # -- driver ---------------------------------------------------------------------

    def parse(self) -> tuple[list[Clause], DaySel]:
        """(days, excluded days, windows) per clause, and the days closed by "…休息"."""
        while self.i < len(self.tokens):
            self._step(self.tokens[self.i])
        self._finish()
        if not self.done and self.closed.is_empty:
            raise no_hours(self.text, self.notes)
        clauses = [(days, excluded, windows) for days, excluded, windows in self.done]
        check_as_usual(self.text, self.as_usual, clauses, self.closed)
        return clauses, self.closed

    def _step(self, tok: Token) -> None:
        kind = tok.kind
        if kind == "SEMI":
            self.i += 1
            if self.cur.has_hours:
                self._finish(semi=True)
        elif kind == "NOTE":
            self.notes.append(tok)
            self.i += 1
        elif kind in SKIP:
            self.i += 1
        elif kind in DAY_START:
            self._days()
        elif kind == "PERIOD" and self._peek_kind(1) not in ("TIME", "BARENUM"):
            self._pending_period(tok)
        elif kind in ("TIME", "BARENUM", "PERIOD", "NEXTDAY"):
            self._window()
        elif kind in ("FULLDAY", "FULLWEEK"):
            self._round_clock(tok)
        elif kind == "DURATION":
            self._duration(tok)
        elif kind == "REFUSE":
            raise ScheduleError(self.text, tok.pos, f"“{self.text[tok.pos:tok.end]}”：{REFUSALS[tok.value]}")
        elif kind == "EXCEPT_PREFIX":
            self._except_prefix()
        elif kind == "INCLUDE":
            self.i += 1
            self._day_list()  # "（含节假日）": weekday words already ignore holidays
        else:
            if self.cur.period is not None:     # "周日下午休息": the part of day is what is missing
                complete(self.text, Draft(period=self.cur.period))
            raise ScheduleError(self.text, tok.pos, f"此处不应出现 / unexpected {self._quote(tok)}")

    def _finish(self, semi: bool = False) -> None:
        cur = self.cur
        windows = complete(self.text, cur)
        inherit = None
        if windows is not None:
            days, excluded = cur.days, cur.excluded
            if days is None and self.inherit is not None and cur.windows:     # times, not "24小时", continue
                days, excluded = self.inherit[0], excluded | self.inherit[1]
            self.done.append([days or ALL_DAYS, excluded, windows])
            inherit = (days, excluded) if semi and days is not None else None
        self.inherit = inherit
        self.cur = Draft()

    # -- days -----------------------------------------------------------------------

    def _days(self) -> None:
        pos = self.tokens[self.i].pos
        sel, norest = self._day_list()
        if norest:
            self.as_usual.append((DaySel(rest=True), pos))
        nxt = self._peek_kind()
        if nxt in ("EXCEPT_SUFFIX", "CLOSED", "ASUSUAL"):
            self.i += 1
            if nxt == "EXCEPT_SUFFIX":
                self._exclude(sel, pos)
            elif nxt == "CLOSED":
                self.closed = self.closed | sel
            else:
                self.as_usual.append((sel, pos))
            return
        if self.cur.has_hours:
            same = sel in (ALL_DAYS, self.cur.days) if self._claim_follows() else \
                norest and sel == (self.cur.days or ALL_DAYS)
            if same:
                return       # "…，每天开放12小时" checks this clause; "…，全年无休" restates it
            if self.cur.days is not None or self._time_follows():
                self._finish()
        self._select(sel, pos)

    def _select(self, sel: DaySel, pos: int) -> None:
        if self.cur.days is None:
            self.cur.days, self.cur.days_pos = sel, pos
        elif sel != ALL_DAYS or self.cur.has_hours:
            self.cur.days = self.cur.days | sel      # "周一至周五每天…": 每天 distributes, adds nothing

    def _exclude(self, sel: DaySel, pos: int) -> None:
        """Attach an exclusion to the clause being built, else to the last finished one."""
        if self.cur.empty and self.done:
            self.done[-1][1] = self.done[-1][1] | sel
            return
        self.cur.excluded = self.cur.excluded | sel
        if self.cur.days is None and not self.cur.windows:
            self.cur.days_pos = pos

    def _except_prefix(self) -> None:
        pos = self.tokens[self.i].pos
        self.i += 1
        if self._peek_kind() not in DAY_START:
            raise ScheduleError(self.text, pos, "“除”后应为日期 / expected days after 除")
        sel, _ = self._day_list()
        if self._peek_kind() not in ("EXCEPT_END", "EXCEPT_SUFFIX"):
            raise ScheduleError(self.text, self._pos(), "缺少“外” / expected 外 after 除…")
        self.i += 1
        self._exclude(sel, pos)

    def _time_follows(self) -> bool:
        """After days: does a time come next (so the days start a new clause)?"""
        return self._next_meaningful() in _TIME_START

    def _claim_follows(self) -> bool:
        """After days: a duration or round-the-clock claim ("每天开放12小时", "每天24小时")."""
        kind = self._next_meaningful()
        return kind == "DURATION" or (kind == "FULLDAY" and self.tokens[self._next_index()].value == "clock")

    # -- times and claims -----------------------------------------------------------

    def _window(self) -> None:
        default, self.cur.period = self.cur.period, None
        self.cur.windows.append(self._range(default))
        self.window_end = self.i

    def _pending_period(self, tok: Token) -> None:
        """"每晚开放时间：8点至10点": the part of day governs the next range of the clause."""
        if self.cur.period is not None:
            complete(self.text, Draft(period=self.cur.period))   # raises: a part of day without times
        self.cur.period = tok
        self.i += 1

    def _round_clock(self, tok: Token) -> None:
        self.i += 1
        if tok.kind == "FULLWEEK":
            if self.cur.has_hours and self.cur.days is not None:
                self._finish()
            self._select(ALL_DAYS, tok.pos)
            self.cur.round_clock.append((tok.pos, "clock"))
        else:
            self.cur.round_clock.append((tok.pos, tok.value))

    def _duration(self, tok: Token) -> None:
        beside = None
        between = self.tokens[self.window_end:self.i] if self.window_end >= 0 else None
        if self.cur.windows and between is not None and all(t.kind in _BESIDE for t in between):
            start, end = self.cur.windows[-1]
            beside = end - start
        self.cur.durations.append((tok.value, tok.pos, beside))
        self.i += 1
