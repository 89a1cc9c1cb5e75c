"""Supervisors' changes to the roster itself: leave and single shifts — each audited, each
announced once committed; and the pages that show them (leave, one shift, the audit trail).

Leave is recorded even when it clashes with rostered shifts (people do fall ill); the
clashes are returned to be shown, and the supervisor reassigns those shifts. Adding or
reassigning a shift runs the rules; a change that breaks them needs an override with a
written reason (rules_check.py).
"""
from __future__ import annotations

from datetime import date, timedelta

from hotline.ports import Clock, NewShift, RosterUnitOfWork, RosterUnitOfWorkFactory, StoredLeave, StoredShift
from hotline.shifts import LEAVE, Shift, Unavailability
from hotline.shifts._time import local_midnight
from hotline.usecases.roster.audit_view import audit_rows, people_in
from hotline.usecases.roster.context import RosterChanges, RosterProblem, home_zone, today
from hotline.usecases.roster.naming import shift_snapshot
from hotline.usecases.roster.rules_check import (apply_core, introduced, local_roster, require_allowed,
                                                 require_counselor)

LEAVE_PAGE_PAST, LEAVE_PAGE_FUTURE = timedelta(days=30), timedelta(days=366)
REMOVED = "班次已删除 / the shift was removed"


class RosterEdits:
    def __init__(self, uow: RosterUnitOfWorkFactory, clock: Clock, directory, changes: RosterChanges) -> None:
        self.uow = uow
        self.clock = clock
        self.directory = directory
        self.changes = changes

    # --- leave ----------------------------------------------------------------------------------
    def leave_page(self) -> dict:
        """Leave from a month ago to a year ahead, with names, the people and the zone dates are read in."""
        now = self.clock.now()
        with self.uow() as uow:
            leave = uow.leave.between(now - LEAVE_PAGE_PAST, now + LEAVE_PAGE_FUTURE)
            names = uow.staff.names({entry.counselor_id for entry in leave})
            people = uow.staff.counselors()
        return {"leave": leave, "names": names, "people": people, "today": today(self.clock, self.directory),
                "tz": home_zone(self.directory)}

    def add_leave(self, actor_id: int | None, counselor_id: int, first: date, last: date,
                  reason: str = "") -> tuple[StoredLeave, list[str]]:
        """Record whole days of leave; returns it with the clashing shifts' messages."""
        if last < first:
            raise RosterProblem(f"结束日期 {last} 早于开始日期 {first} / end date {last} is before start date {first}")
        tz = str(home_zone(self.directory))
        leave = Unavailability(str(counselor_id), local_midnight(first, tz),
                               local_midnight(last + timedelta(days=1), tz), reason.strip()[:200])
        with self.uow() as uow:
            require_counselor(uow, counselor_id)
            local = local_roster(uow, self.directory, [counselor_id], leave.start, leave.end)
            clashes = [v.message for v in local.roster.add_leave(leave).violations if v.rule == LEAVE]
            entry = uow.leave.add(counselor_id=counselor_id, starts_at=leave.start, ends_at=leave.end,
                                  reason=leave.reason, created_by=actor_id, created_at=self.clock.now())
            uow.audit.record(self.clock.now(), actor_id, "leave.create", f"leave:{entry.id}", None,
                             _leave_dict(entry), "\n".join(clashes))
            uow.commit()
        self.changes.announce()
        return entry, clashes

    def delete_leave(self, actor_id: int | None, leave_id: int) -> None:
        with self.uow() as uow:
            entry = uow.leave.get(leave_id)
            if entry is None:
                raise RosterProblem(f"请假记录 {leave_id} 不存在 / no leave {leave_id}")
            uow.audit.record(self.clock.now(), actor_id, "leave.delete", f"leave:{entry.id}", _leave_dict(entry), None)
            uow.leave.remove(leave_id)
            uow.commit()
        self.changes.announce()

    # --- single shifts ----------------------------------------------------------------------------
    def shift_page(self, shift_id: int) -> dict | None:
        """One shift in its line's time, its counselor's name and who could take it (None: no such shift)."""
        with self.uow() as uow:
            shift = uow.shifts.get(shift_id)
            if shift is None:
                return None
            name = uow.staff.names([shift.counselor_id]).get(shift.counselor_id, "")
            people = uow.staff.counselors()
        line = self.directory.get(shift.line_id)
        local = {"start": shift.starts_at, "end": shift.ends_at, "line": line.name if line else shift.line_id}
        return {"shift": shift, "local": local, "name": name, "people": people}

    def add_shift(self, actor_id: int | None, counselor_id: int, slot_code: str, day: date, *,
                  override: bool = False, reason: str = "") -> tuple[StoredShift, list[str]]:
        """Put a counselor on a slot for one day (e.g. an extra seat on a busy holiday)."""
        with self.uow() as uow:
            require_counselor(uow, counselor_id)
            slot = next((s for s in uow.slots.all() if s.code == slot_code), None)
            if slot is None:
                raise RosterProblem(f"未知班次 {slot_code!r} / unknown slot {slot_code!r}")
            start, end = slot.core.bounds(day)
            local = local_roster(uow, self.directory, [counselor_id], start, end)
            edit = apply_core(lambda: local.roster.add(Shift(str(counselor_id), slot.line_id, slot.code, start, end)))
            messages = require_allowed(introduced(local, edit), override, reason)
            shift = uow.shifts.add(NewShift(counselor_id, slot.line_id, slot.id, slot.code, start, end, "manual"))
            uow.audit.record(self.clock.now(), actor_id, "shift.add", f"shift:{shift.id}", None,
                             shift_snapshot(shift) | {"violations": messages}, reason.strip())
            uow.commit()
        self.changes.announce()
        return shift, messages

    def remove_shift(self, actor_id: int | None, shift_id: int, reason: str = "") -> None:
        with self.uow() as uow:
            shift = _shift(uow, shift_id)
            for swap in uow.swaps.open_touching([shift.id]):
                uow.swaps.update(swap.id, status="cancelled", decided_by=actor_id, decided_at=self.clock.now(),
                                 decision_note=REMOVED)
            uow.audit.record(self.clock.now(), actor_id, "shift.remove", f"shift:{shift.id}", shift_snapshot(shift),
                             None, reason.strip())
            uow.shifts.remove(shift.id)
            uow.commit()
        self.changes.announce()

    def reassign_shift(self, actor_id: int | None, shift_id: int, counselor_id: int, *,
                       override: bool = False, reason: str = "") -> tuple[StoredShift, list[str]]:
        """Give a rostered seat to another counselor (cover for leave), checking that counselor's rules."""
        with self.uow() as uow:
            shift = _shift(uow, shift_id)
            require_counselor(uow, counselor_id)
            local = local_roster(uow, self.directory, [shift.counselor_id, counselor_id], shift.starts_at,
                                 shift.ends_at)
            edit = apply_core(lambda: local.roster.reassign(local.shift(shift), str(counselor_id)))
            messages = require_allowed(introduced(local, edit), override, reason)
            moved = uow.shifts.hand_over(shift.id, counselor_id, "manual" if shift.source == "manual" else "cover")
            uow.audit.record(self.clock.now(), actor_id, "shift.reassign", f"shift:{shift.id}", shift_snapshot(shift),
                             shift_snapshot(moved) | {"violations": messages}, reason.strip())
            uow.commit()
        self.changes.announce()
        return moved, messages

    # --- the audit trail ---------------------------------------------------------------------------
    def audit_page(self, limit: int = 200) -> dict:
        """The latest entries, newest first: the stored entries, the names of everyone they
        mention, and the rows as people read them (words, names, the center's time zone)."""
        with self.uow() as uow:
            entries = uow.audit.latest(limit=limit)
            names = uow.staff.names(people_in(entries))
        zone = home_zone(self.directory)
        return {"entries": entries, "names": names, "zone": zone.key,
                "rows": audit_rows(entries, names, self.line_name, zone)}

    def line_name(self, line_id: str) -> str:
        line = self.directory.get(line_id) if self.directory is not None else None
        return line.name if line else line_id


def _shift(uow: RosterUnitOfWork, shift_id: int) -> StoredShift:
    shift = uow.shifts.get(shift_id)
    if shift is None:
        raise RosterProblem(f"班次 {shift_id} 不存在 / no shift {shift_id}")
    return shift


def _leave_dict(entry: StoredLeave) -> dict:
    return {"counselor_id": entry.counselor_id, "start": entry.starts_at.isoformat(),
            "end": entry.ends_at.isoformat(), "reason": entry.reason}
