"""Year, month and month-day selectors of opening_hours ("2026 Oct 01-07", "Dec 24,26", "Nov-Jan",
"Jan 31-Feb 01,Aug").

Kept apart from the rule parser because date ranges carry their own checks: days that
exist in their month, ranges that do not run backwards, and a year on both ends of a
range or on neither (opening_hours.js rejects "2025 Dec 30-Jan 02" too). Months and month
days mix freely in one comma list, which — as in opening_hours.js — is one selector: a
date matches if any item does.
"""

from __future__ import annotations

import calendar as _calendar

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.osm.cursor import OsmCursor
from hotline.routing.schedule.osm.preds import MonthdayPred, MonthPred, YearPred

__all__ = ["OsmDateParser"]


class OsmDateParser(OsmCursor):
    """Parses the date selector lists; `_selector` in osm_hours decides which one applies."""

    def _year_list(self) -> tuple:
        items = [self._year_item()]
        while self._kind() == "," and self._kind(1) == "YEAR" and self._kind(2) != "MONTH":
            self.i += 1
            items.append(self._year_item())
        return tuple(items)

    def _year_item(self) -> YearPred:
        first = self._take("YEAR").value
        last = first
        if self._kind() == "-" and self._kind(1) == "YEAR":
            self.i += 2
            last = self.tokens[self.i - 1].value
            if last < first:
                self._fail("年份范围颠倒 / year range ends before it starts", back=1)
        return YearPred(first, last)

    def _date_list(self) -> tuple:
        """Months and month days in one list: "Jan,Mar 05", "Dec 24,26,Jan 02", "Jan 31-Feb 01,Aug"."""
        items = [self._date_item(None)]
        while self._kind() == ",":
            nxt = self._kind(1)
            if nxt == "NUMBER" and isinstance(items[-1], MonthdayPred):     # "Dec 24,26": same month
                self.i += 1
                items.append(self._monthday_item(items[-1].end[:2]))
            elif nxt == "MONTH" or nxt == "YEAR" and self._kind(2) == "MONTH" and self._kind(3) == "NUMBER":
                self.i += 1
                items.append(self._date_item(None))
            else:
                break
        return tuple(items)

    def _date_item(self, inherit: tuple | None) -> MonthPred | MonthdayPred:
        if self._kind() == "YEAR" or self._kind(1) == "NUMBER":
            return self._monthday_item(inherit)
        return self._month_item()

    def _month_item(self) -> MonthPred:
        first = self._take("MONTH").value
        if self._kind() == "-" and self._kind(1) == "MONTH":
            self.i += 2
            if self._kind() == "NUMBER":
                self._fail("月份范围后不应有日期 / write 'Jan 01-Mar 15' with a day on both ends")
            return MonthPred(first, self.tokens[self.i - 1].value)
        return MonthPred(first, first)

    def _monthday_item(self, inherit: tuple | None) -> MonthdayPred:
        start = self._date_point(inherit)
        end = start
        if self._kind() == "-":
            self.i += 1
            end = self._range_end(start)
        same_month = end[:2] == start[:2]     # "Dec 21-20" never wraps over the year, as in opening_hours.js
        if (start[0] is not None or same_month) and (start[0], start[1:]) > (end[0], end[1:]):
            self._fail("日期范围颠倒 / date range ends before it starts", back=1)
        return MonthdayPred(start, end)

    def _date_point(self, inherit: tuple | None) -> tuple[int | None, int, int]:
        pos = self._pos()
        if inherit is not None:
            year, month = inherit
        else:
            year = self._take("YEAR").value if self._kind() == "YEAR" else None
            month = self._take("MONTH").value
        day = self._take("NUMBER").value
        _check_day(self.text, pos, year, month, day)
        return (year, month, day)

    def _range_end(self, start: tuple) -> tuple[int | None, int, int]:
        if self._kind() == "NUMBER":
            return self._date_point(start[:2])
        has_year = self._kind() == "YEAR"
        if has_year != (start[0] is not None):
            self._fail("日期范围两端都要写年份或都不写 / give the year on both ends of a date range or on neither")
        return self._date_point(None)


def _check_day(text: str, pos: int, year: int | None, month: int, day: int) -> None:
    last = _calendar.monthrange(year or 2000, month)[1]   # 2000: a leap year allows Feb 29
    if not 1 <= day <= last:
        raise ScheduleError(text, pos, f"日期不存在 / no such day: month {month} day {day}")
