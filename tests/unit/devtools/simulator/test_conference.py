"""The simulator's conferences: <Dial><Conference>, Participants requests, and the callbacks
Twilio sends for them, numbered in order; a third party that does not answer; the caller
hanging up mid-consult."""
from __future__ import annotations

import asyncio
import json

import hotline.devtools.simulator.conference as conference
from tests.unit.devtools.simulator.fakes import make_call, response

CA = "CA" + "1" * 32
API = "https://api.twilio.com/2010-04-01/Accounts/AC" + "0" * 32
ROOM = f"call-{CA}"
DIAL = response(f'<Dial action="bridge-result"><Conference participantLabel="caller" '
                f'statusCallback="/voice/conference-status">{ROOM}</Conference></Dial>')


def rest(method, path, data=None) -> bytes:
    return json.dumps({"method": method, "url": API + path, "data": data or {}}).encode()


async def _until(predicate, timeout=3.0):
    for _ in range(int(timeout / 0.005)):
        if predicate():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition never met")


def callbacks(hooks):
    return [(p["StatusCallbackEvent"], p["ParticipantLabel"], int(p["SequenceNumber"]))
            for p in hooks.to("/voice/conference-status")]


def test_parse_participant_requests():
    create = conference.parse_participant(rest("POST", f"/Conferences/{ROOM}/Participants.json", {"To": "120"}))
    assert (create.method, create.conference, create.participant) == ("POST", ROOM, None)
    update = conference.parse_participant(rest("POST", f"/Conferences/CF{'2' * 32}/Participants/{CA}.json",
                                               {"Hold": "true"}))
    assert update.participant == CA and update.data == {"Hold": "true"}
    assert conference.parse_participant(rest("POST", f"/Calls/{CA}.json")) is None
    assert conference.parse_participant(b"junk") is None


def test_a_consult_with_hold_a_silent_third_party_and_the_caller_hanging_up_mid_consult():
    call, hooks = make_call({"/voice/incoming": DIAL}, talk_mean=400, time_scale=0.001)
    shared = call.shared

    async def scenario():
        shared.hooks = hooks
        runner = asyncio.create_task(call.run())
        counselor = {"To": "client:counselor-7", "Label": "counselor-7",
                     "ConferenceStatusCallback": "https://hotline.example.test/voice/conference-status"}
        await conference.carry_out(shared, conference.parse_participant(
            rest("POST", f"/Conferences/{ROOM}/Participants.json", counselor)), 1.0)
        await _until(lambda: any(e[1] == "counselor-7" for e in callbacks(hooks)))
        room = shared.conferences[ROOM]
        await conference.carry_out(shared, conference.parse_participant(
            rest("POST", f"/Conferences/{room.sid}/Participants/{CA}.json", {"Hold": "true"})), 1.0)
        silent = {"To": "120", "Label": "third-120",
                  "StatusCallback": f"https://hotline.example.test/voice/conference-party?call={CA}&label=third-120"}
        await conference.carry_out(shared, conference.parse_participant(
            rest("POST", f"/Conferences/{ROOM}/Participants.json", silent)), 0.0)
        consultant = {"To": "client:counselor-9", "Label": "consultant-9"}
        await conference.carry_out(shared, conference.parse_participant(
            rest("POST", f"/Conferences/{ROOM}/Participants.json", consultant)), 1.0)
        await runner       # the caller hangs up while the consultant is still on

    asyncio.run(scenario())
    events = callbacks(hooks)
    sequence = [n for _, _, n in events]
    assert sequence == sorted(sequence) and len(set(sequence)) == len(sequence)
    names = [(e, label) for e, label, _ in events]
    assert names[:3] == [("conference-start", ""), ("participant-join", "caller"), ("participant-join", "counselor-7")]
    assert ("participant-hold", "caller") in names
    assert ("participant-join", "third-120") not in names
    assert ("participant-join", "consultant-9") in names
    assert names[-4:] == [("participant-leave", "caller"), ("participant-leave", "counselor-7"),
                          ("participant-leave", "consultant-9"), ("conference-end", "")]
    party = hooks.to("/voice/conference-party")
    assert [p["CallStatus"] for p in party] == ["no-answer"]
    every = hooks.to("/voice/conference-status")
    assert {p["FriendlyName"] for p in every} == {ROOM} and all(p["ConferenceSid"].startswith("CF") for p in every)
    assert ROOM not in call.shared.conferences
