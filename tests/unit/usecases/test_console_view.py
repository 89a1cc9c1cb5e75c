"""What the console shows (the API's and the socket snapshot's one dict), and who handles a call."""
from __future__ import annotations

from datetime import timedelta

from hotline.ports import HandledCall
from tests.unit.usecases.console_floor import Floor


def _state(floor: Floor, counselor_id: int = 1) -> dict:
    return floor.view.state(counselor_id, "李老师", ("gaoxin",), simulator=True)


def test_an_idle_counselor_sees_their_presence_and_every_line_hosted_first():
    floor = Floor()
    floor.counselor(1)
    state = _state(floor)
    assert state["counselor"] == {"id": 1, "name": "李老师", "lines": ["gaoxin"]}
    assert state["presence"] == {"state": "available", "since": floor.clock.now().isoformat(), "until": None,
                                 "call": None}
    assert (state["offer"], state["call"], state["simulator"]) == (None, None, True)
    assert [line["id"] for line in state["lines"]] == ["gaoxin", "chengdu", "deyang"]
    assert state["lines"][1]["menu"] == {"general": "一般 / General", "danger_now": "危险 / Danger"}
    assert state["lines"][2] == {"id": "deyang", "name": "德阳热线", "hosted": False, "menu": {}}
    assert state["now"] == floor.clock.now().isoformat()


def test_a_ringing_offer_shows_as_the_offer_event_carried_it():
    floor = Floor()
    floor.caller("CA1", ago_s=8)
    floor.counselor(1)
    floor.dispatcher.dispatch()
    [(event, _)] = floor.events_named("offer")
    offer = _state(floor)["offer"]
    assert offer == {k: v for k, v in event.items() if k not in ("continuity", "counselor")}
    assert offer["expires_at"] == (floor.clock.now() + timedelta(seconds=20)).isoformat()


def test_the_call_being_talked_shows_its_wait():
    floor = Floor()
    floor.clock.advance(seconds=0.5)
    floor.caller("CA1", ago_s=15)
    floor.counselor(1)
    floor.dispatcher.dispatch()
    floor.console.accept("CA1", 1)
    floor.clock.advance(minutes=3)
    call = _state(floor)["call"]
    assert call["call_sid"] == "CA1" and call["line"] == "gaoxin" and call["line_name"] == "高新区热线"
    assert call["waited_s"] == 15.0 and call["ended_at"] is None
    assert call["answered_at"] == (floor.clock.now() - timedelta(minutes=3)).isoformat()


def test_in_wrap_up_the_call_just_ended_comes_from_the_record():
    floor = Floor()
    now = floor.clock.now()
    floor.answered += [(1, HandledCall("CA0", "gaoxin", now - timedelta(hours=1), 3.0, now - timedelta(minutes=50))),
                       (1, HandledCall("CA1", "chengdu", now - timedelta(minutes=5), 12.5, now)),
                       (2, HandledCall("CA2", "gaoxin", now, 1.0, None))]
    floor.counselor(1, state="wrap_up", call="CA1", until=now + timedelta(seconds=60))
    assert _state(floor)["call"] == {"call_sid": "CA1", "line": "chengdu", "line_name": "成都市热线",
                                     "answered_at": (now - timedelta(minutes=5)).isoformat(), "waited_s": 12.5,
                                     "ended_at": now.isoformat()}
    assert _state(floor)["presence"]["until"] == (now + timedelta(seconds=60)).isoformat()


def test_the_console_still_loads_while_the_database_is_away():
    floor = Floor()
    floor.counselor(1, state="wrap_up", call="CA1", until=floor.clock.now())
    floor.database_down = True
    state = _state(floor)
    assert state["call"] is None and state["presence"]["state"] == "wrap_up"


def test_who_handles_a_call():
    floor = Floor()
    floor.caller("CA1")
    floor.counselor(1)
    floor.dispatcher.dispatch()
    assert floor.view.handles_call(1, "CA1")                        # it rings for them
    floor.console.accept("CA1", 1)
    floor.counselor(1, state="available")                           # live state moved on ...
    assert floor.view.handles_call(1, "CA1")                        # ... the call's hash still names them
    assert not floor.view.handles_call(2, "CA1")
    floor.answered.append((3, HandledCall("CA7", "gaoxin", floor.clock.now(), 1.0, None)))
    floor.writers.add((4, "CA7"))
    assert floor.view.handles_call(3, "CA7") and floor.view.handles_call(4, "CA7")   # the record, a note
    assert not floor.view.handles_call(5, "CA7")
