"""Supervisors' set-up of the roster: shift slots and rotation patterns — each change audited.

Slots and patterns are deactivated rather than deleted, so shifts already rostered
keep saying where they came from; a pattern that refers to a deactivated slot then
fails generation with a message naming both. Neither moves a shift (the roster
changes when it is generated), so neither announces a roster change.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from hotline.ports import Clock, RosterUnitOfWorkFactory, StoredPattern, StoredSlot
from hotline.shifts import ShiftSlot
from hotline.usecases.roster.context import RosterProblem, today
from hotline.usecases.roster.patterns_form import PatternInput, assignees_text, pattern_values

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class RosterSetup:
    def __init__(self, uow: RosterUnitOfWorkFactory, clock: Clock, directory) -> None:
        self.uow = uow
        self.clock = clock
        self.directory = directory

    def has_line(self, line_id: str) -> bool:
        return self.directory.get(line_id) is not None

    def existing(self, usernames: Iterable[str]) -> dict:
        """What a scripted set-up (the demo) finds already there: which of the usernames have an
        account (in the order given), and the slot and pattern codes in use."""
        with self.uow() as uow:
            return {"people": [n for n in usernames if uow.staff.find(n) is not None],
                    "slots": {s.code for s in uow.slots.all(active_only=False)},
                    "patterns": {p.code for p in uow.patterns.all(active_only=False)}}

    # --- slots ---------------------------------------------------------------------------------
    def slots(self) -> list[StoredSlot]:
        """Every slot, active or not (the slots page)."""
        with self.uow() as uow:
            return uow.slots.all(active_only=False)

    def create_slot(self, actor_id: int | None, *, line_id: str, start: str, end: str, seats: int,
                    label_zh: str = "", label_en: str = "", code: str = "") -> StoredSlot:
        line = self.directory.get(line_id)
        if line is None:
            raise RosterProblem(f"未知线路 {line_id!r} / unknown line {line_id!r}")
        code = (code or f"{line_id}-{start.replace(':', '')}-{end.replace(':', '')}").strip()
        _check_code(code)
        try:
            core = ShiftSlot(code, line_id, start, end, seats, label_zh, label_en, tz=line.timezone)
        except ValueError as exc:
            raise RosterProblem(str(exc)) from None
        with self.uow() as uow:
            if any(s.code == code for s in uow.slots.all(active_only=False)):
                raise RosterProblem(f"班次编号已存在：{code} / slot code already exists: {code}")
            slot = uow.slots.add(code=code, line_id=line_id, start_time=core.start, end_time=core.end, seats=seats,
                                 label_zh=label_zh.strip()[:64], label_en=label_en.strip()[:64], tz=line.timezone)
            uow.audit.record(self.clock.now(), actor_id, "slot.create", f"slot:{code}", None, _slot_dict(slot))
            uow.commit()
        return slot

    def set_slot_active(self, actor_id: int | None, slot_id: int, active: bool) -> StoredSlot:
        return self._set_active(actor_id, "slot", slot_id, active, f"班次定义 {slot_id} 不存在 / no slot {slot_id}")

    # --- patterns ----------------------------------------------------------------------------
    def patterns_page(self) -> dict:
        """Every pattern with its assignees as typed, the active slot codes and the people to roster."""
        with self.uow() as uow:
            shown = [{"row": p, "assignees": assignees_text(uow, p.assignees or [])}
                     for p in uow.patterns.all(active_only=False)]
            slot_codes = [s.code for s in uow.slots.all()]
            people = uow.staff.counselors()
        return {"patterns": shown, "slot_codes": slot_codes, "people": people,
                "today": today(self.clock, self.directory)}

    def create_pattern(self, actor_id: int | None, data: PatternInput) -> StoredPattern:
        _check_code(data.code)
        with self.uow() as uow:
            values = pattern_values(uow, data)
            if any(p.code == data.code for p in uow.patterns.all(active_only=False)):
                raise RosterProblem(f"轮值模式编号已存在：{data.code} / pattern code already exists: {data.code}")
            pattern = uow.patterns.add(**values, created_at=self.clock.now())
            uow.audit.record(self.clock.now(), actor_id, "pattern.create", f"pattern:{pattern.code}", None,
                             _pattern_dict(pattern))
            uow.commit()
        return pattern

    def set_pattern_active(self, actor_id: int | None, pattern_id: int, active: bool) -> StoredPattern:
        return self._set_active(actor_id, "pattern", pattern_id, active,
                                f"轮值模式 {pattern_id} 不存在 / no pattern {pattern_id}")

    def _set_active(self, actor_id: int | None, kind: str, item_id: int, active: bool, missing: str):
        """(De)activate a slot or a pattern, auditing it before and after ("slot.deactivate", ...)."""
        as_dict = _slot_dict if kind == "slot" else _pattern_dict
        with self.uow() as uow:
            repository = uow.slots if kind == "slot" else uow.patterns
            before = repository.get(item_id)
            if before is None:
                raise RosterProblem(missing)
            item = repository.set_active(item_id, active)
            uow.audit.record(self.clock.now(), actor_id, f"{kind}.{'activate' if active else 'deactivate'}",
                             f"{kind}:{item.code}", as_dict(before), as_dict(item))
            uow.commit()
        return item

def _check_code(code: str) -> None:
    if not CODE.match(code):
        raise RosterProblem(f"编号只能含字母、数字、-_.，最长 64：{code!r} / "
                            f"codes use letters, digits and -_. (at most 64): {code!r}")


def _slot_dict(slot: StoredSlot) -> dict:
    return {"code": slot.code, "line_id": slot.line_id, "start": slot.start_time, "end": slot.end_time,
            "seats": slot.seats, "label_zh": slot.label_zh, "label_en": slot.label_en, "active": slot.active}


def _pattern_dict(pattern: StoredPattern) -> dict:
    return {"code": pattern.code, "name": pattern.name, "cycle": pattern.cycle, "assignees": pattern.assignees,
            "start": pattern.start_date.isoformat(),
            "end": pattern.end_date.isoformat() if pattern.end_date else None, "days": pattern.days,
            "on_holiday": pattern.on_holiday, "advance_on": pattern.advance_on, "active": pattern.active}
