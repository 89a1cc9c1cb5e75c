"""Who is on shift for a line at an instant, and who comes next.

Routing and assignment ask this for every call, so a Roster keeps an index
(per line, sorted by start) and lookups are a binary search. Shifts are
half-open [start, end): at the exact hand-over minute the incoming shift is on
and the outgoing one is not, so a call is never offered to both or neither.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from hotline.shifts._time import elapsed, require_aware
from hotline.shifts.shift import Shift, as_shifts, by_time


@dataclass(frozen=True)
class OnCall:
    """The shifts on at `at` for a line, and the next ones to start after it."""

    line_id: str
    at: datetime
    current: tuple[Shift, ...]
    next: tuple[Shift, ...]

    @property
    def counselors(self) -> set[str]:
        """Counselors on shift now."""
        return {s.counselor_id for s in self.current}

    @property
    def next_start(self) -> datetime | None:
        """When the next shift begins (None if nothing is rostered after `at`)."""
        return self.next[0].start if self.next else None


class OnCallIndex:
    """Per-line shifts sorted by start, with the longest shift to bound the search."""

    def __init__(self, shifts: Iterable[Shift]) -> None:
        lines: dict[str, list[Shift]] = {}
        for shift in sorted(shifts, key=by_time):
            lines.setdefault(shift.line_id, []).append(shift)
        self._lines = {line: (tuple(s), [x.start for x in s], max(elapsed(x.start, x.end) for x in s))
                       for line, s in lines.items()}

    def lookup(self, line_id: str, at: datetime) -> OnCall:
        """Current and next shifts of `line_id` at `at`."""
        require_aware(at, "查询时间 / lookup time")
        if line_id not in self._lines:
            return OnCall(line_id, at, (), ())
        shifts, starts, longest = self._lines[line_id]
        i = bisect_right(starts, at)
        return OnCall(line_id, at, _current(shifts, i, at, longest), _next(shifts, starts, i))


def _current(shifts: tuple[Shift, ...], i: int, at: datetime, longest: timedelta) -> tuple[Shift, ...]:
    """Shifts before position i that have not ended by `at` (none can start before at - longest)."""
    found, j, earliest = [], i - 1, at.astimezone(timezone.utc) - longest
    while j >= 0 and shifts[j].start >= earliest:
        if shifts[j].end > at:
            found.append(shifts[j])
        j -= 1
    return tuple(reversed(found))


def _next(shifts: tuple[Shift, ...], starts: list[datetime], i: int) -> tuple[Shift, ...]:
    """All shifts sharing the earliest start after `at`."""
    if i >= len(shifts):
        return ()
    return tuple(shifts[i:bisect_right(starts, starts[i])])


def _index(roster_or_shifts) -> OnCallIndex:
    """Use a roster's cached index when given a Roster, else index the shifts."""
    cached = getattr(roster_or_shifts, "oncall_index", None)
    return cached if isinstance(cached, OnCallIndex) else OnCallIndex(as_shifts(roster_or_shifts))


def on_shift(roster_or_shifts, line_id: str, at: datetime) -> set[str]:
    """Counselors on shift for `line_id` at `at` (only they are offered its calls)."""
    return _index(roster_or_shifts).lookup(line_id, at).counselors


def current_and_next(roster_or_shifts, line_id: str, at: datetime) -> OnCall:
    """The shifts on now and the next ones to start, for a line."""
    return _index(roster_or_shifts).lookup(line_id, at)
