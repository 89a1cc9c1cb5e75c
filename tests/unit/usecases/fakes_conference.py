"""Fakes for the conference use cases: the live state, Twilio's Participants API, the audit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from hotline.ports import ConferenceEvent, PartyInvite

T0 = datetime(2026, 10, 12, 2, 0, tzinfo=timezone.utc)
CALL = "CA" + "1" * 32
CONF = "CF" + "2" * 32
COUNSELOR_LEG = "CA" + "3" * 32


class FakeConferenceLive:
    def __init__(self) -> None:
        self.kept: dict[str, dict[str, ConferenceEvent]] = {}
        self.invited: dict[str, dict[str, PartyInvite]] = {}

    def add_event(self, event: ConferenceEvent) -> bool:
        events = self.kept.setdefault(event.call_sid, {})
        if event.key in events:
            return False
        events[event.key] = event
        return True

    def events(self, call_sid: str) -> list[ConferenceEvent]:
        return list(self.kept.get(call_sid, {}).values())

    def invite(self, call_sid: str, invite: PartyInvite) -> None:
        self.invited.setdefault(call_sid, {})[invite.label] = invite

    def invites(self, call_sid: str) -> list[PartyInvite]:
        return list(self.invited.get(call_sid, {}).values())


@dataclass
class FakeConferenceControl:
    calls: list[tuple] = field(default_factory=list)
    fail_add: bool = False

    def add_party(self, call_sid, label, to, *, from_, muted=False, coaching_sid=None, timeout_s=30) -> str:
        self.calls.append(("add", call_sid, label, to, from_, muted, coaching_sid))
        if self.fail_add:
            raise RuntimeError("twilio said no")
        return "CA" + label.encode().hex()[:32].ljust(32, "0")

    def update_party(self, conference_sid, participant, **changes) -> None:
        self.calls.append(("update", conference_sid, participant, changes))

    def remove_party(self, conference_sid, participant) -> None:
        self.calls.append(("remove", conference_sid, participant))


@dataclass
class FakeAudit:
    sessions: list[tuple] = field(default_factory=list)

    def supervision(self, supervisor_id, call_sid, mode, started_at, ended_at) -> None:
        self.sessions.append((supervisor_id, call_sid, mode, started_at, ended_at))


def event(name: str, seq: int, label: str = "", participant: str = "", **flags) -> ConferenceEvent:
    return ConferenceEvent(CALL, name, seq, T0 + timedelta(seconds=seq), CONF, participant, label, **flags)


def started_call(counselor: int = 7) -> list[ConferenceEvent]:
    """The events of a conference whose caller and counselor have joined."""
    return [event("conference-start", 1),
            event("participant-join", 2, "caller", CALL, muted=False, hold=False, coaching=False),
            event("participant-join", 3, f"counselor-{counselor}", COUNSELOR_LEG, muted=False, hold=False,
                  coaching=False)]


class FakeEmergencyLog:
    """hotline.ports.EmergencyLog: the third-party calls the triage area was told about."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, object]] = []
        self.fail = fail

    def third_party(self, call_sid: str, call) -> None:
        if self.fail:
            raise RuntimeError("database down")
        self.calls.append((call_sid, call))
