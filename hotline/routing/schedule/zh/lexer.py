"""Tokens of Chinese free-text hours ("周一至周五，8:00-18:00，节假日24小时").

Notices mix full- and half-width punctuation, Chinese and Arabic numerals, and several
ways to write a time ("8:00", "8点半", "下午2时30分"). The lexer maps everything to a few
token kinds and keeps each token's position in the *original* text, so an error can point
at the exact character an operator must fix (zh_normalize maps characters one to one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.zh.normalize import normalize_text
from hotline.routing.schedule.zh.words import CN_DIGITS, WORDS

__all__ = ["Token", "tokenize", "normalize_text", "bracket_warnings"]


@dataclass(frozen=True)
class Token:
    kind: str       # DAY DAYSET DAYNUM TIME BARENUM PERIOD NEXTDAY RANGE FULLDAY FULLWEEK DURATION ...
    value: Any
    pos: int        # 0-based position in the original text
    end: int


_CN = "零〇一二两三四五六七八九十"
_HOURS_WORD = r"\s*个?\s*(?:小时|钟头|h(?![a-z])|H(?![a-z]))"
# minutes after 点/时: 半, digits right after ("8点30", not the "3" of "2点 3:00"), or anything with 分
_MINUTES = rf"(?:\s*(半)|(\d{{1,2}})(?![\d:.])(?:\s*分)?|\s+(\d{{1,2}})\s*分|\s*([{_CN}]{{1,3}})\s*分)?"
_REGEXES: list[tuple[str, re.Pattern[str]]] = [
    ("FULLWEEK", re.compile(rf"(?:每周|一周|全年|一年)?\s*(?:7|七|365)\s*(?:天\s*[x×X*]?|[x×X*])\s*"
                            rf"(?:24|二十四)(?:{_HOURS_WORD})?")),
    ("FULLDAY", re.compile(rf"(?:24|二十四){_HOURS_WORD}")),
    ("DURATION", re.compile(rf"(?:(\d{{1,2}})(?:\.(5))?|([{_CN}]{{1,3}}))\s*(?:个\s*)?(半\s*)?"
                            rf"(?:个\s*)?(?:小时|钟头|h(?![a-z])|H(?![a-z]))")),
    ("HALFHOUR", re.compile(r"半\s*个?\s*小时")),
    ("TIME_COLON", re.compile(r"(\d{1,2})\s*[:.]\s*(\d{2})(?!\d)")),
    ("TIME_DIAN", re.compile(r"(\d{1,2})\s*[点时]" + _MINUTES)),
    ("TIME_CN", re.compile(rf"([{_CN}]{{1,3}})\s*[点时]" + _MINUTES)),
    ("RANGE", re.compile(r"-{1,3}")),
]
_BAD_COLON = re.compile(r"\d+\s*:")
_BARENUM = re.compile(r"\d{1,2}(?!\d)")
_WEEKDAY_NUM = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
                "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
# Candidates by first character, longest first, so a token costs a dict lookup, not a scan.
_WORDS_BY_FIRST: dict[str, list[tuple[str, tuple[str, Any]]]] = {}
for _word, _meaning in sorted(WORDS.items(), key=lambda kv: -len(kv[0])):
    _WORDS_BY_FIRST.setdefault(_word[0], []).append((_word, _meaning))
_REGEX_START = frozenset("0123456789每一全七二半-" + _CN)   # the only characters a _REGEXES match starts with


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens; raise ScheduleError at the first unknown character."""
    norm = normalize_text(text)
    tokens: list[Token] = []
    i = 0
    while i < len(norm):
        token = _next_token(text, norm, i, tokens)
        if token is not None:
            tokens.append(token)
            i = token.end
        else:
            i += 1
    return tokens


def _next_token(text: str, norm: str, i: int, tokens: list[Token]) -> Token | None:
    ch = norm[i]
    if ch == "\n":
        return Token("SEMI", "\n", i, i + 1)
    if ch.isspace():
        return None
    if ch in _WEEKDAY_NUM and _in_day_list(tokens) and not _starts_time(norm, i):
        return Token("DAYNUM", _WEEKDAY_NUM[ch], i, i + 1)
    if ch in _REGEX_START:
        for kind, regex in _REGEXES:
            match = regex.match(norm, i)
            if match:
                return _regex_token(text, kind, match)
    for word, (kind, value) in _WORDS_BY_FIRST.get(ch, ()):
        if norm.startswith(word, i):
            return Token(kind, value, i, i + len(word))
    return _number_or_error(text, norm, i)


def _in_day_list(tokens: list[Token]) -> bool:
    """True right after "周一至" or "周一、": a bare numeral there is a weekday ("周一、三至五")."""
    return (len(tokens) >= 2 and tokens[-1].kind in ("RANGE", "DUN")
            and tokens[-2].kind in ("DAY", "DAYNUM"))


def _starts_time(norm: str, i: int) -> bool:
    """"周一至8:00"-like text: a digit followed by a time mark is a time, not a weekday."""
    return norm[i].isdigit() and i + 1 < len(norm) and norm[i + 1] in ":.点时0123456789"


def _regex_token(text: str, kind: str, match: re.Match[str]) -> Token:
    start, end = match.span()
    if kind == "FULLWEEK":
        return Token(kind, None, start, end)
    if kind == "FULLDAY":
        return Token(kind, "clock", start, end)
    if kind == "RANGE":
        return Token(kind, None, start, end)
    if kind == "DURATION":
        return Token(kind, _duration_minutes(text, match, start), start, end)
    if kind == "HALFHOUR":
        return Token("DURATION", 30, start, end)
    hours = int(match[1]) if kind != "TIME_CN" else _cn_number(text, match[1], start)
    minutes = _minutes(text, match, start) if kind != "TIME_COLON" else int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ScheduleError(text, start, "时间超出范围 / time out of range, expected 00:00–24:00")
    return Token("TIME", (hours, minutes), start, end)


def _duration_minutes(text: str, match: re.Match[str], start: int) -> int:
    """"12小时" 720, "2.5小时" 150, "十六个小时" 960, "2个半小时" 150."""
    hours = int(match[1]) if match[1] else _cn_number(text, match[3], start)
    half = bool(match[2]) or bool(match[4])
    if hours > 24 or (hours == 24 and half):
        raise ScheduleError(text, start, "一天最多 24 小时 / a day has at most 24 hours")
    return hours * 60 + (30 if half else 0)


def _minutes(text: str, match: re.Match[str], start: int) -> int:
    if match[2] == "半":
        return 30
    digits = match[3] or match[4]
    if digits:
        return int(digits)
    if match[5]:
        return _cn_number(text, match[5], start)
    return 0


def _cn_number(text: str, numeral: str, pos: int) -> int:
    """Chinese numerals 0–59: 八, 十二, 二十四, 三十."""
    if "十" not in numeral:
        if len(numeral) != 1:
            raise ScheduleError(text, pos, f"无法识别的数字 / unrecognised number {numeral!r}")
        return CN_DIGITS[numeral]
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in CN_DIGITS) or (ones and ones not in CN_DIGITS):
        raise ScheduleError(text, pos, f"无法识别的数字 / unrecognised number {numeral!r}")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)   # 十二, 二十, 三十五


def _number_or_error(text: str, norm: str, i: int) -> Token:
    if norm[i].isdigit():
        if _BAD_COLON.match(norm, i):
            raise ScheduleError(text, i, "应为 HH:MM 格式的时间 / expected HH:MM")
        match = _BARENUM.match(norm, i)
        if match:
            return Token("BARENUM", int(match[0]), i, match.end())
        raise ScheduleError(text, i, "应为 HH:MM 格式的时间 / expected HH:MM")
    raise ScheduleError(text, i, f"无法识别的内容 / unrecognised text {text[i:i + 6]!r}")


def bracket_warnings(tokens: list[Token]) -> list[str]:
    """Brackets carry no meaning in hours text, so unbalanced ones are read past — with a note."""
    warnings, open_at = [], []
    for token in tokens:
        if token.kind == "LPAREN":
            open_at.append(token.pos)
        elif token.kind == "RPAREN":
            if open_at:
                open_at.pop()
            else:
                warnings.append(f"位置 {token.pos}: 多余的右括号，已忽略 / unmatched ')' ignored")
    warnings.extend(f"位置 {pos}: 括号未闭合，已忽略 / unclosed '(' ignored" for pos in open_at)
    return warnings
