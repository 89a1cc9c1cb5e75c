"""Transfers: an external line that did not answer, and a counselor's hand-over.

A failed dial adds the line to the ones the call tried and routes again (the caller
hears that the transfer failed first); a hand-over routes as if the caller had
dialled the other line: its queue if we host it, else its number.
"""
from __future__ import annotations

from hotline.ports import CallQueues, Clock, FailSafeAnswer, HangUp, InboundCall, Prompt, RouteAnswer
from hotline.routing.directory import Directory
from hotline.usecases.calls.incoming import CallRouting
from hotline.usecases.calls.waiting import tried_with

ANSWERED = ("completed", "answered")


class Transfers:
    def __init__(self, directory: Directory, clock: Clock, queues: CallQueues, routing: CallRouting) -> None:
        self.directory = directory
        self.clock = clock
        self.queues = queues
        self.routing = routing

    def dial_result(self, line_id: str, call: InboundCall, dial_status: str | None) -> HangUp | RouteAnswer:
        """/voice/dial-result: the transfer to line_id's number ended."""
        if dial_status in ANSWERED:
            return HangUp()
        state = self.queues.call_state(call.call_sid)
        self.queues.annotate(call.call_sid, tried=tried_with(state, line_id))
        return self.routing.route_again(call, Prompt.TRANSFER_FAILED)

    def transfer(self, line_id: str, call: InboundCall) -> FailSafeAnswer | RouteAnswer:
        """/voice/transfer: a counselor hands the call to line_id."""
        if self.directory.get(line_id) is None:
            return FailSafeAnswer(self.directory, call.dialled, self.clock.now())
        menu = self.queues.call_state(call.call_sid).get("menu") or "transfer"
        self.queues.annotate(call.call_sid, status="queued", menu=menu)
        return self.routing.route_to_line(call, line_id, Prompt.TRANSFERRING)
