"""Pushing the dashboard: bursts of events become at most ~10 snapshots a second.

A busy floor emits dozens of events a second (queue changes, presence, offers);
repainting a wall screen for each would waste every browser's CPU and the
network. The feed notes that *something* changed and pushes at once (after SETTLE_S) when
the last push is older than INTERVAL_S — the leading edge; changes inside the window wait
for its end and go out together in one trailing push. It builds one full snapshot and emits it as
"dashboard" to the dashboard room. Full snapshots (not diffs) keep every
browser correct even if it missed one, and make the reconnect path the same.

The dashboard room (DASHBOARD_ROOM) holds only dashboard pages of supervisors:
they draw from snapshots alone, alerts included, so they are spared the raw
per-call events of the supervisors room. Measured with 200 clients on two
servers (scripts/bench_dashboard.py) that halves the servers' CPU and cuts the
p99 push latency by about a quarter. An "alert" or "alert.ack" reaches them in
the next push (within INTERVAL_S); supervisors on other pages keep receiving
the raw events in the supervisors room.

Where changes are seen (a ChangeSource): with the Redis message queue, every event
from every process (web workers, RQ workers, the simulator's counselors) passes
through the Socket.IO channel, and the feed subscribes to it; without one (tests, a
single process) it listens to this process's event bus.

Who pushes: one process at a time, the leader (DashboardLeadership: a Redis key renewed
every second), so browsers get one stream rather than one per process; if the leader
dies another takes over within LEADER_TTL_MS. It builds only while someone watches: a
process with dashboard sockets keeps the "watched" mark alive.
"""
from __future__ import annotations

import atexit
import logging
import secrets
import threading
import time
from typing import Callable

from hotline.ports import DASHBOARD_ROOM, ChangeSource, DashboardLeadership, SnapshotSink

__all__ = ["DASHBOARD_ROOM", "DashboardFeed"]
log = logging.getLogger(__name__)

# at most one push per window, 10 repaints a second: with 200 ms (5 a second) a change arriving
# mid-burst waited up to 200 ms and the p99 for 200 clients was 284–292 ms (issue #18, goal 250)
INTERVAL_S = 0.1
SETTLE_S = 0.02            # let a burst from one action (presence + call + queue) land together
TRAILING_S = 1.0           # after call events, one more push once the write-behind has stored them
PERIODIC_S = 15.0          # open/closed and coverage change with time alone
HEARTBEAT_S = 1.0
LEADER_TTL_MS = 3000
WATCHED_TTL_S = 30
IGNORED = frozenset({"dashboard", "snapshot"})
CALL_EVENTS = frozenset({"queue.changed", "call.answered", "call.ended", "call.rolled_over",
                         "call.voicemail", "call.transferred"})


class DashboardFeed:
    """The coalescing push loop of one process (Hotline.dashboard_feed)."""

    def __init__(self, builder, leadership: DashboardLeadership, changes: ChangeSource, sink: SnapshotSink,
                 *, shared: bool, interval_s: float = INTERVAL_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.builder = builder
        self.leadership = leadership
        self.changes = changes
        self.sink = sink
        self.interval_s = interval_s
        self.monotonic = monotonic
        self.token = secrets.token_hex(8)
        self.leader = False
        self.pushes = 0
        self.last_build_s = 0.0
        self.watchers: set[str] = set()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._trailing_at: float | None = None
        self._last_push = 0.0
        self._threads: list[threading.Thread] = []
        self._shared_queue = shared      # events of every process reach us; several may push
        self._redis_ok = True

    # --- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the push loop and the change source (idempotent)."""
        if self._threads:
            return
        if not self._shared_queue:
            self.leader = True            # one process: it is the leader
        self.changes.start(self.note, self._listening)
        thread = threading.Thread(target=self._run, name="dashboard-feed", daemon=True)
        self._threads.append(thread)
        thread.start()
        atexit.register(self.stop)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout=2)
        self.changes.stop()
        if self.leader and self._shared_queue:
            try:
                self.leadership.release(self.token)
            except Exception:
                pass   # it expires on its own within LEADER_TTL_MS

    # --- who watches ----------------------------------------------------------------------------
    def watcher_joined(self, sid: str) -> None:
        with self._lock:
            self.watchers.add(sid)
        self._mark_watched()

    def watcher_left(self, sid: str) -> None:
        with self._lock:
            self.watchers.discard(sid)

    def _mark_watched(self) -> None:
        try:
            self.leadership.mark_watched(WATCHED_TTL_S)
        except Exception as exc:
            log.warning("监控观看标记失败 / cannot mark the dashboard watched: %s", type(exc).__name__)

    def watched(self) -> bool:
        if self.watchers:
            return True
        try:
            return self.leadership.watched()
        except Exception:
            return False

    # --- changes in ----------------------------------------------------------------------------
    def _listening(self) -> bool:
        """Whether the change source should hear events at all: this process pushes and, across
        processes, someone watches (a leader nobody watches reads nothing off the channel)."""
        return self.leader and (not self._shared_queue or self.watched())

    def note(self, event: str | None) -> None:
        """Something changed: push soon (cheap; called for every event in the system)."""
        if not event or event in IGNORED or not self.leader:
            return
        if event in CALL_EVENTS:
            if self._trailing_at is None:
                self._trailing_at = self.monotonic() + TRAILING_S
        self._wake.set()

    # --- pushes out ------------------------------------------------------------------------------
    def _run(self) -> None:
        next_beat = 0.0
        while not self._stop.is_set():
            now = self.monotonic()
            due = [next_beat]
            if self.leader:   # a follower only renews its bid: no periodic or trailing pushes
                due += [self._last_push + PERIODIC_S] + ([self._trailing_at] if self._trailing_at else [])
            self._wake.wait(max(0.0, min(due) - now))
            if self._stop.is_set():
                return
            now = self.monotonic()
            if now >= next_beat:
                self._heartbeat()
                next_beat = now + HEARTBEAT_S
            self._maybe_push(now)

    def _maybe_push(self, now: float) -> None:
        changed = self._wake.is_set()
        trailing = self._trailing_at is not None and now >= self._trailing_at
        periodic = now >= self._last_push + PERIODIC_S
        if not self.leader or not (changed or trailing or periodic):
            self._wake.clear()
            return
        delay = max(self._last_push + self.interval_s - now, SETTLE_S if changed else 0.0)
        if delay > 0 and self._stop.wait(delay):
            return
        self._wake.clear()
        if trailing:
            self._trailing_at = None
        self.push(fresh_today=trailing)
        self._last_push = self.monotonic()

    def _heartbeat(self) -> None:
        """Renew (or bid for) leadership and the watched mark; one warning per Redis outage."""
        try:
            if self._shared_queue:
                self.leader = bool(self.leadership.renew(self.token, LEADER_TTL_MS))
            if self.watchers:
                self.leadership.mark_watched(WATCHED_TTL_S)
            self._redis_ok = True
        except Exception as exc:
            self.leader = not self._shared_queue
            if self._redis_ok:
                log.warning("监控推送暂停（Redis 不可用）/ dashboard pushes paused, Redis unavailable: %s",
                            type(exc).__name__)
            self._redis_ok = False

    def push(self, fresh_today: bool = False) -> dict | None:
        """Build one snapshot and emit it to every dashboard page (None when nobody watches)."""
        if not self.watched() or not self.sink.ready():
            return None
        started = time.perf_counter()
        try:
            snapshot = self.builder.snapshot(fresh_today=fresh_today)
        except Exception as exc:   # Redis away: the next change or heartbeat tries again
            log.warning("监控快照失败 / dashboard snapshot failed: %s", type(exc).__name__)
            return None
        self.last_build_s = time.perf_counter() - started
        try:
            self.sink.emit(snapshot)
        except Exception as exc:
            log.warning("监控推送失败 / dashboard push failed: %s", type(exc).__name__)
            return None
        self.pushes += 1
        return snapshot
