"""Referrals, the call-back consent, caller files and supervisor reviews, as JSON.

Every view of a caller file leaves a row in caller_file_access (who, when, which file,
what: view, export, denied). Exports need a supervisor. Free text (notes, the number)
is encrypted before it is stored and never logged.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask_login import current_user

from hotline.usecases.triage import file_view as triage_file_view
from hotline.usecases.triage import files as triage_files
from hotline.usecases.triage import referrals
from hotline.store.privacy import normalize_number
from hotline.store.triage import Assessment, FollowUp
from hotline.usecases.triage.assessments import TriageError, call_facts
from hotline.web.auth import login_required, roles_required
from hotline.web.console_http import BadRequest, api_error, console_required, field, json_body, services
from hotline.web.console_state import handles_call

log = logging.getLogger(__name__)
api = Blueprint("triage_records", __name__)
SID = "<string(maxlength=64):call_sid>"
KEY = "<string(minlength=8,maxlength=64):caller_key>"
MAX_NOTE = 5_000


@api.errorhandler(BadRequest)
@api.errorhandler(TriageError)
def _bad(exc):
    return api_error(400, str(exc))


def _forbidden():
    return api_error(403, "您无权处理这通电话 / you are not handling this call")


def _note(body: dict) -> str | None:
    note = body.get("note")
    if note is None or note == "":
        return None
    if not isinstance(note, str) or len(note) > MAX_NOTE:
        raise BadRequest(f"字段 note 须为不超过 {MAX_NOTE} 字的文字 / field 'note' must be text of at most {MAX_NOTE}")
    return note.strip() or None


# --- referrals --------------------------------------------------------------------------

@api.get(f"/api/calls/{SID}/referrals/suggestions")
@login_required
def suggest(call_sid: str):
    if not (handles_call(services(), current_user.id, call_sid) or current_user.has_role("supervisor")):
        return _forbidden()
    return jsonify(call_sid=call_sid, suggestions=referrals.suggestions(services(), call_sid))


@api.post(f"/api/calls/{SID}/referrals")
@console_required
def create_referral(call_sid: str):
    body = json_body()
    institution = field(body, "institution_id", str)
    status = body.get("status", "suggested")
    if status not in referrals.core.STATUSES:
        raise BadRequest(f"字段 status 须为 {', '.join(referrals.core.STATUSES)} 之一 / field 'status' "
                         f"must be one of {', '.join(referrals.core.STATUSES)}")
    if not handles_call(services(), current_user.id, call_sid):
        return _forbidden()
    row = referrals.create(services(), current_user.id, call_sid, institution, status, _note(body))
    log.info("已记录转介 / referral %s (%s) on call %s", row.id, row.status, call_sid)
    return jsonify(referrals.referral_dict(services(), row)), 201


@api.post("/api/referrals/<int:referral_id>/status")
@login_required
def referral_status(referral_id: int):
    body = json_body()
    status = field(body, "status", str, referrals.core.STATUSES)
    row = referrals.get(services(), referral_id)
    if row is None:
        return api_error(404, "转介不存在 / no such referral")
    if not (current_user.has_role("supervisor") or handles_call(services(), current_user.id, row.call_sid)):
        return _forbidden()
    row = referrals.change_status(services(), current_user.id, referral_id, status, _note(body))
    return jsonify(referrals.referral_dict(services(), row))


@api.get("/api/referrals/overdue")
@roles_required("supervisor")
def overdue():
    s = services()
    return jsonify(now=s.now().isoformat(), referrals=[referrals.referral_dict(s, r) for r in referrals.overdue(s)])


# --- call-back consent --------------------------------------------------------------------

@api.post(f"/api/calls/{SID}/callback")
@console_required
def callback(call_sid: str):
    """来电者同意回电: store the number encrypted; consent withdrawn: delete it."""
    body = json_body()
    consent = field(body, "consent", bool)
    if not handles_call(services(), current_user.id, call_sid):
        return _forbidden()
    s = services()
    facts = call_facts(s, call_sid)
    if facts.caller_key == "anonymous":
        raise BadRequest("匿名来电无法建立档案 / an anonymous call has no caller file")
    number = None
    if consent:
        try:
            number = normalize_number(field(body, "number", str).strip())
        except ValueError:
            raise BadRequest("字段 number：不是有效的电话号码 / field 'number': not a valid phone number") from None
    triage_files.save_callback(s, facts.caller_key, number, s.now())
    matches = bool(number) and facts.caller_key in s.keyring.caller_key_candidates(number)
    return jsonify(consent=consent, stored=bool(number), matches_caller=matches)


# --- caller files ---------------------------------------------------------------------------

def _audit(caller_key: str, action: str) -> None:
    s = services()
    with s.db.session() as session:
        triage_files.record_access(session, current_user.id, caller_key, action, s.now())


def authorised_file(caller_key: str, action: str) -> bool:
    """May the current user open this file? Logs the view, or the refusal."""
    if triage_file_view.may_view(services(), current_user, caller_key):
        _audit(caller_key, action)
        return True
    log.warning("拒绝访问来电者档案 / user %s refused a caller file", current_user.id)
    _audit(caller_key, f"{action}.denied")
    return False


def _file_forbidden():
    return api_error(403, "只有正在接听该来电者的咨询师或督导可以查看档案 / only the counselor handling this "
                          "caller, or a supervisor, may open the file")


@api.get(f"/api/caller-files/{KEY}")
@login_required
def caller_file(caller_key: str):
    if not authorised_file(caller_key, "file.view"):
        return _file_forbidden()
    return jsonify(triage_file_view.file_dict(services(), caller_key))


@api.get(f"/api/caller-files/{KEY}/export")
@roles_required("supervisor")
def export(caller_key: str):
    _audit(caller_key, "file.export")
    response = jsonify(triage_file_view.file_dict(services(), caller_key))
    response.headers["Content-Disposition"] = f'attachment; filename="caller-file-{caller_key[:12]}.json"'
    return response


@api.post(f"/api/caller-files/{KEY}/unflag")
@roles_required("supervisor")
def unflag(caller_key: str):
    done = triage_files.unflag(services(), caller_key, services().now())
    _audit(caller_key, "file.unflag")
    log.info("督导取消档案标记 / supervisor %s unflagged a caller file", current_user.id)
    return jsonify(unflagged=done)


# --- supervisor review -------------------------------------------------------------------

def review_rows(session) -> list[Assessment]:
    from sqlalchemy import select

    return list(session.scalars(select(Assessment).where(Assessment.needs_review.is_(True))
                                .order_by(Assessment.updated_at)))


def review_dict(row: Assessment) -> dict:
    return {"id": row.id, "call_sid": row.call_sid, "caller_key": row.caller_key,
            "counselor_id": row.counselor_id, "level": row.level, "rule_level": row.rule_level,
            "peak_level": row.peak_level, "reasons": row.reasons, "updated_at": row.updated_at.isoformat()}


@api.get("/api/triage/reviews")
@roles_required("supervisor")
def reviews():
    with services().db.session() as session:
        return jsonify(reviews=[review_dict(r) for r in review_rows(session)])


@api.post("/api/triage/reviews/<int:assessment_id>")
@roles_required("supervisor")
def mark_reviewed(assessment_id: int):
    s = services()
    with s.db.session() as session:
        row = session.get(Assessment, assessment_id)
        if row is None:
            return api_error(404, "评估不存在 / no such assessment")
        row.needs_review, row.reviewed_by, row.reviewed_at = False, current_user.id, s.now()
        return jsonify(review_dict(row) | {"reviewed_by": row.reviewed_by})


@api.post("/api/triage/follow-ups/<int:follow_up_id>/done")
@roles_required("supervisor")
def follow_up_done(follow_up_id: int):
    s = services()
    with s.db.session() as session:
        row = session.get(FollowUp, follow_up_id)
        if row is None:
            return api_error(404, "回访任务不存在 / no such follow-up")
        row.status, row.done_by, row.done_at = "done", current_user.id, s.now()
        return jsonify(id=row.id, status=row.status)
