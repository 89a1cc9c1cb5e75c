"""Schedule: answers is_open / next_change / intervals for a compiled day plan.

The plan speaks wall-clock minutes per local date; here they become instants (epoch
seconds) in the line's zone, cached per date. `is_open` reads the local day of `at` in at's own
zone (UTC for the clock's `now`, the line's zone for a display) as boundaries in seconds after
that midnight, with one bisect; on a day whose offset changes within it, it reads a block of
BLOCK_DAYS days of merged boundaries (start, end, start, …) in epoch seconds: no zone
conversion per call either way (issue #18: faster than opening_hours.js). Wall-clock minutes map to instants the way
`datetime` does (fold=0): an ambiguous time takes its first occurrence, a time skipped by
a DST jump lands after the jump. `is_open`, `next_change` and `intervals` all read the
same cached instants, so they agree with each other by construction.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from typing import Iterator
from zoneinfo import ZoneInfo

from hotline.routing.schedule.model import CalendarLike, DayPlan, Windows
from hotline.routing.schedule.probe import always_closed, always_open
from hotline.routing.schedule.spans import Span, first_boundary, merge, merge_notes

__all__ = ["Schedule", "HORIZON_DAYS"]

HORIZON_DAYS = 731          # next_change looks this far ahead (~2 years)
_CACHE_LIMIT = 20_000       # dates kept per schedule before the caches are reset
_ONE_DAY = timedelta(days=1)
BLOCK_DAYS = 32             # is_open's boundary blocks: 32 days of epoch seconds each
_BLOCK_S = BLOCK_DAYS * 86_400


class Schedule:
    """When one number is answered: a compiled plan bound to a zone and a calendar."""

    def __init__(self, plan: DayPlan, *, source: str, fmt: str, tz: ZoneInfo, calendar: CalendarLike,
                 warnings: tuple[str, ...] = (), comments: tuple[str, ...] = ()):
        self.source = source
        self.fmt = fmt
        self.tz = tz
        self.calendar = calendar
        self.warnings = warnings      # what was read leniently, and as what (never silently)
        self.comments = comments      # OSM comments ("…"), in the order written
        self._plan = plan
        self._spans: dict[date, tuple[Span, ...]] = {}
        self._blocks: dict[int, list[int]] = {}        # block number → merged boundaries in it
        # zone asked in → {its local date ordinal → see _local_day}
        self._local_days: dict[object, dict[int, tuple[list[int], int] | bool]] = {}
        self._midnights: dict[date, tuple[int, bool]] = {}   # date → (midnight, same offset 3 days)
        weekly = not (getattr(plan, "uses_calendar", True) or getattr(plan, "date_specific", True))
        self._weekly: dict[int, Windows] | None = {} if weekly else None   # weekday → windows
        self._relative: dict[int, tuple[Span, ...] | bool] = {}   # date ordinal % 7 → spans from midnight

    def __repr__(self) -> str:
        return f"<Schedule {self.fmt} {self.source!r} {self.tz.key}>"

    # -- public API -----------------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        """Whether the number is answered at the instant `at` (tz-aware)."""
        days = self._local_days.get(at.tzinfo)
        local = days.get(at.toordinal()) if days is not None else None
        if local is None:
            local = self._local_day(at)
        if local is not False:
            bounds, open_at_midnight = local
            return (bisect_right(bounds, at.hour * 3600 + at.minute * 60 + at.second)
                    + open_at_midnight) & 1 == 1
        return self._is_open_at_instant(at)

    def _is_open_at_instant(self, at: datetime) -> bool:
        """is_open for any zone and any day: `at` as epoch seconds against the blocks."""
        zone, day = at.tzinfo, at.toordinal()
        offsets = _OFFSETS.get(zone)
        offset = offsets.get(day) if offsets is not None else None
        if offset is None:
            offset = _offset_of(at, day)    # (and refuses a naive `at`)
        if self._always_open:
            return True
        # whole epoch seconds by arithmetic (datetime.timestamp() costs ~1 µs with a ZoneInfo);
        # dropping the microseconds is exact: every boundary is a whole second
        ts = (day - _EPOCH_ORDINAL) * 86_400 + at.hour * 3600 + at.minute * 60 + at.second - offset
        block = ts // _BLOCK_S
        bounds = self._blocks.get(block)
        if bounds is None:
            bounds = self._block(block)
        return bisect_right(bounds, ts) & 1 == 1   # after an odd number of boundaries: inside a span

    def next_change(self, at: datetime) -> datetime | None:
        """First instant after `at` where `is_open` flips; None if none within ~2 years."""
        _require_aware(at, "at")
        if self.always_open or self._always_closed:
            return None
        ts, first = at.timestamp(), at.astimezone(self.tz).date() - _ONE_DAY
        limit = self._instant(first + timedelta(days=HORIZON_DAYS + 1), 0)
        found = first_boundary(self._spans_from(first, HORIZON_DAYS + 1), ts)
        return self._to_datetime(found) if found is not None and found < limit else None

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Open intervals clipped to [start, end), merged where they touch, in self.tz."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        lo, hi = start.timestamp(), end.timestamp()
        if hi <= lo or self._always_closed:
            return []
        if self.always_open:            # provably open at every instant: one interval, nothing to evaluate
            return [(start.astimezone(self.tz), end.astimezone(self.tz))]
        first = start.astimezone(self.tz).date() - _ONE_DAY
        days = (end.astimezone(self.tz).date() - first).days + 1
        merged = merge(self._all_spans(first, days))
        # only the first and the last span that reach into [lo, hi) can need clipping
        inside = merged[bisect_right(merged, (lo, _NEVER)) - 1 if merged and merged[0][0] <= lo else 0:
                        bisect_left(merged, (hi,))]
        inside = [(s, e) for s, e in inside[:1] if e > lo] + inside[1:]
        if not inside:
            return []
        to_datetime, tz = datetime.fromtimestamp, self.tz
        result = [(to_datetime(s, tz), to_datetime(e, tz)) for s, e in inside]
        if inside[0][0] <= lo:
            result[0] = (start.astimezone(tz), result[0][1])
        if inside[-1][1] >= hi:
            result[-1] = (result[-1][0], end.astimezone(tz))
        return result

    def notes(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime, bool, str]]:
        """Commented periods in [start, end) — (from, to, open, comment) — for OSM comments
        such as `PH off "closed on holidays"`; merged where they touch, in self.tz."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        plan_notes = getattr(self._plan, "notes", None)
        if plan_notes is None or not self.comments or end <= start:
            return []
        first = start.astimezone(self.tz).date() - _ONE_DAY
        days = (first + timedelta(days=n) for n in range((end.astimezone(self.tz).date() - first).days + 1))
        pieces = sorted((self._instant(d, a), self._instant(d, b), is_open, comment)
                        for d in days for a, b, is_open, comment in plan_notes(d, self.calendar))
        lo, hi = start.timestamp(), end.timestamp()
        return [(self._to_datetime(max(s, lo)), self._to_datetime(min(e, hi)), is_open, comment)
                for s, e, is_open, comment in merge_notes(pieces) if e > lo and s < hi]

    @property
    def always_open(self) -> bool:
        """True when provably open at every instant, whatever the date or holidays."""
        return self._always_open

    def windows(self, d: date) -> Windows:
        """The wall-clock windows starting on local date `d` (for displays and rosters)."""
        return self._plan.windows(d, self.calendar)

    # -- internals ------------------------------------------------------------------

    @cached_property
    def _always_open(self) -> bool:
        return always_open(self._plan)

    @cached_property
    def _always_closed(self) -> bool:
        return always_closed(self._plan)

    def _spans_of(self, d: date) -> tuple[Span, ...]:
        """Instants of the windows starting on `d`, cached."""
        spans = self._spans.get(d)
        if spans is None:
            if len(self._spans) > _CACHE_LIMIT:
                self._spans.clear()
                self._midnights.clear()
            windows = self._windows_of(d)
            midnight = self._midnights.get(d)
            if midnight is None:
                midnight = self._midnights[d] = _midnight(self.tz, d)
            start, steady = midnight
            relative = _relative_spans(windows) if steady else False
            if relative is not False:      # the common day: its windows shifted by its midnight
                spans = tuple((start + a, start + b) for a, b in relative)
            else:
                pairs = ((self._instant(d, a), self._instant(d, b)) for a, b in windows)
                spans = tuple(sorted((s, e) for s, e in pairs if e > s))  # sorted: DST gaps can reorder
            self._spans[d] = spans
        return spans

    def _windows_of(self, d: date) -> Windows:
        """The plan's windows for `d`; a plan that looks at nothing but the weekday (neither
        holidays nor dates) is asked once per weekday (issue #18: a year is 7 evaluations, not 365)."""
        if self._weekly is None:
            return self._plan.windows(d, self.calendar)
        found = self._weekly.get(d.weekday())
        if found is None:
            found = self._weekly[d.weekday()] = self._plan.windows(d, self.calendar)
        return found

    def _local_day(self, at: datetime) -> tuple[list[int], int] | bool:
        """at's local date (in at's own zone: the line's, UTC, any) as the boundaries strictly
        inside it in seconds after its midnight, and 1 if it starts open; False for a date whose
        offset changes within it (the fold and the hour decide there: the epoch-second path
        answers) and for a naive `at` (refused there)."""
        zone = at.tzinfo
        if zone is None:
            return False
        d = at.date()
        midnight = int(datetime(d.year, d.month, d.day, tzinfo=zone).timestamp())
        after = d + _ONE_DAY
        next_midnight = int(datetime(after.year, after.month, after.day, tzinfo=zone).timestamp())
        last = int(datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=zone).timestamp())
        local: tuple[list[int], int] | bool = False
        if next_midnight - midnight == 86_400 and last - midnight == 86_399:
            first = datetime.fromtimestamp(midnight, self.tz).date() - _ONE_DAY
            days = (datetime.fromtimestamp(next_midnight, self.tz).date() - first).days + 1
            open_at_midnight, bounds = 0, []
            for start, end in merge(self._all_spans(first, days)):
                if start <= midnight < end:
                    open_at_midnight = 1
                bounds += (edge - midnight for edge in (start, end) if midnight < edge < next_midnight)
            local = (bounds, open_at_midnight)
        known = self._local_days.setdefault(zone, {})
        if len(known) > _CACHE_LIMIT:
            known.clear()
        known[d.toordinal()] = local
        return local

    def _block(self, block: int) -> list[int]:
        """Boundaries of the merged spans inside [block start, block end), clipped to it."""
        lo, hi = block * _BLOCK_S, (block + 1) * _BLOCK_S
        first = datetime.fromtimestamp(lo, timezone.utc).astimezone(self.tz).date() - _ONE_DAY
        last = datetime.fromtimestamp(hi, timezone.utc).astimezone(self.tz).date() + _ONE_DAY
        bounds: list[int] = []
        for start, end in merge(self._all_spans(first, (last - first).days + 1)):
            if end > lo and start < hi:
                bounds += (max(start, lo), min(end, hi))
        if len(self._blocks) > _CACHE_LIMIT // BLOCK_DAYS:
            self._blocks.clear()
        self._blocks[block] = bounds
        return bounds

    def _all_spans(self, first: date, days: int) -> list[Span]:
        """Spans of `days` consecutive dates from `first`, ordered by start, all at once (for
        answers that read them all: one sort of nearly sorted data beats releasing them day by day)."""
        tiled = self._tiled_spans(first, days)
        if tiled is not None:
            return tiled
        spans: list[Span] = []
        spans_of, weekly = self._spans_of, self._weekly is not None
        for ordinal in range(first.toordinal(), first.toordinal() + days):
            d = date.fromordinal(ordinal)
            if weekly:
                start, steady = _midnight(self.tz, d)
                relative = self._relative.get(ordinal % 7)
                if relative is None:
                    relative = self._relative[ordinal % 7] = _relative_spans(self._windows_of(d))
                if steady and relative is not False:   # the weekday's spans, moved to this date
                    spans += [(start + a, start + b) for a, b in relative]
                    continue
            spans += spans_of(d)
        spans.sort()
        return spans

    def _tiled_spans(self, first: date, days: int) -> list[Span] | None:
        """A plan that looks at nothing but the weekday, over dates whose UTC offset never
        changes, repeats every 7 days in epoch seconds: each day is its weekday's spans moved
        by its midnight, with no date or zone looked at per day (issue #18: a year of
        intervals). None where that does not hold (dates, holidays, DST, long windows)."""
        if self._weekly is None:
            return None
        week = []
        for n in range(min(days, 7)):
            d = first + timedelta(days=n)
            relative = self._relative.get(d.toordinal() % 7)
            if relative is None:
                relative = self._relative[d.toordinal() % 7] = _relative_spans(self._windows_of(d))
            if relative is False:
                return None
            week.append(relative)
        start = _steady_midnight(self.tz, first, days)
        if start is None:
            return None
        spans = [(midnight + a, midnight + b)
                 for n, midnight in enumerate(range(start, start + days * 86_400, 86_400))
                 for a, b in week[n % 7]]
        spans.sort()
        return spans

    def _spans_from(self, first: date, days: int) -> Iterator[Span]:
        """Spans of `days` consecutive dates from `first`, ordered by start.

        A date's windows may start after its midnight (an OSM span's tail), so a span of
        date d is released only once no later date can start before it.
        """
        pending: list[Span] = []
        for n in range(days):
            day = first + timedelta(days=n)
            pending.extend(self._spans_of(day))
            cutoff = self._instant(day + _ONE_DAY, 0)
            pending.sort()
            ready = sum(1 for span in pending if span[0] < cutoff)
            yield from pending[:ready]
            del pending[:ready]
        yield from pending

    def _instant(self, d: date, minute: int) -> int:
        """The instant of wall-clock `minute` after the midnight starting `d` (fold=0)."""
        midnight = self._midnights.get(d)
        if midnight is None:
            midnight = self._midnights[d] = _midnight(self.tz, d)
        start, steady = midnight
        if steady and 0 <= minute <= 2 * 1440:   # no offset change in these days: plain arithmetic
            return start + minute * 60
        wall = datetime(d.year, d.month, d.day, tzinfo=self.tz) + timedelta(minutes=minute)
        return int(wall.timestamp())

    def _to_datetime(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, self.tz)


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Shared by every schedule (most share one zone): zone → {local date ordinal: UTC offset in
# seconds}, only for dates whose offset holds all day; and (zone, date) → midnight.
_OFFSETS: dict[object, dict[int, int]] = {}
_MIDNIGHTS: dict[tuple[ZoneInfo, date], tuple[int, bool]] = {}
_STEADY_RANGES: dict[tuple[ZoneInfo, date, int], int | None] = {}   # (zone, first, days) → its midnight
_NEVER = 1 << 62   # sorts after every end: (lo, _NEVER) follows every span starting at lo


def _offset_of(at: datetime, day: int) -> int:
    """at's UTC offset in seconds, remembered for its local date when the offset holds all day
    (a date with a DST change is worked out each time: the hour decides, and the fold)."""
    offset = at.utcoffset()
    if offset is None:
        _require_aware(at, "at")
    seconds = int(offset.total_seconds())
    wall = at.replace(tzinfo=None)
    first = wall.replace(hour=0, minute=0, second=0, microsecond=0, fold=0)
    last = wall.replace(hour=23, minute=59, second=59, microsecond=0, fold=0)
    zone = at.tzinfo
    if zone.utcoffset(first.replace(tzinfo=zone)) == zone.utcoffset(last.replace(tzinfo=zone)) == offset:
        offsets = _OFFSETS.setdefault(zone, {})
        if len(offsets) > _CACHE_LIMIT:
            offsets.clear()
        offsets[day] = seconds
    return seconds


def _relative_spans(windows: Windows) -> tuple[Span, ...] | bool:
    """A weekday's windows as seconds from its midnight, sorted — what any date of that weekday
    opens, shifted by its midnight, on days whose offset holds; False when a window reaches
    outside the two days where that shift is exact."""
    if not all(0 <= a and b <= 2 * 1440 for a, b in windows):
        return False
    return tuple(sorted((a * 60, b * 60) for a, b in windows if b > a))


def _steady_midnight(zone: ZoneInfo, first: date, days: int) -> int | None:
    """first's midnight when the zone's offset holds from it through the day after the last of
    `days` dates (each date's spans may reach into the next two days), else None; remembered per
    range: the lines of a directory are asked for the same ones."""
    key = (zone, first, days)
    if key not in _STEADY_RANGES:
        start = _midnight(zone, first)[0]
        steady = all(_midnight(zone, first + timedelta(days=n))[1] for n in range(days))
        if len(_STEADY_RANGES) > _CACHE_LIMIT:
            _STEADY_RANGES.clear()
        _STEADY_RANGES[key] = start if steady else None
    return _STEADY_RANGES[key]


def _midnight(zone: ZoneInfo, d: date) -> tuple[int, bool]:
    """d's midnight as an instant, and whether the zone's offset stays the same through d+2."""
    known = _MIDNIGHTS.get((zone, d))
    if known is None:
        days = [datetime(x.year, x.month, x.day, tzinfo=zone) for x in (d, d + _ONE_DAY, d + 2 * _ONE_DAY)]
        steady = all(int(b.timestamp()) - int(a.timestamp()) == 86_400 for a, b in zip(days, days[1:]))
        if len(_MIDNIGHTS) > _CACHE_LIMIT:
            _MIDNIGHTS.clear()
        known = _MIDNIGHTS[(zone, d)] = (int(days[0].timestamp()), steady)
    return known


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} 必须带时区 / {name} must be a timezone-aware datetime, got {value!r}")
