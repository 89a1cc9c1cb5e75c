"""Prove, without a clock, that a plan is open (or closed) at every instant.

`always_open` must not depend on "today" (the core is pure) nor scan years of dates on
every call. A plan that does not look at dates beyond the weekday (`date_specific` False)
repeats weekly, except for holiday variants. So we evaluate one week, and if the plan
reads the calendar, every combination of day kinds — ordinary, public holiday, make-up
working day — for the dates that can influence a day (the plan's own date, its
neighbours, and the previous day's spill — one day further per day of a holiday offset
such as "PH -1 day"). Date-specific plans are never claimed to be
always open or closed: that would need the whole calendar.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

from hotline.routing.schedule.model import DAY, DayPlan, Windows

__all__ = ["always_open", "always_closed", "ProbeCalendar"]

_MONDAY = date(2001, 1, 8)
_ORDINARY, _HOLIDAY, _MAKEUP = 0, 1, 2


class ProbeCalendar:
    """A synthetic calendar: chosen dates are holidays or make-up days, others ordinary."""

    def __init__(self, kinds: dict[date, int]):
        self._kinds = kinds

    def is_public_holiday(self, d: date) -> bool:
        return self._kinds.get(d, _ORDINARY) == _HOLIDAY

    def is_working_day(self, d: date) -> bool:
        kind = self._kinds.get(d, _ORDINARY)
        return kind == _MAKEUP or (kind == _ORDINARY and d.weekday() < 5)

    def is_rest_day(self, d: date) -> bool:
        return not self.is_working_day(d)


def _cases(plan: DayPlan):
    """(day, calendar) pairs covering every weekday and relevant holiday combination."""
    kinds = (_ORDINARY, _HOLIDAY, _MAKEUP) if plan.uses_calendar else (_ORDINARY,)
    reach = getattr(plan, "calendar_reach", 1)      # "PH -1 day" looks a day further
    for offset in range(7):
        day = _MONDAY + timedelta(days=offset)
        around = [day + timedelta(days=n) for n in range(-1 - reach, reach + 1)]
        for combo in product(kinds, repeat=len(around)):
            yield day, ProbeCalendar(dict(zip(around, combo)))


def _covers_whole_day(own: Windows, previous: Windows) -> bool:
    reach = 0
    pieces = sorted([*own, *((s - DAY, e - DAY) for s, e in previous if e > DAY)])
    for start, end in pieces:
        if start > reach:
            return False
        reach = max(reach, end)
    return reach >= DAY


def always_open(plan: DayPlan) -> bool:
    """True if every local day is fully covered by its windows and the previous day's spill."""
    if plan.date_specific:
        return False
    return all(_covers_whole_day(plan.windows(day, cal), plan.windows(day - timedelta(days=1), cal))
               for day, cal in _cases(plan))


def always_closed(plan: DayPlan) -> bool:
    """True if no day has any window."""
    if plan.date_specific:
        return False
    return not any(plan.windows(day, cal) for day, cal in _cases(plan))
