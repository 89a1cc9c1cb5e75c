"""Which lines a counselor may answer at an instant: the roster where there is one.

For a line with a roster (any shift within ROSTERED_WITHIN of `at`), a counselor may
answer it only while on a shift [start, end) for it at `at` — at the hand-over
minute the incoming shift has it and the outgoing one does not. A line without any
roster keeps the assigned-lines rule (presence.lines), so deployments that do not
roster yet, and their tests, work as before.

This runs on every webhook and every dispatch tick, so the database is not asked
each time: each process keeps a snapshot (the on-call index of every line over a
window of days) in memory. It is rebuilt when it is older than TTL_S, when `at`
leaves its window, or when the roster version changes (every roster change bumps
it once committed; see usecases/roster/context.py) — that version is read at most every
VERSION_EVERY_S. An outdated snapshot that still covers `at` keeps answering while
a background thread rebuilds it, so a slow database never delays a webhook; the
process that changed the roster drops its snapshot at once (invalidate()). If the
database is unreachable the last snapshot keeps serving, and with none at all the
assigned lines do: callers are still answered.

The same object answers Staffing (lines_for, staffed_counts) and OnCallLookup (on_call)
for the whole process: one snapshot, one cache to drop when this process changes the roster.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline.ports import WORKING, Presence, Presences, RosterUnitOfWorkFactory, RosterVersion
from hotline.shifts import OnCall, OnCallIndex

log = logging.getLogger(__name__)

TTL_S = 15.0
VERSION_EVERY_S = 1.0
RETRY_AFTER_FAILURE_S = 5.0
ROSTERED_WITHIN = timedelta(days=4)      # "has a roster": a shift within ±4 days of `at`
WINDOW_BEFORE = timedelta(days=5)        # the snapshot holds shifts overlapping [at-5d, at+12d)
WINDOW_AFTER = timedelta(days=12)
NEXT_LOOKAHEAD = timedelta(days=3)       # rebuild early enough that "next shift" stays visible


@dataclass(frozen=True)
class Snapshot:
    """Every line's shifts over [lo, hi), indexed, with the counselors' names."""

    index: OnCallIndex
    lines: frozenset[str]
    names: dict[str, str]
    lo: datetime
    hi: datetime
    version: int
    built: float          # monotonic seconds

    def serves(self, at: datetime) -> bool:
        """Whether `at` is far enough inside the window for "rostered" and "next" to be right."""
        return self.lo + ROSTERED_WITHIN <= at <= self.hi - ROSTERED_WITHIN - NEXT_LOOKAHEAD

    def rostered(self, line_id: str, at: datetime) -> bool:
        """Whether the line has any shift overlapping [at - ROSTERED_WITHIN, at + ROSTERED_WITHIN)."""
        if line_id not in self.lines:
            return False
        found = self.index.lookup(line_id, at - ROSTERED_WITHIN)
        return bool(found.current) or (found.next_start is not None and found.next_start < at + ROSTERED_WITHIN)

    def on_call(self, line_id: str, at: datetime) -> OnCall:
        return self.index.lookup(line_id, at)


class RosterEligibility:
    """lines_for(presence, at) by the roster, with the assigned-lines rule for lines without one."""

    def __init__(self, uow: RosterUnitOfWorkFactory, version: RosterVersion, presences: Presences,
                 ticks: Callable[[], float] = time.monotonic) -> None:
        self.uow = uow
        self.version = version
        self.presences = presences
        self._ticks = ticks
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._version_checked = -VERSION_EVERY_S
        self._last_version = 0
        self._failed_at = -RETRY_AFTER_FAILURE_S
        self._refreshing: threading.Thread | None = None
        self._thread_lock = threading.Lock()

    # --- the questions ------------------------------------------------------------------
    def lines_for(self, presence: Presence, at: datetime) -> set[str]:
        snap = self.snapshot(at)
        if snap is None:
            return set(presence.lines)
        me = str(presence.counselor_id)
        lines = {line for line in presence.lines if not snap.rostered(line, at)}
        lines |= {line for line in snap.lines if snap.rostered(line, at) and me in snap.on_call(line, at).counselors}
        return lines

    def staffed_counts(self, at: datetime) -> dict[str, int]:
        """Per line, counselors in a working state who may answer it at `at` (on shift for it
        where the line has a roster, else assigned to it)."""
        return self._count(self.presences.all(), at)

    def staffed_among(self, presences, at: datetime, roster_version: int) -> dict[str, int]:
        """staffed_counts for presences and a roster version the caller read already (in the
        same round trip as the rest of what routing needs): nothing more is read from Redis."""
        self._last_version, self._version_checked = roster_version, self._ticks()
        return self._count(presences, at)

    def _count(self, presences, at: datetime) -> dict[str, int]:
        counts: dict[str, int] = {}
        for presence in presences:
            if presence.state in WORKING:
                for line_id in self.lines_for(presence, at):
                    counts[line_id] = counts.get(line_id, 0) + 1
        return counts

    def rostered(self, line_id: str, at: datetime) -> bool:
        snap = self.snapshot(at)
        return snap is not None and snap.rostered(line_id, at)

    def on_call(self, line_id: str, at: datetime) -> tuple[OnCall, dict[str, str]] | None:
        """(current and next shifts, names by counselor id) for a rostered line, else None."""
        snap = self.snapshot(at)
        if snap is None or not snap.rostered(line_id, at):
            return None
        return snap.on_call(line_id, at), snap.names

    def invalidate(self) -> None:
        """Drop the snapshot now (this process changed the roster)."""
        with self._lock:
            self._snapshot = None
            self._failed_at = -RETRY_AFTER_FAILURE_S

    # --- the cache ------------------------------------------------------------------------
    def snapshot(self, at: datetime) -> Snapshot | None:
        """The snapshot for `at`: fresh; or outdated but covering `at` (then refreshed in the
        background, so a slow database never holds up a caller); or rebuilt now."""
        snap = self._snapshot
        if self._fresh(snap, at):
            return snap
        if snap is not None and snap.serves(at):
            self._refresh_in_background(at)
            return snap
        with self._lock:
            snap = self._snapshot
            if self._fresh(snap, at):      # another thread rebuilt it meanwhile
                return snap
            return self._rebuild(at, snap)

    def _refresh_in_background(self, at: datetime) -> None:
        with self._thread_lock:            # not self._lock: a slow rebuild holds that one
            if self._refreshing is not None and self._refreshing.is_alive():
                return
            self._refreshing = threading.Thread(target=self._refresh, args=(at,), name="hotline-roster-refresh",
                                                daemon=True)
            self._refreshing.start()

    def _refresh(self, at: datetime) -> None:
        with self._lock:
            self._rebuild(at, self._snapshot)

    def _fresh(self, snap: Snapshot | None, at: datetime) -> bool:
        return (snap is not None and snap.serves(at) and self._ticks() - snap.built < TTL_S
                and snap.version == self._known_version())

    def _known_version(self) -> int:
        """The Redis roster version, read at most every VERSION_EVERY_S."""
        now = self._ticks()
        if now - self._version_checked >= VERSION_EVERY_S:
            self._version_checked = now
            try:
                self._last_version = self.version.current()
            except Exception as exc:  # noqa: BLE001 — Redis away: the TTL still bounds staleness
                log.debug("排班版本不可读 / roster version unreadable: %s", exc)
        return self._last_version

    def _rebuild(self, at: datetime, stale: Snapshot | None) -> Snapshot | None:
        now = self._ticks()
        if now - self._failed_at < RETRY_AFTER_FAILURE_S:
            return stale if stale is not None and stale.serves(at) else None
        try:
            snap = self._load(at)
        except Exception as exc:  # noqa: BLE001 — the database may be down: keep answering callers
            self._failed_at = now
            log.error("排班读取失败，沿用%s / roster unavailable, using %s: %s",
                      "旧数据" if stale else "分配线路", "the last snapshot" if stale else "assigned lines", exc)
            return stale if stale is not None and stale.serves(at) else None
        self._snapshot = snap
        return snap

    def _load(self, at: datetime) -> Snapshot:
        self._version_checked = -VERSION_EVERY_S       # read the version afresh for the new snapshot
        version = self._known_version()
        lo, hi = at - WINDOW_BEFORE, at + WINDOW_AFTER
        with self.uow() as uow:
            shifts, names = uow.shifts.on_call_between(lo, hi)
        return Snapshot(OnCallIndex(shifts), frozenset(s.line_id for s in shifts), names, lo, hi, version,
                        self._ticks())
