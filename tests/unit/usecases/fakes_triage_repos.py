"""In-memory repositories of the triage unit of work (hotline.ports, triage section).

Each works on the tables of its FakeUnitOfWork (fakes_triage.py): a copy of the fake
database's, written back only on commit. Orders and uniqueness are the SQL ones.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable

from hotline.ports import AccessEntry, NoteRecord, StoreConflict


class _Table:
    def __init__(self, uow: FakeUnitOfWork, name: str) -> None:
        self.uow, self.name = uow, name

    @property
    def rows(self) -> dict:
        return self.uow.tables[self.name]


class _ByCallSid(_Table):
    def get(self, call_sid: str):
        return self.rows.get(call_sid)

    def save(self, record) -> None:
        self.rows[record.call_sid] = record


class FakeChecklists(_ByCallSid):
    def __init__(self, uow) -> None:
        super().__init__(uow, "checklists")


class FakeAssessments(_Table):
    def __init__(self, uow) -> None:
        super().__init__(uow, "assessments")

    def get(self, call_sid: str, for_update: bool = False):
        return self.rows.get(call_sid)

    def save(self, record):
        if record.id is None:
            other = self.uow.db.race_on_insert
            if other is not None:   # the other writer committed the call's first row meanwhile
                self.uow.db.race_on_insert = None
                self.uow.db.tables["assessments"][other.call_sid] = replace(other, id=self.uow.db.next_id())
                raise StoreConflict("UniqueViolation")
            if record.call_sid in self.rows:
                raise StoreConflict("UniqueViolation")
            record = replace(record, id=self.uow.db.next_id())
        self.rows[record.call_sid] = record
        return record

    def _by_id(self, assessment_id: int):
        return next((r for r in self.rows.values() if r.id == assessment_id), None)

    def add_actions(self, assessment_id: int, actions: Iterable[str]) -> list[str]:
        found = self._by_id(assessment_id)
        done = sorted(set(found.actions_done) | set(actions))
        self.rows[found.call_sid] = replace(found, actions_done=done)
        return done

    def latest_by(self, counselor_id: int):
        mine = sorted((r for r in self.rows.values() if r.counselor_id == counselor_id), key=lambda r: r.updated_at)
        return (mine[-1].call_sid, mine[-1].updated_at) if mine else None

    def for_caller(self, caller_key: str):
        return sorted((r for r in self.rows.values() if r.caller_key == caller_key),
                      key=lambda r: r.updated_at, reverse=True)

    def last_level(self, caller_key: str, exclude_sid: str):
        found = [r for r in self.for_caller(caller_key) if r.call_sid != exclude_sid]
        return found[0].level if found else None

    def needing_review(self):
        return sorted((r for r in self.rows.values() if r.needs_review), key=lambda r: r.updated_at)

    def at_levels(self, levels, limit: int, counselor_id: int | None = None):
        found = sorted((r for r in self.rows.values() if r.level in tuple(levels)
                        and counselor_id in (None, r.counselor_id)), key=lambda r: r.updated_at, reverse=True)
        return found[:limit]

    def mark_reviewed(self, assessment_id: int, by: int, at: datetime):
        found = self._by_id(assessment_id)
        if found is None:
            return None
        self.rows[found.call_sid] = found = replace(found, needs_review=False, reviewed_by=by, reviewed_at=at)
        return found


class FakeFollowUps(_ByCallSid):
    def __init__(self, uow) -> None:
        super().__init__(uow, "follow_ups")

    def save(self, record) -> None:
        if record.id is None:
            record = replace(record, id=self.uow.db.next_id())
        self.rows[record.call_sid] = record

    def due(self, now: datetime):
        return sorted((r for r in self.rows.values() if r.status != "done" and r.due_at <= now),
                      key=lambda r: r.due_at)

    def mark_done(self, follow_up_id: int, by: int, at: datetime):
        found = next((r for r in self.rows.values() if r.id == follow_up_id), None)
        if found is None:
            return None
        self.rows[found.call_sid] = found = replace(found, status="done", done_by=by, done_at=at)
        return found

    def for_caller(self, caller_key: str):
        return sorted((r for r in self.rows.values() if r.caller_key == caller_key),
                      key=lambda r: r.due_at, reverse=True)


class _ById(_Table):
    def save(self, record):
        if record.id is None:
            record = replace(record, id=self.uow.db.next_id())
        self.rows[record.id] = record
        return record


class FakeCallerFiles(_ById):
    def __init__(self, uow) -> None:
        super().__init__(uow, "caller_files")

    def get(self, caller_key: str):
        return next((r for r in self.rows.values() if r.caller_key == caller_key), None)

    def save(self, record):
        same_key = self.get(record.caller_key)
        if same_key is not None and same_key.id != record.id:
            raise StoreConflict("UniqueViolation")
        return super().save(record)

    def delete(self, file_id: int) -> None:
        self.rows.pop(file_id, None)

    def flagged_keys(self) -> list[str]:
        return [r.caller_key for r in self.rows.values() if r.flagged_level is not None]

    def numbers_on_file(self):
        return [(r.caller_key, r.callback_number_encrypted) for r in self.rows.values()]


class FakeReferrals(_ById):
    def __init__(self, uow) -> None:
        super().__init__(uow, "referrals")

    def get(self, referral_id: int, for_update: bool = False):
        return self.rows.get(referral_id)

    def for_call(self, call_sid: str):
        return sorted((r for r in self.rows.values() if r.call_sid == call_sid), key=lambda r: r.id)

    def for_caller(self, caller_key: str):
        return sorted((r for r in self.rows.values() if r.caller_key == caller_key), key=lambda r: -r.id)

    def due(self, statuses, now: datetime):
        return [r for r in self.rows.values() if r.status in tuple(statuses)
                and r.next_follow_up_at is not None and r.next_follow_up_at <= now]

    def count(self, caller_key: str, statuses) -> int:
        return sum(1 for r in self.rows.values() if r.caller_key == caller_key and r.status in tuple(statuses))


class FakeNotes(_Table):
    def __init__(self, uow) -> None:
        super().__init__(uow, "notes")

    def add(self, call_sid: str, counselor_id: int, body_encrypted: str, at: datetime) -> NoteRecord:
        note = NoteRecord(self.uow.db.next_id(), call_sid, counselor_id, at, body_encrypted)
        self.rows[note.id] = note
        return note

    def for_call(self, call_sid: str):
        return sorted((n for n in self.rows.values() if n.call_sid == call_sid), key=lambda n: (n.created_at, n.id))


class FakeAccessLog:
    def __init__(self, uow: FakeUnitOfWork, name: str) -> None:
        self.uow, self.name = uow, name

    def record(self, user_id: int, subject: str, action: str, at: datetime) -> None:
        self.uow.logs[self.name].append((subject, AccessEntry(user_id, action[:32], at)))

    def entries(self, subject: str):
        return [e for s, e in self.uow.logs[self.name] if s == subject]


class FakeCallRecord(_Table):
    def __init__(self, uow) -> None:
        super().__init__(uow, "calls")

    def find(self, call_sid: str):
        return self.rows.get(call_sid)

    def latest_answered_by(self, counselor_id: int):
        mine = sorted((c for c in self.rows.values() if c.counselor_id == counselor_id and c.answered_at),
                      key=lambda c: c.answered_at)
        return (mine[-1].call_sid, mine[-1].answered_at) if mine else None

    def for_caller(self, caller_key: str, limit: int = 200):
        found = [c for c in self.rows.values() if c.caller_key == caller_key]
        return sorted(found, key=lambda c: c.received_at, reverse=True)[:limit]

    def history(self, caller_key: str, exclude_sid: str) -> dict:
        earlier = [c for c in self.rows.values() if c.caller_key == caller_key and c.call_sid != exclude_sid]
        last = max((c.received_at for c in earlier), default=None)
        return {"previous_contacts": len(earlier), "last_contact_at": last.isoformat() if last else None}


class FakeEncryptedColumns(_Table):
    """Tokens live in db.tables["tokens"][(table, column)][row id]; caller keys move in
    every keyed fake table (assessments, referrals, follow-ups, calls, the file access log)."""

    def __init__(self, uow) -> None:
        super().__init__(uow, "tokens")

    def columns(self):
        return sorted(self.rows)

    def tokens(self, table: str, column: str):
        return sorted(self.rows[(table, column)].items())

    def replace_token(self, table: str, column: str, row_id: int, token: str) -> None:
        self.rows[(table, column)] = {**self.rows[(table, column)], row_id: token}

    def move_caller_key(self, old: str, new: str) -> None:
        for name in ("assessments", "referrals", "follow_ups", "calls"):
            table = self.uow.tables[name]
            for key, row in list(table.items()):
                if row.caller_key == old:
                    table[key] = replace(row, caller_key=new)
        self.uow.logs["file_access"] = [(new if s == old else s, e) for s, e in self.uow.logs["file_access"]]
