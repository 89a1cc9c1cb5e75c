"""/metrics' figures: the dashboard snapshot when the live state is readable; without it the
process still reports itself and its feed, and nothing from the call-record writer."""
from __future__ import annotations

from hotline.usecases.service_metrics import FeedFigures, ServiceMetrics
from tests.unit.usecases.fakes_ops import FakeBuilder


class Feed:
    def __init__(self) -> None:
        self.builder = FakeBuilder()
        self.pushes, self.last_build_s, self.leader, self.watchers = 7, 0.25, True, {"a", "b"}


def test_figures_from_a_readable_live_state():
    asked = []
    figures = ServiceMetrics(Feed(), lambda: asked.append(1) or 3).figures()
    assert figures.snapshot == {"seq": 1, "fresh": False} and figures.error is None
    assert figures.feed == FeedFigures(pushes=7, last_build_s=0.25, leader=True, watchers=2)
    assert figures.record_backlog == 3 and asked == [1]


def test_without_the_live_state_only_the_process_and_its_feed():
    feed, asked = Feed(), []
    feed.builder.fail = True
    figures = ServiceMetrics(feed, lambda: asked.append(1) or 3).figures()
    assert figures.snapshot is None and figures.error == "ConnectionError"
    assert figures.feed.pushes == 7 and figures.record_backlog is None and asked == []
