"""Report periods: a day, a week or a month of local dates ending on a given date.

Every period ends on a date the user names (`--end`), so "the week a center sends
upward" is simply the 7 days ending on the last day it covers, and the previous
period is the same kind ending the day before. A month ending on a month's last
day is exactly that calendar month.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("day", "week", "month")
KIND_LABELS = {"day": ("日报", "day"), "week": ("周报", "week"), "month": ("月报", "month")}


class PeriodError(ValueError):
    """An unknown period kind or an unreadable date (the message is bilingual)."""


@dataclass(frozen=True)
class Period:
    """Local dates first..last (both included) of one kind."""

    kind: str
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        return period_ending(self.kind, self.first - timedelta(days=1))

    @property
    def label(self) -> str:
        zh, en = KIND_LABELS[self.kind]
        span = self.first.isoformat() if self.days == 1 else f"{self.first.isoformat()} – {self.last.isoformat()}"
        return f"{zh} / {en} {span}"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "first": self.first.isoformat(), "last": self.last.isoformat(),
                "days": self.days, "label": self.label}


def period_ending(kind: str, end: date) -> Period:
    """The period of `kind` whose last local date is `end`."""
    if kind == "day":
        return Period(kind, end, end)
    if kind == "week":
        return Period(kind, end - timedelta(days=6), end)
    if kind == "month":
        return Period(kind, _one_month_before(end + timedelta(days=1)), end)
    raise PeriodError(f"未知的周期 {kind!r}，可选 day/week/month / unknown period {kind!r}: use day, week or month")


def _one_month_before(day: date) -> date:
    """The same day-of-month a month earlier, clamped to that month's length."""
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_end(text: str | None, today: date) -> date:
    """`--end` as YYYY-MM-DD, or 'today'/'yesterday'; default yesterday (a complete day)."""
    value = (text or "yesterday").strip().lower()
    if value == "yesterday":
        return today - timedelta(days=1)
    if value == "today":
        return today
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodError(f"日期应为 YYYY-MM-DD：{text!r} / the date must be YYYY-MM-DD: {text!r}") from None


def parse_kind(text: str | None) -> str:
    kind = (text or "week").strip().lower()
    if kind not in KINDS:
        raise PeriodError(f"未知的周期 {text!r}，可选 day/week/month / unknown period {text!r}: use day, week or month")
    return kind
