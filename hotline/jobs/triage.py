"""RQ jobs of triage: the 24-hour follow-up of a high or imminent call falls due.

The follow-up row in the database is the task; this job only makes it visible when it
falls due (hotline/usecases/triage/follow_ups.py). RQ's scheduler runs it (`hotline
worker` starts with the scheduler); if Redis lost the job, the row is still due on the
page. Jobs scheduled before the re-layout name `hotline.jobs_triage.follow_up_due`:
hotline/jobs/legacy_paths.py keeps that path working.
"""
from __future__ import annotations

from hotline.jobs.plumbing import job_hotline


def follow_up_due(call_sid: str) -> dict:
    """The follow-up falls due: mark it and tell the supervisors (no caller data in the alert)."""
    return job_hotline().triage_follow_ups.mark_due(call_sid)
