"""Load and validate a line directory file (config/lines.yaml).

A bad file fails as a whole with every problem listed, each naming the line, the
field and — for schedule text — the position, so nothing half-loaded ever routes.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import yaml

from hotline.routing.directory import Directory, Line, LineNumber, Menu, MenuOption
from hotline.routing.calendar.holidays import HolidayCalendar, HolidayTableError, china_calendar
from hotline.routing.schedule import ScheduleError, compile_schedule

_EXTENSION = re.compile(r"\s*(?:[-－—]\s*|转|ext\.?\s*|x)(\d{1,6})\s*(?:号线)?\s*$", re.I)
_LEVELS = {"national", "province", "city", "district"}
_DIGITS = set("0123456789*#")


class DirectoryError(ValueError):
    """Every problem found in a directory file, one per line of the message."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}:\n" + "\n".join(f"  - {p}" for p in problems))


def load_directory(path: str | Path, calendar: HolidayCalendar | None = None, *,
                   holidays_dir: str | Path | None = None) -> Directory:
    """Load `path`; schedules read `calendar`, else the China calendar with the official
    tables of `holidays_dir` (Settings.holidays_dir), else the built-in China calendar."""
    path = Path(path)
    try:
        calendar = calendar if calendar is not None else china_calendar(holidays_dir)
    except HolidayTableError as exc:       # a bad cn-<year>.yaml: named like any other problem
        raise DirectoryError(str(path), [str(exc)]) from None
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DirectoryError(str(path), ["文件不存在 / file not found"]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DirectoryError(str(path), [f"YAML 无法读取 / not valid YAML: {exc}"]) from None
    return parse_directory(raw, source=str(path), calendar=calendar)


def parse_directory(raw: Any, source: str = "<directory>",
                    calendar: HolidayCalendar | None = None) -> Directory:
    problems: list[str] = []
    if not isinstance(raw, Mapping) or not isinstance(raw.get("lines"), list):
        raise DirectoryError(source, ["顶层需要 lines 列表 / top level needs a `lines:` list"])
    zone = str(raw.get("timezone") or "Asia/Shanghai")
    calendar = calendar or china_calendar()
    lines: dict[str, Line] = {}
    for index, entry in enumerate(raw["lines"]):
        line = _parse_line(entry, index, zone, calendar, problems)
        if line is None:
            continue
        if line.id in lines:
            problems.append(f"line '{line.id}': id 重复 / duplicate id")
        lines[line.id] = line
    _check_references(lines, problems)
    _check_unique_numbers(lines, problems)
    if problems:
        raise DirectoryError(source, problems)
    return Directory(lines=lines, source=source)


def _parse_line(entry: Any, index: int, default_zone: str, calendar, problems) -> Line | None:
    where = f"lines[{index}]"
    if not isinstance(entry, Mapping):
        problems.append(f"{where}: 需要一个映射 / must be a mapping")
        return None
    line_id = str(entry.get("id") or "").strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", line_id):
        problems.append(f"{where}.id: 需要小写字母数字 id / needs a lowercase id like 'chengdu', got {line_id!r}")
        return None
    where = f"line '{line_id}'"
    local: list[str] = []
    zone = _zone(entry.get("timezone") or default_zone, where, local)
    numbers = _parse_numbers(entry.get("numbers"), line_id, zone, calendar, where, local)
    name = _required_text(entry, "name", where, local)
    level = str(entry.get("level") or "city")
    if level not in _LEVELS:
        local.append(f"{where}.level: 未知级别 / unknown level {level!r} (one of {sorted(_LEVELS)})")
    hosted = entry.get("hosted")
    if not isinstance(hosted, bool):
        local.append(f"{where}.hosted: 需要 true 或 false / must be true or false, got {hosted!r}")
    max_wait = entry.get("max_wait_s", 90)
    if not isinstance(max_wait, int) or isinstance(max_wait, bool) or max_wait <= 0:
        local.append(f"{where}.max_wait_s: 需要正整数秒 / must be a positive number of seconds, got {max_wait!r}")
    service_level = entry.get("service_level_s")
    if service_level is not None and (not isinstance(service_level, int) or isinstance(service_level, bool)
                                      or service_level <= 0):
        local.append(f"{where}.service_level_s: 需要正整数秒 / must be a positive number of seconds, "
                     f"got {service_level!r}")
    menu = _parse_menu(entry.get("menu"), where, local)
    fallback = entry.get("fallback") or []
    if not isinstance(fallback, list):
        local.append(f"{where}.fallback: 需要线路 id 列表 / must be a list of line ids")
        fallback = []
    problems.extend(local)
    if local:
        return None
    return Line(
        id=line_id, name=name, name_en=str(entry.get("name_en") or name),
        region=str(entry.get("region") or ""), level=level, hosted=hosted,
        numbers=tuple(numbers), fallback=tuple(str(f) for f in fallback), menu=menu,
        max_wait_s=max_wait, timezone=zone, gateway=bool(entry.get("gateway", False)),
        area_codes=tuple(str(a) for a in entry.get("area_codes") or ()), service_level_s=service_level,
    )


def _required_text(entry: Mapping, key: str, where: str, problems: list[str]) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}.{key}: 不能为空 / is required")
        return ""
    return value.strip()


def _zone(value: Any, where: str, problems: list[str]) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"{where}.timezone: 未知时区 / unknown IANA zone {value!r}")
        return "Asia/Shanghai"
    return str(value)


def _parse_numbers(raw, line_id, zone, calendar, where, problems) -> list[LineNumber]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}.numbers: 至少需要一个号码 / needs at least one number")
        return []
    numbers = []
    for index, item in enumerate(raw):
        number = _parse_number(item, line_id, zone, calendar, f"{where}.numbers[{index}]", problems)
        if number:
            numbers.append(number)
    return numbers


def _parse_number(item, line_id, zone, calendar, where, problems) -> LineNumber | None:
    if not isinstance(item, Mapping):
        problems.append(f"{where}: 需要 number 与 schedule / needs `number` and `schedule`")
        return None
    published = str(item.get("number") or "").strip()
    e164, digits = normalise_number(published, where, problems)
    schedule_spec = item.get("schedule")
    if schedule_spec is None or schedule_spec == "":
        problems.append(f"{where}.schedule: 不能为空 / is required")
        return None
    try:
        schedule = compile_schedule(schedule_spec, tz=zone, calendar=calendar,
                                    overrides=_overrides(item.get("overrides"), where, problems))
    except ScheduleError as exc:
        problems.append(f"{where}.schedule: {exc}")
        return None
    if e164 is None:
        return None
    text = schedule_spec if isinstance(schedule_spec, str) else yaml.safe_dump(schedule_spec, allow_unicode=True)
    return LineNumber(line_id=line_id, published=published, e164=e164,
                      send_digits=str(item.get("send_digits") or digits), schedule_text=text,
                      schedule=schedule)


def _overrides(raw, where, problems):
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        problems.append(f"{where}.overrides: 需要 日期: closed 或时段列表 / must map dates to 'closed' or windows")
        return None

    parsed = {}
    for key, value in raw.items():
        try:
            day = key if isinstance(key, date) else date.fromisoformat(str(key))
        except ValueError:
            problems.append(f"{where}.overrides: 日期无效 / bad date {key!r} (YYYY-MM-DD)")
            continue
        parsed[day] = value if value == "closed" else [tuple(w) for w in value]
    return parsed


def normalise_number(published: str, where: str, problems: list[str]) -> tuple[str | None, str]:
    """E.164 plus the extension digits to send, from a number as published."""
    digits = ""
    match = _EXTENSION.search(published)
    base = published
    if match and ("号线" in published or "转" in published or "ext" in published.lower()):
        digits, base = match.group(1), published[: match.start()]
    try:
        parsed = phonenumbers.parse(base, "CN")
    except phonenumbers.NumberParseException as exc:
        problems.append(f"{where}.number: 无法识别的号码 / not a phone number {published!r} ({exc})")
        return None, digits
    if not phonenumbers.is_possible_number(parsed):
        problems.append(f"{where}.number: 号码位数不对 / impossible number {published!r}")
        return None, digits
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), digits


def _parse_menu(raw, where, problems) -> Menu | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("options"), Mapping):
        problems.append(f"{where}.menu: 需要 prompt 与 options / needs `prompt` and `options`")
        return None
    options = {}
    for digit, spec in raw["options"].items():
        digit = str(digit)
        if len(digit) != 1 or digit not in _DIGITS or not isinstance(spec, Mapping) or not spec.get("value"):
            problems.append(f"{where}.menu.options[{digit!r}]: 需要单个按键与 value / needs one key (0-9*#) and a value")
            continue
        options[digit] = MenuOption(digit=digit, value=str(spec["value"]), zh=str(spec.get("zh") or spec["value"]),
                                    en=str(spec.get("en") or spec["value"]), crisis=bool(spec.get("crisis", False)))
    return Menu(prompt=str(raw.get("prompt") or ""), options=options)


def _check_references(lines: Mapping[str, Line], problems: list[str]) -> None:
    for line in lines.values():
        for target in line.fallback:
            if target == line.id:
                problems.append(f"line '{line.id}'.fallback: 不能指向自己 / must not name the line itself")
            elif target not in lines:
                problems.append(f"line '{line.id}'.fallback: 未知线路 / unknown line {target!r}")


def _check_unique_numbers(lines: Mapping[str, Line], problems: list[str]) -> None:
    seen: dict[str, str] = {}
    for line in lines.values():
        for number in line.numbers:
            other = seen.setdefault(number.e164, line.id)
            if other != line.id:
                problems.append(f"line '{line.id}': 号码 {number.e164} 与线路 '{other}' 重复 / number also listed by '{other}'")
