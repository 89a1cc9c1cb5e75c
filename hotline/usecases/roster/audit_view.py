"""The roster audit as people read it: words for what was done ("生成排班 / roster generated",
not `roster.generate`), names for who and for which line, times in the center's zone, and
the before/after states as short descriptions rather than JSON.

The stored entries keep their codes and ids (they are the record); only the page is
translated. An action or field this module does not know is shown as stored, so a new
kind of change is never hidden.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

from hotline.ports import AuditEntry
from hotline.usecases.roster.swap_rules import STATUS_ZH

ACTIONS: Mapping[str, tuple[str, str]] = {
    "roster.generate": ("生成排班", "roster generated"),
    "leave.create": ("登记请假", "leave recorded"),
    "leave.delete": ("删除请假", "leave removed"),
    "shift.add": ("添加班次", "shift added"),
    "shift.remove": ("删除班次", "shift removed"),
    "shift.reassign": ("改派班次", "shift reassigned"),
    "slot.create": ("新建时段", "slot created"),
    "slot.activate": ("启用时段", "slot turned on"),
    "slot.deactivate": ("停用时段", "slot turned off"),
    "pattern.create": ("新建轮值模式", "rotation pattern created"),
    "pattern.activate": ("启用轮值模式", "rotation pattern turned on"),
    "pattern.deactivate": ("停用轮值模式", "rotation pattern turned off"),
    "feed.regenerate": ("更新日历订阅链接", "calendar feed link renewed"),
    "feed.revoke": ("停用日历订阅链接", "calendar feed link revoked"),
}
SWAP_WORDS = {"swap": ("换班", "swap"), "cover": ("代班", "cover")}
SWAP_STEPS = {"propose": ("申请", "requested"), "accept": ("对方同意", "accepted"),
              "decline": ("对方拒绝", "declined"), "reject": ("督导驳回", "rejected"),
              "approve": ("督导批准", "approved"), "cancel": ("取消", "cancelled")}
TARGETS = {"shift": ("班次", "shift"), "leave": ("请假", "leave"), "slot": ("时段", "slot"),
           "pattern": ("轮值模式", "pattern"), "swap": ("申请", "request")}
FIELDS: Mapping[str, tuple[str, str]] = {
    "counselor_id": ("咨询师", "counselor"), "requester_id": ("申请人", "requester"),
    "target_id": ("对方", "other counselor"), "line_id": ("线路", "line"), "slot": ("时段", "slot"),
    "start": ("开始", "start"), "end": ("结束", "end"), "source": ("来源", "source"),
    "reason": ("原因", "reason"), "status": ("状态", "status"), "kind": ("类型", "kind"),
    "shift_id": ("班次", "shift"), "other_shift_id": ("对方班次", "other shift"),
    "shift": ("班次", "shift"), "other": ("对方班次", "other shift"),
    "deleted": ("删除班次", "shifts deleted"), "cancelled_swaps": ("取消的申请", "requests cancelled"),
    "created": ("新建班次", "shifts created"), "unfilled": ("未排满席位", "seats unfilled"),
    "violations": ("违反规则", "rule breaks"), "override": ("越规批准", "overridden"),
    "code": ("编号", "code"), "seats": ("席位", "seats"), "label_zh": ("名称", "name"),
    "name": ("名称", "name"), "cycle": ("周期（天）", "cycle (days)"), "assignees": ("轮值人员", "assignees"),
    "days": ("日期", "days"), "on_holiday": ("节假日", "on holidays"), "advance_on": ("轮换于", "advances on"),
    "active": ("启用", "on"),
}
HIDDEN_FIELDS = frozenset({"id", "label_en"})   # the id is in the target; the English label beside the name
PEOPLE_FIELDS = frozenset({"counselor_id", "requester_id", "target_id"})
SOURCES = {"generated": "自动生成 / generated", "manual": "手工 / by hand", "swap": "换班 / swap",
           "cover": "代班 / cover"}
YES_NO = {True: "是 / yes", False: "否 / no"}


@dataclass(frozen=True)
class AuditRow:
    when: str                    # "2026-11-23 09:05:00" in the center's zone
    who: str
    what: str                    # words, zh / en
    code: str                    # the stored action code (a title for whoever needs it)
    target: str
    before: tuple[str, ...]      # "label / en：value" lines
    after: tuple[str, ...]
    note: str


def people_in(entries: Iterable[AuditEntry]) -> set[int]:
    """Every user id an entry names (the actor, the counselors in its states, a user target)."""
    ids: set[int] = set()
    for entry in entries:
        if entry.actor_id:
            ids.add(entry.actor_id)
        kind, _, rest = entry.target.partition(":")
        if kind == "user" and rest.isdigit():
            ids.add(int(rest))
        for state in (entry.before, entry.after):
            ids |= _people_of(state)
    return ids


def _people_of(state) -> set[int]:
    if not isinstance(state, dict):
        return set()
    found = {v for k, v in state.items() if k in PEOPLE_FIELDS and isinstance(v, int)}
    for value in state.values():
        found |= _people_of(value)
    return found


def audit_rows(entries: Iterable[AuditEntry], names: Mapping[int, str], line_name: Callable[[str], str],
               zone: ZoneInfo) -> list[AuditRow]:
    describe = _Describer(names, line_name, zone)
    return [AuditRow(when=entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                     who=describe.person(entry.actor_id) if entry.actor_id else "系统 / system",
                     what=action_words(entry.action), code=entry.action, target=describe.target(entry.target),
                     before=describe.state(entry.before), after=describe.state(entry.after), note=entry.note or "")
            for entry in entries]


def action_words(code: str) -> str:
    if code in ACTIONS:
        return " / ".join(ACTIONS[code])
    kind, _, step = code.partition(".")
    if kind in SWAP_WORDS and step in SWAP_STEPS:
        (kind_zh, kind_en), (step_zh, step_en) = SWAP_WORDS[kind], SWAP_STEPS[step]
        return f"{kind_zh}{step_zh} / {kind_en} {step_en}"
    return code


class _Describer:
    def __init__(self, names: Mapping[int, str], line_name: Callable[[str], str], zone: ZoneInfo) -> None:
        self.names = names
        self.line_name = line_name
        self.zone = zone

    def person(self, user_id) -> str:
        return self.names.get(user_id) or f"#{user_id}"

    def target(self, target: str) -> str:
        kind, sep, rest = target.partition(":")
        if sep and kind == "user" and rest.isdigit():
            return self.person(int(rest))
        if sep and kind in TARGETS:
            zh, en = TARGETS[kind]
            mark = f"#{rest}" if rest.isdigit() else rest
            return f"{zh} {mark} / {en} {mark}"
        first, dots, last = target.partition("..")
        if dots:
            return f"{first} 至 {last} / {first} to {last}"
        return target

    def state(self, state) -> tuple[str, ...]:
        if not isinstance(state, dict):
            return () if state is None else (str(state),)
        return tuple(f"{self.label(key)}：{self.value(key, value)}" for key, value in state.items()
                     if key not in HIDDEN_FIELDS and not (key == "name" and "counselor_id" in state))

    @staticmethod
    def label(key: str) -> str:
        return " / ".join(FIELDS[key]) if key in FIELDS else key

    def value(self, key: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if key in PEOPLE_FIELDS:
            return self.person(value)
        if key == "line_id":
            return self.line_name(value)
        if key in ("shift_id", "other_shift_id"):
            return f"#{value}"
        if key == "source":
            return SOURCES.get(value, value)
        if key == "status":
            return STATUS_ZH.get(value, value)
        if key == "kind" and value in SWAP_WORDS:
            return " / ".join(SWAP_WORDS[value])
        if isinstance(value, bool):
            return YES_NO[value]
        if isinstance(value, dict):
            return "；".join(self.state(value))
        if isinstance(value, (list, tuple)):
            return "、".join(self.value(key, item) for item in value) if key != "violations" else str(len(value))
        if isinstance(value, str):
            return self.instant(value)
        return str(value)

    def instant(self, text: str) -> str:
        """An ISO instant becomes local "2026-11-23 09:00"; a date or a clock time stays as written."""
        if len(text) <= 10 or "T" not in text:
            return text
        try:
            at = datetime.fromisoformat(text)
        except ValueError:
            return text
        if at.tzinfo is None:
            return text
        return at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

