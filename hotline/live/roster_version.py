"""The roster version in Redis: bumped on every roster change, read by every process.

Eligibility caches each process's on-call index in memory; comparing this one
integer (at most about once a second) tells it the roster changed somewhere —
in another web process, in the RQ worker, in the CLI — without polling the database.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def version_key(services) -> str:
    return f"{services.settings.redis_prefix}:roster:version"


def current_version(services) -> int:
    raw = services.redis.get(version_key(services))
    return int(raw) if raw else 0


def bump(services) -> None:
    """Announce a roster change. A Redis outage is logged, not raised: the change is
    already committed, and caches expire by their TTL anyway."""
    local = services.__dict__.get("eligibility")
    if local is not None and hasattr(local, "invalidate"):
        local.invalidate()
    try:
        services.redis.incr(version_key(services))
    except Exception as exc:  # noqa: BLE001 — Redis down must not undo a committed change
        log.warning("排班版本未能更新 / roster version not bumped: %s", exc)
