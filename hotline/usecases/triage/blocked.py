"""Blocked records: high-risk calls whose record cannot be closed yet, seen by supervisors.

The close guard (close_guard.py) keeps a counselor from the next caller while their last
call still needs its referral or emergency checklist. Supervisors must see every such
record (counselor, line, level, since when) on /triage and on the dashboard, the console
must reopen it after a reload or a new sign-in, and leaving (break, offline, signing out)
with one open raises an alert: people must be able to stop, but nobody may forget it.

A record whose counselor is still on that call is not blocked yet (the call is going on).
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable, Iterable

from hotline.ports import (AlertRaiser, BlockedRecord, Clock, OpenAlerts, Presences, RecordedCall,
                           UnitOfWorkFactory)
from hotline.routing.directory import Directory
from hotline.triage.actions import ACTIONS, blocked_message
from hotline.triage.risk import LEVEL_LABELS
from hotline.usecases.triage.close_guard import CloseGuard

log = logging.getLogger(__name__)
GUARDED = tuple(level for level, actions in ACTIONS.items()
                if actions.referral_required or actions.emergency_checklist)   # high, imminent
CANDIDATES = 200            # the newest guarded assessments looked at (each costs a few small queries)
OWN_CANDIDATES = 20         # one counselor's (the console asks on every state change)
ALERT_KIND = "blocked"
LEFT_WORDS = {"break": ("休息", "went on break"), "offline": ("离线", "went offline"),
              "signed_out": ("退出登录", "signed out")}


class BlockedRecords:
    def __init__(self, uow: UnitOfWorkFactory, close_guard: CloseGuard, presences: Presences,
                 directory: Directory, alerts: AlertRaiser, open_alerts: OpenAlerts, clock: Clock,
                 names: Callable[[set[int]], dict[int, str]] = lambda ids: {}) -> None:
        self.uow, self.close_guard, self.presences = uow, close_guard, presences
        self.directory, self.alerts, self.open_alerts, self.clock = directory, alerts, open_alerts, clock
        self.names = names

    def blocked_records(self, counselor_id: int | None = None) -> list[BlockedRecord]:
        """Every blocked record (or one counselor's), newest first."""
        presences = {p.counselor_id: p for p in self.presences.all()}
        out = []
        with self.uow() as uow:
            limit = CANDIDATES if counselor_id is None else OWN_CANDIDATES
            for assessment in uow.assessments.at_levels(GUARDED, limit, counselor_id):
                presence = presences.get(assessment.counselor_id)
                if presence is not None and presence.call == assessment.call_sid and presence.state in ("offered",
                                                                                                        "on_call"):
                    continue    # still talking: the record is not due yet
                blockers = self.close_guard.blockers_of(uow, assessment)
                if blockers:
                    out.append((assessment, uow.calls.find(assessment.call_sid), presence, blockers))
        names = self._names({a.counselor_id for a, _, p, _ in out if not (p and p.name)})
        return [self._record(a, call, presence, blockers, names) for a, call, presence, blockers in out]

    def of_counselor(self, counselor_id: int) -> BlockedRecord | None:
        """The counselor's newest blocked record: the one the console opens."""
        found = self.blocked_records(counselor_id)
        return found[0] if found else None

    def counselor_left(self, counselor_id: int, how: str) -> BlockedRecord | None:
        """`how`: break | offline | signed_out. Alerts supervisors (once per record while the
        alert is open) when the counselor leaves with a blocked record; returns that record."""
        try:
            record = self.of_counselor(counselor_id)
            if record is None or self._already_alerted(record.call_sid):
                return record
            zh_how, en_how = LEFT_WORDS.get(how, (how, how))
            line = record.line_name or "—"
            zh_level, en_level = LEVEL_LABELS[record.level]
            message = (f"{record.counselor_name} 已{zh_how}，但{line}的一通{zh_level}风险通话记录仍未完成 / "
                       f"{record.counselor_name} {en_how} with an open {en_level}-risk record on {line}")
            self.alerts.raise_alert(ALERT_KIND, record.level, self.clock.now(), call_sid=record.call_sid,
                                    counselor_id=counselor_id, line_id=record.line_id, message=message)
            return record
        except Exception as exc:    # leaving must always work: the dashboard's list still shows it
            log.error("无法检查未完成记录 / cannot check blocked records of counselor %s: %s", counselor_id,
                      type(exc).__name__)
            return None

    def as_dict(self, record: BlockedRecord) -> dict:
        return {"call_sid": record.call_sid, "counselor_id": record.counselor_id,
                "counselor_name": record.counselor_name, "line_id": record.line_id, "line_name": record.line_name,
                "level": record.level, "since": record.since.isoformat(), "blockers": list(record.blockers),
                "message": record.message, "counselor_state": record.counselor_state}

    def _already_alerted(self, call_sid: str) -> bool:
        return any(a.kind == ALERT_KIND and a.call_sid == call_sid for a in self.open_alerts.open_alerts())

    def _names(self, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        try:
            return self.names(ids)
        except Exception as exc:
            log.warning("咨询师姓名不可用 / counselor names unavailable: %s", type(exc).__name__)
            return {}

    def _record(self, assessment, call: RecordedCall | None, presence, blockers: Iterable[str],
                names: dict[int, str]) -> BlockedRecord:
        line_id = call.line_id if call else None
        line = self.directory.get(line_id) if line_id else None
        name = (presence.name if presence and presence.name else None) or names.get(assessment.counselor_id) \
            or f"#{assessment.counselor_id}"
        return BlockedRecord(assessment.call_sid, assessment.counselor_id, name, line_id,
                             line.name if line else None, assessment.level, _since(assessment, call),
                             tuple(blockers), blocked_message(blockers),
                             presence.state if presence else None)


def _since(assessment, call: RecordedCall | None):
    """When the call ended (answered + talk time), else when it was assessed."""
    if call is not None and call.answered_at is not None and call.talk_seconds is not None:
        return call.answered_at + timedelta(seconds=call.talk_seconds)
    return assessment.created_at
