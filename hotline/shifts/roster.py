"""The roster: concrete shifts for dates, editable, with rules run on every change.

A Roster is an immutable value. Each edit returns an Edit holding the new
roster and the violations the change causes (only those involving the changed
shifts, so old problems are not repeated on every keystroke); the caller — a
web view, say — decides whether to keep it. Misuse (removing a shift that is
not there) raises RosterError instead, because it is a stale or wrong request,
not a staffing problem.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from hotline.shifts.oncall import OnCallIndex
from hotline.shifts.rules import RuleSet, Violation, check, check_counselor, group_by_counselor
from hotline.shifts.shift import Shift, Unavailability, UnfilledSeat, by_time


class RosterError(ValueError):
    """An edit that cannot be applied as asked (bilingual message)."""


@dataclass(frozen=True)
class Edit:
    """The outcome of one change: the new roster and what the change breaks."""

    roster: Roster
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        """True when the change breaks no rule."""
        return not self.violations


@dataclass(frozen=True)
class Roster:
    """Shifts in chronological order, seats left unfilled, leave, and the rules in force."""

    shifts: tuple[Shift, ...] = ()
    unfilled: tuple[UnfilledSeat, ...] = ()
    leave: tuple[Unavailability, ...] = ()
    rules: RuleSet = field(default_factory=RuleSet)

    @classmethod
    def of(cls, shifts: Iterable[Shift], *, unfilled=(), leave=(), rules: RuleSet | None = None) -> Roster:
        """Build a roster from shifts in any order (sorted here, duplicates refused)."""
        ordered = tuple(sorted(shifts, key=by_time))
        if len(set(ordered)) != len(ordered):
            raise RosterError("班表中有重复的班次 / the roster contains duplicate shifts")
        return cls(ordered, tuple(unfilled), tuple(leave), rules or RuleSet())

    @cached_property
    def _index(self) -> frozenset[Shift]:
        return frozenset(self.shifts)

    @cached_property
    def _by_counselor(self) -> dict[str, tuple[Shift, ...]]:
        return {cid: tuple(s) for cid, s in group_by_counselor(self.shifts).items()}

    @cached_property
    def oncall_index(self) -> OnCallIndex:
        """Per-line index for on_shift / current_and_next (built once per roster value)."""
        return OnCallIndex(self.shifts)

    def __contains__(self, shift: object) -> bool:
        return shift in self._index

    def __len__(self) -> int:
        return len(self.shifts)

    def for_counselor(self, counselor_id: str) -> tuple[Shift, ...]:
        """One counselor's shifts, in time order."""
        return self._by_counselor.get(counselor_id, ())

    def for_line(self, line_id: str) -> tuple[Shift, ...]:
        """One line's shifts, in time order."""
        return tuple(s for s in self.shifts if s.line_id == line_id)

    def check(self) -> list[Violation]:
        """Every rule over the whole roster (e.g. after generation or import)."""
        return check(self.shifts, self.leave, self.rules)

    def add(self, shift: Shift) -> Edit:
        """Put a counselor on a shift."""
        if shift in self:
            raise RosterError(f"{_who(self, shift)} 已有此班次 / {_who(self, shift)} already has this shift")
        return self._edit(_insert(self.shifts, shift), {shift})

    def remove(self, shift: Shift) -> Edit:
        """Take a shift off the roster (coverage will show the gap it leaves)."""
        self._require(shift)
        return Edit(replace(self, shifts=tuple(s for s in self.shifts if s != shift)), ())

    def reassign(self, shift: Shift, counselor_id: str) -> Edit:
        """Give a rostered seat to another counselor (e.g. cover for leave)."""
        self._require(shift)
        moved = shift.with_counselor(counselor_id)
        if moved in self:
            raise RosterError(f"{_who(self, moved)} 已有此班次 / {_who(self, moved)} already has this shift")
        return self._edit(_insert(_without(self.shifts, {shift}), moved), {moved})

    def swap(self, a: Shift, b: Shift) -> Edit:
        """Exchange two rostered shifts between their counselors."""
        self._require(a)
        self._require(b)
        if a.counselor_id == b.counselor_id:
            raise RosterError(f"不能与自己换班：{_who(self, a)} / cannot swap shifts with oneself: {_who(self, a)}")
        new_a, new_b = a.with_counselor(b.counselor_id), b.with_counselor(a.counselor_id)
        if new_a in self or new_b in self:
            raise RosterError("换班后会出现重复班次 / the swap would duplicate a shift")
        shifts = _insert(_insert(_without(self.shifts, {a, b}), new_a), new_b)
        return self._edit(shifts, {new_a, new_b})

    def add_leave(self, leave: Unavailability) -> Edit:
        """Record leave; violations list the counselor's shifts that now clash with it."""
        roster = replace(self, leave=self.leave + (leave,))
        clashing = {s for s in self.for_counselor(leave.counselor_id) if leave.overlaps(s.start, s.end)}
        return Edit(roster, _touching(roster, clashing))

    def _edit(self, shifts: tuple[Shift, ...], changed: set[Shift]) -> Edit:
        roster = replace(self, shifts=shifts)
        return Edit(roster, _touching(roster, changed))

    def _require(self, shift: Shift) -> None:
        if shift not in self:
            raise RosterError(f"班表中没有此班次：{_who(self, shift)} {shift.start:%Y-%m-%d %H:%M} / "
                              f"shift not in roster: {_who(self, shift)} {shift.start:%Y-%m-%d %H:%M}")


def _touching(roster: Roster, changed: set[Shift]) -> tuple[Violation, ...]:
    """Violations of the affected counselors that involve a changed shift."""
    found: list[Violation] = []
    for cid in sorted({s.counselor_id for s in changed}):
        leave = [u for u in roster.leave if u.counselor_id == cid]
        found += [v for v in check_counselor(roster.for_counselor(cid), leave, roster.rules)
                  if changed.intersection(v.shifts)]
    return tuple(found)


def _insert(shifts: tuple[Shift, ...], shift: Shift) -> tuple[Shift, ...]:
    """Insert keeping time order, without re-sorting the whole roster."""
    i = bisect_left(shifts, by_time(shift), key=by_time)
    return shifts[:i] + (shift,) + shifts[i:]


def _without(shifts: tuple[Shift, ...], gone: set[Shift]) -> tuple[Shift, ...]:
    return tuple(s for s in shifts if s not in gone)


def _who(roster: Roster, shift: Shift) -> str:
    return roster.rules.labels.person(shift.counselor_id)
