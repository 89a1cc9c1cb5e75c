"""Write-behind for call records: a webhook never waits on the database.

Ops are applied in order by one thread per process, what has piled up since the last
commit in one commit (the same batch writer `hotline worker` uses). While the database is down
they wait in memory and are written when it returns; whatever cannot be written
before the process exits is logged as lost, with the call ids — never silently.
"""
from __future__ import annotations

import atexit
import logging
import queue
import threading

from hotline.ports import RecordOp
from hotline.store.batch_writer import DatabaseAway, write_batch
from hotline.store.db import Database

log = logging.getLogger(__name__)
MAX_PENDING = 200_000
MAX_BATCH = 200   # changes per commit


class RecordWriter:
    def __init__(self, db: Database, retry_s: float = 0.5) -> None:
        self.db = db
        self.retry_s = retry_s
        self._queue: "queue.Queue[RecordOp | None]" = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._lost: list[str] = []
        self._thread = threading.Thread(target=self._run, name="record-writer", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def submit(self, op: RecordOp) -> None:
        with self._lock:
            if self._pending >= MAX_PENDING:
                log.error("记录丢失 / call record change lost (backlog full): call %s %s", op.call_sid, op.kind)
                return
            self._pending += 1
            self._idle.clear()
        self._queue.put(op)

    @property
    def backlog(self) -> int:
        return self._pending

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every submitted op is written; False if time ran out."""
        return self._idle.wait(timeout)

    def close(self, timeout: float = 5.0) -> None:
        if not self._thread.is_alive():
            return
        self.flush(timeout)
        self._closing.set()
        self._queue.put(None)
        self._thread.join(timeout=2)
        self._report_lost()

    def _run(self) -> None:
        while True:
            op = self._queue.get()
            if op is None:
                return
            batch, closing = self._take_more([op])
            self._write_until_done(batch)
            with self._lock:
                self._pending -= len(batch)
                if self._pending == 0:
                    self._idle.set()
            if closing:
                return

    def _take_more(self, batch: list[RecordOp]) -> tuple[list[RecordOp], bool]:
        """Whatever else is already waiting, up to MAX_BATCH: one commit for all of it (issue
        #18: at 100 calls/s, one commit per change cost the web process most of its CPU)."""
        while len(batch) < MAX_BATCH:
            try:
                op = self._queue.get_nowait()
            except queue.Empty:
                return batch, False
            if op is None:
                return batch, True
            batch.append(op)
        return batch, False

    def _write_until_done(self, ops: list[RecordOp]) -> None:
        """Write ops in one commit (store/batch_writer.py); while the database is away, wait and
        try again — at shutdown, give up and name the calls."""
        delay = self.retry_s
        while True:
            if self._closing.is_set() and delay > self.retry_s:
                self._lost.extend(op.call_sid for op in ops)   # shutting down, the database still away
                return
            try:
                write_batch(self.db, ops)
                return
            except DatabaseAway as exc:
                log.warning("数据库不可用，稍后重试 / database unavailable (%s), will retry calls %s", exc,
                            ", ".join(sorted({op.call_sid for op in ops})))
                self._closing.wait(delay)
                delay = min(delay * 2, 5.0)
            except Exception:
                log.exception("记录写入失败 / could not write calls %s: dropped",
                              ", ".join(sorted({op.call_sid for op in ops})))
                return

    def _report_lost(self) -> None:
        lost = list(self._lost)
        while not self._queue.empty():
            op = self._queue.get_nowait()
            if op is not None:
                lost.append(op.call_sid)
        if lost:
            log.error("未写入的通话记录 / call record changes lost at shutdown for calls: %s",
                      ", ".join(sorted(set(lost))))
