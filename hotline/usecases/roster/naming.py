"""How the roster names what it shows: labels for the rules' messages, and the readable
snapshot of a shift kept in the audit trail and on swap requests."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from hotline.ports import StoredShift, StoredSlot
from hotline.shifts import Labels, RuleSet


def labels(names: Mapping[int, str], slots: Iterable[StoredSlot], directory) -> Labels:
    """Names people and lines read in messages (李四 / 成都市心理援助热线 / 夜班)."""
    lines = {line.id: line.name for line in directory} if directory is not None else {}
    return Labels(names={str(k): v for k, v in names.items()}, slots={s.code: s.core for s in slots}, lines=lines)


def rules(names: Mapping[int, str], slots: Iterable[StoredSlot], directory) -> RuleSet:
    """The rules in force (labour-practice defaults) with readable labels."""
    return RuleSet(labels=labels(names, slots, directory))


def shift_snapshot(shift: StoredShift, name: str = "") -> dict:
    """A JSON-ready copy of a shift (audit before/after, swap detail), in the line's local time
    so that people read it as they rostered it (the offset keeps the instant exact)."""
    return {"id": shift.id, "counselor_id": shift.counselor_id, "name": name, "line_id": shift.line_id,
            "slot": shift.slot_code, "start": shift.starts_at.isoformat(), "end": shift.ends_at.isoformat(),
            "source": shift.source}
