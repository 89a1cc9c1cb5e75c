"""A Redis client of the calling thread's own, over the process's connection pool (issue #18).

redis-py checks a connection out of its pool and back in around every command, and tells
its event hooks both times: a tenth of a new call's CPU went there, around the one command the
call sends. A request thread sends one command at a time, so it can keep one connection of
the pool for itself: `ThreadClient.get()` is a single-connection client per thread, made on
the thread's first use, sharing the pool's settings (timeouts, health checks) and giving the
connection back when the thread ends. A forked child (gunicorn's workers) makes its own: a
connection is never shared across processes.

Each `get()` checks the connection as the pool checks one it hands out: one the server closed
while it sat idle (a Redis restart, a client timeout) is made again before the command goes,
so the command is not lost to it. That check is what keeps an EVALSHA from being sent on a dead
socket, where a failed read could not tell whether the script ran.
"""
from __future__ import annotations

import os
import threading

import redis


class ThreadClient:
    def __init__(self, client: redis.Redis) -> None:
        self.pool = client.connection_pool
        self._local = threading.local()

    def get(self) -> redis.Redis:
        own = getattr(self._local, "client", None)
        if own is None or self._local.pid != os.getpid():
            # connects now: a Redis that is away raises here, like any command would
            own = redis.Redis(connection_pool=self.pool, single_connection_client=True)
            self._local.client, self._local.pid = own, os.getpid()
        else:
            _ready(own.connection)
        return own


def _ready(connection) -> None:
    """Connected, with nothing unread on the socket; else connected again (ConnectionError when
    Redis is away)."""
    try:
        connection.connect()                # nothing to do while connected
        if connection.can_read():           # EOF from a server that closed it, or stray data
            raise redis.ConnectionError("连接已被关闭 / connection closed by the server or not clean")
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        connection.disconnect()
        connection.connect()
