"""/healthz and /readyz: the probes a load balancer and `hotline doctor` use."""
from __future__ import annotations

import threading
import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

bp = Blueprint("health", __name__)
MIGRATIONS_TTL_S = 5.0   # a probe every second must not walk Alembic's scripts every second


@bp.get("/healthz")
def healthz():
    """Process alive: answers without touching any dependency."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready: the database, Redis and the directory are usable and the schema is current."""
    services = current_app.extensions["hotline"]
    checks = {"database": _check(lambda: _ping_db(services)),
              "redis": _check(lambda: services.redis.ping()),
              "directory": _check(lambda: len(services.directory) > 0)}
    checks["migrations"] = (_migrations(services.settings.database_url) if checks["database"] == "ok"
                            else "skipped: database unavailable")
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), (200 if ready else 503)


def _ping_db(services) -> bool:
    with services.db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return True


def _check(probe) -> str:
    try:
        return "ok" if probe() else "failed"
    except Exception as exc:  # any failure means "not ready", with a short reason
        return f"failed: {type(exc).__name__}"


def _migrations(url: str) -> str:
    probe = current_app.extensions.get("hotline.migrations")
    if probe is None:
        probe = current_app.extensions.setdefault("hotline.migrations", MigrationsProbe(url))
    return probe.status()


class MigrationsProbe:
    """"ok" or "pending: rev, …", recomputed at most every MIGRATIONS_TTL_S per process.

    One thread refreshes while the others reuse the last answer, so a burst of probes
    never opens a burst of connections.
    """

    def __init__(self, url: str, ttl_s: float = MIGRATIONS_TTL_S) -> None:
        self.url = url
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._value: str | None = None
        self._at = float("-inf")

    def status(self) -> str:
        if self._fresh() or not self._lock.acquire(blocking=self._value is None):
            return self._value or "failed: busy"
        try:
            if not self._fresh():
                self._value, self._at = self._compute(), time.monotonic()
            return self._value
        finally:
            self._lock.release()

    def _fresh(self) -> bool:
        return self._value is not None and time.monotonic() - self._at < self.ttl_s

    def _compute(self) -> str:
        from hotline.store.migrate import pending

        try:
            revisions = pending(self.url)
        except Exception as exc:  # unreadable version table etc.: not ready, say why
            return f"failed: {type(exc).__name__}"
        return f"pending: {', '.join(revisions)}" if revisions else "ok"
