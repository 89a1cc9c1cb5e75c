"""Triage figures from hotline.store.triage: assessments, answers, referrals, follow-ups.

What is counted (per line of the call the record belongs to):
- assessments and risk levels: assessments of calls received in the period, by their
  current level (after any counselor override), grouped in SQL.
- concerns and population levels: those answers are stored encrypted, so each
  assessment of the period is decrypted here, in memory, and only the counts are
  kept (a call choosing two concerns counts once for each). Without a keyring the
  two breakdowns are left empty with a note.
- referrals made: referrals created in the period; referrals completed: referrals
  whose status history reaches `completed` in the period.
- overdue follow-ups, as of the end of the period (or now, if earlier): follow-up
  tasks due by then and not done by then, plus open referrals whose follow-up
  reminder had fallen due by then (replayed from their status history with the
  triage core's reminder intervals; the stored reminder when it is the latest).
  It is a backlog: items of earlier calls count too.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Callable, Iterable

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from hotline.reports import queries
from hotline.reports.sources import Scope
from hotline.reports.tally import Tally, line_key
from hotline.store.models import Call
from hotline.store.triage import Assessment, FollowUp, Referral
from hotline.triage.referrals import FOLLOW_UP_AFTER, TRANSITIONS

log = logging.getLogger(__name__)
OPEN_STATUSES = tuple(status for status, following in TRANSITIONS.items() if following)
UNREADABLE = "unreadable"


class StoreTriage:
    """The triage source; `decrypt` turns a stored token back into text (services.keyring.decrypt)."""

    def __init__(self, decrypt: Callable[[str], str] | None = None) -> None:
        self.decrypt = decrypt

    def tallies(self, session: Session, scope: Scope) -> dict[str | None, Tally]:
        tallies: dict[str | None, Tally] = {}
        self._levels(session, scope, tallies)
        self._answers(session, scope, tallies)
        self._referrals_made(session, scope, tallies)
        self._referrals_completed(session, scope, tallies)
        self._overdue_follow_ups(session, scope, tallies)
        self._overdue_referrals(session, scope, tallies)
        return tallies

    @staticmethod
    def _tally(tallies, line_id) -> Tally:
        return tallies.setdefault(line_key(line_id), Tally())

    def _levels(self, session, scope, tallies) -> None:
        line = scope.key.label("line")
        statement = (select(line, Assessment.level, func.count(Assessment.id))
                     .join(Call, Call.call_sid == Assessment.call_sid)
                     .where(queries.any_window(scope.windows, scope.key)).group_by(line, Assessment.level))
        for line_id, level, count in session.execute(statement):
            tally = self._tally(tallies, line_id)
            tally.sums["assessments"] += count
            tally.series_of("risk_levels")[level] += count

    def _answers(self, session, scope, tallies) -> None:
        if self.decrypt is None:
            return
        statement = (select(scope.key, Assessment.answers_encrypted)
                     .join(Call, Call.call_sid == Assessment.call_sid)
                     .where(queries.any_window(scope.windows, scope.key)))
        unreadable = 0
        for line_id, token in session.execute(statement).yield_per(2000):
            answers = self._read(token)
            if answers is None:
                unreadable += 1
                continue
            count_answers(self._tally(tallies, line_id), answers)
        if unreadable:
            log.warning("报告：%s 份分诊答案无法解密 / reports: %s triage answers could not be decrypted",
                        unreadable, unreadable)

    def _read(self, token: str) -> dict | None:
        try:
            value = json.loads(self.decrypt(token))
        except Exception:   # a rotated-away key or a damaged token: counted, never shown
            return None
        return value if isinstance(value, dict) else None

    def _referrals_made(self, session, scope, tallies) -> None:
        line = scope.key.label("line")
        statement = (select(line, func.count(Referral.id)).join(Call, Call.call_sid == Referral.call_sid)
                     .where(queries.any_window(scope.windows, scope.key, column=Referral.created_at))
                     .group_by(line))
        for line_id, count in session.execute(statement):
            self._tally(tallies, line_id).sums["referrals_made"] += count

    def _referrals_completed(self, session, scope, tallies) -> None:
        for window in scope.windows:
            statement = (select(scope.key, Referral.history).join(Call, Call.call_sid == Referral.call_sid)
                         .where(Referral.status == "completed", Referral.updated_at >= window.start,
                                queries.on_lines(window, scope.key)))
            for line_id, history in session.execute(statement):
                if any(window.start <= _at(entry) < window.end for entry in _entries(history, "completed")):
                    self._tally(tallies, line_id).sums["referrals_completed"] += 1

    def _overdue_follow_ups(self, session, scope, tallies) -> None:
        line = scope.key.label("line")
        for window in scope.windows:
            as_of = min(window.end, scope.now)
            done_by_then = and_(FollowUp.status == "done", or_(FollowUp.done_at.is_(None), FollowUp.done_at <= as_of))
            statement = (select(line, func.count(FollowUp.id)).join(Call, Call.call_sid == FollowUp.call_sid)
                         .where(FollowUp.due_at <= as_of, not_(done_by_then), queries.on_lines(window, scope.key))
                         .group_by(line))
            for line_id, count in session.execute(statement):
                self._tally(tallies, line_id).sums["follow_ups_overdue"] += count

    def _overdue_referrals(self, session, scope, tallies) -> None:
        for window in scope.windows:
            as_of = min(window.end, scope.now)
            statement = (select(scope.key, Referral.history, Referral.next_follow_up_at)
                         .join(Call, Call.call_sid == Referral.call_sid)
                         .where(Referral.created_at <= as_of, queries.on_lines(window, scope.key),
                                or_(Referral.status.in_(OPEN_STATUSES), Referral.updated_at > as_of)))
            for line_id, history, stored_due in session.execute(statement):
                if referral_overdue(history or [], stored_due, as_of):
                    self._tally(tallies, line_id).sums["follow_ups_overdue"] += 1


def count_answers(tally: Tally, answers: dict) -> None:
    """Add one assessment's concerns (multi-choice) and population level to a tally."""
    concerns = answers.get("concerns") or []
    if isinstance(concerns, str):
        concerns = [concerns]
    for concern in dict.fromkeys(str(c) for c in concerns):
        tally.series_of("concerns")[concern] += 1
    level = answers.get("population_level")
    if level not in (None, ""):
        tally.series_of("population_levels")[str(level)] += 1


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
