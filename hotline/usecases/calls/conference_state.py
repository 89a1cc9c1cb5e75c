"""A call's conference, folded from its callbacks: the same answer for any arrival order.

Twilio numbers a conference's events (`SequenceNumber`) and may deliver them twice or
out of order. The fold keeps one copy of each (by its key), sorts by sequence number
(then timestamp), and applies them; a participant who left stays gone (a late `join`
cannot bring them back) and after `conference-end` every party has left. Invitations
(parties we dialled that have not joined) come from our own actions.
"""
from __future__ import annotations

from typing import Iterable

from hotline.ports import ConferenceEvent, ConferenceParty, ConferenceView, PartyInvite, role_of_label

FAILED_OUTCOMES = ("no-answer", "busy", "failed", "canceled")
_FLAGS = {"participant-hold": ("hold", True), "participant-unhold": ("hold", False),
          "participant-mute": ("muted", True), "participant-unmute": ("muted", False)}


def fold(call_sid: str, events: Iterable[ConferenceEvent], invites: Iterable[PartyInvite] = ()) -> ConferenceView:
    view = ConferenceView(call_sid)
    for invite in invites:
        state = "failed" if invite.outcome in FAILED_OUTCOMES else "invited"
        view.parties[invite.label] = ConferenceParty(invite.label, invite.role, state)
    unique = {event.key: event for event in events}
    for event in sorted(unique.values(), key=lambda e: (e.sequence, e.at)):
        _apply(view, event)
    return view


def _apply(view: ConferenceView, event: ConferenceEvent) -> None:
    view.conference_sid = view.conference_sid or event.conference_sid
    if event.event == "conference-start":
        view.started_at = view.started_at or event.at
    elif event.event == "conference-end":
        view.ended_at = event.at
        for party in view.parties.values():
            if party.present:
                _leave(party, event)
    elif event.event.startswith("participant-"):
        _apply_party(view, event)


def _apply_party(view: ConferenceView, event: ConferenceEvent) -> None:
    label = event.label or event.participant
    party = view.parties.get(label)
    if party is None:
        party = view.parties[label] = ConferenceParty(label, role_of_label(event.label), "invited")
    if party.state == "left" or view.ended_at is not None:
        return   # gone for good: a late join (or hold) changes nothing
    party.call_sid = party.call_sid or event.participant
    if event.event == "participant-join":
        party.joined_at = party.joined_at or event.at
        _take_flags(party, event)
    elif event.event == "participant-leave":
        _leave(party, event)
        return
    elif event.event == "participant-modify":   # coaching switched on or off (by the API)
        _take_flags(party, event)
    elif event.event in _FLAGS:
        name, value = _FLAGS[event.event]
        setattr(party, name, value)
        _take_flags(party, event, skip=name)
    party.state = _state(party)


def _take_flags(party: ConferenceParty, event: ConferenceEvent, skip: str = "") -> None:
    """Every participant callback carries Muted/Hold/Coaching: trust them when present."""
    for name in ("muted", "hold", "coaching"):
        value = getattr(event, name)
        if value is not None and name != skip:
            setattr(party, name, value)


def _leave(party: ConferenceParty, event: ConferenceEvent) -> None:
    party.state = "left"
    party.left_at = event.at
    party.hold = False


def _state(party: ConferenceParty) -> str:
    if party.hold:
        return "on_hold"
    if party.coaching:
        return "coaching"
    if party.muted:
        return "muted"
    return "joined"


def supervisor_mode(party: ConferenceParty) -> str:
    """listen (muted), coach (only the counselor hears), join (all hear)."""
    if party.coaching:
        return "coach"
    return "listen" if party.muted else "join"


def call_statuses(view: ConferenceView) -> list[str]:
    """What the dashboard shows per call: talking, on_hold, consulting, third_party, supervised."""
    statuses = []
    callers = view.present("caller")
    helpers = view.present("counselor") + view.present("consultant")
    if any(p.hold for p in callers):
        statuses.append("on_hold")
    elif callers and helpers:
        statuses.append("talking")
    if view.present("consultant"):
        statuses.append("consulting")
    if view.present("third_party"):
        statuses.append("third_party")
    if view.present("supervisor"):
        statuses.append("supervised")
    return statuses


def payload(view: ConferenceView, invites: Iterable[PartyInvite] = ()) -> dict:
    """The state sent to the browsers; `dialled` is the checklist of who was called, when,
    by whom, and the outcome (emergency services, institutions, colleagues)."""
    data = view.as_dict()
    data["dialled"] = [{"label": i.label, "target": i.target, "at": i.at.isoformat(), "by": i.by,
                        "outcome": i.outcome, "private": i.private} for i in invites]
    data["statuses"] = call_statuses(view)
    data["supervision"] = [{"label": p.label, "mode": supervisor_mode(p)} for p in view.present("supervisor")]
    return data
