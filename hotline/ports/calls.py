"""Ports of the calls area: the caller's path through /voice/*."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cached_property
from typing import Any, Protocol, Sequence

from hotline.routing.decision import Decision
from hotline.routing.directory import Directory
from hotline.routing.regions import region_of
from hotline.ports.common import Presence, RecordOp, UnitOfWork, Waiting
from hotline.ports.conference import JoinConference

__all__ = [
    "InboundCall",
    "Prompt",
    "RouteAnswer",
    "WaitRound",
    "HoldOn",
    "LeaveQueue",
    "RecordVoicemail",
    "HangUp",
    "Continue",
    "RingCounselor",
    "FailSafeAnswer",
    "VoiceAnswer",
    "CallEvents",
    "WaitRounds",
    "LineStats",
    "LiveEpoch",
    "RecordedWait",
    "CallRecords",
    "CallsUnitOfWork",
    "FlaggedSetRepair",
    "LostQueues",
    "RoutingReadout",
    "LiveFactsChanged",
    "WaitReadout",
    "WaitReads",
    "RoutingReads",
    "CoverageNotices",
]

# --- calls area: the caller's path through /voice/* -------------------------------------
# The use cases in hotline/usecases/calls/ take an InboundCall (parsed by
# telephony/inbound.py) and return one of the answers below; telephony/answers.py renders
# it as TwiML. The Redis reads they need are small Protocols implemented by
# live/queues.py (QueueStore); the record they read back for recovery is CallRecords.

@dataclass(frozen=True)
class InboundCall:
    """What a provider's webhook tells us about a call, normalised once."""

    call_sid: str
    dialled: str      # E.164 of our number
    caller: str       # E.164 of the caller, "" when withheld — never logged, never stored in clear
    status: str       # the provider's call status ("ringing", "completed", ...)

    @property
    def withheld(self) -> bool:
        """号码未显示: no valid number, so no caller key, no file, no region."""
        return not self.caller

    @cached_property
    def region(self) -> str | None:
        """Geocoded once per request, and only when asked (routing and the record both ask)."""
        return region_of(self.caller)


class Prompt(Enum):
    """Fixed words said before a route or a hang-up; telephony/prompts.py holds the text."""

    WELCOME = "welcome"                    # "this is <line name>"
    TRANSFERRING = "transferring"          # a counselor hands the caller to another line
    TRANSFER_FAILED = "transfer_failed"    # the external line did not answer: trying another
    GOODBYE = "goodbye"                    # the counselor's call ended normally
    COUNSELOR_UNREACHED = "counselor_unreached"   # the counselor's leg failed
    VOICEMAIL_THANKS = "voicemail_thanks"  # after the message was recorded


@dataclass(frozen=True)
class RouteAnswer:
    """Carry out a routing decision: a menu, a place in a queue, a transfer, or the hours."""

    decision: Decision
    directory: Directory
    at: datetime
    opening: Prompt | None = None
    line_name: str = ""                    # for Prompt.WELCOME


@dataclass(frozen=True)
class WaitRound:
    """One round of the waiting caller's loop: place, expected wait, the voicemail key."""

    line_id: str
    position: int
    expected_wait_s: float
    breathing: bool                        # the breathing exercise, every other round
    pause_s: int


@dataclass(frozen=True)
class HoldOn:
    """Silence for a moment (a counselor is being connected): Twilio asks again after it."""

    seconds: int


@dataclass(frozen=True)
class LeaveQueue:
    """Leave the provider's queue; its queue-result callback says what happens next."""


@dataclass(frozen=True)
class RecordVoicemail:
    """Record a message for the line (a call-back request)."""

    line_id: str | None


@dataclass(frozen=True)
class HangUp:
    prompt: Prompt | None = None


@dataclass(frozen=True)
class Continue:
    """Nothing to add: the call goes on as it is (an empty TwiML response)."""


@dataclass(frozen=True)
class RingCounselor:
    """Ring a counselor's browser and bridge the caller to it."""

    counselor_id: int
    call_sid: str


@dataclass(frozen=True)
class FailSafeAnswer:
    """Route as if nobody were on shift anywhere: an external line open now, or the
    last-resort words. Needs no Redis and no database."""

    directory: Directory
    dialled: str
    at: datetime
    line_id: str | None = None             # the line the caller came from (not tried again)


VoiceAnswer = (RouteAnswer | WaitRound | HoldOn | LeaveQueue | RecordVoicemail | HangUp | Continue
               | RingCounselor | FailSafeAnswer | JoinConference)


class CallEvents(Protocol):
    """Events about a call, to the supervisors and to the rooms of the lines named."""

    def publish(self, event: str, payload: dict[str, Any], *line_ids: str | None) -> None: ...


class WaitRounds(Protocol):
    """How many wait rounds a caller has heard (the breathing exercise alternates)."""

    def count_round(self, call_sid: str) -> int: ...


class LineStats(Protocol):
    """The handling time (talk + wrap-up, seconds) learned per line; None until known."""

    def handle_time(self, line_id: str) -> float | None: ...


class LiveEpoch(Protocol):
    """Tells a fresh (emptied) live state from a running one."""

    def start(self, at: datetime) -> bool:
        """Mark the live state as seen; True only the first time after it was lost."""
        ...


@dataclass(frozen=True)
class RecordedWait:
    """A call the record still shows as waiting (to put back after Redis lost its queue)."""

    call_sid: str
    line_id: str
    priority: int
    queued_at: datetime            # when it joined a queue (else when it was received)
    caller_key: str
    dialled: str


class CallRecords(Protocol):
    """The call record, read back (the writes go through the RecordSink)."""

    def still_waiting(self, since: datetime) -> list[RecordedWait]:
        """Calls received since then, waiting on a line and not ended, in queue order."""
        ...


class CallsUnitOfWork(UnitOfWork, Protocol):
    calls: CallRecords


class FlaggedSetRepair(Protocol):
    """Put the flagged callers back into the live set if Redis lost it (throttled; True
    when it rebuilt). Provided by the triage area (Hotline.flagged_callers)."""

    def ensure(self, force: bool = False) -> bool: ...


class LostQueues(Protocol):
    """Rebuild the queues from the record once per Redis lifetime; how many calls were
    put back. Provided by the calls area (Hotline.lost_queues); the console's tick calls it."""

    def rebuild_if_needed(self) -> int: ...


# --- one read for routing (issue #18) ----------------------------------------------------

@dataclass(frozen=True)
class RoutingReadout:
    """Everything routing reads from the live state, fetched in one round trip: the call's
    hash, every counselor's presence, the roster version, and the flagged set's answer for
    the caller's keys (with whether the set is built at all)."""

    call: dict[str, str]
    presences: tuple[Presence, ...]
    roster_version: int
    flagged_hit: bool
    flagged_set_built: bool
    seen: str = ""   # what the adapter saw of the shared part (presence, roster), to check it later


class LiveFactsChanged(Exception):
    """A step taken unless the live facts changed found that they had: nothing was done, and
    here they are as they are now, to decide again on."""

    def __init__(self, now: RoutingReadout) -> None:
        super().__init__("live facts changed")
        self.now = now


class RoutingReads(Protocol):
    """One pipeline instead of a read per port (live/routing_reads.py), and a new call's step
    taken in one round trip on what the last read saw, checked in the same step."""

    def read(self, call_sid: str, caller_keys: Sequence[str]) -> RoutingReadout: ...

    def remembered(self) -> RoutingReadout | None:
        """What the last read saw of presence and the roster, as a new call's readout (no hash
        yet, its caller not flagged, the set built), or None before any read."""

    def enqueue_unless_changed(self, seen: RoutingReadout, caller_keys: Sequence[str], call_sid: str, line_id: str,
                               priority: int, at: datetime, record: RecordOp, **fields) -> Waiting:
        """CallQueues.enqueue for a new call, if `seen` still holds for it; else LiveFactsChanged."""

    def record_unless_changed(self, seen: RoutingReadout, caller_keys: Sequence[str], call_sid: str,
                              record: RecordOp) -> None:
        """Record `record` (a transfer, the hours), if `seen` still holds for the new call; else
        LiveFactsChanged, with nothing recorded."""


@dataclass(frozen=True)
class WaitReadout:
    """What one wait round reads, fetched in one round trip (with the QueueSid noted): the call's
    place (None: not in its queue) and live hash, the line's learned handling time, every
    counselor's presence and the roster version (for the expected wait)."""

    waiting: Waiting | None
    state: dict[str, str]
    handle_s: float | None
    presences: tuple[Presence, ...]
    roster_version: int


class WaitReads(Protocol):
    """One pipeline for a wait round instead of a read per port (live/wait_reads.py)."""

    def read(self, call_sid: str, line_id: str, queue_sid: str | None) -> WaitReadout: ...


class CoverageNotices(Protocol):
    """Which of these uncovered lines have not been announced within `seconds` (claimed
    now, across every process): a gap is announced once, not on every call while it lasts."""

    def claim(self, line_ids: Sequence[str], at: datetime, seconds: int) -> list[str]: ...
