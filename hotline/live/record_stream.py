"""Call-record changes handed through Redis, so no web process spends its CPU on the database
(issue #18, HOTLINE_RECORD_WRITES=worker).

The web side (`RecordStream`, a RecordSink) collects the changes of one webhook and sends
them as one stream entry (one XADD), at the request's end or, for a queued call, inside the
enqueue script's own round trip (`riding`). `hotline worker` reads the stream through a consumer
group (`RecordStreamReader`) and acknowledges an entry only after the database committed it:
a worker killed between reading and committing leaves the entry pending, and the next reader
claims it again. Applying a change twice changes nothing (each carries its dedup key), so a
re-delivery is harmless. While Redis is down, changes go to the in-process writer instead.

Under HOTLINE_RECORD_WRITES=auto the stream is used only while a worker is writing it: each
writing worker keeps its name in a roll call (`WriterRollCall`, a sorted set of names and
until-when, renewed every few seconds, removed when it stops), and a web process that finds
nobody on it writes in-process. A worker that dies leaves at most WRITER_TTL_S of entries
behind; the next worker claims them.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Callable, ContextManager, Iterator, Protocol

import redis

from hotline.live import held_events
from hotline.live.keys import Keys
from hotline.ports import RecordOp

log = logging.getLogger(__name__)
GROUP = "record-writers"
WRITER_TTL_S = 10.0          # a writing worker renews its place on the roll call well within this
ROLL_CALL_CACHE_S = 1.0      # a web process asks who is writing at most once a second
_batch: ContextVar[list[RecordOp] | None] = ContextVar("record_batch", default=None)


class LocalSink(Protocol):
    def submit(self, op: RecordOp) -> None: ...


class RecordCarrier(Protocol):
    """Lets a Redis script carry a record change in its own round trip (the enqueue script)."""

    def riding(self, op: RecordOp) -> ContextManager[tuple[str, str] | None]: ...


# --- the codec: one entry holds the changes of one webhook --------------------------------

def encode(ops: list[RecordOp]) -> str:
    return json.dumps([_op_dict(op) for op in ops], ensure_ascii=False, separators=(",", ":"),
                      default=_encode_value)


def decode(text: str | bytes) -> list[RecordOp]:
    return [RecordOp(call_sid=item["call_sid"], kind=item["kind"], dedup_key=item["dedup_key"],
                     at=datetime.fromisoformat(item["at"]), dialled_number=item["dialled_number"],
                     caller_key=item["caller_key"], fields=_decode_times(item["fields"]),
                     detail=item["detail"])
            for item in json.loads(text)]


def _op_dict(op: RecordOp) -> dict:
    return {"call_sid": op.call_sid, "kind": op.kind, "dedup_key": op.dedup_key, "at": op.at.isoformat(),
            "dialled_number": op.dialled_number, "caller_key": op.caller_key, "fields": op.fields,
            "detail": op.detail}


def _encode_value(value):
    if isinstance(value, datetime):
        return {"$at": value.isoformat()}
    raise TypeError(f"record field of type {type(value).__name__} cannot cross the record stream")


def _decode_times(fields: dict) -> dict:
    return {name: datetime.fromisoformat(value["$at"]) if isinstance(value, dict) and "$at" in value else value
            for name, value in fields.items()}


# --- the web side -------------------------------------------------------------------------

class RecordStream:
    """RecordSink: one XADD per webhook; the in-process writer while Redis is down."""

    def __init__(self, client: redis.Redis, keys: Keys, local: Callable[[], LocalSink],
                 only_while_written: bool = False) -> None:
        self.redis = client
        self.stream = keys.record_stream()
        self._local_factory = local
        self._local: LocalSink | None = None
        self._lock = threading.Lock()
        # HOTLINE_RECORD_WRITES=auto: the stream only while a worker writes it
        self._roll_call = WriterRollCall(client, keys) if only_while_written else None
        self._written_until = 0.0   # monotonic: the last answer "somebody writes" holds until then
        self._asked_at = float("-inf")
        self.publisher = held_events.EventPublisher(client)

    @contextmanager
    def riding(self, op: RecordOp) -> Iterator[tuple[str, str] | None]:
        """`op` with the changes this request holds so far, as (stream key, entry) for a script
        to append in the round trip it makes anyway (a queued call's, issue #18): the request then
        has none left to make for its record. If the block raises, the script failed before its
        XADD: the held changes stay held and `op` is dropped (what it records did not happen).
        Yields None while the stream is not written: `op` is then submitted after the block."""
        if not self._stream_is_written():
            yield None
            self.submit(op)
            return
        pending = _batch.get()
        held = list(pending or ())
        yield self.stream, encode([*held, op])
        if pending:
            del pending[:len(held)]

    def submit(self, op: RecordOp) -> None:
        pending = _batch.get()
        if pending is None:
            self._send([op])
        else:
            pending.append(op)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every change submitted inside goes out as one entry, at the end (one webhook), with
        the Socket.IO events published meanwhile (live/held_events.py): one round trip."""
        if _batch.get() is not None:   # already inside one: the outer batch sends
            yield
            return
        token = _batch.set([])
        events, holding = held_events.hold()
        try:
            yield
        finally:
            held_events.release(holding)
            ops = _batch.get()
            _batch.reset(token)
            if ops or events:
                self._send(ops, events)

    def _send(self, ops: list[RecordOp], events: held_events.Held = ()) -> None:
        """The record entry, and the events with it in the same pipeline; events with no entry
        to ride on (or behind others still waiting) go to the publisher thread."""
        streamed = bool(ops) and self._stream_is_written()
        if ops and not streamed:
            self._write_here(ops)
        if events and (not streamed or self.publisher.busy()):
            self.publisher.submit(events)
            events = ()
        if not streamed:
            return
        try:
            pipe = self.redis.pipeline(transaction=False)
            if streamed:
                pipe.xadd(self.stream, {"ops": encode(ops)})
            for channel, message in events:
                pipe.publish(channel, message)
            pipe.execute()
        except redis.RedisError as exc:
            if events:
                log.warning("事件发送失败 / %d event(s) not published: %s", len(events), type(exc).__name__)
            if streamed:   # written here too if the entry did reach the stream: applying twice changes nothing
                log.warning("记录流不可用，改由本进程写入 / record stream unavailable (%s): this process writes "
                            "calls %s", type(exc).__name__, ", ".join(sorted({op.call_sid for op in ops})))
                self._write_here(ops)

    def _write_here(self, ops: list[RecordOp]) -> None:
        local = self.local()
        for op in ops:
            local.submit(op)

    def _stream_is_written(self) -> bool:
        """Always under `worker`; under `auto`, whether a worker is on the roll call (asked once
        a second; Redis unreachable counts as nobody: this process writes)."""
        if self._roll_call is None:
            return True
        now = time.monotonic()
        if now - self._asked_at >= ROLL_CALL_CACHE_S:
            self._asked_at = now
            try:
                self._written_until = now + ROLL_CALL_CACHE_S if self._roll_call.anyone() else 0.0
            except redis.RedisError:
                self._written_until = 0.0
        return now < self._written_until

    def local(self) -> LocalSink:
        """The in-process writer, built the first time Redis fails."""
        with self._lock:
            if self._local is None:
                self._local = self._local_factory()
            return self._local

    @property
    def backlog(self) -> int:
        """Changes not yet in the database: the stream's unread entries plus the local writer's."""
        local = getattr(self._local, "backlog", 0)
        try:
            return int(self.redis.xlen(self.stream)) + local
        except redis.RedisError:
            return local

    def flush(self, timeout: float = 10.0) -> bool:
        """Only the local writer can be waited for here; the stream is the worker's."""
        return self._local.flush(timeout) if self._local is not None else True

    def close(self, timeout: float = 5.0) -> None:
        self.publisher.flush(timeout)
        if self._local is not None and hasattr(self._local, "close"):
            self._local.close(timeout)


class SubmittedAfter:
    """RecordCarrier over a sink with no stream (the in-process writer, HOTLINE_RECORD_WRITES=web):
    nothing rides on the script; the change is submitted once the block succeeded."""

    def __init__(self, sink: LocalSink) -> None:
        self.sink = sink

    @contextmanager
    def riding(self, op: RecordOp) -> Iterator[None]:
        yield None
        self.sink.submit(op)


# --- the worker side ----------------------------------------------------------------------

class WriterRollCall:
    """Who writes the record stream now: each writing worker's name and until when (epoch
    seconds, a sorted set), so web processes under `auto` know whether to use the stream."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.key = keys.record_writers()

    def present(self, consumer: str, ttl_s: float = WRITER_TTL_S) -> None:
        now = time.time()
        pipe = self.redis.pipeline(transaction=False)
        pipe.zremrangebyscore(self.key, "-inf", now)   # workers that died without leaving
        pipe.zadd(self.key, {consumer: now + ttl_s})
        pipe.execute()

    def leave(self, consumer: str) -> None:
        self.redis.zrem(self.key, consumer)

    def anyone(self) -> bool:
        return bool(self.redis.zcount(self.key, f"({time.time()}", "+inf"))


class RecordStreamReader:
    """Reads the stream as one consumer of the writers' group, hands each batch of entries to
    `write` (which commits them or raises), and acknowledges them only after it returned."""

    def __init__(self, client: redis.Redis, keys: Keys, consumer: str, *, batch: int = 200,
                 block_ms: int = 1000, claim_idle_ms: int = 30_000) -> None:
        self.redis = client
        self.stream = keys.record_stream()
        self.consumer = consumer
        self.batch = batch
        self.block_ms = block_ms
        self.claim_idle_ms = claim_idle_ms
        self.last_read = 0   # entries the last step read (fewer than `batch`: the stream is caught up)
        self._group_ready = False

    def ensure_group(self) -> None:
        if self._group_ready:
            return
        try:   # from id 0: entries written before any worker started are read too
            self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        self._group_ready = True

    def read(self) -> list[tuple[bytes, list[RecordOp]]]:
        """The next entries: this consumer's own unacknowledged ones first (a failed commit),
        then entries another consumer left pending too long (it died), then new ones."""
        self.ensure_group()
        for source in (self._own_pending, self._abandoned, self._new):
            entries = source()
            if entries:
                return [(entry_id, self._ops(entry_id, fields)) for entry_id, fields in entries]
        return []

    def acknowledge(self, entry_ids: list[bytes]) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.xack(self.stream, GROUP, *entry_ids)
        pipe.xdel(self.stream, *entry_ids)
        pipe.execute()

    def step(self, write: Callable[[list[RecordOp]], int]) -> int:
        """Read, write, acknowledge one batch; what `write` returned (the changes it applied)."""
        entries = self.read()
        self.last_read = len(entries)
        if not entries:
            return 0
        written = write([op for _, entry_ops in entries for op in entry_ops])
        self.acknowledge([entry_id for entry_id, _ in entries])
        return written

    def _own_pending(self):
        reply = self.redis.xreadgroup(GROUP, self.consumer, {self.stream: "0"}, count=self.batch)
        return reply[0][1] if reply and reply[0][1] else []

    def _abandoned(self):
        reply = self.redis.xautoclaim(self.stream, GROUP, self.consumer, self.claim_idle_ms, "0-0",
                                      count=self.batch)
        return [entry for entry in reply[1] if entry[1]] if reply else []

    def _new(self):
        reply = self.redis.xreadgroup(GROUP, self.consumer, {self.stream: ">"}, count=self.batch,
                                      block=self.block_ms)
        return reply[0][1] if reply else []

    def _ops(self, entry_id: bytes, fields: dict) -> list[RecordOp]:
        try:
            return decode(fields[b"ops"])
        except (KeyError, ValueError, TypeError) as exc:
            log.error("记录流条目无法解析 / record stream entry %s unreadable (%s): skipped",
                      entry_id.decode(), type(exc).__name__)
            return []
