"""compile_schedule: any of the three formats, plus per-line date overrides, to a Schedule.

The format is guessed from the value when not given: a mapping is structured, text with
Chinese characters is the free-text format of notices, anything else is an OSM
opening_hours value. Overrides (closure days, special hours) are applied on top of any
format by one wrapper plan, so they mean the same thing everywhere: they replace the
windows *starting* on that date; the previous day's spill past midnight is untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from hotline.routing.calendar.holidays import HolidayCalendar, china_calendar
from hotline.routing.schedule.osm.hours import parse_osm
from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import CalendarLike, DayPlan, Windows
from hotline.routing.schedule.probe import ProbeCalendar
from hotline.routing.schedule.runtime import Schedule
from hotline.routing.schedule.structured import parse_date_key, parse_structured, parse_windows
from hotline.routing.schedule.zh.hours import parse_zh

__all__ = ["compile_schedule", "OverridePlan"]

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|「[^」]*」|『[^』]*』")
_FORMATS = ("auto", "zh", "osm", "structured")
_PROBE_DAYS = (date(2026, 1, 5), date(2026, 1, 6))     # letterless values select no dates
_CLOSED = {"closed", "off", "休息", "关闭"}


@dataclass(frozen=True)
class OverridePlan:
    """Replaces the windows starting on listed dates; other dates ask the inner plan."""

    inner: DayPlan
    dates: Mapping[date, Windows]
    uses_calendar: bool = False
    date_specific: bool = True

    def windows(self, d: date, cal: CalendarLike) -> Windows:
        found = self.dates.get(d)
        return found if found is not None else self.inner.windows(d, cal)

    def notes(self, d: date, cal: CalendarLike) -> tuple:
        inner = getattr(self.inner, "notes", None)
        return () if inner is None or d in self.dates else inner(d, cal)


def compile_schedule(spec: str | Mapping, *, fmt: str = "auto", tz: str = "Asia/Shanghai",
                     calendar: HolidayCalendar | None = None,
                     overrides: Mapping[date, "str | list[tuple[str, str]]"] | None = None) -> Schedule:
    """Compile `spec` to a Schedule; ScheduleError explains what and where when it cannot."""
    detected = _detect(spec, fmt)
    plan, source, zone, fmt = _plan_any(spec, detected, guessed=fmt == "auto")
    notes = {"warnings": tuple(getattr(plan, "warnings", ())), "comments": tuple(getattr(plan, "comments", ()))}
    if overrides:
        plan = OverridePlan(plan, _overrides(overrides, source),
                            uses_calendar=plan.uses_calendar)
    return Schedule(plan, source=source, fmt=fmt, tz=_zone(zone or tz, source),
                    calendar=calendar if calendar is not None else china_calendar(), **notes)


def _detect(spec: Any, fmt: str) -> str:
    if fmt not in _FORMATS:
        raise ScheduleError(str(spec), None, f"未知格式 / unknown format {fmt!r}, expected one of {_FORMATS}")
    if fmt != "auto":
        return fmt
    if isinstance(spec, Mapping):
        return "structured"
    if not isinstance(spec, str):
        raise ScheduleError(repr(spec), None, "应为文本或映射 / expected text or a mapping")
    return _text_format(spec)


def _text_format(text: str) -> str:
    """Chinese words outside quotes mean the notices' format; an OSM value may carry a
    Chinese comment ("Mo-Fr 09:00-17:00 open “电话预约”") or a full-width colon."""
    bare = _QUOTED.sub("", text)
    if _IDEOGRAPH.search(bare):
        return "zh"
    if _LATIN.search(bare):
        return "osm"
    return "zh" if _CJK.search(text) else "osm"


def _plan_any(spec: Any, fmt: str, guessed: bool) -> tuple[DayPlan, str, str | None, str]:
    """A guessed OSM value without letters ("8:00-12:00;14:00-18:00") may just as well be a
    notice's bare times. Both readers try; one reading is taken only if the other fails or
    agrees — where they differ (';' replaces in OSM, adds in notices) the text is refused."""
    if not (guessed and fmt == "osm" and not _LATIN.search(spec)):
        return (*_plan(spec, fmt), fmt)
    try:
        osm = _plan(spec, "osm")
    except ScheduleError as exc:
        try:
            return (*_plan(spec, "zh"), "zh")
        except ScheduleError:
            raise exc from None
    try:
        zh = _plan(spec, "zh")
    except ScheduleError:
        return (*osm, "osm")
    probe = ProbeCalendar({})
    if any(osm[0].windows(d, probe) != zh[0].windows(d, probe) for d in _PROBE_DAYS):
        raise ScheduleError(spec, None, "作为 OpenStreetMap 值与作为中文时间含义不同（“;”在前者中替换、在后者中相加）；"
                            "请用“，”分隔时间段或加上“每天” / reads differently as an OpenStreetMap value and as "
                            "notice text (';' replaces earlier rules in OSM, adds windows in notices): separate "
                            "windows with '，' or start with 每天")
    return (*osm, "osm")


def _plan(spec: Any, fmt: str) -> tuple[DayPlan, str, str | None]:
    if fmt == "structured":
        mapping = _as_mapping(spec)
        plan, zone = parse_structured(mapping, repr(dict(mapping)))
        return plan, repr(dict(mapping)), zone
    if not isinstance(spec, str):
        raise ScheduleError(repr(spec), None, f"{fmt} 格式需要文本 / format {fmt!r} needs text")
    return (parse_zh(spec) if fmt == "zh" else parse_osm(spec.strip())), spec, None


def _as_mapping(spec: Any) -> Mapping:
    """Structured specs may also arrive as YAML text."""
    if isinstance(spec, str):
        try:
            spec = yaml.safe_load(spec)
        except yaml.YAMLError as exc:
            raise ScheduleError(str(spec), None, f"YAML 语法错误 / YAML syntax error: {exc}") from exc
    if not isinstance(spec, Mapping):
        raise ScheduleError(repr(spec), None, "结构化格式需要映射 / structured format needs a mapping")
    return spec


def _overrides(overrides: Mapping[Any, Any], source: str) -> dict[date, Windows]:
    result: dict[date, Windows] = {}
    for raw, value in overrides.items():
        key = f"overrides[{raw}]"
        day = parse_date_key(raw, key, source)
        if isinstance(value, str):
            if value.strip().lower() not in _CLOSED:
                raise ScheduleError(source, None, f"{key}: 应为 'closed' 或时间段列表 / expected 'closed' "
                                    f"or a list of (\"HH:MM\", \"HH:MM\"), got {value!r}")
            result[day] = ()
        else:
            result[day] = parse_windows(value, key, source)
    return result


def _zone(name: str, source: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ScheduleError(source, None, f"未知时区 / unknown time zone {name!r}") from None
