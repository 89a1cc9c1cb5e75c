"""Counting triage records into report tallies: answers, completed referrals, overdue reminders.

The rules behind the triage figures (hotline/reports/__init__.py, "triage"): a call
choosing two concerns counts once for each; a referral counts as completed in the
period in which its history reaches `completed`; an open referral is overdue at an
instant when its follow-up reminder had fallen due by then, replayed from its status
history with the triage core's reminder intervals (the stored reminder when the
current status is the latest one).
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from hotline.reports.tally import ReportTally
from hotline.triage.referrals import FOLLOW_UP_AFTER, TRANSITIONS

OPEN_STATUSES = tuple(status for status, following in TRANSITIONS.items() if following)


def count_answers(tally: ReportTally, answers: dict) -> None:
    """Add one assessment's concerns (multi-choice) and population level to a tally."""
    concerns = answers.get("concerns") or []
    if isinstance(concerns, str):
        concerns = [concerns]
    for concern in dict.fromkeys(str(c) for c in concerns):
        tally.series_of("concerns")[concern] += 1
    level = answers.get("population_level")
    if level not in (None, ""):
        tally.series_of("population_levels")[str(level)] += 1


def completed_between(history: Iterable[dict] | None, start: datetime, end: datetime) -> bool:
    """Whether a referral's history reaches `completed` in [start, end)."""
    return any(start <= _at(entry) < end for entry in _entries(history, "completed"))


def referral_overdue(history: Iterable[dict], stored_due: datetime | None, as_of: datetime) -> bool:
    """Whether an open referral's follow-up had fallen due at `as_of`, from its status history."""
    entries = sorted((e for e in history if e.get("at")), key=_at)
    before = [e for e in entries if _at(e) <= as_of]
    if not before:
        return False
    last = before[-1]
    if last.get("status") not in OPEN_STATUSES:
        return False
    if len(before) == len(entries) and stored_due is not None:
        due = stored_due
    else:
        after = FOLLOW_UP_AFTER.get(last.get("status"))
        if after is None:
            return False
        due = _at(last) + after
    return due <= as_of


def _entries(history, status: str) -> list[dict]:
    return [e for e in history or [] if e.get("status") == status and e.get("at")]


def _at(entry: dict) -> datetime:
    return datetime.fromisoformat(entry["at"])
