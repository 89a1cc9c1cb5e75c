"""What a verb tells the call to do next, and the ways a call ends.

A verb handler returns None (go on with the next verb), a `Fetch` (leave this
document for another URL) or `LEAVE` (exit the queue); a call ends by raising
`CallEnded` (hang-up, patience, REST) or `WebhookError` (Hotline failed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class Fetch:
    """Request `url` (absolute, on the public base) and play the TwiML it returns."""

    url: str
    method: str = "POST"
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Inline:
    """TwiML handed over directly (REST `Twiml=`); relative URLs resolve against `base`."""

    twiml: str
    base: str


@dataclass(frozen=True)
class Terminate:
    """End the call now (REST `Status=completed|canceled`, or the simulator stopping)."""

    reason: str = "completed"


class _Leave:
    def __repr__(self) -> str:
        return "LEAVE"


LEAVE = _Leave()
Step = Fetch | _Leave | None
Program = Fetch | Inline | Terminate


class CallEnded(Exception):
    """The call is over; `reason` says who ended it (hangup verb, caller, REST)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WebhookError(Exception):
    """Hotline answered with an HTTP error, a timeout or something that is not TwiML."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
