"""The roster as people read it: a week grid, a month grid, one counselor's list.

Plain dicts for the templates (and JSON), built from one query each. A shift is
shown on the local date it starts, in the row of its slot; shifts without a slot
(added by hand) get an "other" row.
"""
from __future__ import annotations

import calendar as cal
from collections import defaultdict
from datetime import date, timedelta

from hotline.ports import Clock, RosterUnitOfWorkFactory, StoredShift
from hotline.usecases.roster import context
from hotline.usecases.roster.calendar_grid import WEEKDAYS_EN, WEEKDAYS_ZH, grid, shift_view
from hotline.usecases.roster.context import day_bounds

SWAP_SPAN_DAYS, SWAP_HORIZON_DAYS = 14, 400


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class RosterCalendar:
    def __init__(self, uow: RosterUnitOfWorkFactory, clock: Clock, directory) -> None:
        self.uow = uow
        self.clock = clock
        self.directory = directory

    def today(self) -> date:
        """Today in the zone roster dates are read in."""
        return context.today(self.clock, self.directory)

    def hosted_lines(self) -> list:
        """The lines a roster can be kept for (the pages' line filter)."""
        return self.directory.hosted()

    def first_rostered_line(self) -> str:
        """The first hosted line with slots ("all" when none has any): the month view's default."""
        with self.uow() as uow:
            with_slots = {s.line_id for s in uow.slots.all()}
        return next((line.id for line in self.directory.hosted() if line.id in with_slots), "all")

    def week(self, any_day: date, line_id: str | None = None, viewer_id: int | None = None) -> dict:
        """Seven days from the Monday of any_day: lines × slots × days, each cell the names on it."""
        first = monday_of(any_day)
        days = [first + timedelta(days=i) for i in range(7)]
        lines = self._grid(days[0], days[-1], line_id, viewer_id)
        return {"first": first, "last": days[-1], "days": [_day(d) for d in days], "lines": lines,
                "prev": first - timedelta(days=7), "next": first + timedelta(days=7), "line_id": line_id}

    def month(self, any_day: date, line_id: str | None = None, viewer_id: int | None = None) -> dict:
        """The month of any_day as weeks of seven days (days outside the month are marked)."""
        first = any_day.replace(day=1)
        last = first.replace(day=cal.monthrange(first.year, first.month)[1])
        start, end = monday_of(first), monday_of(last) + timedelta(days=6)
        by_day: dict[date, list[dict]] = defaultdict(list)
        for line in self._grid(start, end, line_id, viewer_id):
            for row in line["rows"]:
                for d, cell in zip(row["dates"], row["cells"]):
                    if cell:
                        by_day[d].append({"line": line["name"], "line_id": line["id"], "slot": row["label_zh"],
                                          "people": cell})
        weeks = [[{**_day(d), "in_month": d.month == first.month, "entries": by_day.get(d, [])}
                  for d in (start + timedelta(days=w * 7 + i) for i in range(7))]
                 for w in range(((end - start).days + 1) // 7)]
        prev = (first - timedelta(days=1)).replace(day=1)
        return {"first": first, "last": last, "weeks": weeks, "prev": prev, "next": last + timedelta(days=1),
                "line_id": line_id, "weekdays": list(zip(WEEKDAYS_ZH, WEEKDAYS_EN))}

    def mine(self, counselor_id: int, days: int = 42) -> list[dict]:
        """A counselor's shifts from now on, soonest first."""
        now = self.clock.now()
        with self.uow() as uow:
            shifts = uow.shifts.between(now, now + timedelta(days=days), counselor_ids=[counselor_id])
            slots = {s.code: s for s in uow.slots.all(active_only=False)}
        return [shift_view(self.directory, s, slots) for s in shifts]

    def colleagues_shifts(self, counselor_id: int, around: date, span_days: int = SWAP_SPAN_DAYS) -> list[dict]:
        """Other counselors' future shifts near a date (what a swap can be offered against)."""
        now = self.clock.now()
        start, end = day_bounds(self.directory, around - timedelta(days=span_days), around + timedelta(days=span_days))
        with self.uow() as uow:
            shifts = [s for s in uow.shifts.between(max(start, now), end) if s.counselor_id != counselor_id]
            names = uow.staff.names({s.counselor_id for s in shifts})
            slots = {s.code: s for s in uow.slots.all(active_only=False)}
        return [shift_view(self.directory, s, slots) | {"name": names.get(s.counselor_id, str(s.counselor_id))}
                for s in shifts]

    def swap_form(self, counselor_id: int, shift_id: int | None) -> dict | None:
        """What the new-request form offers for one of the counselor's shifts: None when the shift is
        not theirs; {"shift": None} when it has started; else the shift, colleagues and their shifts."""
        with self.uow() as uow:
            shift: StoredShift | None = uow.shifts.get(shift_id) if shift_id else None
            if shift is None or shift.counselor_id != counselor_id:
                return None
            people = [p for p in uow.staff.counselors() if p.id != counselor_id]
        mine = next((v for v in self.mine(counselor_id, days=SWAP_HORIZON_DAYS) if v["id"] == shift.id), None)
        if mine is None:
            return {"shift": None}
        return {"shift": mine, "people": people, "others": self.colleagues_shifts(counselor_id, mine["date"])}

    def _grid(self, first: date, last: date, line_id: str | None, viewer_id: int | None) -> list[dict]:
        start, end = day_bounds(self.directory, first, last)
        with self.uow() as uow:
            slots = [s for s in uow.slots.all(active_only=False) if line_id in (None, s.line_id)]
            shifts = [s for s in uow.shifts.starting_between(start, end) if line_id in (None, s.line_id)]
            names = uow.staff.names({s.counselor_id for s in shifts})
        return grid(self.directory, first, last, slots, shifts, names, viewer_id)


def _day(d: date) -> dict:
    return {"date": d, "iso": d.isoformat(), "zh": WEEKDAYS_ZH[d.weekday()], "en": WEEKDAYS_EN[d.weekday()],
            "label": f"{d.month}/{d.day}"}
