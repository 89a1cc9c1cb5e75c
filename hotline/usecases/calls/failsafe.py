"""The answer when our own parts fail, and its record.

The answer needs only the directory in memory and the clock — no Redis, no
database — so a caller hears a valid route even when everything else is down; it
is a separate use case from its record, which must never stand in its way.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from hotline.ports import CallQueues, Clock, FailSafeAnswer, HangUps, InboundCall
from hotline.routing.directory import Directory
from hotline.usecases.calls.recording import CallRecorder


class FailSafe:
    def __init__(self, directory: Directory, clock: Clock) -> None:
        self.directory = directory
        self.clock = clock

    def answer(self, dialled: str, line_id: str | None = None) -> FailSafeAnswer:
        """Any line open now except the one the caller came from, as if nobody were on shift."""
        return FailSafeAnswer(self.directory, dialled, self.clock.now(), line_id)


log = logging.getLogger(__name__)


class FailSafeLog:
    """The record of a fail-safe answer, and the caller's exit from our queue.

    A caller the fail-safe sent on is gone: they must never be offered to a counselor. Redis
    may be the very thing that failed, so the exit is kept in memory (this process's
    `pending`) and retried on every later webhook and tick until Redis takes it: the call
    leaves its queue (a ringing offer is withdrawn) and its live hash says `failsafe`, which
    no dispatch, offer or rejoin accepts."""

    def __init__(self, recorder: CallRecorder, queues: Callable[[], CallQueues],
                 hang_ups: Callable[[], HangUps]) -> None:
        self.recorder = recorder
        self.queues = queues
        self.hang_ups = hang_ups
        self.pending: set[str] = set()
        self._lock = threading.Lock()

    def record(self, call: InboundCall, path: str, to: str | None) -> None:
        """Keep the record even when the live state is gone (the writer needs only the DB)."""
        self.sent_on(call.call_sid)
        self.recorder.record(call, "failsafe", f"failsafe:{path}", {"path": path, "to": to},
                             status="transferred" if to else "info_only", outcome="failsafe")

    def sent_on(self, call_sid: str) -> None:
        """The caller left us through the fail-safe (or is leaving Twilio's queue for it)."""
        with self._lock:
            self.pending.add(call_sid)
        self.release_pending()

    def release_pending(self) -> int:
        """Take every caller sent on out of our queues; those Redis refuses stay pending."""
        with self._lock:
            sids = list(self.pending)
        released = 0
        for sid in sids:
            try:
                if self.hang_ups().caller_leaves_queue(sid, "failsafe"):   # False: already connected
                    self.queues().annotate(sid, status="failsafe")
            except Exception as exc:   # Redis still away: try again on the next webhook or tick
                log.debug("故障转接来电暂未移出队列 / call %s not yet out of the queue: %s", sid, type(exc).__name__)
                continue
            with self._lock:
                self.pending.discard(sid)
            released += 1
        return released
