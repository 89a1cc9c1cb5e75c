"""Counselor presence shared across processes (hotline.ports.Presences): one JSON value
per counselor in one hash, {state, since, lines, name, call, until}.

State changes that must not race (offers, calls, wrap-up) go through the atomic scripts
of live/offers.py; this store reads, creates and refreshes profiles. Who staffs which
line is the roster area's answer (hotline.ports.Staffing), not this store's.
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone

import redis

from hotline.live.keys import Keys
from hotline.ports import PRESENCE_STATES, WORKING, Presence

__all__ = ["BlockMarks", "Presence", "PresenceStore", "STATES", "WORKING", "from_json", "to_json"]

STATES = PRESENCE_STATES


def to_json(presence: Presence) -> str:
    data = {"state": presence.state, "since": presence.since.timestamp(), "lines": list(presence.lines),
            "name": presence.name}
    if presence.call:
        data["call"] = presence.call
    if presence.until:
        data["until"] = presence.until.timestamp()
    return json.dumps(data)


def from_json(counselor_id: int, raw: bytes | str) -> Presence:
    data = json.loads(raw)
    until = data.get("until")
    return Presence(counselor_id, data["state"], datetime.fromtimestamp(data["since"], tz=timezone.utc),
                    tuple(data.get("lines", ())), data.get("name", ""), data.get("call"),
                    datetime.fromtimestamp(until, tz=timezone.utc) if until else None)


class PresenceStore:
    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.keys = keys

    def set(self, presence: Presence) -> None:
        if presence.state not in STATES:
            raise ValueError(f"未知状态 / unknown presence state {presence.state!r}")
        self.redis.hset(self.keys.presence(), str(presence.counselor_id), to_json(presence))

    def update_profile(self, counselor_id: int, name: str, lines: tuple[str, ...]) -> None:
        """Refresh name and lines without touching the state (read-modify-write is
        safe here: only the counselor's own requests change their profile)."""
        current = self.get(counselor_id)
        if current is not None:
            self.redis.hset(self.keys.presence(), str(counselor_id),
                            to_json(replace(current, name=name, lines=lines)))

    def get(self, counselor_id: int) -> Presence | None:
        raw = self.redis.hget(self.keys.presence(), str(counselor_id))
        return from_json(counselor_id, raw) if raw else None

    def all(self) -> list[Presence]:
        raw = self.redis.hgetall(self.keys.presence())
        return [from_json(int(k), v) for k, v in raw.items()]


class BlockMarks:
    """hotline.ports.BlockMarks: the close guard's last answer per counselor, kept in Redis so
    that a database outage cannot release a blocked counselor."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.keys = keys

    def remember(self, counselor_id: int, blockers: list[str]) -> None:
        if blockers:
            self.redis.hset(self.keys.blocked(), str(counselor_id), json.dumps(blockers, ensure_ascii=False))
        else:
            self.redis.hdel(self.keys.blocked(), str(counselor_id))

    def last(self, counselor_id: int) -> list[str]:
        raw = self.redis.hget(self.keys.blocked(), str(counselor_id))
        return list(json.loads(raw)) if raw else []

    def blocked_ids(self) -> set[int]:
        return {int(k) for k in self.redis.hkeys(self.keys.blocked())}
