"""What each risk level sets off, as data, and whether a call record may be closed.

Kept as data (not scattered `if level == ...` in views and jobs) so the console, the
alerts, the scheduler and the CLI all read one table (issue 7). Levels are cumulative:
imminent also carries everything high does (the emergency services are its referral).
This module does not import the risk rule; the rule imports it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Iterable, Mapping


@dataclass(frozen=True)
class ChecklistEntry:
    """One step of the emergency checklist that must be recorded before closing."""

    id: str
    zh: str
    en: str


EMERGENCY_CHECKLIST: tuple[ChecklistEntry, ...] = (
    ChecklistEntry("keep_on_line", "保持来电者在线", "keep the caller on the line"),
    ChecklistEntry("location", "确认来电者所在位置", "caller's location obtained"),
    ChecklistEntry("emergency_contacted", "已联系 120/110", "120/110 contacted"),
    ChecklistEntry("called_by", "记录由谁拨打 120/110", "who made the emergency call"),
    ChecklistEntry("emergency_confirmed", "急救/警方确认已联系到来电者",
                   "emergency services confirmed contact with the caller"),
)
FOLLOW_UP_AFTER = timedelta(hours=24)
# Statuses that show the referral was actually put to the caller and the answer recorded.
# "declined" counts: a caller cannot be forced, and high risk still alerts and follows up.
REFERRAL_RECORDED = frozenset({"accepted", "contacted", "completed", "declined"})


@dataclass(frozen=True)
class LevelActions:
    """The consequences of one level.

    referral: "none", "suggested" or "required" (required blocks closing the record).
    priority: a later call from the same caller key goes first in the queue and its
    counselor is warned when the call is offered (goes with flag_caller_file).
    """

    level: str
    referral: str = "none"
    supervisor_alert: bool = False
    follow_up_after: timedelta | None = None
    sounding_alert: bool = False
    emergency_checklist: tuple[ChecklistEntry, ...] = ()
    flag_caller_file: bool = False
    priority: bool = False

    @property
    def referral_suggested(self) -> bool:
        return self.referral in ("suggested", "required")

    @property
    def referral_required(self) -> bool:
        return self.referral == "required"

    def to_list(self) -> list[dict[str, Any]]:
        """JSON form: one object per action, with a stable `action` code and zh/en text."""
        out = []
        if self.referral != "none":
            out.append(_action(f"referral_{self.referral}"))
        if self.supervisor_alert:
            out.append(_action("supervisor_alert"))
        if self.follow_up_after is not None:
            out.append(_follow_up(self.follow_up_after))
        if self.sounding_alert:
            out.append(_action("sounding_alert"))
        if self.emergency_checklist:
            out.append(_action("emergency_checklist", items=[e.id for e in self.emergency_checklist]))
        if self.flag_caller_file:
            out.append(_action("flag_caller_file"))
        if self.priority:
            out.append(_action("priority"))
        return out


_TEXT: Mapping[str, tuple[str, str]] = {
    "referral_suggested": ("建议转介", "suggest a referral"),
    "referral_required": ("结束通话记录前必须完成转介",
                          "a referral is required before the call record can be closed"),
    "supervisor_alert": ("立即提醒督导", "alert a supervisor now"),
    "sounding_alert": ("立即发出声音警报", "sound an alert now"),
    "emergency_checklist": ("完成紧急处置清单", "complete the emergency checklist"),
    "flag_caller_file": ("标记来电者档案", "flag the caller's file"),
    "priority": ("同一号码再次来电时优先排队，并在分配时提醒咨询师",
                 "a later call from this number goes first in the queue; warn its counselor"),
}


def _action(code: str, **extra: Any) -> dict[str, Any]:
    zh, en = _TEXT[code]
    return {"action": code, "zh": zh, "en": en, **extra}


def _follow_up(after: timedelta) -> dict[str, Any]:
    hours = after.total_seconds() / 3600
    shown = int(hours) if hours.is_integer() else round(hours, 2)
    return {"action": "follow_up", "zh": f"{shown} 小时后回访",
            "en": f"follow-up task {shown} h later", "after_hours": shown}


# High flags the caller file as imminent does (the design: a repeat high-risk caller goes
# first in the queue and the counselor is warned), not only imminent.
_HIGH = dict(referral="required", supervisor_alert=True, follow_up_after=FOLLOW_UP_AFTER,
             flag_caller_file=True, priority=True)
ACTIONS: Mapping[str, LevelActions] = {
    "none": LevelActions("none"),
    "low": LevelActions("low"),
    "moderate": LevelActions("moderate", referral="suggested"),
    "high": LevelActions("high", **_HIGH),
    "imminent": LevelActions("imminent", **_HIGH, sounding_alert=True,
                             emergency_checklist=EMERGENCY_CHECKLIST),
}


def actions_for(level: str) -> LevelActions:
    """The actions of one level; an unknown level is an error, never "no action"."""
    try:
        return ACTIONS[level]
    except KeyError:
        raise ValueError(f"未知风险等级 / unknown risk level: {level!r}") from None


def _status(referral: Any) -> str | None:
    """Referrals may be objects with `.status` or plain mappings (as the store returns)."""
    if isinstance(referral, Mapping):
        return referral.get("status")
    return getattr(referral, "status", None)


def checklist_missing(checklist: Mapping[str, Any] | None,
                      entries: Iterable[ChecklistEntry] = EMERGENCY_CHECKLIST) -> list[ChecklistEntry]:
    """Entries not yet recorded. Done = True or a non-blank text (e.g. "120", "caller hung up")."""
    checklist = checklist or {}
    def done(value: Any) -> bool:
        return value is True or (isinstance(value, str) and value.strip() != "")
    return [e for e in entries if not done(checklist.get(e.id))]


def blocked_message(blockers: Iterable[str]) -> str:
    """The one refusal text for these blockers ("zh / en" each) as one "zh / en" message:
    the console's Ready, the triage panel and the supervisors' lists all show this one."""
    blockers = list(blockers)
    zh = "；".join(b.partition(" / ")[0] for b in blockers)
    en = "; ".join(b.partition(" / ")[2] or b for b in blockers)
    return f"尚不能结束通话记录：{zh} / the call record cannot be closed yet: {en}"


def can_close(assessment: Any, referrals: Iterable[Any] = (),
              checklist: Mapping[str, Any] | None = None) -> list[str]:
    """Why the call record cannot be closed yet ("zh / en" strings); empty = may close.

    `assessment` needs `.actions` (a LevelActions), as RiskAssessment has.
    """
    actions: LevelActions = assessment.actions
    blockers = []
    if actions.referral_required and not any(_status(r) in REFERRAL_RECORDED for r in referrals):
        blockers.append("必须先记录转介（已接受、已联系、已完成或已拒绝）/ a referral must be "
                        "recorded first (accepted, contacted, completed or declined)")
    missing = checklist_missing(checklist, actions.emergency_checklist)
    if missing:
        blockers.append("紧急处置清单未完成：" + "、".join(e.zh for e in missing) +
                        " / emergency checklist incomplete: " + ", ".join(e.en for e in missing))
    return blockers
