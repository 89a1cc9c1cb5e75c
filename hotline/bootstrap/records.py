"""Call records written off the web process (HOTLINE_RECORD_WRITES=worker, issue #18).

The web side (hotline/app.py) makes every request's record changes one entry of the record
stream. `RecordWrites` is the loop `hotline worker` runs in a thread: read a batch
from the stream, write it in one commit (store/batch_writer.py), acknowledge it. It only
joins the two adapters; what a change does to a record is store/calls.py's business.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time

import redis

from hotline.bootstrap.adapters import Adapters
from hotline.live.record_stream import WRITER_TTL_S, RecordStreamReader, WriterRollCall
from hotline.store.batch_writer import DatabaseAway, write_batch

log = logging.getLogger(__name__)
MAX_BACKOFF_S = 5.0
# Caught up with the stream, the writer waits this long before reading again, so the next
# commit takes what arrived meanwhile: at 200 calls/s one commit per entry cost the worker as
# much CPU per call as the web process spent answering it (issue #18). Records are for
# reports and history (the live state is in Redis): a fifth of a second later changes nothing.
LINGER_S = 0.2


class RecordWrites:
    """The record writer of a worker process: stream → database, acknowledged after commit."""

    def __init__(self, adapters: Adapters, consumer: str | None = None, block_ms: int = 1000,
                 claim_idle_ms: int = 30_000, linger_s: float = LINGER_S) -> None:
        self.adapters = adapters
        self.linger_s = linger_s
        # its own connection: a blocking read outlives the web's 0.5 s socket timeout
        client = redis.Redis.from_url(adapters.redis_url, socket_timeout=block_ms / 1000 + 5,
                                      socket_connect_timeout=2)
        self.consumer = consumer or _consumer_name()
        self.reader = RecordStreamReader(client, adapters.keys, self.consumer,
                                         block_ms=block_ms, claim_idle_ms=claim_idle_ms)
        self.roll_call = WriterRollCall(client, adapters.keys)   # tells web processes under auto
        self._present_at = float("-inf")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def step(self) -> int:
        """One batch: the number of changes newly written (raises DatabaseAway, RedisError)."""
        return self.reader.step(lambda ops: write_batch(self.adapters.db, ops))

    def run(self) -> None:
        delay = 0.2
        while not self._stop.is_set():
            try:
                self._stay_on_roll_call()
                self.step()
            except DatabaseAway as exc:
                log.warning("数据库不可用，通话记录留在流中 / database away (%s): call records wait in "
                            "the stream", exc)
            except redis.RedisError as exc:
                log.warning("记录流不可用 / record stream unavailable: %s", type(exc).__name__)
            else:
                delay = 0.2
                if 0 < self.reader.last_read < self.reader.batch:
                    self._stop.wait(self.linger_s)   # caught up: let the next batch gather
                continue
            self._stop.wait(delay)
            delay = min(delay * 2, MAX_BACKOFF_S)

    def start(self) -> "RecordWrites":
        self._thread = threading.Thread(target=self.run, name="record-stream-writer", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        try:   # web processes under auto write in-process again from the next second
            self.roll_call.leave(self.consumer)
        except redis.RedisError:
            pass   # Redis away: the place runs out by itself within WRITER_TTL_S

    def _stay_on_roll_call(self) -> None:
        now = time.monotonic()
        if now - self._present_at >= WRITER_TTL_S / 3:
            self.roll_call.present(self.consumer)
            self._present_at = now


def _consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"
