"""One simulated call: from the ringing webhook to the final status callback.

The call plays one *program* at a time (a URL to fetch, inline TwiML, or "end
now") in its own task. A REST command from Hotline cancels that task and hands
the call its next program — which is how Twilio moves a caller out of a queue
to a counselor, or ends a call, whatever the call was doing at that moment.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from hotline.devtools.simulator.behaviour import Behaviour
from hotline.devtools.simulator.callbacks import send_status
from hotline.devtools.simulator.config import SimConfig
from hotline.devtools.simulator.queues import Member, QueueBook
from hotline.devtools.simulator.record import CallRecord
from hotline.devtools.simulator.steps import CallEnded, Fetch, Inline, Program, Terminate, WebhookError
from hotline.devtools.simulator.twiml import TwimlError, parse
from hotline.devtools.simulator.twiml_player import Player
from hotline.devtools.simulator.urls import UrlMapper

log = logging.getLogger(__name__)


@dataclass
class Shared:
    """What every call of one run shares."""

    config: SimConfig
    hooks: Any                  # WebhookClient (or a fake in unit tests)
    mapper: UrlMapper
    queues: QueueBook = field(default_factory=QueueBook)
    live: dict[str, "SimCall"] = field(default_factory=dict)
    conferences: dict[str, Any] = field(default_factory=dict)   # name → SimConference (conference.py)
    tasks: set = field(default_factory=set)                      # Participants requests being carried out


class SimCall:
    def __init__(self, shared: Shared, record: CallRecord, behaviour: Behaviour) -> None:
        self.shared = shared
        self.record = record
        self.behaviour = behaviour
        self.status = "ringing"
        self.final_status = "completed"
        self.member: Member | None = None
        self.bridged = False
        self.ended = False
        self.patience_deadline: float | None = None
        self._sequence = -1
        self._task: asyncio.Task | None = None
        self._next: Program | None = None
        self._pending_dequeue: Program | None = None

    def params(self) -> dict[str, str]:
        """The parameters Twilio puts on every request about this call."""
        r = self.record
        return {"CallSid": r.call_sid, "AccountSid": self.shared.config.account_sid, "From": r.from_,
                "To": r.to, "Caller": r.from_, "Called": r.to, "CallStatus": self.status,
                "Direction": "inbound", "ApiVersion": "2010-04-01", "FromCountry": "CN", "ToCountry": "CN"}

    def next_sequence(self) -> int:
        self._sequence += 1
        return self._sequence

    async def run(self) -> CallRecord:
        self.shared.live[self.record.call_sid] = self
        first = Fetch(self.shared.mapper.public_url(self.shared.config.incoming_path))
        try:
            await self._drive(first)
            self.record.ended_by = self.record.ended_by or "twiml-end"
        except CallEnded as ended:
            self.record.ended_by = ended.reason
        except WebhookError:
            self.record.ended_by = "error"
        finally:
            self._close()
        await send_status(self, self.final_status)
        self.record.ended = time.monotonic()
        return self.record

    def _close(self) -> None:
        self.ended = True
        self.status = self.final_status
        self.shared.live.pop(self.record.call_sid, None)
        if self.member is not None:
            self.leave_queue()

    # --- REST commands -------------------------------------------------------
    def command(self, program: Program) -> bool:
        """Leave whatever the call is doing and play `program` (Calls update)."""
        if self.ended:
            return False
        self._next = program
        if self._task is not None and not self._task.done():
            self._task.cancel()
        return True

    def dequeue(self, program: Program) -> bool:
        """Queue Members update: only for a queued caller (or one about to be queued)."""
        if self.member is not None:
            return self.command(program)
        if self.ended or self.bridged or self.record.queue_lines:
            return False
        self._pending_dequeue = program     # Hotline was quicker than our <Enqueue>
        return True

    # --- queue membership ------------------------------------------------------
    def join_queue(self, name: str) -> Member:
        self.member = self.shared.queues.join(name, self.record.call_sid)
        self.record.queue_lines.append(name)
        if self.patience_deadline is None and (patience := self.behaviour.patience()) is not None:
            self.patience_deadline = asyncio.get_running_loop().time() + patience
        if self._pending_dequeue is not None:
            self.command(self._pending_dequeue)
            self._pending_dequeue = None
        return self.member

    def leave_queue(self) -> None:
        if self.member is not None:
            self.record.add_wait(self.shared.queues.leave(self.member))
            self.member = None

    # --- driving ---------------------------------------------------------------
    async def _drive(self, program: Program | None) -> None:
        while program is not None:
            if self._next is not None:       # a command arrived between two programs
                program, self._next = self._next, None
            program = await self._interruptible(program)

    async def _interruptible(self, program: Program) -> Program | None:
        self._task = asyncio.create_task(self._perform(program))
        try:
            await self._task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if self._next is None or (current is not None and current.cancelling()):
                raise
        next_program, self._next = self._next, None
        return next_program

    async def _perform(self, program: Program) -> None:
        if isinstance(program, Terminate):
            raise CallEnded(program.reason)
        document = await self._document(program)
        self.status = "in-progress"
        await Player(self).run(document)

    async def _document(self, program: Fetch | Inline):
        if isinstance(program, Fetch):
            return await self.shared.hooks.document(self, program)
        try:
            return parse(program.twiml, program.base)
        except TwimlError as exc:
            self.record.errors.append({"url": "REST Twiml", "reason": str(exc)})
            raise WebhookError("REST Twiml", str(exc)) from None
