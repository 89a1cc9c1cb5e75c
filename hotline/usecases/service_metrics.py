"""The figures /metrics publishes at scrape time, from shared state (Redis and the database),
so every process answers the same values: the dashboard snapshot, this process's dashboard
feed, and the call-record backlog of its write-behind."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class FeedFigures:
    pushes: int
    last_build_s: float
    leader: bool
    watchers: int


@dataclass(frozen=True)
class ServiceFigures:
    snapshot: dict | None              # None when the live state could not be read
    error: str | None                  # then: the exception's name, for the log
    feed: FeedFigures
    record_backlog: int | None         # None: no call record written by this process yet


class ServiceMetrics:
    """Hotline.service_metrics."""

    def __init__(self, feed, record_backlog: Callable[[], int | None]) -> None:
        self.feed = feed
        self.record_backlog = record_backlog

    def figures(self) -> ServiceFigures:
        try:
            snapshot = self.feed.builder.snapshot()
        except Exception as exc:   # Redis away: the process is up, the live state is not
            return ServiceFigures(None, type(exc).__name__, self._feed(), None)
        return ServiceFigures(snapshot, None, self._feed(), self.record_backlog())

    def _feed(self) -> FeedFigures:
        feed = self.feed
        return FeedFigures(feed.pushes, feed.last_build_s, feed.leader, len(feed.watchers))
