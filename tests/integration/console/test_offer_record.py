"""The call's live hash keeps only an offer that was taken: a withdrawn offer (declined,
timed out, the caller hung up or left the queue while it rang) leaves no offered_to or
offer_seq behind, so "offered" in the live state means "offered and accepted" once the
ringing is over (tests/integration/test_two_servers_500_calls.py counts on it)."""
from tests.integration.voice.conftest import CALLER, GAOXIN, local
from tests.twilio_fake import call_params


def _offer_fields(floor, sid: str) -> dict:
    state = floor.services.queues.call_state(sid)
    return {k: state[k] for k in ("offered_to", "offer_seq") if k in state}


def test_an_accepted_offer_stays_on_the_call(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    seq = _offer_fields(floor, sid)["offer_seq"]
    floor.console.accept(sid, 1)
    assert _offer_fields(floor, sid) == {"offered_to": "1", "offer_seq": seq}


def test_voicemail_key_while_the_offer_rings_leaves_no_offer_on_the_call(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    assert _offer_fields(floor, sid)["offered_to"] == "1"
    left = floor.post("/voice/wait-key?line=chengdu-gaoxin", call_params(sid, GAOXIN, CALLER, Digits="1"))
    assert left.verbs() == ["Leave"]
    assert _offer_fields(floor, sid) == {}
    assert floor.services.queues.call_state(sid)["status"] == "leaving"


def test_a_declined_or_timed_out_offer_is_forgotten_until_the_next_one(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.at(local(2026, 11, 23, 10, 0, 1))
    floor.counselor(2)
    floor.tick()
    first = int(_offer_fields(floor, sid)["offer_seq"])
    floor.console.decline(sid, 1)
    assert _offer_fields(floor, sid) == {}
    floor.tick()
    offer = _offer_fields(floor, sid)
    assert offer["offered_to"] == "2" and int(offer["offer_seq"]) > first
    floor.at(local(2026, 11, 23, 10, 0, 30))
    floor.tick()                                  # counselor 2 did not answer in time
    assert floor.state(2) == "break" and _offer_fields(floor, sid) == {}


def test_caller_hanging_up_while_it_rings_leaves_no_offer_on_the_call(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.post("/voice/status", call_params(sid, GAOXIN, CALLER, status="completed"))
    assert floor.state(1) == "available" and _offer_fields(floor, sid) == {}
