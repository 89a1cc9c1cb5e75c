"""Old dotted paths of RQ job functions, kept importable.

RQ stores a job's function by dotted path. A running deployment has jobs scheduled
under the paths from before the re-layout (a triage follow-up is due 24 hours after its
call), so `hotline worker` imports this module first: each old module name is an alias
of the module the function now lives in.
"""
from __future__ import annotations

import sys

import hotline.jobs.triage

# --- triage area: hotline.jobs_triage.follow_up_due ------------------------------------------
sys.modules.setdefault("hotline.jobs_triage", hotline.jobs.triage)
