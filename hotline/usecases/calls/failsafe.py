"""The answer when our own parts fail, and its record.

The answer needs only the directory in memory and the clock — no Redis, no
database — so a caller hears a valid route even when everything else is down; it
is a separate use case from its record, which must never stand in its way.
"""
from __future__ import annotations

from hotline.ports import Clock, FailSafeAnswer, InboundCall
from hotline.routing.directory import Directory
from hotline.usecases.calls.recording import CallRecorder


class FailSafe:
    def __init__(self, directory: Directory, clock: Clock) -> None:
        self.directory = directory
        self.clock = clock

    def answer(self, dialled: str, line_id: str | None = None) -> FailSafeAnswer:
        """Any line open now except the one the caller came from, as if nobody were on shift."""
        return FailSafeAnswer(self.directory, dialled, self.clock.now(), line_id)


class FailSafeLog:
    def __init__(self, recorder: CallRecorder) -> None:
        self.recorder = recorder

    def record(self, call: InboundCall, path: str, to: str | None) -> None:
        """Keep the record even when the live state is gone (the writer needs only the DB)."""
        self.recorder.record(call, "failsafe", f"failsafe:{path}", {"path": path, "to": to},
                             status="transferred" if to else "info_only", outcome="failsafe")
