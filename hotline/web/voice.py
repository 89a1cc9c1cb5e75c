"""/voice/*: Twilio's webhooks. Signature-checked; never answers a caller with an error.

Every request is validated with the twilio library's RequestValidator against
HOTLINE_PUBLIC_URL + path (+ query). Each view parses the request, calls one use case
of hotline/usecases/calls/ and renders its answer as TwiML. Any exception inside is
logged (with the call id, never the number) and answered with the fail-safe transfer.

Redis and database failures go through a circuit breaker (web/breaker.py, one per app, so
one per process): it opens only after BREAKER_FAIL_MAX failures in a row, answers with the
fail-safe at once while open, and after BREAKER_RESET_S lets one request through as a
probe (half-open) before it closes. A single hiccup therefore costs a waiting caller
nothing: their wait round answers "hold on" and Twilio asks again. A caller the fail-safe
sends on is taken out of our queue at the first chance (FailSafeLog).
"""
from __future__ import annotations

import functools
import logging
import time
from typing import Callable, Mapping

from flask import Blueprint, Response, abort, current_app, request
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import RequestEntityTooLarge

from hotline.bootstrap.calls import DEPENDENCY_ERRORS
from hotline.ports import HoldOn, VoiceAnswer
from hotline.telephony import twiml
from hotline.telephony.answers import render
from hotline.telephony.failsafe import transferred_to
from hotline.telephony.inbound import inbound, normalise, seconds
from hotline.telephony.signature import is_signed, signed_url
from hotline.web.breaker import CLOSED, BreakerOpen, DependencyBreaker
from hotline.web.context import hotline

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__, url_prefix="/voice")
BREAKER_FAIL_MAX = 5      # dependency failures in a row before the breaker opens
BREAKER_RESET_S = 5.0     # open this long, then one probe request (half-open)
_BREAKER = "hotline.voice.breaker"
IN_QUEUE_PATHS = ("/voice/wait", "/voice/wait-key")   # inside <Enqueue>: a wait URL may not <Dial>


def _a_dependency(exc: BaseException) -> bool:
    """Only Redis and database failures count towards opening the breaker."""
    return isinstance(exc, DEPENDENCY_ERRORS)


def new_breaker(clock: Callable[[], float] = time.monotonic) -> DependencyBreaker:
    """The webhooks' breaker (a model-based test gives it a clock that moves per request)."""
    return DependencyBreaker(BREAKER_FAIL_MAX, BREAKER_RESET_S, counts=_a_dependency, clock=clock)


def _breaker() -> DependencyBreaker:
    """One per app (so one per process, and none shared between tests)."""
    breaker = current_app.extensions.get(_BREAKER)
    if breaker is None:   # setdefault: two first requests at once still share one breaker
        breaker = current_app.extensions.setdefault(_BREAKER, new_breaker())
    return breaker


@bp.before_request
def check_signature():
    settings = hotline().settings
    url = signed_url(settings.public_url, request.path, request.query_string.decode("utf-8", "replace"))
    signature = request.headers.get("X-Twilio-Signature", "")
    if not is_signed(settings.twilio_auth_token, url, request.form, signature):   # repeated params too
        log.warning("签名无效，已拒绝 / rejected /voice request with a missing or bad signature: %s", request.path)
        abort(403)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc):
    """A body over MAX_CONTENT_LENGTH cannot be read (nor its signature checked): the caller,
    if there is one, still gets a valid route (the fail-safe), never an HTML 413."""
    log.warning("语音请求过大，启用故障转接 / oversized /voice request on %s; fail-safe used", request.path)
    if request.path in IN_QUEUE_PATHS:
        return _twiml(twiml.leave_queue())
    return _twiml(render(hotline().calls_failsafe.answer("", _line() or None)))


def _twiml(response) -> Response:
    return Response(twiml.to_xml(response), mimetype="application/xml")


def _no_line() -> None:
    return None


def webhook(failsafe_line: Callable[[], str | None] = _no_line, in_queue: bool = False):
    """A view's use case, guarded: on failure answer with the fail-safe, routed away from
    failsafe_line (inside a queue: leave it first, since a wait URL may not <Dial>; the
    queue result then transfers — unless the breaker is still closed: then the caller
    holds on and the next wait round tries again)."""

    def decorate(view: Callable[[Mapping[str, str]], VoiceAnswer]):
        @functools.wraps(view)
        def guarded() -> Response:
            form = request.form
            breaker = _breaker()
            try:
                return _twiml(render(breaker.call(_with_released_exits, view, form)))
            except BreakerOpen:
                log.warning("依赖故障，直接启用故障转接 / breaker open: fail-safe for call %s", form.get("CallSid", "?"))
                return _twiml(_fallback(form, failsafe_line(), in_queue))
            except Exception as exc:
                log.exception("语音处理失败 / voice handler failed for call %s", form.get("CallSid", "?"))
                if in_queue and isinstance(exc, DEPENDENCY_ERRORS) and breaker.current_state == CLOSED:
                    return _twiml(render(HoldOn(2)))   # a hiccup: keep the caller's place, ask again
                return _twiml(_fallback(form, failsafe_line(), in_queue))

        return guarded

    return decorate


def _with_released_exits(view: Callable[[Mapping[str, str]], VoiceAnswer], form: Mapping[str, str]) -> VoiceAnswer:
    """Before the view: take out of our queues the callers the fail-safe sent on while Redis
    was away (cheap when there are none; never in the way of this caller)."""
    failsafe_log = hotline().calls_failsafe_log
    if failsafe_log.pending:
        failsafe_log.release_pending()
    return view(form)


def _fallback(form: Mapping[str, str], line_id: str | None, in_queue: bool) -> VoiceResponse:
    if in_queue:
        _sent_on(form)      # leaving Twilio's queue for the fail-safe: never to be offered
        return twiml.leave_queue()
    return _failsafe(form, line_id)


def _sent_on(form: Mapping[str, str]) -> None:
    sid = (form.get("CallSid") or "").strip()
    if sid:
        try:
            hotline().calls_failsafe_log.sent_on(sid[:64])
        except Exception:
            log.exception("故障转接登记失败 / could not note the fail-safe exit of call %s", sid[:64])


def _failsafe(form: Mapping[str, str], line_id: str | None) -> VoiceResponse:
    response = render(hotline().calls_failsafe.answer(normalise(form.get("To")), line_id))
    _record_failsafe(form, response)
    return response


def _record_failsafe(form: Mapping[str, str], response: VoiceResponse) -> None:
    """Keep the record even when the live state is gone (the writer needs only the DB)."""
    try:
        hotline().calls_failsafe_log.record(inbound(form), request.path, transferred_to(response))
    except Exception:
        log.exception("故障转接记录失败 / could not record the fail-safe answer for call %s",
                      form.get("CallSid", "?"))


def _line() -> str:
    return (request.args.get("line") or "").strip()[:64]


def _counselor() -> str:
    return (request.args.get("counselor") or "").strip()


@bp.post("/incoming")
@webhook()
def incoming(form):
    call = inbound(form)
    return hotline().calls_routing.incoming(call)


@bp.post("/menu")
@webhook(failsafe_line=_line)
def menu(form):
    call = inbound(form)
    return hotline().calls_routing.menu(_line(), call, form.get("Digits"))


@bp.post("/wait")
@webhook(in_queue=True)
def wait(form):
    call = inbound(form)
    return hotline().calls_waiting.wait(_line(), call, form.get("QueueSid"), seconds(form.get("QueueTime")))


@bp.post("/wait-key")
@webhook(in_queue=True)
def wait_key(form):
    call = inbound(form)
    return hotline().calls_waiting.wait_key(_line(), call, form.get("Digits"))


@bp.post("/queue-result")
@webhook(failsafe_line=_line)
def queue_result(form):
    call = inbound(form)
    return hotline().calls_waiting.queue_result(_line(), call, form.get("QueueResult") or "",
                                                seconds(form.get("QueueTime")))


@bp.post("/dial-result")
@webhook(failsafe_line=_line)
def dial_result(form):
    call = inbound(form)
    return hotline().calls_transfers.dial_result(_line(), call, form.get("DialCallStatus"))


@bp.post("/voicemail")
@webhook(failsafe_line=_line)
def voicemail(form):
    call = inbound(form)
    return hotline().calls_voicemail.recorded(_line(), call, form.get("RecordingUrl", ""),
                                              form.get("RecordingDuration", ""))


@bp.post("/transfer")
@webhook(failsafe_line=_line)
def transfer(form):
    call = inbound(form)
    return hotline().calls_transfers.transfer(_line(), call)


@bp.post("/bridge")
@webhook(failsafe_line=_counselor)   # the counselor id as the line to avoid, as it always was
def bridge(form):
    call = inbound(form)
    return hotline().calls_bridge.bridge(_counselor(), call)


@bp.post("/bridge-result")
@webhook()
def bridge_result(form):
    call = inbound(form)
    return hotline().calls_bridge.bridge_result(call, form.get("DialCallStatus"))


@bp.post("/status")
def status():
    """Status callbacks are not routes: a failure is logged and answered with an empty response."""
    try:
        call = inbound(request.form)
        return _twiml(render(hotline().calls_status.status(call, request.form.get("CallDuration", ""))))
    except Exception:
        log.exception("状态回调处理失败 / status callback failed for call %s", request.form.get("CallSid", "?"))
        return _twiml("<Response/>")
