"""Time passing on the floor: what the ticker of every web process does once a second
(and at once when poked): live state rebuilt if Redis lost it, offers not accepted in
time moved on, finished wrap-ups made available (unless the close guard blocks), and a
dispatch round. Several processes may tick at once: every step is atomic.
"""
from __future__ import annotations

from hotline.ports import Clock, LostQueues
from hotline.usecases.console import ConsoleService
from hotline.usecases.dispatch import Dispatcher


class TimePassing:
    def __init__(self, *, console: ConsoleService, dispatcher: Dispatcher, recovery: LostQueues,
                 clock: Clock) -> None:
        self.console = console
        self.dispatcher = dispatcher
        self.recovery = recovery
        self.clock = clock

    def tick(self) -> None:
        self.recovery.rebuild_if_needed()
        now = self.clock.now()
        for call_sid, counselor_id in self.dispatcher.expired_offers(now):
            self.console.time_out(call_sid, counselor_id)
        finished = self.dispatcher.finished_wrap_ups(now)
        for presence in finished:
            self.console.wrap_up_over(presence)
        for presence in self.dispatcher.in_wrap_up(now):
            if presence not in finished:
                self.console.blockers(presence.counselor_id)   # keep the guard's answer while the DB gives it
        self.dispatcher.dispatch()
