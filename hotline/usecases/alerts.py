"""Alerts supervisors must see and acknowledge (high risk, imminent risk, coverage).

Kept in Redis so every process and every dashboard shares one list; an
acknowledgement removes the alert for everyone at once. The triage record keeps
the durable history; this is the live list.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime

from hotline.live.events import SUPERVISORS, counselor_room

LEVELS_THAT_SOUND = frozenset({"imminent"})


@dataclass(frozen=True)
class Alert:
    id: str
    kind: str                 # risk | coverage
    level: str                # high | imminent (risk), gap (coverage)
    raised_at: str            # ISO 8601
    call_sid: str | None = None
    counselor_id: int | None = None
    line_id: str | None = None
    message: str = ""

    @property
    def sounding(self) -> bool:
        return self.level in LEVELS_THAT_SOUND


class AlertStore:
    def __init__(self, services) -> None:
        self.s = services

    @property
    def key(self) -> str:
        return f"{self.s.keys.prefix}:alerts"

    def raise_alert(self, kind: str, level: str, at: datetime, **fields) -> Alert:
        from hotline.store.privacy import redact

        if fields.get("message"):
            fields["message"] = redact(fields["message"])   # alert text never carries a number
        alert = Alert(id=secrets.token_hex(8), kind=kind, level=level, raised_at=at.isoformat(), **fields)
        self.s.redis.hset(self.key, alert.id, json.dumps(asdict(alert), ensure_ascii=False))
        payload = asdict(alert) | {"sounding": alert.sounding}
        rooms = [SUPERVISORS] + ([counselor_room(alert.counselor_id)] if alert.counselor_id else [])
        self.s.events.publish("alert", payload, rooms)
        return alert

    def acknowledge(self, alert_id: str, by_user: int, at: datetime) -> bool:
        """True if this request removed it (a second supervisor's click changes nothing)."""
        removed = bool(self.s.redis.hdel(self.key, alert_id))
        if removed:
            self.s.events.publish("alert.ack", {"id": alert_id, "by": by_user, "at": at.isoformat()},
                                  [SUPERVISORS])
        return removed

    def open_alerts(self) -> list[Alert]:
        raw = self.s.redis.hgetall(self.key)
        alerts = [Alert(**json.loads(value)) for value in raw.values()]
        return sorted(alerts, key=lambda a: a.raised_at)
