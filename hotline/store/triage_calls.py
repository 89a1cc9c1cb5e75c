"""What triage reads of the call record (the calls area writes it), and the raw rows key
rotation rewrites: every stored token and every row filed under a caller key."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from hotline.ports import RecordedCall
from hotline.store.calls import caller_history, find
from hotline.store.models import Call
from hotline.store.records import to_record

# (table, column) of every Fernet token stored by Hotline.
ENCRYPTED = (("call_notes", "body_encrypted"), ("callback_requests", "number_encrypted"),
             ("triage_assessments", "answers_encrypted"), ("triage_assessments", "override_reason_encrypted"),
             ("triage_referrals", "note_encrypted"), ("caller_files", "callback_number_encrypted"),
             ("triage_checklists", "values_encrypted"))
# Tables whose rows belong to a caller key (caller_files is merged by the use case).
KEYED = ("calls", "callback_requests", "triage_assessments", "triage_referrals", "triage_follow_ups",
         "caller_file_access")


class SqlCallRecord:
    """CallRecordReader over the calls table: read only."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, call_sid: str) -> RecordedCall | None:
        call = find(self.session, call_sid)
        return to_record(RecordedCall, call) if call else None

    def latest_answered_by(self, counselor_id: int) -> tuple[str, datetime] | None:
        found = self.session.execute(select(Call.call_sid, Call.answered_at)
                                     .where(Call.counselor_id == counselor_id, Call.answered_at.is_not(None))
                                     .order_by(Call.answered_at.desc(), Call.id.desc()).limit(1)).first()
        return (found[0], found[1]) if found else None

    def for_caller(self, caller_key: str, limit: int = 200) -> list[RecordedCall]:
        query = select(Call).where(Call.caller_key == caller_key).order_by(Call.received_at.desc()).limit(limit)
        return [to_record(RecordedCall, call) for call in self.session.scalars(query)]

    def history(self, caller_key: str, exclude_sid: str) -> dict:
        return caller_history(self.session, caller_key, exclude_sid)


class SqlEncryptedColumns:
    """EncryptedColumns: plain SQL over the tables present (an older schema may lack some)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._present: set[str] | None = None

    def _tables(self) -> set[str]:
        if self._present is None:
            self._present = set(inspect(self.session.get_bind()).get_table_names())
        return self._present

    def columns(self) -> list[tuple[str, str]]:
        present = self._tables()
        return [(table, column) for table, column in ENCRYPTED if table in present]

    def tokens(self, table: str, column: str) -> list[tuple[int, str]]:
        _known(table, column)
        rows = self.session.execute(text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"))
        return [(row_id, token) for row_id, token in rows]

    def replace_token(self, table: str, column: str, row_id: int, token: str) -> None:
        _known(table, column)
        self.session.execute(text(f"UPDATE {table} SET {column} = :t WHERE id = :i"), {"t": token, "i": row_id})

    def move_caller_key(self, old: str, new: str) -> None:
        for table in KEYED:
            if table in self._tables():
                self.session.execute(text(f"UPDATE {table} SET caller_key = :new WHERE caller_key = :old"),
                                     {"new": new, "old": old})


def _known(table: str, column: str) -> None:
    """Table and column names go into SQL text: only the ones listed above, ever."""
    if (table, column) not in ENCRYPTED:
        raise ValueError(f"not an encrypted column: {table}.{column}")
