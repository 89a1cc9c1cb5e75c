"""A third party's outcome to the triage area's emergency checklist (hotline.ports.EmergencyLog).

The checklist is the record's, not the call's: a database that cannot be written now must
never change what the caller hears or break a webhook, so a failure is logged (without the
number) and the call goes on; the call record keeps the outcome as its own event anyway.
"""
from __future__ import annotations

import logging
from datetime import datetime

from hotline.ports import EmergencyLog, PartyInvite, ThirdPartyCall

log = logging.getLogger(__name__)


def log_third_party(emergency_log: EmergencyLog | None, call_sid: str, invite: PartyInvite, outcome: str,
                    at: datetime) -> None:
    if emergency_log is None:
        return
    try:
        emergency_log.third_party(call_sid, ThirdPartyCall(invite.label, invite.target, invite.by, invite.at,
                                                           outcome, at))
    except Exception as exc:
        log.error("紧急清单未能记录第三方结果 / emergency checklist not updated for call %s (%s): %s",
                  call_sid, invite.label, type(exc).__name__)
