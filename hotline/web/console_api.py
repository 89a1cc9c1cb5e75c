"""/api/console/*: the counselor's actions as JSON, each a thin call into ConsoleService.

ConsoleService (hotline/usecases/console.py) owns the rules; these views parse the body,
map a state conflict to 409 and a bad body to 400, and answer with the fresh console
state (the ConsoleView use case) so the page never has to guess.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask_login import current_user

from hotline.usecases.console import MAX_EXTEND_S, SWITCHABLE, ConsoleError, ConsoleService
from hotline.web.console_http import BadRequest, api_error, console_required, field, json_body
from hotline.web.console_notes import notes
from hotline.web.console_state import console_state
from hotline.web.context import hotline

log = logging.getLogger(__name__)
api = Blueprint("console_api", __name__, url_prefix="/api/console")
api.register_blueprint(notes)
SID = "<string(maxlength=64):call_sid>"


@api.errorhandler(ConsoleError)
def _conflict(exc: ConsoleError):
    return api_error(409, str(exc))


@api.errorhandler(BadRequest)
def _bad_request(exc: BadRequest):
    return api_error(400, str(exc))


def _console() -> ConsoleService:
    return hotline().console


def _state():
    return jsonify(console_state(current_user))


@api.get("/state")
@console_required
def state():
    return _state()


@api.post("/presence")
@console_required
def presence():
    wanted = field(json_body(), "state", str, SWITCHABLE)
    if wanted == "available" and not current_user.line_ids:
        raise ConsoleError("您还没有分配可接听的线路，请联系管理员 / you have no lines assigned; "
                           "ask an administrator")
    _console().set_presence(current_user.id, wanted, current_user.display_name, current_user.line_ids)
    if wanted in ("break", "offline"):     # people may stop; supervisors hear of a record left open
        hotline().blocked_records.counselor_left(current_user.id, wanted)
    return _state()


@api.post(f"/offers/{SID}/accept")
@console_required
def accept(call_sid: str):
    _console().accept(call_sid, current_user.id)
    log.info("来电已接听 / call %s accepted by counselor %s", call_sid, current_user.id)
    return _state()


@api.post(f"/offers/{SID}/decline")
@console_required
def decline(call_sid: str):
    _console().decline(call_sid, current_user.id)
    return _state()


@api.post(f"/calls/{SID}/hangup")
@console_required
def hangup(call_sid: str):
    _console().end_call(call_sid, current_user.id)
    return _state()


@api.post(f"/calls/{SID}/transfer")
@console_required
def transfer(call_sid: str):
    line_id = field(json_body(), "line", str).strip()
    if not _console().is_line(line_id):
        raise BadRequest(f"字段 line：未知线路 / field 'line': unknown line {line_id[:64]!r}")
    try:
        _console().transfer(call_sid, current_user.id, line_id)
    except ConsoleError:
        raise
    except Exception:   # the telephony redirect failed after the talk was closed
        log.exception("转接失败 / transfer of call %s to %s failed", call_sid, line_id)
        return api_error(502, "转接失败，请告知督导 / the transfer failed; tell your supervisor")
    return _state()


@api.post("/wrap-up/extend")
@console_required
def extend_wrap_up():
    seconds = field(json_body(), "seconds", int)
    if not 1 <= seconds <= MAX_EXTEND_S:
        raise BadRequest(f"字段 seconds 须在 1 到 {MAX_EXTEND_S} 之间 / field 'seconds' must be "
                         f"between 1 and {MAX_EXTEND_S}")
    _console().extend_wrap_up(current_user.id, seconds)
    return _state()


@api.post("/ready")
@console_required
def ready():
    _console().ready(current_user.id)
    return _state()
