"""Coverage alerts: a hosted line is open, it has a roster, and nobody is on shift.

Routing already treats such a line as closed (nobody is eligible, so it is not
staffed) and moves callers along the fallback chain; this puts the problem on the
supervisors' dashboard as an alert they acknowledge. One alert per line per
ALERT_EVERY_S at most (a Redis key with that expiry), so a long gap does not
flood the list; any process may call it (after roster changes, from a periodic tick).
"""
from __future__ import annotations

import logging
from datetime import datetime

log = logging.getLogger(__name__)
ALERT_EVERY_S = 3600


def uncovered_lines(services, at: datetime) -> list[str]:
    """Hosted lines open at `at`, with a roster, and no shift on."""
    found = []
    for line in services.directory.hosted():
        if not line.is_open(at):
            continue
        on_call = services.eligibility.on_call(line.id, at) if hasattr(services.eligibility, "on_call") else None
        if on_call is not None and not on_call[0].current:
            found.append(line.id)
    return found


def raise_coverage_alerts(services, at: datetime) -> list[str]:
    """Raise (at most hourly per line) a "coverage"/"gap" alert for each uncovered line; returns those raised."""
    raised = []
    for line_id in uncovered_lines(services, at):
        key = f"{services.settings.redis_prefix}:roster:gap-alerted:{line_id}"
        if not services.redis.set(key, at.isoformat(), nx=True, ex=ALERT_EVERY_S):
            continue
        name = services.directory.get(line_id).name
        services.alerts.raise_alert("coverage", "gap", at, line_id=line_id,
                                    message=f"{name} 开放中但无人当班 / {name} is open but nobody is on shift")
        raised.append(line_id)
    return raised
