"""Rebuilding live state after Redis lost it (restart without persistence).

A marker key tells a fresh Redis from a running one. When it is missing, the calls
that the record still shows as waiting are put back in their queues in their
original order; callers still in Twilio's queue also rejoin by themselves on their
next wait request (usecases/calls/waiting.py).
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable

from hotline.ports import CallQueues, CallsUnitOfWork, Clock, FlaggedSetRepair, LiveEpoch
from hotline.routing.directory import Directory

log = logging.getLogger(__name__)
LOOK_BACK = timedelta(hours=6)


class QueueRecovery:
    """hotline.ports.LostQueues: the console's tick calls it every second."""

    def __init__(self, clock: Clock, directory: Directory, queues: CallQueues, epoch: LiveEpoch,
                 uow: Callable[[], CallsUnitOfWork], flagged: FlaggedSetRepair) -> None:
        self.clock = clock
        self.directory = directory
        self.queues = queues
        self.epoch = epoch
        self.uow = uow
        self.flagged = flagged

    def rebuild_if_needed(self) -> int:
        """Rebuild once per Redis lifetime; returns how many calls were put back."""
        self.flagged.ensure()   # flagged callers first, even after Redis forgot them (throttled)
        if not self.epoch.start(self.clock.now()):
            return 0
        restored = self.rebuild_queues()
        if restored:
            log.warning("Redis 已恢复，重建队列 / Redis was empty: %d waiting calls restored from the record",
                        restored)
        return restored

    def rebuild_queues(self) -> int:
        """Put back every call the record shows waiting, with the record's priority and
        arrival; a caller who rejoined by themselves meanwhile (marked `rejoined`, with a
        priority and arrival worked out without the record) is repaired to the record's."""
        with self.uow() as uow:
            waiting = uow.calls.still_waiting(self.clock.now() - LOOK_BACK)
        restored = 0
        for call in waiting:
            line = self.directory.get(call.line_id)
            if line is None:
                continue
            state = self.queues.call_state(call.call_sid)
            if state and not self._repairable(state, call.line_id):
                continue   # Redis still knows this call as it was: it is not lost
            if state:
                self.queues.remove(call.call_sid)
                self.queues.annotate(call.call_sid, member="", arrived_ms="", rejoined="")
            self.queues.enqueue(call.call_sid, call.line_id, call.priority, call.queued_at,
                                caller_key=call.caller_key, dialled=call.dialled, status="queued",
                                withheld="0" if call.caller_key else "1", max_wait_s=line.max_wait_s)
            restored += 1
        return restored

    @staticmethod
    def _repairable(state: dict[str, str], line_id: str) -> bool:
        return state.get("rejoined") == "1" and state.get("status") == "queued" and state.get("line") == line_id
