"""/api/console/calls/<sid>/notes: a counselor's encrypted notes on a call they handled.

The text is encrypted before it reaches the database and is never logged; only the
call's counselor may add or read notes, and every read (and write, and refusal) is
written to record_access so it can be audited later.
"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask_login import current_user

from hotline.store.privacy import DataKeyError
from hotline.store.notes import add_note, notes_for_call, record_access
from hotline.web.console_http import BadRequest, api_error, console_required, field, json_body, services
from hotline.web.console_state import handles_call

log = logging.getLogger(__name__)
notes = Blueprint("console_notes", __name__)
NOTES = "/calls/<string(maxlength=64):call_sid>/notes"
MAX_NOTE_CHARS = 20_000


def _allowed(call_sid: str) -> bool:
    """The handler check; a refusal is logged and audited (never with any text)."""
    if handles_call(services(), current_user.id, call_sid):
        return True
    log.warning("拒绝访问通话记录 / user %s refused the notes of call %s", current_user.id, call_sid)
    _audit(call_sid, "notes.denied")
    return False


def _audit(call_sid: str, action: str) -> None:
    s = services()
    with s.db.session() as session:
        record_access(session, current_user.id, call_sid, action, s.now())


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
    s = services()
    with s.db.session() as session:
        note = add_note(session, call_sid, current_user.id, s.keyring.encrypt(text), s.now())
        record_access(session, current_user.id, call_sid, "notes.write", note.created_at)
        saved = _note_dict(note, text)
    log.info("已保存通话记录 / note %s saved on call %s by counselor %s", saved["id"], call_sid, current_user.id)
    return jsonify(saved), 201


@notes.get(NOTES)
@console_required
def read(call_sid: str):
    if not _allowed(call_sid):
        return _forbidden()
    s = services()
    with s.db.session() as session:
        record_access(session, current_user.id, call_sid, "notes.read", s.now())
        rows = notes_for_call(session, call_sid)
        return jsonify(call_sid=call_sid, notes=[_note_dict(n, _decrypt(s, n)) for n in rows])


def _decrypt(s, note) -> str | None:
    """The note's text; None (and an error log) if no configured key opens it."""
    try:
        return s.keyring.decrypt(note.body_encrypted)
    except DataKeyError:
        log.error("无法解密通话记录 / note %s cannot be decrypted (key rotated away?)", note.id)
        return None


def _note_dict(note, text: str | None) -> dict:
    return {"id": note.id, "call_sid": note.call_sid, "counselor_id": note.counselor_id,
            "created_at": note.created_at.isoformat(), "text": text}
