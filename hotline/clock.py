"""One injectable clock for the whole system.

Routing, shifts and reports all ask "what time is it?" through a Clock so that
drills, demos and tests can freeze or shift time with ``HOTLINE_NOW`` without
touching the code that makes decisions.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

log = logging.getLogger(__name__)

_OFFSET = re.compile(r"^\s*([+-])\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class ClockSpecError(ValueError):
    """HOTLINE_NOW holds something that is neither an instant nor an offset."""


@dataclass(frozen=True)
class Clock:
    """Real time, optionally frozen at an instant or shifted by an offset."""

    frozen: datetime | None = None
    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        if self.frozen is not None:
            return self.frozen
        return datetime.now(timezone.utc) + self.offset

    @property
    def is_real(self) -> bool:
        return self.frozen is None and not self.offset

    def describe(self) -> str:
        if self.frozen is not None:
            return f"frozen at {self.frozen.isoformat()}"
        if self.offset:
            return f"shifted by {self.offset}"
        return "real time"


def parse_clock(spec: str | None) -> Clock:
    """Read a HOTLINE_NOW value: an ISO 8601 instant freezes, '+3h'/'-2d' shifts."""
    if spec is None or not spec.strip():
        return Clock()
    match = _OFFSET.match(spec)
    if match:
        sign, amount, unit = match.groups()
        delta = timedelta(**{_UNITS[unit]: float(amount)})
        return Clock(offset=-delta if sign == "-" else delta)
    return Clock(frozen=_parse_instant(spec.strip()))


def _parse_instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ClockSpecError(
            f"HOTLINE_NOW 无法识别 / not understood: {text!r} — "
            "expected an ISO 8601 instant with offset (2026-10-01T08:00+08:00) "
            "or an offset such as +3h, -2d, +30m"
        ) from None
    if instant.tzinfo is None:
        raise ClockSpecError(
            f"HOTLINE_NOW 缺少时区 / needs a UTC offset: {text!r} "
            "(e.g. 2026-10-01T08:00+08:00)"
        )
    return instant


def warn_if_not_real(clock: Clock) -> None:
    """Make a shifted clock impossible to miss in the logs: calls route by it."""
    if not clock.is_real:
        log.warning(
            "!!! HOTLINE_NOW 生效：时钟为 %s —— 路由与排班按此时间计算 / "
            "clock is %s: routing and shifts use this time, not the real one !!!",
            clock.describe(), clock.describe(),
        )
