"""The sign-in limits: growing waits per (account, client), the account ceiling that locks,
the per-address limit; counted in-process while Redis fails, Redis tried again later; and
the gate that asks them around each attempt."""
from __future__ import annotations

import pytest

from hotline.usecases.accounts import Accounts
from hotline.usecases.sign_in import SignInGate
from hotline.usecases.sign_in_limits import (ACCOUNT_CEILING, ADDRESS_LIMIT, FREE_FAILURES, MAX_DELAY_S,
                                             REDIS_RETRY_S, LimitPorts, SignInThrottle, delay_after)
from tests.unit.usecases.fakes import FakeClock
from tests.unit.usecases.fakes_ops import FakeMonotonic, OpsStore, UowFactory

PASSWORD = "correct-horse-42"


class Window:
    """RateWindow: `limit` hits per key (the window never ends within a test)."""

    def __init__(self, limit: int) -> None:
        self.limit, self.hits = limit, {}

    def hit(self, key):
        self.hits[key] = self.hits.get(key, 0) + 1
        return max(self.limit - self.hits[key], 0)

    def wait(self, key):
        return 600 if self.hits.get(key, 0) >= self.limit else 0

    def clear(self, key):
        self.hits.pop(key, None)


class Streaks:
    def __init__(self) -> None:
        self.rows = {}

    def get(self, key):
        return self.rows.get(key, (0, 0.0))

    def add(self, key, at):
        self.rows[key] = (self.get(key)[0] + 1, at)
        return self.rows[key][0]

    def clear(self, key):
        self.rows.pop(key, None)


class Down:
    """A port whose every call fails, as Redis does when it is down; counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __getattr__(self, name):
        def fail(*_):
            self.calls += 1
            raise ConnectionError("redis down")
        return fail


def ports() -> LimitPorts:
    return LimitPorts(streaks=Streaks(), accounts=Window(ACCOUNT_CEILING), addresses=Window(ADDRESS_LIMIT))


def kit(shared: LimitPorts | None = None):
    wall, mono = FakeMonotonic(), FakeMonotonic()
    shared = shared or ports()
    return SignInThrottle(shared, ports(), wall=wall, monotonic=mono), shared, wall, mono


def test_the_delays_double_after_the_free_failures_up_to_the_cap():
    assert [delay_after(n) for n in range(FREE_FAILURES + 4)] == [0] * FREE_FAILURES + [2, 4, 8, 16]
    assert delay_after(40) == MAX_DELAY_S


def test_a_streak_waits_then_lets_the_next_try_through():
    throttle, shared, wall, _mono = kit()
    for _ in range(FREE_FAILURES):
        assert throttle.wait("Wang", "ip:a", "a") == 0
        throttle.failed("Wang", "ip:a", "a")
    assert throttle.wait("wang", "ip:a", "a") == 3             # names compare case-insensitively
    assert throttle.wait("wang", "ip:b", "b") == 0              # another client is not held back
    wall.at += 3
    assert throttle.wait("wang", "ip:a", "a") == 0
    throttle.succeeded("wang", "ip:a")
    assert shared.streaks.rows == {}


def test_the_account_ceiling_is_reached_once_over_all_clients():
    throttle, _shared, _wall, _mono = kit()
    reached = [throttle.failed("wang", f"ip:{n}", str(n)) for n in range(ACCOUNT_CEILING)]
    assert reached == [False] * (ACCOUNT_CEILING - 1) + [True]
    throttle.forget_account("wang")
    assert throttle.failed("wang", "ip:x", "x") is False


def test_the_address_limit_spares_a_known_device():
    throttle, _shared, _wall, _mono = kit()
    for n in range(ADDRESS_LIMIT):
        throttle.failed(f"user{n}", "ip:nat", "nat")
    assert throttle.wait("li", "ip:nat", "nat") == 600
    assert throttle.wait("li", "device:abc", None) == 0


def test_redis_down_counts_in_process_and_is_retried_later():
    down = Down()
    throttle, _shared, wall, mono = kit(LimitPorts(streaks=down, accounts=down, addresses=down))
    for _ in range(FREE_FAILURES):
        throttle.failed("wang", "ip:a", "a")
    assert throttle.wait("wang", "ip:a", "a") > 0
    assert down.calls == 1                                      # one failure, then the local counters
    mono.at += REDIS_RETRY_S
    throttle.wait("wang", "ip:a", "a")
    assert down.calls == 2


@pytest.fixture
def gate():
    store, clock = OpsStore(), FakeClock()
    throttle, _shared, wall, _mono = kit()
    accounts = Accounts(UowFactory(store), clock, forget_failures=throttle.forget_account)
    accounts.add("wang", "counselor", PASSWORD)
    return SignInGate(accounts, throttle), accounts, store, wall


def test_a_waiting_client_is_refused_before_its_password_is_tried(gate):
    gate, accounts, store, _wall = gate
    for _ in range(FREE_FAILURES):
        assert gate.attempt("wang", "wrong", "ip:a", "a").refused_user_id == 1
    waiting = gate.attempt("wang", PASSWORD, "ip:a", "a")
    assert waiting.wait_s > 0 and waiting.account is None
    assert store.users["wang"]["last_login_at"] is None
    assert gate.attempt("wang", PASSWORD, "ip:b", "b").account.username == "wang"


def test_the_ceiling_locks_the_account_once_and_an_unlock_starts_the_count_afresh(gate):
    gate, accounts, store, _wall = gate
    for n in range(ACCOUNT_CEILING):
        gate.attempt("wang", "wrong", f"ip:{n}", str(n))
    locked = gate.attempt("wang", PASSWORD, "ip:owner", "owner")
    assert locked.locked and locked.account is None
    assert [e.action for e in store.audit] == ["lock"]
    gate.attempt("wang", "wrong", "ip:more", "more")           # a locked account counts no more
    assert [e.action for e in store.audit] == ["lock"]
    assert accounts.unlock("wang", actor="li")
    assert gate.attempt("wang", "wrong", "ip:x", "x").locked is False
    assert not accounts.find("wang").locked_at
    assert gate.attempt("wang", PASSWORD, "ip:owner", "owner").account is not None


def test_unknown_names_are_counted_but_nothing_is_locked(gate):
    gate, _accounts, store, _wall = gate
    for n in range(ACCOUNT_CEILING + 1):
        assert gate.attempt("ghost", "x", f"ip:{n}", str(n)).account is None
    assert store.audit == []
