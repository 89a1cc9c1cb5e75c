"""Old dotted paths of RQ job functions, for jobs a running deployment already put in Redis.

RQ stores a job's function as a dotted path and imports it when the job runs. Jobs
queued or scheduled before the re-layout (issue #15) name the modules of that time
(`hotline.jobs_reports.run_nightly`, …), so each old module name is registered here
as an alias of its new module. Imported by the worker (`hotline worker`) before it
takes any job. Each area that owns jobs keeps its block.
"""
from __future__ import annotations

import sys

from hotline.jobs import reports as _reports
from hotline.jobs import roster as _roster
from hotline.jobs import triage as _triage

# --- reports area: hotline.jobs_reports.{run_report, run_nightly} → hotline.jobs.reports ---
sys.modules.setdefault("hotline.jobs_reports", _reports)

# --- roster area: hotline.jobs_roster.generate_roster → hotline.jobs.roster --------------------
sys.modules.setdefault("hotline.jobs_roster", _roster)

# --- triage area: hotline.jobs_triage.follow_up_due → hotline.jobs.triage ----------------------
sys.modules.setdefault("hotline.jobs_triage", _triage)
