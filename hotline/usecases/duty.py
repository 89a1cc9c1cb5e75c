"""Who is on duty for a line now and who comes next: the roster's shifts where there is one.

A rostered line answers with the counselors on shift at `at` (with their live
presence state) and the next shift's start and names; `staffed` is true when one of
them is in a working state. A line without a roster answers as before: the
counselors signed in for it. Both come from the eligibility snapshot, so the
dashboard polling this costs no database query.
"""
from __future__ import annotations

import logging
from datetime import datetime

from hotline.ports import WORKING, Clock, OnCallLookup, Presences

log = logging.getLogger(__name__)


class DutyBoard:
    """OnDuty: the current and next shift of a line, and of every hosted line for the roster page."""

    def __init__(self, on_call: OnCallLookup, presences: Presences, directory, clock: Clock) -> None:
        self.on_call = on_call
        self.presences = presences
        self.directory = directory
        self.clock = clock

    def on_duty(self, line_id: str, at: datetime) -> dict:
        """{"current": [{"id", "name", "state"}], "next": {"start": ISO | None, "names": [...]},
        "source": "roster" | "presence", "staffed": bool}."""
        rostered = self.on_call.on_call(line_id, at)
        if rostered is None:
            return self._by_presence(line_id)
        on_call, names = rostered
        presence = {p.counselor_id: p for p in self.presences.all()}
        current = []
        for cid in _unique(s.counselor_id for s in on_call.current):
            p = presence.get(int(cid))
            current.append({"id": int(cid), "name": names.get(cid) or (p.name if p else cid),
                            "state": p.state if p else "offline"})
        following = [names.get(cid, cid) for cid in _unique(s.counselor_id for s in on_call.next)]
        start = on_call.next_start
        return {"current": current, "next": {"start": start.isoformat() if start else None, "names": following},
                "source": "roster", "staffed": any(c["state"] in WORKING for c in current)}

    def hosted_lines(self, at: datetime | None = None) -> list[dict]:
        """Per hosted line (now, unless told): its id, name, whether it is open, and on_duty(); a line
        whose duty cannot be read is left out (a roster problem must not blank the page)."""
        at = at or self.clock.now()
        out = []
        for line in self.directory.hosted():
            try:
                entry = self.on_duty(line.id, at)
            except Exception as exc:  # noqa: BLE001 — a roster problem must not blank the page
                log.warning("值班信息不可用 / on-duty unavailable for %s: %s", line.id, type(exc).__name__)
                continue
            out.append({"line_id": line.id, "name": line.name, "open": line.is_open(at), **entry})
        return out

    def _by_presence(self, line_id: str) -> dict:
        current = [{"id": p.counselor_id, "name": p.name, "state": p.state}
                   for p in self.presences.all() if line_id in p.lines and p.state != "offline"]
        staffed = any(c["state"] in WORKING for c in current)
        return {"current": current, "next": {"start": None, "names": []}, "source": "presence",
                "staffed": staffed}


def _unique(values):
    return list(dict.fromkeys(values))
