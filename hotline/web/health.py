"""/healthz and /readyz: the probes a load balancer and `hotline doctor` use."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Process alive: answers without touching any dependency."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready: the database, Redis and the directory are usable right now."""
    services = current_app.extensions["hotline"]
    checks = {"database": _check(lambda: _ping_db(services)),
              "redis": _check(lambda: services.redis.ping()),
              "directory": _check(lambda: len(services.directory) > 0)}
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
