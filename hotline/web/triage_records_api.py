"""Referrals, the call-back consent, caller files and supervisor reviews, as JSON.

Every view of a caller file leaves a row in caller_file_access (who, when, which file,
what: view, export, denied). Exports need a supervisor. Free text (notes, the number)
is encrypted before it is stored and never logged.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask_login import current_user

from hotline.triage.referrals import STATUSES
from hotline.usecases.triage.errors import TriageError
from hotline.web.auth import login_required, roles_required
from hotline.web.console_http import BadRequest, api_error, console_required, field, json_body
from hotline.web.context import hotline

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


def _handles(call_sid: str) -> bool:
    return hotline().console_view.handles_call(current_user.id, call_sid)   # the console's handler check


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
    if not (_handles(call_sid) or current_user.has_role("supervisor")):
        return _forbidden()
    return jsonify(call_sid=call_sid, suggestions=hotline().triage_referrals.suggestions(call_sid))


@api.post(f"/api/calls/{SID}/referrals")
@console_required
def create_referral(call_sid: str):
    body = json_body()
    institution = field(body, "institution_id", str)
    status = body.get("status", "suggested")
    if status not in STATUSES:
        raise BadRequest(f"字段 status 须为 {', '.join(STATUSES)} 之一 / field 'status' "
                         f"must be one of {', '.join(STATUSES)}")
    if not _handles(call_sid):
        return _forbidden()
    referrals = hotline().triage_referrals
    record = referrals.create(current_user.id, call_sid, institution, status, _note(body))
    log.info("已记录转介 / referral %s (%s) on call %s", record.id, record.status, call_sid)
    return jsonify(referrals.as_dict(record)), 201


@api.post("/api/referrals/<int:referral_id>/status")
@login_required
def referral_status(referral_id: int):
    body = json_body()
    status = field(body, "status", str, STATUSES)
    referrals = hotline().triage_referrals
    record = referrals.get(referral_id)
    if record is None:
        return api_error(404, "转介不存在 / no such referral")
    if not (current_user.has_role("supervisor") or _handles(record.call_sid)):
        return _forbidden()
    return jsonify(referrals.as_dict(referrals.change_status(current_user.id, referral_id, status, _note(body))))


@api.get("/api/referrals/overdue")
@roles_required("supervisor")
def overdue():
    return jsonify(hotline().triage_supervision.overdue_referrals())


# --- call-back consent --------------------------------------------------------------------

@api.post(f"/api/calls/{SID}/callback")
@console_required
def callback(call_sid: str):
    """来电者同意回电: store the number encrypted; consent withdrawn: delete it."""
    body = json_body()
    consent = field(body, "consent", bool)
    if not _handles(call_sid):
        return _forbidden()
    files = hotline().caller_files
    caller_key = files.callback_file(call_sid)
    number = field(body, "number", str).strip() if consent else None
    return jsonify(files.save_callback(caller_key, consent, number))


# --- caller files ---------------------------------------------------------------------------

def authorised_file(caller_key: str, action: str) -> bool:
    """May the current user open this file? Records the view, or the refusal."""
    return hotline().caller_file_view.open(current_user.id, current_user.has_role("supervisor"), caller_key, action)


def _file_forbidden():
    return api_error(403, "只有正在接听该来电者的咨询师或督导可以查看档案 / only the counselor handling this "
                          "caller, or a supervisor, may open the file")


@api.get(f"/api/caller-files/{KEY}")
@login_required
def caller_file(caller_key: str):
    if not authorised_file(caller_key, "file.view"):
        return _file_forbidden()
    return jsonify(hotline().caller_file_view.read(caller_key))


@api.get(f"/api/caller-files/{KEY}/export")
@roles_required("supervisor")
def export(caller_key: str):
    response = jsonify(hotline().caller_file_view.export(current_user.id, caller_key))
    response.headers["Content-Disposition"] = f'attachment; filename="caller-file-{caller_key[:12]}.json"'
    return response


@api.post(f"/api/caller-files/{KEY}/unflag")
@roles_required("supervisor")
def unflag(caller_key: str):
    return jsonify(unflagged=hotline().caller_files.unflag(current_user.id, caller_key))


# --- supervisor review -------------------------------------------------------------------

@api.get("/api/triage/reviews")
@roles_required("supervisor")
def reviews():
    return jsonify(reviews=hotline().triage_supervision.reviews())


@api.post("/api/triage/reviews/<int:assessment_id>")
@roles_required("supervisor")
def mark_reviewed(assessment_id: int):
    reviewed = hotline().triage_supervision.mark_reviewed(assessment_id, current_user.id)
    if reviewed is None:
        return api_error(404, "评估不存在 / no such assessment")
    return jsonify(reviewed)


@api.post("/api/triage/follow-ups/<int:follow_up_id>/done")
@roles_required("supervisor")
def follow_up_done(follow_up_id: int):
    done = hotline().triage_supervision.follow_up_done(follow_up_id, current_user.id)
    if done is None:
        return api_error(404, "回访任务不存在 / no such follow-up")
    return jsonify(done)
