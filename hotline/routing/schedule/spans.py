"""Pure helpers on spans of epoch seconds, shared by Schedule's answers.

`Schedule` (schedule_runtime) turns a plan's wall-clock windows into spans; these merge
them and find boundaries, so is_open, next_change, intervals and notes agree.
"""

from __future__ import annotations

from typing import Iterator

__all__ = ["Span", "first_boundary", "merge", "merge_notes"]

Span = tuple[int, int]


def first_boundary(spans: Iterator[Span], ts: float) -> int | None:
    """First start or end after `ts` of the merged spans (input ordered by start).

    An end is only returned once a later, separate span (or the input's end) proves it
    final; the caller rejects ends at the horizon, where the interval may go on.
    """
    cur_end: int | None = None
    for start, end in spans:
        if cur_end is not None and start <= cur_end:
            cur_end = max(cur_end, end)
            continue
        if cur_end is not None and cur_end > ts:
            return cur_end
        if start > ts:
            return start
        cur_end = end
    return cur_end if cur_end is not None and cur_end > ts else None


def merge_notes(pieces: list[tuple]) -> list[tuple]:
    """Join (start, end, open, comment) pieces, ordered by start, that touch and say the same."""
    merged: list[list] = []
    for s, e, is_open, comment in pieces:
        if merged and merged[-1][2:] == [is_open, comment] and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        elif e > s:
            merged.append([s, e, is_open, comment])
    return [tuple(m) for m in merged]


def merge(spans: Iterator[Span]) -> list[Span]:
    """Merge overlapping or touching spans; input ordered by start."""
    merged: list[Span] = []
    spans = iter(spans)
    for low, high in spans:       # the first span opens the run
        break
    else:
        return merged
    for start, end in spans:
        if start <= high:         # overlaps or touches the run: extends it
            if end > high:
                high = end
        else:
            merged.append((low, high))
            low, high = start, end
    merged.append((low, high))
    return merged
