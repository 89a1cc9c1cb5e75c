"""One way for the call use cases to write a change to the call record."""
from __future__ import annotations

from hotline.ports import Clock, InboundCall, Keyring, RecordOp, RecordSink

WITHHELD_KEY = ""   # a withheld number has no caller key: nothing links two withheld calls


class CallRecorder:
    """Record changes keyed by call, dedup key and the caller's pseudonymous key."""

    def __init__(self, clock: Clock, keyring: Keyring, records: RecordSink) -> None:
        self.clock = clock
        self.keyring = keyring
        self.records = records

    def caller_key(self, call: InboundCall) -> str:
        """The pseudonymous key of the caller's number; "" for a withheld number (never a
        shared placeholder, which would give every withheld caller one history and flag)."""
        return self.keyring.caller_key(call.caller) if not call.withheld else WITHHELD_KEY

    def record(self, call: InboundCall, kind: str, dedup: str | None = None, detail: dict | None = None,
               **fields) -> None:
        """`dedup` defaults to the kind: a retried webhook then changes nothing."""
        self.records.submit(self.change(call, kind, dedup, detail, **fields))

    def change(self, call: InboundCall, kind: str, dedup: str | None = None, detail: dict | None = None,
               **fields) -> RecordOp:
        """The change `record` would submit, for a port that writes it with its own (the enqueue)."""
        return RecordOp(call.call_sid, kind, dedup or kind, self.clock.now(), call.dialled, self.caller_key(call),
                        fields, detail or {})
