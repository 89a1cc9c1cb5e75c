"""What a Twilio request tells us about a call, normalised once (hotline.ports.InboundCall)."""
from __future__ import annotations

from typing import Mapping

import phonenumbers

from hotline.ports import InboundCall


def normalise(raw: str | None) -> str:
    """E.164 where the text is a phone number; the stripped text otherwise
    (Twilio sends 'client:...' for browser legs and 'anonymous' for hidden ids)."""
    text = (raw or "").strip()
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def inbound(form: Mapping[str, str]) -> InboundCall:
    sid = (form.get("CallSid") or "").strip()
    if not sid or len(sid) > 64:
        raise ValueError("CallSid 缺失或无效 / missing or invalid CallSid")
    return InboundCall(sid, normalise(form.get("To") or form.get("Called")),
                       normalise(form.get("From") or form.get("Caller")), form.get("CallStatus") or "")


def seconds(value: str | None) -> float:
    """A duration Twilio sends (QueueTime, ...): never negative, 0 when missing or garbled."""
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 0.0
