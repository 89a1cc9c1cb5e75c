"""Failed sign-ins: 5 per username and 20 per address per window, shared through Redis,
counted in-process while Redis fails, and Redis tried again after REDIS_RETRY_S."""
from __future__ import annotations

from hotline.usecases.sign_in_limits import (MAX_PER_IP, MAX_PER_USER, REDIS_RETRY_S, WINDOW_S, LoginLimiter,
                                             MemoryCounter)
from tests.unit.usecases.fakes_ops import FakeMonotonic


class Flaky(MemoryCounter):
    """A shared counter (Redis) that can be switched off; counts what reached it."""

    def __init__(self, clock) -> None:
        super().__init__(clock)
        self.down = False
        self.calls = 0

    def peek(self, key):
        self._reach()
        return super().peek(key)

    def bump(self, key):
        self._reach()
        super().bump(key)

    def clear(self, key):
        self._reach()
        super().clear(key)

    def _reach(self):
        self.calls += 1
        if self.down:
            raise ConnectionError("redis down")


def kit():
    clock = FakeMonotonic()
    shared = Flaky(clock)
    return LoginLimiter(shared, clock), shared, clock


def test_the_sixth_attempt_waits_until_the_window_ends():
    limiter, shared, clock = kit()
    for _ in range(MAX_PER_USER):
        assert limiter.retry_after("wang", "10.0.0.1") == 0
        limiter.record_failure("wang", "10.0.0.1")
    assert limiter.retry_after("wang", "10.0.0.2") == WINDOW_S + 1
    assert shared.entries["user:wang"][0] == MAX_PER_USER and shared.entries["ip:10.0.0.1"][0] == MAX_PER_USER
    clock.at += WINDOW_S
    assert limiter.retry_after("wang", "10.0.0.1") == 0


def test_names_are_compared_without_case_or_blanks_and_other_users_go_on():
    limiter, _shared, _clock = kit()
    for _ in range(MAX_PER_USER):
        limiter.record_failure(" Wang ", "10.0.0.1")
    assert limiter.retry_after("WANG", "10.0.0.9") > 0
    assert limiter.retry_after("li", "10.0.0.9") == 0


def test_an_address_is_limited_across_names_and_a_success_does_not_clear_it():
    limiter, _shared, _clock = kit()
    for index in range(MAX_PER_IP):
        limiter.record_failure(f"user{index}", "10.0.0.1")
    limiter.reset_user("user0")
    assert limiter.retry_after("user0", "10.0.0.1") > 0
    assert limiter.retry_after("user0", "10.0.0.2") == 0


def test_while_redis_fails_the_process_counts_and_tries_redis_again_later():
    limiter, shared, clock = kit()
    shared.down = True
    for _ in range(MAX_PER_USER):
        limiter.record_failure("wang", "10.0.0.1")
    reached = shared.calls
    assert reached == 1                                   # one failure, then the local counter only
    assert limiter.retry_after("wang", "10.0.0.1") > 0    # a guesser is still slowed down
    shared.down = False
    clock.at += REDIS_RETRY_S
    assert limiter.retry_after("wang", "10.0.0.1") == 0   # back on Redis, which saw none of them
    assert shared.calls > reached
