"""Shared fixtures for the triage core tests: the default form and a tiny schedule fake.

The fake understands only the schedule texts used here and in config/referrals.yaml
("周一至周五（节假日除外），9:00-17:00", "周一至周日，24小时", "从不"); holidays are ignored.
Tests that need the real compiler use `real_compile` and skip until it exists.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.triage.forms import load_form

REPO = Path(__file__).resolve().parents[4]
CONFIG = REPO / "config"
TZ = ZoneInfo("Asia/Shanghai")
_DAYS = "一二三四五六日"


class FakeSchedule:
    def __init__(self, days: set[int], windows: list[tuple[int, int]], tz: ZoneInfo):
        self.days, self.windows, self.tz = days, windows, tz

    def _merged(self, at: datetime) -> list[tuple[datetime, datetime]]:
        base = datetime.combine(at.astimezone(self.tz).date(), datetime.min.time(), self.tz)
        spans = []
        for d in range(-1, 9):
            day = base + timedelta(days=d)
            if day.weekday() in self.days:
                spans += [(day + timedelta(minutes=s), day + timedelta(minutes=e)) for s, e in self.windows]
        merged: list[list[datetime]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        return [(s, e) for s, e in merged]

    def is_open(self, at: datetime) -> bool:
        return any(s <= at < e for s, e in self._merged(at))

    def next_change(self, at: datetime) -> datetime | None:
        horizon = at + timedelta(days=7)
        for s, e in self._merged(at):
            if s <= at < e:
                return e if e < horizon else None
            if s > at:
                return s
        return None


def fake_compile(text: str, tz: str = "Asia/Shanghai", **_: object) -> FakeSchedule:
    if text == "从不":
        return FakeSchedule(set(), [], ZoneInfo(tz))
    m = re.fullmatch(r"周(.)至周(.)(?:（节假日除外）)?，(.+)", text)
    if not m:
        raise ValueError(f"fake cannot parse {text!r}")
    days = set(range(_DAYS.index(m[1]), _DAYS.index(m[2]) + 1))
    if m[3] == "24小时":
        return FakeSchedule(days, [(0, 1440)], ZoneInfo(tz))
    windows = []
    for part in m[3].split(","):
        a, b = part.split("-")
        (ah, am), (bh, bm) = (map(int, a.split(":")), map(int, b.split(":")))
        windows.append((ah * 60 + am, bh * 60 + bm))
    return FakeSchedule(days, windows, ZoneInfo(tz))


@pytest.fixture(scope="session")
def form():
    return load_form(CONFIG / "triage" / "default.yaml")


@pytest.fixture(scope="session")
def real_compile():
    schedule = pytest.importorskip("hotline.routing.schedule")
    return lambda text, tz: schedule.compile_schedule(text, tz=tz)
