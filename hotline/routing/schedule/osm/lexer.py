"""Tokens of OpenStreetMap opening_hours values ("Mo-Fr 08:00-18:00; PH off").

Positions are kept so a ScheduleError points at the character to fix. Features outside
the supported subset (fallback rules, comments, open ends, sun times, week numbers, nth
weekdays, school holidays) are recognised here so the error can say "not supported"
instead of a vaguer "unexpected".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hotline.routing.schedule.errors import ScheduleError

__all__ = ["OsmToken", "tokenize_osm"]

_WEEKDAYS = ["mo", "tu", "we", "th", "fr", "sa", "su"]
_WEEKDAY_NAMES = {**{w: i for i, w in enumerate(_WEEKDAYS)},
                  **{n: i for i, n in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])},
                  **{n: i for i, n in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday",
                                                 "saturday", "sunday"])}}
_MONTHS = {n: i + 1 for i, n in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                           "sep", "oct", "nov", "dec"])}
_UNSUPPORTED = {
    "sh": "学校假期 SH 不受支持 / school holidays (SH) are not supported",
    "week": "周数选择器不受支持 / week-number selectors are not supported",
    "easter": "复活节日期不受支持 / easter dates are not supported",
    "unknown": "unknown 状态不受支持 / the 'unknown' modifier is not supported",
    **dict.fromkeys(["sunrise", "sunset", "dawn", "dusk"],
                    "日出日落时间不受支持 / sunrise/sunset times are not supported"),
}

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<always>24/7)
  | (?P<time>\d{1,2}:\d{2})(?!\d)
  | (?P<badtime>\d+:\d+)
  | (?P<year>\d{4})(?!\d)
  | (?P<number>\d{1,2})(?!\d)
  | (?P<word>[A-Za-z]+)
  | (?P<fallback>\|\|)
  | (?P<comment>"[^"]*"?)
  | (?P<punct>[-,;:+\[\]])
""", re.VERBOSE)


@dataclass(frozen=True)
class OsmToken:
    kind: str   # WEEKDAY MONTH PH YEAR NUMBER TIME ALWAYS STATE - , ; :
    value: Any
    pos: int


def tokenize_osm(text: str) -> list[OsmToken]:
    tokens: list[OsmToken] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ScheduleError(text, pos, f"无法识别的字符 / unexpected character {text[pos]!r}")
        if match.lastgroup != "space":
            tokens.append(_token(text, match))
        pos = match.end()
    return tokens


def _token(text: str, match: re.Match[str]) -> OsmToken:
    kind, raw, pos = match.lastgroup, match.group(), match.start()
    if kind == "always":
        return OsmToken("ALWAYS", None, pos)
    if kind == "time":
        return _time(text, raw, pos)
    if kind == "badtime":
        raise ScheduleError(text, pos, f"应为 HH:MM 格式的时间 / expected HH:MM, got {raw!r}")
    if kind in ("year", "number"):
        return OsmToken(kind.upper(), int(raw), pos)
    if kind == "word":
        return _word(text, raw, pos)
    if kind == "fallback":
        raise ScheduleError(text, pos, "不支持回退规则 / fallback rules '||' are not supported")
    if kind == "comment":
        raise ScheduleError(text, pos, "不支持注释 / comments in quotes are not supported")
    if raw in "+[]":
        reason = {"+": "不支持开放式结束时间 / open end '+' is not supported",
                  "[": "不支持第 n 个星期几 / nth-weekday selectors like Su[1] are not supported",
                  "]": "多余的 ']' / unexpected ']'"}[raw]
        raise ScheduleError(text, pos, reason)
    return OsmToken(raw, raw, pos)


def _time(text: str, raw: str, pos: int) -> OsmToken:
    hours, minutes = map(int, raw.split(":"))
    if minutes > 59 or hours > 48 or (hours == 48 and minutes):
        raise ScheduleError(text, pos, f"时间超出范围 / time out of range: {raw} (00:00–48:00)")
    return OsmToken("TIME", hours * 60 + minutes, pos)


def _word(text: str, raw: str, pos: int) -> OsmToken:
    low = raw.lower()
    if low in _WEEKDAY_NAMES:
        return OsmToken("WEEKDAY", _WEEKDAY_NAMES[low], pos)
    if low in _MONTHS:
        return OsmToken("MONTH", _MONTHS[low], pos)
    if low == "ph":
        return OsmToken("PH", None, pos)
    if low in ("off", "closed", "open"):
        return OsmToken("STATE", low == "open", pos)
    if low in _UNSUPPORTED:
        raise ScheduleError(text, pos, _UNSUPPORTED[low])
    raise ScheduleError(text, pos, f"无法识别的词 / unknown word {raw!r}")
