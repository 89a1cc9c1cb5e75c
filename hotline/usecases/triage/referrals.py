"""Referrals (转介) of a call: suggestions for the caller's region, records, status changes.

The life cycle and the reminders are the pure core's (hotline.triage.referrals): records
are turned into its Referral objects and back, so the console, the overdue page and the
tests all follow one set of transition rules. A note is free text: encrypted.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from hotline.ports import Clock, Keyring, ReferralRecord, UnitOfWorkFactory
from hotline.triage import referrals as core
from hotline.usecases.triage.config import TriageConfig
from hotline.usecases.triage.errors import TriageError
from hotline.usecases.triage.origin import CallOrigins

DECLINE_NEEDS_REASON = ("拒绝转介须写明原因（来电者为何不接受）/ a declined referral needs a reason: write "
                        "why the caller did not accept it in the note")
# What each status means, said where it is shown (the console's referral list).
STATUS_HELP = {
    "suggested": "仅向来电者提出，尚未同意：不解除结束限制 / only put to the caller, not agreed: does not release "
                 "the record",
    "accepted": "来电者同意转介，已安排回访 / the caller agreed; a follow-up is scheduled",
    "contacted": "已与机构或来电者联系，已安排回访 / the institution or the caller was contacted; follow-up scheduled",
    "completed": "转介已完成 / the hand-over is done",
    "declined": "来电者拒绝（已写明原因），交督导复核 / the caller declined (reason recorded); goes to "
                "supervisor review",
}
OPEN = tuple(s for s, nxt in core.TRANSITIONS.items() if nxt)
STATUS_LABELS = {"suggested": "已建议 / suggested", "accepted": "已接受 / accepted",
                 "contacted": "已联系 / contacted", "completed": "已完成 / completed",
                 "declined": "已拒绝 / declined"}


class Referrals:
    def __init__(self, uow: UnitOfWorkFactory, config: TriageConfig, origins: CallOrigins, keyring: Keyring,
                 clock: Clock) -> None:
        self.uow, self.config, self.origins, self.keyring, self.clock = uow, config, origins, keyring, clock

    def suggestions(self, call_sid: str, at: datetime | None = None, limit: int = 6) -> list[dict]:
        """Institutions of the caller's region (and province-wide): open now first, then soonest."""
        origin = self.origins.of(call_sid)
        region = self.config.region_code(origin.caller_region)
        found = self.config.directory().suggest(region, at or self.clock.now(), limit=limit)
        return [suggestion_dict(s) for s in found]

    def dialable(self) -> list[dict]:
        """The directory's institutions a counselor may dial into a call (verified numbers
        only, in the directory's order): the console's bring-in choices."""
        return [institution_dict(inst) for inst in self.config.directory().institutions if inst.dialable]

    def dial_number(self, institution_id: str) -> str | None:
        """The number to dial for `ref:<institution id>`; None when unknown or unverified."""
        for inst in self.config.directory().institutions:
            if inst.id == institution_id and inst.dialable:
                return inst.phone
        return None

    def create(self, user_id: int, call_sid: str, institution_id: str, status: str = "suggested",
               note: str | None = None) -> ReferralRecord:
        """Record a referral; a status past "suggested" is reached through the allowed steps.
        Declined needs a reason (the note) and puts the call's assessment up for supervisor review."""
        _reason_given(status, note)
        origin = self.origins.of(call_sid)
        self._institution(institution_id)
        now = self.clock.now()
        referral = core.new_referral("new", institution_id, now, by=str(user_id))
        if status != "suggested":
            referral = _transition(referral, status, now, user_id)
        record = ReferralRecord(call_sid, origin.caller_key, institution_id, referral.status, [], created_by=user_id,
                                created_at=now, updated_at=now,
                                note_encrypted=self.keyring.encrypt(note) if note else None)
        with self.uow() as uow:
            saved = uow.referrals.save(_applied(record, referral, now))
            if saved.status == "declined":
                _to_review(uow, call_sid)
            uow.commit()
        return saved

    def change_status(self, user_id: int, referral_id: int, status: str, note: str | None = None) -> ReferralRecord:
        _reason_given(status, note)
        now = self.clock.now()
        with self.uow() as uow:
            found = uow.referrals.get(referral_id, for_update=True)
            if found is None:
                raise LookupError(referral_id)
            changed = _applied(found, _transition(to_core(found), status, now, user_id), now)
            if note:
                changed = replace(changed, note_encrypted=self.keyring.encrypt(note))
            saved = uow.referrals.save(changed)
            if saved.status == "declined":
                _to_review(uow, saved.call_sid)
            uow.commit()
        return saved

    def get(self, referral_id: int) -> ReferralRecord | None:
        with self.uow() as uow:
            return uow.referrals.get(referral_id)

    def overdue(self, now: datetime | None = None) -> list[ReferralRecord]:
        """Open referrals whose follow-up reminder is due, most overdue first (core's order)."""
        now = now or self.clock.now()
        with self.uow() as uow:
            found = uow.referrals.due(OPEN, now)
        by_id = {str(r.id): r for r in found}
        return [by_id[r.id] for r in core.overdue([to_core(r) for r in found], now)]

    def as_dict(self, record: ReferralRecord, with_note: bool = False) -> dict:
        names = {i.id: i for i in self.config.directory().institutions}
        inst = names.get(record.institution_id)
        out = {"id": record.id, "call_sid": record.call_sid, "institution_id": record.institution_id,
               "institution": {"zh": inst.name.zh, "en": inst.name.en} if inst else None,
               "phone": inst.phone if inst else None, "status": record.status,
               "status_label": STATUS_LABELS.get(record.status, record.status),
               "status_help": STATUS_HELP.get(record.status, ""),
               "allowed": [s for s in core.STATUSES if s in core.TRANSITIONS.get(record.status, ())],
               "history": record.history, "created_by": record.created_by,
               "created_at": record.created_at.isoformat(),
               "next_follow_up_at": record.next_follow_up_at.isoformat() if record.next_follow_up_at else None}
        if with_note:
            out["note"] = self.keyring.decrypt(record.note_encrypted) if record.note_encrypted else None
        return out

    def _institution(self, institution_id: str) -> core.Institution:
        for inst in self.config.directory().institutions:
            if inst.id == institution_id:
                return inst
        raise TriageError(f"未知机构 {institution_id[:64]!r} / unknown institution")


def _reason_given(status: str, note: str | None) -> None:
    if status == "declined" and not (note or "").strip():
        raise TriageError(DECLINE_NEEDS_REASON)


def _to_review(uow, call_sid: str) -> None:
    """A caller who declined a referral goes to supervisor review (the /triage review list)."""
    found = uow.assessments.get(call_sid, for_update=True)
    if found is not None and not found.needs_review:
        uow.assessments.save(replace(found, needs_review=True, reviewed_by=None, reviewed_at=None))


def suggestion_dict(s: core.Suggestion) -> dict:
    return {**institution_dict(s.institution), "open_now": s.open_now, "local": s.local,
            "opens_at": s.opens_at.isoformat() if s.opens_at else None,
            "closes_at": s.closes_at.isoformat() if s.closes_at else None}


def institution_dict(inst: core.Institution) -> dict:
    return {"id": inst.id, "name": {"zh": inst.name.zh, "en": inst.name.en}, "type": inst.type,
            "region": inst.region, "phone": inst.phone, "phone_verified": inst.phone_verified,
            "hours": inst.hours, "notes": {"zh": inst.notes.zh, "en": inst.notes.en} if inst.notes else None}


def to_core(record: ReferralRecord) -> core.Referral:
    history = tuple(core.StatusChange(h["status"], datetime.fromisoformat(h["at"]), h.get("by"))
                    for h in record.history or ())
    return core.Referral(str(record.id), record.institution_id, record.status, record.created_at,
                         record.next_follow_up_at, history)


def _applied(record: ReferralRecord, referral: core.Referral, now: datetime) -> ReferralRecord:
    return replace(record, status=referral.status, next_follow_up_at=referral.follow_up_at, updated_at=now,
                   history=[{"status": h.status, "at": h.at.isoformat(), "by": h.by} for h in referral.history])


def _transition(referral: core.Referral, status: str, now: datetime, user_id: int) -> core.Referral:
    try:
        return core.transition(referral, status, now, by=str(user_id))
    except core.ReferralError as exc:
        raise TriageError(str(exc)) from None
