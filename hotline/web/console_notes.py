"""/api/console/calls/<sid>/notes: a counselor's encrypted notes on a call they handled.

The text is encrypted before it reaches the database and is never logged; only the
call's counselor may add or read notes, and every read (and write, and refusal) is
written to record_access so it can be audited later (hotline/usecases/triage/notes.py).
"""
from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user

from hotline.web.console_http import BadRequest, api_error, console_required, field, json_body
from hotline.web.context import hotline

notes = Blueprint("console_notes", __name__)
NOTES = "/calls/<string(maxlength=64):call_sid>/notes"
MAX_NOTE_CHARS = 20_000


def _allowed(call_sid: str) -> bool:
    """The console's handler check; a refusal is logged and audited (never with any text)."""
    if hotline().console_view.handles_call(current_user.id, call_sid):
        return True
    hotline().call_notes.refused(current_user.id, call_sid)
    return False


def _forbidden():
    return api_error(403, "只有接听这通电话的咨询师可以查看或添加记录 / only the counselor who handled "
                          "this call may read or add its notes")


@notes.post(NOTES)
@console_required
def add(call_sid: str):
    text = field(json_body(), "text", str).strip()
    if not text or len(text) > MAX_NOTE_CHARS:
        raise BadRequest(f"字段 text 须为 1 到 {MAX_NOTE_CHARS} 个字符 / field 'text' must have "
                         f"1 to {MAX_NOTE_CHARS} characters")
    if not _allowed(call_sid):
        return _forbidden()
    return jsonify(hotline().call_notes.add(current_user.id, call_sid, text)), 201


@notes.get(NOTES)
@console_required
def read(call_sid: str):
    if not _allowed(call_sid):
        return _forbidden()
    return jsonify(call_sid=call_sid, notes=hotline().call_notes.read(current_user.id, call_sid))
