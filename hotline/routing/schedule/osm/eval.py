"""Evaluate opening_hours rules for a date exactly as opening_hours.js does.

opening_hours.js is the reference implementation, so its semantics are copied, quirks
included (each checked by tests/unit/core/schedule/test_osm_reference*.py):

- A span past midnight (22:00-02:00) becomes the rule's own part (22:00-24:00) plus a
  *wrapped* internal rule placed right after it, matching the next day (00:00-02:00). The
  wrapped rule is never additional nor a fallback, even when its rule is.
- For a date, rules are scanned in order. A matching rule that is open, not wrapped, not
  additional (after ','), not a fallback (after '||') and has date selectors — or has none
  while the rule before it has none either — starts afresh: it replaces everything matched
  so far for that day, *including* the spill of the previous day's span.
- off/closed rules never start afresh; they paint their times (or the whole day) closed.
- The kept rules then paint the day in order: later paint wins. A fallback rule paints
  only where the day is not open at that point (its 'off' therefore changes nothing).
- Each painted piece keeps the comment of the rule that painted it (none if it has none),
  which is what opening_hours.js reports for that time.

To fit the common model (windows starting on a date), open pieces painted by wrapped
rules are handed back to the previous date as windows past 24:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hotline.routing.schedule.model import DAY, CalendarLike, Window, Windows, normalize
from hotline.routing.schedule.osm.preds import HolidayPred, matches_all

__all__ = ["OsmRule", "OsmPlan", "Note"]

_ONE_DAY = timedelta(days=1)
Segment = tuple[int, int, bool, bool, "str | None"]   # (start, end, open, painted by a wrapped rule, comment)
Note = tuple[int, int, bool, str]                       # (start, end, open, comment), minutes like windows


@dataclass(frozen=True)
class OsmRule:
    """One rule as written: selector groups, spans (None = whole day), state, separator, comment."""

    groups: tuple[tuple, ...]
    times: tuple[Window, ...] | None
    is_open: bool
    additional: bool
    pos: int = 0
    fallback: bool = False
    comment: str | None = None


@dataclass(frozen=True)
class _Internal:
    groups: tuple[tuple, ...]
    times: tuple[Window, ...] | None
    is_open: bool
    additional: bool
    wrapped: bool
    fallback: bool
    comment: str | None


def _expand(rules: tuple[OsmRule, ...]) -> tuple[_Internal, ...]:
    """Split spans past midnight into the rule's own part and a wrapped next-day rule."""
    out: list[_Internal] = []
    for rule in rules:
        own = None if rule.times is None else tuple((s, min(e, DAY)) for s, e in rule.times)
        out.append(_Internal(rule.groups, own, rule.is_open, rule.additional, False, rule.fallback, rule.comment))
        spill = tuple((0, e - DAY) for s, e in rule.times or () if e > DAY)
        if spill:
            out.append(_Internal(rule.groups, spill, rule.is_open, False, True, False, rule.comment))
    return tuple(out)


class OsmPlan:
    """Day plan of an opening_hours value, with its comments and lenient-spelling warnings."""

    def __init__(self, rules: tuple[OsmRule, ...], lenient: tuple = (), normalized: str | None = None):
        self.rules = rules
        self.lenient = lenient                      # osm_lenient.Lenient, in the order met
        self.normalized = normalized                # the value with canonical spellings
        self.warnings = tuple(str(note) for note in lenient)
        self.comments = tuple(dict.fromkeys(rule.comment for rule in rules if rule.comment is not None))
        self._internal = _expand(rules)
        preds = [p for rule in rules for group in rule.groups for p in group]
        self.uses_calendar = any(p.kind == "holiday" for p in preds)
        self.date_specific = any(p.kind == "date" for p in preds)
        # how many days from a date its answer may look (PH -1 day looks one further)
        self.calendar_reach = 1 + max((abs(p.offset) for p in preds if isinstance(p, HolidayPred)), default=0)

    def __repr__(self) -> str:
        return f"OsmPlan({self.rules!r})"

    def windows(self, d: date, cal: CalendarLike) -> Windows:
        own = [(s, e) for s, e, is_open, wrapped, _ in self._paint(d, cal) if is_open and not wrapped]
        spill = [(s + DAY, e + DAY) for s, e, is_open, wrapped, _ in self._paint(d + _ONE_DAY, cal)
                 if is_open and wrapped]
        return normalize(own + spill)

    def notes(self, d: date, cal: CalendarLike) -> tuple[Note, ...]:
        """Commented pieces of the windows' reach for `d` (same minutes as `windows`), open or closed."""
        own = [(s, e, o, c) for s, e, o, wrapped, c in self._paint(d, cal) if c is not None and not wrapped]
        spill = [(s + DAY, e + DAY, o, c) for s, e, o, wrapped, c in self._paint(d + _ONE_DAY, cal)
                 if c is not None and wrapped]
        return tuple(sorted(own + spill))

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
                if rule.fallback:
                    segments = _paint_fallback(segments, start, end, rule)
                else:
                    segments = _paint(segments, start, end, rule.is_open, rule.wrapped, rule.comment)
        return segments


def _starts_afresh(rule: _Internal, previous: _Internal | None) -> bool:
    dated = bool(rule.groups) or (previous is not None and not previous.groups)
    return dated and rule.is_open and not rule.wrapped and not rule.additional and not rule.fallback


def _paint(segments: list[Segment], start: int, end: int, is_open: bool, wrapped: bool,
           comment: str | None) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        a, b = seg[0], seg[1]
        if b <= start or a >= end:
            out.append(seg)
            continue
        if a < start:
            out.append((a, start, *seg[2:]))
        if b > end:
            out.append((end, b, *seg[2:]))
    if end > start:
        out.append((start, end, is_open, wrapped, comment))
    return out


def _paint_fallback(segments: list[Segment], start: int, end: int, rule: _Internal) -> list[Segment]:
    """Paint open where [start, end) is not open yet; a closed fallback changes nothing."""
    if not rule.is_open:
        return segments
    cursor, gaps = start, []
    for a, b, *_ in sorted((s for s in segments if s[2] and s[1] > start and s[0] < end), key=lambda s: s[0]):
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < end:
        gaps.append((cursor, end))
    for a, b in gaps:
        segments = _paint(segments, a, b, True, rule.wrapped, rule.comment)
    return segments
