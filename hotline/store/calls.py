"""The call record: idempotent, order-tolerant updates from any process.

Twilio retries webhooks and may deliver status callbacks out of order; several
web processes write for the same call. Each change is an event with a dedup key:
applying one twice changes nothing, and the status only ever moves forward.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hotline.ports import RecordedWait, RecordOp
from hotline.store.models import Call, CallbackRequest, CallEvent
from hotline.store.uow import SqlUnitOfWork

WAITING = ("queued", "offered", "menu")   # record statuses of a call still in a queue
STATUS_RANK = {"received": 0, "menu": 1, "queued": 2, "offered": 2, "answered": 4, "wrap_up": 5,
               "abandoned": 9, "transferred": 9, "voicemail": 9, "info_only": 9, "ended": 9,
               "closed": 10}
SENT_ON = ("failsafe", "transferred")   # outcomes an answer afterwards overrides
FIRST_WINS = ("queued_at", "offered_at", "answered_at", "ended_at", "closed_at", "caller_region",
              "wait_seconds", "talk_seconds", "outcome")


def apply(session: Session, op: RecordOp) -> bool:
    """Apply op; False when it was already applied (a retried webhook).

    The call row is locked before the event is inserted: inserting first would take a
    key-share lock through the foreign key, and two writers upgrading those locks to
    FOR UPDATE deadlock each other on PostgreSQL."""
    call_id = _ensure_call(session, op)
    call = session.get(Call, call_id, populate_existing=True, with_for_update=_locks(session))
    if not _insert_event(session, call_id, op):
        return False
    _merge(call, op)
    if op.kind == "voicemail":
        _save_voicemail(session, call, op)
    return True


def apply_many(session: Session, ops: list[RecordOp]) -> int:
    """Apply ops in order with the same merge as apply(), in a few statements per batch
    (issue #18: batches from the worker and the write-behind): the batch's calls are created
    in one insert, read and locked in one select (by id, so concurrent writers lock in one
    order), their events inserted in one more, and every call's merged changes go out in one
    UPDATE per call at the flush. The number of ops newly applied (a retried one counts 0)."""
    if not ops:
        return 0
    _ensure_calls(session, ops)
    query = (select(Call).where(Call.call_sid.in_({op.call_sid for op in ops})).order_by(Call.id)
             .execution_options(populate_existing=True))
    if _locks(session):
        query = query.with_for_update()
    calls = {call.call_sid: call for call in session.scalars(query)}
    fresh = _insert_events(session, [(calls[op.call_sid].id, op) for op in ops])
    applied = 0
    with session.no_autoflush:   # one UPDATE per call at the end, not one per op
        for index, op in enumerate(ops):
            if index not in fresh:
                continue
            call = calls[op.call_sid]
            _merge(call, op)
            if op.kind == "voicemail":
                _save_voicemail(session, call, op)
            applied += 1
    return applied


def _ensure_calls(session: Session, ops: list[RecordOp]) -> None:
    """The rows of every call in ops, created from each call's first op as apply() would."""
    first: dict[str, RecordOp] = {}
    for op in ops:
        first.setdefault(op.call_sid, op)
    rows = [dict(call_sid=op.call_sid, dialled_number=op.dialled_number or "", status="received",
                 caller_key=op.caller_key or "", received_at=op.at, priority=0, rollovers=0)
            for op in first.values()]
    # executemany of one cached statement (SQLAlchemy's insertmanyvalues sends it as multi-row
    # VALUES): a .values(rows) statement was compiled anew for every batch size (issue #18: a
    # third of the record worker's CPU)
    session.connection().execute(_insert(session, Call.__table__).on_conflict_do_nothing(index_elements=["call_sid"]),
                                 rows)


def _save_voicemail(session: Session, call: Call, op: RecordOp) -> None:
    """A voicemail is a call-back request; the number itself is never stored here."""
    session.execute(_insert(session, CallbackRequest).values(
        call_sid=op.call_sid, line_id=op.fields.get("line_id") or call.line_id, caller_key=call.caller_key,
        recording_url=op.detail.get("recording_url") or None, status="open", created_at=op.at,
    ).on_conflict_do_nothing(index_elements=["call_sid"]))


def _locks(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _insert(session: Session, model):
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model)


def _ensure_call(session: Session, op: RecordOp) -> int:
    values = dict(call_sid=op.call_sid, dialled_number=op.dialled_number or "", status="received",
                  caller_key=op.caller_key or "", received_at=op.at, priority=0, rollovers=0)
    session.execute(_insert(session, Call).values(**values).on_conflict_do_nothing(
        index_elements=["call_sid"]))
    return session.execute(select(Call.id).where(Call.call_sid == op.call_sid)).scalar_one()


def _insert_events(session: Session, events: list[tuple[int, RecordOp]]) -> set[int]:
    """Insert each op's event unless its call already has that dedup key; the positions (in
    `events`) of the ops newly applied. Within the batch, as one by one, only the first op with
    a key counts: the later ones are what a retried webhook sent again."""
    first: dict[tuple[int, str], int] = {}
    for index, (call_id, op) in enumerate(events):
        first.setdefault((call_id, op.dedup_key[:128]), index)
    rows = [_event_row(call_id, key, events[index][1]) for (call_id, key), index in first.items()]
    table = CallEvent.__table__
    statement = (_insert(session, table).on_conflict_do_nothing(index_elements=["call_id", "dedup_key"])
                 .returning(table.c.call_id, table.c.dedup_key))
    inserted = {(call_id, key) for call_id, key in session.connection().execute(statement, rows)}
    return {index for pair, index in first.items() if pair in inserted}


def _event_row(call_id: int, dedup_key: str, op: RecordOp) -> dict:
    return dict(call_id=call_id, kind=op.kind, dedup_key=dedup_key, at=op.at, detail=op.detail or {})


def _insert_event(session: Session, call_id: int, op: RecordOp) -> bool:
    statement = _insert(session, CallEvent).values(
        call_id=call_id, kind=op.kind, dedup_key=op.dedup_key[:128], at=op.at, detail=op.detail or {},
    ).on_conflict_do_nothing(index_elements=["call_id", "dedup_key"]).returning(CallEvent.id)
    return session.execute(statement).first() is not None


def _merge(call: Call, op: RecordOp) -> None:
    fields = dict(op.fields)
    if op.at < call.received_at and op.kind == "received":
        call.received_at = op.at
    if not call.dialled_number and op.dialled_number:
        call.dialled_number = op.dialled_number
    if not call.caller_key and op.caller_key:
        call.caller_key = op.caller_key
    status = fields.pop("status", None)
    if op.kind == "answered" and call.outcome in SENT_ON and call.status == "transferred":
        _answered_after_all(call)
    if status and _moves_forward(call.status, status):
        call.status = status
    if fields.pop("rollover", False):
        call.rollovers = (call.rollovers or 0) + 1
    for name, value in fields.items():
        if name in FIRST_WINS and getattr(call, name) is not None:
            continue
        setattr(call, name, value)


def _answered_after_all(call: Call) -> None:
    """One call, one outcome: a transfer (or fail-safe) that did not take, followed by a
    counselor answering, is an answered call; the attempt stays in its events."""
    call.outcome = None
    call.status = "answered"


def _moves_forward(current: str, new: str) -> bool:
    """Forward only; among final statuses the first (most specific) one stays."""
    old_rank, new_rank = STATUS_RANK.get(current, 0), STATUS_RANK.get(new, 0)
    return new_rank > old_rank or (new_rank == old_rank and new_rank < 9)


def find(session: Session, call_sid: str) -> Call | None:
    return session.execute(select(Call).where(Call.call_sid == call_sid)).scalar_one_or_none()


def caller_history(session: Session, caller_key: str, exclude_sid: str) -> dict:
    """What a counselor sees on the offer of a repeat call: earlier contacts, last one."""
    rows = session.execute(select(func.count(Call.id), func.max(Call.received_at))
                           .where(Call.caller_key == caller_key, Call.call_sid != exclude_sid)).one()
    return {"previous_contacts": int(rows[0] or 0), "last_contact_at": rows[1].isoformat() if rows[1] else None}


class CallRecords:
    """hotline.ports.CallRecords over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def still_waiting(self, since: datetime) -> list[RecordedWait]:
        rows = self.session.execute(
            select(Call).where(Call.status.in_(WAITING), Call.ended_at.is_(None), Call.line_id.is_not(None),
                               Call.received_at >= since)
            .order_by(Call.queued_at, Call.received_at)).scalars().all()
        return [RecordedWait(row.call_sid, row.line_id, row.priority, row.queued_at or row.received_at,
                             row.caller_key, row.dialled_number) for row in rows]


class CallsUnitOfWork(SqlUnitOfWork):
    """The calls area's unit of work (hotline.ports.CallsUnitOfWork)."""

    def _repositories(self, session: Session) -> None:
        self.calls = CallRecords(session)
