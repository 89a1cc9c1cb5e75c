"""Triage for a live call: save an assessment, set off what its level requires, and say
whether the call record may be closed.

The level comes from hotline.triage.risk.assess with the form from config/triage/ — the
function `hotline triage assess` calls — so the console and the CLI cannot disagree.
Answers are encrypted before they reach the database and never logged. What a level
sets off (actions.py) happens once per call, at the most severe level the call reached,
even if the counselor lowers it later: lowering only ever adds a supervisor review.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hotline.store.triage import Assessment, EmergencyChecklist, FollowUp
from hotline.triage.actions import actions_for, can_close
from hotline.triage.risk import RiskAssessment, apply_override, assess, at_least, level_label, max_level
from hotline.usecases.triage import config as triage_config
from hotline.usecases.triage import files as triage_files

log = logging.getLogger(__name__)
CHECKLIST_ITEM = "emergency_checklist"

__all__ = ["assess", "CallFacts", "call_facts", "save_assessment", "close_blockers", "ready_blockers",
           "call_just_handled", "blocked_message", "TriageError"]


class TriageError(ValueError):
    """A request triage cannot carry out; the message is "zh / en" (HTTP 400/404)."""


@dataclass(frozen=True)
class CallFacts:
    call_sid: str
    caller_key: str
    caller_region: str | None
    line_id: str | None


def call_facts(services, call_sid: str) -> CallFacts:
    """Who called and where from: live Redis state first (the record may lag), then the record."""
    from hotline.store.calls import find

    state = services.queues.call_state(call_sid)
    with services.db.session() as session:
        call = find(session, call_sid)
        region = call.caller_region if call else None
        key = state.get("caller_key") or (call.caller_key if call else "")
        line = state.get("line") or (call.line_id if call else None)
    if not key and call is None:
        raise TriageError(f"找不到通话 {call_sid} / no such call")
    return CallFacts(call_sid, key or "anonymous", region, line)


# --- saving --------------------------------------------------------------------------

def evaluate(services, answers: Mapping[str, Any], form_id: str = "default", version: int | None = None,
             override: Mapping[str, Any] | None = None, by: int | None = None) -> RiskAssessment:
    """The rule's verdict (and the counselor's override, if any) — no side effects."""
    form = triage_config.get_form(services, form_id, version)
    result = assess(answers, form)
    wanted = (override or {}).get("level")
    if wanted and wanted != result.level:
        result = apply_override(result, wanted, (override or {}).get("reason"), by=str(by) if by else None,
                                at=services.now())
    return result


def save_assessment(services, counselor_id: int, call_sid: str, answers: Mapping[str, Any],
                    form_id: str = "default", version: int | None = None,
                    override: Mapping[str, Any] | None = None) -> tuple[RiskAssessment, Assessment]:
    """Assess, store (encrypted), then set off the level's one-time actions."""
    facts = call_facts(services, call_sid)
    result = evaluate(services, answers, form_id, version, override, counselor_id)
    form = triage_config.get_form(services, form_id, version)
    clean = form.normalize(answers)
    now = services.now()
    try:
        row = _store(services, facts, counselor_id, result, clean, override, now)
    except IntegrityError:   # two first saves of one call raced: the second updates
        row = _store(services, facts, counselor_id, result, clean, override, now)
    peak, done = row.peak_level, list(row.actions_done or [])
    newly = _set_off(services, facts, counselor_id, peak, done, now)
    if newly:
        with services.db.session() as session:
            stored = session.get(Assessment, row.id)
            stored.actions_done = sorted(set(stored.actions_done or []) | set(newly))
            row.actions_done = stored.actions_done
    log.info("分诊已保存 / triage saved: call %s level %s (rule %s) by counselor %s",
             call_sid, result.level, result.rule_level, counselor_id)
    return result, row


def _store(services, facts: CallFacts, counselor_id: int, result: RiskAssessment, clean: dict,
           override, now: datetime) -> Assessment:
    """One transaction: the assessment, its checklist, and the durable flag and follow-up."""
    with services.db.session() as session:
        row = _upsert(session, services, facts, counselor_id, result, clean, override, now)
        _save_checklist(session, services, facts.call_sid, clean.get(CHECKLIST_ITEM), counselor_id, now)
        if at_least(row.peak_level, "high"):
            _ensure_follow_up(session, facts, row.peak_level, now)
        if actions_for(row.peak_level).flag_caller_file and facts.caller_key != "anonymous":
            triage_files.flag_in_db(session, facts.caller_key, row.peak_level, facts.call_sid, now)
        return row


def _upsert(session, services, facts: CallFacts, counselor_id: int, result: RiskAssessment,
            clean: dict, override, now: datetime) -> Assessment:
    row = session.scalar(select(Assessment).where(Assessment.call_sid == facts.call_sid).with_for_update())
    if row is None:
        row = Assessment(call_sid=facts.call_sid, created_at=now, peak_level="none", actions_done=[])
        session.add(row)
    reason = result.override.reason if result.override else None
    row.caller_key, row.counselor_id = facts.caller_key, counselor_id
    row.form_id, row.form_version = result.form_id, result.form_version
    row.answers_encrypted = services.keyring.encrypt(json.dumps(clean, ensure_ascii=False))
    row.level, row.rule_level = result.level, result.rule_level
    row.peak_level = max_level(row.peak_level or "none", result.level, result.rule_level)
    row.reasons = [{"item": r.item, "level": r.level} for r in result.reasons]
    row.override_reason_encrypted = services.keyring.encrypt(reason) if reason else None
    if result.needs_review:
        row.needs_review, row.reviewed_by, row.reviewed_at = True, None, None
    elif not row.reviewed_at:
        row.needs_review = False
    row.updated_at = now
    session.flush()
    return row


def _save_checklist(session, services, call_sid: str, values, counselor_id: int, now: datetime) -> None:
    if not values:
        return
    from hotline.triage.actions import checklist_missing

    missing = {e.id for e in checklist_missing(values)}
    row = session.scalar(select(EmergencyChecklist).where(EmergencyChecklist.call_sid == call_sid))
    if row is None:
        row = EmergencyChecklist(call_sid=call_sid)
        session.add(row)
    row.done = {entry: entry not in missing for entry in values}
    row.values_encrypted = services.keyring.encrypt(json.dumps(values, ensure_ascii=False))
    row.updated_by, row.updated_at = counselor_id, now


def _ensure_follow_up(session, facts: CallFacts, level: str, now: datetime) -> None:
    row = session.scalar(select(FollowUp).where(FollowUp.call_sid == facts.call_sid))
    after = actions_for(level).follow_up_after
    if row is None and after is not None:
        session.add(FollowUp(call_sid=facts.call_sid, caller_key=facts.caller_key, level=level,
                             due_at=now + after, status="scheduled", created_at=now))
    elif row is not None and not at_least(row.level, level):
        row.level = level


# --- what a level sets off -----------------------------------------------------------

def _once(services, call_sid: str, action: str) -> bool:
    """True for the first process to claim this (call, action); Redis makes it atomic."""
    key = f"{services.keys.prefix}:triage:done:{call_sid}:{action}"
    return bool(services.redis.set(key, "1", nx=True, ex=7 * 24 * 3600))


def _set_off(services, facts: CallFacts, counselor_id: int, peak: str, done: list[str],
             now: datetime) -> list[str]:
    """Alerts, the flag in Redis and the follow-up job; each once. Failures are logged and
    retried on the next save (the database already holds the flag and the follow-up)."""
    actions = actions_for(peak)
    wanted = []
    if actions.supervisor_alert:
        wanted.append((f"alert:{peak}", lambda: _alert(services, facts, counselor_id, peak, now)))
    if actions.flag_caller_file and facts.caller_key != "anonymous":
        wanted.append(("flag", lambda: triage_files.flag_in_redis(services, facts.caller_key)))
    if actions.follow_up_after is not None:
        wanted.append(("follow_up", lambda: _schedule_follow_up(services, facts.call_sid, actions.follow_up_after)))
    newly = []
    for code, run in wanted:
        if code in done:
            continue
        try:
            if code == "flag" or _once(services, facts.call_sid, code):
                run()
            newly.append(code)
        except Exception:
            log.exception("分诊处置未完成 / triage action %s for call %s failed", code, facts.call_sid)
            _release(services, facts.call_sid, code)
    return newly


def _release(services, call_sid: str, action: str) -> None:
    try:
        services.redis.delete(f"{services.keys.prefix}:triage:done:{call_sid}:{action}")
    except Exception:
        pass


def _alert(services, facts: CallFacts, counselor_id: int, level: str, now: datetime) -> None:
    line = services.directory.get(facts.line_id or "")
    where = line.name if line else (facts.line_id or "—")
    zh, en = level_label(level).split(" / ")
    message = f"{zh}风险来电（{where}）/ {en} risk call ({facts.line_id or '—'})"
    services.alerts.raise_alert(kind="risk", level=level, at=now, call_sid=facts.call_sid,
                                counselor_id=counselor_id, line_id=facts.line_id, message=message)


def _schedule_follow_up(services, call_sid: str, after) -> None:
    from hotline.jobs.triage import schedule_follow_up

    job_id = schedule_follow_up(services, call_sid, after)
    with services.db.session() as session:
        row = session.scalar(select(FollowUp).where(FollowUp.call_sid == call_sid))
        if row is not None:
            row.job_id = job_id


# --- reading ---------------------------------------------------------------------------

def current(session, call_sid: str) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.call_sid == call_sid))


def decrypt_json(services, token: str | None):
    if not token:
        return None
    return json.loads(services.keyring.decrypt(token))


def checklist_values(services, session, call_sid: str) -> dict:
    row = session.scalar(select(EmergencyChecklist).where(EmergencyChecklist.call_sid == call_sid))
    return decrypt_json(services, row.values_encrypted) if row else {}


# --- closing the record ----------------------------------------------------------------

class _Level:
    """What can_close needs from an assessment: the actions of the stored level."""

    def __init__(self, level: str) -> None:
        self.actions = actions_for(level)


def close_blockers(services, call_sid: str) -> list[str]:
    """Why this call's record cannot be closed yet ("zh / en" each); [] = it may close.

    A call without an assessment has nothing to block. The stored (final) level decides:
    a lowered level is the counselor's reviewed judgement; its alerts already went out.
    """
    from hotline.usecases.triage.referrals import referrals_for_call

    with services.db.session() as session:
        row = current(session, call_sid)
        if row is None:
            return []
        referrals = [{"status": r.status} for r in referrals_for_call(session, call_sid)]
        checklist = checklist_values(services, session, call_sid) if actions_for(row.level).emergency_checklist else {}
        return can_close(_Level(row.level), referrals, checklist)


def call_just_handled(services, counselor_id: int) -> str | None:
    """The call a counselor in wrap-up has just finished: the latest answered call in the
    record, or a call they assessed after it (the record is written behind and may lag)."""
    from hotline.store.models import Call

    with services.db.session() as session:
        call = session.execute(select(Call.call_sid, Call.answered_at)
                               .where(Call.counselor_id == counselor_id, Call.answered_at.is_not(None))
                               .order_by(Call.answered_at.desc(), Call.id.desc()).limit(1)).first()
        assessed = session.execute(select(Assessment.call_sid, Assessment.updated_at)
                                   .where(Assessment.counselor_id == counselor_id)
                                   .order_by(Assessment.updated_at.desc()).limit(1)).first()
    if assessed and (call is None or assessed[1] >= call[1]):
        return assessed[0]
    return call[0] if call else None


def ready_blockers(services, counselor_id: int) -> list[str]:
    """Blockers of the call a counselor in wrap-up is about to close (ConsoleService.ready).

    Fails open (logged) when the database is unreachable: counselors must not be locked
    out of taking the next caller by an outage; the alerts and follow-ups already exist.
    """
    presence = services.presence.get(counselor_id)
    if presence is None or presence.state != "wrap_up":
        return []
    try:
        sid = call_just_handled(services, counselor_id)
        return close_blockers(services, sid) if sid else []
    except Exception as exc:
        log.error("无法检查结束条件 / cannot check close blockers for counselor %s: %s",
                  counselor_id, type(exc).__name__)
        return []


def blocked_message(blockers: list[str]) -> str:
    """One "zh / en" message (the console splits on the first " / ")."""
    zh = "；".join(b.partition(" / ")[0] for b in blockers)
    en = "; ".join(b.partition(" / ")[2] or b for b in blockers)
    return f"尚不能结束通话记录：{zh} / the call record cannot be closed yet: {en}"
