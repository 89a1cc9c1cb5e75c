"""The live half of the dashboard, read from Redis in a few round trips.

Queues and presence are shared by every process through Redis, so any process
can build the same picture. Waits are measured from the caller's first arrival
(a rolled-over caller keeps it), which is what the caller has lived through.
"""
from __future__ import annotations

from datetime import datetime, timezone

from hotline.live.queues import sid_of

QUEUE_SHOWN = 20          # callers listed per line; the count covers them all
SHOWN_STATES = ("available", "offered", "on_call", "wrap_up", "break")


def _arrived_ms(member: bytes | str) -> int:
    text = member.decode() if isinstance(member, bytes) else member
    return int(text.split(":", 1)[0])


def _queue_item(member, score: float) -> dict:
    arrived = datetime.fromtimestamp(_arrived_ms(member) / 1000, tz=timezone.utc)
    return {"call": sid_of(member), "arrived_at": arrived.isoformat(), "priority": int(-score)}


def queue_figures(services, line_ids: list[str], now: datetime) -> dict[str, dict]:
    """Per line: callers waiting (ringing ones included), the oldest arrival, the longest wait."""
    pipe = services.redis.pipeline(transaction=False)
    for line_id in line_ids:
        pipe.zrange(services.keys.queue(line_id), 0, -1, withscores=True)
    figures = {}
    for line_id, scored in zip(line_ids, pipe.execute()):
        members = [member for member, _ in scored]
        oldest = min((_arrived_ms(m) for m in members), default=None)
        arrived = datetime.fromtimestamp(oldest / 1000, tz=timezone.utc) if oldest is not None else None
        figures[line_id] = {
            "waiting": len(members),
            "oldest_arrived_at": arrived.isoformat() if arrived else None,
            "longest_wait_s": round(max(now.timestamp() - oldest / 1000, 0.0), 1) if oldest is not None else None,
            "queue": [_queue_item(member, score) for member, score in scored[:QUEUE_SHOWN]],
        }
    return figures


def call_lines(services, presences) -> dict[str, str]:
    """The line of each call a counselor is offered or talking (CallSid → line id)."""
    sids = sorted({p.call for p in presences if p.call and p.state in ("offered", "on_call")})
    if not sids:
        return {}
    pipe = services.redis.pipeline(transaction=False)
    for sid in sids:
        pipe.hget(services.keys.call(sid), "line")
    return {sid: line.decode() for sid, line in zip(sids, pipe.execute()) if line}


def counselor_figures(services, presences, lines_of_calls: dict[str, str], line_ids: list[str],
                      now: datetime) -> dict[str, dict]:
    """Per line: counselors by state (those who may answer it now) and calls in progress."""
    figures = {line_id: {"counselors": dict.fromkeys(SHOWN_STATES, 0), "in_progress": 0, "ringing": 0}
               for line_id in line_ids}
    for presence in presences:
        if presence.state in SHOWN_STATES:
            for line_id in services.eligibility.lines_for(presence, now):
                if line_id in figures:
                    figures[line_id]["counselors"][presence.state] += 1
        line_id = lines_of_calls.get(presence.call or "")
        if line_id in figures and presence.state == "on_call":
            figures[line_id]["in_progress"] += 1
        elif line_id in figures and presence.state == "offered":
            figures[line_id]["ringing"] += 1
    return figures


def counselor_grid(presences, lines_of_calls: dict[str, str]) -> list[dict]:
    """Everyone with a presence, working states first, then by how long they have been in it."""
    order = {state: i for i, state in enumerate(("on_call", "offered", "wrap_up", "available", "break", "offline"))}
    rows = [{"id": p.counselor_id, "name": p.name or f"#{p.counselor_id}", "state": p.state,
             "since": p.since.isoformat(), "until": p.until.isoformat() if p.until else None,
             "lines": list(p.lines), "call": p.call if p.state in ("offered", "on_call") else None,
             "line": lines_of_calls.get(p.call or "") if p.state in ("offered", "on_call") else None}
            for p in presences]
    return sorted(rows, key=lambda r: (order.get(r["state"], 9), r["since"], r["id"]))
