"""Routes added to a test app only: one per access rule, to check the rules themselves."""
from __future__ import annotations

from flask import Blueprint, jsonify

from hotline.web.auth import login_required, roles_required

bp = Blueprint("authprobe", __name__)


@bp.get("/authprobe/anyone")
@login_required
def anyone():
    return "anyone"


@bp.get("/authprobe/forgotten")
def forgotten():
    """No decorator at all: the guard must still close it."""
    return "forgotten"


@bp.get("/authprobe/counselor")
@roles_required("counselor")
def counselor():
    return "counselor"


@bp.get("/authprobe/supervisor")
@roles_required("supervisor")
def supervisor():
    return "supervisor"


@bp.get("/authprobe/admin")
@roles_required("admin")
def admin():
    return "admin"


@bp.get("/authprobe/item/<int:item_id>/<name>")
def item(item_id: int, name: str):
    return f"{item_id}:{name}"


@bp.post("/api/authprobe/echo")
def api_echo():
    return jsonify(ok=True)


@bp.get("/api/authprobe/supervisor")
@roles_required("supervisor")
def api_supervisor():
    return jsonify(ok=True)
