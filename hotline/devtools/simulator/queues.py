"""The simulator's own view of Twilio queues: who waits in which queue since when.

Twilio tells the wait URL a caller's QueuePosition, QueueTime, AvgQueueTime and
CurrentQueueSize; these come from here (members of this simulator process only).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from hotline.devtools.simulator.sids import queue_sid


@dataclass(eq=False)
class Member:
    call_sid: str
    queue: str
    joined: float = field(default_factory=time.monotonic)

    @property
    def waited(self) -> float:
        return time.monotonic() - self.joined


class QueueBook:
    def __init__(self) -> None:
        self._queues: dict[str, list[Member]] = {}
        self._names: dict[str, str] = {}       # QueueSid -> name

    def join(self, name: str, call_sid: str) -> Member:
        member = Member(call_sid, name)
        self._queues.setdefault(name, []).append(member)
        self._names[queue_sid(name)] = name
        return member

    def leave(self, member: Member) -> float:
        members = self._queues.get(member.queue, [])
        if member in members:
            members.remove(member)
        return member.waited

    def position(self, member: Member) -> int:
        members = self._queues.get(member.queue, [])
        return members.index(member) + 1 if member in members else 0

    def size(self, name: str) -> int:
        return len(self._queues.get(name, []))

    def average_wait(self, name: str) -> int:
        members = self._queues.get(name, [])
        return int(sum(m.waited for m in members) / len(members)) if members else 0

    def front(self, sid: str) -> str | None:
        """CallSid at the head of the queue with this QueueSid (REST `Members/Front`)."""
        members = self._queues.get(self._names.get(sid, ""), [])
        return members[0].call_sid if members else None

    def wait_params(self, member: Member) -> dict[str, str]:
        """The queue parameters Twilio adds to each wait-URL request."""
        return {"QueueSid": queue_sid(member.queue), "QueuePosition": str(self.position(member)),
                "QueueTime": str(int(member.waited)), "AvgQueueTime": str(self.average_wait(member.queue)),
                "CurrentQueueSize": str(self.size(member.queue))}
