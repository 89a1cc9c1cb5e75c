"""A rotation pattern as a supervisor types it, checked and turned into a row.

Cycle: slot codes separated by commas or spaces; "-" (or "off", "休") is a day off.
Assignees: one per line; a line with several usernames is a team that works
together; "@N" sets the offset, otherwise the n-th line starts n steps in, which
staggers people so that every slot is covered every day.

    counselor1
    counselor2, counselor3 @2
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hotline.ports import RosterUnitOfWork
from hotline.shifts import Assignee, RotationPattern
from hotline.usecases.roster.context import RosterProblem

OFF_WORDS = frozenset({"-", "off", "休", "休息", "none"})
_OFFSET = re.compile(r"@\s*(-?\d+)\s*$")


@dataclass(frozen=True)
class PatternInput:
    code: str
    cycle_text: str
    assignees_text: str
    start: date
    end: date | None = None
    name: str = ""
    days: str = "all"
    on_holiday: str = "work"
    advance_on: str = "every_day"


def parse_cycle(text: str) -> list[str | None]:
    words = [w for w in re.split(r"[\s,，、]+", text or "") if w]
    if not words:
        raise RosterProblem("周期不能为空 / the cycle must not be empty")
    return [None if w.lower() in OFF_WORDS else w for w in words]


def parse_assignees(text: str) -> list[tuple[list[str], int]]:
    """[(usernames, offset)] from the textarea; offsets default to the line's position."""
    found = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _OFFSET.search(line)
        offset = int(match.group(1)) if match else len(found)
        names = [n for n in re.split(r"[\s,，、]+", _OFFSET.sub("", line)) if n]
        if names:
            found.append((names, offset))
    if not found:
        raise RosterProblem("请至少填写一位轮值人员 / give at least one assignee")
    return found


def pattern_values(uow: RosterUnitOfWork, data: PatternInput) -> dict:
    """Stored values of the pattern, after the core has accepted it; names every problem."""
    cycle = parse_cycle(data.cycle_text)
    known = {s.code for s in uow.slots.all()}
    unknown = sorted({c for c in cycle if c and c not in known})
    if unknown:
        raise RosterProblem(f"周期中有未知或已停用的班次：{', '.join(unknown)} / "
                            f"the cycle names unknown or inactive slots: {', '.join(unknown)}")
    assignees = _resolve(uow, parse_assignees(data.assignees_text))
    try:
        RotationPattern(data.code, tuple(cycle), tuple(Assignee(a["id"], tuple(map(str, a["members"])), a["offset"])
                                                    for a in assignees),
                        data.start, days=data.days, on_holiday=data.on_holiday, advance_on=data.advance_on,
                        end=data.end)
    except ValueError as exc:
        raise RosterProblem(str(exc)) from None
    return {"code": data.code, "name": data.name.strip()[:128], "cycle": cycle, "assignees": assignees,
            "start_date": data.start, "end_date": data.end, "days": data.days, "on_holiday": data.on_holiday,
            "advance_on": data.advance_on}


def _resolve(uow: RosterUnitOfWork, wanted: list[tuple[list[str], int]]) -> list[dict]:
    usernames = sorted({n for names, _ in wanted for n in names})
    users = uow.staff.by_usernames(usernames)
    missing = [n for n in usernames if n not in users or not users[n].active]
    if missing:
        raise RosterProblem(f"未知或已停用的用户：{', '.join(missing)} / unknown or disabled users: {', '.join(missing)}")
    return [{"id": "+".join(names), "members": [users[n].id for n in names], "offset": offset}
            for names, offset in wanted]


def assignees_text(uow: RosterUnitOfWork, assignees: list[dict]) -> str:
    """The textarea form of stored assignees (user ids back to usernames)."""
    usernames = uow.staff.usernames({m for a in assignees for m in a.get("members", ())})
    return "\n".join(", ".join(usernames.get(m, str(m)) for m in a.get("members", ())) + f" @{a.get('offset', 0)}"
                     for a in assignees)
