"""The emergency checklist of a call, written from the telephony: who was brought in
(120 / 110 / 119 or a referral institution), when, and the outcome (hotline.ports.EmergencyLog).

The log is kept in the checklist's encrypted values under `third_parties`, beside the
counselor's entries, so the close guard and the panel read one record. An answered
emergency service fills the blank entries "120/110 contacted" and "who made the emergency
call"; a call nobody answered is logged but never ticks a step: the counselor must still
reach the emergency services. What the counselor wrote is never overwritten.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from hotline.ports import ChecklistRecord, Keyring, ThirdPartyCall, UnitOfWorkFactory
from hotline.triage.actions import EMERGENCY_CHECKLIST, checklist_missing

LOG_KEY = "third_parties"
EMERGENCY_NUMBERS = ("120", "110", "119")
OUTCOME_LABELS = {"answered": "已接通 / answered", "no-answer": "无人接听 / no answer", "busy": "占线 / busy",
                  "failed": "失败 / failed", "canceled": "已取消 / canceled", "left": "已离开 / left"}


class EmergencyCalls:
    def __init__(self, uow: UnitOfWorkFactory, keyring: Keyring) -> None:
        self.uow, self.keyring = uow, keyring

    def third_party(self, call_sid: str, call: ThirdPartyCall) -> None:
        """Log (or update) one third party; the same outcome twice changes nothing."""
        with self.uow() as uow:
            stored = uow.checklists.get(call_sid)
            values = json.loads(self.keyring.decrypt(stored.values_encrypted)) if stored else {}
            log = logged(values, call)
            if log == values.get(LOG_KEY):
                return
            values = prefilled({**values, LOG_KEY: log})
            uow.checklists.save(record(self.keyring, call_sid, values, call.by or (stored.updated_by if stored else 0),
                                       call.at))
            uow.commit()


def logged(values: Mapping[str, Any], call: ThirdPartyCall) -> list[dict]:
    """The log with this call's entry added or brought up to date (by label)."""
    entries = [dict(e) for e in values.get(LOG_KEY) or []]
    entry = next((e for e in entries if e.get("label") == call.label and e.get("dialled_at") == call.dialled_at.isoformat()),
                 None)
    if entry is None:
        entry = {"label": call.label, "target": call.target, "by": call.by, "dialled_at": call.dialled_at.isoformat()}
        entries.append(entry)
    if call.outcome == "left":
        entry.setdefault("left_at", call.at.isoformat())
    elif "outcome" not in entry:   # the first final word stands (a retried or late callback)
        entry.update(outcome=call.outcome, outcome_at=call.at.isoformat())
    return entries


def prefilled(values: Mapping[str, Any]) -> dict:
    """Blank checklist steps filled from an answered emergency service of the log."""
    out = dict(values)
    answered = [e for e in out.get(LOG_KEY) or []
                if e.get("target") in EMERGENCY_NUMBERS and e.get("outcome") == "answered"]
    if not answered:
        return out
    first = answered[0]
    at = first["outcome_at"][11:16]
    if not _filled(out.get("emergency_contacted")):
        out["emergency_contacted"] = f"{first['target']} 已接通 {at} / answered {at}（会议接入 / via the conference）"
    if not _filled(out.get("called_by")):
        out["called_by"] = f"咨询师 #{first['by']} 经会议拨打 / counselor #{first['by']} dialled via the conference"
    return out


def merged_with_log(form_values: Mapping[str, Any] | None, stored: Mapping[str, Any]) -> dict:
    """A checklist saved from the form keeps the telephony's log and its prefilled steps
    (the form may have been drawn before an outcome arrived)."""
    values = dict(form_values or {})
    if stored.get(LOG_KEY):
        values[LOG_KEY] = stored[LOG_KEY]
    return prefilled(values)


def record(keyring: Keyring, call_sid: str, values: Mapping[str, Any], by: int, at) -> ChecklistRecord:
    entries = {k: v for k, v in values.items() if k != LOG_KEY}
    missing = {e.id for e in checklist_missing(entries)}
    done = {entry.id: entry.id not in missing for entry in EMERGENCY_CHECKLIST if entry.id in entries}
    return ChecklistRecord(call_sid, done=done, values_encrypted=keyring.encrypt(json.dumps(values, ensure_ascii=False)),
                           updated_by=by, updated_at=at)


def _filled(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip() != "")
