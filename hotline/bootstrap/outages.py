"""Which exceptions mean "a dependency is down" (Redis, the database, a socket) rather than
a bug: the web answers those with 503 (try again soon), everything else with 500.

Kept here, beside the adapters that raise them, so the entry points need not import
Redis or SQLAlchemy to tell the two apart.
"""
from __future__ import annotations

import redis
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, TimeoutError as PoolTimeout

OUTAGE_TYPES: tuple[type[BaseException], ...] = (
    redis.RedisError, OperationalError, InterfaceError, DisconnectionError, PoolTimeout,
    ConnectionError, TimeoutError)


def is_outage(exc: BaseException) -> bool:
    """exc, or what it was raised from, is a dependency failure."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OUTAGE_TYPES):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False
