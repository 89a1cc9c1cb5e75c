"""What counselors and supervisors are told when an offer or a call changes.

Events go to the counselor's own room and to the supervisors; the caller's number
never appears in them — only the line, the wait, the menu choice, and for a repeat
caller a summary of their file.
"""
from __future__ import annotations

import logging
from datetime import datetime

from hotline.live.events import SUPERVISORS, counselor_room, line_room

log = logging.getLogger(__name__)


class Notices:
    def __init__(self, services) -> None:
        self.s = services

    def publish(self, event: str, payload: dict, counselor_id=None, line_id: str | None = None) -> None:
        rooms = [SUPERVISORS]
        if counselor_id is not None:
            rooms.append(counselor_room(counselor_id))
        if line_id:
            rooms.append(line_room(line_id))
        self.s.events.publish(event, payload, rooms)

    def offer_payload(self, call_sid: str, now: datetime, expires: datetime | None = None) -> dict:
        state = self.s.queues.call_state(call_sid)
        line = self.s.directory.get(state.get("line", ""))
        arrived = float(state.get("arrived_ms", 0)) / 1000
        caller_key = state.get("caller_key", "")
        flagged = self.flagged(caller_key)
        history = self.history(caller_key, call_sid)
        return {"call": call_sid, "line": line.id if line else None, "line_name": line.name if line else "",
                "waited_s": round(max(now.timestamp() - arrived, 0), 1), "menu": state.get("menu") or None,
                "priority": int(state.get("priority", 0) or 0), "crisis": state.get("crisis") == "1",
                "expires_at": expires.isoformat() if expires else None,
                "flagged": flagged, "warning": self.warning(caller_key) if flagged else None,
                "history": history}

    def flagged(self, caller_key: str) -> bool:
        """In the flagged set (rebuilt from the caller files first if Redis lost it)."""
        from hotline.usecases.triage.files import is_flagged

        return is_flagged(self.s, caller_key)

    def warning(self, caller_key: str) -> str:
        """The text the counselor reads before answering a flagged caller (with the file's level)."""
        from hotline.usecases.triage.file_view import warning_text

        level = None
        try:
            from hotline.usecases.triage.files import get_file

            with self.s.db.session() as session:
                found = get_file(session, caller_key)
                level = found.flagged_level if found else None
        except Exception as exc:   # the warning must show even without the database
            log.warning("档案标记等级不可用 / flag level unavailable: %s", type(exc).__name__)
        return warning_text(level)

    def history(self, caller_key: str, call_sid: str) -> dict:
        if not caller_key or caller_key == "anonymous":
            return {"previous_contacts": 0, "last_contact_at": None}
        try:
            from hotline.store.calls import caller_history

            with self.s.db.session() as session:
                history = caller_history(session, caller_key, call_sid)
        except Exception as exc:  # the offer matters more than its history
            log.warning("来电者档案摘要不可用 / caller history unavailable for call %s: %s", call_sid, exc)
            return {"previous_contacts": None, "last_contact_at": None}
        if not history.get("previous_contacts"):
            return history              # a first call: nothing else can be on file
        return history | self.file_summary(caller_key, call_sid)

    def file_summary(self, caller_key: str, call_sid: str) -> dict:
        """The caller file's part of a repeat caller's history: last risk level, open referrals."""
        try:
            from hotline.usecases.triage.file_view import summary

            with self.s.db.session() as session:
                return summary(session, caller_key, call_sid)
        except Exception as exc:
            log.warning("分诊档案摘要不可用 / triage file summary unavailable for call %s: %s",
                        call_sid, type(exc).__name__)
            return {"last_risk_level": None, "open_referrals": None}

    def offered(self, call, offer, now: datetime, expires: datetime) -> None:
        payload = self.offer_payload(call.call_sid, now, expires) | {"continuity": offer.continuity,
                                                                     "counselor": offer.counselor_id}
        self.publish("offer", payload, offer.counselor_id)   # not to the line room: the file is private

    def presence(self, counselor_id: int) -> None:
        presence = self.s.presence.get(counselor_id)
        if presence is None:
            return
        payload = {"counselor": counselor_id, "state": presence.state, "since": presence.since.isoformat(),
                   "call": presence.call, "until": presence.until.isoformat() if presence.until else None,
                   "name": presence.name, "lines": list(presence.lines)}
        self.publish("presence", payload, counselor_id)
