"""Alerts supervisors must see and acknowledge (high risk, imminent risk, follow-ups, coverage).

The live list is shared by every process (an AlertBoard in Redis); an acknowledgement
removes the alert for everyone at once, and only the request that removed it announces
it. The triage record keeps the durable history; this is the live list. Alert text never
carries a phone number: it is redacted before it is stored or sent.
"""
from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import datetime
from typing import Callable

from hotline.ports import SUPERVISORS, Alert, AlertBoard, Clock, Events, counselor_room

__all__ = ["Alert", "Alerts"]


class Alerts:
    """Raise, acknowledge and list alerts (Hotline.alerts; the AlertRaiser of ports.py)."""

    def __init__(self, board: AlertBoard, events: Events, clock: Clock, redact: Callable[[str], str],
                 new_id: Callable[[], str] = lambda: secrets.token_hex(8)) -> None:
        self.board = board
        self.events = events
        self.clock = clock
        self.redact = redact
        self.new_id = new_id

    def raise_alert(self, kind: str, level: str, at: datetime, **fields) -> Alert:
        """Store the alert and tell supervisors (and the counselor it concerns, if any)."""
        if fields.get("message"):
            fields["message"] = self.redact(fields["message"])   # alert text never carries a number
        alert = Alert(id=self.new_id(), kind=kind, level=level, raised_at=at.isoformat(), **fields)
        self.board.put(alert)
        rooms = [SUPERVISORS] + ([counselor_room(alert.counselor_id)] if alert.counselor_id else [])
        self.events.publish("alert", asdict(alert) | {"sounding": alert.sounding}, rooms)
        return alert

    def acknowledge(self, alert_id: str, by_user: int) -> bool:
        """True if this request removed it (a second supervisor's click changes nothing)."""
        removed = self.board.remove(alert_id)
        if removed:
            at = self.clock.now()
            self.events.publish("alert.ack", {"id": alert_id, "by": by_user, "at": at.isoformat()},
                                [SUPERVISORS])
        return removed

    def open_alerts(self) -> list[Alert]:
        """Every open alert, oldest first."""
        return sorted(self.board.all(), key=lambda a: a.raised_at)
