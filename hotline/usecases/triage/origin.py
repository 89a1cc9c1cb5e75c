"""Who called and where from, for triage: the pseudonymous caller key, the caller's region,
the line. (The routing core's CallFacts is another idea: what routing decides on.)"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from hotline.ports import CallQueues, UnitOfWorkFactory
from hotline.usecases.triage.errors import TriageError

ANONYMOUS = "anonymous"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallOrigin:
    call_sid: str
    caller_key: str            # "anonymous" when the number was withheld
    caller_region: str | None
    line_id: str | None

    @property
    def has_file(self) -> bool:
        """An anonymous caller has no file: nothing can be flagged or kept for them."""
        return self.caller_key != ANONYMOUS


class CallOrigins:
    def __init__(self, queues: CallQueues, uow: UnitOfWorkFactory) -> None:
        self.queues, self.uow = queues, uow

    def of(self, call_sid: str) -> CallOrigin:
        """Live Redis state first (the record is written behind and may lag), then the record
        (alone while Redis is down: a call on record keeps its triage readable)."""
        try:
            state = self.queues.call_state(call_sid)
        except Exception as exc:  # the live state is down: the record alone answers
            log.warning("实时状态不可用，按记录判断 / live call state unavailable: %s", type(exc).__name__)
            state = {}
        with self.uow() as uow:
            call = uow.calls.find(call_sid)
        key = state.get("caller_key") or (call.caller_key if call else "")
        line = state.get("line") or (call.line_id if call else None)
        if not key and call is None:
            raise TriageError(f"找不到通话 {call_sid} / no such call")
        return CallOrigin(call_sid, key or ANONYMOUS, call.caller_region if call else None, line)
