"""/healthz and /readyz: the probes a load balancer and `hotline doctor` use."""
from __future__ import annotations

from flask import Blueprint, jsonify

from hotline.web.context import hotline

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Process alive: answers without touching any dependency."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready: the database, Redis and the directory are usable and the schema is current."""
    ready, checks = hotline().readiness.check()
    return jsonify(status="ok" if ready else "unavailable", checks=checks), (200 if ready else 503)
