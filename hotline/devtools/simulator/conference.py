"""Twilio's conferences, played: `<Dial><Conference>` and the Participants API.

A conference is created by its name, by the first of the caller's `<Dial><Conference>` or
a Participants create (Hotline dials the counselor's leg as it accepts, before the caller
is moved). Each party's change is a status callback with Twilio's fields (ConferenceSid,
FriendlyName, StatusCallbackEvent, SequenceNumber, Timestamp, CallSid, ParticipantLabel,
Muted, Hold, Coaching), numbered in the order they happen. Parties dialled in answer after
a ring (a `client:` leg always; a number with --third-party-answer-prob, else `no-answer`
on its own status callback). When the caller hangs up (mid-consult too) the machine-played
parties leave after them and the conference ends.
"""
from __future__ import annotations

import asyncio
import json
import logging
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import unquote

from hotline.devtools.simulator.sids import new_sid

if TYPE_CHECKING:
    from hotline.devtools.simulator.call import Shared, SimCall

log = logging.getLogger(__name__)
_PARTICIPANTS = re.compile(r"/Conferences/([^/]+)/Participants(?:/([^/]+?))?(?:\.json)?$")
THIRD_PARTY_ANSWER_PROB = 0.8


@dataclass
class Party:
    label: str
    call_sid: str
    muted: bool = False
    hold: bool = False
    coaching: bool = False
    present: bool = True


@dataclass
class SimConference:
    name: str
    caller: "SimCall | None" = None
    status_url: str = ""
    sid: str = field(default_factory=lambda: new_sid("CF"))
    parties: dict[str, Party] = field(default_factory=dict)
    started: bool = False
    ended: bool = False
    _sequence: int = 0

    def party(self, key: str) -> Party | None:
        return self.parties.get(key) or next((p for p in self.parties.values() if p.call_sid == key), None)

    async def send(self, shared: "Shared", event: str, party: Party | None = None, **extra: str) -> None:
        if not self.status_url or self.caller is None:
            return
        self._sequence += 1
        params = {"ConferenceSid": self.sid, "FriendlyName": self.name, "StatusCallbackEvent": event,
                  "SequenceNumber": str(self._sequence), "Timestamp": format_datetime(datetime.now(timezone.utc)),
                  "CallSid": "", "ParticipantLabel": "", **extra}
        if party is not None:
            params.update(CallSid=party.call_sid, ParticipantLabel=party.label, Muted=_bool(party.muted),
                          Hold=_bool(party.hold), Coaching=_bool(party.coaching),
                          EndConferenceOnExit="false", StartConferenceOnEnter="true")
        await shared.hooks.notify(self.caller, self.status_url, params)

    async def join(self, shared: "Shared", party: Party) -> None:
        self.parties[party.label] = party
        if not self.started:
            self.started = True
            await self.send(shared, "conference-start")
        await self.send(shared, "participant-join", party)

    async def leave(self, shared: "Shared", party: Party, reason: str = "participant_hung_up") -> None:
        if not party.present:
            return
        party.present = False
        await self.send(shared, "participant-leave", party, ReasonParticipantLeft=reason)

    async def end(self, shared: "Shared") -> None:
        """The caller is gone: the machine-played parties leave after them, then the end."""
        if self.ended:
            return
        for party in list(self.parties.values()):
            await self.leave(shared, party)
        self.ended = True
        await self.send(shared, "conference-end", ReasonConferenceEnded="last-participant-left")
        shared.conferences.pop(self.name, None)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def conference(shared: "Shared", name: str) -> SimConference:
    found = shared.conferences.get(name)
    if found is None:
        found = shared.conferences[name] = SimConference(name)
    return found


# --- the caller's <Dial><Conference> ------------------------------------------------------------
async def caller_joins(shared: "Shared", call: "SimCall", name: str, label: str, status_url: str) -> SimConference:
    room = conference(shared, name)
    room.caller = call
    room.status_url = room.status_url or status_url
    waiting = [p for p in room.parties.values() if p.present]   # dialled in before the caller arrived
    room.parties = {}
    await room.join(shared, Party(label or "caller", call.record.call_sid))
    for party in waiting:
        await room.join(shared, party)
    return room


# --- the Participants API -------------------------------------------------------------------------
@dataclass(frozen=True)
class ParticipantCommand:
    method: str
    conference: str             # a CF sid or a friendly name
    participant: str | None     # a CallSid or a label; None for a create
    data: Mapping[str, str]


def parse_participant(raw: bytes | str) -> ParticipantCommand | None:
    try:
        message = json.loads(raw)
    except (ValueError, TypeError):
        return None
    url = str(message.get("url") or "").split("?")[0]
    match = _PARTICIPANTS.search(url)
    if match is None:
        return None
    data = message.get("data") or {}
    data = {str(k): str(v) for k, v in (data.items() if isinstance(data, Mapping) else data)}
    return ParticipantCommand(str(message.get("method") or "POST").upper(), unquote(match.group(1)),
                              unquote(match.group(2)) if match.group(2) else None, data)


def _room(shared: "Shared", key: str) -> SimConference | None:
    return shared.conferences.get(key) or next((c for c in shared.conferences.values() if c.sid == key), None)


async def carry_out(shared: "Shared", command: ParticipantCommand, answer_prob: float) -> None:
    if command.participant is None and command.method == "POST":
        room = conference(shared, command.conference)
        room.status_url = room.status_url or shared.mapper.public_url(command.data.get("ConferenceStatusCallback", ""))
        await _dial_in(shared, room, command.data, answer_prob)
        return
    room = _room(shared, command.conference)
    party = room.party(command.participant or "") if room else None
    if room is None or party is None or not party.present:
        log.debug("Participants request for an unknown party: %s %s", command.conference, command.participant)
        return
    if command.method == "DELETE":
        await room.leave(shared, party, "participant_removed")
        return
    await _update(shared, room, party, command.data)


async def _dial_in(shared: "Shared", room: SimConference, data: Mapping[str, str], answer_prob: float) -> None:
    to, label = data.get("To", ""), data.get("Label") or data.get("To", "")
    party = Party(label, new_sid("CA"), muted=data.get("Muted") == "true", coaching=data.get("Coaching") == "true")
    status_url = shared.mapper.public_url(data["StatusCallback"]) if data.get("StatusCallback") else ""
    await asyncio.sleep(shared.config.timing.real(2.0))          # it rings
    machine = to.startswith("client:")
    answers = machine or _chance(shared, answer_prob)
    if status_url and room.caller is not None:
        outcome = "in-progress" if answers else "no-answer"
        await shared.hooks.notify(room.caller, status_url, {"CallSid": party.call_sid, "CallStatus": outcome,
                                                            "To": to, "Direction": "outbound-api"})
    if not answers:
        return
    if room.caller is None:        # the caller is not in yet: joins when they arrive
        room.parties[label] = party
        return
    await room.join(shared, party)


_ANSWERS = random.Random()   # a third party's answer: independent of the callers' seeded behaviour


def _chance(shared: "Shared", probability: float) -> bool:
    return _ANSWERS.random() < probability


async def _update(shared: "Shared", room: SimConference, party: Party, data: Mapping[str, str]) -> None:
    if "Hold" in data and (data["Hold"] == "true") != party.hold:
        party.hold = data["Hold"] == "true"
        await room.send(shared, "participant-hold" if party.hold else "participant-unhold", party)
    if "Muted" in data and (data["Muted"] == "true") != party.muted:
        party.muted = data["Muted"] == "true"
        await room.send(shared, "participant-mute" if party.muted else "participant-unmute", party)
    if "Coaching" in data and (data["Coaching"] == "true") != party.coaching:
        party.coaching = data["Coaching"] == "true"
        await room.send(shared, "participant-modify", party)


def handles(raw: bytes, shared: "Shared", answer_prob: float = THIRD_PARTY_ANSWER_PROB) -> bool:
    """Start carrying out a Participants request (it rings, so it runs on its own); False if not one."""
    command = parse_participant(raw)
    if command is None:
        return False
    task: Any = asyncio.get_running_loop().create_task(carry_out(shared, command, answer_prob))
    shared.tasks.add(task)
    task.add_done_callback(shared.tasks.discard)
    return True
