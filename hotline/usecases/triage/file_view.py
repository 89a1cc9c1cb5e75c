"""Reading a caller file: who may, what it shows, and the summary on a call's offer.

Counselors see the file of a caller they are handling right now (offered, on the call,
or in its wrap-up); supervisors see every file. The caller is never named: the file is
the pseudonymous key plus what was recorded, decrypted only for the reader.
"""
from __future__ import annotations

import logging

from sqlalchemy import func, select

from hotline.store.triage import Assessment, FollowUp, Referral
from hotline.triage.risk import level_label
from hotline.usecases.triage import files as triage_files
from hotline.usecases.triage.referrals import OPEN, referral_dict
from hotline.usecases.triage.assessments import call_just_handled, decrypt_json

log = logging.getLogger(__name__)


def handling_caller(services, user_id: int) -> str | None:
    """The caller key of the call this counselor is handling (offered, on it, wrap-up)."""
    presence = services.presence.get(user_id)
    if presence is None:
        return None
    sid = presence.call if presence.state in ("offered", "on_call") else None
    if presence.state == "wrap_up":
        sid = call_just_handled(services, user_id)
    if not sid:
        return None
    key = services.queues.call_state(sid).get("caller_key")
    if key:
        return key
    from hotline.store.calls import find

    with services.db.session() as session:
        call = find(session, sid)
        return call.caller_key if call else None


def may_view(services, user, caller_key: str) -> bool:
    if user.has_role("supervisor"):
        return True
    return bool(caller_key) and caller_key != "anonymous" and handling_caller(services, user.id) == caller_key


def summary(session, caller_key: str, exclude_sid: str | None = None) -> dict:
    """For the offer: the last risk level and the open referrals of this caller."""
    last = session.execute(select(Assessment.level).where(Assessment.caller_key == caller_key,
                                                          Assessment.call_sid != (exclude_sid or ""))
                           .order_by(Assessment.updated_at.desc()).limit(1)).scalar()
    open_count = session.scalar(select(func.count(Referral.id)).where(Referral.caller_key == caller_key,
                                                                      Referral.status.in_(OPEN)))
    return {"last_risk_level": last, "open_referrals": int(open_count or 0)}


def warning_text(level: str | None) -> str:
    label = level_label(level) if level else "高 / high"
    zh, en = label.split(" / ")
    return (f"该来电者档案已标记（{zh}风险）：请优先评估安全，必要时启动紧急处置 / "
            f"this caller's file is flagged ({en} risk): assess safety first; start the emergency "
            f"procedure if needed")


def file_dict(services, caller_key: str) -> dict:
    """Everything recorded for one caller, decrypted for the (already authorised) reader."""
    from hotline.store.models import Call

    with services.db.session() as session:
        found = triage_files.get_file(session, caller_key)
        calls = list(session.scalars(select(Call).where(Call.caller_key == caller_key)
                                     .order_by(Call.received_at.desc()).limit(200)))
        assessments = list(session.scalars(select(Assessment).where(Assessment.caller_key == caller_key)
                                           .order_by(Assessment.updated_at.desc())))
        referrals = list(session.scalars(select(Referral).where(Referral.caller_key == caller_key)
                                         .order_by(Referral.id.desc())))
        follow_ups = list(session.scalars(select(FollowUp).where(FollowUp.caller_key == caller_key)
                                          .order_by(FollowUp.due_at.desc())))
    return {"caller_key": caller_key,
            "flagged_level": found.flagged_level if found else None,
            "flagged_at": _iso(found.flagged_at) if found else None,
            "callback": _callback(services, found),
            "created_at": _iso(found.created_at) if found else None,
            "calls": [_call(c) for c in calls],
            "assessments": [_assessment(services, a) for a in assessments],
            "referrals": [referral_dict(services, r, with_note=True) for r in referrals],
            "follow_ups": [_follow_up(f) for f in follow_ups]}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _callback(services, found) -> dict | None:
    if found is None or not found.callback_number_encrypted:
        return None
    return {"number": services.keyring.decrypt(found.callback_number_encrypted),
            "consent_at": _iso(found.callback_consent_at)}


def _call(call) -> dict:
    return {"call_sid": call.call_sid, "line_id": call.line_id, "status": call.status,
            "received_at": _iso(call.received_at), "answered_at": _iso(call.answered_at),
            "counselor_id": call.counselor_id, "talk_seconds": call.talk_seconds}


def _assessment(services, row: Assessment) -> dict:
    reason = services.keyring.decrypt(row.override_reason_encrypted) if row.override_reason_encrypted else None
    return {"id": row.id, "call_sid": row.call_sid, "counselor_id": row.counselor_id,
            "form_id": row.form_id, "form_version": row.form_version, "level": row.level,
            "rule_level": row.rule_level, "peak_level": row.peak_level, "reasons": row.reasons,
            "override_reason": reason, "needs_review": row.needs_review,
            "reviewed_by": row.reviewed_by, "reviewed_at": _iso(row.reviewed_at),
            "answers": decrypt_json(services, row.answers_encrypted),
            "created_at": _iso(row.created_at), "updated_at": _iso(row.updated_at)}


def _follow_up(row: FollowUp) -> dict:
    return {"call_sid": row.call_sid, "level": row.level, "due_at": _iso(row.due_at), "status": row.status,
            "done_at": _iso(row.done_at), "done_by": row.done_by}
