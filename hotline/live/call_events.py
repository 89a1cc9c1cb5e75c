"""Events about a call: to the supervisors and to the rooms of the lines concerned."""
from __future__ import annotations

from typing import Any

from hotline.live.events import SUPERVISORS, line_room
from hotline.ports import Events


class CallEventRooms:
    """hotline.ports.CallEvents over the event bus: the rooms a call's news goes to."""

    def __init__(self, events: Events) -> None:
        self.events = events

    def publish(self, event: str, payload: dict[str, Any], *line_ids: str | None) -> None:
        rooms = [SUPERVISORS, *(line_room(line_id) for line_id in line_ids if line_id)]
        self.events.publish(event, payload, rooms)
