"""Wiring of the conference area: a call's conference callbacks and the in-call actions."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hotline.live.conference import ConferenceStore
from hotline.store.supervision_audit import SupervisionAuditTrail
from hotline.usecases.calls.conference import ConferenceCallbacks
from hotline.usecases.calls.conference_actions import ConferenceActions
from hotline.usecases.calls.conference_board import ConferenceBoard

if TYPE_CHECKING:
    from hotline.bootstrap import Hotline


def conference_callbacks(hotline: Hotline) -> ConferenceCallbacks:
    a = hotline.adapters
    return ConferenceCallbacks(ConferenceStore(a.redis, a.keys), a.queues, a.records, a.events,
                               show_listening=a.settings.show_listening, control=a.telephony.conferences,
                               emergency_log=hotline.emergency_log)


def conference_actions(hotline: Hotline) -> ConferenceActions:
    a = hotline.adapters
    # The triage area's referral directory: a verified number, never a placeholder.
    institution_phone = hotline.triage_referrals.dial_number
    return ConferenceActions(live=ConferenceStore(a.redis, a.keys), control=a.telephony.conferences,
                             queues=a.queues, records=a.records, hang_ups=hotline.hang_ups,
                             audit=SupervisionAuditTrail(a.records), clock=a,
                             institution_phone=institution_phone, absolute=a.telephony.absolute,
                             emergency_log=hotline.emergency_log)


def conference_board(hotline: Hotline) -> ConferenceBoard:
    a = hotline.adapters
    return ConferenceBoard(a.presence, ConferenceStore(a.redis, a.keys), a.queues)
