"""Evaluate opening_hours rules for a date exactly as opening_hours.js does.

opening_hours.js is the reference implementation, so its semantics are copied, quirks
included (each checked by tests/unit/schedule/test_osm_reference.py):

- A span past midnight (22:00-02:00) becomes the rule's own part (22:00-24:00) plus a
  *wrapped* internal rule placed right after it, matching the next day (00:00-02:00).
- For a date, rules are scanned in order. A matching rule that is open, not wrapped, not
  additional (after ',') and has date selectors — or has none while the rule before it
  has none either — starts afresh: it replaces everything matched so far for that day,
  *including* the spill of the previous day's span ("Mo-Fr 22:00-02:00; Sa 10:00-12:00"
  is closed Saturday 00:00-02:00; so is "PH off" after a night span).
- off/closed rules never start afresh; they paint their times (or the whole day) closed.
- The kept rules then paint the day in order: later paint wins.

To fit the common model (windows starting on a date), open pieces painted by wrapped
rules are handed back to the previous date as windows past 24:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hotline.routing.schedule.model import DAY, CalendarLike, Window, Windows, normalize
from hotline.routing.schedule.osm.preds import matches_all

__all__ = ["OsmRule", "OsmPlan"]

_ONE_DAY = timedelta(days=1)
Segment = tuple[int, int, bool]   # (start, end, painted by a wrapped rule)


@dataclass(frozen=True)
class OsmRule:
    """One rule as written: selector groups, spans (None = whole day), state, separator."""

    groups: tuple[tuple, ...]
    times: tuple[Window, ...] | None
    is_open: bool
    additional: bool
    pos: int = 0


@dataclass(frozen=True)
class _Internal:
    groups: tuple[tuple, ...]
    times: tuple[Window, ...] | None
    is_open: bool
    additional: bool
    wrapped: bool


def _expand(rules: tuple[OsmRule, ...]) -> tuple[_Internal, ...]:
    """Split spans past midnight into the rule's own part and a wrapped next-day rule."""
    out: list[_Internal] = []
    for rule in rules:
        own = None if rule.times is None else tuple((s, min(e, DAY)) for s, e in rule.times)
        out.append(_Internal(rule.groups, own, rule.is_open, rule.additional, False))
        spill = tuple((0, e - DAY) for s, e in rule.times or () if e > DAY)
        if spill:
            out.append(_Internal(rule.groups, spill, rule.is_open, rule.additional, True))
    return tuple(out)


class OsmPlan:
    """Day plan of an opening_hours value."""

    def __init__(self, rules: tuple[OsmRule, ...]):
        self.rules = rules
        self._internal = _expand(rules)
        kinds = {p.kind for rule in rules for group in rule.groups for p in group}
        self.uses_calendar = "holiday" in kinds
        self.date_specific = "date" in kinds

    def __repr__(self) -> str:
        return f"OsmPlan({self.rules!r})"

    def windows(self, d: date, cal: CalendarLike) -> Windows:
        own = [(s, e) for s, e, wrapped in self._paint(d, cal) if not wrapped]
        spill = [(s + DAY, e + DAY) for s, e, wrapped in self._paint(d + _ONE_DAY, cal) if wrapped]
        return normalize(own + spill)

    def _matching(self, d: date, cal: CalendarLike) -> list[_Internal]:
        kept: list[_Internal] = []
        previous: _Internal | None = None
        for rule in self._internal:
            if matches_all(rule.groups, d, cal, shift=1 if rule.wrapped else 0):
                if _starts_afresh(rule, previous):
                    kept = []
                kept.append(rule)
            previous = rule
        return kept

    def _paint(self, d: date, cal: CalendarLike) -> list[Segment]:
        segments: list[Segment] = []
        for rule in self._matching(d, cal):
            for start, end in rule.times if rule.times is not None else ((0, DAY),):
                segments = _paint(segments, start, end, rule.is_open, rule.wrapped)
        return segments


def _starts_afresh(rule: _Internal, previous: _Internal | None) -> bool:
    dated = bool(rule.groups) or (previous is not None and not previous.groups)
    return dated and rule.is_open and not rule.wrapped and not rule.additional


def _paint(segments: list[Segment], start: int, end: int, is_open: bool, wrapped: bool) -> list[Segment]:
    out: list[Segment] = []
    for a, b, label in segments:
        if b <= start or a >= end:
            out.append((a, b, label))
            continue
        if a < start:
            out.append((a, start, label))
        if b > end:
            out.append((end, b, label))
    if is_open and end > start:
        out.append((start, end, wrapped))
    return out
