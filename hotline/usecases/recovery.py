"""Rebuilding live state after Redis lost it (restart without persistence).

A marker key tells a fresh Redis from a running one. When it is missing, the calls
that the record still shows as waiting are put back in their queues in their
original order; callers still in Twilio's queue also rejoin by themselves on their
next wait request (telephony/queue_flow.py).
"""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from hotline.store.models import Call

log = logging.getLogger(__name__)
WAITING = ("queued", "offered", "menu")
LOOK_BACK = timedelta(hours=6)


def rebuild_if_needed(services) -> int:
    """Rebuild once per Redis lifetime; returns how many calls were put back."""
    from hotline.usecases.triage.files import ensure_flagged

    ensure_flagged(services)   # flagged callers first, even after Redis forgot them (throttled)
    marker = f"{services.keys.prefix}:epoch"
    if not services.redis.set(marker, services.now().isoformat(), nx=True):
        return 0
    restored = rebuild_queues(services)
    if restored:
        log.warning("Redis 已恢复，重建队列 / Redis was empty: %d waiting calls restored from the record",
                    restored)
    return restored


def rebuild_queues(services) -> int:
    since = services.now() - LOOK_BACK
    with services.db.session() as session:
        calls = session.execute(select(Call).where(Call.status.in_(WAITING), Call.ended_at.is_(None),
                                                   Call.line_id.is_not(None), Call.received_at >= since)
                                .order_by(Call.queued_at, Call.received_at)).scalars().all()
    restored = 0
    for call in calls:
        line = services.directory.get(call.line_id)
        if line is None or services.queues.call_state(call.call_sid):
            continue   # Redis still knows this call: it is not lost
        services.queues.enqueue(call.call_sid, call.line_id, call.priority, call.queued_at or call.received_at,
                                caller_key=call.caller_key, dialled=call.dialled_number, status="queued",
                                max_wait_s=line.max_wait_s)
        restored += 1
    return restored
