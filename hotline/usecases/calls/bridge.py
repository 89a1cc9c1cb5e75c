"""After a counselor accepts: ring their browser, and close when that leg ends."""
from __future__ import annotations

from hotline.ports import CallQueues, HangUp, HangUps, InboundCall, Prompt, RingCounselor
from hotline.usecases.calls.transfer import ANSWERED


class Bridge:
    def __init__(self, queues: CallQueues, hang_ups: HangUps) -> None:
        self.queues = queues
        self.hang_ups = hang_ups

    def bridge(self, counselor_id: str, call: InboundCall) -> RingCounselor:
        """/voice/bridge: the console moved the caller here; a bad counselor id is a failure."""
        self.queues.annotate(call.call_sid, status="on_call")
        return RingCounselor(int(counselor_id), call.call_sid)

    def bridge_result(self, call: InboundCall, dial_status: str | None) -> HangUp:
        """/voice/bridge-result: the counselor's leg ended; if the caller is still here, say goodbye."""
        self.hang_ups.caller_hung_up(call.call_sid)
        if dial_status in ANSWERED:
            return HangUp(Prompt.GOODBYE)
        return HangUp(Prompt.COUNSELOR_UNREACHED)
