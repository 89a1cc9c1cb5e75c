"""Triage for a live call: judge the answers, save the assessment, set off what its level
requires.

The level comes from hotline.triage.risk.assess with the form from config/triage/ — the
function `hotline triage assess` calls — so the console and the CLI cannot disagree.
Answers are encrypted before they reach the database and never logged. What a level
sets off (risk_actions.py) happens once per call, at the most severe level the call
reached, even if the counselor lowers it later: lowering only ever adds a supervisor review.
"""
from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime
from typing import Any, Mapping

from hotline.ports import AssessmentRecord, Clock, FollowUpRecord, Keyring, StoreConflict
from hotline.ports import UnitOfWorkFactory
from hotline.triage.actions import actions_for
from hotline.triage.risk import RiskAssessment, apply_override, assess, at_least, max_level
from hotline.usecases.triage.config import TriageConfig
from hotline.usecases.triage.emergency_log import merged_with_log
from hotline.usecases.triage.emergency_log import record as checklist_record
from hotline.usecases.triage.files import flag_file
from hotline.usecases.triage.origin import CallOrigin, CallOrigins
from hotline.usecases.triage.risk_actions import RiskActions

log = logging.getLogger(__name__)
CHECKLIST_ITEM = "emergency_checklist"
__all__ = ["assess", "Assessments", "updated_assessment"]


class Assessments:
    def __init__(self, config: TriageConfig, origins: CallOrigins, uow: UnitOfWorkFactory, keyring: Keyring,
                 clock: Clock, actions: RiskActions) -> None:
        self.config, self.origins, self.uow, self.keyring = config, origins, uow, keyring
        self.clock, self.actions = clock, actions

    def evaluate(self, answers: Mapping[str, Any], form_id: str = "default", version: int | None = None,
                 override: Mapping[str, Any] | None = None, by: int | None = None) -> RiskAssessment:
        """The rule's verdict (and the counselor's override, if any) — no side effects."""
        result = assess(answers, self.config.get_form(form_id, version))
        wanted = (override or {}).get("level")
        if wanted and wanted != result.level:
            result = apply_override(result, wanted, (override or {}).get("reason"), by=str(by) if by else None,
                                    at=self.clock.now())
        return result

    def save(self, counselor_id: int, call_sid: str, answers: Mapping[str, Any], form_id: str = "default",
             version: int | None = None, override: Mapping[str, Any] | None = None
             ) -> tuple[RiskAssessment, AssessmentRecord]:
        """Assess, store (encrypted), then set off the level's one-time actions."""
        origin = self.origins.of(call_sid)
        result = self.evaluate(answers, form_id, version, override, counselor_id)
        clean = self.config.get_form(form_id, version).normalize(answers)
        now = self.clock.now()
        try:
            record = self._store(origin, counselor_id, result, clean, now)
        except StoreConflict:   # two first saves of one call raced: the second updates
            record = self._store(origin, counselor_id, result, clean, now)
        newly = self.actions.set_off(origin, counselor_id, record.peak_level, list(record.actions_done or []), now)
        if newly:
            with self.uow() as uow:
                done = uow.assessments.add_actions(record.id, newly)
                uow.commit()
            record = replace(record, actions_done=done)
        log.info("分诊已保存 / triage saved: call %s level %s (rule %s) by counselor %s",
                 call_sid, result.level, result.rule_level, counselor_id)
        return result, record

    def _store(self, origin: CallOrigin, counselor_id: int, result: RiskAssessment, clean: dict,
               now: datetime) -> AssessmentRecord:
        """One transaction: the assessment, its checklist, and the durable flag and follow-up."""
        reason = result.override.reason if result.override else None
        with self.uow() as uow:
            record = updated_assessment(uow.assessments.get(origin.call_sid, for_update=True), origin,
                                        counselor_id, result, now,
                                        answers=self.keyring.encrypt(json.dumps(clean, ensure_ascii=False)),
                                        reason=self.keyring.encrypt(reason) if reason else None)
            record = uow.assessments.save(record)
            self._save_checklist(uow, origin.call_sid, clean.get(CHECKLIST_ITEM), counselor_id, now)
            if at_least(record.peak_level, "high"):
                _ensure_follow_up(uow, origin, record.peak_level, now)
            if actions_for(record.peak_level).flag_caller_file and origin.has_file:
                flag_file(uow, origin.caller_key, record.peak_level, origin.call_sid, now)
            uow.commit()
        return record

    def _save_checklist(self, uow, call_sid: str, values, counselor_id: int, now: datetime) -> None:
        """The form's checklist, keeping what the telephony logged (emergency_log.py)."""
        if not values:
            return
        stored = uow.checklists.get(call_sid)
        logged = json.loads(self.keyring.decrypt(stored.values_encrypted)) if stored else {}
        uow.checklists.save(checklist_record(self.keyring, call_sid, merged_with_log(values, logged),
                                             counselor_id, now))


def updated_assessment(existing: AssessmentRecord | None, origin: CallOrigin, counselor_id: int,
                       result: RiskAssessment, now: datetime, answers: str, reason: str | None
                       ) -> AssessmentRecord:
    """The call's assessment after this save (`answers`, `reason`: tokens). The peak only
    ever rises; an override that needs review reopens the review, anything else keeps a
    review already done."""
    base = existing or AssessmentRecord(origin.call_sid, origin.caller_key, counselor_id, result.form_id,
                                        result.form_version, answers, result.level, result.rule_level,
                                        peak_level="none", reasons=[], created_at=now, updated_at=now)
    review = {}
    if result.needs_review:
        review = dict(needs_review=True, reviewed_by=None, reviewed_at=None)
    elif not base.reviewed_at:
        review = dict(needs_review=False)
    return replace(base, caller_key=origin.caller_key, counselor_id=counselor_id, form_id=result.form_id,
                   form_version=result.form_version, answers_encrypted=answers, level=result.level,
                   rule_level=result.rule_level,
                   peak_level=max_level(base.peak_level or "none", result.level, result.rule_level),
                   reasons=[{"item": r.item, "level": r.level} for r in result.reasons],
                   override_reason_encrypted=reason, updated_at=now, **review)


def _ensure_follow_up(uow, origin: CallOrigin, level: str, now: datetime) -> None:
    """The durable follow-up task of a high call: created once, its level raised, never lowered."""
    found = uow.follow_ups.get(origin.call_sid)
    after = actions_for(level).follow_up_after
    if found is None and after is not None:
        uow.follow_ups.save(FollowUpRecord(origin.call_sid, origin.caller_key, level, due_at=now + after,
                                           created_at=now))
    elif found is not None and not at_least(found.level, level):
        uow.follow_ups.save(replace(found, level=level))
