"""Which lines a counselor may answer at an instant.

Until rosters exist for a line, the lines a counselor is assigned to; once the
roster covers a line, only the counselors on shift for it at that minute.
"""
from __future__ import annotations

from datetime import datetime

from hotline.live.presence import Presence


class AssignedLines:
    """Eligibility by assignment alone (no roster)."""

    def lines_for(self, presence: Presence, at: datetime) -> set[str]:
        return set(presence.lines)
