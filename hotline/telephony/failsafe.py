"""The answer when our own parts fail: transfer to an external line open now.

Uses only the directory already in memory and the clock — no Redis, no database —
so a caller hears a valid route even when everything else is down.
"""
from __future__ import annotations

import logging
from datetime import datetime

from twilio.twiml.voice_response import VoiceResponse

from hotline.routing.decision import CallFacts, LiveState, route
from hotline.routing.directory import Directory
from hotline.telephony import prompts, twiml

log = logging.getLogger(__name__)

LAST_RESORT = ("很抱歉，系统暂时无法为您转接。" + prompts.EMERGENCY +
               "请稍后再拨，或拨打当地心理援助热线。")


def failsafe_response(directory: Directory | None, dialled: str, now: datetime,
                      line_id: str | None = None) -> VoiceResponse:
    """Route as if nobody were on shift anywhere: only external lines can be chosen."""
    try:
        tried = frozenset({line_id}) if line_id else frozenset()
        routed = route(directory, CallFacts(dialled=dialled, at=now, tried=tried), LiveState())
        return twiml.render(routed.decision, directory, now)
    except Exception:
        log.exception("故障转接也失败 / fail-safe routing failed; using the last-resort answer")
        return twiml.hangup(LAST_RESORT)


def transferred_to(response: VoiceResponse) -> str | None:
    """The number a fail-safe answer dials (None: it could only say the hours)."""
    xml = response.to_xml()
    if "<Number" not in xml:
        return None
    return xml.split("<Number", 1)[-1].split(">", 1)[-1].split("<", 1)[0]
