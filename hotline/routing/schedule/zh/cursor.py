"""Token cursor and time ranges for the Chinese hours parser.

Separated from the clause logic (schedule_zh_parser) because reading one time range —
period words (上午/下午/晚上), 次日, an end that inherits the start's period — is a
self-contained problem with its own rules.
"""

from __future__ import annotations

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DAY, Window, window_from
from hotline.routing.schedule.zh.lexer import Token
from hotline.routing.schedule.zh.words import AFTERNOON, NIGHT, NOON

__all__ = ["ZhCursor"]


class ZhCursor:
    """Position in the token list, with helpers that raise ScheduleError at the right spot."""

    def __init__(self, text: str, tokens: list[Token]):
        self.text, self.tokens, self.i = text, tokens, 0

    def _range(self) -> Window:
        """One window: [period] start (-|至) [次日] [period] end, e.g. "晚上8点至次日凌晨2点"."""
        start_pos = self._pos()
        period = self._optional("PERIOD")
        start_tok = self._take({"TIME", "BARENUM"}, "应为开始时间 / expected a start time like 8:00")
        self._take({"RANGE"}, "应为“-”或“至” / expected '-' or 至 between start and end")
        next_day = self._optional("NEXTDAY") is not None
        end_period = self._optional("PERIOD")
        next_day = self._optional("NEXTDAY") is not None or next_day
        end_tok = self._take({"TIME"}, "应为 HH:MM 格式的结束时间 / expected HH:MM")
        start = _apply_period(period, _hm(start_tok))
        end = _end_minutes(start, period, end_period, _hm(end_tok), next_day)
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


def _apply_period(period: Token | None, hm: tuple[int, int]) -> int:
    hours, minutes = hm
    name = period.value if period else None
    if name in AFTERNOON and hours < 12:
        hours += 12
    elif name in NIGHT and hours == 12:
        hours = 24
    elif name in NOON and hours < 11:
        hours += 12
    return hours * 60 + minutes


def _end_minutes(start: int, period: Token | None, end_period: Token | None,
                 hm: tuple[int, int], next_day: bool) -> int:
    """End minute; without its own period word the end inherits the start's if that fits."""
    if end_period is not None or next_day:
        return _apply_period(end_period, hm)
    inherited = _apply_period(period, hm)
    return inherited if inherited > start else _apply_period(None, hm)
