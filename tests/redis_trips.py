"""Count the Redis round trips a piece of code makes on one client (issue #18).

Wraps `execute_command` of the client (one command, one round trip) and `execute` of the
pipelines made from its connection pool (one round trip for all their commands), so a test
can assert how many times a webhook talked to Redis — a count, deterministic, not a timing.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import redis
from redis.client import Pipeline


@dataclass
class Trips:
    """What one block of code sent: one entry per round trip, the command names in it."""

    sent: list[tuple[str, ...]] = field(default_factory=list)
    threads: list[str] = field(default_factory=list)   # the name of the thread that sent each

    def by(self, thread: str) -> list[tuple[str, ...]]:
        """What one thread sent (a request's own trips, without a background thread's)."""
        return [names for names, name in zip(self.sent, self.threads) if name == thread]

    def note(self, names: tuple[str, ...]) -> None:
        self.sent.append(names)
        self.threads.append(threading.current_thread().name)

    @property
    def round_trips(self) -> int:
        return len(self.sent)

    @property
    def commands(self) -> int:
        return sum(len(names) for names in self.sent)


@contextmanager
def counting(client: redis.Redis) -> Iterator[Trips]:
    """Count what `client` (and pipelines on its pool) send inside the block."""
    trips = Trips()
    pool = client.connection_pool
    plain, piped = redis.Redis.execute_command, Pipeline.execute

    def execute_command(self, *args, **options):
        if self.connection_pool is pool and not isinstance(self, Pipeline):
            trips.note((str(args[0]).upper(),))
        return plain(self, *args, **options)

    def execute(self, *args, **options):
        if self.connection_pool is pool and self.command_stack:
            trips.note(tuple(str(c[0][0]).upper() for c in self.command_stack))
        return piped(self, *args, **options)

    redis.Redis.execute_command, Pipeline.execute = execute_command, execute
    try:
        yield trips
    finally:
        redis.Redis.execute_command, Pipeline.execute = plain, piped
