"""A message was recorded: the record keeps it as a call-back request."""
from __future__ import annotations

from hotline.ports import CallEvents, HangUp, InboundCall, Prompt
from hotline.usecases.calls.recording import CallRecorder


class Voicemail:
    def __init__(self, recorder: CallRecorder, events: CallEvents) -> None:
        self.recorder = recorder
        self.events = events

    def recorded(self, line_id: str, call: InboundCall, recording_url: str, duration: str) -> HangUp:
        """/voice/voicemail: the recording's URL is kept, never the caller's number."""
        self.recorder.record(call, "voicemail", detail={"recording_url": recording_url, "duration": duration},
                             status="voicemail", outcome="voicemail", line_id=line_id or None)
        self.events.publish("call.voicemail", {"call": call.call_sid, "line": line_id}, line_id)
        return HangUp(Prompt.VOICEMAIL_THANKS)
