"""The background loop of a web process: offer timeouts, wrap-up ends, dispatch.

Runs every second and at once when poked (a call queued, a counselor freed: the
DispatchTrigger of hotline/bootstrap/adapters.py). Every serving process runs one; the
dispatch lock in Redis keeps them from colliding. Once a minute it also runs the
coverage check (an open line with nobody on shift becomes a dashboard alert).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Protocol

log = logging.getLogger(__name__)
COVERAGE_EVERY_S = 60.0


class Wakeable(Protocol):
    def poke(self) -> None: ...

    def wait(self, timeout_s: float) -> None: ...


class Ticker:
    def __init__(self, tick: Callable[[], None], check_coverage: Callable[[], None], wakeup: Wakeable,
                 interval_s: float = 1.0) -> None:
        self.tick = tick
        self.check_coverage = check_coverage
        self.wakeup = wakeup
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hotline-ticker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        self.wakeup.poke()

    def stop(self) -> None:
        self._stop.set()
        self.wakeup.poke()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        next_coverage = 0.0
        while not self._stop.is_set():
            self.wakeup.wait(self.interval_s)
            try:
                self.tick()
            except Exception as exc:  # Redis away: keep trying, quietly
                log.warning("调度暂停 / dispatch tick failed: %s", type(exc).__name__)
            if time.monotonic() >= next_coverage:
                next_coverage = time.monotonic() + COVERAGE_EVERY_S
                self._check_coverage()

    def _check_coverage(self) -> None:
        try:
            self.check_coverage()
        except Exception as exc:
            log.warning("排班覆盖检查失败 / coverage check failed: %s", type(exc).__name__)
