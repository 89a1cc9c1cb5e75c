"""Whether a call's record may be closed: what its level requires must be recorded first
(a referral for high risk, the emergency checklist for imminent risk).

The console asks before a counselor in wrap-up takes the next caller (hotline.ports.
CloseGuard). A call without an assessment has nothing to block. The stored (final) level
decides: a lowered level is the counselor's reviewed judgement; its alerts already went out.
"""
from __future__ import annotations

import json
import logging

from hotline.ports import AssessmentRecord, Keyring, Presences, UnitOfWorkFactory
from hotline.triage.actions import actions_for, blocked_message, can_close

log = logging.getLogger(__name__)


class _Level:
    """What can_close needs from an assessment: the actions of the stored level."""

    def __init__(self, level: str) -> None:
        self.actions = actions_for(level)


class CloseGuard:
    def __init__(self, uow: UnitOfWorkFactory, presences: Presences, keyring: Keyring) -> None:
        self.uow, self.presences, self.keyring = uow, presences, keyring

    def close_blockers(self, call_sid: str) -> list[str]:
        """Why this call's record cannot be closed yet ("zh / en" each); [] = it may close."""
        with self.uow() as uow:
            found = uow.assessments.get(call_sid)
            return self.blockers_of(uow, found) if found is not None else []

    def blockers_of(self, uow, assessment: AssessmentRecord) -> list[str]:
        """close_blockers of one assessment, inside the caller's unit of work (lists ask for many)."""
        referrals = [{"status": r.status} for r in uow.referrals.for_call(assessment.call_sid)]
        checklist = {}
        if actions_for(assessment.level).emergency_checklist:
            stored = uow.checklists.get(assessment.call_sid)
            checklist = json.loads(self.keyring.decrypt(stored.values_encrypted)) if stored else {}
        return can_close(_Level(assessment.level), referrals, checklist)

    def call_just_handled(self, counselor_id: int) -> str | None:
        """The call a counselor in wrap-up has just finished: the latest answered call in the
        record, or a call they assessed after it (the record is written behind and may lag)."""
        with self.uow() as uow:
            answered = uow.calls.latest_answered_by(counselor_id)
            assessed = uow.assessments.latest_by(counselor_id)
        if assessed and (answered is None or assessed[1] >= answered[1]):
            return assessed[0]
        return answered[0] if answered else None

    def ready_blockers(self, counselor_id: int) -> list[str]:
        """Blockers of the last call a counselor handled, whatever their state now: the
        block survives Break, Offline, a reload and a new sign-in (issue #12). A counselor
        on a call is asked again when it ends.

        An unreachable database raises: the console then keeps the last answer it had
        (hotline.ports.BlockMarks in Redis), so an outage never releases a block.
        """
        presence = self.presences.get(counselor_id)
        if presence is not None and presence.state in ("on_call", "offered"):
            return []
        try:
            sid = self.call_just_handled(counselor_id)
            return self.close_blockers(sid) if sid else []
        except Exception as exc:
            log.error("无法检查结束条件 / cannot check close blockers for counselor %s: %s",
                      counselor_id, type(exc).__name__)
            raise

    @staticmethod
    def blocked_message(blockers: list[str]) -> str:
        """The console's refusal text for these blockers (hotline.triage.actions.blocked_message)."""
        return blocked_message(blockers)
