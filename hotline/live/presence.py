"""Counselor presence shared across processes: who can take which line's calls.

A counselor counts as staffing a line while on shift for it (until the shifts
feature, while assigned to it) and in any working state; break and offline do not.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

import redis

from hotline.live.keys import Keys

STATES = ("available", "offered", "on_call", "wrap_up", "break", "offline")
WORKING = frozenset({"available", "offered", "on_call", "wrap_up"})


@dataclass(frozen=True)
class Presence:
    counselor_id: int
    state: str
    since: datetime
    lines: tuple[str, ...]
    name: str = ""
    call: str | None = None                 # the call offered to / handled by this counselor
    until: datetime | None = None           # end of wrap-up

    def to_json(self) -> str:
        data = {"state": self.state, "since": self.since.timestamp(), "lines": list(self.lines),
                "name": self.name}
        if self.call:
            data["call"] = self.call
        if self.until:
            data["until"] = self.until.timestamp()
        return json.dumps(data)

    @classmethod
    def from_json(cls, counselor_id: int, raw: bytes | str) -> "Presence":
        data = json.loads(raw)
        until = data.get("until")
        return cls(counselor_id, data["state"], datetime.fromtimestamp(data["since"], tz=timezone.utc),
                   tuple(data.get("lines", ())), data.get("name", ""), data.get("call"),
                   datetime.fromtimestamp(until, tz=timezone.utc) if until else None)


class PresenceStore:
    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.keys = keys

    def set(self, presence: Presence) -> None:
        if presence.state not in STATES:
            raise ValueError(f"未知状态 / unknown presence state {presence.state!r}")
        self.redis.hset(self.keys.presence(), str(presence.counselor_id), presence.to_json())

    def update_profile(self, counselor_id: int, name: str, lines: tuple[str, ...]) -> None:
        """Refresh name and lines without touching the state (read-modify-write is
        safe here: only the counselor's own requests change their profile)."""
        current = self.get(counselor_id)
        if current is not None:
            from dataclasses import replace

            self.redis.hset(self.keys.presence(), str(counselor_id),
                            replace(current, name=name, lines=lines).to_json())

    def get(self, counselor_id: int) -> Presence | None:
        raw = self.redis.hget(self.keys.presence(), str(counselor_id))
        return Presence.from_json(counselor_id, raw) if raw else None

    def all(self) -> list[Presence]:
        raw = self.redis.hgetall(self.keys.presence())
        return [Presence.from_json(int(k), v) for k, v in raw.items()]

    def staffed_counts(self) -> dict[str, int]:
        """Per line, how many counselors could answer it now (working states only)."""
        counts: dict[str, int] = {}
        for presence in self.all():
            if presence.state in WORKING:
                for line_id in presence.lines:
                    counts[line_id] = counts.get(line_id, 0) + 1
        return counts
