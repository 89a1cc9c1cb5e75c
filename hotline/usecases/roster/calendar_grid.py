"""The cells of the roster calendars: lines × slot rows × dates, and one shift as people read it.

Rows come from the slots (active ones, and inactive ones still holding shifts in the
range), in the directory's order of lines; a shift without a slot row goes to "other".
"""
from __future__ import annotations

from datetime import date, timedelta

from hotline.ports import StoredShift, StoredSlot

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
OTHER = ("其他", "other")
UNLISTED_LINE_ORDER = 10_000


def grid(directory, first: date, last: date, slots: list[StoredSlot], shifts: list[StoredShift],
         names: dict[int, str], viewer_id: int | None) -> list[dict]:
    """Per line: {"id", "name", "rows": [{"code", "label_zh", "label_en", "times", "dates", "cells"}]}."""
    dates = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    position = {d: i for i, d in enumerate(dates)}
    lines: dict[str, dict] = {}
    for slot in slots:
        if slot.active or any(s.slot_code == slot.code for s in shifts):
            times = f"{slot.start_time}-{slot.end_time}"
            _row(lines, directory, slot.line_id, slot.code, (slot.label_zh or times, slot.label_en or times), times,
                 dates)
    for s in shifts:
        local = s.starts_at                    # already in the line's zone
        if local.date() not in position:       # a line in another zone: its date falls outside
            continue
        row = lines.get(s.line_id, {}).get("by_code", {}).get(s.slot_code) or \
            _row(lines, directory, s.line_id, "", OTHER, "", dates)
        row["cells"][position[local.date()]].append(
            {"shift_id": s.id, "counselor_id": s.counselor_id, "name": names.get(s.counselor_id, str(s.counselor_id)),
             "source": s.source, "mine": s.counselor_id == viewer_id,
             "time": f"{local:%H:%M}-{s.ends_at.astimezone(local.tzinfo):%H:%M}"})
    return [_public(line) for line in sorted(lines.values(), key=lambda line: line["order"])]


def _row(lines: dict, directory, line_id: str, code: str, label: tuple[str, str], times: str, dates) -> dict:
    line = lines.get(line_id)
    if line is None:
        entry = directory.get(line_id)
        order = [other.id for other in directory].index(line_id) if entry else UNLISTED_LINE_ORDER
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


def shift_view(directory, shift: StoredShift, slots: dict[str, StoredSlot]) -> dict:
    """One shift for the counselor's list and the swap form (times in the line's zone)."""
    start, end = shift.starts_at, shift.ends_at
    slot = slots.get(shift.slot_code)
    line = directory.get(shift.line_id)
    return {"id": shift.id, "counselor_id": shift.counselor_id, "line_id": shift.line_id,
            "line": line.name if line else shift.line_id, "slot_zh": (slot.label_zh if slot else "") or OTHER[0],
            "slot_en": (slot.label_en if slot else "") or OTHER[1], "start": start, "end": end,
            "date": start.date(), "weekday_zh": WEEKDAYS_ZH[start.weekday()], "source": shift.source,
            "span": span(start, end)}


def span(start, end) -> str:
    """"09:00–15:00"; "16:00–24:00"; "22:00–次日 06:00 / next day" for a shift into the next day."""
    if end.date() == start.date():
        return f"{start:%H:%M}–{end:%H:%M}"
    if end.date() == start.date() + timedelta(days=1) and (end.hour, end.minute) == (0, 0):
        return f"{start:%H:%M}–24:00"
    return f"{start:%H:%M}–次日 {end:%H:%M} / next day"
