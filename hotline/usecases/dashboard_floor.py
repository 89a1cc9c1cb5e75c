"""The live figures of the dashboard, from the queues and the counselors' presence.

Waits are measured from the caller's first arrival (a rolled-over caller keeps it),
which is what the caller has lived through. Counselors count for a line when they may
answer it now (the roster where there is one: the Staffing collaborator).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Iterable

from hotline.ports import Presence, QueuedCaller

QUEUE_SHOWN = 20          # callers listed per line; the count covers them all
SHOWN_STATES = ("available", "offered", "on_call", "wrap_up", "break")
BUSY_STATES = ("offered", "on_call")          # a counselor with a call on their console
GRID_ORDER = ("on_call", "offered", "wrap_up", "available", "break", "offline")


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).isoformat()


def queue_figures(queued: dict[str, list[QueuedCaller]], line_ids: list[str], now: datetime) -> dict[str, dict]:
    """Per line: callers waiting (ringing ones included), the oldest arrival, the longest wait."""
    figures = {}
    for line_id in line_ids:
        calls = queued.get(line_id, [])
        oldest = min((call.arrived_ms for call in calls), default=None)
        figures[line_id] = {
            "waiting": len(calls),
            "oldest_arrived_at": _iso(oldest) if oldest is not None else None,
            "longest_wait_s": round(max(now.timestamp() - oldest / 1000, 0.0), 1) if oldest is not None else None,
            "queue": [{"call": call.call_sid, "arrived_at": _iso(call.arrived_ms), "priority": call.priority,
                       "withheld": call.withheld} for call in calls[:QUEUE_SHOWN]],
        }
    return figures


def busy_calls(presences: Iterable[Presence]) -> list[str]:
    """The calls offered to or talked by a counselor, each once, sorted."""
    return sorted({p.call for p in presences if p.call and p.state in BUSY_STATES})


def counselor_figures(presences: Iterable[Presence], lines_of_calls: dict[str, str], line_ids: list[str],
                      now: datetime, lines_for: Callable[[Presence, datetime], set[str]]) -> dict[str, dict]:
    """Per line: counselors by state (those who may answer it now) and calls in progress.

    A counselor with a call on the console (ringing or talking) counts on the call's line
    only: on the other lines they may answer they are not "on call", they are simply not
    free. Where the call's line is unknown they count where they may answer."""
    figures = {line_id: {"counselors": dict.fromkeys(SHOWN_STATES, 0), "in_progress": 0, "ringing": 0}
               for line_id in line_ids}
    for presence in presences:
        line_id = lines_of_calls.get(presence.call or "")
        if presence.state in SHOWN_STATES:
            busy_here = presence.state in BUSY_STATES and line_id is not None
            for counted in ({line_id} if busy_here else lines_for(presence, now)):
                if counted in figures:
                    figures[counted]["counselors"][presence.state] += 1
        if line_id in figures and presence.state == "on_call":
            figures[line_id]["in_progress"] += 1
        elif line_id in figures and presence.state == "offered":
            figures[line_id]["ringing"] += 1
    return figures


def counselor_grid(presences: Iterable[Presence], lines_of_calls: dict[str, str]) -> list[dict]:
    """Everyone with a presence, working states first, then by how long they have been in it."""
    order = {state: i for i, state in enumerate(GRID_ORDER)}
    rows = [{"id": p.counselor_id, "name": p.name or f"#{p.counselor_id}", "state": p.state,
             "since": p.since.isoformat(), "until": p.until.isoformat() if p.until else None,
             "lines": list(p.lines), "call": p.call if p.state in BUSY_STATES else None,
             "line": lines_of_calls.get(p.call or "") if p.state in BUSY_STATES else None}
            for p in presences]
    return sorted(rows, key=lambda r: (order.get(r["state"], 9), r["since"], r["id"]))


def staff_totals(counselors: list[dict]) -> dict:
    """Counselors by state, each person once (a counselor on two lines is one person)."""
    counts = dict.fromkeys(SHOWN_STATES, 0)
    for row in counselors:
        if row["state"] in counts:
            counts[row["state"]] += 1
    return counts
