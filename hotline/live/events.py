"""Publishing state changes to browsers, from any process.

Web processes emit through their Flask-SocketIO server; other processes (RQ
workers, the simulator, scripts) emit through a write-only SocketIO bound to the
same Redis message queue. Either way every connected browser gets the event.
Publishing never breaks the caller's path: failures are logged and dropped.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

from hotline.ports import SUPERVISORS, counselor_room, line_room

__all__ = ["EventBus", "SUPERVISORS", "counselor_room", "external_bus", "line_room"]
log = logging.getLogger(__name__)


class EventBus:
    def __init__(self, socketio=None) -> None:
        self.socketio = socketio
        self.sent: list[tuple[str, dict, tuple[str, ...]]] = []   # last events, for tests and debugging
        self.listeners: list = []

    def publish(self, event: str, payload: dict[str, Any], rooms: Iterable[str]) -> None:
        rooms = tuple(dict.fromkeys(rooms))
        self.sent.append((event, payload, rooms))
        del self.sent[:-500]
        for listener in self.listeners:
            listener(event, payload, rooms)
        if self.socketio is None:
            return
        try:
            self.socketio.emit(event, payload, to=list(rooms))
        except Exception as exc:  # a broken message queue must not hurt a caller
            log.warning("事件发送失败 / event %s not published: %s", event, exc)


class _ManagerEmitter:
    """socketio.emit's shape over a write-only Redis client manager."""

    def __init__(self, manager) -> None:
        self.manager = manager

    def emit(self, event: str, payload: dict, to=None) -> None:
        self.manager.emit(event, payload, namespace="/", room=to)


def external_bus(redis_url: str, channel: str) -> EventBus:
    """A bus for processes that are not the web server (write-only)."""
    from socketio import RedisManager   # only processes without a web server need the client manager

    return EventBus(_ManagerEmitter(RedisManager(redis_url, channel=channel, write_only=True)))
