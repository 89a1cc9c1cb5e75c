"""A counselor's working day as state changes: available, offers, calls, wrap-up.

Every change is one atomic step in the live state (OfferSteps), is written to the call
record, and is announced to the counselor's room and the supervisors (Notices); a
counselor who becomes free asks for a dispatch (DispatchTrigger). The console's own
rules live here: which states a counselor may switch to by hand, that an offer not
accepted in time goes to the next counselor and puts this one on break, that a call
ends in wrap-up (the line's handling time is learned from it), and that the next caller
waits while the triage area's close guard says the last call still needs something.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from hotline.ports import (BlockMarks, CallControl, CallQueues, Clock, CloseGuard, Continuity, DispatchTrigger,
                           HandleTimes, OfferSteps, Presence, Presences, RecordOp, RecordSink)
from hotline.routing.directory import Directory
from hotline.triage.actions import blocked_message   # the one close-guard message (triage's core)
from hotline.usecases.notices import Notices

log = logging.getLogger(__name__)
SWITCHABLE = ("available", "break", "offline")
EWMA_WEIGHT = 0.2            # how much one call moves a line's learned handling time
MAX_EXTEND_S = 1800
TIMED_OUT = "未及时接听，已将您设为休息 / offer timed out: you are now on break"
NOT_OFFERED = "这个来电已不再提供给您 / this call is no longer offered to you"
NOT_ON_CALL = "您当前没有这个通话 / you are not on this call"
NOT_IN_WRAP_UP = "您当前不在整理阶段 / you are not in wrap-up"


class ConsoleError(Exception):
    """A request that does not fit the counselor's current state (HTTP 409)."""


class ConsoleService:
    """The counselor's actions (the console page, the machine-played counselors) and what
    the telephony tells the console (HangUps: the caller hung up or left the queue)."""

    def __init__(self, *, presences: Presences, steps: OfferSteps, queues: CallQueues, records: RecordSink,
                 calls: CallControl, directory: Directory, notices: Notices, close_guard: CloseGuard,
                 continuity: Continuity, handle_times: HandleTimes, trigger: DispatchTrigger, clock: Clock,
                 wrapup_s: float, marks: BlockMarks | None = None) -> None:
        self.presences = presences
        self.steps = steps
        self.queues = queues
        self.records = records
        self.calls = calls
        self.directory = directory
        self.notices = notices
        self.close_guard = close_guard
        self.continuity = continuity
        self.handle_times = handle_times
        self.trigger = trigger
        self.clock = clock
        self.wrapup_s = wrapup_s
        self.marks = marks

    def presence(self, counselor_id: int) -> Presence | None:
        return self.presences.get(counselor_id)

    def is_line(self, line_id: str) -> bool:
        return self.directory.get(line_id) is not None

    # --- presence ------------------------------------------------------------------------
    def set_presence(self, counselor_id: int, state: str, name: str = "", lines=()) -> Presence:
        """Available, break or offline by hand; never away from a ringing offer or a call."""
        if state not in SWITCHABLE:
            raise ConsoleError(f"不能直接切换到 {state} / cannot switch to {state!r}")
        if state == "available":
            blockers = self.blockers(counselor_id)   # Break and Offline stay possible: people must stop
            if blockers:
                raise ConsoleError(blocked_message(blockers))
        current = self.presences.get(counselor_id)
        if current is None:
            self.presences.set(Presence(counselor_id, state, self.clock.now(), tuple(lines), name))
        elif current.state != state and not self.steps.transition(counselor_id, "*", state, self.clock.now()):
            raise ConsoleError(f"当前状态 {current.state} 不能切换 / busy ({current.state}): finish it first")
        current = self.presences.get(counselor_id)
        if current and lines and (tuple(lines) != current.lines or name != current.name):
            self.presences.update_profile(counselor_id, name, tuple(lines))   # an admin may have changed them
        self._changed(counselor_id)
        return self.presences.get(counselor_id)

    def _changed(self, counselor_id: int) -> None:
        self.notices.presence(counselor_id)
        self.trigger.poke()

    # --- offers ----------------------------------------------------------------------------
    def accept(self, call_sid: str, counselor_id: int) -> dict:
        if not self.steps.accept(call_sid, counselor_id, self.clock.now()):
            raise ConsoleError(NOT_OFFERED)
        state = self.queues.call_state(call_sid)
        try:
            self.calls.bridge(call_sid, state.get("queue_sid") or None, counselor_id)
        except Exception:
            log.exception("接通失败 / bridging call %s to counselor %s failed", call_sid, counselor_id)
        now = self.clock.now()
        waited = max(now.timestamp() - float(state.get("arrived_ms", 0)) / 1000, 0.0)
        self._record(call_sid, "answered", status="answered", answered_at=now, counselor_id=counselor_id,
                     wait_seconds=round(waited, 1))
        if state.get("caller_key"):   # a withheld number has no key: nothing to continue
            self.continuity.remember(state["caller_key"], counselor_id)
        self.notices.publish("call.answered", {"call": call_sid, "counselor": counselor_id,
                                               "line": state.get("line")}, counselor_id, state.get("line"))
        self._changed(counselor_id)
        return state

    def decline(self, call_sid: str, counselor_id: int) -> None:
        if not self.steps.withdraw(call_sid, counselor_id, self.clock.now(), "available", declined=True):
            raise ConsoleError(NOT_OFFERED)
        self.notices.withdrawn(call_sid, counselor_id, "declined")
        self._changed(counselor_id)

    def time_out(self, call_sid: str, counselor_id: int) -> None:
        """Not accepted in time: the call goes to the next counselor, this one to break."""
        if self.steps.withdraw(call_sid, counselor_id, self.clock.now(), "break", declined=True):
            self.notices.withdrawn(call_sid, counselor_id, "timeout", TIMED_OUT)
            self._changed(counselor_id)
        elif self.steps.ringing(call_sid) is None:
            self._offer_vanished(call_sid, counselor_id)

    def _offer_vanished(self, call_sid: str, counselor_id: int) -> None:
        """Stuck "offered" with no offer left (Redis lost the key): free the counselor (no
        offer can be accepted any more) and give the caller back to the queue."""
        now = self.clock.now()
        next_state = "break" if self.blockers(counselor_id) else "available"
        if not self.steps.transition(counselor_id, "offered", next_state, now):
            return
        state = self.queues.call_state(call_sid)
        if state.get("status") == "offered" and state.get("offered_to") == str(counselor_id):
            self.queues.annotate(call_sid, status="queued", offered_to="")
        self.notices.withdrawn(call_sid, counselor_id, "offer_lost")
        self._changed(counselor_id)

    # --- what the telephony tells the console (hotline.ports.HangUps) ------------------------
    def caller_hung_up(self, call_sid: str) -> None:
        """The provider says the call ended: free whoever had it (wrap-up, or offer withdrawn)."""
        state = self.queues.call_state(call_sid)
        counselor = state.get("counselor") or state.get("offered_to")
        if not counselor:
            return
        presence = self.presences.get(int(counselor))
        if presence is None or presence.call != call_sid:
            return
        if presence.state == "on_call":
            self._finish_talk(call_sid, presence.counselor_id)
        elif presence.state == "offered":
            self.steps.withdraw(call_sid, presence.counselor_id, self.clock.now(), "available", declined=False)
            self.notices.withdrawn(call_sid, presence.counselor_id, "caller_hung_up")
            self._changed(presence.counselor_id)

    def caller_leaves_queue(self, call_sid: str, reason: str) -> bool:
        """Voicemail or rollover: out of the queue, a ringing offer withdrawn — unless a
        counselor accepted a moment ago (False: the caller stays to be connected)."""
        left, withdrawn_from = self.steps.leave(call_sid, self.clock.now(), reason)
        if left and withdrawn_from is not None:
            self.notices.withdrawn(call_sid, withdrawn_from, "caller_left")
            self._changed(withdrawn_from)
        return left

    def call_taken_over(self, call_sid: str, counselor_id: int) -> None:
        """Warm transfer: the colleague who joined the conference now has the caller, so their
        presence is on call with this call (the first counselor went to wrap-up). A ringing
        offer of another call is withdrawn first: they cannot take two callers at once."""
        now = self.clock.now()
        presence = self.presences.get(counselor_id)
        if presence is not None and presence.state == "on_call" and presence.call == call_sid:
            return   # told twice (a retried request)
        if presence is not None and presence.state == "offered" and presence.call:
            if self.steps.withdraw(presence.call, counselor_id, now, "available", declined=False):
                self.notices.withdrawn(presence.call, counselor_id, "taken_over")
            presence = self.presences.get(counselor_id)
        if presence is not None and presence.state == "on_call":
            log.error("温暖转接：咨询师 %s 已在另一通话中 / warm transfer: counselor %s is on another call",
                      counselor_id, counselor_id)
            return
        lines, name = (presence.lines, presence.name) if presence else ((), "")
        self.presences.set(Presence(counselor_id, "on_call", now, lines, name, call=call_sid))
        self.queues.annotate(call_sid, counselor=str(counselor_id), status="on_call")
        self.continuity.remember(self.queues.call_state(call_sid).get("caller_key", ""), counselor_id)
        self._changed(counselor_id)

    # --- calls -----------------------------------------------------------------------------
    def _on_call(self, call_sid: str, counselor_id: int) -> None:
        presence = self.presences.get(counselor_id)
        if presence is None or presence.state != "on_call" or presence.call != call_sid:
            raise ConsoleError(NOT_ON_CALL)

    def end_call(self, call_sid: str, counselor_id: int) -> None:
        self._on_call(call_sid, counselor_id)
        try:
            self.calls.hang_up(call_sid)
        except Exception:
            log.exception("挂断失败 / hanging up call %s failed", call_sid)
        self._finish_talk(call_sid, counselor_id)
        self.blockers(counselor_id)   # keep the guard's answer now (the ticker keeps it fresh in wrap-up)

    def transfer(self, call_sid: str, counselor_id: int, line_id: str) -> None:
        """Hand the caller to another line (its queue, or its number if external)."""
        self._on_call(call_sid, counselor_id)
        if not self.is_line(line_id):
            raise ConsoleError(f"未知线路 / unknown line {line_id!r}")
        self._record(call_sid, f"transfer:{line_id}", routed_to=line_id)
        self._finish_talk(call_sid, counselor_id)
        self.calls.redirect(call_sid, f"/voice/transfer?line={line_id}")

    def _finish_talk(self, call_sid: str, counselor_id: int) -> None:
        now = self.clock.now()
        if not self.steps.transition(counselor_id, "on_call", "wrap_up", now, now + timedelta(seconds=self.wrapup_s)):
            return
        state = self.queues.call_state(call_sid)
        talk = max(now.timestamp() - float(state.get("answered_s") or now.timestamp()), 0.0)
        self._record(call_sid, "talk_ended", status="wrap_up", ended_at=now, talk_seconds=round(talk, 1))
        self.queues.annotate(call_sid, status="ended")
        self._learn_handle_time(state.get("line", ""), talk + self.wrapup_s)
        self.notices.publish("call.ended", {"call": call_sid, "counselor": counselor_id}, counselor_id,
                             state.get("line"))
        self._changed(counselor_id)

    def _learn_handle_time(self, line_id: str, handle_s: float) -> None:
        previous = self.handle_times.handle_time(line_id)
        learned = handle_s if previous is None else (1 - EWMA_WEIGHT) * previous + EWMA_WEIGHT * handle_s
        self.handle_times.set_handle_time(line_id, learned)

    # --- wrap-up ---------------------------------------------------------------------------
    def extend_wrap_up(self, counselor_id: int, seconds: int) -> datetime:
        presence = self.presences.get(counselor_id)
        if presence is None or presence.state != "wrap_up":
            raise ConsoleError(NOT_IN_WRAP_UP)
        now = self.clock.now()
        until = max(presence.until or now, now) + timedelta(seconds=max(0, min(seconds, MAX_EXTEND_S)))
        self.steps.transition(counselor_id, "wrap_up", "wrap_up", now, until)
        self._changed(counselor_id)
        return until

    def ready(self, counselor_id: int) -> None:
        blockers = self.blockers(counselor_id)   # e.g. a high-risk call without a referral
        if blockers:
            raise ConsoleError(blocked_message(blockers))
        presence = self.presences.get(counselor_id)
        if not self.steps.transition(counselor_id, "wrap_up", "available", self.clock.now()):
            raise ConsoleError(NOT_IN_WRAP_UP)
        self._wrap_up_ended(presence)
        self._changed(counselor_id)

    def wrap_up_over(self, presence: Presence) -> bool:
        """The wrap-up time ran out: available again, unless the close guard still blocks."""
        if self.blockers(presence.counselor_id):
            return False   # a high-risk call still needs its referral/checklist: no next caller yet
        if not self.steps.transition(presence.counselor_id, "wrap_up", "available", self.clock.now()):
            return False
        self._wrap_up_ended(presence)
        self.notices.presence(presence.counselor_id)
        return True

    # --- the close guard, fail-safe against a database outage -----------------------------
    def blockers(self, counselor_id: int) -> list[str]:
        """Why the counselor may not take the next call ([] = they may). The guard reads the
        database; when it cannot, the last known answer (BlockMarks, in Redis) stands, so an
        outage never releases a block. A counselor never seen blocked is not blocked by an
        outage (blocking the whole floor would send every caller away)."""
        try:
            found = list(self.close_guard.ready_blockers(counselor_id))
        except Exception as exc:   # the database is down: the last known block stands
            log.warning("无法读取结案条件，沿用上次结果 / close guard unreadable for counselor %s: %s",
                        counselor_id, type(exc).__name__)
            return self.marks.last(counselor_id) if self.marks is not None else []
        if self.marks is not None:
            try:
                self.marks.remember(counselor_id, found)
            except Exception as exc:
                log.warning("无法记录结案条件 / could not keep the close guard's answer: %s", type(exc).__name__)
        return found

    def _wrap_up_ended(self, presence: Presence | None) -> None:
        """Reports measure wrap-up time from this event."""
        if presence is not None and presence.call:
            self._record(presence.call, "wrap_up_ended")

    def _record(self, call_sid: str, kind: str, **fields) -> None:
        state = self.queues.call_state(call_sid)
        self.records.submit(RecordOp(call_sid, kind, kind, self.clock.now(), state.get("dialled", ""),
                                     state.get("caller_key", ""), fields))
