"""Old dotted paths of RQ job functions, still importable.

A running deployment may hold jobs queued (or scheduled) before the re-layout moved the
job modules; RQ finds a job's function by the dotted path it was queued with, so each
old module name stays an alias of the new module. Imported by the worker (hotline/cli/worker.py).
"""
from __future__ import annotations

import sys

from hotline.jobs import roster

# --- roster area: hotline.jobs_roster.generate_roster ---------------------------------------
sys.modules.setdefault("hotline.jobs_roster", roster)
