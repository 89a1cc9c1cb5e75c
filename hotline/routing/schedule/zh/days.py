"""Day lists of Chinese hours text: "周一至周五", "周一、三至五", "星期一至五", "周六、日", "每天".

Kept apart from the clause driver (zh_parser): a day list has its own small grammar —
items joined by 、/和/及, ranges that wrap over the week's end, a second 星期 that
notices drop ("星期一至五") — and returns one DaySel.
"""

from __future__ import annotations

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DaySel, weekday_set
from hotline.routing.schedule.zh.cursor import ZhCursor
from hotline.routing.schedule.zh.lexer import Token

__all__ = ["ZhDayReader", "ALL_DAYS", "DAYSETS"]

ALL_DAYS = DaySel(frozenset(range(7)))
DAYSETS = {"all": ALL_DAYS, "norest": ALL_DAYS, "working": DaySel(working=True),
           "rest": DaySel(rest=True), "public": DaySel(public=True)}
DAY_START = {"DAY", "DAYSET"}
_DAY_ITEM = {"DAY", "DAYSET", "DAYNUM"}


class ZhDayReader(ZhCursor):
    """Reads one day list; remembers whether it said 全年无休 (holidays included)."""

    def _day_list(self) -> tuple[DaySel, bool]:
        """(days, whether the list said "全年无休")."""
        sel, norest = self._day_item()
        while True:
            kind = self._peek_kind()
            joined = kind == "DUN" and self._peek_kind(1) in _DAY_ITEM
            if joined:
                self.i += 1
            elif kind not in DAY_START:
                return sel, norest
            item, more = self._day_item()
            if joined or item != ALL_DAYS:       # "周一至周五每天": 每天 distributes, adds no day
                sel = sel | item
            norest = norest or more

    def _day_item(self) -> tuple[DaySel, bool]:
        tok = self._take(_DAY_ITEM, "应为日期 / expected days")
        if tok.kind == "DAYSET":
            return DAYSETS[tok.value], tok.value == "norest"
        if self._peek_kind() != "RANGE" or self._peek_kind(1) not in ("DAY", "DAYNUM"):
            return DaySel(_weekdays(tok)), False
        self.i += 1
        last = self.tokens[self.i]
        self.i += 1
        first_set, last_set = _weekdays(tok), _weekdays(last)
        if len(first_set) != 1 or len(last_set) != 1:
            raise ScheduleError(self.text, tok.pos, "周末不能用于范围 / 周末 cannot be part of a day range")
        return DaySel(weekday_set(next(iter(first_set)), next(iter(last_set)))), False


def _weekdays(tok: Token) -> frozenset[int]:
    return tok.value if tok.kind == "DAY" else frozenset({tok.value})
