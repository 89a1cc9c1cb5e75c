"""The triage risk rule: answers in, a level with its reasons and actions out.

The rule is pure and deterministic so that the console, the CLI and any later re-check
give the same level for the same answers (issue 7). It follows the C-SSRS screener
triage: each answer implies a level, the highest level wins, and nothing (protective
factors included) ever lowers it. Only a counselor's written override can lower a level,
and that puts the assessment up for supervisor review.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Mapping

from hotline.triage import actions as _actions

if TYPE_CHECKING:  # forms imports this module; avoid the cycle at run time
    from hotline.triage.forms import FormDefinition

LEVELS: tuple[str, ...] = ("none", "low", "moderate", "high", "imminent")

# item -> answer -> implied level. Every value a form may offer for these items is
# listed, so an unknown value is an error instead of a silent "none".
RULE: Mapping[str, Mapping[str, str]] = {
    "wish_dead": {"no": "none", "yes": "low", "refused": "low"},
    "suicidal_thoughts": {"no": "none", "yes": "low", "refused": "low"},
    "method": {"no": "none", "yes": "moderate", "refused": "moderate"},
    "intent": {"no": "none", "yes": "high", "refused": "high"},
    "plan": {"no": "none", "yes": "high", "refused": "high"},
    "behavior": {"none": "none", "lifetime": "moderate", "past_3_months": "high",
                 "refused": "high"},
    "harm_others": {"none": "none", "thoughts": "moderate", "intent_or_plan": "high"},
    "danger_now": {"no": "none", "yes": "imminent"},
}
LEVEL_LABELS: Mapping[str, tuple[str, str]] = {
    "none": ("无", "none"), "low": ("低", "low"), "moderate": ("中", "moderate"),
    "high": ("高", "high"), "imminent": ("紧急", "imminent"),
}
# (item, answer) -> what the answer means, zh and en. `refused` is worded from the
# value it counts as (REFUSED_COUNTS_AS), so the reason says both what was said and why.
_TEXT: Mapping[tuple[str, str], tuple[str, str]] = {
    ("wish_dead", "yes"): ("过去一个月曾希望自己死去或睡着后不再醒来",
                           "wished to be dead or not to wake up (past month)"),
    ("suicidal_thoughts", "yes"): ("过去一个月有过自杀的想法",
                                   "had thoughts of killing themself (past month)"),
    ("method", "yes"): ("想过如何自杀（方式）", "thought about how they might do it (method)"),
    ("intent", "yes"): ("有自杀想法且有付诸行动的意图", "had some intention of acting on the thoughts"),
    ("plan", "yes"): ("已开始或已想好自杀计划的细节", "started or worked out the details of a plan"),
    ("behavior", "lifetime"): ("曾有自杀行为或准备（三个月以前）",
                               "suicidal behaviour or preparation, more than 3 months ago"),
    ("behavior", "past_3_months"): ("近三个月内有自杀行为或准备",
                                    "suicidal behaviour or preparation in the past 3 months"),
    ("harm_others", "thoughts"): ("有伤害他人的想法", "thoughts of harming others"),
    ("harm_others", "intent_or_plan"): ("有伤害他人的意图或计划", "intent or plan to harm others"),
    ("danger_now", "yes"): ("此刻危险：正在实施，或打算立即行动且手边有工具",
                            "danger now: attempt in progress, or intent to act now with means at hand"),
}
REFUSED_COUNTS_AS: Mapping[str, str] = {"behavior": "past_3_months"}


def reason_text(item: str, answer: str) -> tuple[str, str]:
    """zh/en text of one rule answer; a refusal is spelled out as counted-as-yes."""
    if answer != "refused":
        return _TEXT[(item, answer)]
    counted = REFUSED_COUNTS_AS.get(item, "yes")
    zh, en = _TEXT[(item, counted)]
    as_zh, as_en = ("三个月内", "past 3 months") if counted == "past_3_months" else ("是", "yes")
    return f"拒绝回答，按“{as_zh}”计：{zh}", f"refused to answer, counted as {as_en}: {en}"


# C-SSRS skip logic: these are asked only when suicidal_thoughts is answered and not "no".
FOLLOW_UPS_OF_THOUGHTS: tuple[str, ...] = ("method", "intent", "plan")


class AnswerError(ValueError):
    """Answers the rule or the form cannot read; the message names the item and value."""

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(self.errors))


class OverrideError(ValueError):
    """An override the rules do not allow (unknown level, lowering without a reason)."""


def level_rank(level: str) -> int:
    """Position of a level in LEVELS, so levels compare by severity, not alphabetically."""
    try:
        return LEVELS.index(level)
    except ValueError:
        raise ValueError(f"未知风险等级 / unknown risk level: {level!r}") from None


def max_level(*levels: str) -> str:
    """The most severe of the given levels ("none" when none are given)."""
    return max(levels, key=level_rank, default="none")


def at_least(level: str, threshold: str) -> bool:
    """True when `level` is as severe as `threshold` or more."""
    return level_rank(level) >= level_rank(threshold)


@dataclass(frozen=True)
class Reason:
    """One answer that produced the level, with the level it implies and a zh/en text."""

    item: str
    answer: str
    level: str
    zh: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"item": self.item, "answer": self.answer, "level": self.level,
                "zh": self.zh, "en": self.en}

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"

    def __repr__(self) -> str:  # answers stay out of logs and tracebacks
        return f"Reason(item={self.item!r}, level={self.level!r})"


@dataclass(frozen=True)
class Override:
    """A counselor's change of the rule's level; `reason` is free text (encrypt at rest)."""

    from_level: str
    to_level: str
    reason: str | None = field(default=None, repr=False)
    lowered: bool = False
    by: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class RiskAssessment:
    """The rule's result. `level` is final (after any override); `rule_level` is the rule's."""

    level: str
    rule_level: str
    reasons: tuple[Reason, ...]
    actions: _actions.LevelActions
    not_asked: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    form_id: str | None = None
    form_version: int | None = None
    override: Override | None = None
    needs_review: bool = False

    def summary(self) -> dict[str, Any]:
        """The CLI/console contract: exactly level, reasons (objects) and actions (objects)."""
        return {"level": self.level, "reasons": [r.to_dict() for r in self.reasons],
                "actions": self.actions.to_list()}

    def to_dict(self) -> dict[str, Any]:
        """Everything, for the store (which must encrypt it: it holds answers and free text)."""
        override = self.override and {
            "from_level": self.override.from_level, "to_level": self.override.to_level,
            "reason": self.override.reason, "lowered": self.override.lowered,
            "by": self.override.by, "at": self.override.at and self.override.at.isoformat()}
        return {**self.summary(), "rule_level": self.rule_level, "not_asked": list(self.not_asked),
                "warnings": list(self.warnings), "form_id": self.form_id,
                "form_version": self.form_version, "override": override,
                "needs_review": self.needs_review}

    def __repr__(self) -> str:
        return (f"RiskAssessment(level={self.level!r}, rule_level={self.rule_level!r}, "
                f"reasons={len(self.reasons)}, needs_review={self.needs_review})")


def check_rule_answers(answers: Mapping[str, Any]) -> dict[str, str]:
    """Validate the rule's items when no form is given; other keys are ignored."""
    if not isinstance(answers, Mapping):
        raise AnswerError("answers: 应为键值对象 / must be an object (mapping)")
    errors, out = [], {}
    for item, values in RULE.items():
        value = answers.get(item)
        if value is None:
            continue
        if isinstance(value, str) and value in values:
            out[item] = value
        else:
            errors.append(f"answers.{item}: {str(value)[:40]!r} 不是有效答案（可选：{', '.join(values)}）"
                          f" / is not a valid answer (choose from: {', '.join(values)})")
    if errors:
        raise AnswerError(errors)
    return out


def rule_asks(item: str, answers: Mapping[str, Any]) -> bool:
    """Built-in C-SSRS skip logic, used when no form is given."""
    if item in FOLLOW_UPS_OF_THOUGHTS:
        return answers.get("suicidal_thoughts") not in (None, "no")
    return True


def reasons_for(answers: Mapping[str, str]) -> tuple[Reason, ...]:
    """Every rule answer that implies more than "none", most severe first, in rule order."""
    found = [Reason(item, value, RULE[item][value], *reason_text(item, value))
             for item, value in answers.items()
             if item in RULE and RULE[item][value] != "none"]
    order = list(RULE)
    found.sort(key=lambda r: (-level_rank(r.level), order.index(r.item)))
    return tuple(found)


def assess(answers: Mapping[str, Any], form: "FormDefinition | None" = None) -> RiskAssessment:
    """Apply the rule. Keys left out count as not asked (= no); `refused` counts as yes.

    An answer is counted even when the form would not have asked it (e.g. method=yes with
    suicidal_thoughts=no): missing risk is worse than a stray answer, so it only warns.
    """
    clean = form.normalize(answers) if form is not None else check_rule_answers(answers)
    rule_answers = {k: v for k, v in clean.items() if k in RULE}
    reasons = reasons_for(rule_answers)
    level = max_level(*(r.level for r in reasons))
    asks = (lambda i: form.is_asked(i, clean, level)) if form else (lambda i: rule_asks(i, clean))
    not_asked = tuple(i for i in RULE if i not in rule_answers and asks(i))
    warnings = tuple(form.unasked_answers(clean, level)) if form else ()
    return RiskAssessment(level=level, rule_level=level, reasons=reasons,
                          actions=_actions.actions_for(level), not_asked=not_asked,
                          warnings=warnings, form_id=form.id if form else None,
                          form_version=form.version if form else None)


def apply_override(assessment: RiskAssessment, new_level: str, reason: str | None = None,
                   *, by: str | None = None, at: datetime | None = None) -> RiskAssessment:
    """Let a counselor set the level. Raising is free; going below the rule's level needs a
    written reason and marks the assessment for supervisor review. Reasons stay the
    rule's answers; the override (with its reason) is kept beside them.
    """
    try:
        level_rank(new_level)
    except ValueError as exc:
        raise OverrideError(str(exc)) from None
    lowered = level_rank(new_level) < level_rank(assessment.rule_level)
    text = (reason or "").strip() or None
    if lowered and text is None:
        raise OverrideError(
            f"降低风险等级（{assessment.rule_level} → {new_level}）必须填写书面理由 / "
            f"lowering the level ({assessment.rule_level} → {new_level}) needs a written reason")
    override = Override(assessment.rule_level, new_level, text, lowered, by, at)
    return replace(assessment, level=new_level, actions=_actions.actions_for(new_level),
                   override=override, needs_review=lowered)


def level_label(level: str) -> str:
    """"高 / high" style label for display."""
    zh, en = LEVEL_LABELS[level]
    return f"{zh} / {en}"
