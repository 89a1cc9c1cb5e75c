"""Generate the roster for a date range from the active patterns, and store it.

What a regeneration keeps (decided here, shown on the page): shifts that came
from patterns ("generated") in the range are replaced; swaps, covers and manual
additions are kept, and the pattern's shift they stand in for is not put back
(a swapped-away night stays swapped). A pattern shift removed by hand comes back
— absences belong in leave, which generation respects. Open swap requests about
shifts that are replaced are cancelled, with the reason, in the audit.

One unit of work: the range is either fully regenerated or untouched.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta

from hotline.ports import Clock, NewShift, RosterUnitOfWork, RosterUnitOfWorkFactory, StoredPattern
from hotline.shifts import generate
from hotline.usecases.roster.context import RosterChanges, RosterProblem, check_range, day_bounds
from hotline.usecases.roster.naming import rules

Progress = Callable[[int, int, str], None]
GENERATE_UNITS, WRITE_UNITS = 600, 400
SAMPLE_VIOLATIONS = 20
REGENERATED = "班表已重新生成 / the roster was regenerated"


class RosterGeneration:
    """Regenerate a date range from the active rotation patterns (the page's job, the CLI, the demo)."""

    def __init__(self, uow: RosterUnitOfWorkFactory, clock: Clock, directory, changes: RosterChanges,
                 calendar=None) -> None:
        self.uow = uow
        self.calendar = calendar        # the directory's holiday calendar (None: the built-in one)
        self.clock = clock
        self.directory = directory
        self.changes = changes

    def generate_range(self, first: date, last: date, *, actor_id: int | None = None,
                       progress: Progress | None = None) -> dict:
        """Regenerate [first, last]; returns a JSON-ready summary (counts, timings, sample violations)."""
        check_range(first, last)
        started = time.perf_counter()
        report = progress or (lambda done, total, message: None)
        with self.uow() as uow:
            slots, patterns = uow.slots.all(), uow.patterns.all(first, last)
            if not patterns:
                raise RosterProblem("没有适用于该日期范围的轮值模式 / no active rotation pattern covers these dates")
            members = _members(patterns)
            _require_people(uow, members)
            leave = self._leave(uow, first, last, members)
            in_force = rules(uow.staff.names(members), slots, self.directory)
            roster = _core_generate(patterns, slots, first, last, leave, in_force, report, self.calendar)
            deleted, cancelled = self._clear_range(uow, first, last, actor_id)
            shifts = self._new_shifts(uow, roster, slots, patterns, first, last)
            uow.shifts.insert_many(shifts, lambda d, t: report(GENERATE_UNITS + WRITE_UNITS * d // max(t, 1),
                                                               GENERATE_UNITS + WRITE_UNITS, "写入 / writing"))
            violations = roster.check()
            summary = _summary(first, last, shifts, deleted, cancelled, roster, violations, started)
            uow.audit.record(self.clock.now(), actor_id, "roster.generate", f"{first}..{last}",
                             {"deleted": deleted, "cancelled_swaps": cancelled},
                             {k: summary[k] for k in ("created", "unfilled", "violations")})
            uow.commit()
        self.changes.announce()
        report(GENERATE_UNITS + WRITE_UNITS, GENERATE_UNITS + WRITE_UNITS, "完成 / done")
        summary["seconds"] = round(time.perf_counter() - started, 3)
        return summary

    def _leave(self, uow: RosterUnitOfWork, first: date, last: date, members: set[int]):
        """Leave of the patterns' members around the range (a day either side for overnight slots)."""
        start, end = day_bounds(self.directory, first - timedelta(days=1), last + timedelta(days=1))
        return [entry.core for entry in uow.leave.between(start, end, counselor_ids=sorted(members))]

    def _clear_range(self, uow: RosterUnitOfWork, first: date, last: date,
                     actor_id: int | None) -> tuple[int, list[int]]:
        """Delete the range's generated shifts; cancel open swap requests about them."""
        start, end = day_bounds(self.directory, first, last)
        gone = uow.shifts.ids_starting_between(start, end, source="generated")
        cancelled = []
        for swap in uow.swaps.open_touching(gone):
            uow.swaps.update(swap.id, status="cancelled", decided_at=self.clock.now(), decided_by=actor_id,
                             decision_note=REGENERATED)
            cancelled.append(swap.id)
            uow.audit.record(self.clock.now(), actor_id, "swap.cancel", f"swap:{swap.id}", None,
                             {"status": "cancelled"}, REGENERATED)
        uow.shifts.delete_starting_between(start, end, source="generated")
        return len(gone), cancelled

    def _new_shifts(self, uow: RosterUnitOfWork, roster, slots, patterns, first: date, last: date) -> list[NewShift]:
        """The new shifts, minus seats held by kept swaps, covers and manual shifts."""
        start, end = day_bounds(self.directory, first, last)
        kept = uow.shifts.starting_between(start - timedelta(days=1), end + timedelta(days=1))
        stand_ins = {(s.original_counselor_id, s.line_id, s.slot_code, s.starts_at) for s in kept
                     if s.original_counselor_id is not None}
        taken = {(s.counselor_id, s.starts_at, s.line_id) for s in kept}
        slot_ids = {s.code: s.id for s in slots}
        pattern_of = _pattern_by_member_slot(patterns)
        shifts = []
        for s in roster.shifts:
            cid = int(s.counselor_id)
            if (cid, s.line_id, s.slot_id, s.start) in stand_ins or (cid, s.start, s.line_id) in taken:
                continue
            shifts.append(NewShift(cid, s.line_id, slot_ids.get(s.slot_id), s.slot_id, s.start, s.end, "generated",
                                   pattern_of.get((s.counselor_id, s.slot_id)), cid))
        return shifts


def _core_generate(patterns, slots, first, last, leave, in_force, report, calendar):
    try:
        return generate([p.core for p in patterns], [s.core for s in slots], first, last, leave, rules=in_force,
                        calendar=calendar,
                        progress=lambda d, t: report(GENERATE_UNITS * d // t, GENERATE_UNITS + WRITE_UNITS,
                                                     "生成 / generating"))
    except ValueError as exc:           # an unknown slot in a cycle, a malformed pattern
        raise RosterProblem(str(exc)) from None


def _members(patterns: list[StoredPattern]) -> set[int]:
    return {int(m) for p in patterns for a in (p.assignees or ()) for m in a.get("members", ())}


def _require_people(uow: RosterUnitOfWork, members: set[int]) -> None:
    missing = sorted(members - uow.staff.existing_ids(members))
    if missing:
        ids = ", ".join(map(str, missing))
        raise RosterProblem(f"轮值模式引用了不存在的用户：{ids} / rotation patterns refer to unknown users: {ids}")


def _pattern_by_member_slot(patterns: list[StoredPattern]) -> dict[tuple[str, str], int]:
    """Which pattern put a member on a slot (first pattern wins if several could)."""
    found: dict[tuple[str, str], int] = {}
    for p in patterns:
        for a in p.assignees or ():
            for m in a.get("members", ()):
                for code in p.cycle or ():
                    if code:
                        found.setdefault((str(m), code), p.id)
    return found


def _summary(first, last, shifts, deleted, cancelled, roster, violations, started) -> dict:
    return {"first": first.isoformat(), "last": last.isoformat(), "created": len(shifts), "deleted": deleted,
            "cancelled_swaps": cancelled, "unfilled": len(roster.unfilled), "violations": len(violations),
            "violation_messages": [v.message for v in violations[:SAMPLE_VIOLATIONS]],
            "unfilled_seats": [{"line_id": u.line_id, "slot": u.slot_id, "start": u.start.isoformat(),
                                "counselor_id": u.counselor_id, "reason": u.reason}
                               for u in roster.unfilled[:SAMPLE_VIOLATIONS]],
            "seconds": round(time.perf_counter() - started, 3)}
