"""Small helpers shared by the roster pages: form fields, errors, dates, who is asking.

Forms post back and redirect (with a flashed message); a rule problem that the
user must read in full (violations of a swap or reassignment) is rendered on the
page instead, since a flash lives in the session cookie and must stay small.
"""
from __future__ import annotations

from datetime import date

from flask import flash, jsonify, redirect, request
from flask_login import current_user

from hotline.usecases.roster.context import RosterProblem, parse_date
from hotline.web.context import hotline

FLASHED_VIOLATIONS = 3


def actor() -> int | None:
    return getattr(current_user, "id", None)


def form_text(name: str, default: str = "", limit: int = 1000) -> str:
    return (request.form.get(name) or default).strip()[:limit]


def form_int(name: str, zh: str, en: str, *, low: int | None = None, high: int | None = None) -> int:
    raw = (request.form.get(name) or "").strip()
    if not raw.lstrip("-").isdigit():
        raise RosterProblem(f"{zh}须为整数 / {en} must be a whole number")
    value = int(raw)
    if low is not None and value < low or high is not None and value > high:
        raise RosterProblem(f"{zh}须在 {low} 到 {high} 之间 / {en} must be between {low} and {high}")
    return value


def form_date(name: str, zh: str, en: str, optional: bool = False) -> date | None:
    raw = (request.form.get(name) or "").strip()
    if optional and not raw:
        return None
    return parse_date(raw, zh, en)


def form_flag(name: str) -> bool:
    return request.form.get(name) in ("1", "on", "true", "yes")


def arg_date(name: str = "date") -> date:
    """?date=YYYY-MM-DD, or today (a malformed value falls back to today too)."""
    raw = request.args.get(name) or ""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return hotline().roster_calendar.today()


def back(default: str):
    """Redirect to the form's `back` field if it is a path on this site, else default."""
    target = request.form.get("back") or ""
    return redirect(target if target.startswith("/roster") and "//" not in target else default)


def flash_problem(problem: RosterProblem) -> None:
    flash(str(problem), "error")
    for message in problem.violations[:FLASHED_VIOLATIONS]:
        flash(message, "warning")
    more = len(problem.violations) - FLASHED_VIOLATIONS
    if more > 0:
        flash(f"另有 {more} 条 / and {more} more", "warning")


def json_problem(problem: RosterProblem, code: int = 409):
    message = str(problem)
    zh, _, en = message.partition(" / ")
    return jsonify(error=code, message=message, message_zh=zh, message_en=en or zh,
                   violations=problem.violations), code


def is_supervisor() -> bool:
    return bool(getattr(current_user, "is_authenticated", False) and current_user.has_role("supervisor"))
