"""Rolled over in and out, from the event sequences of rolled-over calls."""
from __future__ import annotations

from hotline.reports.rollovers import count_rollovers


def test_each_rollover_is_out_of_one_line_and_in_to_the_next_step():
    events = [
        (1, "queued", "queued:a"), (1, "rolled_over", "rollover:a"), (1, "queued", "queued:b"),
        (2, "queued", "queued:a"), (2, "rolled_over", "rollover:a"), (2, "queued", "queued:b"),
        (2, "rolled_over", "rollover:b"), (2, "transferred", "transfer:x"),
        (3, "rolled_over", "rollover:c"),                       # the caller hung up before the next step
        (4, "queued", "queued:c"), (4, "transferred", "transfer:y"),   # a transfer that was no rollover
    ]
    counts = count_rollovers(events)
    assert counts["a"] == {"rolled_out": 2}
    assert counts["b"] == {"rolled_in": 2, "rolled_out": 1}
    assert counts["x"] == {"rolled_in": 1}
    assert counts["c"] == {"rolled_out": 1}
    assert "y" not in counts


def test_a_pending_rollover_does_not_leak_into_the_next_call():
    counts = count_rollovers([(1, "rolled_over", "rollover:a"), (2, "queued", "queued:b")])
    assert counts == {"a": {"rolled_out": 1}}
