"""Call-record changes written in batches: many changes, one transaction, one commit.

`hotline worker` writes what the web processes handed through the record stream
(HOTLINE_RECORD_WRITES=worker); a web process's own write-behind thread (store/writer.py)
writes what piled up since its last commit. The merge rules stay in store/calls.py (`calls.apply`), the
one place where outcomes merge; this module only decides how many go into a commit.
"""
from __future__ import annotations

import logging
import time

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from hotline.ports import RecordOp
from hotline.store import calls
from hotline.store.db import Database

log = logging.getLogger(__name__)
CONFLICT_RETRIES = 5


class DatabaseAway(Exception):
    """The database does not answer: nothing was written, try the whole batch again later."""


def write_batch(db: Database, ops: list[RecordOp]) -> int:
    """Write every change of `ops` in one commit; the number newly applied (a change applied
    before, a re-delivery, counts 0). A change the database refuses for itself (bad data) is
    logged with its call id and skipped, the others are written; raises DatabaseAway when the
    database is unreachable, with nothing written."""
    for attempt in range(CONFLICT_RETRIES):
        try:
            return _in_one_commit(db, ops)
        except IntegrityError:
            continue   # another writer created one of these calls first: apply again, it is there now
        except OperationalError as exc:
            if not _database_answers(db):
                raise DatabaseAway(type(exc).__name__) from exc
            _pause(attempt)   # the database answers: a deadlock or serialization failure, try again
        except DBAPIError as exc:
            if not _database_answers(db):
                raise DatabaseAway(type(exc).__name__) from exc
            break   # the database answers and refuses: one of the changes is at fault
        except Exception:   # a change the merge cannot take: find it by writing them one by one
            break
    return sum(_one_by_one(db, op) for op in ops)


def _in_one_commit(db: Database, ops: list[RecordOp]) -> int:
    with db.session() as session:
        return calls.apply_many(session, ops)


def _one_by_one(db: Database, op: RecordOp) -> int:
    for attempt in range(CONFLICT_RETRIES):
        try:
            with db.session() as session:
                return int(calls.apply(session, op))
        except IntegrityError:
            continue
        except (OperationalError, DBAPIError) as exc:
            if not _database_answers(db):
                raise DatabaseAway(type(exc).__name__) from exc
            if isinstance(exc, OperationalError) and attempt + 1 < CONFLICT_RETRIES:
                _pause(attempt)   # transient (deadlock, lock timeout): worth another try
                continue
            log.error("记录无法写入 / call %s %s cannot be written (%s): dropped", op.call_sid, op.kind,
                      type(exc).__name__)
            return 0
        except Exception:
            log.exception("记录写入失败 / could not write call %s %s: dropped", op.call_sid, op.kind)
            return 0
    log.error("记录无法写入 / call %s %s still conflicts after %d tries: dropped", op.call_sid, op.kind,
              CONFLICT_RETRIES)
    return 0


def _pause(attempt: int) -> None:
    time.sleep(0.05 * (attempt + 1))


def _database_answers(db: Database) -> bool:
    try:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True
    except Exception:   # any failure to reach it means "away"
        return False
