"""Run the core's rule checks on the part of the roster a change touches.

A change (swap, cover, reassignment, added shift) can only break rules of the
counselors it involves, within about a week of the shifts it moves (the weekly
limit looks at the whole ISO week, rest at the neighbours). So we load only
those counselors' shifts and leave in that window, build a core Roster, and let
its add / reassign / swap say what the change would break.

Policy (decided for the issue): a change that introduces or worsens a violation is
refused unless the supervisor explicitly overrides with a written reason; the
violations and the reason are kept on the request and in the audit. Violations the
roster already had (the same message before the change) do not block it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline.ports import RosterUnitOfWork, StoredShift
from hotline.shifts import Roster, RosterError, Shift
from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.naming import rules

MARGIN = timedelta(days=8)


@dataclass
class LocalRoster:
    """The involved counselors' roster around a change, and the stored shifts behind its shifts."""

    roster: Roster
    stored: dict[Shift, StoredShift]

    def shift(self, stored: StoredShift) -> Shift:
        for shift, s in self.stored.items():
            if s.id == stored.id:
                return shift
        raise RosterProblem(f"班次 {stored.id} 已不在班表中 / shift {stored.id} is no longer on the roster")


def local_roster(uow: RosterUnitOfWork, directory, counselor_ids: Iterable[int], start: datetime,
                 end: datetime) -> LocalRoster:
    ids = sorted(set(counselor_ids))
    lo, hi = start - MARGIN, end + MARGIN
    stored = {s.core: s for s in uow.shifts.between(lo, hi, counselor_ids=ids)}
    leave = [entry.core for entry in uow.leave.between(lo, hi, ids)]
    in_force = rules(uow.staff.names(ids), uow.slots.all(active_only=False), directory)
    return LocalRoster(Roster.of(stored.keys(), leave=leave, rules=in_force), stored)


def introduced(local: LocalRoster, edit) -> list:
    """The edit's violations that were not already there (a week already over the limit by
    the same hours, or a short rest between the same two shifts, is not the change's doing)."""
    before = {v.message for v in local.roster.check()}
    return [v for v in edit.violations if v.message not in before]


def require_allowed(violations, override: bool, reason: str) -> list[str]:
    """The violation messages, if the change may go ahead; else RosterProblem listing them."""
    messages = [v.message for v in violations]
    if messages and not (override and reason.strip()):
        raise RosterProblem("此变更违反排班规则；如确需执行，请勾选“强制执行”并填写理由 / "
                            "this change breaks roster rules; to apply it anyway, tick override and give a reason",
                            messages)
    return messages


def apply_core(action):
    """Run a core Roster edit, turning its RosterError into a RosterProblem."""
    try:
        return action()
    except RosterError as exc:
        raise RosterProblem(str(exc)) from None


def require_counselor(uow: RosterUnitOfWork, counselor_id: int):
    """The active account to roster, or a RosterProblem naming the id."""
    member = uow.staff.get(counselor_id)
    if member is None or not member.active:
        raise RosterProblem(f"用户 {counselor_id} 不存在或已停用 / user {counselor_id} does not exist or is disabled")
    return member
