"""The call use cases' answers (hotline.ports.VoiceAnswer) rendered as TwiML.

A routing decision's document is the same for every call it routes the same way (the line,
its greeting, its queue or number, its notice: nothing of the caller), so `document` renders it
once per process and hands out the text after that (issue #18: building and serialising the
TwiML tree was a tenth of a new call's CPU). One whose notice says when a closed line opens
depends on the clock: it is rendered each time.
"""
from __future__ import annotations

import threading

from twilio.twiml.voice_response import VoiceResponse

from hotline.ports import (Continue, FailSafeAnswer, HangUp, HoldOn, JoinConference, LeaveQueue, RecordVoicemail,
                           RingCounselor, RouteAnswer, VoiceAnswer, WaitRound)
from hotline.routing.directory import Directory
from hotline.telephony import prompts, twiml
from hotline.telephony.conference import join_conference
from hotline.telephony.failsafe import failsafe_response


def render(answer: VoiceAnswer) -> VoiceResponse:
    if isinstance(answer, RouteAnswer):
        return twiml.render(answer.decision, answer.directory, answer.at,
                            prompts.spoken(answer.opening, answer.line_name))
    if isinstance(answer, WaitRound):
        text = prompts.queue_position(answer.position, answer.expected_wait_s)
        return twiml.wait_loop(text, answer.line_id, breathing=answer.breathing, pause_s=answer.pause_s)
    if isinstance(answer, HoldOn):
        return twiml.pause(answer.seconds)
    if isinstance(answer, LeaveQueue):
        return twiml.leave_queue()
    if isinstance(answer, RecordVoicemail):
        response = VoiceResponse()
        twiml.voicemail(response, answer.line_id)
        return response
    if isinstance(answer, HangUp):
        return twiml.hangup(prompts.spoken(answer.prompt))
    if isinstance(answer, RingCounselor):
        return twiml.bridge_to_counselor(f"counselor-{answer.counselor_id}", answer.call_sid)
    if isinstance(answer, JoinConference):
        return join_conference(answer.call_sid, answer.label)
    if isinstance(answer, FailSafeAnswer):
        return failsafe_response(answer.directory, answer.dialled, answer.at, answer.line_id)
    if isinstance(answer, Continue):
        return twiml.empty()
    raise TypeError(f"not a voice answer: {answer!r}")


ROUTES_REMEMBERED = 512   # distinct (line, greeting, step) documents; far more than a directory has


class _RouteDocuments:
    """The documents of routing decisions rendered so far, by twiml.route_key, each with the
    directory it was rendered from (a reloaded directory renders them again)."""

    def __init__(self) -> None:
        self._known: dict[tuple, tuple[Directory, str]] = {}
        self._lock = threading.Lock()

    def document(self, answer: RouteAnswer) -> str:
        greet = prompts.spoken(answer.opening, answer.line_name)
        key = twiml.route_key(answer.decision, greet)
        known = self._known.get(key) if key is not None else None
        if known is not None and known[0] is answer.directory:
            return known[1]
        text = twiml.to_xml(twiml.render(answer.decision, answer.directory, answer.at, greet))
        if key is not None:
            with self._lock:
                if len(self._known) >= ROUTES_REMEMBERED:
                    self._known.clear()
                self._known[key] = (answer.directory, text)
        return text


_routes = _RouteDocuments()


def document(answer: VoiceAnswer) -> str:
    """The TwiML text sent for an answer: what `render` builds, serialised (twiml.to_xml)."""
    if isinstance(answer, RouteAnswer):
        return _routes.document(answer)
    return twiml.to_xml(render(answer))
