"""A supervisor played by the machine, for the demo: now and then it picks a call in
progress and listens, coaches or joins for a while, then leaves — through the same
ConferenceActions the dashboard uses, so the audit trail and the counselor's notice show it."""
from __future__ import annotations

import logging
import random
import threading
import time

from hotline.usecases.calls.conference_actions import ConferenceActions, ConferenceError, Supervisor

log = logging.getLogger(__name__)


class VirtualSupervisor:
    def __init__(self, actions: ConferenceActions, calls_in_progress, supervisor: Supervisor,
                 every_s: float = 30.0, stay_s: float = 10.0, seed: int | None = None) -> None:
        self.actions = actions
        self.calls_in_progress = calls_in_progress     # () -> [{"call": sid, "conference": bool, ...}]
        self.supervisor = supervisor
        self.every_s, self.stay_s = every_s, stay_s
        self.random = random.Random(seed)
        self.sessions: list[tuple[str, str]] = []      # (call, mode), for checks

    def step(self) -> str | None:
        """Supervise one call for stay_s in a mode of its choice (coach most often)."""
        calls = [c["call"] for c in self.calls_in_progress() if c.get("conference")]
        if not calls:
            return None
        call = self.random.choice(calls)
        mode = self.random.choice(("coach", "coach", "listen", "join"))
        try:
            self.actions.supervise(call, self.supervisor, mode)
        except (ConferenceError, PermissionError) as exc:
            log.debug("virtual supervisor skipped %s: %s", call, exc)
            return None
        self.sessions.append((call, mode))
        return call

    def leave(self, call: str) -> None:
        try:
            self.actions.stop_supervising(call, self.supervisor)
        except (ConferenceError, PermissionError):
            pass   # the call ended first

    def run(self, stop: threading.Event) -> None:
        while not stop.wait(self.every_s):
            try:
                call = self.step()
                if call is not None and not stop.wait(self.stay_s):
                    self.leave(call)
            except Exception as exc:  # Redis blips: keep the demo running
                log.warning("virtual supervisor paused: %s", type(exc).__name__)
                time.sleep(1.0)
