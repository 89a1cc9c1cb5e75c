"""Who gets offered which call — pure core.

The highest-priority, longest-waiting call goes to the longest-idle eligible
counselor. A repeat caller is held briefly for the counselor who last spoke with
them (continuity), unless the call is urgent: urgent calls never wait for anyone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class WaitingCall:
    call_sid: str
    line_id: str
    priority: int
    arrived_at: datetime
    enqueued_at: datetime
    last_counselor: int | None = None
    declined_by: frozenset[int] = frozenset()
    sequence: int = 0              # arrival order among callers of the same instant


@dataclass(frozen=True)
class Candidate:
    counselor_id: int
    lines: frozenset[str]
    idle_since: datetime


@dataclass(frozen=True)
class Offer:
    call_sid: str
    counselor_id: int
    continuity: bool = False


@dataclass(frozen=True)
class Policy:
    continuity_wait_s: float = 30.0
    urgent_priority: int = 1       # calls at or above this priority never wait for continuity


def order_calls(calls: list[WaitingCall]) -> list[WaitingCall]:
    return sorted(calls, key=lambda c: (-c.priority, c.arrived_at, c.sequence, c.call_sid))


def choose_offers(calls: list[WaitingCall], candidates: list[Candidate], now: datetime,
                  policy: Policy = Policy()) -> list[Offer]:
    """Match waiting calls to available counselors, best call first."""
    free = sorted(candidates, key=lambda c: (c.idle_since, c.counselor_id))
    offers: list[Offer] = []
    for call in order_calls(calls):
        eligible = [c for c in free if call.line_id in c.lines and c.counselor_id not in call.declined_by]
        chosen = _pick(call, eligible, now, policy)
        if chosen is None:
            continue
        free.remove(chosen)
        offers.append(Offer(call.call_sid, chosen.counselor_id, chosen.counselor_id == call.last_counselor))
        if not free:
            break
    return offers


def _pick(call: WaitingCall, eligible: list[Candidate], now: datetime, policy: Policy) -> Candidate | None:
    preferred = next((c for c in eligible if c.counselor_id == call.last_counselor), None)
    if preferred is not None:
        return preferred
    if _hold_for_continuity(call, now, policy):
        return None
    return eligible[0] if eligible else None


def _hold_for_continuity(call: WaitingCall, now: datetime, policy: Policy) -> bool:
    """Keep a repeat caller for their last counselor for a short while (not if urgent)."""
    if call.last_counselor is None or call.last_counselor in call.declined_by:
        return False
    if call.priority >= policy.urgent_priority:
        return False
    return (now - call.enqueued_at).total_seconds() < policy.continuity_wait_s
