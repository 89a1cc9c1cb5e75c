"""Weekday and holiday selectors: "Mo-Fr", "Sa-Mo", "Sa[1]", "Su[-1]", "Mo[1,3]", "Mo[2] +1 day", "PH -1 day".

Limits are opening_hours.js's, so a value the reference refuses is refused here too: nth
numbers from -5 to 5 except 0, ranges that do not run backwards, at most 6 days' offset
from an nth weekday and 1 day from a public holiday. A 5th weekday with an offset is
refused as well: the reference answers it inconsistently (tests/unit/core/schedule/
test_osm_nth_weekdays.py compares every other combination day by day).
"""

from __future__ import annotations

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import weekday_set
from hotline.routing.schedule.osm import lenient
from hotline.routing.schedule.osm.dates import OsmDateParser
from hotline.routing.schedule.osm.lenient import Edit
from hotline.routing.schedule.osm.preds import HolidayPred, NthWeekdayPred, WeekdayPred

__all__ = ["OsmWeekdayParser"]

_MAX_OFFSET = {"nth": 6, "holiday": 1}


class OsmWeekdayParser(OsmDateParser):
    """Weekday/PH lists; a lone PH is its own selector group (ANDed with weekdays)."""

    def _weekday_list(self) -> tuple:
        items, commas = [self._weekday_item()], 0
        while self._kind() == "," and self._kind(1) in ("WEEKDAY", "PH"):
            self.i += 1
            commas += 1
            items.append(self._weekday_item())
        if commas == 0 and isinstance(items[0], HolidayPred):
            return (items[0],)
        return tuple(items)

    def _weekday_item(self) -> WeekdayPred | HolidayPred | NthWeekdayPred:
        tok = self._take("WEEKDAY", "PH")
        if tok.kind == "PH":
            return HolidayPred(self._offset("holiday"))
        if self._kind() == "[":
            numbers = self._nth_numbers()
            at = self._pos()
            offset = self._offset("nth")
            if offset and any(abs(n) == 5 for n in numbers):
                raise ScheduleError(self.text, at, "第 5 个星期几加减天数时，参考实现 opening_hours.js 的结果不一致，"
                                    "请直接写日期 / a 5th weekday with a day offset is evaluated inconsistently by "
                                    "opening_hours.js, the reference: give the dates instead")
            return NthWeekdayPred(tok.value, numbers, offset)
        if self._kind() == "-" and self._kind(1) == "WEEKDAY":
            self.i += 2
            return WeekdayPred(weekday_set(tok.value, self.tokens[self.i - 1].value))
        return WeekdayPred(frozenset({tok.value}))

    def _nth_numbers(self) -> frozenset[int]:
        """"[1]", "[-1]", "[1,3]", "[1-3]" after a weekday: which of its occurrences in the month."""
        self._take("[")
        numbers: set[int] = set()
        while True:
            negative = self._kind() == "-"
            if negative:
                self.i += 1
            first = self._nth_number(negative)
            last = first
            if not negative and self._kind() == "-" and self._kind(1) == "NUMBER":
                self.i += 1
                last = self._nth_number(False)
                if last < first:
                    self._fail(f"范围颠倒 / bad range: {first}-{last}", back=1)
            numbers.update(n for n in range(first, last + 1))
            if self._kind() != ",":
                break
            self.i += 1
        if self._kind() != "]":
            self._fail("应为“]”或更多数字 / expected ']' or more numbers")
        self.i += 1
        return frozenset(numbers)

    def _nth_number(self, negative: bool) -> int:
        value = self._take("NUMBER").value
        if value == 0 or value > 5:
            self._fail("应为 -5 到 5 之间且非 0 的数 / number between -5 and 5 (except 0) expected", back=1)
        return -value if negative else value

    def _offset(self, kind: str) -> int:
        """"+1 day", "-2 days" after Mo[2] or PH; 0 when absent."""
        if self._kind() not in ("+", "-") or self._kind(1) != "NUMBER" or self._kind(2) != "DAYS":
            return 0
        sign = 1 if self._kind() == "+" else -1
        start = self.tokens[self.i].pos
        days = self.tokens[self.i + 1].value
        if days > _MAX_OFFSET[kind]:
            what = "公共假日 / a public holiday" if kind == "holiday" else "第 n 个星期几 / a constrained weekday"
            self.i += 1
            self._fail(f"与{what.split(' / ')[0]}最多相差 {_MAX_OFFSET[kind]} 天 / at most {_MAX_OFFSET[kind]} "
                       f"days' difference from {what.split(' / ')[1]}")
        self.i += 3
        if days == 0:
            self.notes.append(lenient.add_zero(start))
            self.edits.append(Edit(start, self.tokens[self.i - 1].end, ""))
        return sign * days
