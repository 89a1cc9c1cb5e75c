"""Who is on duty for a line now and who comes next: the roster's shifts where there is one.

A rostered line answers with the counselors on shift at `at` (with their live
presence state) and the next shift's start and names; `staffed` is true when one of
them is in a working state. A line without a roster answers as before: the
counselors signed in for it. Both come from the eligibility snapshot, so the
dashboard polling this costs no database query.
"""
from __future__ import annotations

from datetime import datetime

from hotline.live.presence import WORKING


def on_duty(services, line_id: str, at: datetime) -> dict:
    """{"current": [{"id", "name", "state"}], "next": {"start": ISO | None, "names": [...]},
    "source": "roster" | "presence", "staffed": bool}."""
    rostered = _rostered(services, line_id, at)
    if rostered is None:
        return _by_presence(services, line_id)
    on_call, names = rostered
    presence = {p.counselor_id: p for p in services.presence.all()}
    current = []
    for cid in _unique(s.counselor_id for s in on_call.current):
        p = presence.get(int(cid))
        current.append({"id": int(cid), "name": names.get(cid) or (p.name if p else cid),
                        "state": p.state if p else "offline"})
    following = [names.get(cid, cid) for cid in _unique(s.counselor_id for s in on_call.next)]
    start = on_call.next_start
    return {"current": current, "next": {"start": start.isoformat() if start else None, "names": following},
            "source": "roster", "staffed": any(c["state"] in WORKING for c in current)}


def _rostered(services, line_id: str, at: datetime):
    ask = getattr(services.eligibility, "on_call", None)
    return ask(line_id, at) if ask is not None else None


def _by_presence(services, line_id: str) -> dict:
    current = [{"id": p.counselor_id, "name": p.name, "state": p.state}
               for p in services.presence.all() if line_id in p.lines and p.state != "offline"]
    staffed = any(c["state"] in WORKING for c in current)
    return {"current": current, "next": {"start": None, "names": []}, "source": "presence",
            "staffed": staffed}


def _unique(values):
    return list(dict.fromkeys(values))
