"""What the counselor and the supervisor do inside a call's conference.

Hold and unhold the caller (with the hold audio), consult a colleague or a supervisor
while the caller holds, warm transfer (the colleague stays, the first counselor leaves),
bring in emergency services (120 / 110 / 119) or a referral institution while the
counselor stays — privately (caller on hold) or all together — and the supervisor's
listen / coach / join / leave.

Nobody's leg ends the conference when it leaves (`endConferenceOnExit` false for every
party, telephony/conference.py): the caller is never dropped because a third party or a
counselor's browser went away; the conference ends when its last party leaves or when the
call ends. A third party that does not answer only changes its checklist outcome, and a
caller put on hold for it is taken off hold again.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from hotline.ports import (CallQueues, Clock, ConferenceControl, ConferenceLive, ConferenceView, EmergencyLog, HangUps,
                           PartyInvite, RecordOp, RecordSink, SupervisorAudit)
from hotline.usecases.calls.third_parties import log_third_party
from hotline.usecases.calls.conference_state import FAILED_OUTCOMES, fold

EMERGENCY = {"120": "急救 / Ambulance", "110": "报警 / Police", "119": "消防 / Fire"}
MODES = ("listen", "coach", "join")
ANSWERED = ("in-progress", "answered", "completed")
HOLD_PATH = "/voice/conference-hold"


class ConferenceError(ValueError):
    """A conference action that cannot be done now (the message is shown to the user)."""


@dataclass(frozen=True)
class Supervisor:
    """Who asks to supervise: an admin may supervise any line; a supervisor the lines of
    their account (all lines when none are set)."""

    user_id: int
    role: str
    lines: tuple[str, ...] = ()

    def may_supervise(self, line_id: str | None) -> bool:
        if self.role == "admin":
            return True
        if self.role != "supervisor":
            return False
        return not self.lines or (line_id in self.lines)


class ConferenceActions:
    def __init__(self, *, live: ConferenceLive, control: ConferenceControl, queues: CallQueues, records: RecordSink,
                 hang_ups: HangUps, audit: SupervisorAudit, clock: Clock,
                 institution_phone: Callable[[str], str | None], absolute: Callable[[str], str],
                 emergency_log: EmergencyLog | None = None) -> None:
        self.live = live
        self.control = control
        self.queues = queues
        self.records = records
        self.hang_ups = hang_ups
        self.audit = audit
        self.clock = clock
        self.institution_phone = institution_phone   # referral institution id → its phone, or None
        self.absolute = absolute                     # a /voice path → the URL Twilio calls
        self.emergency_log = emergency_log           # the triage area's checklist: who, when, outcome

    # --- reading -------------------------------------------------------------------------
    def view(self, call_sid: str) -> ConferenceView:
        return fold(call_sid, self.live.events(call_sid), self.live.invites(call_sid))

    def _started(self, call_sid: str) -> ConferenceView:
        view = self.view(call_sid)
        if not view.conference_sid or view.ended_at is not None:
            raise ConferenceError("通话会议尚未开始或已结束 / the call's conference has not started or has ended")
        return view

    def _handler(self, call_sid: str, counselor_id: int) -> dict:
        state = self.queues.call_state(call_sid)
        if str(counselor_id) != state.get("counselor"):
            raise ConferenceError("这不是您正在接听的通话 / this is not your call")
        return state

    # --- hold ------------------------------------------------------------------------------
    def hold(self, call_sid: str, counselor_id: int) -> None:
        self._handler(call_sid, counselor_id)
        self._hold_caller(self._started(call_sid), True)

    def unhold(self, call_sid: str, counselor_id: int) -> None:
        self._handler(call_sid, counselor_id)
        self._hold_caller(self._started(call_sid), False)

    def _hold_caller(self, view: ConferenceView, hold: bool) -> None:
        if hold:
            self.control.update_party(view.conference_sid, view.call_sid, hold=True,
                                      hold_url=self.absolute(HOLD_PATH), hold_method="POST")
        else:
            self.control.update_party(view.conference_sid, view.call_sid, hold=False)

    # --- consult and warm transfer -----------------------------------------------------------
    def consult(self, call_sid: str, counselor_id: int, colleague_id: int, role: str = "counselor") -> str:
        """Ring a colleague (a counselor or a supervisor) into the call; the caller holds."""
        state = self._handler(call_sid, counselor_id)
        view = self._started(call_sid)
        if colleague_id == counselor_id:
            raise ConferenceError("不能咨询自己 / you cannot consult yourself")
        label = f"consultant-{colleague_id}"
        self._hold_caller(view, True)
        self._dial(call_sid, state, label, "consultant", f"client:{role}-{colleague_id}",
                   target=f"{role}-{colleague_id}", by=counselor_id, private=True)
        return label

    def complete_transfer(self, call_sid: str, counselor_id: int) -> int:
        """Warm transfer: the consultant who joined stays with the caller, this counselor leaves."""
        self._handler(call_sid, counselor_id)
        view = self._started(call_sid)
        consultants = view.present("consultant")
        if not consultants:
            raise ConferenceError("同事尚未接入 / your colleague has not joined yet")
        colleague = int(consultants[0].label.split("-", 1)[1])
        self._hold_caller(view, False)
        self.hang_ups.caller_hung_up(call_sid)       # this counselor's talk ends: wrap-up
        self.queues.annotate(call_sid, counselor=str(colleague), status="on_call")
        self.hang_ups.call_taken_over(call_sid, colleague)   # the colleague's console: on call
        self._leave(view, f"counselor-{counselor_id}")
        now = self.clock.now()
        self.records.submit(RecordOp(call_sid, "warm_transfer", f"warm-transfer:{counselor_id}:{colleague}", now,
                                     fields={"counselor_id": colleague},
                                     detail={"from": counselor_id, "to": colleague}))
        return colleague

    def cancel_consult(self, call_sid: str, counselor_id: int) -> None:
        self._handler(call_sid, counselor_id)
        view = self._started(call_sid)
        for party in view.present("consultant"):
            self._leave(view, party.label)
        self._hold_caller(view, False)

    # --- third parties -------------------------------------------------------------------------
    def bring_in(self, call_sid: str, counselor_id: int, target: str, private: bool) -> str:
        """Dial 120/110/119 or `ref:<institution id>` into the call; the counselor stays."""
        state = self._handler(call_sid, counselor_id)
        view = self._started(call_sid)
        number, label = self._third_party(target)
        if private:
            self._hold_caller(view, True)
        self._dial(call_sid, state, label, "third_party", number, target=target, by=counselor_id, private=private)
        return label

    def _third_party(self, target: str) -> tuple[str, str]:
        if target in EMERGENCY:
            return target, f"third-{target}"
        if target.startswith("ref:") and len(target) > 4:
            phone = self.institution_phone(target[4:])
            if phone:
                return phone, f"third-ref-{target[4:]}"
            raise ConferenceError(f"转介机构 {target[4:]} 无可拨号码 / institution {target[4:]!r} has no number to dial")
        raise ConferenceError(f"无效的呼叫对象 {target!r}（120/110/119 或 ref:<机构>） / "
                              f"unknown target {target!r} (120, 110, 119 or ref:<institution>)")

    def all_together(self, call_sid: str, counselor_id: int) -> None:
        """End the private talk: the caller hears the third party too."""
        self.unhold(call_sid, counselor_id)

    def drop_party(self, call_sid: str, counselor_id: int, label: str) -> None:
        self._handler(call_sid, counselor_id)
        view = self._started(call_sid)
        if label == "caller" or label.startswith("counselor-"):
            raise ConferenceError("只能移出第三方或同事 / only a third party or a colleague can be removed")
        self._leave(view, label)

    def party_status(self, call_sid: str, label: str, status: str) -> None:
        """The dialled party's call status: the checklist outcome; a failed dial never
        leaves the caller waiting on hold."""
        invites = {invite.label: invite for invite in self.live.invites(call_sid)}
        invite = invites.get(label)
        if invite is None or status in ("queued", "initiated", "ringing"):
            return
        outcome = "answered" if status in ANSWERED else status
        if invite.outcome in ("answered", *FAILED_OUTCOMES):
            return   # the first final word stands (a retried callback, a later "completed")
        self.live.invite(call_sid, replace(invite, outcome=outcome))
        now = self.clock.now()
        self.records.submit(RecordOp(call_sid, "third_party_outcome", f"party-outcome:{label}", now,
                                     detail={"label": label, "target": invite.target, "outcome": outcome}))
        if invite.role == "third_party":
            log_third_party(self.emergency_log, call_sid, invite, outcome, now)
        view = self.view(call_sid)
        if outcome in FAILED_OUTCOMES and invite.private and view.conference_sid and view.ended_at is None:
            caller = view.party("caller")
            if caller is not None and caller.present:
                self._hold_caller(view, False)

    # --- supervisors ----------------------------------------------------------------------------
    def supervise(self, call_sid: str, supervisor: Supervisor, mode: str) -> str:
        """listen (muted), coach (only the counselor hears), join (all hear); again to change mode."""
        if mode not in MODES:
            raise ConferenceError(f"无效模式 {mode!r} / unknown mode {mode!r} ({', '.join(MODES)})")
        state = self.queues.call_state(call_sid)
        if not supervisor.may_supervise(state.get("line")):
            raise PermissionError("只能督导您负责的热线 / you may only supervise calls of lines you supervise")
        view = self._started(call_sid)
        label = f"supervisor-{supervisor.user_id}"
        counselor_leg = self._counselor_leg(view, state)
        current = view.party(label)
        if current is not None and current.present:
            self._set_mode(view, current.call_sid or label, mode, counselor_leg)
        else:
            self._dial(call_sid, state, label, "supervisor", f"client:supervisor-{supervisor.user_id}",
                       target=label, by=supervisor.user_id, muted=mode == "listen",
                       coaching_sid=counselor_leg if mode == "coach" else None)
        self.audit.supervision(supervisor.user_id, call_sid, mode, self.clock.now(), None)
        return label

    def stop_supervising(self, call_sid: str, supervisor: Supervisor) -> None:
        if not supervisor.may_supervise(self.queues.call_state(call_sid).get("line")):
            raise PermissionError("只能督导您负责的热线 / you may only supervise calls of lines you supervise")
        view = self.view(call_sid)
        label = f"supervisor-{supervisor.user_id}"
        party = view.party(label)
        if party is None:
            raise ConferenceError("您没有在督导这通电话 / you are not supervising this call")
        if party.present and view.conference_sid:
            self._leave(view, label)
        self.audit.supervision(supervisor.user_id, call_sid, "leave", party.joined_at or self.clock.now(),
                               self.clock.now())

    def _counselor_leg(self, view: ConferenceView, state: dict) -> str:
        counselor = view.party(f"counselor-{state.get('counselor')}")
        if counselor is None or not counselor.present:
            raise ConferenceError("咨询师不在通话中 / the counselor is not on the call")
        return counselor.call_sid or counselor.label

    def _set_mode(self, view: ConferenceView, participant: str, mode: str, counselor_leg: str) -> None:
        if mode == "coach":
            self.control.update_party(view.conference_sid, participant, muted=False, coaching=True,
                                      call_sid_to_coach=counselor_leg)
        else:
            self.control.update_party(view.conference_sid, participant, coaching=False, muted=mode == "listen")

    # --- plumbing ---------------------------------------------------------------------------------
    def _dial(self, call_sid: str, state: dict, label: str, role: str, to: str, *, target: str, by: int,
              private: bool = False, muted: bool = False, coaching_sid: str | None = None) -> None:
        now = self.clock.now()
        self.live.invite(call_sid, PartyInvite(label, role, now, target=target, by=by, private=private))
        try:
            self.control.add_party(call_sid, label, to, from_=state.get("dialled", ""), muted=muted,
                                   coaching_sid=coaching_sid)
        except Exception:
            failed = PartyInvite(label, role, now, target, by, "failed", private)
            self.live.invite(call_sid, failed)
            if role == "third_party":
                log_third_party(self.emergency_log, call_sid, failed, "failed", now)
            if private:
                self._hold_caller(self.view(call_sid), False)
            raise
        self.records.submit(RecordOp(call_sid, "third_party" if role == "third_party" else "party_dialled",
                                     f"dial:{label}:{now.isoformat()}", now,
                                     detail={"label": label, "role": role, "target": target, "by": by,
                                             "private": private}))

    def _leave(self, view: ConferenceView, label: str) -> None:
        party = view.party(label)
        if party is not None and party.present:
            self.control.remove_party(view.conference_sid, party.call_sid or label)
