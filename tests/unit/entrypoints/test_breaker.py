"""The voice webhooks' circuit breaker (hotline/web/breaker.py): calls run side by side; the
state changes as documented; at most one probe at a time once the open period has passed."""
from __future__ import annotations

import threading

import pytest

from hotline.web.breaker import CLOSED, HALF_OPEN, OPEN, BreakerOpen, DependencyBreaker


class Down(Exception):
    """Stands for a Redis or database error (counted)."""


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: Clock, fail_max: int = 3, reset_s: float = 5.0) -> DependencyBreaker:
    return DependencyBreaker(fail_max, reset_s, counts=lambda exc: isinstance(exc, Down), clock=clock)


def fail(b: DependencyBreaker, exc: Exception | None = None) -> None:
    def boom():
        raise exc or Down()
    with pytest.raises(type(exc or Down())):
        b.call(boom)


def test_calls_run_side_by_side_not_one_at_a_time():
    """The reason it replaced pybreaker: sixteen threads of one process must not queue behind one lock."""
    b = breaker(Clock())
    together = threading.Barrier(4, timeout=5)
    results: list[int] = []

    def meet(n: int) -> int:
        together.wait()            # breaks (BrokenBarrierError) if the calls were serialised
        return n

    threads = [threading.Thread(target=lambda n=n: results.append(b.call(meet, n))) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(results) == [0, 1, 2, 3] and b.current_state == CLOSED


def test_opens_after_failures_in_a_row_only():
    b = breaker(Clock())
    fail(b)
    fail(b)
    assert b.call(lambda: "ok") == "ok"               # a success resets the count
    fail(b)
    fail(b, ValueError("not a dependency"))            # passes through, does not count, resets
    fail(b)
    fail(b)
    assert b.current_state == CLOSED
    fail(b)                                            # the third in a row: the original error, then open
    assert b.current_state == OPEN
    ran = []
    with pytest.raises(BreakerOpen):
        b.call(lambda: ran.append(1))
    assert ran == []                                   # refused without running


def test_after_the_open_period_one_probe_at_a_time_decides():
    clock = Clock()
    b = breaker(clock, fail_max=1, reset_s=5)
    fail(b)
    clock.now = 4.9
    with pytest.raises(BreakerOpen):
        b.call(lambda: None)
    clock.now = 5.0
    fail(b)                                            # the probe failed: open for another period
    assert b.current_state == OPEN
    clock.now = 9.9
    with pytest.raises(BreakerOpen):
        b.call(lambda: None)
    clock.now = 10.0
    seen = []

    def probe():
        assert b.current_state == HALF_OPEN
        with pytest.raises(BreakerOpen):               # a second caller during the probe is refused
            b.call(lambda: seen.append("second"))
        return "probe"

    assert b.call(probe) == "probe" and seen == []
    assert b.current_state == CLOSED
    assert b.call(lambda: "after") == "after"


def test_a_late_success_of_a_call_admitted_before_opening_does_not_close_it():
    b = breaker(Clock(), fail_max=1)
    opened = threading.Event()

    def slow():
        opened.wait(5)
        return "late"

    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(b.call(slow)))
    thread.start()
    fail(b)                                            # meanwhile the dependency fails: open
    opened.set()
    thread.join(5)
    assert outcome == ["late"] and b.current_state == OPEN


def test_close_resets_everything():
    b = breaker(Clock(), fail_max=2)
    fail(b)
    fail(b)
    b.close()
    fail(b)
    assert b.current_state == CLOSED                   # the count started again
