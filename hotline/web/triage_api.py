"""Triage JSON API for the console: the form, the live level, the call's assessment.

POST /api/triage/assess runs hotline.triage.risk.assess — the function behind `hotline
triage assess` — and stores nothing. POST /api/calls/<sid>/assessment runs the same
function, stores the answers encrypted and sets off what the level requires; the
console posts there as the counselor answers, so an alert never waits for a button.
Answers are never logged, not even on errors (messages name items, never text).
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify, request
from flask_login import current_user

from hotline.ports import DataKeyError
from hotline.triage.forms import FormError
from hotline.triage.risk import AnswerError, LEVELS, OverrideError
from hotline.usecases.triage.errors import TriageError
from hotline.web.auth import login_required
from hotline.web.console_http import BadRequest, api_error, console_required, json_body
from hotline.web.context import hotline

log = logging.getLogger(__name__)
api = Blueprint("triage_api", __name__)
SID = "<string(maxlength=64):call_sid>"
MAX_TEXT = 20_000


@api.errorhandler(BadRequest)
@api.errorhandler(TriageError)
@api.errorhandler(OverrideError)
@api.errorhandler(FormError)
@api.errorhandler(AnswerError)
def _bad(exc):
    """Messages name items and option values, never free text (forms.py makes sure)."""
    return api_error(400, str(exc))


def _form_args(body: dict) -> tuple[str, int | None]:
    form_id = body.get("form", body.get("form_id", "default"))
    version = body.get("version", body.get("form_version"))
    if not isinstance(form_id, str) or (version is not None and (not isinstance(version, int)
                                                                 or isinstance(version, bool))):
        raise BadRequest("字段 form/version 类型错误 / fields form (text) and version (integer) have wrong types")
    return form_id, version


def _answers(body: dict) -> dict:
    answers = body.get("answers")
    if not isinstance(answers, dict):
        raise BadRequest("字段 answers 须为 JSON 对象 / field 'answers' must be a JSON object")
    if len(request.get_data()) > 200_000:
        raise BadRequest("答案过长 / answers too long")
    return answers


def _override(body: dict) -> dict | None:
    raw = body.get("override")
    if raw in (None, {}):
        return None
    if not isinstance(raw, dict) or raw.get("level") not in (None, *LEVELS):
        raise BadRequest(f"字段 override.level 须为 {', '.join(LEVELS)} 之一 / field override.level must be "
                         f"one of {', '.join(LEVELS)}")
    reason = raw.get("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason) > MAX_TEXT):
        raise BadRequest("字段 override.reason 须为文字 / field override.reason must be text")
    return {"level": raw.get("level"), "reason": reason}


@api.get("/api/triage/forms/<string(maxlength=64):form_id>")
@login_required
def form(form_id: str):
    version = request.args.get("version", type=int)
    return jsonify(hotline().triage_config.form_json(form_id, version))


@api.post("/api/triage/assess")
@login_required
def assess():
    """The CLI's contract ({level, reasons, actions}) plus not_asked and warnings."""
    body = json_body()
    form_id, version = _form_args(body)
    result = hotline().triage_assessments.evaluate(_answers(body), form_id, version, _override(body),
                                                   current_user.id)
    return jsonify(**result.summary(), not_asked=list(result.not_asked), warnings=list(result.warnings),
                   rule_level=result.rule_level, needs_review=result.needs_review,
                   form={"id": result.form_id, "version": result.form_version})


def _may_touch(call_sid: str, write: bool) -> bool:
    if hotline().console_view.handles_call(current_user.id, call_sid):
        return True
    if not write and current_user.has_role("supervisor"):
        return True
    log.warning("拒绝访问分诊记录 / user %s refused the triage of call %s", current_user.id, call_sid)
    return False


def _forbidden():
    return api_error(403, "只有接听这通电话的咨询师可以填写分诊 / only the counselor handling this call "
                          "may see or fill in its triage")


@api.get(f"/api/calls/{SID}/assessment")
@login_required
def read_assessment(call_sid: str):
    if not _may_touch(call_sid, write=False):
        return _forbidden()
    try:
        return jsonify(hotline().triage_panel.view(call_sid))
    except DataKeyError:
        log.error("无法解密分诊记录 / the triage of call %s cannot be decrypted", call_sid)
        return api_error(500, "无法解密 / cannot decrypt (key rotated away?)")


@api.post(f"/api/calls/{SID}/assessment")
@console_required
def save_assessment(call_sid: str):
    body = json_body()
    form_id, version = _form_args(body)
    answers, override = _answers(body), _override(body)
    if not _may_touch(call_sid, write=True):
        return _forbidden()
    result, _record = hotline().triage_assessments.save(current_user.id, call_sid, answers, form_id, version,
                                                        override)
    return jsonify(**result.summary(), rule_level=result.rule_level, needs_review=result.needs_review,
                   not_asked=list(result.not_asked), warnings=list(result.warnings),
                   **hotline().triage_panel.view(call_sid))
