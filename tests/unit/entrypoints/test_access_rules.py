"""Pure rules of access control: safe `next`, public paths, homes by role."""
from __future__ import annotations

import pytest

from hotline.cli.users import _split_lines
from hotline.web.access import home_for, is_public, safe_next


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
