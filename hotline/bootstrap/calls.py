"""Wiring of the calls area: the caller's path through /voice/* and queue recovery.

Each function builds one use case of hotline/usecases/calls/ (or recovery) from the
adapters and from other areas' collaborators on Hotline (Staffing: roster,
FlaggedCallers and the flagged set: triage, HangUps: console).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import redis
from sqlalchemy.exc import OperationalError

from hotline.live.call_events import CallEventRooms
from hotline.live.coverage_notices import RedisCoverageNotices
from hotline.live.roster_version import RedisRosterVersion
from hotline.live.routing_reads import RedisRoutingReads
from hotline.live.triage import RedisFlaggedSet
from hotline.live.wait_reads import RedisWaitReads
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
    return CallRouting(a.directory, a, a.queues, hotline.staffing, hotline.flagged_callers, a.keyring,
                       _recorder(a), CallEventRooms(a.events), reads=routing_reads(a),
                       notices=RedisCoverageNotices(a.redis, a.settings.redis_prefix))


def routing_reads(adapters: Adapters) -> RedisRoutingReads:
    """One pipeline for what routing reads; the key names are those of the stores that write them."""
    prefix = adapters.settings.redis_prefix
    return RedisRoutingReads(adapters.redis, adapters.keys, RedisRosterVersion(adapters.redis, prefix).key,
                             RedisFlaggedSet(adapters.redis, adapters.keys).sentinel_key,
                             adapters.event_publisher, adapters.record_carrier)


def waiting_room(hotline: Hotline) -> WaitingRoom:
    a = hotline.adapters
    routing = hotline.calls_routing
    reads = RedisWaitReads(a.redis, a.keys, routing.reads.version_key, routing.reads.presences, a.event_publisher)
    return WaitingRoom(a.directory, a, a.queues, a.queues, a.queues, hotline.staffing, hotline.hang_ups,
                       routing, _recorder(a), CallEventRooms(a.events),
                       announce_every_s=a.settings.queue_announce_every_s,
                       max_wait_s=a.settings.max_queue_wait_s, reads=reads)


def transfers(hotline: Hotline) -> Transfers:
    a = hotline.adapters
    return Transfers(a.directory, a, a.queues, hotline.calls_routing)


def bridge(hotline: Hotline) -> Bridge:
    return Bridge(hotline.adapters.queues, hotline.hang_ups, conference=hotline.adapters.settings.conference_calls)


def voicemail(hotline: Hotline) -> Voicemail:
    a = hotline.adapters
    return Voicemail(_recorder(a), CallEventRooms(a.events))


def call_status(hotline: Hotline) -> CallStatus:
    a = hotline.adapters
    return CallStatus(a, a.queues, hotline.calls_waiting, hotline.hang_ups, _recorder(a),
                      CallEventRooms(a.events))


def failsafe(hotline: Hotline) -> FailSafe:
    """Only what is in memory: building it cannot fail while Redis or the database is down."""
    return FailSafe(hotline.adapters.directory, hotline.adapters)


def failsafe_log(hotline: Hotline) -> FailSafeLog:
    # the queues and the console are reached only when a caller is to leave: building this
    # (in a webhook whose Redis just failed) touches neither
    return FailSafeLog(_recorder(hotline.adapters), lambda: hotline.adapters.queues, lambda: hotline.hang_ups)


def queue_recovery(hotline: Hotline) -> QueueRecovery:
    a = hotline.adapters
    return QueueRecovery(a, a.directory, a.queues, a.queues, lambda: CallsUnitOfWork(a.db), hotline.flagged_callers)


def _recorder(adapters: Adapters) -> CallRecorder:
    return CallRecorder(adapters, adapters.keyring, adapters.records)
