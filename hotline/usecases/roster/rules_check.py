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

from hotline.shifts import Roster, Shift
from hotline.usecases.roster import convert
from hotline.usecases.roster.context import RosterProblem
from hotline.store import rosters_repo as repo
from hotline.store.rosters import ShiftRow

MARGIN = timedelta(days=8)


@dataclass
class LocalRoster:
    """The involved counselors' roster around a change, and the rows behind its shifts."""

    roster: Roster
    rows: dict[Shift, ShiftRow]

    def shift(self, row: ShiftRow) -> Shift:
        for shift, r in self.rows.items():
            if r.id == row.id:
                return shift
        raise RosterProblem(f"班次 {row.id} 已不在班表中 / shift {row.id} is no longer on the roster")


def local_roster(services, session, counselor_ids: Iterable[int], start: datetime, end: datetime) -> LocalRoster:
    ids = sorted(set(counselor_ids))
    lo, hi = start - MARGIN, end + MARGIN
    rows = convert.shifts_of(repo.shifts_between(session, lo, hi, counselor_ids=ids), services.directory)
    leave = [convert.leave_of(r) for r in repo.leave_between(session, lo, hi, ids)]
    rules = convert.rules(repo.names(session, ids), repo.slots(session, active_only=False), services.directory)
    return LocalRoster(Roster.of(rows.keys(), leave=leave, rules=rules), rows)


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
    from hotline.shifts import RosterError

    try:
        return action()
    except RosterError as exc:
        raise RosterProblem(str(exc)) from None
