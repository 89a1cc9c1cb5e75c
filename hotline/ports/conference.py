"""Ports of the conference area: an answered call as a conference (hold, consult, warm
transfer, a third party brought in, a supervisor listening, coaching or joining).

The conference of a call is named for the call (`call-<caller's CallSid>`). Each
participant carries a label that says its role (`caller`, `counselor-7`, `consultant-9`,
`supervisor-3`, `third-120`, `third-ref-<id>`); Twilio echoes it in every callback
(`ParticipantLabel`), so a callback alone says who changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

__all__ = [
    "CONFERENCE_PREFIX",
    "ConferenceEvent",
    "ConferenceParty",
    "ConferenceView",
    "PartyInvite",
    "ConferenceLive",
    "ConferenceControl",
    "SupervisorAudit",
    "JoinConference",
    "conference_name",
    "call_of_conference",
    "role_of_label",
]

CONFERENCE_PREFIX = "call-"
ROLE_PREFIXES = (("caller", "caller"), ("counselor-", "counselor"), ("consultant-", "consultant"),
                 ("supervisor-", "supervisor"), ("third-", "third_party"))


def conference_name(call_sid: str) -> str:
    return CONFERENCE_PREFIX + call_sid


def call_of_conference(friendly_name: str) -> str | None:
    """The caller's CallSid of a conference we named; None for one we did not."""
    if not friendly_name.startswith(CONFERENCE_PREFIX) or len(friendly_name) <= len(CONFERENCE_PREFIX):
        return None
    return friendly_name[len(CONFERENCE_PREFIX):]


def role_of_label(label: str) -> str:
    for prefix, role in ROLE_PREFIXES:
        if label == prefix or (prefix.endswith("-") and label.startswith(prefix)):
            return role
    return "unknown"


@dataclass(frozen=True)
class ConferenceEvent:
    """One conference status callback, parsed (telephony/conference.py)."""

    call_sid: str                 # the caller's call (the conference is named for it)
    event: str                    # StatusCallbackEvent: conference-start, participant-join, ...
    sequence: int                 # SequenceNumber: the order Twilio produced the events in
    at: datetime                  # Timestamp
    conference_sid: str = ""
    participant: str = ""         # the participant's CallSid ("" for conference events)
    label: str = ""               # ParticipantLabel
    muted: bool | None = None
    hold: bool | None = None
    coaching: bool | None = None
    reason: str = ""              # ReasonParticipantLeft / ReasonConferenceEnded

    @property
    def key(self) -> str:
        """Twilio may send a callback twice: the same key is the same event."""
        return f"{self.event}:{self.participant}:{self.sequence}"


@dataclass(frozen=True)
class PartyInvite:
    """A participant we dialled into the conference (before and after it answers)."""

    label: str
    role: str
    at: datetime
    target: str = ""              # what was dialled, for the checklist: "120", "ref:<id>", "counselor-9"
    by: int | None = None         # the user who asked
    outcome: str = "ringing"      # ringing, answered, no-answer, busy, failed, canceled
    private: bool = False         # the caller is on hold while they speak


@dataclass
class ConferenceParty:
    label: str
    role: str
    state: str                    # invited, joined, on_hold, muted, coaching, left, failed
    call_sid: str = ""
    muted: bool = False
    hold: bool = False
    coaching: bool = False
    joined_at: datetime | None = None
    left_at: datetime | None = None

    @property
    def present(self) -> bool:
        return self.state not in ("invited", "left", "failed")

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "role": self.role, "state": self.state, "muted": self.muted,
                "hold": self.hold, "coaching": self.coaching,
                "joined_at": self.joined_at.isoformat() if self.joined_at else None,
                "left_at": self.left_at.isoformat() if self.left_at else None}


@dataclass
class ConferenceView:
    """A conference folded from its events (in sequence order) and our invitations."""

    call_sid: str
    conference_sid: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    parties: dict[str, ConferenceParty] = field(default_factory=dict)

    def party(self, label: str) -> ConferenceParty | None:
        return self.parties.get(label)

    def present(self, role: str) -> list[ConferenceParty]:
        return [p for p in self.parties.values() if p.role == role and p.present]

    def as_dict(self) -> dict[str, Any]:
        return {"call": self.call_sid, "conference_sid": self.conference_sid,
                "started_at": self.started_at.isoformat() if self.started_at else None,
                "ended_at": self.ended_at.isoformat() if self.ended_at else None,
                "parties": [p.as_dict() for p in self.parties.values()]}


@dataclass(frozen=True)
class JoinConference:
    """A voice answer: put this leg into the call's conference (telephony/answers.py)."""

    call_sid: str                 # the caller's call: names the conference
    label: str = "caller"


class ConferenceLive(Protocol):
    """The live state of a call's conference (Redis: live/conference.py)."""

    def add_event(self, event: ConferenceEvent) -> bool:
        """Keep the event; False when it was already kept (a retried callback)."""
        ...

    def events(self, call_sid: str) -> list[ConferenceEvent]: ...

    def invite(self, call_sid: str, invite: PartyInvite) -> None:
        """Keep (or replace) the invitation of invite.label."""
        ...

    def invites(self, call_sid: str) -> list[PartyInvite]: ...


class ConferenceControl(Protocol):
    """Twilio's Conference and Participants API (telephony/conference.py)."""

    def add_party(self, call_sid: str, label: str, to: str, *, from_: str, muted: bool = False,
                  coaching_sid: str | None = None, timeout_s: int = 30) -> str:
        """Dial `to` into the call's conference; the new leg's CallSid."""
        ...

    def update_party(self, conference_sid: str, participant: str, **changes) -> None:
        """Hold / unhold (with the hold URL), mute, coaching, for one participant."""
        ...

    def remove_party(self, conference_sid: str, participant: str) -> None: ...


class SupervisorAudit(Protocol):
    """Every supervision session in the audit log: who, which call, mode, from–to."""

    def supervision(self, supervisor_id: int, call_sid: str, mode: str, started_at: datetime,
                    ended_at: datetime | None) -> None: ...
