"""The roster as people read it: a week grid, a month grid, one counselor's list.

Plain dicts for the templates (and JSON), built from one query each. A shift is
shown on the local date it starts, in the row of its slot; shifts without a slot
(added by hand) get an "other" row.
"""
from __future__ import annotations

import calendar as cal
from collections import defaultdict
from datetime import date, timedelta

from hotline.usecases.roster import convert
from hotline.usecases.roster.context import day_bounds
from hotline.store import rosters_repo as repo

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
OTHER = ("其他", "other")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week(services, any_day: date, line_id: str | None = None, viewer_id: int | None = None) -> dict:
    """Seven days from the Monday of any_day: lines × slots × days, each cell the names on it."""
    first = monday_of(any_day)
    days = [first + timedelta(days=i) for i in range(7)]
    grid = _grid(services, days[0], days[-1], line_id, viewer_id)
    return {"first": first, "last": days[-1], "days": [_day(d) for d in days], "lines": grid,
            "prev": first - timedelta(days=7), "next": first + timedelta(days=7), "line_id": line_id}


def month(services, any_day: date, line_id: str | None = None, viewer_id: int | None = None) -> dict:
    """The month of any_day as weeks of seven days (days outside the month are marked)."""
    first = any_day.replace(day=1)
    last = first.replace(day=cal.monthrange(first.year, first.month)[1])
    start, end = monday_of(first), monday_of(last) + timedelta(days=6)
    grid = _grid(services, start, end, line_id, viewer_id)
    by_day: dict[date, list[dict]] = defaultdict(list)
    for line in grid:
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


def mine(services, counselor_id: int, days: int = 42) -> list[dict]:
    """A counselor's shifts from now on, soonest first."""
    now = services.now()
    with services.db.session() as session:
        rows = repo.shifts_between(session, now, now + timedelta(days=days), counselor_ids=[counselor_id])
        slots = {s.code: s for s in repo.slots(session, active_only=False)}
    return [_shift_view(services, r, slots) for r in rows]


def colleagues_shifts(services, counselor_id: int, around: date, span_days: int = 14) -> list[dict]:
    """Other counselors' future shifts near a date (what a swap can be offered against)."""
    now = services.now()
    start, end = day_bounds(services, around - timedelta(days=span_days), around + timedelta(days=span_days))
    with services.db.session() as session:
        rows = [r for r in repo.shifts_between(session, max(start, now), end) if r.counselor_id != counselor_id]
        names = repo.names(session, {r.counselor_id for r in rows})
        slots = {s.code: s for s in repo.slots(session, active_only=False)}
    return [_shift_view(services, r, slots) | {"name": names.get(r.counselor_id, str(r.counselor_id))} for r in rows]


# --- helpers ---------------------------------------------------------------------------------
def _grid(services, first: date, last: date, line_id: str | None, viewer_id: int | None) -> list[dict]:
    start, end = day_bounds(services, first, last)
    with services.db.session() as session:
        slot_rows = [s for s in repo.slots(session, active_only=False) if line_id in (None, s.line_id)]
        rows = repo.shifts_starting_between(session, start, end)
        rows = [r for r in rows if line_id in (None, r.line_id)]
        names = repo.names(session, {r.counselor_id for r in rows})
    dates = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    position = {d: i for i, d in enumerate(dates)}
    lines: dict[str, dict] = {}
    for slot in slot_rows:
        if slot.active or any(r.slot_code == slot.code for r in rows):
            _row(lines, services, slot.line_id, slot.code, (slot.label_zh or f"{slot.start_time}-{slot.end_time}",
                                                            slot.label_en or f"{slot.start_time}-{slot.end_time}"),
                 f"{slot.start_time}-{slot.end_time}", dates)
    for r in rows:
        local = r.starts_at.astimezone(convert.line_zone(services.directory, r.line_id))
        if local.date() not in position:       # a line in another zone: its date falls outside
            continue
        row = lines.get(r.line_id, {}).get("by_code", {}).get(r.slot_code) or \
            _row(lines, services, r.line_id, "", OTHER, "", dates)
        row["cells"][position[local.date()]].append(
            {"shift_id": r.id, "counselor_id": r.counselor_id, "name": names.get(r.counselor_id, str(r.counselor_id)),
             "source": r.source, "mine": r.counselor_id == viewer_id,
             "time": f"{local:%H:%M}-{r.ends_at.astimezone(local.tzinfo):%H:%M}"})
    return [_public(line) for line in sorted(lines.values(), key=lambda l: l["order"])]


def _row(lines: dict, services, line_id: str, code: str, label: tuple[str, str], times: str, dates) -> dict:
    line = lines.get(line_id)
    if line is None:
        entry = services.directory.get(line_id)
        order = [l.id for l in services.directory].index(line_id) if entry else 10_000
        line = lines[line_id] = {"id": line_id, "name": entry.name if entry else line_id, "order": order,
                                 "rows": [], "by_code": {}}
    if code in line["by_code"]:
        return line["by_code"][code]
    row = {"code": code, "label_zh": label[0], "label_en": label[1], "times": times, "dates": dates,
           "cells": [[] for _ in dates]}
    line["rows"].append(row)
    line["by_code"][code] = row
    return row


def _public(line: dict) -> dict:
    return {k: v for k, v in line.items() if k not in ("by_code", "order")}


def _day(d: date) -> dict:
    return {"date": d, "iso": d.isoformat(), "zh": WEEKDAYS_ZH[d.weekday()], "en": WEEKDAYS_EN[d.weekday()],
            "label": f"{d.month}/{d.day}"}


def _shift_view(services, r, slots) -> dict:
    zone = convert.line_zone(services.directory, r.line_id)
    start, end = r.starts_at.astimezone(zone), r.ends_at.astimezone(zone)
    slot = slots.get(r.slot_code)
    line = services.directory.get(r.line_id)
    return {"id": r.id, "counselor_id": r.counselor_id, "line_id": r.line_id,
            "line": line.name if line else r.line_id, "slot_zh": (slot.label_zh if slot else "") or OTHER[0],
            "slot_en": (slot.label_en if slot else "") or OTHER[1], "start": start, "end": end,
            "date": start.date(), "weekday_zh": WEEKDAYS_ZH[start.weekday()], "source": r.source,
            "span": _span(start, end)}


def _span(start, end) -> str:
    """"09:00–15:00"; "16:00–24:00"; "22:00–次日 06:00 / next day" for a shift into the next day."""
    if end.date() == start.date():
        return f"{start:%H:%M}–{end:%H:%M}"
    if end.date() == start.date() + timedelta(days=1) and (end.hour, end.minute) == (0, 0):
        return f"{start:%H:%M}–24:00"
    return f"{start:%H:%M}–次日 {end:%H:%M} / next day"
