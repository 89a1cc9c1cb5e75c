"""/healthz and /readyz: the probes a load balancer and `hotline doctor` use; /favicon.ico,
which browsers ask for whatever the page says (answered so it is never a 404 in the log)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, send_from_directory

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


@bp.get("/favicon.ico")
def favicon():
    """The SVG icon every page links to, for browsers and tools that ask /favicon.ico anyway."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml",
                               max_age=86400)
