"""What a Twilio request tells us about a call, normalised once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

import phonenumbers

from hotline.routing.regions import region_of


@dataclass(frozen=True)
class Inbound:
    call_sid: str
    dialled: str      # E.164 of our number
    caller: str       # E.164 of the caller — never logged, never stored in clear
    status: str

    @cached_property
    def region(self) -> str | None:
        """Geocoded once per request (routing and the record both ask)."""
        return region_of(self.caller)


def normalise(raw: str | None) -> str:
    """E.164 where the text is a phone number; the stripped text otherwise
    (Twilio sends 'client:...' for browser legs and 'anonymous' for hidden ids)."""
    text = (raw or "").strip()
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def inbound(form: Mapping[str, str]) -> Inbound:
    sid = (form.get("CallSid") or "").strip()
    if not sid or len(sid) > 64:
        raise ValueError("CallSid 缺失或无效 / missing or invalid CallSid")
    return Inbound(sid, normalise(form.get("To") or form.get("Called")),
                   normalise(form.get("From") or form.get("Caller")), form.get("CallStatus") or "")
