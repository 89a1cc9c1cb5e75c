"""A counselor's notes on a call: encrypted before they reach the database, never logged,
and every read, write and refusal recorded so "who looked at this?" has an answer.

Whether a user may touch a call's notes is the console's rule (its handler check); the
entry point asks it and says `refused` here when it said no.
"""
from __future__ import annotations

import logging

from hotline.ports import Clock, DataKeyError, Keyring, NoteRecord, UnitOfWorkFactory

log = logging.getLogger(__name__)


class CallNotes:
    def __init__(self, uow: UnitOfWorkFactory, keyring: Keyring, clock: Clock) -> None:
        self.uow, self.keyring, self.clock = uow, keyring, clock

    def refused(self, user_id: int, call_sid: str) -> None:
        """A refused attempt, logged and audited (never with any text)."""
        log.warning("拒绝访问通话记录 / user %s refused the notes of call %s", user_id, call_sid)
        with self.uow() as uow:
            uow.note_access.record(user_id, call_sid, "notes.denied", self.clock.now())
            uow.commit()

    def add(self, user_id: int, call_sid: str, text: str) -> dict:
        with self.uow() as uow:
            note = uow.notes.add(call_sid, user_id, self.keyring.encrypt(text), self.clock.now())
            uow.note_access.record(user_id, call_sid, "notes.write", note.created_at)
            uow.commit()
        log.info("已保存通话记录 / note %s saved on call %s by counselor %s", note.id, call_sid, user_id)
        return note_dict(note, text)

    def read(self, user_id: int, call_sid: str) -> list[dict]:
        with self.uow() as uow:
            uow.note_access.record(user_id, call_sid, "notes.read", self.clock.now())
            notes = uow.notes.for_call(call_sid)
            uow.commit()
        return [note_dict(note, self._decrypt(note)) for note in notes]

    def _decrypt(self, note: NoteRecord) -> str | None:
        """The note's text; None (and an error log) if no configured key opens it."""
        try:
            return self.keyring.decrypt(note.body_encrypted)
        except DataKeyError:
            log.error("无法解密通话记录 / note %s cannot be decrypted (key rotated away?)", note.id)
            return None


def note_dict(note: NoteRecord, text: str | None) -> dict:
    return {"id": note.id, "call_sid": note.call_sid, "counselor_id": note.counselor_id,
            "created_at": note.created_at.isoformat(), "text": text}
