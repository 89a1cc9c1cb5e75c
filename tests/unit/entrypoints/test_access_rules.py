"""Pure rules of access control: safe `next`, public paths, the failed-sign-in counter."""
from __future__ import annotations

import pytest

from hotline.cli.users import _split_lines
from hotline.web.access import home_for, is_public, safe_next
from hotline.usecases.sign_in_limits import MAX_PER_IP, MAX_PER_USER, WINDOW_S, LoginLimiter, MemoryCounter


@pytest.mark.parametrize("target", ["/console", "/dashboard?line=chengdu", "/reports/2026-W47#top"])
def test_local_paths_are_safe(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [None, "", "console", "//evil.example", "/\\evil.example",
                                    "https://evil.example/", "javascript:alert(1)", "/\n/evil",
                                    "/login?next=/x", "/logout", "/" + "a" * 3000])
def test_foreign_or_odd_targets_are_dropped(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("path, public", [("/healthz", True), ("/readyz", True), ("/metrics", True),
                                          ("/login", True), ("/voice/incoming", True),
                                          ("/static/css/app.css", True), ("/", False),
                                          ("/console", False), ("/api/calls", False),
                                          ("/voicemail", False), ("/login/../admin", False),
                                          ("/metrics/extra", False)])
def test_public_paths(path, public):
    assert is_public(path) is public


def test_home_by_role():
    class Who:
        def __init__(self, role):
            self.role = role
    assert [home_for(Who(r)) for r in ("counselor", "supervisor", "admin")] == \
        ["/console", "/dashboard", "/dashboard"]


def test_lines_accept_repeats_and_comma_lists():
    assert _split_lines(("chengdu", "sichuan, yaan", "chengdu,,")) == ["chengdu", "sichuan", "yaan"]


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_memory_counter_forgets_after_the_window():
    clock = FakeClock()
    counter = MemoryCounter(clock)
    for _ in range(3):
        counter.bump("k")
    assert counter.peek("k") == (3, WINDOW_S + 1)
    clock.now += WINDOW_S
    assert counter.peek("k") == (0, 0)
    counter.bump("k")
    assert counter.peek("k")[0] == 1


class BrokenCounter:
    """A shared counter whose every call fails, as Redis does when it is down."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __getattr__(self, name):
        def fail(*_):
            raise self.error
        return fail


def test_limiter_counts_locally_when_redis_fails():
    limiter = LoginLimiter(BrokenCounter(ConnectionError("redis is down")))
    for _ in range(MAX_PER_USER):
        assert limiter.retry_after("Wang", "10.0.0.1") == 0
        limiter.record_failure("Wang", "10.0.0.1")
    assert limiter.retry_after("wang", "10.0.0.2") > 0     # names compare case-insensitively
    limiter.reset_user("wang")
    assert limiter.retry_after("wang", "10.0.0.1") == 0


def test_ip_limit():
    limiter = LoginLimiter(BrokenCounter(OSError()))
    for index in range(MAX_PER_IP):
        limiter.record_failure(f"user{index}", "10.0.0.1")
    assert limiter.retry_after("someone", "10.0.0.1") > 0
    assert limiter.retry_after("someone", "10.0.0.2") == 0
