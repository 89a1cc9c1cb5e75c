"""Offers, acceptance, declines, timeouts, continuity and wrap-up."""
from datetime import timedelta

import pytest

from hotline.usecases.console import ConsoleError
from hotline.store.calls import find
from tests.integration.voice.conftest import local


def test_longest_waiting_call_goes_to_longest_idle_counselor(floor):
    floor.counselor(1, state="break")
    first, second = floor.caller("+8613800000001"), floor.caller("+8613800000002")
    floor.at(local(2026, 11, 23, 10, 0, 5))
    floor.counselor(2)                       # idle since 10:00:05
    floor.at(local(2026, 11, 23, 10, 0, 6))
    floor.console.set_presence(1, "available", "咨询师1", ("chengdu-gaoxin",))   # idle since 10:00:06
    floor.tick()
    assert floor.offered_to(2) == first
    assert floor.offered_to(1) == second
    offer = [p for e, p, rooms in floor.services.events.sent if e == "offer" and "counselor:2" in rooms][-1]
    assert offer["line"] == "chengdu-gaoxin" and offer["waited_s"] == 6.0
    assert "+86" not in str(offer)


def test_accept_bridges_the_call_and_records_the_answer(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.at(local(2026, 11, 23, 10, 0, 12))
    floor.console.accept(sid, 1)
    assert floor.state(1) == "on_call"
    assert floor.services.queues.length("chengdu-gaoxin") == 0
    rest = floor.rest_requests()[-1]
    assert rest["url"].endswith(f"/Queues/QU{'1' * 32}/Members/{sid}.json")
    assert rest["data"]["Url"] == f"http://127.0.0.1:5000/voice/bridge?counselor=1&call={sid}"
    floor.flush()
    with floor.services.db.session() as session:
        call = find(session, sid)
        assert (call.status, call.counselor_id, call.wait_seconds) == ("answered", 1, 12.0)


def test_bridge_webhook_rings_the_counselor_browser_when_conferences_are_off(bridge_floor):
    from tests.integration.voice.conftest import CALLER, GAOXIN
    from tests.twilio_fake import call_params

    floor = bridge_floor
    sid = floor.caller()
    floor.counselor(7)
    floor.tick()
    floor.console.accept(sid, 7)
    assert not any("/Participants" in r["url"] for r in floor.rest_requests())
    twiml = floor.post("/voice/bridge?counselor=7&call=" + sid, call_params(sid, GAOXIN, CALLER))
    assert twiml.find("Dial/Client").text == "counselor-7"


def test_by_default_the_caller_joins_the_calls_conference(floor):
    """HOTLINE_CONFERENCE_CALLS defaults to on: accept dials the counselor into call-<sid>
    and /voice/bridge puts the caller in the same conference."""
    from tests.integration.voice.conftest import CALLER, GAOXIN
    from tests.twilio_fake import call_params

    sid = floor.caller()
    floor.counselor(7)
    floor.tick()
    floor.console.accept(sid, 7)
    added = [r for r in floor.rest_requests() if r["url"].endswith(f"/Conferences/call-{sid}/Participants.json")]
    assert [(r["data"]["Label"], r["data"]["To"]) for r in added] == [("counselor-7", "client:counselor-7")]
    twiml = floor.post("/voice/bridge?counselor=7&call=" + sid, call_params(sid, GAOXIN, CALLER))
    assert twiml.find("Dial/Client") is None
    assert twiml.find("Dial/Conference").text == f"call-{sid}"


def test_decline_offers_the_call_to_the_next_counselor(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.at(local(2026, 11, 23, 10, 0, 1))
    floor.counselor(2)
    floor.tick()
    assert floor.offered_to(1) == sid
    floor.console.decline(sid, 1)
    floor.tick()
    assert floor.offered_to(2) == sid
    assert floor.state(1) == "available" and floor.offered_to(1) is None


def test_offer_not_accepted_in_time_moves_on_and_sets_break(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.at(local(2026, 11, 23, 10, 0, 1))
    floor.counselor(2)
    floor.tick()
    floor.at(local(2026, 11, 23, 10, 0, 21))    # 20 s later
    floor.tick()
    assert floor.state(1) == "break"
    assert floor.offered_to(2) == sid
    notices = [p for e, p, rooms in floor.services.events.sent if e == "offer.withdrawn" and "counselor:1" in rooms]
    assert notices and notices[-1]["reason"] == "timeout"


def test_offer_still_ringing_before_timeout_stays(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.at(local(2026, 11, 23, 10, 0, 19))
    floor.tick()
    assert floor.offered_to(1) == sid


def test_wrap_up_then_available_again(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.console.accept(sid, 1)
    floor.at(local(2026, 11, 23, 10, 5))
    floor.console.end_call(sid, 1)
    assert floor.state(1) == "wrap_up"
    assert floor.rest_requests()[-1]["data"] == {"Status": "completed"}
    second = floor.caller("+8613800000002")
    floor.tick()
    assert floor.offered_to(1) is None            # no offer during wrap-up
    floor.at(local(2026, 11, 23, 10, 5, 30))
    floor.console.extend_wrap_up(1, 60)
    floor.at(local(2026, 11, 23, 10, 6, 5))       # default 60 s passed, but extended
    floor.tick()
    assert floor.state(1) == "wrap_up"
    floor.at(local(2026, 11, 23, 10, 7, 1))
    floor.tick()
    assert floor.offered_to(1) == second
    floor.flush()
    with floor.services.db.session() as session:
        assert find(session, sid).talk_seconds == 300.0


def test_repeat_caller_waits_briefly_for_their_last_counselor(floor):
    number = "+8613811112222"
    first = floor.caller(number)
    floor.counselor(1)
    floor.tick()
    floor.console.accept(first, 1)
    floor.console.end_call(first, 1)
    floor.counselor(2)                         # counselor 2 is free, counselor 1 in wrap-up
    repeat = floor.caller(number)
    floor.tick()
    assert floor.offered_to(2) is None         # held for counselor 1 ...
    floor.at(local(2026, 11, 23, 10, 0, 20))
    floor.console.ready(1)
    floor.tick()
    assert floor.offered_to(1) == repeat       # ... who gets it when ready
    offer = [p for e, p, rooms in floor.services.events.sent if e == "offer" and "counselor:1" in rooms][-1]
    assert offer["continuity"] is True and offer["history"]["previous_contacts"] == 1


def test_continuity_gives_up_after_the_short_wait(floor):
    number = "+8613811113333"
    first = floor.caller(number)
    floor.counselor(1)
    floor.tick()
    floor.console.accept(first, 1)             # counselor 1 stays on this call
    floor.counselor(2)
    floor.at(local(2026, 11, 23, 10, 1))
    floor.console.end_call(first, 1)
    repeat = floor.caller(number)
    floor.tick()
    assert floor.offered_to(2) is None
    floor.at(local(2026, 11, 23, 10, 1, 31))   # 30 s later: anyone may take it
    floor.tick()
    assert floor.offered_to(2) == repeat


def test_cannot_go_on_break_while_on_a_call(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.console.accept(sid, 1)
    with pytest.raises(ConsoleError):
        floor.console.set_presence(1, "break")
    with pytest.raises(ConsoleError):
        floor.console.accept(sid, 1)


def test_caller_hanging_up_during_offer_frees_the_counselor(floor):
    from tests.integration.voice.conftest import CALLER, GAOXIN
    from tests.twilio_fake import call_params

    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.post("/voice/status", call_params(sid, GAOXIN, CALLER, status="completed"))
    assert floor.state(1) == "available"
    with pytest.raises(ConsoleError):
        floor.console.accept(sid, 1)


def test_caller_hanging_up_during_talk_starts_wrap_up(floor):
    from tests.integration.voice.conftest import CALLER, GAOXIN
    from tests.twilio_fake import call_params

    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.console.accept(sid, 1)
    floor.at(local(2026, 11, 23, 10, 2))
    floor.post("/voice/status", call_params(sid, GAOXIN, CALLER, status="completed", CallDuration="120"))
    assert floor.state(1) == "wrap_up"
    assert floor.services.presence.get(1).until == local(2026, 11, 23, 10, 3)


def test_transfer_to_another_hosted_line_requeues_with_priority(floor):
    from tests.integration.voice.conftest import CALLER, GAOXIN
    from tests.twilio_fake import call_params

    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.console.accept(sid, 1)
    floor.staff("chengdu", counselor_id=50, state="on_call")
    floor.console.transfer(sid, 1, "chengdu")
    assert floor.state(1) == "wrap_up"
    assert floor.rest_requests()[-1]["data"]["Url"] == "http://127.0.0.1:5000/voice/transfer?line=chengdu"
    twiml = floor.post("/voice/transfer?line=chengdu", call_params(sid, GAOXIN, CALLER))
    assert twiml.find("Enqueue").text == "chengdu"
    assert floor.services.queues.waiting("chengdu") == [sid]


def test_transfer_to_an_external_line_dials_its_open_number(floor):
    from tests.integration.voice.conftest import CALLER, DEYANG, GAOXIN
    from tests.twilio_fake import call_params

    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.console.accept(sid, 1)
    floor.console.transfer(sid, 1, "deyang")
    twiml = floor.post("/voice/transfer?line=deyang", call_params(sid, GAOXIN, CALLER))
    assert twiml.find("Dial/Number").text == DEYANG


def test_transfer_to_unknown_line_is_refused(floor):
    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.console.accept(sid, 1)
    with pytest.raises(ConsoleError, match="unknown line"):
        floor.console.transfer(sid, 1, "atlantis")
    assert floor.state(1) == "on_call"


def test_caller_choosing_voicemail_during_an_offer_withdraws_it(floor):
    from tests.integration.voice.conftest import CALLER, GAOXIN
    from tests.twilio_fake import call_params

    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    left = floor.post("/voice/wait-key?line=chengdu-gaoxin", call_params(sid, GAOXIN, CALLER, Digits="1"))
    assert left.verbs() == ["Leave"]
    assert floor.state(1) == "available"
    with pytest.raises(ConsoleError):
        floor.console.accept(sid, 1)


def test_voicemail_key_after_acceptance_keeps_the_caller_for_the_counselor(floor):
    from tests.integration.voice.conftest import CALLER, GAOXIN
    from tests.twilio_fake import call_params

    sid = floor.caller()
    floor.counselor(1)
    floor.tick()
    floor.console.accept(sid, 1)
    stay = floor.post("/voice/wait-key?line=chengdu-gaoxin", call_params(sid, GAOXIN, CALLER, Digits="1"))
    assert stay.verbs() == ["Pause"]
    assert floor.state(1) == "on_call"
