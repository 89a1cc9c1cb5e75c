"""RQ finds a job's function by its dotted path: jobs a running deployment scheduled before
the re-layout (hotline.jobs_triage.follow_up_due) must still resolve in the worker."""
from __future__ import annotations

from rq.utils import import_attribute

import hotline.jobs.legacy_paths  # noqa: F401  (what `hotline worker` imports first)
import hotline.jobs.triage


def test_the_old_follow_up_path_runs_the_current_job():
    assert import_attribute("hotline.jobs_triage.follow_up_due") is hotline.jobs.triage.follow_up_due


def test_the_current_path_is_the_one_new_jobs_are_scheduled_under():
    from hotline.usecases.triage.follow_ups import JOB_FUNCTION

    assert import_attribute(JOB_FUNCTION) is hotline.jobs.triage.follow_up_due
