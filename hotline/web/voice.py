"""/voice/*: Twilio's webhooks. Signature-checked; never answers a caller with an error.

Every request is validated with the twilio library's RequestValidator against
HOTLINE_PUBLIC_URL + path (+ query). Any exception inside our code is logged (with
the call id, never the number) and answered with the fail-safe transfer.
"""
from __future__ import annotations

import logging
import time

import redis
from flask import Blueprint, Response, abort, current_app, request
from sqlalchemy.exc import OperationalError
from twilio.request_validator import RequestValidator

from hotline.telephony import twiml
from hotline.telephony.failsafe import failsafe_response
from hotline.telephony.inbound import normalise
from hotline.usecases.calls.flow import BridgeFlow

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__, url_prefix="/voice")
BREAKER_S = 5.0   # after a dependency failure, go straight to the fail-safe for this long


def _services():
    return current_app.extensions["hotline"]


@bp.before_request
def check_signature():
    settings = _services().settings
    query = request.query_string.decode("utf-8", "replace")
    signed_url = settings.public_url + request.path + (f"?{query}" if query else "")
    validator = RequestValidator(settings.twilio_auth_token)
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not validator.validate(signed_url, request.form.to_dict(flat=True), signature):
        log.warning("签名无效，已拒绝 / rejected /voice request with a missing or bad signature: %s", request.path)
        abort(403)


def _twiml(response) -> Response:
    return Response(str(response), mimetype="application/xml")


DEPENDENCY_ERRORS = (redis.RedisError, OperationalError, OSError)


def _handle(action, *args, in_queue: bool = False) -> Response:
    """Run a handler; on failure answer with the fail-safe (inside a queue: leave it first,
    since a wait URL may not <Dial>; the queue result then transfers)."""
    services = _services()
    form = request.form
    fallback = (lambda: twiml.leave_queue()) if in_queue else (lambda: _failsafe(form, *args[:1]))
    if time.monotonic() < getattr(services, "breaker_until", 0.0):
        return _twiml(fallback())
    try:
        return _twiml(action(BridgeFlow(services), *args, form))
    except Exception as exc:
        if isinstance(exc, DEPENDENCY_ERRORS):
            services.breaker_until = time.monotonic() + BREAKER_S
        log.exception("语音处理失败，启用故障转接 / voice handler failed for call %s; fail-safe used",
                      form.get("CallSid", "?"))
        return _twiml(fallback())


def _failsafe(form, line_id=None):
    services = _services()
    response = failsafe_response(services.directory, normalise(form.get("To")), services.now(),
                                 line_id if isinstance(line_id, str) else None)
    _record_failsafe(services, form, response)
    return response


def _record_failsafe(services, form, response) -> None:
    """Keep the record even when the live state is gone (the writer needs only the DB)."""
    try:
        from hotline.ports import RecordOp
        from hotline.telephony.inbound import inbound

        call = inbound(form)
        key = services.keyring.caller_key(call.caller) if call.caller else "anonymous"
        number = response.to_xml().split("<Number", 1)[-1].split(">", 1)[-1].split("<", 1)[0] \
            if "<Number" in response.to_xml() else None
        services.records.submit(RecordOp(call.call_sid, "failsafe", f"failsafe:{request.path}", services.now(),
                                         call.dialled, key, {"status": "transferred" if number else "info_only",
                                                             "outcome": "failsafe"},
                                         {"path": request.path, "to": number}))
    except Exception:
        log.exception("故障转接记录失败 / could not record the fail-safe answer for call %s",
                      form.get("CallSid", "?"))


def _line() -> str:
    return (request.args.get("line") or "").strip()[:64]


@bp.post("/incoming")
def incoming():
    return _handle(lambda flow, form: flow.incoming(form))


@bp.post("/menu")
def menu():
    return _handle(lambda flow, line, form: flow.menu(line, form), _line())


@bp.post("/wait")
def wait():
    return _handle(lambda flow, line, form: flow.wait(line, form), _line(), in_queue=True)


@bp.post("/wait-key")
def wait_key():
    return _handle(lambda flow, line, form: flow.wait_key(line, form), _line(), in_queue=True)


@bp.post("/queue-result")
def queue_result():
    return _handle(lambda flow, line, form: flow.queue_result(line, form), _line())


@bp.post("/dial-result")
def dial_result():
    return _handle(lambda flow, line, form: flow.dial_result(line, form), _line())


@bp.post("/voicemail")
def voicemail():
    return _handle(lambda flow, line, form: flow.voicemail(line, form), _line())


@bp.post("/transfer")
def transfer():
    return _handle(lambda flow, line, form: flow.transfer(line, form), _line())


@bp.post("/bridge")
def bridge():
    counselor = (request.args.get("counselor") or "").strip()
    return _handle(lambda flow, counselor_id, form: flow.bridge(counselor_id, form), counselor)


@bp.post("/bridge-result")
def bridge_result():
    return _handle(lambda flow, form: flow.bridge_result(form))


@bp.post("/status")
def status():
    try:
        return _twiml(BridgeFlow(_services()).status(request.form))
    except Exception:
        log.exception("状态回调处理失败 / status callback failed for call %s", request.form.get("CallSid", "?"))
        return _twiml("<Response/>")
