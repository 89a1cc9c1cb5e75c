"""What counselors and supervisors are told when an offer or a call changes.

Events go to the supervisors, the counselor's own room and, for calls, the line's room;
the caller's number never appears in them — only the line, the wait, the menu choice,
and for a repeat caller a summary of their file (from the triage area: OfferContext).
An offer goes to the counselor's room only: the file is private to whoever answers.
"""
from __future__ import annotations

from datetime import datetime

from hotline.ports import (SUPERVISORS, CallQueues, Events, OfferContext, Presence, Presences, counselor_room,
                           line_room)
from hotline.routing.assignment import Offer
from hotline.routing.decision import priority_label
from hotline.routing.directory import Directory


WITHHELD_LABEL = "号码未显示 / number withheld"


class Notices:
    def __init__(self, *, events: Events, queues: CallQueues, presences: Presences, directory: Directory,
                 offer_context: OfferContext) -> None:
        self.events = events
        self.queues = queues
        self.presences = presences
        self.directory = directory
        self.offer_context = offer_context

    def publish(self, event: str, payload: dict, counselor_id: int | None = None,
                line_id: str | None = None) -> None:
        rooms = [SUPERVISORS]
        if counselor_id is not None:
            rooms.append(counselor_room(counselor_id))
        if line_id:
            rooms.append(line_room(line_id))
        self.events.publish(event, payload, rooms)

    def offer_payload(self, call_sid: str, now: datetime, expires: datetime | None = None) -> dict:
        """The offer as the console shows it (the "offer" event and the console's state)."""
        state = self.queues.call_state(call_sid)
        line = self.directory.get(state.get("line", ""))
        arrived = float(state.get("arrived_ms", 0)) / 1000
        context = self.offer_context.offer_context(state.get("caller_key", ""), call_sid)
        priority = int(state.get("priority", 0) or 0)
        return {"call": call_sid, "line": line.id if line else None, "line_name": line.name if line else "",
                "waited_s": round(max(now.timestamp() - arrived, 0), 1), "menu": state.get("menu") or None,
                "priority": priority, "priority_label": priority_label(priority), "crisis": state.get("crisis") == "1",
                "expires_at": expires.isoformat() if expires else None,
                "flagged": context["flagged"], "warning": context["warning"], "history": context["history"],
                "withheld": state.get("withheld") == "1",
                "caller_label": WITHHELD_LABEL if state.get("withheld") == "1" else None}

    def offered(self, call_sid: str, offer: Offer, now: datetime, expires: datetime) -> None:
        payload = self.offer_payload(call_sid, now, expires) | {"continuity": offer.continuity,
                                                                "counselor": offer.counselor_id}
        self.publish("offer", payload, offer.counselor_id)   # not to the line room: the file is private

    def withdrawn(self, call_sid: str, counselor_id: int, reason: str, notice: str | None = None) -> None:
        payload = {"call": call_sid, "reason": reason}
        if notice:
            payload["notice"] = notice
        self.publish("offer.withdrawn", payload, counselor_id)

    def presence(self, counselor_id: int) -> None:
        presence = self.presences.get(counselor_id)
        if presence is not None:
            self.publish("presence", presence_event(presence), counselor_id)


def presence_event(presence: Presence) -> dict:
    return {"counselor": presence.counselor_id, "state": presence.state, "since": presence.since.isoformat(),
            "call": presence.call, "until": presence.until.isoformat() if presence.until else None,
            "name": presence.name, "lines": list(presence.lines)}
