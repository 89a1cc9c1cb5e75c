"""While a caller waits: announcements, voicemail on request, rollover, the end.

Twilio holds the caller's audio and asks the wait URL round after round; our queue
holds the order. A caller leaves the queue (voicemail key, waited too long) only if
no counselor accepted them a moment ago — the console decides that atomically.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from hotline.ports import (CallEvents, CallQueues, Clock, Continue, FailSafeAnswer, HangUps, HoldOn,
                           InboundCall, LeaveQueue, LineStats, RecordVoicemail, RouteAnswer, Staffing, Waiting,
                           WaitReadout, WaitReads, WaitRound, WaitRounds)
from hotline.routing.directory import Directory
from hotline.usecases.calls.incoming import PAST_ROUTING, CallRouting
from hotline.usecases.calls.recording import CallRecorder

DEFAULT_HANDLE_S = 600.0   # talk + wrap-up, until the line has its own history
SPEAKING_S = 12            # roughly how long the position announcement takes
DEFAULT_MAX_WAIT_S = 90    # a line the directory no longer knows


@dataclass(frozen=True)
class _PortByPort:
    """A wait round's first reads where no WaitReads is wired (the unit fakes)."""

    waiting: Waiting | None
    state: dict[str, str]


class WaitingRoom:
    def __init__(self, directory: Directory, clock: Clock, queues: CallQueues, rounds: WaitRounds,
                 stats: LineStats, staffing: Staffing, hang_ups: HangUps, routing: CallRouting,
                 recorder: CallRecorder, events: CallEvents, announce_every_s: int, max_wait_s: int,
                 reads: WaitReads | None = None) -> None:
        self.directory = directory
        self.clock = clock
        self.queues = queues
        self.rounds = rounds
        self.stats = stats
        self.staffing = staffing
        self.hang_ups = hang_ups
        self.routing = routing
        self.recorder = recorder
        self.events = events
        self.announce_every_s = announce_every_s
        self.max_wait_s = max_wait_s   # for a call whose live state does not say its line's limit
        self.reads = reads             # a round's reads in one round trip (issue #18)

    # --- /voice/wait: one round of the loop ----------------------------------------------
    def wait(self, line_id: str, call: InboundCall, queue_sid: str | None, queue_time_s: float):
        read = self._read(call, line_id, queue_sid[:64] if queue_sid else None)
        waiting, state = read.waiting, read.state
        if waiting is None:
            waiting = self._rejoin(call, line_id, queue_time_s)
            if waiting is None:   # being connected to a counselor right now
                return HoldOn(2)
            state = self.queues.call_state(call.call_sid)
        if state.get("status") in ("offered", "on_call"):   # a counselor's console is ringing
            return HoldOn(3)
        if self._waited_too_long(waiting, state):
            return self._leave(call.call_sid, "rollover")
        rounds = self.rounds.count_round(call.call_sid)
        return WaitRound(line_id, waiting.position, self.expected_wait(line_id, waiting.position, read),
                         breathing=rounds % 2 == 0, pause_s=max(self.announce_every_s - SPEAKING_S, 1))

    def _read(self, call: InboundCall, line_id: str, queue_sid: str | None) -> WaitReadout | _PortByPort:
        """The round's reads: in one pipeline where WaitReads is wired, else port by port (the
        QueueSid noted, the place, then the call's hash), with the expected wait's asked later."""
        if self.reads is not None:
            return self.reads.read(call.call_sid, line_id, queue_sid)
        if queue_sid:
            self.queues.annotate(call.call_sid, queue_sid=queue_sid)
        waiting = self.queues.position(call.call_sid)
        return _PortByPort(waiting, self.queues.call_state(call.call_sid) if waiting is not None else {})

    def _rejoin(self, call: InboundCall, line_id: str, waited_s: float) -> Waiting | None:
        """Our queue lost this caller: put them back with their priority and first arrival.

        If the call's live hash survived (only the queue entry was lost) it still says both;
        if Redis lost everything, the priority is worked out again (a flagged file, a crisis
        choice the hash still shows) and the arrival taken from what Twilio says the caller
        waited — the record's own priority and arrival then win when the queues are rebuilt
        from it (usecases/recovery.py, which repairs entries marked `rejoined`)."""
        state = self.queues.call_state(call.call_sid)
        if state.get("status") in PAST_ROUTING:
            return None
        line = self.directory.get(line_id)
        now = self.clock.now()
        if state.get("arrived_ms"):
            arrived = datetime.fromtimestamp(int(state["arrived_ms"]) / 1000, tz=now.tzinfo)
        else:
            arrived = datetime.fromtimestamp(now.timestamp() - waited_s, tz=now.tzinfo)
        priority = int(state["priority"]) if state.get("priority") else self.routing.priority(call)
        rejoined = {} if state.get("priority") else {"rejoined": "1"}
        return self.queues.enqueue(call.call_sid, line_id, priority, arrived, status="queued",
                                   caller_key=self.recorder.caller_key(call), dialled=call.dialled,
                                   withheld="1" if call.withheld else "0",
                                   max_wait_s=line.max_wait_s if line else DEFAULT_MAX_WAIT_S, **rejoined)

    def _waited_too_long(self, waiting: Waiting, state: dict[str, str]) -> bool:
        limit = int(state.get("max_wait_s") or self.max_wait_s)
        return (self.clock.now() - waiting.enqueued_at).total_seconds() >= limit

    def expected_wait(self, line_id: str, position: int, read: WaitReadout | _PortByPort) -> float:
        """Place in line × mean handling time ÷ counselors on the line."""
        now = self.clock.now()
        if isinstance(read, WaitReadout):
            staffed_counts, handle = self.staffing.staffed_among(read.presences, now, read.roster_version), read.handle_s
        else:
            staffed_counts, handle = self.staffing.staffed_counts(now), self.stats.handle_time(line_id)
        staffed = max(staffed_counts.get(line_id, 0), 1)
        return math.ceil(position / staffed) * (DEFAULT_HANDLE_S if handle is None else handle)

    # --- /voice/wait-key: 1 leaves a message ----------------------------------------------
    def wait_key(self, line_id: str, call: InboundCall, digits: str | None):
        if (digits or "").startswith("1"):
            return self._leave(call.call_sid, "voicemail")
        return Continue()

    def _leave(self, call_sid: str, reason: str) -> LeaveQueue | HoldOn:
        """Leave Twilio's queue — unless a counselor accepted a moment ago (then stay)."""
        if not self.hang_ups.caller_leaves_queue(call_sid, reason):
            return HoldOn(2)
        return LeaveQueue()

    # --- /voice/queue-result: how the caller left Twilio's queue ---------------------------
    def queue_result(self, line_id: str, call: InboundCall, result: str, queue_time_s: float):
        if result == "leave":
            return self._after_leave(call, line_id, queue_time_s)
        if result == "hangup":
            self.abandon(call, line_id, queue_time_s)
            return Continue()
        if result in ("error", "system-error"):
            return FailSafeAnswer(self.directory, call.dialled, self.clock.now(), line_id)
        return Continue()   # bridged / redirected: the call continues elsewhere

    def _after_leave(self, call: InboundCall, line_id: str, waited_s: float) -> RecordVoicemail | RouteAnswer:
        state = self.queues.call_state(call.call_sid)
        self.queues.remove(call.call_sid)
        self.events.publish("queue.changed", {"line": line_id, "call": call.call_sid, "change": "left"}, line_id)
        if state.get("leave_reason") == "failsafe" or state.get("status") == "failsafe":
            return self._sent_on(call, line_id)     # told to leave for the fail-safe: no way back in
        if state.get("leave_reason") == "voicemail":
            self.recorder.record(call, "voicemail_requested", status="voicemail", outcome="voicemail",
                                 wait_seconds=waited_s)
            return RecordVoicemail(line_id)
        return self._roll_over(call, line_id, state)

    def _sent_on(self, call: InboundCall, line_id: str) -> FailSafeAnswer:
        answer = FailSafeAnswer(self.directory, call.dialled, self.clock.now(), line_id)
        self.recorder.record(call, "failsafe", "failsafe:/voice/queue-result", {"path": "/voice/queue-result"},
                             status="transferred", outcome="failsafe")
        return answer

    def _roll_over(self, call: InboundCall, line_id: str, state: dict[str, str]) -> RouteAnswer:
        """On to the next line; the caller keeps their arrival time and never comes back here."""
        self.queues.annotate(call.call_sid, tried=tried_with(state, line_id), leave_reason="")
        self.recorder.record(call, "rolled_over", f"rollover:{line_id}", {"from": line_id}, rollover=True)
        self.events.publish("call.rolled_over", {"call": call.call_sid, "from": line_id}, line_id)
        return self.routing.route_again(call)

    def abandon(self, call: InboundCall, line_id: str, waited_s: float) -> None:
        """The caller hung up while waiting."""
        self.queues.remove(call.call_sid)
        self.recorder.record(call, "abandoned", status="abandoned", outcome="abandoned", wait_seconds=waited_s,
                             ended_at=self.clock.now())
        self.events.publish("queue.changed", {"line": line_id, "call": call.call_sid, "change": "abandoned"},
                            line_id)


def tried_with(state: dict[str, str], line_id: str) -> str:
    """The call's tried lines (as its live state keeps them) with line_id added."""
    return ",".join(filter(None, [state.get("tried", ""), line_id]))
