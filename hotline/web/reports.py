"""/reports: call reports with charts, downloads, a printable summary, and the schedule.

Supervisors and admins read reports; only admins change the nightly schedule. Each
view parses the filters, asks hotline.reports.service for the figures (the stored
run when it is complete, else computed on the spot), and renders. State changes
(recompute, schedule) are POSTs checked for the CSRF token by the auth guard.
"""
from __future__ import annotations

import logging
import re
from datetime import date
from functools import wraps

from flask import (Blueprint, Response, current_app, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_login import current_user

from hotline.reports.periods import PeriodError, parse_end, parse_kind, period_ending
from hotline.web.access import error_response, roles_required

log = logging.getLogger(__name__)
bp = Blueprint("reports", __name__, template_folder="templates")
JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def _services():
    return current_app.extensions["hotline"]


def _filters() -> tuple[str, date, str | None]:
    """period kind, end date and line from the query string (or a JSON/form body)."""
    from hotline.reports.service import check_line, today

    values = request.values
    services = _services()
    kind = parse_kind(values.get("period"))
    end = parse_end(values.get("end") or None, today(services))
    return kind, end, check_line(services, values.get("line") or None)


def _bad_request(exc: Exception):
    zh, _, en = str(exc).partition(" / ")
    return error_response(400, detail=(zh, en or zh))


def with_filters(view):
    """Call view(kind, end, line) with the parsed filters, or answer 400 naming the bad one."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            kind, end, line = _filters()
        except PeriodError as exc:
            return _bad_request(exc)
        return view(kind, end, line, *args, **kwargs)
    return wrapped


def _report_and_previous(kind: str, end: date, line: str | None):
    from hotline.reports.service import with_previous

    return with_previous(_services(), period_ending(kind, end), line)


def _zone() -> str:
    from hotline.reports.service import home_zone

    return home_zone(_services())


def _local_now() -> str:
    from hotline.reports.windows import zone

    return _services().now().astimezone(zone(_zone())).strftime("%Y-%m-%d %H:%M")


def _labels() -> dict:
    from hotline.reports.labels import all_labels

    return all_labels(_services().settings.config_dir)


def _query(kind: str, end: date, line: str | None) -> dict:
    return {"period": kind, "end": end.isoformat(), **({"line": line} if line else {})}


@bp.get("/reports")
@roles_required("supervisor")
@with_filters
def page(kind: str, end: date, line: str | None):
    from hotline.reports.view import filters, page_model

    report, previous, stored = _report_and_previous(kind, end, line)
    model = page_model(report, previous, _labels(), stored, _zone())
    return render_template("reports.html", r=model, f=filters(kind, end, line, _services().directory),
                           q=_query(kind, end, line))


@bp.get("/reports/data.json")
@roles_required("supervisor")
@with_filters
def data(kind: str, end: date, line: str | None):
    from hotline.reports.export import to_json

    report, previous, stored = _report_and_previous(kind, end, line)
    return jsonify(stored=stored, **to_json(report, previous))


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
    from hotline.reports.export import to_csv

    report, previous, _ = _report_and_previous(kind, end, line)
    return _download(to_csv(report, previous, _labels()), "text/csv; charset=utf-8",
                     _filename(kind, end, line, "csv"))


@bp.get("/reports/export.xlsx")
@roles_required("supervisor")
@with_filters
def export_xlsx(kind: str, end: date, line: str | None):
    from hotline.reports.export import to_xlsx

    report, previous, _ = _report_and_previous(kind, end, line)
    return _download(to_xlsx(report, previous, _labels()),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     _filename(kind, end, line, "xlsx"))


@bp.get("/reports/print")
@roles_required("supervisor")
@with_filters
def printable(kind: str, end: date, line: str | None):
    from hotline.reports.view import page_model

    report, previous, stored = _report_and_previous(kind, end, line)
    return render_template("reports_print.html", r=page_model(report, previous, _labels(), stored, _zone()),
                           q=_query(kind, end, line), printed_at=_local_now())


# --- recompute on demand --------------------------------------------------------------
@bp.post("/reports/run")
@roles_required("supervisor")
@with_filters
def run(kind: str, end: date, line: str | None):
    from hotline.jobs.reports import enqueue_report

    try:
        job = enqueue_report(_services(), kind, end, line)
    except Exception as exc:   # Redis down: say so, the page still works from the database
        log.error("报告任务提交失败 / could not queue a report job: %s", exc)
        return jsonify(error=503, message="后台任务暂不可用 / background jobs are unavailable"), 503
    log.info("报告任务已提交 / report job %s queued by user %s", job.id, current_user.id)
    return jsonify(job=job.id, status_url=url_for("reports.job", job_id=job.id)), 202


@bp.get("/reports/jobs/<job_id>")
@roles_required("supervisor")
def job(job_id: str):
    """A report job's state and progress (other queues' jobs are not shown here)."""
    from hotline.jobs.plumbing import job_status

    if not JOB_ID.match(job_id):
        return jsonify(error=404), 404
    services = _services()
    try:
        status = job_status(services, job_id) if _is_report_job(services, job_id) else None
    except Exception:
        return jsonify(error=503, message="后台任务暂不可用 / background jobs are unavailable"), 503
    if status is None:
        return jsonify(error=404), 404
    return jsonify(status)


def _is_report_job(services, job_id: str) -> bool:
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    from hotline.jobs.plumbing import rq_connection

    try:
        found = Job.fetch(job_id, connection=rq_connection(services))
    except NoSuchJobError:
        return False
    return found.func_name.startswith("hotline.jobs.reports.")


# --- the nightly schedule (admins) ----------------------------------------------------
@bp.get("/reports/schedule")
@roles_required("admin")
def schedule():
    from hotline.store.reports import get_schedule, recent_runs

    services = _services()
    with services.db.session() as session:
        row = get_schedule(session)
        runs = recent_runs(session)
    return render_template("reports_schedule.html", s=row, runs=runs, registered=_registered(services),
                           local=_local_formatter(row.timezone))


def _local_formatter(tz: str):
    from hotline.reports.windows import zone

    return lambda at: at.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M") if at else "—"


def _registered(services) -> dict:
    """What RQ holds: the next nightly run, or why it cannot be read."""
    from hotline.jobs.reports import scheduled_nightly

    try:
        found = scheduled_nightly(services)
    except Exception as exc:
        return {"error": f"{type(exc).__name__}"}
    return {"jobs": found}


@bp.post("/reports/schedule")
@roles_required("admin")
def save_schedule():
    from hotline.jobs.reports import parse_run_at, sync_schedule
    from hotline.store.reports import update_schedule

    services = _services()
    try:
        run_at = parse_run_at(request.form.get("run_at", ""))
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("reports.schedule"))
    enabled = request.form.get("enabled") in ("on", "1", "true")
    with services.db.session() as session:
        row = update_schedule(session, enabled=enabled, run_at=run_at, timezone=None, by=current_user.id,
                              now=services.now())
        tz = row.timezone
    try:
        upcoming = sync_schedule(services)
    except Exception as exc:
        log.error("夜间报告任务登记失败 / could not register the nightly job: %s", exc)
        flash("设置已保存，但后台任务暂不可用，稍后请再次保存 / saved, but background jobs are unavailable: "
              "save again later", "warning")
        return redirect(url_for("reports.schedule"))
    when = f"{_local_formatter(tz)(upcoming)} ({tz})"
    flash(f"已保存，下次运行：{when} / saved; next run: {when}" if upcoming else
          "已保存：夜间报告已停止 / saved: nightly reports are off", "success")
    return redirect(url_for("reports.schedule"))
