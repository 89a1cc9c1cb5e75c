"""Offers, acceptance, timeouts and wrap-up, shared by every process through Redis.

The pure core (routing/assignment.py) picks pairs; this module reads the live state,
takes a short Redis lock so one dispatcher decides at a time, and makes each offer
with an atomic script that re-checks both the call and the counselor.
"""
from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta, timezone

from hotline.live import scripts
from hotline.ports import Presence
from hotline.live.queues import sid_of
from hotline.routing.assignment import Candidate, Offer, Policy, WaitingCall, choose_offers

log = logging.getLogger(__name__)
LOCK_MS = 5000


def _ts(at: datetime) -> str:
    return f"{at.timestamp():.3f}"


def _dt(value) -> datetime:
    return datetime.fromtimestamp(float(value), tz=timezone.utc)


class Dispatcher:
    def __init__(self, services) -> None:
        self.s = services
        redis = services.redis
        self._offer = redis.register_script(scripts.MAKE_OFFER)
        self._accept = redis.register_script(scripts.ACCEPT)
        self._withdraw = redis.register_script(scripts.WITHDRAW)
        self._transition = redis.register_script(scripts.TRANSITION)
        self._release = redis.register_script(scripts.RELEASE_LOCK)
        self._leave = redis.register_script(scripts.LEAVE)

    @property
    def keys(self):
        return self.s.keys

    def policy(self) -> Policy:
        return Policy(continuity_wait_s=self.s.settings.continuity_wait_s)

    # --- matching ----------------------------------------------------------------------
    def dispatch(self) -> list[Offer]:
        """Offer waiting calls to available counselors; returns the offers made."""
        candidates = self.available_candidates()
        if not candidates:
            return []
        token = secrets.token_hex(8)
        lock = f"{self.keys.prefix}:dispatch-lock"
        if not self.s.redis.set(lock, token, nx=True, px=LOCK_MS):
            return []
        try:
            return self._dispatch_locked(self.available_candidates())
        finally:
            self._release(keys=[lock], args=[token])

    def _dispatch_locked(self, candidates: list[Candidate], rounds: int = 5) -> list[Offer]:
        """Decide on a snapshot; if a caller joined ahead meanwhile, decide again."""
        made: list[Offer] = []
        for _ in range(rounds):
            stale = False
            lines = set().union(*(c.lines for c in candidates))
            calls = self.waiting_calls(lines, depth=len(candidates) + 25)
            now = self.s.now()
            for offer in choose_offers(calls, candidates, now, self.policy()):
                result = self._make_offer(calls, offer, now)
                made += [offer] if result == 1 else []
                stale = stale or result == -1
            if not stale:
                break
            candidates = self.available_candidates()
        return made

    def _make_offer(self, calls: list[WaitingCall], offer: Offer, now: datetime) -> int:
        call = next(c for c in calls if c.call_sid == offer.call_sid)
        expires = now + timedelta(seconds=self.s.settings.offer_timeout_s)
        keys = [self.keys.queue(call.line_id), self.keys.presence(), self.keys.call(call.call_sid),
                self.keys.offer(call.call_sid), self.keys.sequence(), self.keys.call("")]
        seen = [c.call_sid for c in calls if c.line_id == call.line_id]
        result = int(self._offer(keys=keys, args=[call.call_sid, offer.counselor_id, _ts(now), _ts(expires), *seen]))
        if result == 1:
            self.s.notices.offered(call, offer, now, expires)
        return result

    def available_candidates(self) -> list[Candidate]:
        return [Candidate(p.counselor_id, frozenset(self.s.eligibility.lines_for(p, self.s.now())), p.since)
                for p in self.s.presence.all() if p.state == "available"]

    def waiting_calls(self, lines, depth: int) -> list[WaitingCall]:
        pipe = self.s.redis.pipeline(transaction=False)
        for line_id in sorted(lines):
            pipe.zrange(self.keys.queue(line_id), 0, depth - 1)
        sids = [(line, sid_of(m)) for line, members in zip(sorted(lines), pipe.execute()) for m in members]
        for _, sid in sids:
            pipe.hgetall(self.keys.call(sid))
        states = pipe.execute()
        last = self._last_counselors(states)
        return [call for (line, sid), raw in zip(sids, states)
                if (call := _waiting(line, sid, raw, last)) is not None]

    def _last_counselors(self, states) -> dict[str, int]:
        callers = sorted({raw.get(b"caller_key", b"").decode() for raw in states} - {""})
        if not callers:
            return {}
        values = self.s.redis.hmget(self.keys.last_counselor(), callers)
        return {c: int(v) for c, v in zip(callers, values) if v}

    # --- the counselor's actions --------------------------------------------------------
    def accept(self, call_sid: str, counselor_id: int) -> bool:
        state = self.s.queues.call_state(call_sid)
        line_id = state.get("line", "")
        keys = [self.keys.offer(call_sid), self.keys.presence(), self.keys.call(call_sid),
                self.keys.queue(line_id)]
        return bool(self._accept(keys=keys, args=[call_sid, counselor_id, _ts(self.s.now())]))

    def withdraw(self, call_sid: str, counselor_id: int, next_state: str, declined: bool) -> bool:
        keys = [self.keys.offer(call_sid), self.keys.presence(), self.keys.call(call_sid)]
        args = [call_sid, counselor_id, _ts(self.s.now()), next_state, "1" if declined else "0"]
        return bool(self._withdraw(keys=keys, args=args))

    def leave_queue(self, call_sid: str, reason: str) -> tuple[bool, int | None]:
        """Take a waiting caller out (voicemail, rollover), withdrawing any offer atomically.
        Returns (left, counselor whose offer was withdrawn); left is False once accepted."""
        line_id = self.s.queues.call_state(call_sid).get("line", "")
        keys = [self.keys.call(call_sid), self.keys.offer(call_sid), self.keys.presence(), self.keys.queue(line_id)]
        result = int(self._leave(keys=keys, args=[call_sid, _ts(self.s.now()), reason]))
        return result > 0, (result - 1 if result > 1 else None)

    def transition(self, counselor_id: int, from_state: str, to_state: str,
                   until: datetime | None = None) -> bool:
        args = [counselor_id, from_state, to_state, _ts(self.s.now()), _ts(until) if until else ""]
        return bool(self._transition(keys=[self.keys.presence()], args=args))

    def current_offer(self, call_sid: str) -> dict[str, str]:
        raw = self.s.redis.hgetall(self.keys.offer(call_sid))
        return {k.decode(): v.decode() for k, v in raw.items()}

    # --- time passing --------------------------------------------------------------------
    def expired_offers(self, now: datetime) -> list[tuple[str, int]]:
        expired = []
        for presence in self.s.presence.all():
            if presence.state == "offered" and presence.call:
                offer = self.current_offer(presence.call)
                if not offer or _dt(offer["expires"]) <= now:
                    expired.append((presence.call, presence.counselor_id))
        return expired

    def finished_wrap_ups(self, now: datetime) -> list[Presence]:
        return [p for p in self.s.presence.all()
                if p.state == "wrap_up" and p.until is not None and p.until <= now]


def _waiting(line_id: str, sid: str, raw: dict, last: dict[str, int]) -> WaitingCall | None:
    state = {k.decode(): v.decode() for k, v in raw.items()}
    if state.get("status") != "queued" or "arrived_ms" not in state:
        return None
    declined = frozenset(int(x) for x in state.get("declined", "").split(",") if x)
    arrived = _dt(int(state["arrived_ms"]) / 1000)
    enqueued = _dt(int(state.get("enqueued_ms", state["arrived_ms"])) / 1000)
    sequence = int(state.get("member", "0:0:").split(":")[1] or 0)
    return WaitingCall(sid, line_id, int(state.get("priority", 0)), arrived, enqueued,
                       last.get(state.get("caller_key", "")), declined, sequence)
