"""The call use cases' answers as TwiML (telephony/answers.py), the words, the signature."""
from __future__ import annotations

from xml.etree import ElementTree

import pytest

from hotline.live.call_events import CallEventRooms
from hotline.ports import (Continue, FailSafeAnswer, HangUp, HoldOn, LeaveQueue, Prompt, RecordVoicemail,
                           RingCounselor, RouteAnswer, WaitRound)
from hotline.routing.decision import CallFacts, LiveState, route
from hotline.telephony import prompts
from hotline.telephony.answers import render
from hotline.telephony.failsafe import transferred_to
from hotline.telephony.signature import is_signed, signed_url
from tests.twilio_fake import sign
from tests.unit.usecases.fakes import FakeEvents
from tests.unit.usecases.fakes_calls import DIRECTORY, DISTRICT, EXTERNAL, local

NOW = local(2026, 11, 23, 10, 0)


def _xml(answer) -> ElementTree.Element:
    return ElementTree.fromstring(str(render(answer)))


def _said(root) -> list[str]:
    return [el.text for el in root.iter("Say")]


def test_a_route_says_its_opening_then_the_decision():
    decision = route(DIRECTORY, CallFacts(dialled=DISTRICT, at=NOW), LiveState(staffed={"district": 1})).decision
    root = _xml(RouteAnswer(decision, DIRECTORY, NOW, Prompt.WELCOME, "区热线"))
    assert [child.tag for child in root] == ["Say", "Enqueue"]
    assert _said(root) == ["您好，这里是区热线。"]
    assert root.find("Enqueue").get("waitUrl") == "/voice/wait?line=district"


@pytest.mark.parametrize("prompt,text", [
    (Prompt.TRANSFERRING, "正在为您转接，请稍候。"),
    (Prompt.TRANSFER_FAILED, "转接没有成功，正在为您尝试其他热线。"),
    (Prompt.GOODBYE, "感谢您的来电，再见。"),
    (Prompt.COUNSELOR_UNREACHED, "转接没有成功，如果您现在有危险，请立即拨打110或120。"),
    (Prompt.VOICEMAIL_THANKS, prompts.VOICEMAIL_THANKS)])
def test_fixed_words(prompt, text):
    root = _xml(HangUp(prompt))
    assert _said(root) == [text] and [child.tag for child in root] == ["Say", "Hangup"]


def test_the_wait_round_announces_the_place_and_offers_the_key():
    root = _xml(WaitRound("district", 2, 1200.0, breathing=True, pause_s=18))
    assert [child.tag for child in root] == ["Gather", "Pause"]
    assert root.find("Gather").get("action") == "/voice/wait-key?line=district"
    said = _said(root)
    assert "您前面还有1位来电者" in said[0] and "预计等待约20分钟" in said[0] and "请按1" in said[0]
    assert said[1] == prompts.BREATHING and root.find("Pause").get("length") == "18"


@pytest.mark.parametrize("answer,verbs", [(HoldOn(3), ["Pause"]), (LeaveQueue(), ["Leave"]), (Continue(), []),
                                          (HangUp(), ["Hangup"]),
                                          (RecordVoicemail("district"), ["Say", "Record", "Say", "Hangup"]),
                                          (RingCounselor(7, "CA1"), ["Say", "Dial"])])
def test_the_other_answers(answer, verbs):
    assert [child.tag for child in _xml(answer)] == verbs


def test_ring_counselor_dials_their_browser_identity():
    root = _xml(RingCounselor(7, "CA1"))
    assert root.find("Dial/Client").text == "counselor-7"
    assert root.find("Dial").get("action") == "/voice/bridge-result?call=CA1"


def test_the_failsafe_answer_dials_an_open_external_line_and_says_which():
    response = render(FailSafeAnswer(DIRECTORY, DISTRICT, NOW, "district"))
    assert transferred_to(response) == EXTERNAL
    assert transferred_to(render(HangUp(Prompt.GOODBYE))) is None


def test_call_events_go_to_the_supervisors_and_the_lines_named():
    events = FakeEvents()
    CallEventRooms(events).publish("call.ended", {"call": "CA1"}, "district", "", None)
    assert events.sent == [("call.ended", {"call": "CA1"}, ("supervisors", "line:district"))]


def test_signature_over_url_and_parameters():
    params = {"CallSid": "CA1", "To": DISTRICT}
    url = signed_url("https://hotline.example", "/voice/menu", "line=district")
    assert url == "https://hotline.example/voice/menu?line=district"
    good = sign("token", "https://hotline.example", "/voice/menu?line=district", params)
    assert is_signed("token", url, params, good)
    assert not is_signed("token", url, {**params, "To": EXTERNAL}, good)
    assert not is_signed("other-token", url, params, good)
    assert not is_signed("token", url, params, "")
    assert signed_url("https://hotline.example", "/voice/incoming", "") == "https://hotline.example/voice/incoming"
