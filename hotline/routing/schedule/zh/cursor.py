"""Token cursor and time ranges for the Chinese hours parser.

Separated from the clause logic (zh_parser) because reading one time range is a
self-contained problem with its own rules: part-of-day words (上午/下午/晚上) make 12-hour
numbers absolute and are redundant on 24-hour ones, one word may govern both ends
("下午1:30-4:30"), 次日 runs past midnight, and a range may be written as a start and an
end marker instead of a dash ("早9点开始，晚9点结束").
"""

from __future__ import annotations

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DAY, Window, window_from
from hotline.routing.schedule.zh.lexer import Token
from hotline.routing.schedule.zh.words import AFTERNOON, MORNING, NIGHT, NOON

__all__ = ["ZhCursor", "SKIP"]

SKIP = {"COMMA", "DUN", "FILLER", "LPAREN", "RPAREN", "NOTE", "START_MARK", "END_MARK"}


class ZhCursor:
    """Position in the token list, with helpers that raise ScheduleError at the right spot."""

    def __init__(self, text: str, tokens: list[Token]):
        self.text, self.tokens, self.i = text, tokens, 0

    def _range(self, default_period: Token | None = None) -> Window:
        """One window: [period] start (-|至|开始…结束) [次日] [period] end, e.g. "晚上8点至次日凌晨2点".

        `default_period` is a part-of-day word read earlier with fillers in between
        ("每晚开放时间：8点至10点"); the range's own word wins.
        """
        start_pos = self._pos()
        period = self._optional("PERIOD") or default_period
        start_tok = self._take({"TIME", "BARENUM"}, "应为开始时间 / expected a start time like 8:00")
        marked = self._optional("START_MARK") is not None
        if marked:
            self._skip("COMMA")
        ranged = self._optional("RANGE") is not None
        if not (marked or ranged):
            self._take({"RANGE"}, "应为“-”或“至” / expected '-' or 至 between start and end")
        next_day = self._optional("NEXTDAY") is not None
        end_period = self._optional("PERIOD")
        next_day = self._optional("NEXTDAY") is not None or next_day
        end_tok = self._take({"TIME"}, "应为 HH:MM 格式的结束时间 / expected an end time like 18:00")
        if self._optional("END_MARK") is None and marked and not ranged:
            self._take({"END_MARK"}, "“开始”之后应写“结束” / expected 结束 after the end time")
        start = _apply_period(self.text, period, _hm(start_tok), start_tok.pos)
        end = _end_minutes(self.text, start, period, end_period, end_tok, next_day)
        if start >= DAY:
            raise ScheduleError(self.text, start_pos, "开始时间不能是 24:00 / a window cannot start at 24:00")
        return window_from(start, end, next_day=next_day)

    # -- token helpers --------------------------------------------------------------

    def _peek_kind(self, ahead: int = 0) -> str | None:
        j = self.i + ahead
        return self.tokens[j].kind if j < len(self.tokens) else None

    def _pos(self) -> int:
        return self.tokens[self.i].pos if self.i < len(self.tokens) else len(self.text)

    def _optional(self, kind: str) -> Token | None:
        if self._peek_kind() == kind:
            self.i += 1
            return self.tokens[self.i - 1]
        return None

    def _next_index(self) -> int:
        """Index of the next token that is not punctuation or a filler word."""
        j = self.i
        while j < len(self.tokens) and self.tokens[j].kind in SKIP:
            j += 1
        return j

    def _next_meaningful(self) -> str | None:
        j = self._next_index()
        return self.tokens[j].kind if j < len(self.tokens) else None

    def _skip(self, *kinds: str) -> None:
        while self._peek_kind() in kinds:
            self.i += 1

    def _take(self, kinds: set[str], reason: str) -> Token:
        if self._peek_kind() not in kinds:
            found = self._quote(self.tokens[self.i]) if self.i < len(self.tokens) else "end of text"
            raise ScheduleError(self.text, self._pos(), f"{reason}, found {found}")
        self.i += 1
        return self.tokens[self.i - 1]

    def _quote(self, tok: Token) -> str:
        return repr(self.text[tok.pos:tok.end])


def _hm(tok: Token) -> tuple[int, int]:
    return tok.value if tok.kind == "TIME" else (tok.value, 0)


def _apply_period(text: str, period: Token | None, hm: tuple[int, int], pos: int) -> int:
    hours, minutes = hm
    name = period.value if period else None
    if name in MORNING and hours > 12:
        word = text[period.pos:period.end]
        raise ScheduleError(text, period.pos, f"“{word}”与 {hours}:{minutes:02d} 矛盾 / "
                            f"{word} (morning) contradicts {hours}:{minutes:02d}")
    if name in AFTERNOON and hours < 12:
        hours += 12
    elif name in NIGHT and hours == 12:
        hours = 24
    elif name in NOON and hours < 11:
        hours += 12
    return hours * 60 + minutes


def _end_minutes(text: str, start: int, period: Token | None, end_period: Token | None,
                 end_tok: Token, next_day: bool) -> int:
    """End minute; without its own period word the end inherits the start's if that fits."""
    hm = _hm(end_tok)
    if end_period is not None or next_day:
        return _apply_period(text, end_period, hm, end_tok.pos)
    if period is not None and period.value in MORNING:
        return _apply_period(text, None, hm, end_tok.pos)   # "上午8点至下午"… ends keep their own
    inherited = _apply_period(text, period, hm, end_tok.pos)
    return inherited if inherited > start else _apply_period(text, None, hm, end_tok.pos)
