"""How people, shifts and lines are named in user-facing messages (zh-CN, then English).

Rules and reports only know ids; a Labels object turns them into what a
supervisor reads ("李四 2026-12-01 夜班"), falling back to ids and times.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hotline.shifts.shift import Shift
from hotline.shifts.slots import ShiftSlot


@dataclass(frozen=True)
class Labels:
    """Display names for counselors, lines and slots."""

    names: Mapping[str, str] = field(default_factory=dict)
    slots: Mapping[str, ShiftSlot] = field(default_factory=dict)
    lines: Mapping[str, str] = field(default_factory=dict)

    def person(self, counselor_id: str) -> str:
        """The counselor's name, or their id."""
        return self.names.get(counselor_id, counselor_id)

    def line(self, line_id: str) -> str:
        """The line's name, or its id."""
        return self.lines.get(line_id, line_id)

    def slot(self, shift: Shift) -> tuple[str, str]:
        """(zh, en) label of the shift's slot, or its local times."""
        slot = self.slots.get(shift.slot_id)
        if slot is not None:
            return slot.label()
        end = shift.end.astimezone(shift.start.tzinfo)
        until = "24:00" if end.date() > shift.start.date() and f"{end:%H:%M}" == "00:00" else f"{end:%H:%M}"
        times = f"{shift.start:%H:%M}-{until}"
        return times, times

    def shift(self, shift: Shift) -> tuple[str, str]:
        """(zh, en) "2026-12-01 夜班" / "2026-12-01 night"."""
        zh, en = self.slot(shift)
        return f"{shift.day.isoformat()} {zh}", f"{shift.day.isoformat()} {en}"

    def shift_on_line(self, shift: Shift) -> tuple[str, str]:
        """(zh, en) with the line, for messages that compare lines."""
        zh, en = self.shift(shift)
        line = self.line(shift.line_id)
        return f"{line} {zh}", f"{en} on {line}"
