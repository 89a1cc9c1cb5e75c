"""ScheduleError: a schedule text that cannot be understood, with where and why.

Schedules are typed by operators from public notices. When one cannot be parsed, the
message must let them fix it without reading code: the text, the 0-based character
position, a short reason in Chinese and English, and a caret under the spot.
"""

from __future__ import annotations

import unicodedata

__all__ = ["ScheduleError"]

_EXCERPT = 40  # characters shown either side of the position in long texts


class ScheduleError(ValueError):
    """Unparseable schedule: `text`, 0-based `position` (None if not positional), `reason`."""

    def __init__(self, text: str, position: int | None, reason: str):
        self.text = text
        self.position = position
        self.reason = reason
        super().__init__(_format(text, position, reason))


def _format(text: str, position: int | None, reason: str) -> str:
    one_line = text.replace("\n", "⏎")
    if position is None:
        return f'无法解析的营业时间 / cannot parse hours: "{_shorten(one_line)}" — {reason}'
    head = f'无法解析的营业时间 / cannot parse hours at position {position}: "{_shorten(one_line)}" — {reason}'
    start = max(0, position - _EXCERPT)
    excerpt = one_line[start:position + _EXCERPT]
    prefix = "…" if start else ""
    caret = " " * (_width(prefix + one_line[start:position]) + 4) + "^"
    return f"{head}\n    {prefix}{excerpt}\n{caret}"


def _shorten(text: str, limit: int = 2 * _EXCERPT) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _width(text: str) -> int:
    """Display columns, so the caret lands under CJK text (2 columns per wide char)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
