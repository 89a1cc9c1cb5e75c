"""Wiring of the triage area: the triage use cases, each handed exactly its ports.

Each builder takes the process's Hotline (hotline/bootstrap/__init__.py, where they
become cached properties) and reads adapters from `hotline.adapters`, other triage use
cases from the Hotline itself. Connections stay lazy: a use case is built on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from hotline.live.triage import RedisCallerKeys, RedisFlaggedSet, RedisOnceClaims
from hotline.ports import Clock
from hotline.store.ops_uow import OpsUnitOfWork
from hotline.store.triage_uow import SqlTriageUnitOfWork
from hotline.usecases.triage.assessments import Assessments
from hotline.usecases.triage.blocked import BlockedRecords
from hotline.usecases.triage.close_guard import CloseGuard
from hotline.usecases.triage.config import TriageConfig
from hotline.usecases.triage.emergency_log import EmergencyCalls
from hotline.usecases.triage.file_view import CallerFileView, OfferContext
from hotline.usecases.triage.files import CallerFiles, FlaggedCallers
from hotline.usecases.triage.follow_ups import FollowUps
from hotline.usecases.triage.notes import CallNotes
from hotline.usecases.triage.origin import CallOrigins
from hotline.usecases.triage.panel import TriagePanel
from hotline.usecases.triage.referrals import Referrals
from hotline.usecases.triage.rekey import Rekey
from hotline.usecases.triage.risk_actions import RiskActions
from hotline.usecases.triage.supervision import Supervision

if TYPE_CHECKING:
    from hotline.bootstrap import Hotline
    from hotline.bootstrap.adapters import Adapters


def _uow(adapters: "Adapters") -> Callable[[], SqlTriageUnitOfWork]:
    return lambda: SqlTriageUnitOfWork(adapters.db)


def _clock(adapters: "Adapters") -> Clock:
    """Adapters.now() reads the settings' clock at each call (drills and tests move it)."""
    return adapters


def _flagged(adapters: "Adapters") -> RedisFlaggedSet:
    return RedisFlaggedSet(adapters.redis, adapters.keys)


def _origins(hotline: "Hotline") -> CallOrigins:
    return CallOrigins(hotline.adapters.queues, _uow(hotline.adapters))


# --- what other areas use (hotline.ports: CloseGuard, FlaggedCallers, OfferContext) ---------

def close_guard(hotline: "Hotline") -> CloseGuard:
    a = hotline.adapters
    return CloseGuard(_uow(a), a.presence, a.keyring)


def blocked_records(hotline: "Hotline") -> BlockedRecords:
    """Also hotline.ports.BlockedRecordList for the dashboard."""
    a = hotline.adapters

    def names(ids: set[int]) -> dict[int, str]:
        with OpsUnitOfWork(a.db) as uow:
            return uow.users.display_names(ids)
    return BlockedRecords(_uow(a), hotline.close_guard, a.presence, a.directory, hotline.alerts, hotline.alerts,
                          _clock(a), names)


def flagged_callers(hotline: "Hotline") -> FlaggedCallers:
    return FlaggedCallers(_flagged(hotline.adapters), _uow(hotline.adapters))


def offer_context(hotline: "Hotline") -> OfferContext:
    return OfferContext(hotline.flagged_callers, _uow(hotline.adapters))


# --- triage's own entry points (views, `hotline keys`, the follow-up job) ------------------

def triage_config(hotline: "Hotline") -> TriageConfig:
    return TriageConfig(hotline.settings.config_dir, referrals_file=hotline.settings.referrals_path)


def triage_follow_ups(hotline: "Hotline") -> FollowUps:
    a = hotline.adapters
    return FollowUps(_uow(a), a.jobs, hotline.alerts, _clock(a))


def triage_assessments(hotline: "Hotline") -> Assessments:
    a = hotline.adapters
    actions = RiskActions(hotline.alerts, _flagged(a), RedisOnceClaims(a.redis, a.keys),
                          hotline.triage_follow_ups, a.directory)
    return Assessments(hotline.triage_config, _origins(hotline), _uow(a), a.keyring, _clock(a), actions)


def triage_referrals(hotline: "Hotline") -> Referrals:
    a = hotline.adapters
    return Referrals(_uow(a), hotline.triage_config, _origins(hotline), a.keyring, _clock(a))


def emergency_log(hotline: "Hotline") -> EmergencyCalls:
    a = hotline.adapters
    return EmergencyCalls(_uow(a), a.keyring)


def triage_panel(hotline: "Hotline") -> TriagePanel:
    a = hotline.adapters
    return TriagePanel(_uow(a), a.keyring, _origins(hotline), hotline.triage_referrals, hotline.close_guard)


def caller_files(hotline: "Hotline") -> CallerFiles:
    a = hotline.adapters
    return CallerFiles(_uow(a), _flagged(a), a.keyring, _clock(a), _origins(hotline))


def caller_file_view(hotline: "Hotline") -> CallerFileView:
    a = hotline.adapters
    return CallerFileView(_uow(a), a.keyring, _clock(a), a.presence, a.queues, hotline.close_guard,
                          hotline.triage_referrals)


def triage_supervision(hotline: "Hotline") -> Supervision:
    a = hotline.adapters
    return Supervision(_uow(a), hotline.alerts, hotline.triage_referrals, hotline.triage_follow_ups, _clock(a),
                       hotline.blocked_records)


def call_notes(hotline: "Hotline") -> CallNotes:
    a = hotline.adapters
    return CallNotes(_uow(a), a.keyring, _clock(a))


def triage_rekey(hotline: "Hotline") -> Rekey:
    a = hotline.adapters
    return Rekey(_uow(a), a.keyring, RedisCallerKeys(a.redis, a.keys))
