"""Supervision sessions in the call's audit trail (hotline.ports.SupervisorAudit).

Each step of a session (listen, coach, join, leave) is an event of the call's record,
written behind like every call change: who (the supervisor's user id), which call, the
mode, from and to. The call's events are the audit log a reviewer reads for one call.
"""
from __future__ import annotations

from datetime import datetime

from hotline.ports import RecordOp, RecordSink


class SupervisionAuditTrail:
    def __init__(self, records: RecordSink) -> None:
        self.records = records

    def supervision(self, supervisor_id: int, call_sid: str, mode: str, started_at: datetime,
                    ended_at: datetime | None) -> None:
        at = ended_at or started_at
        self.records.submit(RecordOp(
            call_sid, "supervision", f"supervision:{supervisor_id}:{mode}:{at.isoformat()}", at,
            detail={"supervisor_id": supervisor_id, "mode": mode, "from": started_at.isoformat(),
                    "to": ended_at.isoformat() if ended_at else None}))
