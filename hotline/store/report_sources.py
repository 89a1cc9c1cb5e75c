"""The triage records and the rosters as a report reads them: plain rows per call line.

`SqlReportTriage` (the ReportTriageRows port) groups assessments, referrals and
follow-up tasks by the line of the call they belong to (report_queries.line_key),
counting in SQL where it can; the encrypted answers and the referrals' histories
come back row by row for the use case to decrypt, replay and count. `SqlReportRosters`
(ReportRosterRows) turns the rostered shifts and slots into the shifts core's values.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator, Mapping, Sequence

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from hotline.reports.triage_counts import OPEN_STATUSES
from hotline.reports.windows import Window
from hotline.shifts import Shift, ShiftSlot
from hotline.shifts._time import DEFAULT_TZ
from hotline.store.models import Call
from hotline.store.report_queries import any_window, line_key, on_lines
from hotline.store.rosters import RosterSlot, ShiftRow
from hotline.store.triage import Assessment, FollowUp, Referral

ANSWERS_BATCH = 2000        # decrypted one batch at a time, never the whole month in memory


class SqlReportTriage:
    """ReportTriageRows over the triage tables of one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def risk_levels(self, windows: Sequence[Window], number_lines: Mapping[str, str]) -> list[tuple]:
        key = line_key(number_lines)
        line = key.label("line")
        statement = (select(line, Assessment.level, func.count(Assessment.id))
                     .join(Call, Call.call_sid == Assessment.call_sid)
                     .where(any_window(windows, key)).group_by(line, Assessment.level))
        return [(line_id, level, count) for line_id, level, count in self.session.execute(statement)]

    def answer_tokens(self, windows: Sequence[Window], number_lines: Mapping[str, str]) -> Iterator[tuple]:
        key = line_key(number_lines)
        statement = (select(key, Assessment.answers_encrypted)
                     .join(Call, Call.call_sid == Assessment.call_sid)
                     .where(any_window(windows, key)))
        for line_id, token in self.session.execute(statement).yield_per(ANSWERS_BATCH):
            yield line_id, token

    def referrals_made(self, windows: Sequence[Window], number_lines: Mapping[str, str]) -> list[tuple]:
        key = line_key(number_lines)
        line = key.label("line")
        statement = (select(line, func.count(Referral.id)).join(Call, Call.call_sid == Referral.call_sid)
                     .where(any_window(windows, key, column=Referral.created_at))
                     .group_by(line))
        return [(line_id, count) for line_id, count in self.session.execute(statement)]

    def completed_referrals(self, window: Window, number_lines: Mapping[str, str]) -> list[tuple]:
        key = line_key(number_lines)
        statement = (select(key, Referral.history).join(Call, Call.call_sid == Referral.call_sid)
                     .where(Referral.status == "completed", Referral.updated_at >= window.start,
                            on_lines(window, key)))
        return [(line_id, history) for line_id, history in self.session.execute(statement)]

    def overdue_follow_ups(self, window: Window, number_lines: Mapping[str, str], as_of: datetime) -> list[tuple]:
        key = line_key(number_lines)
        line = key.label("line")
        done_by_then = and_(FollowUp.status == "done", or_(FollowUp.done_at.is_(None), FollowUp.done_at <= as_of))
        statement = (select(line, func.count(FollowUp.id)).join(Call, Call.call_sid == FollowUp.call_sid)
                     .where(FollowUp.due_at <= as_of, not_(done_by_then), on_lines(window, key))
                     .group_by(line))
        return [(line_id, count) for line_id, count in self.session.execute(statement)]

    def referrals_open_at(self, window: Window, number_lines: Mapping[str, str], as_of: datetime) -> list[tuple]:
        key = line_key(number_lines)
        statement = (select(key, Referral.history, Referral.next_follow_up_at)
                     .join(Call, Call.call_sid == Referral.call_sid)
                     .where(Referral.created_at <= as_of, on_lines(window, key),
                            or_(Referral.status.in_(OPEN_STATUSES), Referral.updated_at > as_of)))
        return [(line_id, history, due) for line_id, history, due in self.session.execute(statement)]


class SqlReportRosters:
    """ReportRosterRows over the roster tables of one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def shifts(self, start: datetime, end: datetime, line_ids: Sequence[str]) -> list[Shift]:
        statement = select(ShiftRow.counselor_id, ShiftRow.line_id, ShiftRow.slot_code, ShiftRow.starts_at,
                           ShiftRow.ends_at).where(ShiftRow.starts_at < end, ShiftRow.ends_at > start,
                                                   ShiftRow.line_id.in_(list(line_ids)))
        return [Shift(str(c), line, slot or "", s, e) for c, line, slot, s, e in self.session.execute(statement)]

    def slots(self, line_ids: Sequence[str]) -> list[ShiftSlot]:
        if not line_ids:
            return []
        rows = self.session.scalars(select(RosterSlot).where(RosterSlot.active.is_(True),
                                                             RosterSlot.line_id.in_(list(line_ids))))
        return [ShiftSlot(r.code, r.line_id, r.start_time, r.end_time, r.seats, r.label_zh, r.label_en,
                          tz=r.tz or DEFAULT_TZ) for r in rows]
