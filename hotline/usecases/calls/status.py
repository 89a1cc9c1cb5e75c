"""The provider's status callbacks: every status is recorded; a final one ends the call.

Callbacks may be retried and arrive out of order; the record's dedup keys and
forward-only status absorb that. A call that ends while still in our queue was
abandoned; whoever had it (offered or on the call) is freed by the console.
"""
from __future__ import annotations

from hotline.ports import CallEvents, CallQueues, Clock, Continue, HangUps, InboundCall
from hotline.usecases.calls.recording import CallRecorder
from hotline.usecases.calls.waiting import WaitingRoom

FINAL = {"completed", "busy", "failed", "no-answer", "canceled"}


class CallStatus:
    def __init__(self, clock: Clock, queues: CallQueues, waiting_room: WaitingRoom, hang_ups: HangUps,
                 recorder: CallRecorder, events: CallEvents) -> None:
        self.clock = clock
        self.queues = queues
        self.waiting_room = waiting_room
        self.hang_ups = hang_ups
        self.recorder = recorder
        self.events = events

    def status(self, call: InboundCall, duration: str) -> Continue:
        """/voice/status: call.status is the provider's CallStatus."""
        status = call.status
        if status not in FINAL:
            self.recorder.record(call, f"status:{status}", telephony_status=status)
            return Continue()
        waiting = self.queues.position(call.call_sid)
        line_id = waiting.line_id if waiting else None
        if waiting:
            self.waiting_room.abandon(call, waiting.line_id,
                                      (self.clock.now() - waiting.arrived_at).total_seconds())
        self.hang_ups.caller_hung_up(call.call_sid)
        self.recorder.record(call, f"status:{status}", detail={"duration": duration}, status="ended",
                             telephony_status=status, ended_at=self.clock.now())
        self.queues.annotate(call.call_sid, status="ended")
        self.events.publish("call.ended", {"call": call.call_sid, "status": status}, line_id or "")
        return Continue()
