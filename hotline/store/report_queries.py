"""The call-record sums of a report: a few GROUP BY queries that return plain rows of sums.

A month of 100,000 calls for 18 lines is read in a handful of statements, never
one per call: sums per (line, UTC hour bucket) in one pass over `calls`; repeat
callers as a grouped count; rollovers and wrap-up from the events of just the calls
that have them (reached through the calls' received_at index and the events'
call_id index). Caller keys are grouped and counted inside the database and never
selected. The only dialect differences (epoch seconds of a timestamp) live here.
`SqlReportCalls` is the ReportCallSums port (hotline/ports.py); the window and line
clauses are shared with the triage source (report_sources.py).
"""
from __future__ import annotations

from typing import Iterable, Iterator, Mapping

from sqlalchemy import BigInteger, Integer, and_, case, cast, func, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from hotline.reports.tally import CALL_SUMS, UNASSIGNED, BucketRow
from hotline.reports.windows import Window
from hotline.store.models import Call, CallEvent

ANONYMOUS_KEYS = ("", "anonymous")
SHORT_ABANDON_S = 5
ABANDON_EDGES = (5, 20, 60, 120)
FOLLOWING_KINDS = ("rolled_over", "queued", "transferred")
WRAP_UP_EVENT = "wrap_up_ended"


def line_key(number_lines: Mapping[str, str]) -> ColumnElement:
    """A call's line: its last line_id, else the line owning the dialled number."""
    if not number_lines:
        return Call.line_id
    return func.coalesce(Call.line_id, case(dict(number_lines), value=Call.dialled_number, else_=None))


def window_clause(window: Window, key: ColumnElement, restrict_lines: bool = True, column=None) -> ColumnElement:
    """Rows whose `column` (default: the call's received_at) is in the window, on its lines."""
    column = Call.received_at if column is None else column
    clause = and_(column >= window.start, column < window.end)
    return and_(clause, on_lines(window, key)) if restrict_lines else clause


def on_lines(window: Window, key: ColumnElement) -> ColumnElement:
    """Calls whose line belongs to the window (whatever their time)."""
    if window.lines is not None:
        named = key.in_(window.lines)
        return or_(named, key.is_(None)) if UNASSIGNED in window.lines else named
    if window.exclude:
        return or_(key.is_(None), key.not_in(window.exclude))
    return true()


def any_window(windows: Iterable[Window], key: ColumnElement, restrict_lines: bool = True,
               column=None) -> ColumnElement:
    clauses = [window_clause(w, key, restrict_lines, column) for w in windows]
    return clauses[0] if len(clauses) == 1 else or_(*clauses)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def epoch_bucket(session: Session, column, seconds: int) -> ColumnElement:
    """floor(epoch seconds of column / seconds), as an integer, on SQLite or PostgreSQL."""
    if _dialect(session) == "sqlite":
        return cast(func.strftime("%s", column), Integer) // seconds
    return cast(func.floor(func.extract("epoch", column) / seconds), BigInteger)


def seconds_between(session: Session, later, earlier) -> ColumnElement:
    if _dialect(session) == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return func.extract("epoch", later - earlier)


def _count(condition) -> ColumnElement:
    return func.sum(case((condition, 1), else_=0))


def _sum(condition, value) -> ColumnElement:
    return func.sum(case((condition, value), else_=0.0))


def call_sum_columns() -> list[ColumnElement]:
    """The sums of tally.CALL_SUMS, in that order."""
    answered, abandoned = Call.answered_at.is_not(None), Call.outcome == "abandoned"
    wait = func.coalesce(Call.wait_seconds, 0.0)
    has_wait = Call.wait_seconds.is_not(None)
    e0, e1, e2, e3 = ABANDON_EDGES
    return [
        func.count(Call.id), _count(answered), _count(abandoned), _count(and_(abandoned, wait < SHORT_ABANDON_S)),
        _sum(and_(abandoned, has_wait), Call.wait_seconds), _count(and_(abandoned, has_wait)),
        _count(and_(abandoned, wait < e0)), _count(and_(abandoned, wait >= e0, wait < e1)),
        _count(and_(abandoned, wait >= e1, wait < e2)), _count(and_(abandoned, wait >= e2, wait < e3)),
        _count(and_(abandoned, wait >= e3)),
        _count(Call.outcome == "voicemail"), _count(Call.outcome == "transferred"), _count(Call.outcome == "info_only"),
        _count(and_(answered, has_wait, Call.wait_seconds <= 20)),
        _count(and_(answered, has_wait, Call.wait_seconds <= 60)),
        _sum(and_(answered, has_wait), Call.wait_seconds), _count(and_(answered, has_wait)),
        _sum(Call.talk_seconds.is_not(None), Call.talk_seconds), _count(Call.talk_seconds.is_not(None)),
    ]


def _known_caller():
    return Call.caller_key.not_in(ANONYMOUS_KEYS)


class SqlReportCalls:
    """ReportCallSums over the `calls` and `call_events` tables of one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def call_buckets(self, window: Window, number_lines: Mapping[str, str]) -> list[BucketRow]:
        """Sums per (line, UTC bucket) of the calls in one window."""
        key = line_key(number_lines)
        seconds = window.bucket_seconds
        bucket = epoch_bucket(self.session, Call.received_at, seconds).label("bucket")
        line = key.label("line")
        statement = (select(line, bucket, *call_sum_columns()).where(window_clause(window, key))
                     .group_by(line, bucket))
        rows = []
        for row in self.session.execute(statement):
            sums = {name: float(value or 0) for name, value in zip(CALL_SUMS, row[2:])}
            rows.append(BucketRow(row[0], int(row[1]), seconds, sums))
        return rows

    def repeat_callers_by_line(self, windows: list[Window], number_lines: Mapping[str, str]) -> dict[str | None, int]:
        """Per line: distinct caller keys with two or more calls on that line."""
        key = line_key(number_lines)
        line = key.label("line")
        repeaters = (select(line, Call.caller_key).where(any_window(windows, key), _known_caller())
                     .group_by(line, Call.caller_key).having(func.count(Call.id) >= 2).subquery())
        statement = select(repeaters.c.line, func.count()).group_by(repeaters.c.line)
        return {row[0]: int(row[1]) for row in self.session.execute(statement)}

    def repeat_callers_overall(self, windows: list[Window], number_lines: Mapping[str, str]) -> int:
        """Distinct caller keys with two or more calls on any of the windows' lines."""
        key = line_key(number_lines)
        repeaters = (select(Call.caller_key).where(any_window(windows, key), _known_caller())
                     .group_by(Call.caller_key).having(func.count(Call.id) >= 2).subquery())
        return int(self.session.execute(select(func.count()).select_from(repeaters)).scalar_one())

    def rollover_events(self, windows: list[Window],
                        number_lines: Mapping[str, str]) -> Iterator[tuple[int, str, str]]:
        """(call_id, kind, dedup_key) of the routing steps of calls that rolled over, in order."""
        key = line_key(number_lines)
        statement = (select(CallEvent.call_id, CallEvent.kind, CallEvent.dedup_key)
                     .join(Call, Call.id == CallEvent.call_id)
                     .where(any_window(windows, key, restrict_lines=False), Call.rollovers > 0,
                            CallEvent.kind.in_(FOLLOWING_KINDS))
                     .order_by(CallEvent.call_id, CallEvent.id))
        for row in self.session.execute(statement):
            yield int(row[0]), row[1], row[2]

    def wrap_up_sums(self, windows: list[Window],
                     number_lines: Mapping[str, str]) -> dict[str | None, dict[str, float]]:
        """Per line: the sum and count of (wrap-up end − talk end) of answered calls."""
        key = line_key(number_lines)
        line = key.label("line")
        seconds = seconds_between(self.session, CallEvent.at, Call.ended_at)
        statement = (select(line, func.sum(seconds), func.count(CallEvent.id))
                     .join(CallEvent, CallEvent.call_id == Call.id)
                     .where(any_window(windows, key), Call.answered_at.is_not(None), Call.ended_at.is_not(None),
                            CallEvent.kind == WRAP_UP_EVENT)
                     .group_by(line))
        return {row[0]: {"wrap_sum": float(row[1] or 0), "wrap_n": float(row[2] or 0)}
                for row in self.session.execute(statement)}
