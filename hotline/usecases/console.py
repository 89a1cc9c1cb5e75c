"""A counselor's working day as state changes: available, offers, calls, wrap-up.

Every change goes through an atomic Redis script (live/scripts.py), is written to
the call record, and is announced to the counselor's room and the supervisors.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from hotline.usecases.dispatch import Dispatcher
from hotline.ports import Presence
from hotline.ports import RecordOp

log = logging.getLogger(__name__)
SWITCHABLE = ("available", "break", "offline")
EWMA_WEIGHT = 0.2


class ConsoleError(Exception):
    """A request that does not fit the counselor's current state (HTTP 409)."""


class ConsoleService:
    def __init__(self, services) -> None:
        self.s = services
        self.d: Dispatcher = services.dispatcher

    def now(self) -> datetime:
        return self.s.now()

    # --- presence ------------------------------------------------------------------
    def set_presence(self, counselor_id: int, state: str, name: str = "", lines=()) -> Presence:
        if state not in SWITCHABLE:
            raise ConsoleError(f"不能直接切换到 {state} / cannot switch to {state!r}")
        current = self.s.presence.get(counselor_id)
        if current is None:
            self.s.presence.set(Presence(counselor_id, state, self.now(), tuple(lines), name))
        elif current.state != state and not self.d.transition(counselor_id, "*", state):
            raise ConsoleError(f"当前状态 {current.state} 不能切换 / busy ({current.state}): finish it first")
        self._refresh_profile(counselor_id, name, lines)
        self.after_change(counselor_id)
        return self.s.presence.get(counselor_id)

    def _refresh_profile(self, counselor_id: int, name: str, lines) -> None:
        """Keep name and lines current (an admin may have changed them)."""
        current = self.s.presence.get(counselor_id)
        if current and lines and (tuple(lines) != current.lines or name != current.name):
            self.s.presence.update_profile(counselor_id, name, tuple(lines))

    def after_change(self, counselor_id: int | None = None) -> None:
        if counselor_id is not None:
            self.s.notices.presence(counselor_id)
        self.s.poke_dispatch()

    # --- offers ----------------------------------------------------------------------
    def accept(self, call_sid: str, counselor_id: int) -> dict:
        if not self.d.accept(call_sid, counselor_id):
            raise ConsoleError("这个来电已不再提供给您 / this call is no longer offered to you")
        state = self.s.queues.call_state(call_sid)
        self._bridge(call_sid, state, counselor_id)
        self._record_answer(call_sid, state, counselor_id)
        self.s.redis.hset(self.s.keys.last_counselor(), state.get("caller_key", ""), counselor_id)
        self.s.notices.publish("call.answered", {"call": call_sid, "counselor": counselor_id,
                                                 "line": state.get("line")}, counselor_id, state.get("line"))
        self.after_change(counselor_id)
        return state

    def _bridge(self, call_sid: str, state: dict, counselor_id: int) -> None:
        try:
            self.s.telephony.bridge(call_sid, state.get("queue_sid") or None, counselor_id)
        except Exception:
            log.exception("接通失败 / bridging call %s to counselor %s failed", call_sid, counselor_id)

    def _record_answer(self, call_sid: str, state: dict, counselor_id: int) -> None:
        now = self.now()
        waited = max(now.timestamp() - float(state.get("arrived_ms", 0)) / 1000, 0.0)
        self._record(call_sid, "answered", status="answered", answered_at=now, counselor_id=counselor_id,
                     wait_seconds=round(waited, 1))

    def decline(self, call_sid: str, counselor_id: int) -> None:
        if not self.d.withdraw(call_sid, counselor_id, "available", declined=True):
            raise ConsoleError("这个来电已不再提供给您 / this call is no longer offered to you")
        self.s.notices.publish("offer.withdrawn", {"call": call_sid, "reason": "declined"}, counselor_id)
        self.after_change(counselor_id)

    def time_out(self, call_sid: str, counselor_id: int) -> None:
        """Not accepted in time: the call goes to the next counselor, this one to break."""
        if self.d.withdraw(call_sid, counselor_id, "break", declined=True):
            self.s.notices.publish("offer.withdrawn", {"call": call_sid, "reason": "timeout",
                                                       "notice": "未及时接听，已将您设为休息 / offer timed out: "
                                                                 "you are now on break"}, counselor_id)
            self.after_change(counselor_id)

    # --- calls -------------------------------------------------------------------------
    def end_call(self, call_sid: str, counselor_id: int) -> None:
        presence = self.s.presence.get(counselor_id)
        if presence is None or presence.state != "on_call" or presence.call != call_sid:
            raise ConsoleError("您当前没有这个通话 / you are not on this call")
        try:
            self.s.telephony.hang_up(call_sid)
        except Exception:
            log.exception("挂断失败 / hanging up call %s failed", call_sid)
        self._finish_talk(call_sid, counselor_id)

    def transfer(self, call_sid: str, counselor_id: int, line_id: str) -> None:
        """Hand the caller to another line (its queue, or its number if external)."""
        presence = self.s.presence.get(counselor_id)
        if presence is None or presence.state != "on_call" or presence.call != call_sid:
            raise ConsoleError("您当前没有这个通话 / you are not on this call")
        if self.s.directory.get(line_id) is None:
            raise ConsoleError(f"未知线路 / unknown line {line_id!r}")
        self._record(call_sid, f"transfer:{line_id}", routed_to=line_id)
        self._finish_talk(call_sid, counselor_id)
        self.s.telephony.redirect(call_sid, f"/voice/transfer?line={line_id}")

    def caller_hung_up(self, call_sid: str) -> None:
        """The status callback says the call ended: free whoever had it."""
        state = self.s.queues.call_state(call_sid)
        counselor = state.get("counselor") or state.get("offered_to")
        if not counselor:
            return
        presence = self.s.presence.get(int(counselor))
        if presence and presence.call == call_sid and presence.state == "on_call":
            self._finish_talk(call_sid, int(counselor))
        elif presence and presence.call == call_sid and presence.state == "offered":
            self.d.withdraw(call_sid, int(counselor), "available", declined=False)
            self.s.notices.publish("offer.withdrawn", {"call": call_sid, "reason": "caller_hung_up"}, int(counselor))
            self.after_change(int(counselor))

    def _finish_talk(self, call_sid: str, counselor_id: int) -> None:
        now = self.now()
        until = now + timedelta(seconds=self.s.settings.wrapup_s)
        if not self.d.transition(counselor_id, "on_call", "wrap_up", until):
            return
        state = self.s.queues.call_state(call_sid)
        talk = max(now.timestamp() - float(state.get("answered_s") or now.timestamp()), 0.0)
        self._record(call_sid, "talk_ended", status="wrap_up", ended_at=now, talk_seconds=round(talk, 1))
        self.s.queues.annotate(call_sid, status="ended")
        self._learn_handle_time(state.get("line", ""), talk + self.s.settings.wrapup_s)
        self.s.notices.publish("call.ended", {"call": call_sid, "counselor": counselor_id}, counselor_id,
                               state.get("line"))
        self.after_change(counselor_id)

    def extend_wrap_up(self, counselor_id: int, seconds: int) -> datetime:
        presence = self.s.presence.get(counselor_id)
        if presence is None or presence.state != "wrap_up":
            raise ConsoleError("您当前不在整理阶段 / you are not in wrap-up")
        until = max(presence.until or self.now(), self.now()) + timedelta(seconds=max(0, min(seconds, 1800)))
        self.d.transition(counselor_id, "wrap_up", "wrap_up", until)
        self.after_change(counselor_id)
        return until

    def ready(self, counselor_id: int) -> None:
        from hotline.usecases.triage.assessments import blocked_message, ready_blockers

        blockers = ready_blockers(self.s, counselor_id)   # e.g. a high-risk call without a referral
        if blockers:
            raise ConsoleError(blocked_message(blockers))
        presence = self.s.presence.get(counselor_id)
        if not self.d.transition(counselor_id, "wrap_up", "available"):
            raise ConsoleError("您当前不在整理阶段 / you are not in wrap-up")
        self._wrap_up_ended(presence)
        self.after_change(counselor_id)

    def _wrap_up_ended(self, presence) -> None:
        """Reports measure wrap-up time from this event."""
        if presence is not None and presence.call:
            self._record(presence.call, "wrap_up_ended")

    # --- time passing ------------------------------------------------------------------
    def tick(self) -> None:
        from hotline.usecases.recovery import rebuild_if_needed

        rebuild_if_needed(self.s)
        now = self.now()
        for call_sid, counselor_id in self.d.expired_offers(now):
            self.time_out(call_sid, counselor_id)
        for presence in self.d.finished_wrap_ups(now):
            if self._blocked(presence.counselor_id):
                continue   # a high-risk call still needs its referral/checklist: no next caller yet
            if self.d.transition(presence.counselor_id, "wrap_up", "available"):
                self._wrap_up_ended(presence)
                self.s.notices.presence(presence.counselor_id)
        self.d.dispatch()

    def _blocked(self, counselor_id: int) -> bool:
        from hotline.usecases.triage.assessments import ready_blockers

        return bool(ready_blockers(self.s, counselor_id))

    def _record(self, call_sid: str, kind: str, **fields) -> None:
        state = self.s.queues.call_state(call_sid)
        self.s.records.submit(RecordOp(call_sid, kind, kind, self.now(), state.get("dialled", ""),
                                       state.get("caller_key", ""), fields))

    def _learn_handle_time(self, line_id: str, handle_s: float) -> None:
        key = self.s.keys.line_stats(line_id)
        previous = self.s.redis.hget(key, "handle_s")
        value = handle_s if previous is None else (1 - EWMA_WEIGHT) * float(previous) + EWMA_WEIGHT * handle_s
        self.s.redis.hset(key, "handle_s", round(value, 1))
