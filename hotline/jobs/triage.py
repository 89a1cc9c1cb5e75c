"""RQ jobs of triage: the 24-hour follow-up of a high or imminent call.

The follow-up row in the database is the task; this job only makes it visible when it
falls due (status "due" and a supervisor alert). RQ's scheduler runs it (`hotline worker`
starts with the scheduler); if Redis lost the job, the row is still due on the page.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from hotline.jobs.plumbing import job_services, queue, retry_policy
from hotline.store.triage import FollowUp

log = logging.getLogger(__name__)


def job_id_for(call_sid: str) -> str:
    return f"triage-follow-up-{call_sid}"


def schedule_follow_up(services, call_sid: str, after: timedelta) -> str:
    """Enqueue follow_up_due(call_sid) `after` from now; returns the RQ job id."""
    job = queue(services).enqueue_in(after, follow_up_due, call_sid, job_id=job_id_for(call_sid),
                                      description="分诊回访 / triage follow-up", retry=retry_policy())
    log.info("已安排回访 / follow-up scheduled for call %s in %s", call_sid, after)
    return job.id


def follow_up_due(call_sid: str) -> dict:
    """The follow-up falls due: mark it and tell the supervisors (no caller data in the alert)."""
    return mark_due(job_services(), call_sid)


def mark_due(services, call_sid: str) -> dict:
    now = services.now()
    with services.db.session() as session:
        row = session.scalar(select(FollowUp).where(FollowUp.call_sid == call_sid))
        if row is None or row.status in ("done", "due"):   # a retried job must not alert twice
            return {"call_sid": call_sid, "status": row.status if row else "missing"}
        row.status = "due"
    # level "due", not the call's level: a reminder must not sound like an emergency
    services.alerts.raise_alert(kind="follow_up", level="due", at=now, call_sid=call_sid,
                                message="24 小时回访到期 / 24-hour follow-up due")
    return {"call_sid": call_sid, "status": "due"}
