"""The 24-hour follow-up of a high or imminent call.

The follow-up row in the database is the task; the job (hotline/jobs/triage.py, run by
RQ's scheduler) only makes it visible when it falls due — status "due" and a supervisor
alert. If Redis lost the job, the row is still due on the supervisors' page.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from hotline.ports import AlertRaiser, Clock, FollowUpRecord, Jobs, UnitOfWorkFactory

log = logging.getLogger(__name__)
JOB_FUNCTION = "hotline.jobs.triage.follow_up_due"


def job_id_for(call_sid: str) -> str:
    return f"triage-follow-up-{call_sid}"


class FollowUps:
    def __init__(self, uow: UnitOfWorkFactory, jobs: Jobs, alerts: AlertRaiser, clock: Clock) -> None:
        self.uow, self.jobs, self.alerts, self.clock = uow, jobs, alerts, clock

    def schedule(self, call_sid: str, after: timedelta) -> str:
        """Enqueue the due job `after` from now and note its id on the task; returns the id."""
        job_id = self.jobs.enqueue_in(after, JOB_FUNCTION, call_sid, job_id=job_id_for(call_sid),
                                      description="分诊回访 / triage follow-up")
        log.info("已安排回访 / follow-up scheduled for call %s in %s", call_sid, after)
        with self.uow() as uow:
            found = uow.follow_ups.get(call_sid)
            if found is not None:
                uow.follow_ups.save(replace(found, job_id=job_id))
                uow.commit()
        return job_id

    def mark_due(self, call_sid: str) -> dict:
        """The follow-up falls due: mark it and tell the supervisors (no caller data in the alert)."""
        now = self.clock.now()
        with self.uow() as uow:
            found = uow.follow_ups.get(call_sid)
            if found is None or found.status in ("done", "due"):   # a retried job must not alert twice
                return {"call_sid": call_sid, "status": found.status if found else "missing"}
            uow.follow_ups.save(replace(found, status="due"))
            uow.commit()
        # level "due", not the call's level: a reminder must not sound like an emergency
        self.alerts.raise_alert(kind="follow_up", level="due", at=now, call_sid=call_sid,
                                message="24 小时回访到期 / 24-hour follow-up due")
        return {"call_sid": call_sid, "status": "due"}

    def due(self) -> list[FollowUpRecord]:
        """Tasks not done whose time has come, the most overdue first (the supervisors' list)."""
        with self.uow() as uow:
            return uow.follow_ups.due(self.clock.now())

    def mark_done(self, follow_up_id: int, by: int) -> FollowUpRecord | None:
        with self.uow() as uow:
            done = uow.follow_ups.mark_done(follow_up_id, by, self.clock.now())
            uow.commit()
        return done
