"""Who is offered which waiting call, shared by every process through the live state.

The pure core (routing/assignment.py) picks the pairs; this use case reads the live
state, holds the dispatch lock so that one dispatcher of all processes decides at a
time, and makes each offer as one atomic step (OfferSteps) that re-checks the call and
the counselor. An offer is refused when a caller the snapshot did not show has joined
ahead meanwhile: the dispatcher then decides again on fresh state.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable

from hotline.ports import BlockMarks, Clock, Continuity, OfferSteps, Presence, Presences, QueuedCall, Staffing
from hotline.routing.assignment import Candidate, Offer, Policy, WaitingCall, choose_offers
from hotline.usecases.notices import Notices

MADE, REFUSED, STALE = 1, 0, -1    # what OfferSteps.make_offer answers
ROUNDS = 5                         # decisions per dispatch when callers keep joining ahead
LOOK_AHEAD = 25                    # calls read per line beyond one per free counselor


class Dispatcher:
    def __init__(self, *, presences: Presences, steps: OfferSteps, continuity: Continuity, staffing: Staffing,
                 notices: Notices, clock: Clock, offer_timeout_s: float, continuity_wait_s: float,
                 marks: BlockMarks | None = None) -> None:
        self.presences = presences
        self.steps = steps
        self.continuity = continuity
        self.staffing = staffing
        self.notices = notices
        self.clock = clock
        self.offer_timeout_s = offer_timeout_s
        self.policy = Policy(continuity_wait_s=continuity_wait_s)
        self.marks = marks

    def dispatch(self) -> list[Offer]:
        """Offer waiting calls to available counselors; returns the offers made."""
        if not self.available_candidates():
            return []
        with self.steps.dispatch_lock() as held:
            return self._decide(self.available_candidates()) if held else []

    def _decide(self, candidates: list[Candidate]) -> list[Offer]:
        """Decide on a snapshot; if a caller joined ahead meanwhile, decide again."""
        made: list[Offer] = []
        for _ in range(ROUNDS):
            stale = False
            lines = set().union(*(c.lines for c in candidates))
            calls = self.waiting_calls(lines, depth=len(candidates) + LOOK_AHEAD)
            now = self.clock.now()
            for offer in choose_offers(calls, candidates, now, self.policy):
                result = self._make_offer(calls, offer, now)
                made += [offer] if result == MADE else []
                stale = stale or result == STALE
            if not stale:
                break
            candidates = self.available_candidates()
        return made

    def _make_offer(self, calls: list[WaitingCall], offer: Offer, now: datetime) -> int:
        call = next(c for c in calls if c.call_sid == offer.call_sid)
        expires = now + timedelta(seconds=self.offer_timeout_s)
        seen = [c.call_sid for c in calls if c.line_id == call.line_id]
        result = self.steps.make_offer(call.call_sid, call.line_id, offer.counselor_id, now, expires, seen)
        if result == MADE:
            self.notices.offered(call.call_sid, offer, now, expires)
        return result

    def available_candidates(self) -> list[Candidate]:
        """Available counselors, less any the close guard last saw blocked (a second line of
        defence: no path makes a blocked counselor available)."""
        blocked = self.marks.blocked_ids() if self.marks is not None else set()
        return [Candidate(p.counselor_id, frozenset(self.staffing.lines_for(p, self.clock.now())), p.since)
                for p in self.presences.all() if p.state == "available" and p.counselor_id not in blocked]

    def waiting_calls(self, lines: Iterable[str], depth: int) -> list[WaitingCall]:
        """The first `depth` callers of each line still waiting (not offered, not leaving)."""
        heads = self.steps.queue_heads(sorted(lines), depth)
        callers = sorted({head.state.get("caller_key", "") for head in heads} - {""})
        last = self.continuity.last_counselors(callers) if callers else {}
        return [call for head in heads if (call := waiting_call(head, last)) is not None]

    def expired_offers(self, now: datetime) -> list[tuple[str, int]]:
        """(call, counselor) of every offer not accepted in time (or whose offer is gone)."""
        expired = []
        for presence in self.presences.all():
            if presence.state == "offered" and presence.call:
                offer = self.steps.ringing(presence.call)
                if offer is None or offer.expires_at is None or offer.expires_at <= now:
                    expired.append((presence.call, presence.counselor_id))
        return expired

    def in_wrap_up(self, now: datetime) -> list[Presence]:
        return [p for p in self.presences.all() if p.state == "wrap_up"]

    def finished_wrap_ups(self, now: datetime) -> list[Presence]:
        return [p for p in self.presences.all()
                if p.state == "wrap_up" and p.until is not None and p.until <= now]


def waiting_call(head: QueuedCall, last_counselors: dict[str, int]) -> WaitingCall | None:
    """A queue entry as the assignment core sees it; None unless it is waiting for an offer."""
    state = head.state
    if state.get("status") != "queued" or "arrived_ms" not in state:
        return None
    declined = frozenset(int(x) for x in state.get("declined", "").split(",") if x)
    arrived = _from_ms(state["arrived_ms"])
    enqueued = _from_ms(state.get("enqueued_ms", state["arrived_ms"]))
    sequence = int(state.get("member", "0:0:").split(":")[1] or 0)
    return WaitingCall(head.call_sid, head.line_id, int(state.get("priority", 0)), arrived, enqueued,
                       last_counselors.get(state.get("caller_key", "")), declined, sequence)


def _from_ms(value: str) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)
