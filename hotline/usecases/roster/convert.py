"""Rows to core values and back: the only place that knows both shapes.

The core identifies counselors by strings and slots by their code; the store uses
integer user ids and slot rows. Shifts come back in the line's zone, so the core's
"roster date" (the local date a shift starts) is the one people see.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from hotline.shifts import Assignee, Labels, RotationPattern, RuleSet, Shift, ShiftSlot, Unavailability
from hotline.shifts._time import DEFAULT_TZ
from hotline.store.rosters import LeaveRow, RosterSlot, RotationPatternRow, ShiftRow


def slot_of(row: RosterSlot) -> ShiftSlot:
    return ShiftSlot(row.code, row.line_id, row.start_time, row.end_time, row.seats, row.label_zh, row.label_en,
                     tz=row.tz or DEFAULT_TZ)


def pattern_of(row: RotationPatternRow) -> RotationPattern:
    people = tuple(Assignee(str(a.get("id") or i), tuple(str(m) for m in a.get("members", ())), int(a.get("offset", 0)))
                   for i, a in enumerate(row.assignees or ()))
    return RotationPattern(row.code, tuple(row.cycle or ()), people, row.start_date, days=row.days,
                           on_holiday=row.on_holiday, advance_on=row.advance_on, end=row.end_date)


def line_zone(directory, line_id: str) -> ZoneInfo:
    """A line's zone from the directory (lines not listed there use the default zone)."""
    line = directory.get(line_id) if directory is not None else None
    return ZoneInfo(getattr(line, "timezone", None) or DEFAULT_TZ)


def shift_of(row: ShiftRow, zone: ZoneInfo) -> Shift:
    """The core shift of a row, in the line's zone (slot id = the slot's code, "" for ad-hoc shifts)."""
    return Shift(str(row.counselor_id), row.line_id, row.slot_code or "", row.starts_at.astimezone(zone),
                 row.ends_at.astimezone(zone))


def shifts_of(rows: Iterable[ShiftRow], directory) -> dict[Shift, ShiftRow]:
    """Core shifts mapped to their rows (the rows are needed to write changes back)."""
    zones: dict[str, ZoneInfo] = {}
    out: dict[Shift, ShiftRow] = {}
    for row in rows:
        zone = zones.get(row.line_id) or zones.setdefault(row.line_id, line_zone(directory, row.line_id))
        out[shift_of(row, zone)] = row
    return out


def leave_of(row: LeaveRow) -> Unavailability:
    return Unavailability(str(row.counselor_id), row.starts_at, row.ends_at, row.reason or "")


def labels(names: Mapping[int, str], slot_rows: Iterable[RosterSlot], directory) -> Labels:
    """Names people and lines read in messages (李四 / 成都市心理援助热线 / 夜班)."""
    lines = {line.id: line.name for line in directory} if directory is not None else {}
    return Labels(names={str(k): v for k, v in names.items()},
                  slots={row.code: slot_of(row) for row in slot_rows}, lines=lines)


def rules(names: Mapping[int, str], slot_rows: Iterable[RosterSlot], directory) -> RuleSet:
    """The rules in force (labour-practice defaults) with readable labels."""
    return RuleSet(labels=labels(names, slot_rows, directory))


def shift_dict(row: ShiftRow, directory=None, name: str = "") -> dict:
    """A JSON-ready snapshot of a shift row (audit before/after, swap detail), in the line's local
    time so that people read it as they rostered it (the offset keeps the instant exact)."""
    zone = line_zone(directory, row.line_id)
    return {"id": row.id, "counselor_id": row.counselor_id, "name": name, "line_id": row.line_id,
            "slot": row.slot_code, "start": row.starts_at.astimezone(zone).isoformat(),
            "end": row.ends_at.astimezone(zone).isoformat(), "source": row.source}
