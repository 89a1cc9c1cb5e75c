"""The triage and staffing figures of a report, folded from their sources' plain rows.

Triage (per line of the call the record belongs to):
- assessments and risk levels: assessments of calls received in the period, by their
  current level (after any counselor override), counted by the store.
- concerns and population levels: those answers are stored encrypted, so each
  assessment of the period is decrypted here, in memory, and only the counts are
  kept. Without a way to decrypt, the two breakdowns stay empty.
- referrals made: created in the period; completed: reaching `completed` in the period.
- overdue follow-ups, as of the end of each window (or now, if earlier): follow-up
  tasks due and not done by then, plus open referrals whose reminder had fallen due
  by then (hotline.reports.triage_counts). A backlog: earlier calls' items count too.
Staffing: per window, the rostered shifts and slots of the lines it reads, through
hotline.reports.staffing.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Callable, Iterable, Mapping, Sequence

from hotline.ports import ReportRosterRows, ReportTriageRows
from hotline.reports.staffing import add_staffing, lines_in
from hotline.reports.tally import ReportTally, line_key
from hotline.reports.triage_counts import completed_between, count_answers, referral_overdue
from hotline.reports.windows import Window

log = logging.getLogger(__name__)


def triage_tallies(rows: ReportTriageRows, windows: Sequence[Window], number_lines: Mapping[str, str],
                   now: datetime, decrypt: Callable[[str], str] | None) -> dict[str | None, ReportTally]:
    """Per line: sums assessments, referrals_made, referrals_completed, follow_ups_overdue;
    series concerns, population_levels, risk_levels."""
    tallies: dict[str | None, ReportTally] = {}

    def tally(line_id: str | None) -> ReportTally:
        return tallies.setdefault(line_key(line_id), ReportTally())

    for line_id, level, count in rows.risk_levels(windows, number_lines):
        tally(line_id).sums["assessments"] += count
        tally(line_id).series_of("risk_levels")[level] += count
    if decrypt is not None:
        _count_answers(rows.answer_tokens(windows, number_lines), decrypt, tally)
    for line_id, count in rows.referrals_made(windows, number_lines):
        tally(line_id).sums["referrals_made"] += count
    for window in windows:
        for line_id, history in rows.completed_referrals(window, number_lines):
            if completed_between(history, window.start, window.end):
                tally(line_id).sums["referrals_completed"] += 1
    for window in windows:
        as_of = min(window.end, now)
        for line_id, count in rows.overdue_follow_ups(window, number_lines, as_of):
            tally(line_id).sums["follow_ups_overdue"] += count
    for window in windows:
        as_of = min(window.end, now)
        for line_id, history, stored_due in rows.referrals_open_at(window, number_lines, as_of):
            if referral_overdue(history or [], stored_due, as_of):
                tally(line_id).sums["follow_ups_overdue"] += 1
    return tallies


def _count_answers(tokens: Iterable[tuple[str | None, str]], decrypt: Callable[[str], str],
                   tally: Callable[[str | None], ReportTally]) -> None:
    unreadable = 0
    for line_id, token in tokens:
        answers = _read(token, decrypt)
        if answers is None:
            unreadable += 1
            continue
        count_answers(tally(line_id), answers)
    if unreadable:
        log.warning("报告：%s 份分诊答案无法解密 / reports: %s triage answers could not be decrypted",
                    unreadable, unreadable)


def _read(token: str, decrypt: Callable[[str], str]) -> dict | None:
    try:
        value = json.loads(decrypt(token))
    except Exception:   # a rotated-away key or a damaged token: counted, never shown
        return None
    return value if isinstance(value, dict) else None


def staffing_tallies(rows: ReportRosterRows, windows: Sequence[Window], directory,
                     wanted: Iterable[str]) -> dict[str, ReportTally]:
    """Per line: sums staffed_hours, open_hours, coverage_gap_hours, coverage_gaps."""
    wanted = tuple(wanted)
    tallies: dict[str, ReportTally] = {}
    for window in windows:
        lines = lines_in(window, directory, wanted)
        if lines:
            shifts = rows.shifts(window.start, window.end, [line.id for line in lines])
            slots = rows.slots([line.id for line in lines if line.hosted])
            add_staffing(tallies, window, lines, shifts, slots)
    return tallies
