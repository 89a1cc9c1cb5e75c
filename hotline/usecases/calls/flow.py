"""While a caller waits: announcements, voicemail on request, rollover, the end."""
from __future__ import annotations

import math
from datetime import datetime
from typing import Mapping

from twilio.twiml.voice_response import VoiceResponse

from hotline.routing.decision import NothingOpen, route
from hotline.telephony import prompts, twiml
from hotline.telephony.inbound import inbound
from hotline.usecases.calls.base import VoiceService

DEFAULT_HANDLE_S = 600.0   # talk + wrap-up, until the line has its own history
SPEAKING_S = 12            # roughly how long the position announcement takes
FINAL = {"completed", "busy", "failed", "no-answer", "canceled"}


class QueueFlow(VoiceService):
    def wait(self, line_id: str, form: Mapping[str, str]) -> VoiceResponse:
        call = inbound(form)
        if form.get("QueueSid"):
            self.s.queues.annotate(call.call_sid, queue_sid=form["QueueSid"][:64])
        waiting = self.s.queues.position(call.call_sid)
        if waiting is None:
            waiting = self._rejoin(call, line_id, form)
        if waiting is None:   # being connected to a counselor right now
            return _pause(2)
        state = self.s.queues.call_state(call.call_sid)
        if state.get("status") in ("offered", "on_call"):   # a counselor's console is ringing
            return _pause(3)
        if self._waited_too_long(waiting, state):
            return self._leave(call.call_sid, "rollover")
        rounds = int(self.s.redis.hincrby(self.s.keys.call(call.call_sid), "rounds", 1))
        text = prompts.queue_position(waiting.position, self.expected_wait(line_id, waiting.position))
        every = self.s.settings.queue_announce_every_s
        return twiml.wait_loop(text, line_id, breathing=rounds % 2 == 0, pause_s=max(every - SPEAKING_S, 1))

    def _rejoin(self, call, line_id: str, form):
        """Our queue lost this caller (Redis restarted): rebuild from what Twilio says."""
        state = self.s.queues.call_state(call.call_sid)
        if state.get("status") in ("offered", "bridging", "on_call"):
            return None
        line = self.directory.get(line_id)
        waited = _seconds(form.get("QueueTime"))
        arrived = datetime.fromtimestamp(self.now().timestamp() - waited, tz=self.now().tzinfo)
        return self.s.queues.enqueue(call.call_sid, line_id, 0, arrived, status="queued",
                                     caller_key=self.caller_key(call), dialled=call.dialled,
                                     max_wait_s=line.max_wait_s if line else 90)

    def _waited_too_long(self, waiting, state) -> bool:
        limit = int(state.get("max_wait_s") or self.s.settings.max_queue_wait_s)
        return (self.now() - waiting.enqueued_at).total_seconds() >= limit

    def expected_wait(self, line_id: str, position: int) -> float:
        """Place in line × mean handling time ÷ counselors on the line."""
        staffed = max(self.s.staffed_counts(self.now()).get(line_id, 0), 1)
        handle = float(self.s.redis.hget(self.s.keys.line_stats(line_id), "handle_s") or DEFAULT_HANDLE_S)
        return math.ceil(position / staffed) * handle

    def wait_key(self, line_id: str, form: Mapping[str, str]) -> VoiceResponse:
        call = inbound(form)
        if (form.get("Digits") or "").startswith("1"):
            return self._leave(call.call_sid, "voicemail")
        return twiml.empty()

    def _leave(self, call_sid: str, reason: str) -> VoiceResponse:
        """Leave Twilio's queue — unless a counselor accepted a moment ago (then stay)."""
        if not self.s.hang_ups.caller_leaves_queue(call_sid, reason):
            return _pause(2)
        return twiml.leave_queue()

    def queue_result(self, line_id: str, form: Mapping[str, str]) -> VoiceResponse:
        call = inbound(form)
        result = form.get("QueueResult") or ""
        if result == "leave":
            return self._after_leave(call, line_id, form)
        if result == "hangup":
            self._abandoned(call, line_id, _seconds(form.get("QueueTime")))
            return twiml.empty()
        if result in ("error", "system-error"):
            return self.failsafe_for(call, line_id)
        return twiml.empty()   # bridged / redirected: the call continues elsewhere

    def _after_leave(self, call, line_id: str, form) -> VoiceResponse:
        state = self.s.queues.call_state(call.call_sid)
        self.s.queues.remove(call.call_sid)
        self.publish("queue.changed", {"line": line_id, "call": call.call_sid, "change": "left"}, line_id)
        if state.get("leave_reason") == "voicemail":
            self.record(call, "voicemail_requested", status="voicemail", outcome="voicemail",
                        wait_seconds=_seconds(form.get("QueueTime")))
            response = VoiceResponse()
            twiml.voicemail(response, line_id)
            return response
        return self._roll_over(call, line_id, state)

    def _roll_over(self, call, line_id: str, state) -> VoiceResponse:
        tried = ",".join(filter(None, [state.get("tried", ""), line_id]))
        self.s.queues.annotate(call.call_sid, tried=tried, leave_reason="")
        self.record(call, "rolled_over", f"rollover:{line_id}", {"from": line_id}, rollover=True)
        self.publish("call.rolled_over", {"call": call.call_sid, "from": line_id}, line_id)
        return self.carry_out(call, route(self.directory, self.facts(call), self.live_state()))

    def _abandoned(self, call, line_id: str, waited: float) -> None:
        self.s.queues.remove(call.call_sid)
        self.record(call, "abandoned", status="abandoned", outcome="abandoned", wait_seconds=waited,
                    ended_at=self.now())
        self.publish("queue.changed", {"line": line_id, "call": call.call_sid, "change": "abandoned"}, line_id)

    def dial_result(self, line_id: str, form: Mapping[str, str]) -> VoiceResponse:
        call = inbound(form)
        if form.get("DialCallStatus") in ("completed", "answered"):
            return twiml.hangup()
        state = self.s.queues.call_state(call.call_sid)
        tried = ",".join(filter(None, [state.get("tried", ""), line_id]))
        self.s.queues.annotate(call.call_sid, tried=tried)
        routed = route(self.directory, self.facts(call), self.live_state())
        response = self.carry_out(call, routed, prompts.TRANSFER_FAILED)
        return response

    def voicemail(self, line_id: str, form: Mapping[str, str]) -> VoiceResponse:
        call = inbound(form)
        self.record(call, "voicemail", detail={"recording_url": form.get("RecordingUrl", ""),
                                               "duration": form.get("RecordingDuration", "")},
                    status="voicemail", outcome="voicemail", line_id=line_id or None)
        self.publish("call.voicemail", {"call": call.call_sid, "line": line_id}, line_id)
        return twiml.hangup(prompts.VOICEMAIL_THANKS)

    def status(self, form: Mapping[str, str]) -> VoiceResponse:
        call = inbound(form)
        status = form.get("CallStatus") or ""
        if status not in FINAL:
            self.record(call, f"status:{status}", telephony_status=status)
            return twiml.empty()
        waiting = self.s.queues.position(call.call_sid)
        line_id = waiting.line_id if waiting else None
        if waiting:
            self._abandoned(call, line_id, (self.now() - waiting.arrived_at).total_seconds())
        self.s.hang_ups.caller_hung_up(call.call_sid)
        self.record(call, f"status:{status}", detail={"duration": form.get("CallDuration", "")},
                    status="ended", telephony_status=status, ended_at=self.now())
        self.s.queues.annotate(call.call_sid, status="ended")
        self.publish("call.ended", {"call": call.call_sid, "status": status}, line_id or "")
        return twiml.empty()

    def failsafe_for(self, call, line_id: str | None) -> VoiceResponse:
        from hotline.telephony.failsafe import failsafe_response

        return failsafe_response(self.directory, call.dialled, self.now(), line_id)


def _seconds(value) -> float:
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 0.0


def _pause(seconds: int) -> VoiceResponse:
    response = VoiceResponse()
    response.pause(length=seconds)
    return response


class TransferFlow(QueueFlow):
    """A counselor hands a call to another line: its queue if hosted, else its number."""

    def transfer(self, line_id: str, form: Mapping[str, str]) -> VoiceResponse:
        from hotline.routing.decision import route_to

        call = inbound(form)
        if self.directory.get(line_id) is None:
            return self.failsafe_for(call, None)
        self.s.queues.annotate(call.call_sid, status="queued", menu=self.s.queues.call_state(call.call_sid)
                               .get("menu") or "transfer")
        routed = route_to(self.directory, line_id, self.facts(call, tried=frozenset()), self.live_state())
        return self.carry_out(call, routed, "正在为您转接，请稍候。")


class BridgeFlow(TransferFlow):
    """After a counselor accepts: ring their browser, and close when that leg ends."""

    def bridge(self, counselor_id: str, form: Mapping[str, str]) -> VoiceResponse:
        call = inbound(form)
        self.s.queues.annotate(call.call_sid, status="on_call")
        return twiml.bridge_to_counselor(f"counselor-{int(counselor_id)}", call.call_sid)

    def bridge_result(self, form: Mapping[str, str]) -> VoiceResponse:
        """The counselor's leg ended; if the caller is still here, say goodbye."""
        call = inbound(form)
        self.s.hang_ups.caller_hung_up(call.call_sid)
        if form.get("DialCallStatus") in ("completed", "answered"):
            return twiml.hangup("感谢您的来电，再见。")
        return twiml.hangup(prompts.TRANSFER_FAILED.replace("正在为您尝试其他热线。", "") + prompts.EMERGENCY)
