"""Tokens of OpenStreetMap opening_hours values ("Mo-Fr 08:00-18:00; PH off || "by appointment"").

Positions are kept so a ScheduleError points at the character to fix. The lenient
spellings opening_hours.js accepts with a warning (dashes, '.' or '：' between hours and
minutes, typographic quotes, long weekday names) become ordinary tokens here, each with
its warning and canonical edit (osm_lenient). Features outside the supported subset (open
ends, sun times, week numbers, school holidays, 'unknown') are recognised so the error can
say "not supported" instead of a vaguer "unexpected".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.osm import lenient
from hotline.routing.schedule.osm.lenient import Edit, Lenient

__all__ = ["OsmToken", "tokenize_osm"]

_WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
_LONG_NAMES = {**{n: i for i, n in enumerate(["mon", "tue", "wed", None, "fri", "sat", "sun"]) if n},
               **{n: i for i, n in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday",
                                              "saturday", "sunday"])}}
_MONTHS = {n: i + 1 for i, n in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                           "sep", "oct", "nov", "dec"])}
_UNSUPPORTED = {
    "sh": "学校假期 SH 不受支持 / school holidays (SH) are not supported",
    "week": "周数选择器不受支持 / week-number selectors are not supported",
    "easter": "复活节日期不受支持 / easter dates are not supported",
    "thu": "opening_hours.js 不认识“Thu”（读作 Th 加 u），请写 Th / opening_hours.js does not read 'Thu' (it "
           "sees Th and a stray u): write Th",
    "unknown": "unknown 状态不受支持：热线要么开放要么关闭 / the 'unknown' state is not supported: a line "
               "is open or closed",
    **dict.fromkeys(["sunrise", "sunset", "dawn", "dusk"],
                    "日出日落时间不受支持 / sunrise/sunset times are not supported"),
}
_OPEN_QUOTES, _CLOSE_QUOTES = "“„‚‘’«「『", "”“‘’»」』"

_TOKEN = re.compile(rf"""
    (?P<space>\s+)
  | (?P<always>24/7)
  | (?P<time>\d{{1,2}}[:.：]\d{{2}})(?!\d)
  | (?P<badtime>\d+[:：]\d+)
  | (?P<year>\d{{4}})(?!\d)
  | (?P<number>\d{{1,2}})(?!\d)
  | (?P<meridian>[AaPp]\.[Mm]\.)
  | (?P<word>[A-Za-z]+)
  | (?P<fallback>\|\|)
  | (?P<comment>"[^"]*"?)
  | (?P<tcomment>["{_OPEN_QUOTES}][^"'{_CLOSE_QUOTES};|]*["{_CLOSE_QUOTES}])
  | (?P<dash>[–—−‒‐‑~～])
  | (?P<punct>[-,;:+\[\]])
""", re.VERBOSE)


@dataclass(frozen=True)
class OsmToken:
    kind: str   # WEEKDAY MONTH PH YEAR NUMBER TIME ALWAYS STATE COMMENT FALLBACK DAYS MERIDIAN - , ; : + [ ]
    value: Any
    pos: int
    end: int = -1


def tokenize_osm(text: str) -> tuple[list[OsmToken], list[Lenient], list[Edit]]:
    """Tokens, the warnings for lenient spellings, and the edits that make them canonical."""
    tokens: list[OsmToken] = []
    notes: list[Lenient] = []
    edits: list[Edit] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ScheduleError(text, pos, f"无法识别的字符 / unexpected character {text[pos]!r}")
        if match.lastgroup != "space":
            tokens.append(_token(text, match, notes, edits))
        pos = match.end()
    return tokens, notes, edits


def _token(text: str, match: re.Match[str], notes: list[Lenient], edits: list[Edit]) -> OsmToken:
    kind, raw, pos, end = match.lastgroup, match.group(), match.start(), match.end()
    if kind == "always":
        return OsmToken("ALWAYS", None, pos, end)
    if kind == "time":
        return _time(text, raw, pos, notes, edits)
    if kind == "badtime":
        raise ScheduleError(text, pos, f"应为 HH:MM 格式的时间 / expected HH:MM, got {raw!r}")
    if kind in ("year", "number"):
        return OsmToken(kind.upper(), int(raw), pos, end)
    if kind == "meridian":
        return OsmToken("MERIDIAN", raw[0].lower() + "m", pos, end)
    if kind == "word":
        return _word(text, raw, pos, notes, edits)
    if kind == "fallback":
        return OsmToken("FALLBACK", None, pos, end)
    if kind == "comment":
        if not raw.endswith('"') or len(raw) < 2:
            raise ScheduleError(text, pos, "注释缺少右引号 / the comment has no closing '\"'")
        return OsmToken("COMMENT", raw[1:-1], pos, end)
    if kind == "tcomment":
        for at in (pos, end - 1):
            if text[at] != '"':
                notes.append(lenient.quote(at, text[at]))
                edits.append(Edit(at, at + 1, '"'))
        return OsmToken("COMMENT", raw[1:-1], pos, end)
    if kind == "dash":
        notes.append(lenient.dash(pos, raw))
        edits.append(Edit(pos, end, "-"))
        return OsmToken("-", "-", pos, end)
    return OsmToken(raw, raw, pos, end)


def _time(text: str, raw: str, pos: int, notes: list[Lenient], edits: list[Edit]) -> OsmToken:
    sep_at = pos + next(i for i, ch in enumerate(raw) if ch in ":.：")
    if text[sep_at] != ":":
        notes.append(lenient.dot(sep_at) if text[sep_at] == "." else lenient.colon(sep_at, text[sep_at]))
        edits.append(Edit(sep_at, sep_at + 1, ":"))
    hours, minutes = int(text[pos:sep_at]), int(text[sep_at + 1:pos + len(raw)])
    if minutes > 59 or hours > 48 or (hours == 48 and minutes):
        raise ScheduleError(text, pos, f"时间超出范围 / time out of range: {raw} (00:00–48:00)")
    return OsmToken("TIME", hours * 60 + minutes, pos, pos + len(raw))


def _word(text: str, raw: str, pos: int, notes: list[Lenient], edits: list[Edit]) -> OsmToken:
    low, end = raw.lower(), pos + len(raw)
    if low in ("mo", "tu", "we", "th", "fr", "sa", "su"):
        return OsmToken("WEEKDAY", ["mo", "tu", "we", "th", "fr", "sa", "su"].index(low), pos, end)
    if low in _LONG_NAMES:
        day = _LONG_NAMES[low]
        notes.append(lenient.weekday_name(pos, raw, _WEEKDAYS[day]))
        edits.append(Edit(pos, end, _WEEKDAYS[day]))
        return OsmToken("WEEKDAY", day, pos, end)
    if low in _MONTHS:
        return OsmToken("MONTH", _MONTHS[low], pos, end)
    if low == "ph":
        return OsmToken("PH", None, pos, end)
    if low in ("off", "closed", "open"):
        return OsmToken("STATE", low == "open", pos, end)
    if low in ("am", "pm"):
        return OsmToken("MERIDIAN", low, pos, end)
    if low in ("day", "days"):
        return OsmToken("DAYS", None, pos, end)
    if low in _UNSUPPORTED:
        raise ScheduleError(text, pos, _UNSUPPORTED[low])
    raise ScheduleError(text, pos, f"无法识别的词 / unknown word {raw!r}")
