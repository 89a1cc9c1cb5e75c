"""Wiring of the calls area: the caller's path through /voice/* and queue recovery.

Each function builds one use case of hotline/usecases/calls/ (or recovery) from the
adapters and from other areas' collaborators. Until those areas provide theirs on
Hotline (Staffing: roster, FlaggedCallers and the flagged set: triage, HangUps:
console), the TRANSITION adapters at the end stand in by calling the legacy code.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import redis
from sqlalchemy.exc import OperationalError

from hotline.live.call_events import CallEventRooms
from hotline.ports import FlaggedCallers, HangUps, Presence, Staffing
from hotline.store.calls import CallsUnitOfWork
from hotline.usecases.calls.bridge import Bridge
from hotline.usecases.calls.failsafe import FailSafe, FailSafeLog
from hotline.usecases.calls.incoming import CallRouting
from hotline.usecases.calls.recording import CallRecorder
from hotline.usecases.calls.status import CallStatus
from hotline.usecases.calls.transfer import Transfers
from hotline.usecases.calls.voicemail import Voicemail
from hotline.usecases.calls.waiting import WaitingRoom
from hotline.usecases.recovery import QueueRecovery

if TYPE_CHECKING:
    from hotline.bootstrap import Hotline
    from hotline.bootstrap.adapters import Adapters

# Failures of Redis or the database (or the network under them): after one, the voice
# blueprint answers with the fail-safe for a few seconds without trying (the breaker).
DEPENDENCY_ERRORS = (redis.RedisError, OperationalError, OSError)


def call_routing(hotline: Hotline) -> CallRouting:
    a = hotline.adapters
    # the Adapters object is the clock: it reads the settings' clock on every call (drills, tests)
    return CallRouting(a.directory, a, a.queues, _staffing(hotline), _flagged_callers(hotline), a.keyring,
                       _recorder(a), CallEventRooms(a.events))


def waiting_room(hotline: Hotline) -> WaitingRoom:
    a = hotline.adapters
    return WaitingRoom(a.directory, a, a.queues, a.queues, a.queues, _staffing(hotline), _hang_ups(hotline),
                       hotline.calls_routing, _recorder(a), CallEventRooms(a.events),
                       announce_every_s=a.settings.queue_announce_every_s,
                       max_wait_s=a.settings.max_queue_wait_s)


def transfers(hotline: Hotline) -> Transfers:
    a = hotline.adapters
    return Transfers(a.directory, a, a.queues, hotline.calls_routing)


def bridge(hotline: Hotline) -> Bridge:
    return Bridge(hotline.adapters.queues, _hang_ups(hotline))


def voicemail(hotline: Hotline) -> Voicemail:
    a = hotline.adapters
    return Voicemail(_recorder(a), CallEventRooms(a.events))


def call_status(hotline: Hotline) -> CallStatus:
    a = hotline.adapters
    return CallStatus(a, a.queues, hotline.calls_waiting, _hang_ups(hotline), _recorder(a),
                      CallEventRooms(a.events))


def failsafe(hotline: Hotline) -> FailSafe:
    """Only what is in memory: building it cannot fail while Redis or the database is down."""
    return FailSafe(hotline.adapters.directory, hotline.adapters)


def failsafe_log(hotline: Hotline) -> FailSafeLog:
    return FailSafeLog(_recorder(hotline.adapters))


def queue_recovery(adapters: Adapters) -> QueueRecovery:
    """From the adapters alone: the legacy tick builds it too (Adapters.lost_queues)."""
    return QueueRecovery(adapters, adapters.directory, adapters.queues, adapters.queues,
                         lambda: CallsUnitOfWork(adapters.db), _FlaggedSetTransition(adapters))


def _recorder(adapters: Adapters) -> CallRecorder:
    return CallRecorder(adapters, adapters.keyring, adapters.records)


# --- other areas' collaborators -----------------------------------------------------------
# At merge each becomes the Hotline attribute named in hotline/ports.py.

def _staffing(hotline: Hotline) -> Staffing:
    return _StaffingTransition(hotline.adapters)          # → hotline.staffing (roster area)


def _flagged_callers(hotline: Hotline) -> FlaggedCallers:
    return _FlaggedCallersTransition(hotline.adapters)    # → hotline.flagged_callers (triage area)


def _hang_ups(hotline: Hotline) -> HangUps:
    return _HangUpsTransition(hotline.adapters)           # → hotline.hang_ups (console area)


class _StaffingTransition:
    """TRANSITION (calls area): Staffing over the legacy Services (roster area)."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters

    def lines_for(self, presence: Presence, at) -> set[str]:
        return self.adapters.eligibility.lines_for(presence, at)

    def staffed_counts(self, at) -> dict[str, int]:
        return self.adapters.staffed_counts(at)


class _FlaggedCallersTransition:
    """TRANSITION (calls area): FlaggedCallers as the voice flow read it, the Redis set
    of flagged caller keys (triage area)."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters

    def is_flagged(self, caller_keys: Sequence[str]) -> bool:
        return any(self.adapters.redis.smismember(self.adapters.keys.flagged(), list(caller_keys)))


class _FlaggedSetTransition:
    """TRANSITION (calls area): FlaggedSetRepair over the legacy triage files code."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters

    def ensure_flagged(self) -> bool:
        # TRANSITION: legacy triage code taking Services; the triage area's collaborator replaces it
        from hotline.usecases.triage.files import ensure_flagged

        return ensure_flagged(self.adapters)


class _HangUpsTransition:
    """TRANSITION (calls area): HangUps over the legacy console code (console area)."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters

    def caller_hung_up(self, call_sid: str) -> None:
        # TRANSITION: legacy console code, which imports back into the composition root
        from hotline.usecases.console import ConsoleService

        ConsoleService(self.adapters).caller_hung_up(call_sid)

    def caller_leaves_queue(self, call_sid: str, reason: str) -> bool:
        left, withdrawn_from = self.adapters.dispatcher.leave_queue(call_sid, reason)
        if not left:
            return False
        if withdrawn_from is not None:
            notices = self.adapters.notices
            notices.publish("offer.withdrawn", {"call": call_sid, "reason": "caller_left"}, withdrawn_from)
            notices.presence(withdrawn_from)
            self.adapters.poke_dispatch()
        return True
