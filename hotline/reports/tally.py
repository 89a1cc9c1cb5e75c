"""Additive partial sums: what the report sources return, folded per line.

Everything a report derives (rates, means) is a ratio of sums, so a line's tally
is a bag of sums and counts that can be added across hour buckets, zones and lines
without losing anything; "overall" is the sum of the lines' tallies. Only repeat
callers are not additive (one caller on two lines), so they are counted apart.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Mapping

from hotline.reports.windows import zone

# Sums per (line, time bucket), in the order the call-sums adapter selects them.
CALL_SUMS = ("offered", "answered", "abandoned", "abandoned_short", "abandon_wait_sum", "abandon_wait_n",
             "ab_0_5", "ab_5_20", "ab_20_60", "ab_60_120", "ab_120",
             "voicemail", "transferred", "info_only", "within_20", "within_60",
             "wait_sum", "wait_n", "talk_sum", "talk_n")
# Sums that come from call events rather than call rows.
EVENT_SUMS = ("rolled_in", "rolled_out", "wrap_sum", "wrap_n")
# Breakdowns by local time, filled from the buckets.
TIME_SERIES = ("day_offered", "day_answered", "day_abandoned", "hour_offered", "hour_answered",
               "hour_abandoned", "weekday_offered", "heat")


@dataclass(frozen=True)
class BucketRow:
    """Sums for the calls of one line received in one UTC bucket [start, start + seconds)."""

    line_id: str | None
    bucket: int          # floor(epoch seconds / seconds)
    seconds: int
    sums: Mapping[str, float]

    @property
    def start(self) -> datetime:
        return datetime.fromtimestamp(self.bucket * self.seconds, tz=timezone.utc)


@dataclass
class ReportTally:
    """A line's (or all lines') additive sums and local-time breakdowns.

    Named apart from today's counters of the dashboard (hotline.store.today): those
    count one day live, this one adds up any period's sums from the record."""

    sums: Counter = field(default_factory=Counter)
    series: dict[str, Counter] = field(default_factory=dict)

    def series_of(self, name: str) -> Counter:
        return self.series.setdefault(name, Counter())

    def add(self, other: "ReportTally") -> "ReportTally":
        self.sums.update(other.sums)
        for name, counts in other.series.items():
            self.series_of(name).update(counts)
        return self


UNASSIGNED = "unassigned"


def line_key(line_id: str | None) -> str:
    return line_id or UNASSIGNED


def fold_buckets(rows: Iterable[BucketRow], tz: str,
                 tallies: dict[str, ReportTally] | None = None) -> dict[str, ReportTally]:
    """Add bucket rows (read in zone tz) into per-line tallies."""
    tallies = {} if tallies is None else tallies
    zi = zone(tz)
    for row in rows:
        tally = tallies.setdefault(line_key(row.line_id), ReportTally())
        for name, value in row.sums.items():
            if value:
                tally.sums[name] += value
        _add_local_time(tally, row.start.astimezone(zi), row.sums)
    return tallies


def _add_local_time(tally: ReportTally, local: datetime, sums: Mapping[str, float]) -> None:
    day, hour, weekday = local.date().isoformat(), f"{local.hour:02d}", str(local.weekday())
    offered, answered, abandoned = sums.get("offered", 0), sums.get("answered", 0), sums.get("abandoned", 0)
    tally.series_of("day_offered")[day] += offered
    tally.series_of("day_answered")[day] += answered
    tally.series_of("day_abandoned")[day] += abandoned
    tally.series_of("hour_offered")[hour] += offered
    tally.series_of("hour_answered")[hour] += answered
    tally.series_of("hour_abandoned")[hour] += abandoned
    tally.series_of("weekday_offered")[weekday] += offered
    tally.series_of("heat")[f"{weekday}:{hour}"] += offered


def add_sums(tallies: dict[str, ReportTally],
             per_line: Mapping[str | None, Mapping[str, float]]) -> dict[str, ReportTally]:
    """Add event-derived sums (rollovers, wrap-up) per line."""
    for line_id, sums in per_line.items():
        tally = tallies.setdefault(line_key(line_id), ReportTally())
        for name, value in sums.items():
            tally.sums[name] += value
    return tallies


def total(tallies: Iterable[ReportTally]) -> ReportTally:
    result = ReportTally()
    for tally in tallies:
        result.add(tally)
    return result
