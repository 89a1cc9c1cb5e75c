"""Is this process ready to take calls? The answer /readyz gives a load balancer.

Ready means: the database answers, Redis answers, the directory lists lines, and the
schema is current. Each check answers "ok", "failed" or "failed: <ExceptionName>" (a
short reason, never a message that could carry a URL or a password); the migrations are
only looked at when the database answers, and at most every MIGRATIONS_TTL_S per process
(a probe every second must not walk Alembic's scripts every second).
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from hotline.ports import Probe, Schema

MIGRATIONS_TTL_S = 5.0


def run_check(probe: Probe) -> str:
    try:
        return "ok" if probe() else "failed"
    except Exception as exc:  # any failure means "not ready", with a short reason
        return f"failed: {type(exc).__name__}"


class MigrationsProbe:
    """"ok" or "pending: rev, …", recomputed at most every ttl_s.

    One thread refreshes while the others reuse the last answer, so a burst of probes
    never opens a burst of connections.
    """

    def __init__(self, schema: Schema, ttl_s: float = MIGRATIONS_TTL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.schema = schema
        self.ttl_s = ttl_s
        self.clock = clock
        self._lock = threading.Lock()
        self._value: str | None = None
        self._at = float("-inf")

    def status(self) -> str:
        if self._fresh() or not self._lock.acquire(blocking=self._value is None):
            return self._value or "failed: busy"
        try:
            if not self._fresh():
                self._value, self._at = self._compute(), self.clock()
            return self._value
        finally:
            self._lock.release()

    def _fresh(self) -> bool:
        return self._value is not None and self.clock() - self._at < self.ttl_s

    def _compute(self) -> str:
        try:
            revisions = self.schema.pending()
        except Exception as exc:  # unreadable version table etc.: not ready, say why
            return f"failed: {type(exc).__name__}"
        return f"pending: {', '.join(revisions)}" if revisions else "ok"


class Readiness:
    """The checks of /readyz (Hotline.readiness)."""

    def __init__(self, database: Probe, redis: Probe, directory: Probe, migrations: MigrationsProbe) -> None:
        self.probes = {"database": database, "redis": redis, "directory": directory}
        self.migrations = migrations

    def check(self) -> tuple[bool, dict[str, str]]:
        """(ready, {"database", "redis", "directory", "migrations": "ok" | why not})."""
        checks = {name: run_check(probe) for name, probe in self.probes.items()}
        checks["migrations"] = (self.migrations.status() if checks["database"] == "ok"
                                else "skipped: database unavailable")
        return all(value == "ok" for value in checks.values()), checks
