"""The supervisors' triage pages: open risk alerts, blocked records (high-risk calls whose
record cannot be closed yet), assessments to review (lowered by a counselor, or a referral
the caller declined), overdue referrals, follow-ups due."""
from __future__ import annotations

import logging

from hotline.ports import AssessmentRecord, Clock, OpenAlerts, UnitOfWorkFactory
from hotline.usecases.triage.blocked import ALERT_KIND as BLOCKED_ALERT, BlockedRecords
from hotline.usecases.triage.follow_ups import FollowUps
from hotline.usecases.triage.referrals import Referrals

log = logging.getLogger(__name__)
ALERT_KINDS = ("risk", "follow_up", BLOCKED_ALERT)


class Supervision:
    def __init__(self, uow: UnitOfWorkFactory, alerts: OpenAlerts, referrals: Referrals, follow_ups: FollowUps,
                 clock: Clock, blocked: BlockedRecords | None = None) -> None:
        self.uow, self.alerts, self.referrals, self.follow_ups, self.clock = uow, alerts, referrals, follow_ups, clock
        self.blocked = blocked

    def overview(self) -> dict:
        """The /triage page: everything below at once."""
        return {"alerts": self.risk_alerts(), "blocked": self.blocked_records(), "reviews": self.reviews(),
                **self.overdue()}

    def blocked_records(self) -> list[dict]:
        """Every record the close guard holds open, newest first."""
        if self.blocked is None:
            return []
        return [self.blocked.as_dict(r) for r in self.blocked.blocked_records()]

    def risk_alerts(self) -> list:
        """Open risk and follow-up alerts; none (logged) when the alert store is unreachable."""
        try:
            return [a for a in self.alerts.open_alerts() if a.kind in ALERT_KINDS]
        except Exception as exc:
            log.warning("警报列表不可用 / alerts unavailable: %s", type(exc).__name__)
            return []

    def overdue(self) -> dict:
        """Overdue referrals and due follow-ups, as the overdue page lists them."""
        return {"overdue": self._overdue_referrals(), "follow_ups": self.follow_ups.due(), "now": self.clock.now()}

    def overdue_referrals(self) -> dict:
        """The overdue referrals alone, with the instant they were judged at (the JSON API)."""
        return {"now": self.clock.now().isoformat(), "referrals": self._overdue_referrals()}

    def _overdue_referrals(self) -> list[dict]:
        return [self.referrals.as_dict(r) for r in self.referrals.overdue()]

    def review_page(self) -> dict:
        return {"reviews": self.reviews(), "now": self.clock.now()}

    def reviews(self) -> list[dict]:
        with self.uow() as uow:
            return [review_dict(r) | {"declined_referral": any(f.status == "declined"
                                                               for f in uow.referrals.for_call(r.call_sid))}
                    for r in uow.assessments.needing_review()]

    def mark_reviewed(self, assessment_id: int, by: int) -> dict | None:
        with self.uow() as uow:
            found = uow.assessments.mark_reviewed(assessment_id, by, self.clock.now())
            uow.commit()
        return review_dict(found) | {"reviewed_by": found.reviewed_by} if found else None

    def follow_up_done(self, follow_up_id: int, by: int) -> dict | None:
        done = self.follow_ups.mark_done(follow_up_id, by)
        return {"id": done.id, "status": done.status} if done else None


def review_dict(record: AssessmentRecord) -> dict:
    """What a review shows: levels and item ids, never answers or the override's reason."""
    return {"id": record.id, "call_sid": record.call_sid, "caller_key": record.caller_key,
            "counselor_id": record.counselor_id, "level": record.level, "rule_level": record.rule_level,
            "peak_level": record.peak_level, "reasons": record.reasons, "updated_at": record.updated_at.isoformat()}
