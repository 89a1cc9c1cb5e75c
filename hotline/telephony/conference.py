"""A call as a Twilio conference: the callbacks parsed, the TwiML that joins a leg, and
the Conference/Participants REST calls of hotline.ports.ConferenceControl.

Every party joins with `endConferenceOnExit=false`: the caller is never dropped because a
counselor's browser, a consultant or an emergency service left or never answered; the
conference ends when its last party has left. Each party carries its label (its role), so
Twilio's callbacks (`ParticipantLabel`) say who changed without a lookup.
"""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, Mapping
from urllib.parse import urlencode

from twilio.twiml.voice_response import Dial, VoiceResponse

from hotline.ports import ConferenceEvent, call_of_conference, conference_name
from hotline.telephony import prompts, twiml

STATUS_PATH = "/voice/conference-status"
PARTY_PATH = "/voice/conference-party"
HOLD_PATH = "/voice/conference-hold"
EVENTS = ["start", "end", "join", "leave", "hold", "mute", "modify"]   # `speaker` is not needed
PARTY_EVENTS = ["initiated", "ringing", "answered", "completed"]
KNOWN_EVENTS = ("conference-start", "conference-end", "participant-join", "participant-leave",
                "participant-hold", "participant-unhold", "participant-mute", "participant-unmute",
                "participant-modify")


class CallbackError(ValueError):
    """A conference callback we cannot read (the message names the field)."""


def conference_event(form: Mapping[str, str]) -> ConferenceEvent:
    """Twilio's conference status callback form → a ConferenceEvent."""
    name = form.get("FriendlyName", "")
    call_sid = call_of_conference(name)
    if call_sid is None:
        raise CallbackError(f"FriendlyName {name!r} 不是本系统的通话会议 / is not a call conference (call-<CallSid>)")
    event = form.get("StatusCallbackEvent", "")
    if event not in KNOWN_EVENTS:
        raise CallbackError(f"StatusCallbackEvent {event!r} 未知 / unknown")
    sequence = form.get("SequenceNumber", "")
    if not sequence.strip().isdigit():
        raise CallbackError(f"SequenceNumber {sequence!r} 应为整数 / must be a whole number")
    return ConferenceEvent(call_sid, event, int(sequence), _timestamp(form.get("Timestamp", "")),
                           form.get("ConferenceSid", ""), form.get("CallSid", ""), form.get("ParticipantLabel", ""),
                           _flag(form, "Muted"), _flag(form, "Hold"), _flag(form, "Coaching"),
                           form.get("ReasonParticipantLeft") or form.get("ReasonConferenceEnded") or "")


def _timestamp(raw: str) -> datetime:
    """RFC 2822 as Twilio sends it ("Wed, 02 Dec 2026 05:30:00 +0000"); ISO 8601 accepted."""
    try:
        at = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        try:
            at = datetime.fromisoformat(raw)
        except ValueError:
            raise CallbackError(f"Timestamp {raw!r} 无法解析 / cannot be read (RFC 2822)") from None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _flag(form: Mapping[str, str], name: str) -> bool | None:
    value = form.get(name)
    return None if value is None or value == "" else value.lower() == "true"


def join_conference(call_sid: str, label: str = "caller") -> VoiceResponse:
    """The caller's (or any TwiML leg's) way into the call's conference."""
    response = VoiceResponse()
    twiml.say(response, prompts.CONNECTING)
    dial = Dial(action=twiml.url("bridge-result", call=call_sid), method="POST")
    dial.conference(conference_name(call_sid), participant_label=label, start_conference_on_enter=True,
                    end_conference_on_exit=False, beep="false", wait_url=HOLD_PATH, wait_method="POST",
                    status_callback=STATUS_PATH, status_callback_method="POST",
                    status_callback_event=" ".join(EVENTS))
    response.append(dial)
    return response


def hold_audio() -> VoiceResponse:
    """What a held caller hears (hold URL and wait URL): a message and the breathing exercise."""
    response = VoiceResponse()
    twiml.say(response, prompts.CONFERENCE_HOLD)
    twiml.say(response, prompts.BREATHING)
    response.pause(length=5)
    return response


class TwilioConferences:
    """hotline.ports.ConferenceControl with the twilio REST client."""

    def __init__(self, client, absolute: Callable[[str], str]) -> None:
        self.client = client
        self.absolute = absolute

    def add_party(self, call_sid: str, label: str, to: str, *, from_: str, muted: bool = False,
                  coaching_sid: str | None = None, timeout_s: int = 30) -> str:
        """By the conference's name: Twilio creates it if the caller's leg is not in yet."""
        extra = {"coaching": True, "call_sid_to_coach": coaching_sid} if coaching_sid else {}
        party_status = self.absolute(PARTY_PATH + "?" + urlencode({"call": call_sid, "label": label}))
        participant = self.client.conferences(conference_name(call_sid)).participants.create(
            from_=from_ or "hotline", to=to, label=label, timeout=timeout_s, muted=muted, beep="false",
            early_media=True, start_conference_on_enter=True, end_conference_on_exit=False,
            status_callback=party_status, status_callback_method="POST", status_callback_event=PARTY_EVENTS,
            conference_status_callback=self.absolute(STATUS_PATH), conference_status_callback_method="POST",
            conference_status_callback_event=EVENTS, **extra)
        return participant.call_sid

    def update_party(self, conference_sid: str, participant: str, **changes) -> None:
        self.client.conferences(conference_sid).participants(participant).update(**changes)

    def remove_party(self, conference_sid: str, participant: str) -> None:
        self.client.conferences(conference_sid).participants(participant).delete()
