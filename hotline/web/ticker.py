"""The background loop of a web process: offer timeouts, wrap-up ends, dispatch.

Runs every second and at once when poked (a call queued, a counselor freed).
Every process runs one; the dispatch lock in Redis keeps them from colliding.
"""
from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)
COVERAGE_EVERY_S = 60.0


class Ticker:
    def __init__(self, services, interval_s: float = 1.0) -> None:
        self.s = services
        self.interval_s = interval_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hotline-ticker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        from hotline.usecases.console import ConsoleService

        next_coverage = 0.0
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self._wake.clear()
            try:
                ConsoleService(self.s).tick()
            except Exception as exc:  # Redis away: keep trying, quietly
                log.warning("调度暂停 / dispatch tick failed: %s", type(exc).__name__)
            if time.monotonic() >= next_coverage:
                next_coverage = time.monotonic() + COVERAGE_EVERY_S
                self._check_coverage()

    def _check_coverage(self) -> None:
        """Once a minute: an open line with nobody on shift becomes a dashboard alert."""
        try:
            # TRANSITION (roster area): Hotline.coverage_alerts once the ticker holds a Hotline;
            # imported here like the console service above (the adapters module starts the ticker).
            from hotline.bootstrap.roster import raise_coverage_alerts

            raise_coverage_alerts(self.s, self.s.now())
        except Exception as exc:
            log.warning("排班覆盖检查失败 / coverage check failed: %s", type(exc).__name__)
