"""The dashboard's calls in progress, each with its conference state: talking, on hold,
consulting, third party joined, supervised (and by whom, in which mode)."""
from __future__ import annotations

from hotline.ports import CallQueues, ConferenceLive, Presences
from hotline.usecases.calls.conference_state import fold, payload


class ConferenceBoard:
    def __init__(self, presences: Presences, live: ConferenceLive, queues: CallQueues) -> None:
        self.presences = presences
        self.live = live
        self.queues = queues

    def calls(self) -> list[dict]:
        rows = []
        for presence in sorted(self.presences.all(), key=lambda p: p.counselor_id):
            if presence.state != "on_call" or not presence.call:
                continue
            invites = self.live.invites(presence.call)
            state = payload(fold(presence.call, self.live.events(presence.call), invites), invites)
            rows.append({"call": presence.call, "counselor": presence.counselor_id, "name": presence.name,
                         "line": self.queues.call_state(presence.call).get("line"),
                         "conference": bool(state["conference_sid"]), "statuses": state["statuses"] or ["talking"],
                         "supervision": state["supervision"]})
        return rows
