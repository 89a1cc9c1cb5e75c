"""Rows ↔ the plain records of hotline.ports: repositories hand use cases frozen
dataclasses, never live ORM rows, so a use case cannot write to the database behind
its unit of work's back and its fakes need no SQLAlchemy."""
from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.ports import AccessEntry, StoreConflict

R = TypeVar("R")


def to_record(kind: type[R], row: Any) -> R:
    """The record of a row: every field of the dataclass read from the row's attribute."""
    return kind(**{f.name: _copy(getattr(row, f.name)) for f in fields(kind)})


def copy_into(row: Any, record: Any, skip: tuple[str, ...] = ("id",)) -> Any:
    """Write a record's fields onto a row (the id is the database's)."""
    for f in fields(record):
        if f.name not in skip:
            setattr(row, f.name, _copy(getattr(record, f.name)))
    return row


def write(session: Session, model: type, record: Any, row: Any = None) -> Any:
    """Write a record onto its row, or onto a new one when there is none yet; flushed, so
    the row has its id (and a unique key another writer took is a StoreConflict now)."""
    if row is None:
        row = model()
        session.add(row)
    copy_into(row, record)
    flush(session)
    return row


def flush(session: Session) -> None:
    """Send pending writes now; a unique key another writer just took is a StoreConflict."""
    try:
        session.flush()
    except IntegrityError as exc:
        raise StoreConflict(type(exc.orig).__name__) from exc


def _copy(value: Any) -> Any:
    """JSON columns hold lists and dicts: never share one object between row and record."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


class SqlAccessLog:
    """hotline.ports.AccessLog on one table: a row per access, never updated or deleted."""

    def __init__(self, session: Session, model: type, subject: str) -> None:
        self.session, self.model, self.subject = session, model, subject

    def record(self, user_id: int, subject: str, action: str, at: datetime) -> None:
        self.session.add(self.model(user_id=user_id, action=action[:32], at=at, **{self.subject: subject}))

    def entries(self, subject: str) -> list[AccessEntry]:
        query = select(self.model).where(getattr(self.model, self.subject) == subject).order_by(self.model.id)
        return [AccessEntry(row.user_id, row.action, row.at) for row in self.session.scalars(query)]
