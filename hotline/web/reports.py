"""/reports: call reports with charts, downloads, a printable summary, and the schedule.

Supervisors and admins read reports; only admins change the nightly schedule. Each
view parses the filters, asks the reports use case (hotline.usecases.reports) for the
figures (the stored run when it is complete, else computed on the spot), and renders
them with the pure report views (hotline.reports.view, .export). State changes
(recompute, schedule) are POSTs checked for the CSRF token by the auth guard.
"""
from __future__ import annotations

import logging
import re
from datetime import date
from functools import wraps

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from hotline.reports.export import to_csv, to_json, to_xlsx
from hotline.reports.periods import PeriodError
from hotline.reports.view import filters, page_model
from hotline.reports.windows import zone
from hotline.web.access import error_response, roles_required
from hotline.web.context import hotline

log = logging.getLogger(__name__)
bp = Blueprint("reports", __name__, template_folder="templates")
JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
JOBS_UNAVAILABLE = "后台任务暂不可用 / background jobs are unavailable"


def _bad_request(exc: Exception):
    zh, _, en = str(exc).partition(" / ")
    return error_response(400, detail=(zh, en or zh))


def with_filters(view):
    """Call view(kind, end, line) with the parsed filters (from the query string or a JSON/form
    body), or answer 400 naming the bad one."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        values = request.values
        try:
            kind, end, line = hotline().reports.filters(values.get("period"), values.get("end") or None,
                                                        values.get("line") or None)
        except PeriodError as exc:
            return _bad_request(exc)
        return view(kind, end, line, *args, **kwargs)
    return wrapped


def _local(tz: str):
    """A formatter of instants as local "YYYY-MM-DD HH:MM" in zone tz ("—" for none)."""
    return lambda at: at.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M") if at else "—"


def _query(kind: str, end: date, line: str | None) -> dict:
    return {"period": kind, "end": end.isoformat(), **({"line": line} if line else {})}


@bp.get("/reports")
@roles_required("supervisor")
@with_filters
def page(kind: str, end: date, line: str | None):
    shown = hotline().reports.view(kind, end, line)
    model = page_model(shown.report, shown.previous, shown.labels, shown.stored, shown.zone)
    return render_template("reports.html", r=model, f=filters(kind, end, line, hotline().reports.lines()),
                           q=_query(kind, end, line))


@bp.get("/reports/data.json")
@roles_required("supervisor")
@with_filters
def data(kind: str, end: date, line: str | None):
    shown = hotline().reports.view(kind, end, line, labels=False)
    return jsonify(stored=shown.stored, **to_json(shown.report, shown.previous))


def _filename(kind: str, end: date, line: str | None, suffix: str) -> str:
    return f"hotline-report-{kind}-{end.isoformat()}{'-' + line if line else ''}.{suffix}"


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/reports/export.csv")
@roles_required("supervisor")
@with_filters
def export_csv(kind: str, end: date, line: str | None):
    shown = hotline().reports.view(kind, end, line)
    return _download(to_csv(shown.report, shown.previous, shown.labels), "text/csv",   # werkzeug adds the charset
                     _filename(kind, end, line, "csv"))


@bp.get("/reports/export.xlsx")
@roles_required("supervisor")
@with_filters
def export_xlsx(kind: str, end: date, line: str | None):
    shown = hotline().reports.view(kind, end, line)
    return _download(to_xlsx(shown.report, shown.previous, shown.labels),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     _filename(kind, end, line, "xlsx"))


@bp.get("/reports/print")
@roles_required("supervisor")
@with_filters
def printable(kind: str, end: date, line: str | None):
    shown = hotline().reports.view(kind, end, line)
    return render_template("reports_print.html",
                           r=page_model(shown.report, shown.previous, shown.labels, shown.stored, shown.zone),
                           q=_query(kind, end, line), printed_at=_local(shown.zone)(shown.now))


# --- recompute on demand --------------------------------------------------------------
@bp.post("/reports/run")
@roles_required("supervisor")
@with_filters
def run(kind: str, end: date, line: str | None):
    try:
        job_id = hotline().report_jobs.enqueue(kind, end, line)
    except Exception as exc:   # Redis down: say so, the page still works from the database
        log.error("报告任务提交失败 / could not queue a report job: %s", exc)
        return jsonify(error=503, message=JOBS_UNAVAILABLE), 503
    log.info("报告任务已提交 / report job %s queued by user %s", job_id, current_user.id)
    return jsonify(job=job_id, status_url=url_for("reports.job", job_id=job_id)), 202


@bp.get("/reports/jobs/<job_id>")
@roles_required("supervisor")
def job(job_id: str):
    """A report job's state and progress (other queues' jobs are not shown here)."""
    if not JOB_ID.match(job_id):
        return jsonify(error=404), 404
    try:
        status = hotline().report_jobs.job_status(job_id)
    except Exception:   # Redis down
        return jsonify(error=503, message=JOBS_UNAVAILABLE), 503
    if status is None:
        return jsonify(error=404), 404
    return jsonify(status)


# --- the nightly schedule (admins) ----------------------------------------------------
@bp.get("/reports/schedule")
@roles_required("admin")
def schedule():
    jobs = hotline().report_jobs
    settings = jobs.settings()
    return render_template("reports_schedule.html", s=settings, runs=jobs.recent_runs(), registered=jobs.registered(),
                           local=_local(settings.timezone))


@bp.post("/reports/schedule")
@roles_required("admin")
def save_schedule():
    jobs = hotline().report_jobs
    try:
        settings = jobs.change(run_at=request.form.get("run_at", ""),
                               enabled=request.form.get("enabled") in ("on", "1", "true"), by=current_user.id)
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("reports.schedule"))
    try:
        upcoming = jobs.sync()
    except Exception as exc:
        log.error("夜间报告任务登记失败 / could not register the nightly job: %s", exc)
        flash("设置已保存，但后台任务暂不可用，稍后请再次保存 / saved, but background jobs are unavailable: "
              "save again later", "warning")
        return redirect(url_for("reports.schedule"))
    when = f"{_local(settings.timezone)(upcoming)} ({settings.timezone})"
    flash(f"已保存，下次运行：{when} / saved; next run: {when}" if upcoming else
          "已保存：夜间报告已停止 / saved: nightly reports are off", "success")
    return redirect(url_for("reports.schedule"))
