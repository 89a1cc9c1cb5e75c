"""Token cursor for the opening_hours parser: look ahead, take, and fail with a position."""

from __future__ import annotations

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.osm.lexer import OsmToken

__all__ = ["OsmCursor"]


class OsmCursor:
    """Position in the token list; every failure names the token position it stopped at."""

    def __init__(self, text: str, tokens: list[OsmToken]):
        self.text, self.tokens, self.i = text, tokens, 0

    def _kind(self, ahead: int = 0) -> str | None:
        j = self.i + ahead
        return self.tokens[j].kind if j < len(self.tokens) else None

    def _pos(self, back: int = 0) -> int:
        j = self.i - back
        return self.tokens[j].pos if j < len(self.tokens) else len(self.text)

    def _take(self, *kinds: str) -> OsmToken:
        if self._kind() not in kinds:
            self._fail(f"应为 / expected {' or '.join(kinds)}")
        self.i += 1
        return self.tokens[self.i - 1]

    def _fail(self, reason: str, back: int = 0) -> None:
        pos = self._pos(back)
        found = repr(self.text[pos:pos + 8]) if pos < len(self.text) else "end of text"
        raise ScheduleError(self.text, pos, f"{reason}, found {found}")
