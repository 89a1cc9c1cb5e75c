"""Redis key names, all under one prefix so a deployment (or a test) owns its keys."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str = "hotline"

    def queue(self, line_id: str) -> str:
        return f"{self.prefix}:queue:{line_id}"

    def queues_index(self) -> str:
        return f"{self.prefix}:queues"

    def sequence(self) -> str:
        """Arrival counter: breaks ties between callers of the same millisecond."""
        return f"{self.prefix}:arrivals"

    def call(self, call_sid: str) -> str:
        return f"{self.prefix}:call:{call_sid}"

    def line_stats(self, line_id: str) -> str:
        return f"{self.prefix}:stats:{line_id}"

    def record_stream(self) -> str:
        """Call-record changes on their way to `hotline worker` (HOTLINE_RECORD_WRITES=worker)."""
        return f"{self.prefix}:record-stream"

    def record_writers(self) -> str:
        """The workers writing the record stream now: consumer → until when (a sorted set)."""
        return f"{self.prefix}:record-writers"

    def presence(self) -> str:
        return f"{self.prefix}:presence"

    def sim_rest(self) -> str:
        return f"{self.prefix}:sim:rest"

    def offer(self, call_sid: str) -> str:
        return f"{self.prefix}:offer:{call_sid}"

    def last_counselor(self) -> str:
        """caller key → the counselor who last spoke with them (continuity)."""
        return f"{self.prefix}:last-counselor"

    def flagged(self) -> str:
        """Caller keys whose file is flagged high risk: their calls go first."""
        return f"{self.prefix}:flagged"

    def blocked(self) -> str:
        """counselor id → the close guard's last known blockers (JSON): a DB outage keeps them."""
        return f"{self.prefix}:blocked"

    def alerts(self) -> str:
        return f"{self.prefix}:alerts"

    def epoch(self) -> str:
        """Set once per Redis lifetime: missing means Redis lost the live state."""
        return f"{self.prefix}:epoch"
