"""A routing decision's TwiML rendered once and reused (telephony/answers.py `document`, issue #18).

The property: whatever the process rendered before, the text handed out for a decision is the
text a fresh render gives at this call's moment, for this directory. Hypothesis feeds decisions
from every kind of moment (closed lines that open today or tomorrow, next year's calendar),
staffing, menu choice and rollover, so that a document that depended on the clock or on the
call, and was reused, would be caught.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.ports import Prompt, RouteAnswer
from hotline.routing.decision import CallFacts, LiveState, Transfer, route
from hotline.routing.directory_loader import parse_directory
from hotline.telephony import twiml
from hotline.telephony.answers import document, render
from tests.unit.usecases.fakes_calls import (CITY, CLOSED_DIRECTORY, DIRECTORY, DIRECTORY_LINES, DISTRICT, EXTERNAL,
                                             SHANGHAI, local)

# an outside line with a weekday number and a round-the-clock one with an extension: which one a
# transfer dials depends on the moment, and the document must say the one dialled
TWO_NUMBERS = parse_directory({"lines": [
    {"id": "district", "name": "区热线", "region": "成都市", "level": "district", "hosted": True,
     "numbers": [{"number": "028-85337950", "schedule": "周一至周日，9:00-21:00"}], "fallback": ["external"]},
    {"id": "external", "name": "外部热线", "region": "德阳市", "level": "city", "hosted": False,
     "numbers": [{"number": "0838-6661611", "schedule": "周一至周五，9:00-17:00"},
                 {"number": "0838-6661622", "send_digits": "4", "schedule": "24小时"}]},
]})

moments = st.datetimes(min_value=datetime(2026, 11, 1), max_value=datetime(2028, 2, 1)).map(
    lambda naive: naive.replace(tzinfo=SHANGHAI))


def _fresh(answer: RouteAnswer) -> str:
    return twiml.to_xml(render(answer))


@settings(max_examples=300, deadline=None)
@given(at=moments, directory=st.sampled_from([DIRECTORY, CLOSED_DIRECTORY, TWO_NUMBERS]),
       dialled=st.sampled_from([CITY, DISTRICT, EXTERNAL, "+862861111111"]),
       staffed=st.sets(st.sampled_from(["city", "district", "day"])),
       menu_value=st.sampled_from([None, "general", "danger_now"]), flagged=st.booleans(),
       tried=st.sets(st.sampled_from(["city", "district"])), opening=st.sampled_from([None, Prompt.WELCOME]),
       priority=st.integers(0, 40))
def test_the_document_handed_out_is_the_one_rendered_now(at, directory, dialled, staffed, menu_value, flagged,
                                                        tried, opening, priority):
    facts = CallFacts(dialled=dialled, at=at, flagged=flagged, menu_value=menu_value, tried=frozenset(tried))
    decision = route(directory, facts, LiveState(staffed={line: 1 for line in staffed})).decision
    if hasattr(decision, "priority"):
        decision = replace(decision, priority=priority)       # stays with us: not in the document
    answer = RouteAnswer(decision, directory, at, opening, "区热线")
    assert document(answer) == _fresh(answer)
    assert document(answer) == _fresh(answer)                  # handed out again: still the same


def test_a_closed_line_says_when_it_opens_as_of_each_call():
    evening, night = local(2026, 11, 23, 22, 0), local(2026, 11, 24, 1, 0)   # district opens at 9:00
    said = []
    for at in (evening, night):
        decision = route(DIRECTORY, CallFacts(dialled=DISTRICT, at=at), LiveState(staffed={"city": 1})).decision
        assert twiml.route_key(decision) is None               # its words read the clock
        said.append(document(RouteAnswer(decision, DIRECTORY, at)))
    assert "将于明天9点开放" in said[0] and "将于今天9点开放" in said[1]


def test_an_unstaffed_lines_notice_is_rendered_once_and_reused():
    decisions = [route(DIRECTORY, CallFacts(dialled=DISTRICT, at=local(2026, 11, 23, 10, m)), LiveState()).decision
                 for m in (0, 30)]
    assert isinstance(decisions[0], Transfer) and decisions[0].notice.reason == "unstaffed"
    assert twiml.route_key(decisions[0]) == twiml.route_key(decisions[1]) is not None
    first = document(RouteAnswer(decisions[0], DIRECTORY, local(2026, 11, 23, 10, 0)))
    assert document(RouteAnswer(decisions[1], DIRECTORY, local(2026, 11, 23, 10, 30))) is first


def test_a_directory_loaded_again_renders_again():
    """The same decision over a directory whose line was renamed speaks the new name."""
    renamed = parse_directory({"lines": [
        {**line, "name": "德阳援助热线"} if line["id"] == "external" else line for line in DIRECTORY_LINES]})
    at = local(2026, 11, 23, 10, 0)
    decision = route(DIRECTORY, CallFacts(dialled=DISTRICT, at=at), LiveState()).decision   # unstaffed: to city
    before = document(RouteAnswer(decision, DIRECTORY, at))
    after = document(RouteAnswer(decision, renamed, at))
    assert "正在为您转接外部热线" in before and "正在为您转接德阳援助热线" in after
    assert after == _fresh(RouteAnswer(decision, renamed, at))


def test_next_year_and_the_year_after_read_the_same_rule():
    """A moment of next year's calendar is no different: a cached document is one of no clock."""
    for at in (local(2027, 10, 1, 10, 0), local(2028, 1, 1, 3, 0), local(2026, 12, 31, 23, 59) + timedelta(minutes=2)):
        for dialled in (CITY, DISTRICT, EXTERNAL):
            decision = route(DIRECTORY, CallFacts(dialled=dialled, at=at), LiveState(staffed={"city": 1})).decision
            answer = RouteAnswer(decision, DIRECTORY, at, Prompt.WELCOME, "区热线")
            assert document(answer) == _fresh(answer)
