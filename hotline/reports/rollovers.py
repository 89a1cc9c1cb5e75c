"""Rolled over in and out, from the event sequence of each rolled-over call.

A rollover is written as a `rolled_over` event keyed `rollover:<from line>`; the
routing step that follows is either joining another line's queue (`queued`, keyed
`queued:<line>`) or a transfer to another line's number (`transferred`, keyed
`transfer:<line>`). So "out of A" is the rollover event itself and "in to B" is
the step right after it. A counselor's transfer (kind `transfer:<line>`) is not a
rollover and is ignored here.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

FOLLOW_KINDS = {"queued": "queued:", "transferred": "transfer:"}


def _target(prefix: str, dedup_key: str) -> str | None:
    if not dedup_key.startswith(prefix):
        return None
    return dedup_key[len(prefix):] or None


def count_rollovers(events: Iterable[tuple[int, str, str]]) -> dict[str, Counter]:
    """events: (call_id, kind, dedup_key) ordered by call, then by when they were written.

    Returns {line_id: Counter(rolled_out=…, rolled_in=…)}.
    """
    result: dict[str, Counter] = {}
    current_call, pending = None, False
    for call_id, kind, dedup_key in events:
        if call_id != current_call:
            current_call, pending = call_id, False
        if kind == "rolled_over":
            source = _target("rollover:", dedup_key)
            if source:
                result.setdefault(source, Counter())["rolled_out"] += 1
            pending = True
        elif pending and kind in FOLLOW_KINDS:
            target = _target(FOLLOW_KINDS[kind], dedup_key)
            if target:
                result.setdefault(target, Counter())["rolled_in"] += 1
            pending = False
    return result
