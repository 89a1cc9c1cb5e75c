"""Triage surfaces: the console's triage API, caller files, and the supervisors' pages.

One `bp` (app.py registers it) with the JSON APIs nested in. `init_app` makes sure the
Redis set of flagged caller keys exists when the process starts and — in a serving
process — keeps checking for it, so a Redis restart never drops a high-risk caller's
priority for longer than a few seconds.
"""
from __future__ import annotations

import logging
import threading

from flask import Blueprint, Flask, render_template
from flask_login import current_user
from sqlalchemy import select

from hotline.usecases.triage import file_view as triage_file_view
from hotline.usecases.triage import files as triage_files
from hotline.usecases.triage import referrals
from hotline.store.triage import FollowUp
from hotline.triage.risk import level_label
from hotline.web.auth import login_required, roles_required
from hotline.web.console_http import services
from hotline.web.triage_api import api as triage_api
from hotline.web.triage_records_api import api as records_api, authorised_file, review_dict, review_rows

log = logging.getLogger(__name__)
bp = Blueprint("triage", __name__, template_folder="templates")
bp.register_blueprint(triage_api)
bp.register_blueprint(records_api)
WATCH_EVERY_S = 5.0


def init_app(app: Flask) -> None:
    s = app.extensions["hotline"]
    triage_files.ensure_flagged(s, force=True)
    if s.settings.run_background:
        _start_watch(s)
    app.jinja_env.filters.setdefault("risk_label", lambda level: level_label(level) if level else "—")


def _start_watch(s) -> None:
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(WATCH_EVERY_S):
            triage_files.ensure_flagged(s, force=True)

    threading.Thread(target=watch, name="hotline-flagged-watch", daemon=True).start()


def _due_follow_ups(s) -> list[FollowUp]:
    with s.db.session() as session:
        return list(session.scalars(select(FollowUp).where(FollowUp.status != "done", FollowUp.due_at <= s.now())
                                    .order_by(FollowUp.due_at)))


def _risk_alerts(s) -> list:
    try:
        return [a for a in s.alerts.open_alerts() if a.kind in ("risk", "follow_up")]
    except Exception as exc:
        log.warning("警报列表不可用 / alerts unavailable: %s", type(exc).__name__)
        return []


@bp.get("/triage")
@roles_required("supervisor")
def overview():
    s = services()
    with s.db.session() as session:
        reviews = [review_dict(r) for r in review_rows(session)]
    return render_template("triage.html", alerts=_risk_alerts(s), reviews=reviews,
                           overdue=[referrals.referral_dict(s, r) for r in referrals.overdue(s)],
                           follow_ups=_due_follow_ups(s), now=s.now())


@bp.get("/triage/reviews")
@roles_required("supervisor")
def reviews_page():
    s = services()
    with s.db.session() as session:
        reviews = [review_dict(r) for r in review_rows(session)]
    return render_template("triage_reviews.html", reviews=reviews, now=s.now())


@bp.get("/triage/referrals/overdue")
@roles_required("supervisor")
def overdue_page():
    s = services()
    return render_template("triage_overdue.html", now=s.now(), follow_ups=_due_follow_ups(s),
                           overdue=[referrals.referral_dict(s, r) for r in referrals.overdue(s)])


@bp.get("/triage/files/<string(minlength=8,maxlength=64):caller_key>")
@login_required
def caller_file_page(caller_key: str):
    if not authorised_file(caller_key, "file.view"):
        return render_template("error.html", code=403, message_zh="只有正在接听该来电者的咨询师或督导可以查看档案",
                               message_en="Only the counselor handling this caller, or a supervisor, "
                                          "may open the file."), 403
    data = triage_file_view.file_dict(services(), caller_key)
    return render_template("caller_file.html", file=data, supervisor=current_user.has_role("supervisor"))
