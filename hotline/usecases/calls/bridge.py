"""After a counselor accepts: ring their browser, and close when that leg ends."""
from __future__ import annotations

from hotline.ports import CallQueues, HangUp, HangUps, InboundCall, JoinConference, Prompt, RingCounselor
from hotline.usecases.calls.transfer import ANSWERED


class Bridge:
    def __init__(self, queues: CallQueues, hang_ups: HangUps, conference: bool = False) -> None:
        self.queues = queues
        self.hang_ups = hang_ups
        self.conference = conference   # HOTLINE_CONFERENCE_CALLS: the call's conference, not a bridge

    def bridge(self, counselor_id: str, call: InboundCall) -> RingCounselor | JoinConference:
        """/voice/bridge: the console moved the caller here; a bad counselor id is a failure.
        In conference mode the caller enters the call's conference (the console's accept
        dialled the counselor's leg into it)."""
        counselor = int(counselor_id)
        self.queues.annotate(call.call_sid, status="on_call")
        if self.conference:
            return JoinConference(call.call_sid, "caller")
        return RingCounselor(counselor, call.call_sid)

    def bridge_result(self, call: InboundCall, dial_status: str | None) -> HangUp:
        """/voice/bridge-result: the counselor's leg ended; if the caller is still here, say goodbye."""
        self.hang_ups.caller_hung_up(call.call_sid)
        if dial_status in ANSWERED:
            return HangUp(Prompt.GOODBYE)
        return HangUp(Prompt.COUNSELOR_UNREACHED)
