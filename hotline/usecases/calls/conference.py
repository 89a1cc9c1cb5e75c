"""A call's conference: its status callbacks, applied idempotently and in any order.

Each callback is kept once (Twilio may retry it), written to the call record as its own
event (dedup key: event, participant, sequence number), and the conference is folded
again from everything kept (usecases/calls/conference_state.py): so duplicates and late
arrivals end in the same state as an orderly stream. The new state goes to the
supervisors, the line's room and the counselor's room (`conference.changed`).
When the conference ends, its summary (one party per label, with its last state) is
recorded too; a late callback after the end records a newer summary, never a second call.
"""
from __future__ import annotations

import logging

from hotline.ports import (SUPERVISORS, CallQueues, ConferenceControl, ConferenceEvent, ConferenceLive, ConferenceView,
                           EmergencyLog, Events, RecordOp, RecordSink, counselor_room, line_room)
from hotline.usecases.calls.conference_state import fold, payload
from hotline.usecases.calls.third_parties import log_third_party

CHANGED = "conference.changed"
log = logging.getLogger(__name__)


class ConferenceCallbacks:
    def __init__(self, live: ConferenceLive, queues: CallQueues, records: RecordSink, events: Events,
                 show_listening: bool = True, control: ConferenceControl | None = None,
                 emergency_log: EmergencyLog | None = None) -> None:
        self.live = live
        self.emergency_log = emergency_log     # the triage area's checklist: a third party left
        self.control = control                 # to release the staff's legs once the caller has gone
        self.show_listening = show_listening   # HOTLINE_SHOW_LISTENING: may the counselor see a listener?
        self.queues = queues
        self.records = records
        self.events = events

    def callback(self, event: ConferenceEvent) -> dict:
        """/voice/conference-status: keep, record, fold, tell. A duplicate changes nothing."""
        new = self.live.add_event(event)
        if new:
            self.records.submit(RecordOp(event.call_sid, "conference", f"conf:{event.key}", event.at,
                                         detail=_detail(event)))
        invites = self.live.invites(event.call_sid)
        view = fold(event.call_sid, self.live.events(event.call_sid), invites)
        if new and event.event == "participant-leave" and event.label == "caller":
            self._release_staff(view)
        if new and event.event == "participant-leave" and event.label.startswith("third-"):
            invite = next((i for i in invites if i.label == event.label), None)
            if invite is not None:
                log_third_party(self.emergency_log, event.call_sid, invite, "left", event.at)
        data = payload(view, invites)
        if view.ended_at is not None:
            self.records.submit(RecordOp(event.call_sid, "conference_summary",
                                         f"conf-summary:{len(self.live.events(event.call_sid))}",
                                         view.ended_at, detail=data))
        self.publish(event.call_sid, data)
        return data

    def _release_staff(self, view: ConferenceView) -> None:
        """The caller hung up (or was moved on by a cold transfer): the counselor's, a
        consultant's and a supervisor's legs leave too, so the conference ends — unless a
        third party (120, an institution) is still on: the counselor may need to finish with
        them, and leaves by hand."""
        if self.control is None or view.present("third_party") or not view.conference_sid:
            return
        for party in view.present("counselor") + view.present("consultant") + view.present("supervisor"):
            try:
                self.control.remove_party(view.conference_sid, party.call_sid or party.label)
            except Exception:
                log.exception("无法释放会议成员 / could not release %s from the conference of call %s",
                              party.label, view.call_sid)

    def state(self, call_sid: str) -> dict:
        invites = self.live.invites(call_sid)
        return payload(fold(call_sid, self.live.events(call_sid), invites), invites)

    def counselor_state(self, call_sid: str, counselor_id: int) -> dict:
        """The state as the call's counselor sees it; another counselor may not look."""
        if self.queues.call_state(call_sid).get("counselor") != str(counselor_id):
            raise PermissionError("这不是您正在接听的通话 / this is not your call")
        return self.for_counselor(self.state(call_sid))

    def publish(self, call_sid: str, data: dict) -> None:
        state = self.queues.call_state(call_sid)
        self.events.publish(CHANGED, data, [SUPERVISORS])
        rooms = [line_room(state["line"])] if state.get("line") else []
        if state.get("counselor"):
            rooms.append(counselor_room(int(state["counselor"])))
        if rooms:   # the counselors' rooms: a listening supervisor only if the centre shows it
            self.events.publish(CHANGED, self.for_counselor(data), rooms)

    def for_counselor(self, data: dict) -> dict:
        """What the counselor's console sees: a listening supervisor only if the centre shows it."""
        if self.show_listening:
            return data
        hidden = {s["label"] for s in data["supervision"] if s["mode"] == "listen"}
        return {**data, "supervision": [s for s in data["supervision"] if s["label"] not in hidden],
                "parties": [p for p in data["parties"] if p["label"] not in hidden],
                "statuses": [s for s in data["statuses"] if s != "supervised" or len(hidden) < len(data["supervision"])]}


def _detail(event: ConferenceEvent) -> dict:
    detail = {"event": event.event, "sequence": event.sequence, "label": event.label,
              "conference_sid": event.conference_sid}
    for name in ("muted", "hold", "coaching"):
        if getattr(event, name) is not None:
            detail[name] = getattr(event, name)
    if event.reason:
        detail["reason"] = event.reason
    return detail
