"""Parsing what Twilio sends as the caller: a valid number, or "number withheld" (号码未显示)."""
from __future__ import annotations

import pytest

from hotline.telephony.inbound import caller_number, inbound

# Twilio's withheld caller ids: the alpha strings it sends since its 2022 change, and the
# keypad-digit spellings it sent before (ANONYMOUS, RESTRICTED, UNAVAILABLE, UNKNOWN), which a
# naive parser reads as numbers; and whatever else is not a number.
WITHHELD = ["anonymous", "Anonymous", "ANONYMOUS", "Restricted", "RESTRICTED", "Unknown", "Unavailable",
            "Private", "+266696687", "+7378742833", "+86282452253", "+8656696", "266696687",
            "client:counselor-7", "sip:someone@example.com", "+", "", "   ", None, "+0", "12",
            "not a number", "+86 138"]


@pytest.mark.parametrize("raw", WITHHELD)
def test_anything_that_is_not_a_valid_number_is_withheld(raw):
    assert caller_number(raw) == ""
    call = inbound({"CallSid": "CA1", "To": "+862887577510", "From": raw or ""})
    assert call.withheld and call.caller == "" and call.region is None


@pytest.mark.parametrize("raw, e164", [("+8613551585969", "+8613551585969"),
                                       (" +86 135 5158 5969 ", "+8613551585969"),
                                       ("13551585969", "+8613551585969"),     # national form: CN assumed
                                       ("+862887577510", "+862887577510"),
                                       ("+14155552671", "+14155552671")])
def test_a_valid_number_is_kept_in_e164(raw, e164):
    call = inbound({"CallSid": "CA1", "To": "+862887577510", "From": raw})
    assert caller_number(raw) == e164
    assert call.caller == e164 and not call.withheld


def test_caller_falls_back_to_the_caller_field():
    call = inbound({"CallSid": "CA1", "To": "+862887577510", "Caller": "+8613551585969"})
    assert call.caller == "+8613551585969"


# --- parsed once (issue #18) ---------------------------------------------------------------

def _fresh_caller() -> str:
    import secrets
    return "+86139" + "".join(secrets.choice("0123456789") for _ in range(8))   # a mobile block: valid


def test_a_webhook_parses_each_number_once_and_a_repeated_one_not_at_all(monkeypatch):
    import phonenumbers

    from hotline.telephony.inbound import inbound

    parsed: list[str] = []
    real = phonenumbers.parse
    monkeypatch.setattr(phonenumbers, "parse", lambda text, region=None, *a, **k: parsed.append(text) or
                        real(text, region, *a, **k))
    caller, ours = _fresh_caller(), "+8628" + "".join(str(n) for n in range(8))
    form = {"CallSid": "CA1", "To": ours, "From": caller, "CallStatus": "ringing"}
    call = inbound(form)
    assert call.caller == caller and call.region      # the region is geocoded from the same parse
    assert sorted(parsed) == sorted([caller, ours])
    again = inbound(form | {"CallSid": "CA2"})        # the next wait round, the status callback
    assert (again.caller, again.dialled, again.region) == (call.caller, call.dialled, call.region)
    assert len(parsed) == 2


def test_remembered_answers_are_the_same_as_fresh_ones():
    from hotline.telephony import inbound as module

    for raw in ("anonymous", "+266696687", " +8613551585969 ", "028-87577510", "client:counselor-1", ""):
        text = raw.strip()
        assert module.caller_number(raw) == module._caller_number.__wrapped__(text)   # noqa: SLF001 — the unremembered
        assert module.normalise(raw) == module._normalised.__wrapped__(text)          # noqa: SLF001
    caller_number, normalise = module.caller_number, module.normalise
    assert caller_number("+266696687") == "" and caller_number(" +8613551585969 ") == "+8613551585969"
    assert normalise("028-87577510") == "+862887577510" and normalise("client:counselor-1") == "client:counselor-1"


@pytest.mark.parametrize("sid", ["", "   ", "\x08", "CA1\x00", "CA\n1", "C" * 65])
def test_a_call_sid_twilio_could_not_have_sent_is_refused(sid):
    """A CallSid is echoed into TwiML (conference names, URLs): one with control characters
    is refused here, so the webhook answers its fail-safe route instead."""
    with pytest.raises(ValueError, match="CallSid"):
        inbound({"CallSid": sid, "To": "+862887577510", "From": "+8613551585969"})
