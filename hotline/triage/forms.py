"""Triage form definitions: versioned YAML data that the console renders.

Forms are data so a center can reword questions without a release. The loader is strict
because a typo (an unquoted `yes` that YAML reads as a boolean, a misspelt `ask_when`, a
renamed risk item) would otherwise silently hide a question or blind the risk rule.
Errors name the file, the key path (0-based, e.g. `items[3].options`) and the problem.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from hotline.triage.risk import LEVELS, RULE, AnswerError, at_least

__all__ = ["TYPES", "FormError", "AnswerError", "Label", "Option", "Condition", "Item",
           "FormDefinition", "parse_form", "load_form", "load_forms", "get_form"]

TYPES = ("single", "multi", "text", "list", "checklist")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"id", "version", "title", "description", "items"}
_ITEM_KEYS = {"id", "type", "label", "help", "options", "ask_when", "required"}


class FormError(ValueError):
    """A form file that cannot be used; the message says file, key path and problem."""


def _fail(src: str, path: str, zh: str, en: str) -> FormError:
    return FormError(f"{src}: {path}: {zh} / {en}")


@dataclass(frozen=True)
class Label:
    """A user-facing text in zh-CN and English (zh shown first)."""

    zh: str
    en: str

    @classmethod
    def from_raw(cls, raw: Any) -> "Label":
        """Raise ValueError (caller adds where) unless raw is {zh: str, en: str}."""
        ok = isinstance(raw, Mapping) and set(raw) == {"zh", "en"} and all(
            isinstance(v, str) and v.strip() for v in raw.values())
        if not ok:
            raise ValueError("应为 {zh: …, en: …} 且均为非空文字 / must be {zh: …, en: …}, both non-empty text")
        return cls(raw["zh"].strip(), raw["en"].strip())

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class Option:
    value: str
    label: Label
    help: Label | None = None


@dataclass(frozen=True)
class Condition:
    """`ask_when` clause: {item, in|not_in: [values]} or {level_at_least: level}.

    An unanswered item satisfies neither `in` nor `not_in` (it counts as not asked).
    For a multi item, `in` means any chosen value is listed; `not_in` means none is.
    A level condition holds while the level is still unknown (None), so it shows.
    """

    op: str
    values: frozenset[str]
    item: str | None = None

    def holds(self, answers: Mapping[str, Any], level: str | None) -> bool:
        if self.op == "level_at_least":
            return level is None or at_least(level, next(iter(self.values)))
        answer = answers.get(self.item)
        if answer is None:
            return False
        chosen = set(answer) if isinstance(answer, (list, tuple)) else {answer}
        hit = bool(chosen & self.values)
        return hit if self.op == "in" else not hit


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    label: Label
    help: Label | None = None
    options: tuple[Option, ...] = ()
    ask_when: tuple[Condition, ...] = ()
    required: bool = False

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class FormDefinition:
    """One version of one form. `source` is the file it came from (for messages)."""

    id: str
    version: int
    title: Label | None
    items: tuple[Item, ...]
    source: str = "<form>"

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def is_asked(self, item_id: str, answers: Mapping[str, Any], level: str | None = None) -> bool:
        """Whether the console shows/asks this item given the answers so far (and level)."""
        item = self.item(item_id)
        return all(c.holds(answers, level) and (c.item is None or self.is_asked(c.item, answers, level))
                   for c in item.ask_when)

    def asked_items(self, answers: Mapping[str, Any], level: str | None = None) -> list[Item]:
        return [i for i in self.items if self.is_asked(i.id, answers, level)]

    def normalize(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Check answers against the form; return them cleaned (None = unanswered, dropped).

        Raises AnswerError listing every bad item and value at once.
        """
        if not isinstance(answers, Mapping):
            raise AnswerError("answers: 应为键值对象 / must be an object (mapping)")
        items = {i.id: i for i in self.items}
        errors, out = [], {}
        for key, value in answers.items():
            if value is None:
                continue
            if key not in items:
                errors.append(f"answers.{key}: 表单 {self.id} v{self.version} 中没有此题 / "
                              f"no such item in form {self.id} v{self.version}")
                continue
            try:
                out[key] = _clean_value(items[key], value)
            except ValueError as exc:
                errors.append(f"answers.{key}: {exc}")
        if errors:
            raise AnswerError(errors)
        return out

    def unasked_answers(self, answers: Mapping[str, Any], level: str | None = None) -> list[str]:
        """Warnings for items answered although the form would not ask them."""
        ids = {i.id for i in self.items}
        return [f"{k}: 已作答，但按表单条件不应询问；风险规则仍计入 / answered although the form "
                f"would not ask it; the risk rule still counts it"
                for k in answers if k in ids and not self.is_asked(k, answers, level)]


# --- answers ---------------------------------------------------------------------------

def _choice(item: Item, value: Any) -> str:
    """One option value; ints are accepted for numeric values ("1"), booleans never."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or value not in item.values:
        choices = ", ".join(item.values)
        raise ValueError(f"{str(value)[:40]!r} 不是有效选项（可选：{choices}）/ "
                         f"is not a valid option (choose from: {choices})")
    return value


def _clean_value(item: Item, value: Any) -> Any:
    """Type-check one answer; free text is never echoed back in the message."""
    if item.type == "single":
        return _choice(item, value)
    if item.type == "text":
        if not isinstance(value, str):
            raise ValueError("应为文字 / must be text")
        return value
    if item.type == "checklist":
        return _clean_checklist(item, value)
    if not isinstance(value, (list, tuple)):
        raise ValueError("应为列表 / must be a list")
    if item.type == "multi":
        return list(dict.fromkeys(_choice(item, v) for v in value))
    if not all(isinstance(v, str) for v in value):
        raise ValueError("列表各项应为文字 / every entry must be text")
    return [v.strip() for v in value if v.strip()]


def _clean_checklist(item: Item, value: Any) -> dict[str, Any]:
    """A checklist answer maps entry → true/false or a short text (e.g. "120")."""
    if not isinstance(value, Mapping):
        raise ValueError("应为 {条目: 是否完成} / must map entry → done")
    unknown = [k for k in value if k not in item.values]
    if unknown:
        raise ValueError(f"未知条目 / unknown entries: {', '.join(map(str, unknown))}")
    if not all(isinstance(v, (bool, str)) or v is None for v in value.values()):
        raise ValueError("条目值应为 true/false 或文字 / entry values must be true/false or text")
    return dict(value)


# --- loading ---------------------------------------------------------------------------

def _mapping(raw: Any, src: str, path: str, allowed: set[str], required: tuple[str, ...]) -> Mapping:
    if not isinstance(raw, Mapping):
        raise _fail(src, path, "应为键值映射", "must be a mapping")
    unknown = sorted(set(map(str, raw)) - allowed)
    if unknown:
        raise _fail(src, f"{path}.{unknown[0]}", "未知的键",
                    f"unknown key (allowed: {', '.join(sorted(allowed))})")
    for key in required:
        if raw.get(key) in (None, "", [], {}):
            raise _fail(src, f"{path}.{key}", "缺少", "missing")
    return raw


def _label(raw: Any, src: str, path: str) -> Label:
    try:
        return Label.from_raw(raw)
    except ValueError as exc:
        raise FormError(f"{src}: {path}: {exc}") from None


def _ident(raw: Any, src: str, path: str) -> str:
    if not isinstance(raw, str) or not _ID.match(raw):
        raise _fail(src, path, f"标识 {raw!r} 无效（小写字母、数字、下划线）",
                    "invalid id (lower-case letters, digits, underscores)")
    return raw


def _value(raw: Any, src: str, path: str) -> str:
    if isinstance(raw, bool):
        raise _fail(src, path, "YAML 把此值读成了布尔值，请加引号（如 'yes'）",
                    "YAML read this value as a boolean; quote it (e.g. 'yes')")
    if isinstance(raw, int):
        return str(raw)
    if not isinstance(raw, str) or not raw.strip():
        raise _fail(src, path, "选项值应为非空文字", "option value must be non-empty text")
    return raw


def _options(raw: Any, type_: str, src: str, path: str) -> tuple[Option, ...]:
    if type_ == "text":
        if raw is not None:
            raise _fail(src, path, "文字题不能有选项", "a text item takes no options")
        return ()
    if raw in (None, []):
        if type_ == "list":
            return ()
        raise _fail(src, path, "缺少选项", "missing options")
    if not isinstance(raw, list):
        raise _fail(src, path, "应为列表", "must be a list")
    options: dict[str, Option] = {}
    for n, entry in enumerate(raw):
        where = f"{path}[{n}]"
        m = _mapping(entry, src, where, {"value", "label", "help"}, ("value", "label"))
        value = _value(m["value"], src, f"{where}.value")
        if value in options:
            raise _fail(src, f"{where}.value", f"重复的选项值 {value!r}", "duplicate option value")
        help_ = _label(m["help"], src, f"{where}.help") if "help" in m else None
        options[value] = Option(value, _label(m["label"], src, f"{where}.label"), help_)
    return tuple(options.values())


def _condition(raw: Any, src: str, path: str, earlier: Mapping[str, Item]) -> Condition:
    if isinstance(raw, Mapping) and "level_at_least" in raw:
        m = _mapping(raw, src, path, {"level_at_least"}, ("level_at_least",))
        if m["level_at_least"] not in LEVELS:
            raise _fail(src, f"{path}.level_at_least", "未知风险等级",
                        f"unknown level (one of {', '.join(LEVELS)})")
        return Condition("level_at_least", frozenset({m["level_at_least"]}))
    m = _mapping(raw, src, path, {"item", "in", "not_in"}, ("item",))
    ops = [k for k in ("in", "not_in") if k in m]
    if len(ops) != 1:
        raise _fail(src, path, "需要且只能有 in 或 not_in 之一", "needs exactly one of in / not_in")
    target = earlier.get(m["item"])
    if target is None or target.type not in ("single", "multi"):
        raise _fail(src, f"{path}.item", f"{m['item']!r} 不是前面的单选/多选题",
                    "must name an earlier single or multi item")
    values = m[ops[0]] if isinstance(m[ops[0]], list) else [m[ops[0]]]
    clean = {_value(v, src, f"{path}.{ops[0]}") for v in values}
    if not clean or not clean <= set(target.values):
        raise _fail(src, f"{path}.{ops[0]}", f"值须为 {target.id} 的选项",
                    f"values must be options of {target.id}: {', '.join(target.values)}")
    return Condition(ops[0], frozenset(clean), target.id)


def _item(raw: Any, src: str, path: str, earlier: Mapping[str, Item]) -> Item:
    m = _mapping(raw, src, path, _ITEM_KEYS, ("id", "type", "label"))
    item_id = _ident(m["id"], src, f"{path}.id")
    if item_id in earlier:
        raise _fail(src, f"{path}.id", f"重复的题目 {item_id}", "duplicate item id")
    if m["type"] not in TYPES:
        raise _fail(src, f"{path}.type", f"未知题型 {m['type']!r}",
                    f"unknown type (one of {', '.join(TYPES)})")
    if not isinstance(m.get("required", False), bool):
        raise _fail(src, f"{path}.required", "应为 true/false", "must be true or false")
    conds = m.get("ask_when") or []
    conds = [conds] if isinstance(conds, Mapping) else conds
    if not isinstance(conds, list):
        raise _fail(src, f"{path}.ask_when", "应为条件或条件列表", "must be a condition or a list of them")
    return Item(item_id, m["type"], _label(m["label"], src, f"{path}.label"),
                _label(m["help"], src, f"{path}.help") if "help" in m else None,
                _options(m.get("options"), m["type"], src, f"{path}.options"),
                tuple(_condition(c, src, f"{path}.ask_when[{n}]", earlier) for n, c in enumerate(conds)),
                m.get("required", False))


def _check_rule_items(items: Mapping[str, Item], src: str) -> None:
    """Every form must offer the risk rule's items with exactly the rule's values."""
    index = {item_id: n for n, item_id in enumerate(items)}
    for item_id, values in RULE.items():
        item = items.get(item_id)
        if item is None:
            raise _fail(src, "items", f"缺少风险规则需要的题目 {item_id}",
                        f"missing item required by the risk rule: {item_id}")
        if item.type != "single" or set(item.values) != set(values):
            raise _fail(src, f"items[{index[item_id]}].options",
                        f"风险题目 {item_id} 须为单选且选项恰为 {', '.join(values)}",
                        f"risk item {item_id} must be single choice with exactly: {', '.join(values)}")


def parse_form(raw: Any, source: str = "<form>") -> FormDefinition:
    """Validate parsed YAML and build the form; raises FormError naming source and path."""
    m = _mapping(raw, source, "(top)", _TOP_KEYS, ("id", "version", "items"))
    form_id = _ident(m["id"], source, "id")
    version = m["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _fail(source, "version", "版本应为正整数", "version must be a positive integer")
    if not isinstance(m["items"], list):
        raise _fail(source, "items", "应为列表", "must be a list")
    items: dict[str, Item] = {}
    for n, raw_item in enumerate(m["items"]):
        item = _item(raw_item, source, f"items[{n}]", items)
        items[item.id] = item
    _check_rule_items(items, source)
    title = _label(m["title"], source, "title") if "title" in m else None
    return FormDefinition(form_id, version, title, tuple(items.values()), source)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_form(path: str | Path) -> FormDefinition:
    """Read and validate one form file."""
    path = Path(path)
    src = _display(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FormError(f"{src}: 无法读取 / cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise FormError(f"{src}: YAML 语法错误 / YAML syntax error: {exc}") from None
    return parse_form(raw, src)


def load_forms(directory: str | Path) -> dict[str, dict[int, FormDefinition]]:
    """All forms of a directory by id and version; older versions stay loadable so a
    saved assessment can be shown with the form version it was made with."""
    forms: dict[str, dict[int, FormDefinition]] = {}
    for path in sorted(Path(directory).glob("*.y*ml")):
        form = load_form(path)
        same = forms.setdefault(form.id, {})
        if form.version in same:
            other = same[form.version].source
            raise FormError(f"{form.source}: version: {form.id} v{form.version} 与 {other} 重复 / "
                            f"duplicates {other}")
        same[form.version] = form
    return forms


def get_form(directory: str | Path, form_id: str, version: int | None = None) -> FormDefinition:
    """One form by id: the given version, or the newest."""
    versions = load_forms(directory).get(form_id)
    if not versions:
        raise FormError(f"{directory}: 找不到表单 {form_id!r} / no form with id {form_id!r}")
    chosen = max(versions) if version is None else version
    if chosen not in versions:
        raise FormError(f"{directory}: 表单 {form_id} 没有版本 {version} / form {form_id} has no "
                        f"version {version} (have: {', '.join(map(str, sorted(versions)))})")
    return versions[chosen]
