"""Referrals (转介) of a call: suggestions for the caller's region, records, status changes.

The life cycle and the reminders are the pure core's (hotline.triage.referrals): rows are
turned into its Referral objects and back, so the console, the overdue page and the
tests all follow one set of transition rules. A note is free text: encrypted.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.usecases.triage import config as triage_config
from hotline.store.triage import Referral as ReferralRow
from hotline.triage import referrals as core
from hotline.usecases.triage.assessments import TriageError, call_facts

OPEN = tuple(s for s, nxt in core.TRANSITIONS.items() if nxt)
STATUS_LABELS = {"suggested": "已建议 / suggested", "accepted": "已接受 / accepted",
                 "contacted": "已联系 / contacted", "completed": "已完成 / completed",
                 "declined": "已拒绝 / declined"}


def referrals_for_call(session: Session, call_sid: str) -> list[ReferralRow]:
    query = select(ReferralRow).where(ReferralRow.call_sid == call_sid).order_by(ReferralRow.id)
    return list(session.scalars(query))


def suggestions(services, call_sid: str, at: datetime | None = None, limit: int = 6) -> list[dict]:
    """Institutions of the caller's region (and province-wide): open now first, then soonest."""
    facts = call_facts(services, call_sid)
    directory = triage_config.directory(services)
    region = triage_config.region_code(services, facts.caller_region)
    found = directory.suggest(region, at or services.now(), limit=limit)
    return [suggestion_dict(s) for s in found]


def suggestion_dict(s: core.Suggestion) -> dict:
    inst = s.institution
    return {**institution_dict(inst), "open_now": s.open_now, "local": s.local,
            "opens_at": s.opens_at.isoformat() if s.opens_at else None,
            "closes_at": s.closes_at.isoformat() if s.closes_at else None}


def institution_dict(inst: core.Institution) -> dict:
    return {"id": inst.id, "name": {"zh": inst.name.zh, "en": inst.name.en}, "type": inst.type,
            "region": inst.region, "phone": inst.phone, "phone_verified": inst.phone_verified,
            "hours": inst.hours, "notes": {"zh": inst.notes.zh, "en": inst.notes.en} if inst.notes else None}


def _institution(services, institution_id: str) -> core.Institution:
    for inst in triage_config.directory(services).institutions:
        if inst.id == institution_id:
            return inst
    raise TriageError(f"未知机构 {institution_id[:64]!r} / unknown institution")


def to_core(row: ReferralRow) -> core.Referral:
    history = tuple(core.StatusChange(h["status"], datetime.fromisoformat(h["at"]), h.get("by"))
                    for h in row.history or ())
    return core.Referral(str(row.id), row.institution_id, row.status, row.created_at,
                         row.next_follow_up_at, history)


def _apply(row: ReferralRow, referral: core.Referral, now: datetime) -> None:
    row.status, row.next_follow_up_at = referral.status, referral.follow_up_at
    row.history = [{"status": h.status, "at": h.at.isoformat(), "by": h.by} for h in referral.history]
    row.updated_at = now


def create(services, user_id: int, call_sid: str, institution_id: str, status: str = "suggested",
           note: str | None = None) -> ReferralRow:
    """Record a referral; a status past "suggested" is reached through the allowed steps."""
    facts = call_facts(services, call_sid)
    _institution(services, institution_id)
    now = services.now()
    referral = core.new_referral("new", institution_id, now, by=str(user_id))
    if status != "suggested":
        referral = _transition(referral, status, now, user_id)
    with services.db.session() as session:
        row = ReferralRow(call_sid=call_sid, caller_key=facts.caller_key, institution_id=institution_id,
                          created_by=user_id, created_at=now)
        _apply(row, referral, now)
        row.note_encrypted = services.keyring.encrypt(note) if note else None
        session.add(row)
        session.flush()
        return row


def _transition(referral: core.Referral, status: str, now: datetime, user_id: int) -> core.Referral:
    try:
        return core.transition(referral, status, now, by=str(user_id))
    except core.ReferralError as exc:
        raise TriageError(str(exc)) from None


def change_status(services, user_id: int, referral_id: int, status: str, note: str | None = None) -> ReferralRow:
    now = services.now()
    with services.db.session() as session:
        row = session.get(ReferralRow, referral_id, with_for_update=True)
        if row is None:
            raise LookupError(referral_id)
        _apply(row, _transition(to_core(row), status, now, user_id), now)
        if note:
            row.note_encrypted = services.keyring.encrypt(note)
        return row


def get(services, referral_id: int) -> ReferralRow | None:
    with services.db.session() as session:
        return session.get(ReferralRow, referral_id)


def overdue(services, now: datetime | None = None) -> list[ReferralRow]:
    """Open referrals whose follow-up reminder is due, most overdue first (core's order)."""
    now = now or services.now()
    with services.db.session() as session:
        rows = list(session.scalars(select(ReferralRow).where(ReferralRow.status.in_(OPEN),
                                                              ReferralRow.next_follow_up_at <= now)))
    by_id = {str(r.id): r for r in rows}
    return [by_id[r.id] for r in core.overdue([to_core(r) for r in rows], now)]


def referral_dict(services, row: ReferralRow, with_note: bool = False) -> dict:
    names = {i.id: i for i in triage_config.directory(services).institutions}
    inst = names.get(row.institution_id)
    out = {"id": row.id, "call_sid": row.call_sid, "institution_id": row.institution_id,
           "institution": {"zh": inst.name.zh, "en": inst.name.en} if inst else None,
           "phone": inst.phone if inst else None, "status": row.status,
           "status_label": STATUS_LABELS.get(row.status, row.status),
           "allowed": [s for s in core.STATUSES if s in core.TRANSITIONS.get(row.status, ())],
           "history": row.history, "created_by": row.created_by, "created_at": row.created_at.isoformat(),
           "next_follow_up_at": row.next_follow_up_at.isoformat() if row.next_follow_up_at else None}
    if with_note:
        out["note"] = services.keyring.decrypt(row.note_encrypted) if row.note_encrypted else None
    return out
