"""What happened on one simulated call, and the outcome it adds up to."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("answered", "abandoned", "rolled_over", "voicemail", "transferred", "error", "completed")


@dataclass
class CallRecord:
    call_sid: str
    to: str
    from_: str
    from_region: str
    line_id: str = ""
    repeat: bool = False
    queue_lines: list[str] = field(default_factory=list)
    wait_s: float | None = None
    webhooks: int = 0
    said: list[str] = field(default_factory=list)
    pressed: list[str] = field(default_factory=list)
    dialled: list[dict[str, str]] = field(default_factory=list)
    clients: list[str] = field(default_factory=list)
    recordings: int = 0
    abandoned: bool = False
    errors: list[dict[str, str]] = field(default_factory=list)
    ended_by: str = ""
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None

    def add_wait(self, seconds: float) -> None:
        self.wait_s = (self.wait_s or 0.0) + seconds

    @property
    def outcome(self) -> str:
        """One outcome per call; an error anywhere wins so that none goes unnoticed."""
        if self.errors:
            return "error"
        if self.clients:
            return "answered"
        if self.recordings:
            return "voicemail"
        if self.dialled:
            return "rolled_over" if self.queue_lines else "transferred"
        return "abandoned" if self.abandoned else "completed"

    @property
    def duration(self) -> float:
        return (self.ended or time.monotonic()) - self.started

    def to_json(self) -> dict[str, Any]:
        return {"call_sid": self.call_sid, "to": self.to, "from": self.from_, "from_region": self.from_region,
                "line": self.line_id, "repeat": self.repeat, "outcome": self.outcome,
                "wait_s": None if self.wait_s is None else round(self.wait_s, 3),
                "queue_lines": list(self.queue_lines), "webhooks": self.webhooks,
                "dialled": list(self.dialled), "clients": list(self.clients), "errors": list(self.errors),
                "duration_s": round(self.duration, 3)}
