"""Counselors played by the machine, for the demo and for load tests.

They go available, accept offers after a short think time, talk until the caller
hangs up (or for a talk time of their own), and end wrap-up early — all through
the same ConsoleService the browser console uses, so they exercise the real path.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass

from hotline.usecases.console import ConsoleError, ConsoleService
from hotline.usecases.dispatch import Dispatcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Persona:
    counselor_id: int
    name: str
    lines: tuple[str, ...]


class VirtualCounselors:
    def __init__(self, console: ConsoleService, dispatcher: Dispatcher, personas: list[Persona],
                 think_s: float = 0.0, talk_s: float | None = None, wrap_s: float = 0.0,
                 seed: int | None = None) -> None:
        self.console = console
        self.dispatcher = dispatcher
        self.personas = personas
        self.think_s, self.talk_s, self.wrap_s = think_s, talk_s, wrap_s
        self.random = random.Random(seed)
        self.accepted: list[dict] = []       # what each counselor took, for checks
        self._seen: dict[tuple, float] = {}

    def clock_in(self) -> None:
        for p in self.personas:
            self.console.set_presence(p.counselor_id, "available", p.name, p.lines)

    def step(self) -> None:
        """Look at every counselor once and do what a person would do now."""
        for persona in self.personas:
            presence = self.console.presence(persona.counselor_id)
            if presence is None:
                continue
            try:
                self._act(persona.counselor_id, presence)
            except ConsoleError as exc:  # the call moved on (caller hung up): fine
                log.debug("virtual counselor %s: %s", persona.counselor_id, exc)

    def _act(self, counselor_id: int, presence) -> None:
        now = time.monotonic()
        since = self._seen.setdefault((counselor_id, presence.state, presence.call), now)
        waited = now - since
        if presence.state == "offered" and waited >= self._think():
            state = self.console.accept(presence.call, counselor_id)
            self.accepted.append({"call": presence.call, "counselor": counselor_id,
                                  "line": state.get("line"), "at": time.time()})
        elif presence.state == "on_call" and self.talk_s is not None and waited >= self.talk_s:
            self.console.end_call(presence.call, counselor_id)
        elif presence.state == "wrap_up" and waited >= self.wrap_s:
            self.console.ready(counselor_id)
            self.dispatcher.dispatch()

    def _think(self) -> float:
        return self.random.uniform(0, self.think_s) if self.think_s else 0.0

    def run(self, stop: threading.Event, poll_s: float = 0.05) -> None:
        self.clock_in()
        while not stop.is_set():
            try:
                self.step()
            except Exception as exc:  # Redis blips: keep the floor running
                log.warning("virtual counselors paused: %s", type(exc).__name__)
            stop.wait(poll_s)
