"""One clause of Chinese hours text being read, and what it takes to complete it.

A clause collects days, exclusions, windows, and the *claims* notices make beside the
windows: a duration ("共16个小时", "每天开放12小时") or round-the-clock ("24小时",
"全天候"). A claim is a check, not a window: it must agree with the windows, and a claim
with no windows at all is either round-the-clock (24 hours is a complete answer) or a
refusal (a duration says how long, not when). A part-of-day word with no clock times
("每周日下午") is refused the same way: no careful reader can turn it into hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import DAY, DaySel, Window, Windows, normalize
from hotline.routing.schedule.zh.lexer import Token

__all__ = ["Draft", "complete"]


@dataclass
class Draft:
    days: DaySel | None = None
    days_pos: int = 0
    excluded: DaySel = field(default_factory=DaySel)
    windows: list[Window] = field(default_factory=list)
    durations: list[tuple[int, int, int | None]] = field(default_factory=list)  # minutes, pos, window beside
    round_clock: list[tuple[int, str]] = field(default_factory=list)            # pos, 'clock' | 'day'
    period: Token | None = None       # a part-of-day word still waiting for its times

    @property
    def empty(self) -> bool:
        return (self.days is None and not self.windows and self.excluded.is_empty
                and not self.durations and not self.round_clock and self.period is None)

    @property
    def has_hours(self) -> bool:
        return bool(self.windows or self.round_clock)


def complete(text: str, draft: Draft) -> Windows | None:
    """The clause's windows once every claim is checked; None for a clause with nothing in it."""
    if not draft.windows and draft.durations:
        minutes, pos, _ = draft.durations[0]
        raise ScheduleError(text, pos, f"只有时长（{_hours(minutes)}），没有几点到几点 / "
                            f"{_hours(minutes, 'en')} says how long, not when: give the times "
                            f"(e.g. 19:00-21:00)")
    if draft.period is not None:
        word = text[draft.period.pos:draft.period.end]
        raise ScheduleError(text, draft.period.pos, f"“{word}”没有具体时间 / the part of the day {word!r} has "
                            f"no clock times: write e.g. {word}2:00-5:00")
    if not draft.windows:
        return _without_windows(text, draft)
    windows = normalize(draft.windows)
    total = sum(end - start for start, end in windows)
    claims = [*draft.durations, *((DAY, pos, None) for pos, kind in draft.round_clock if kind == "clock")]
    for minutes, pos, beside in claims:
        if minutes != total and minutes != beside:
            raise ScheduleError(text, pos, f"时长与时间段不符：写的是 {_hours(minutes)}，时间段共 {_hours(total)} / "
                                f"the stated {_hours(minutes, 'en')} do not match the windows "
                                f"({_hours(total, 'en')} in all)")
    return windows


def _without_windows(text: str, draft: Draft) -> Windows | None:
    if draft.round_clock:
        return ((0, DAY),)
    if draft.days is not None:
        raise ScheduleError(text, draft.days_pos, "缺少时间段 / days without hours")
    if not draft.excluded.is_empty:
        raise ScheduleError(text, draft.days_pos, "排除的日期没有对应的时间 / exclusion without hours")
    return None


def _hours(minutes: int, lang: str = "zh") -> str:
    value = f"{minutes // 60}" if minutes % 60 == 0 else f"{minutes / 60:g}"
    return f"{value} 小时" if lang == "zh" else f"{value} h"
