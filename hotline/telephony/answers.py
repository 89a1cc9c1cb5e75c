"""The call use cases' answers (hotline.ports.VoiceAnswer) rendered as TwiML."""
from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from hotline.ports import (Continue, FailSafeAnswer, HangUp, HoldOn, JoinConference, LeaveQueue, RecordVoicemail,
                           RingCounselor, RouteAnswer, VoiceAnswer, WaitRound)
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
