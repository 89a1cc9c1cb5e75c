"""/roster: the roster pages — calendars, generation with progress, coverage.

Supervisors manage (this module and roster_admin.py); counselors see their own
shifts, propose swaps and subscribe to their calendar (roster_counselor.py).
Every state change is a POST with the CSRF token (forms carry csrf_token, the
generation request sends X-CSRFToken). The iCalendar feed is the one public
path: calendar apps cannot sign in, so a secret token in the URL stands in.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import Blueprint, Flask, jsonify, render_template, request
from flask_login import login_required

from hotline.usecases.roster.context import RosterProblem, check_range, parse_date
from hotline.web.access import is_public
from hotline.web.auth import roles_required
from hotline.web.context import hotline
from hotline.web.roster_admin import admin
from hotline.web.roster_counselor import counselor, feed_response
from hotline.web.roster_http import actor, arg_date, json_problem

log = logging.getLogger(__name__)
bp = Blueprint("roster", __name__, template_folder="templates")
bp.register_blueprint(admin)
bp.register_blueprint(counselor)
FEED_PREFIX = "/roster/feed/"
DEFAULT_GENERATE_DAYS = 28


def init_app(app: Flask) -> None:
    """Let calendar apps reach the feed before the sign-in guard closes every page.

    Only needed until hotline/web/access.py lists FEED_PREFIX in PUBLIC_PREFIXES;
    then is_public() says so and nothing is installed here.
    """
    if is_public(FEED_PREFIX + "token.ics"):
        return
    app.before_request_funcs.setdefault(None, []).insert(0, _feed_before_sign_in)


def _feed_before_sign_in():
    if request.method == "GET" and request.path.startswith(FEED_PREFIX) and request.path.endswith(".ics"):
        return feed_response(request.path[len(FEED_PREFIX):-len(".ics")])
    return None


@bp.get("/roster/feed/<token>.ics")
def feed(token: str):
    """Reached here only once the path is public in access.py (see init_app)."""
    return feed_response(token)


@bp.get("/roster")
@roles_required("supervisor")
def week():
    line_id = None if request.args.get("line") in (None, "", "all") else request.args.get("line")
    h = hotline()
    calendar, today = h.roster_calendar, h.roster_calendar.today()
    return render_template("roster_week.html", view=calendar.week(arg_date(), line_id),
                           lines=calendar.hosted_lines(), duty=h.on_duty.hosted_lines(),
                           workers=h.roster_jobs.listening(), today=today,
                           generate_to=today + timedelta(days=DEFAULT_GENERATE_DAYS))


@bp.get("/roster/month")
@roles_required("supervisor")
def month():
    """One line at a time by default (a month of every line is too dense to read); ?line=all for all."""
    calendar = hotline().roster_calendar
    wanted = request.args.get("line") or calendar.first_rostered_line()
    view = calendar.month(arg_date(), None if wanted == "all" else wanted)
    return render_template("roster_month.html", view=view, lines=calendar.hosted_lines(), today=calendar.today())


@bp.post("/roster/generate")
@roles_required("supervisor")
def generate():
    """Queue a generation (JSON in, JSON out); the page polls /roster/jobs/<id>."""
    body = request.get_json(silent=True) or request.form
    jobs = hotline().roster_jobs
    try:
        first = parse_date(body.get("from"), "开始日期", "from")
        last = parse_date(body.get("to"), "结束日期", "to")
        check_range(first, last)
    except RosterProblem as problem:
        return json_problem(problem, 400)
    job_id = jobs.queue(first, last, actor())
    log.info("排班生成已排队 / roster generation queued: %s..%s job %s", first, last, job_id)
    return jsonify(job_id=job_id, status_url=f"/roster/jobs/{job_id}", workers=jobs.listening()), 202


@bp.get("/roster/jobs/<string(maxlength=64):job_id>")
@roles_required("supervisor")
def job(job_id: str):
    status = hotline().roster_jobs.status(job_id)
    if status is None:
        return jsonify(error=404, message="任务不存在或已过期 / no such job (or it expired)"), 404
    return jsonify(status)


@bp.get("/roster/coverage")
@roles_required("supervisor")
def coverage():
    first = arg_date("from")
    last = arg_date("to") if request.args.get("to") else first + timedelta(days=6)
    lines = request.args.getlist("line") or None
    problem, report = None, None
    try:
        report = hotline().roster_coverage.report(first, last, lines)
    except RosterProblem as exc:
        problem = str(exc)
    hosted = hotline().roster_calendar.hosted_lines()
    return render_template("roster_coverage.html", report=report, problem=problem, first=first, last=last,
                           lines=hosted, chosen=lines or [], line_names={line.id: line.name for line in hosted})


@bp.get("/roster/duty")
@login_required
def duty():
    """Current and next shift per hosted line (JSON, the same shape the dashboard uses)."""
    return jsonify(hotline().on_duty.hosted_lines())
