"""Who is on duty for a line now and who comes next.

Until rosters exist this is "counselors signed in for the line"; the shifts
feature replaces `on_duty` with the roster's current and next shift.
"""
from __future__ import annotations

from datetime import datetime

from hotline.live.presence import WORKING


def on_duty(services, line_id: str, at: datetime) -> dict:
    """{"current": [{"id", "name", "state"}], "next": {"start": ISO | None, "names": [...]}, "source"}."""
    current = [{"id": p.counselor_id, "name": p.name, "state": p.state}
               for p in services.presence.all() if line_id in p.lines and p.state != "offline"]
    staffed = any(c["state"] in WORKING for c in current)
    return {"current": current, "next": {"start": None, "names": []}, "source": "presence",
            "staffed": staffed}
