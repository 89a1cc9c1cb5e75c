"""/voice/*: Twilio's webhooks. Signature-checked; never answers a caller with an error.

Served beside Flask, not through it (issue #18): `init_app` puts `VoiceWebhooks` in front of
the app's WSGI callable, and a POST to one of ROUTES is read from the environ
(web/voice_request.py), answered and timed there; every other request goes on to Flask.
A webhook needs none of what Flask adds per request (session, CSRF, templates, the CSP),
and skipping it is a third of the webhook's CPU. The conference webhooks
(web/voice_conference.py) stay a blueprint and share the signature check.

Every request is validated with the twilio library's RequestValidator against
HOTLINE_PUBLIC_URL + path (+ query). Each view parses the request, calls one use case
of hotline/usecases/calls/ and its answer is rendered as TwiML. Any exception inside is
logged (with the call id, never the number) and answered with the fail-safe transfer.

Redis and database failures go through a circuit breaker (web/breaker.py, one per app, so
one per process): it opens only after BREAKER_FAIL_MAX failures in a row, answers with the
fail-safe at once while open, and after BREAKER_RESET_S lets one request through as a
probe (half-open) before it closes. A single hiccup therefore costs a waiting caller
nothing: their wait round answers "hold on" and Twilio asks again. A caller the fail-safe
sends on is taken out of our queue at the first chance (FailSafeLog).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable

from flask import Flask, abort, current_app, request
from twilio.twiml.voice_response import VoiceResponse

from hotline.bootstrap import Hotline
from hotline.bootstrap.calls import DEPENDENCY_ERRORS
from hotline.logging_setup import serving_call
from hotline.ports import HoldOn, VoiceAnswer
from hotline.telephony import twiml
from hotline.telephony.answers import document, render
from hotline.telephony.failsafe import transferred_to
from hotline.telephony.inbound import inbound, normalise, seconds
from hotline.telephony.signature import is_signed, signed_url
from hotline.web import metrics
from hotline.web.breaker import CLOSED, BreakerOpen, DependencyBreaker
from hotline.web.voice_request import TooLarge, VoiceRequest, args_of, path_of, read

log = logging.getLogger(__name__)
BREAKER_FAIL_MAX = 5      # dependency failures in a row before the breaker opens
BREAKER_RESET_S = 5.0     # open this long, then one probe request (half-open)
_BREAKER = "hotline.voice.breaker"
XML = [("Content-Type", "application/xml; charset=utf-8"), ("X-Content-Type-Options", "nosniff")]
View = Callable[[Hotline, VoiceRequest], VoiceAnswer]


def _a_dependency(exc: BaseException) -> bool:
    """Only Redis and database failures count towards opening the breaker."""
    return isinstance(exc, DEPENDENCY_ERRORS)


def new_breaker(clock: Callable[[], float] = time.monotonic) -> DependencyBreaker:
    """The webhooks' breaker (a model-based test gives it a clock that moves per request)."""
    return DependencyBreaker(BREAKER_FAIL_MAX, BREAKER_RESET_S, counts=_a_dependency, clock=clock)


def _breaker(app: Flask) -> DependencyBreaker:
    """One per app (so one per process, and none shared between tests)."""
    breaker = app.extensions.get(_BREAKER)
    if breaker is None:   # setdefault: two first requests at once still share one breaker
        breaker = app.extensions.setdefault(_BREAKER, new_breaker())
    return breaker


def signed_by_twilio(hotline: Hotline, path: str, query: str, form, signature: str) -> bool:
    settings = hotline.settings
    if is_signed(settings.twilio_auth_token, signed_url(settings.public_url, path, query), form, signature):
        return True   # repeated params too: form is a multi-dict
    log.warning("签名无效，已拒绝 / rejected /voice request with a missing or bad signature: %s", path)
    return False


def check_signature():
    """The same check for the /voice/ webhooks that remain Flask views (voice_conference)."""
    if not signed_by_twilio(current_app.extensions["hotline"], request.path,
                            request.query_string.decode("utf-8", "replace"), request.form,
                            request.headers.get("X-Twilio-Signature", "")):
        abort(403)


# --- the views: a request in, one use case's answer out -----------------------------------
def incoming(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_routing.incoming(inbound(req.form))


def menu(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_routing.menu(req.arg("line"), inbound(req.form), req.form.get("Digits"))


def wait(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_waiting.wait(req.arg("line"), inbound(req.form), req.form.get("QueueSid"),
                                      seconds(req.form.get("QueueTime")))


def wait_key(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_waiting.wait_key(req.arg("line"), inbound(req.form), req.form.get("Digits"))


def queue_result(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_waiting.queue_result(req.arg("line"), inbound(req.form), req.form.get("QueueResult") or "",
                                              seconds(req.form.get("QueueTime")))


def dial_result(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_transfers.dial_result(req.arg("line"), inbound(req.form), req.form.get("DialCallStatus"))


def voicemail(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_voicemail.recorded(req.arg("line"), inbound(req.form), req.form.get("RecordingUrl", ""),
                                            req.form.get("RecordingDuration", ""))


def transfer(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_transfers.transfer(req.arg("line"), inbound(req.form))


def bridge(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_bridge.bridge((req.args.get("counselor") or "").strip(), inbound(req.form))


def bridge_result(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_bridge.bridge_result(inbound(req.form), req.form.get("DialCallStatus"))


def status(hotline: Hotline, req: VoiceRequest) -> VoiceAnswer:
    return hotline.calls_status.status(inbound(req.form), req.form.get("CallDuration", ""))


@dataclass(frozen=True)
class Route:
    """A webhook: its view, the line its fail-safe avoids (a query parameter), and whether the
    caller is inside <Enqueue> (a wait URL may not <Dial>: the fail-safe leaves the queue first)."""

    view: View
    avoid: str | None = None
    in_queue: bool = False
    guarded: bool = True      # False: a status callback, never a route: a failure is an empty answer


ROUTES: dict[str, Route] = {
    "/voice/incoming": Route(incoming),
    "/voice/menu": Route(menu, avoid="line"),
    "/voice/wait": Route(wait, in_queue=True),
    "/voice/wait-key": Route(wait_key, in_queue=True),
    "/voice/queue-result": Route(queue_result, avoid="line"),
    "/voice/dial-result": Route(dial_result, avoid="line"),
    "/voice/voicemail": Route(voicemail, avoid="line"),
    "/voice/transfer": Route(transfer, avoid="line"),
    "/voice/bridge": Route(bridge, avoid="counselor"),   # the counselor id as the line to avoid, as it always was
    "/voice/bridge-result": Route(bridge_result),
    "/voice/status": Route(status, guarded=False),
}


# --- answering ----------------------------------------------------------------------------
def answer(app: Flask, route: Route, req: VoiceRequest) -> tuple[str, bytes]:
    """The status line and TwiML for a request whose body could be read."""
    hotline = app.extensions["hotline"]
    if not signed_by_twilio(hotline, req.path, req.query, req.form, req.signature):
        return "403 FORBIDDEN", b"403 Forbidden: bad or missing X-Twilio-Signature\n"
    with hotline.adapters.request_batch():
        xml = _guarded(app, hotline, route, req) if route.guarded else _status(hotline, route, req)
    return "200 OK", xml.encode("utf-8")


def _status(hotline: Hotline, route: Route, req: VoiceRequest) -> str:
    """Status callbacks are not routes: a failure is logged and answered with an empty response."""
    try:
        return document(route.view(hotline, req))
    except Exception:
        log.exception("状态回调处理失败 / status callback failed for call %s", req.form.get("CallSid", "?"))
        return "<Response/>"


def _guarded(app: Flask, hotline: Hotline, route: Route, req: VoiceRequest) -> str:
    """The view's answer; on failure the fail-safe, routed away from the route's line (inside a
    queue: leave it first; the queue result then transfers — unless the breaker is still
    closed: then the caller holds on and the next wait round tries again)."""
    form, breaker = req.form, _breaker(app)
    try:
        return document(breaker.call(_with_released_exits, hotline, route.view, req))
    except BreakerOpen:
        log.warning("依赖故障，直接启用故障转接 / breaker open: fail-safe for call %s", form.get("CallSid", "?"))
        return twiml.to_xml(_fallback(hotline, route, req))
    except Exception as exc:
        log.exception("语音处理失败 / voice handler failed for call %s", form.get("CallSid", "?"))
        if route.in_queue and isinstance(exc, DEPENDENCY_ERRORS) and breaker.current_state == CLOSED:
            return document(HoldOn(2))   # a hiccup: keep the caller's place, ask again
        return twiml.to_xml(_fallback(hotline, route, req))


def _with_released_exits(hotline: Hotline, view: View, req: VoiceRequest) -> VoiceAnswer:
    """Before the view: take out of our queues the callers the fail-safe sent on while Redis
    was away (cheap when there are none; never in the way of this caller)."""
    failsafe_log = hotline.calls_failsafe_log
    if failsafe_log.pending:
        failsafe_log.release_pending()
    return view(hotline, req)


def _avoided(route: Route, args) -> str | None:
    if route.avoid is None:
        return None
    return (args.get(route.avoid) or "").strip()[:64] or None


def _fallback(hotline: Hotline, route: Route, req: VoiceRequest) -> VoiceResponse:
    if route.in_queue:
        _sent_on(hotline, req.form)      # leaving Twilio's queue for the fail-safe: never to be offered
        return twiml.leave_queue()
    response = render(hotline.calls_failsafe.answer(normalise(req.form.get("To")), _avoided(route, req.args)))
    _record_failsafe(hotline, req, response)
    return response


def _sent_on(hotline: Hotline, form) -> None:
    sid = (form.get("CallSid") or "").strip()
    if sid:
        try:
            hotline.calls_failsafe_log.sent_on(sid[:64])
        except Exception:
            log.exception("故障转接登记失败 / could not note the fail-safe exit of call %s", sid[:64])


def _record_failsafe(hotline: Hotline, req: VoiceRequest, response: VoiceResponse) -> None:
    """Keep the record even when the live state is gone (the writer needs only the DB)."""
    try:
        hotline.calls_failsafe_log.record(inbound(req.form), req.path, transferred_to(response))
    except Exception:
        log.exception("故障转接记录失败 / could not record the fail-safe answer for call %s",
                      req.form.get("CallSid", "?"))


def unreadable(app: Flask, route: Route, environ: dict) -> bytes:
    """A body over MAX_CONTENT_LENGTH (or one that broke off) cannot be read, nor its signature
    checked: the caller, if there is one, still gets a valid route (the fail-safe), never an
    HTML 413."""
    log.warning("语音请求无法读取，启用故障转接 / unreadable /voice request on %s; fail-safe used", path_of(environ))
    if route.in_queue:
        return twiml.to_xml(twiml.leave_queue()).encode("utf-8")
    if not route.guarded:
        return twiml.to_xml("<Response/>").encode("utf-8")
    hotline = app.extensions["hotline"]
    return twiml.to_xml(render(hotline.calls_failsafe.answer("", _avoided(route, args_of(environ))))).encode("utf-8")


# --- mounting -----------------------------------------------------------------------------
class VoiceWebhooks:
    """WSGI: POST to a route of ROUTES is answered here, anything else goes to `inner` (Flask)."""

    def __init__(self, app: Flask, inner) -> None:
        self.app = app
        self.inner = inner

    def __call__(self, environ: dict, start_response):
        path = path_of(environ)
        route = ROUTES.get(path)
        if route is None:
            return self.inner(environ, start_response)
        if environ.get("REQUEST_METHOD") != "POST":
            start_response("405 METHOD NOT ALLOWED", [("Allow", "POST"), ("Content-Type", "text/plain")])
            return [b"405 Method Not Allowed: Twilio posts its webhooks\n"]
        started = time.perf_counter()
        with self.app.app_context():   # the adapters' code may ask for current_app (Socket.IO, logging)
            status_line, body = self._answer(route, environ)
        start_response(status_line, [*XML, ("Content-Length", str(len(body)))] if status_line[0] == "2"
                       else [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        metrics.observe_voice(self.app, path, status_line[:3], time.perf_counter() - started)
        return [body]

    def _answer(self, route: Route, environ: dict) -> tuple[str, bytes]:
        try:
            req = read(environ, self.app.config["MAX_CONTENT_LENGTH"])
        except (TooLarge, OSError, ValueError):
            return "200 OK", unreadable(self.app, route, environ)
        with serving_call(req.form.get("CallSid")):
            return answer(self.app, route, req)


def init_app(app: Flask) -> None:
    """Mount the webhooks in front of the app (after Flask-SocketIO wraps it, before ProxyFix:
    the signature covers HOTLINE_PUBLIC_URL, never a forwarded host)."""
    app.wsgi_app = VoiceWebhooks(app, app.wsgi_app)
