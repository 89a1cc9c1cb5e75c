"""In-call actions as JSON: the counselor's (hold, consult, warm transfer, bring in 120/110/119
or an institution) under /api/console/calls/<sid>/…, the supervisor's (listen, coach, join,
leave) under /api/dashboard/calls/<sid>/…. Each parses, calls ConferenceActions, and answers
with the call's conference state; a refused action is 409, a bad body 400, a role or line
the user may not supervise 403.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask_login import current_user

from hotline.usecases.calls.conference_actions import EMERGENCY, MODES, ConferenceError, Supervisor
from hotline.web.auth import roles_required
from hotline.web.console_http import BadRequest, api_error, console_required, field, json_body
from hotline.web.context import hotline

log = logging.getLogger(__name__)
bp = Blueprint("conference_api", __name__)
SID = "<string(maxlength=64):call_sid>"
COUNSELOR = f"/api/console/calls/{SID}"
SUPERVISOR = f"/api/dashboard/calls/{SID}"


@bp.errorhandler(ConferenceError)
def _conflict(exc: ConferenceError):
    return api_error(409, str(exc))


@bp.errorhandler(BadRequest)
def _bad_request(exc: BadRequest):
    return api_error(400, str(exc))


@bp.errorhandler(PermissionError)
def _forbidden(exc: PermissionError):
    return api_error(403, str(exc))


def _actions():
    return hotline().conference_actions


def _state(call_sid: str):
    return jsonify(hotline().calls_conference.state(call_sid))


@bp.get(f"{COUNSELOR}/conference")
@console_required
def counselor_view(call_sid: str):
    return jsonify(hotline().calls_conference.counselor_state(call_sid, current_user.id))


@bp.post(f"{COUNSELOR}/hold")
@console_required
def hold(call_sid: str):
    if field(json_body(), "hold", bool):
        _actions().hold(call_sid, current_user.id)
    else:
        _actions().unhold(call_sid, current_user.id)
    return _state(call_sid)


@bp.post(f"{COUNSELOR}/consult")
@console_required
def consult(call_sid: str):
    body = json_body()
    colleague = field(body, "colleague", int)
    role = body.get("role", "counselor")
    if role not in ("counselor", "supervisor"):
        raise BadRequest("字段 role 应为 counselor 或 supervisor / field 'role' must be counselor or supervisor")
    _actions().consult(call_sid, current_user.id, colleague, role)
    return _state(call_sid)


@bp.post(f"{COUNSELOR}/consult/cancel")
@console_required
def cancel_consult(call_sid: str):
    _actions().cancel_consult(call_sid, current_user.id)
    return _state(call_sid)


@bp.post(f"{COUNSELOR}/transfer/complete")
@console_required
def complete_transfer(call_sid: str):
    colleague = _actions().complete_transfer(call_sid, current_user.id)
    log.info("温暖转接完成 / warm transfer of call %s from %s to %s", call_sid, current_user.id, colleague)
    return _state(call_sid)


@bp.post(f"{COUNSELOR}/bring-in")
@console_required
def bring_in(call_sid: str):
    body = json_body()
    target = field(body, "target", str)
    if target not in EMERGENCY and not target.startswith("ref:"):
        raise BadRequest("字段 target 应为 120、110、119 或 ref:<机构> / field 'target' must be 120, 110, 119 "
                         "or ref:<institution id>")
    private = body.get("private", True)
    if not isinstance(private, bool):
        raise BadRequest("字段 private 应为 true/false / field 'private' must be true or false")
    _actions().bring_in(call_sid, current_user.id, target, private)
    return _state(call_sid)


@bp.get("/api/console/bring-in-targets")
@console_required
def bring_in_targets():
    """What the console's bring-in drop-down offers: 120 / 110 / 119, then the referral
    directory's institutions with a verified number (`ref:<id>`); an institution whose
    number is 120/110/119 itself is already offered as that number."""
    targets = [{"target": number, "label": f"{number} {name}", "kind": "emergency"}
               for number, name in EMERGENCY.items()]
    for inst in hotline().triage_referrals.dialable():
        if inst["phone"] in EMERGENCY:
            continue
        targets.append({"target": f"ref:{inst['id']}", "kind": "institution", "phone": inst["phone"],
                        "label": f"{inst['name']['zh']} / {inst['name']['en']} · {inst['phone']}",
                        "type": inst["type"], "region": inst["region"]})
    return jsonify(targets=targets)


@bp.post(f"{COUNSELOR}/together")
@console_required
def together(call_sid: str):
    _actions().all_together(call_sid, current_user.id)
    return _state(call_sid)


@bp.post(f"{COUNSELOR}/parties/<string(maxlength=64):label>/drop")
@console_required
def drop(call_sid: str, label: str):
    _actions().drop_party(call_sid, current_user.id, label)
    return _state(call_sid)


def _supervisor() -> Supervisor:
    return Supervisor(current_user.id, current_user.role, tuple(current_user.line_ids))


@bp.get("/api/dashboard/calls")
@roles_required("supervisor")
def calls_in_progress():
    return jsonify(calls=hotline().conference_board.calls())


@bp.get(f"{SUPERVISOR}/conference")
@roles_required("supervisor")
def supervisor_view(call_sid: str):
    return _state(call_sid)


@bp.post(f"{SUPERVISOR}/supervise")
@roles_required("supervisor")
def supervise(call_sid: str):
    mode = field(json_body(), "mode", str, MODES)
    _actions().supervise(call_sid, _supervisor(), mode)
    log.info("督导 / supervisor %s %s call %s", current_user.id, mode, call_sid)
    return _state(call_sid)


@bp.post(f"{SUPERVISOR}/supervise/leave")
@roles_required("supervisor")
def leave(call_sid: str):
    _actions().stop_supervising(call_sid, _supervisor())
    return _state(call_sid)
