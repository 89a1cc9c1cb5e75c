"""Supervisors' changes: slots, rotation patterns, leave and single shifts — each audited.

Slots and patterns are deactivated rather than deleted, so shifts already rostered
keep saying where they came from; a pattern that refers to a deactivated slot then
fails generation with a message naming both. Leave is recorded even when it clashes
with rostered shifts (people do fall ill); the clashes are returned to be shown,
and the supervisor reassigns those shifts.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from hotline.shifts import LEAVE, Shift, ShiftSlot, Unavailability
from hotline.shifts._time import local_midnight
from hotline.usecases.roster import convert
from hotline.usecases.roster.context import RosterProblem, changed, home_zone
from hotline.usecases.roster.patterns_form import PatternInput, pattern_row_values
from hotline.usecases.roster.rules_check import apply_core, introduced, local_roster, require_allowed
from hotline.store import rosters_repo as repo
from hotline.store.rosters import LeaveRow, RosterSlot, RotationPatternRow, ShiftRow
from hotline.store.users import get_user

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


# --- slots -----------------------------------------------------------------------------------
def create_slot(services, actor_id: int | None, *, line_id: str, start: str, end: str, seats: int,
                label_zh: str = "", label_en: str = "", code: str = "") -> RosterSlot:
    line = services.directory.get(line_id)
    if line is None:
        raise RosterProblem(f"未知线路 {line_id!r} / unknown line {line_id!r}")
    code = (code or f"{line_id}-{start.replace(':', '')}-{end.replace(':', '')}").strip()
    _check_code(code)
    try:
        core = ShiftSlot(code, line_id, start, end, seats, label_zh, label_en, tz=line.timezone)
    except ValueError as exc:
        raise RosterProblem(str(exc)) from None
    with changed(services, roster_moved=False) as session:
        if any(s.code == code for s in repo.slots(session, active_only=False)):
            raise RosterProblem(f"班次编号已存在：{code} / slot code already exists: {code}")
        row = RosterSlot(code=code, line_id=line_id, start_time=core.start, end_time=core.end, seats=seats,
                         label_zh=label_zh.strip()[:64], label_en=label_en.strip()[:64], tz=line.timezone,
                         active=True)
        session.add(row)
        session.flush()
        repo.audit(session, services.now(), actor_id, "slot.create", f"slot:{code}", None, _slot_dict(row))
    return row


def set_slot_active(services, actor_id: int | None, slot_id: int, active: bool) -> RosterSlot:
    with changed(services, roster_moved=False) as session:
        row = session.get(RosterSlot, slot_id)
        if row is None:
            raise RosterProblem(f"班次定义 {slot_id} 不存在 / no slot {slot_id}")
        before = _slot_dict(row)
        row.active = active
        repo.audit(session, services.now(), actor_id, "slot.activate" if active else "slot.deactivate",
                   f"slot:{row.code}", before, _slot_dict(row))
    return row


def _slot_dict(row: RosterSlot) -> dict:
    return {"code": row.code, "line_id": row.line_id, "start": row.start_time, "end": row.end_time,
            "seats": row.seats, "label_zh": row.label_zh, "label_en": row.label_en, "active": row.active}


def _check_code(code: str) -> None:
    if not CODE.match(code):
        raise RosterProblem(f"编号只能含字母、数字、-_.，最长 64：{code!r} / "
                            f"codes use letters, digits and -_. (at most 64): {code!r}")


# --- patterns ------------------------------------------------------------------------------
def create_pattern(services, actor_id: int | None, data: PatternInput) -> RotationPatternRow:
    _check_code(data.code)
    with changed(services, roster_moved=False) as session:
        values = pattern_row_values(session, data)
        if any(p.code == data.code for p in repo.patterns(session, active_only=False)):
            raise RosterProblem(f"轮值模式编号已存在：{data.code} / pattern code already exists: {data.code}")
        row = RotationPatternRow(**values, active=True, created_at=services.now())
        session.add(row)
        session.flush()
        repo.audit(session, services.now(), actor_id, "pattern.create", f"pattern:{row.code}", None,
                   _pattern_dict(row))
    return row


def set_pattern_active(services, actor_id: int | None, pattern_id: int, active: bool) -> RotationPatternRow:
    with changed(services, roster_moved=False) as session:
        row = session.get(RotationPatternRow, pattern_id)
        if row is None:
            raise RosterProblem(f"轮值模式 {pattern_id} 不存在 / no pattern {pattern_id}")
        before = _pattern_dict(row)
        row.active = active
        repo.audit(session, services.now(), actor_id, "pattern.activate" if active else "pattern.deactivate",
                   f"pattern:{row.code}", before, _pattern_dict(row))
    return row


def _pattern_dict(row: RotationPatternRow) -> dict:
    return {"code": row.code, "name": row.name, "cycle": row.cycle, "assignees": row.assignees,
            "start": row.start_date.isoformat(), "end": row.end_date.isoformat() if row.end_date else None,
            "days": row.days, "on_holiday": row.on_holiday, "advance_on": row.advance_on, "active": row.active}


# --- leave ------------------------------------------------------------------------------------
def add_leave(services, actor_id: int | None, counselor_id: int, first: date, last: date,
              reason: str = "") -> tuple[LeaveRow, list[str]]:
    """Record whole days of leave; returns it with the clashing shifts' messages."""
    if last < first:
        raise RosterProblem(f"结束日期 {last} 早于开始日期 {first} / end date {last} is before start date {first}")
    tz = str(home_zone(services))
    leave = Unavailability(str(counselor_id), local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz),
                           reason.strip()[:200])
    with changed(services) as session:
        _require_counselor(session, counselor_id)
        local = local_roster(services, session, [counselor_id], leave.start, leave.end)
        clashes = [v.message for v in local.roster.add_leave(leave).violations if v.rule == LEAVE]
        row = LeaveRow(counselor_id=counselor_id, starts_at=leave.start, ends_at=leave.end, reason=leave.reason,
                       created_by=actor_id, created_at=services.now())
        session.add(row)
        session.flush()
        repo.audit(session, services.now(), actor_id, "leave.create", f"leave:{row.id}", None, _leave_dict(row),
                   "\n".join(clashes))
    return row, clashes


def delete_leave(services, actor_id: int | None, leave_id: int) -> None:
    with changed(services) as session:
        row = session.get(LeaveRow, leave_id)
        if row is None:
            raise RosterProblem(f"请假记录 {leave_id} 不存在 / no leave {leave_id}")
        repo.audit(session, services.now(), actor_id, "leave.delete", f"leave:{row.id}", _leave_dict(row), None)
        session.delete(row)


def _leave_dict(row: LeaveRow) -> dict:
    return {"counselor_id": row.counselor_id, "start": row.starts_at.isoformat(), "end": row.ends_at.isoformat(),
            "reason": row.reason}


def _require_counselor(session, counselor_id: int):
    user = get_user(session, counselor_id)
    if user is None or not user.active:
        raise RosterProblem(f"用户 {counselor_id} 不存在或已停用 / user {counselor_id} does not exist or is disabled")
    return user


# --- single shifts ------------------------------------------------------------------------------
def add_shift(services, actor_id: int | None, counselor_id: int, slot_code: str, day: date, *,
              override: bool = False, reason: str = "") -> tuple[ShiftRow, list[str]]:
    """Put a counselor on a slot for one day (e.g. an extra seat on a busy holiday)."""
    with changed(services) as session:
        _require_counselor(session, counselor_id)
        slot_row = next((s for s in repo.slots(session) if s.code == slot_code), None)
        if slot_row is None:
            raise RosterProblem(f"未知班次 {slot_code!r} / unknown slot {slot_code!r}")
        start, end = convert.slot_of(slot_row).bounds(day)
        shift = Shift(str(counselor_id), slot_row.line_id, slot_row.code, start, end)
        local = local_roster(services, session, [counselor_id], start, end)
        edit = apply_core(lambda: local.roster.add(shift))
        messages = require_allowed(introduced(local, edit), override, reason)
        row = ShiftRow(counselor_id=counselor_id, line_id=slot_row.line_id, slot_id=slot_row.id,
                       slot_code=slot_row.code, starts_at=start, ends_at=end, source="manual")
        session.add(row)
        session.flush()
        repo.audit(session, services.now(), actor_id, "shift.add", f"shift:{row.id}", None,
                   convert.shift_dict(row, services.directory) | {"violations": messages}, reason.strip())
    return row, messages


def remove_shift(services, actor_id: int | None, shift_id: int, reason: str = "") -> None:
    with changed(services) as session:
        row = _shift(session, shift_id)
        for swap in repo.open_swaps_touching(session, [row.id]):
            swap.status, swap.decided_by, swap.decided_at = "cancelled", actor_id, services.now()
            swap.decision_note = "班次已删除 / the shift was removed"
        repo.audit(session, services.now(), actor_id, "shift.remove", f"shift:{row.id}", convert.shift_dict(row, services.directory),
                   None, reason.strip())
        session.delete(row)


def reassign_shift(services, actor_id: int | None, shift_id: int, counselor_id: int, *,
                   override: bool = False, reason: str = "") -> tuple[ShiftRow, list[str]]:
    """Give a rostered seat to another counselor (cover for leave), checking that counselor's rules."""
    with changed(services) as session:
        row = _shift(session, shift_id)
        _require_counselor(session, counselor_id)
        before = convert.shift_dict(row, services.directory)
        local = local_roster(services, session, [row.counselor_id, counselor_id], row.starts_at, row.ends_at)
        edit = apply_core(lambda: local.roster.reassign(local.shift(row), str(counselor_id)))
        messages = require_allowed(introduced(local, edit), override, reason)
        row.counselor_id = counselor_id
        row.source = "manual" if row.source == "manual" else "cover"
        session.flush()
        repo.audit(session, services.now(), actor_id, "shift.reassign", f"shift:{row.id}", before,
                   convert.shift_dict(row, services.directory) | {"violations": messages}, reason.strip())
    return row, messages


def _shift(session, shift_id: int) -> ShiftRow:
    row = session.get(ShiftRow, shift_id)
    if row is None:
        raise RosterProblem(f"班次 {shift_id} 不存在 / no shift {shift_id}")
    return row
