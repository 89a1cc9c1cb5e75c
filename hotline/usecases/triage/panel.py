"""Everything the console's triage panel shows for one call: the saved assessment
(decrypted for its counselor), the referrals, suggestions for the caller's region, and
what still blocks closing the record."""
from __future__ import annotations

from hotline.ports import Keyring, UnitOfWorkFactory
from hotline.triage.actions import blocked_message
from hotline.usecases.triage.close_guard import CloseGuard
from hotline.usecases.triage.emergency_log import LOG_KEY
from hotline.usecases.triage.file_view import decrypt_json
from hotline.usecases.triage.origin import CallOrigins
from hotline.usecases.triage.referrals import Referrals


class TriagePanel:
    def __init__(self, uow: UnitOfWorkFactory, keyring: Keyring, origins: CallOrigins, referrals: Referrals,
                 close_guard: CloseGuard) -> None:
        self.uow, self.keyring, self.origins = uow, keyring, origins
        self.referrals, self.close_guard = referrals, close_guard

    def view(self, call_sid: str) -> dict:
        """The panel's JSON; a token no configured key opens raises DataKeyError."""
        with self.uow() as uow:
            found = uow.assessments.get(call_sid)
            referrals = [self.referrals.as_dict(r) for r in uow.referrals.for_call(call_sid)]
            checklist = uow.checklists.get(call_sid)
        assessment = None
        if found is not None:
            reason = self.keyring.decrypt(found.override_reason_encrypted) if found.override_reason_encrypted else None
            assessment = {"form_id": found.form_id, "form_version": found.form_version,
                          "answers": decrypt_json(self.keyring, found.answers_encrypted),
                          "level": found.level, "rule_level": found.rule_level, "peak_level": found.peak_level,
                          "override_reason": reason, "needs_review": found.needs_review,
                          "updated_at": found.updated_at.isoformat()}
        blockers = self.close_guard.close_blockers(call_sid)
        origin = self.origins.of(call_sid)
        logged = decrypt_json(self.keyring, checklist.values_encrypted) if checklist else {}
        return {"call_sid": call_sid, "caller_key": origin.caller_key if origin.has_file else None,
                # the stored emergency checklist: the counselor's steps, the steps the telephony
                # prefilled, and its log of third parties (who, when, outcome)
                "checklist": {k: v for k, v in (logged or {}).items() if k != LOG_KEY},
                "third_parties": (logged or {}).get(LOG_KEY, []),
                "assessment": assessment, "referrals": referrals,
                "suggestions": self.referrals.suggestions(call_sid), "blockers": blockers,
                "blocked_message": blocked_message(blockers) if blockers else None}
