"""Reading a caller file: who may, what it shows, and what a counselor sees on an offer.

Counselors see the file of a caller they are handling right now (offered, on the call,
or in its wrap-up); supervisors see every file. Every opening, export and refusal is
recorded. The caller is never named: the file is the pseudonymous key plus what was
recorded, decrypted only for the reader.
"""
from __future__ import annotations

import json
import logging

from hotline.ports import AssessmentRecord, CallQueues, Clock, FollowUpRecord, Keyring, Presences, RecordedCall
from hotline.ports import UnitOfWorkFactory
from hotline.triage.risk import level_label
from hotline.usecases.triage.close_guard import CloseGuard
from hotline.usecases.triage.files import FlaggedCallers
from hotline.usecases.triage.origin import ANONYMOUS
from hotline.usecases.triage.referrals import OPEN, Referrals

log = logging.getLogger(__name__)


class CallerFileView:
    def __init__(self, uow: UnitOfWorkFactory, keyring: Keyring, clock: Clock, presences: Presences,
                 queues: CallQueues, close_guard: CloseGuard, referrals: Referrals) -> None:
        self.uow, self.keyring, self.clock = uow, keyring, clock
        self.presences, self.queues, self.close_guard, self.referrals = presences, queues, close_guard, referrals

    def handling_caller(self, user_id: int) -> str | None:
        """The caller key of the call this counselor is handling (offered, on it, wrap-up)."""
        presence = self.presences.get(user_id)
        if presence is None:
            return None
        sid = presence.call if presence.state in ("offered", "on_call") else None
        if presence.state == "wrap_up":
            sid = self.close_guard.call_just_handled(user_id)
        if not sid:
            return None
        key = self.queues.call_state(sid).get("caller_key")
        if key:
            return key
        with self.uow() as uow:
            call = uow.calls.find(sid)
        return call.caller_key if call else None

    def may_view(self, user_id: int, supervisor: bool, caller_key: str) -> bool:
        if supervisor:
            return True
        return bool(caller_key) and caller_key != ANONYMOUS and self.handling_caller(user_id) == caller_key

    def open(self, user_id: int, supervisor: bool, caller_key: str, action: str = "file.view") -> bool:
        """May this user open the file? The opening, or the refusal, is recorded."""
        allowed = self.may_view(user_id, supervisor, caller_key)
        if not allowed:
            log.warning("拒绝访问来电者档案 / user %s refused a caller file", user_id)
        self._audit(user_id, caller_key, action if allowed else f"{action}.denied")
        return allowed

    def export(self, user_id: int, caller_key: str) -> dict:
        """A supervisor's export (the caller of this checks the role), recorded."""
        self._audit(user_id, caller_key, "file.export")
        return self.read(caller_key)

    def _audit(self, user_id: int, caller_key: str, action: str) -> None:
        with self.uow() as uow:
            uow.file_access.record(user_id, caller_key, action, self.clock.now())
            uow.commit()

    def read(self, caller_key: str) -> dict:
        """Everything recorded for one caller, decrypted for the (already authorised) reader."""
        with self.uow() as uow:
            found = uow.caller_files.get(caller_key)
            calls = uow.calls.for_caller(caller_key, limit=200)
            assessments = uow.assessments.for_caller(caller_key)
            referrals = uow.referrals.for_caller(caller_key)
            follow_ups = uow.follow_ups.for_caller(caller_key)
        callback = None
        if found is not None and found.callback_number_encrypted:
            callback = {"number": self.keyring.decrypt(found.callback_number_encrypted),
                        "consent_at": _iso(found.callback_consent_at)}
        return {"caller_key": caller_key,
                "flagged_level": found.flagged_level if found else None,
                "flagged_at": _iso(found.flagged_at) if found else None,
                "callback": callback,
                "created_at": _iso(found.created_at) if found else None,
                "calls": [_call(c) for c in calls],
                "assessments": [assessment_dict(self.keyring, a) for a in assessments],
                "referrals": [self.referrals.as_dict(r, with_note=True) for r in referrals],
                "follow_ups": [_follow_up(f) for f in follow_ups]}


class OfferContext:
    """hotline.ports.OfferContext: the offer's "flagged", "warning" and "history" fields.
    Each part degrades on its own (logged): the offer matters more than its history."""

    def __init__(self, flagged_callers: FlaggedCallers, uow: UnitOfWorkFactory) -> None:
        self.flagged_callers, self.uow = flagged_callers, uow

    def offer_context(self, caller_key: str, call_sid: str) -> dict:
        flagged = self.flagged_callers.is_flagged([caller_key])
        return {"flagged": flagged, "warning": self.warning(caller_key) if flagged else None,
                "history": self.history(caller_key, call_sid)}

    def warning(self, caller_key: str) -> str:
        """The text the counselor reads before answering a flagged caller (with the file's level)."""
        level = None
        try:
            with self.uow() as uow:
                found = uow.caller_files.get(caller_key)
            level = found.flagged_level if found else None
        except Exception as exc:   # the warning must show even without the database
            log.warning("档案标记等级不可用 / flag level unavailable: %s", type(exc).__name__)
        return warning_text(level)

    def history(self, caller_key: str, call_sid: str) -> dict:
        if not caller_key or caller_key == ANONYMOUS:
            return {"previous_contacts": 0, "last_contact_at": None}
        try:
            with self.uow() as uow:
                history = uow.calls.history(caller_key, call_sid)
        except Exception as exc:  # the offer matters more than its history
            log.warning("来电者档案摘要不可用 / caller history unavailable for call %s: %s", call_sid, exc)
            return {"previous_contacts": None, "last_contact_at": None}
        if not history.get("previous_contacts"):
            return history              # a first call: nothing else can be on file
        try:
            with self.uow() as uow:
                return history | file_summary(uow, caller_key, call_sid)
        except Exception as exc:
            log.warning("分诊档案摘要不可用 / triage file summary unavailable for call %s: %s",
                        call_sid, type(exc).__name__)
            return history | {"last_risk_level": None, "open_referrals": None}


def file_summary(uow, caller_key: str, exclude_sid: str | None = None) -> dict:
    """For the offer: the last risk level and the open referrals of this caller."""
    return {"last_risk_level": uow.assessments.last_level(caller_key, exclude_sid or ""),
            "open_referrals": uow.referrals.count(caller_key, OPEN)}


def warning_text(level: str | None) -> str:
    label = level_label(level) if level else "高 / high"
    zh, en = label.split(" / ")
    return (f"该来电者档案已标记（{zh}风险）：请优先评估安全，必要时启动紧急处置 / "
            f"this caller's file is flagged ({en} risk): assess safety first; start the emergency "
            f"procedure if needed")


def assessment_dict(keyring: Keyring, record: AssessmentRecord) -> dict:
    reason = keyring.decrypt(record.override_reason_encrypted) if record.override_reason_encrypted else None
    return {"id": record.id, "call_sid": record.call_sid, "counselor_id": record.counselor_id,
            "form_id": record.form_id, "form_version": record.form_version, "level": record.level,
            "rule_level": record.rule_level, "peak_level": record.peak_level, "reasons": record.reasons,
            "override_reason": reason, "needs_review": record.needs_review,
            "reviewed_by": record.reviewed_by, "reviewed_at": _iso(record.reviewed_at),
            "answers": decrypt_json(keyring, record.answers_encrypted),
            "created_at": _iso(record.created_at), "updated_at": _iso(record.updated_at)}


def decrypt_json(keyring: Keyring, token: str | None):
    return json.loads(keyring.decrypt(token)) if token else None


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _call(call: RecordedCall) -> dict:
    return {"call_sid": call.call_sid, "line_id": call.line_id, "status": call.status,
            "received_at": _iso(call.received_at), "answered_at": _iso(call.answered_at),
            "counselor_id": call.counselor_id, "talk_seconds": call.talk_seconds}


def _follow_up(record: FollowUpRecord) -> dict:
    return {"call_sid": record.call_sid, "level": record.level, "due_at": _iso(record.due_at),
            "status": record.status, "done_at": _iso(record.done_at), "done_by": record.done_by}
