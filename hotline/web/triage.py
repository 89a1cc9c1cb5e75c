"""Triage surfaces: the console's triage API, caller files, and the supervisors' pages.

One `bp` (app.py registers it) with the JSON APIs nested in. `init_app` makes sure the
Redis set of flagged caller keys exists when the process starts and — in a serving
process — keeps checking for it, so a Redis restart never drops a high-risk caller's
priority for longer than a few seconds.
"""
from __future__ import annotations

import threading

from flask import Blueprint, Flask, render_template
from flask_login import current_user

from hotline.triage.risk import level_label
from hotline.web.auth import login_required, roles_required
from hotline.web.context import hotline
from hotline.web.triage_api import api as triage_api
from hotline.web.triage_records_api import api as records_api, authorised_file

bp = Blueprint("triage", __name__, template_folder="templates")
bp.register_blueprint(triage_api)
bp.register_blueprint(records_api)
WATCH_EVERY_S = 5.0


# A call's status as the caller file shows it (the record keeps the code).
CALL_STATUS_WORDS = {
    "received": "已接入 / received", "menu": "选择菜单 / at the menu", "queued": "排队中 / waiting",
    "offered": "响铃中 / ringing", "answered": "已接听 / answered", "on_call": "通话中 / on a call",
    "wrap_up": "整理中 / wrap-up", "ended": "已结束 / ended", "closed": "已结束 / closed",
    "abandoned": "来电者挂断 / caller hung up", "voicemail": "留言 / voicemail",
    "transferred": "转接其他热线 / transferred", "info_only": "仅播报信息 / information only",
}


def init_app(app: Flask) -> None:
    flagged = app.extensions["hotline"].flagged_callers
    flagged.ensure(force=True)
    if app.extensions["hotline"].settings.run_background:
        _start_watch(flagged)
    app.jinja_env.filters.setdefault("risk_label", lambda level: level_label(level) if level else "—")


def _start_watch(flagged) -> None:
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(WATCH_EVERY_S):
            flagged.ensure(force=True)

    threading.Thread(target=watch, name="hotline-flagged-watch", daemon=True).start()


@bp.get("/triage")
@roles_required("supervisor")
def overview():
    return render_template("triage.html", **hotline().triage_supervision.overview())


@bp.get("/triage/reviews")
@roles_required("supervisor")
def reviews_page():
    return render_template("triage_reviews.html", **hotline().triage_supervision.review_page())


@bp.get("/triage/referrals/overdue")
@roles_required("supervisor")
def overdue_page():
    return render_template("triage_overdue.html", **hotline().triage_supervision.overdue())


@bp.get("/triage/files/<string(minlength=8,maxlength=64):caller_key>")
@login_required
def caller_file_page(caller_key: str):
    if not authorised_file(caller_key, "file.view"):
        return render_template("error.html", code=403, message_zh="只有正在接听该来电者的咨询师或督导可以查看档案",
                               message_en="Only the counselor handling this caller, or a supervisor, "
                                          "may open the file."), 403
    lines = {line.id: line.name for line in hotline().roster_calendar.hosted_lines()}
    return render_template("caller_file.html", file=hotline().caller_file_view.read(caller_key),
                           supervisor=current_user.has_role("supervisor"), line_names=lines,
                           call_statuses=CALL_STATUS_WORDS)
