"""Write-behind for call records: a webhook never waits on the database.

Ops are applied in order by one thread per process. While the database is down
they wait in memory and are written when it returns; whatever cannot be written
before the process exits is logged as lost, with the call ids — never silently.
"""
from __future__ import annotations

import atexit
import logging
import queue
import threading
import time

from sqlalchemy.exc import IntegrityError, OperationalError, DBAPIError

from hotline.store import calls
from hotline.ports import RecordOp
from hotline.store.db import Database

log = logging.getLogger(__name__)
MAX_PENDING = 200_000
TRANSIENT_RETRIES = 5


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
            self._write_until_done(op)
            with self._lock:
                self._pending -= 1
                if self._pending == 0:
                    self._idle.set()

    def _write_until_done(self, op: RecordOp) -> None:
        delay = self.retry_s
        attempts = 0   # a deadlock or serialization failure is worth a few more tries
        while True:
            if self._closing.is_set() and delay > self.retry_s:
                self._lost.append(op.call_sid)   # shutting down and the database is still away
                return
            try:
                with self.db.session() as session:
                    calls.apply(session, op)
                return
            except IntegrityError:
                continue  # a concurrent writer created the same row first: apply again
            except (OperationalError, DBAPIError) as exc:
                if self._database_answers():
                    attempts += 1
                    if attempts > TRANSIENT_RETRIES:
                        log.error("记录无法写入 / call %s %s cannot be written (%s): dropped",
                                  op.call_sid, op.kind, type(exc).__name__)
                        return
                    time.sleep(0.05 * attempts)   # deadlock or serialization failure: try again soon
                    continue
                log.warning("数据库不可用，稍后重试 / database unavailable, will retry call %s: %s",
                            op.call_sid, type(exc).__name__)
                self._closing.wait(delay)
                delay = min(delay * 2, 5.0)
            except Exception:
                log.exception("记录写入失败 / could not write call %s %s: dropped", op.call_sid, op.kind)
                return

    def _database_answers(self) -> bool:
        """Tell "the database is down" (wait) from "this change is bad" (drop it)."""
        try:
            with self.db.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            return False

    def _report_lost(self) -> None:
        lost = list(self._lost)
        while not self._queue.empty():
            op = self._queue.get_nowait()
            if op is not None:
                lost.append(op.call_sid)
        if lost:
            log.error("未写入的通话记录 / call record changes lost at shutdown for calls: %s",
                      ", ".join(sorted(set(lost))))
