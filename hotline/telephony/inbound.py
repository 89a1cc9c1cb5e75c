"""What a Twilio request tells us about a call, normalised once (hotline.ports.InboundCall)."""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping

import phonenumbers

from hotline.ports import InboundCall
from hotline.routing.regions import NUMBERS_REMEMBERED, parse_number


def normalise(raw: str | None) -> str:
    """E.164 where the text is a phone number; the stripped text otherwise
    (Twilio sends 'client:...' for browser legs and 'anonymous' for hidden ids)."""
    return _normalised((raw or "").strip())


@lru_cache(maxsize=NUMBERS_REMEMBERED)   # our own numbers, a handful: parsed once per process
def _normalised(text: str) -> str:
    parsed = parse_number(text)
    return text if parsed is None else phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def caller_number(raw: str | None) -> str:
    """The caller's E.164 number, or "" when the number is withheld (号码未显示).

    Withheld is anything phonenumbers does not call a valid number: the alpha strings
    Twilio sends ('anonymous', 'Restricted', 'Unknown', 'Unavailable', 'Private', ...),
    browser legs ('client:...'), '+' or other text, and the keypad-digit spellings Twilio
    used to send before its 2022 change ('+266696687' is ANONYMOUS, '+7378742833'
    RESTRICTED, '+86282452253' UNAVAILABLE, '+8656696' UNKNOWN), which parse as numbers
    but are not valid ones. A withheld caller is routed like anyone else but has no
    caller key: never geocoded, never a caller file, never linked to another caller.

    Each value is parsed once per process (the same parse the region is geocoded from,
    since Twilio sends E.164) and remembered: a call's every webhook carries it again."""
    return _caller_number((raw or "").strip())


@lru_cache(maxsize=NUMBERS_REMEMBERED)
def _caller_number(text: str) -> str:
    if not text.startswith("+") and not text[:1].isdigit():
        return ""
    parsed = parse_number(text)
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def inbound(form: Mapping[str, str]) -> InboundCall:
    sid = (form.get("CallSid") or "").strip()
    if not sid or len(sid) > 64 or not sid.isprintable():   # Twilio's are 'CA' + 32 hex digits
        raise ValueError("CallSid 缺失或无效 / missing or invalid CallSid")
    return InboundCall(sid, normalise(form.get("To") or form.get("Called")),
                       caller_number(form.get("From") or form.get("Caller")), form.get("CallStatus") or "")


def seconds(value: str | None) -> float:
    """A duration Twilio sends (QueueTime, ...): never negative, 0 when missing or garbled."""
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 0.0
