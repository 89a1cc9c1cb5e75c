"""/dashboard: the supervisor's live view; /api/dashboard: the same data as JSON.

The page draws itself from the Socket.IO "snapshot" (on every connect) and the
coalesced "dashboard" pushes (hotline/usecases/dashboard_feed.py); the JSON API serves
wallboards and checks that cannot hold a socket. Acknowledging an alert removes it
for every supervisor at once (the Alerts use case announces "alert.ack").
"""
from __future__ import annotations

import logging
import re

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user

from hotline.web.auth import roles_required
from hotline.web.context import hotline

log = logging.getLogger(__name__)
bp = Blueprint("dashboard", __name__, template_folder="templates")
ALERT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def init_app(app) -> None:
    """One builder and one feed per process; the feed pushes only in a serving process.
    app.extensions["hotline_dashboard"] is how the Socket.IO handlers find the feed."""
    use_cases = app.extensions["hotline"]
    feed = use_cases.dashboard_feed
    app.extensions["hotline_dashboard"] = feed
    if use_cases.settings.run_background:
        feed.start()


def _unavailable():
    """Live state is gone (Redis down): say the service is degraded and what callers get."""
    message = ("降级运行：实时状态不可用，来电正转接至开放的外部热线 / degraded: live state unavailable, "
               "callers are being transferred to open external lines")
    zh, _, en = message.partition(" / ")
    return jsonify(error=503, status="degraded", message=message, message_zh=zh, message_en=en), 503


@bp.get("/dashboard")
@roles_required("supervisor")
def page():
    """?wall=1: the wall-screen layout (large type, dark), for a 1920×1080 screen across a room."""
    wall = request.args.get("wall") in ("1", "true", "yes")
    return render_template("dashboard.html", wall=wall, holiday_warning=_holiday_warning())


def _holiday_warning() -> dict | None:
    """Next year's official holiday table missing (from 1 November): never blanks the page."""
    try:
        return hotline().holiday_table_notice.warning()
    except Exception as exc:   # a broken table is the doctor's to report; the dashboard still shows
        log.warning("节假日表检查失败 / holiday-table check failed: %s", type(exc).__name__)
        return None


@bp.get("/api/dashboard")
@roles_required("supervisor")
def snapshot():
    try:
        return jsonify(hotline().dashboard.snapshot(fresh_today=True))
    except Exception as exc:   # Redis away: say so plainly, the page retries
        log.warning("监控数据不可用 / dashboard snapshot failed: %s", type(exc).__name__)
        return _unavailable()


@bp.post("/api/alerts/<alert_id>/ack")
@roles_required("supervisor")
def acknowledge(alert_id: str):
    """Idempotent: a second supervisor's click answers 200 with acknowledged=false."""
    if not ALERT_ID.match(alert_id):
        return jsonify(error=404, message="未知提醒 / unknown alert", message_zh="未知提醒",
                       message_en="unknown alert"), 404
    try:
        removed = hotline().alerts.acknowledge(alert_id, current_user.id)
    except Exception as exc:
        log.warning("确认提醒失败 / acknowledging alert %s failed: %s", alert_id, type(exc).__name__)
        return _unavailable()
    if removed:
        log.info("提醒已确认 / alert %s acknowledged by user id %s", alert_id, current_user.id)
    return jsonify(id=alert_id, acknowledged=removed)
