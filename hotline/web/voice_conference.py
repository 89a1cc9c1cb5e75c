"""/voice/conference-*: Twilio's conference webhooks, signature-checked like every /voice/* request.

`conference-status` is the conference's status callback (start, end, join, leave, hold,
mute): never a route, so a failure is logged and answered with an empty response, and a
form we cannot read is a 400 that names the field. `conference-party` is the call status
callback of a party we dialled in (its outcome: answered, no-answer, busy, failed).
`conference-hold` is what a held or waiting caller hears: always valid TwiML.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, request

from hotline.telephony.conference import CallbackError, conference_event, hold_audio
from hotline.telephony.twiml import to_xml
from hotline.web.context import hotline
from hotline.web.voice import check_signature

log = logging.getLogger(__name__)
bp = Blueprint("voice_conference", __name__, url_prefix="/voice")
bp.before_request(check_signature)
EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"


def _xml(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="application/xml")


@bp.post("/conference-status")
def conference_status():
    try:
        event = conference_event(request.form)
    except CallbackError as exc:
        log.warning("会议回调无法解析 / conference callback rejected: %s", exc)
        return Response(str(exc), status=400, mimetype="text/plain")
    try:
        hotline().calls_conference.callback(event)
    except Exception:
        log.exception("会议回调处理失败 / conference callback failed for call %s (%s #%s)",
                      event.call_sid, event.event, event.sequence)
    return _xml(EMPTY)


@bp.post("/conference-party")
def conference_party():
    call_sid = (request.args.get("call") or "").strip()[:64]
    label = (request.args.get("label") or "").strip()[:64]
    status = request.form.get("CallStatus", "")
    if not call_sid or not label:
        return Response("call 与 label 参数必填 / the call and label parameters are required", status=400,
                        mimetype="text/plain")
    try:
        hotline().conference_actions.party_status(call_sid, label, status)
    except Exception:
        log.exception("第三方状态处理失败 / party status failed for call %s (%s)", call_sid, label)
    return _xml(EMPTY)


@bp.route("/conference-hold", methods=["GET", "POST"])
def conference_hold():
    return _xml(to_xml(hold_audio()))
