"""Socket.IO events of one request, held and sent with its record entry (issue #18).

A webhook used to publish each event on its own round trip to Redis, then its record entry on
another. While a request's record batch is open (hotline/app.py, unless
HOTLINE_RECORD_WRITES=web), `HeldRedisManager` keeps what it would publish, and the batch
sends it in the same pipeline as the record entry: one round trip for both. Browsers on this
process get an event at once as before (Socket.IO delivers locally before publishing); other
processes get it when the request ends, a few milliseconds later.
"""
from __future__ import annotations

from contextvars import ContextVar, Token

from socketio import RedisManager

Held = list[tuple[str, str]]   # (channel, message) in the order they were published
_held: ContextVar[Held | None] = ContextVar("held_events", default=None)


def hold() -> tuple[Held, Token]:
    """Start holding this context's publishes; they go into the returned list."""
    held: Held = []
    return held, _held.set(held)


def release(token: Token) -> None:
    """Stop holding (the caller sends what was held)."""
    _held.reset(token)


class HeldRedisManager(RedisManager):
    """Flask-SocketIO's Redis manager, holding publishes while a request batch is open."""

    def _publish(self, data):
        held = _held.get()
        if held is None:
            return super()._publish(data)
        held.append((self.channel, self.json.dumps(data)))
        return None
