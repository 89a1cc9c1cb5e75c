"""What counselors and supervisors are told: the offer payload (no caller number), presence,
withdrawn offers; and the rooms each event goes to."""
from __future__ import annotations

from datetime import timedelta

from hotline.ports import Presence
from hotline.routing.assignment import Offer
from tests.unit.usecases.console_floor import Floor


def test_the_offer_payload_has_every_field_the_console_reads_and_never_the_number():
    floor = Floor()
    floor.caller("CA1", line_id="chengdu", priority=1, caller_key="k1:flagged", ago_s=42.5, menu="danger_now",
                 crisis="1", caller="+8613551585969")
    floor.context.flagged.add("k1:flagged")
    expires = floor.clock.now() + timedelta(seconds=20)
    payload = floor.notices.offer_payload("CA1", floor.clock.now(), expires)
    assert payload == {"call": "CA1", "line": "chengdu", "line_name": "成都市热线", "waited_s": 42.5,
                       "menu": "danger_now", "priority": 1, "priority_label": "优先 / priority", "crisis": True,
                       "expires_at": expires.isoformat(),
                       "flagged": True, "warning": "flagged: assess safety first",
                       "history": {"previous_contacts": 0, "last_contact_at": None},
                       "withheld": False, "caller_label": None}
    assert floor.context.asked == [("k1:flagged", "CA1")]
    assert "+86" not in str(payload)


def test_the_offer_of_a_withheld_number_says_so():
    floor = Floor()
    floor.caller("CA1", line_id="chengdu", caller_key="", withheld="1")
    payload = floor.notices.offer_payload("CA1", floor.clock.now())
    assert payload["withheld"] is True and payload["caller_label"] == "号码未显示 / number withheld"
    assert payload["flagged"] is False


def test_an_offer_of_a_call_without_a_known_line_or_menu_still_shows():
    floor = Floor()
    floor.queues.annotate("CA1", arrived_ms=str(int(floor.clock.now().timestamp() * 1000)))
    payload = floor.notices.offer_payload("CA1", floor.clock.now())
    assert (payload["line"], payload["line_name"], payload["menu"], payload["priority"]) == (None, "", None, 0)
    assert payload["expires_at"] is None and payload["crisis"] is False and payload["flagged"] is False
    assert payload["priority_label"] is None


def test_an_offer_says_in_words_why_a_call_comes_first_never_the_number():
    floor = Floor()
    floor.caller("CA1", priority=30)
    floor.caller("CA2", priority=20)
    flagged, crisis = (floor.notices.offer_payload(sid, floor.clock.now()) for sid in ("CA1", "CA2"))
    assert flagged["priority_label"] == "优先：高危回访来电 / priority: flagged caller"
    assert crisis["priority_label"] == "优先：选择了危机选项 / priority: chose the crisis option"
    assert "30" not in flagged["priority_label"] and "20" not in crisis["priority_label"]


def test_the_offer_event_adds_continuity_and_goes_only_to_the_counselor():
    floor = Floor()
    floor.caller("CA1")
    floor.notices.offered("CA1", Offer("CA1", 7, continuity=True), floor.clock.now(), floor.clock.now())
    [(payload, rooms)] = floor.events_named("offer")
    assert payload["continuity"] is True and payload["counselor"] == 7 and payload["call"] == "CA1"
    assert rooms == ("supervisors", "counselor:7")


def test_presence_is_announced_to_the_counselor_and_the_supervisors():
    floor = Floor()
    now = floor.clock.now()
    floor.presences.set(Presence(3, "wrap_up", now, ("gaoxin",), "王老师", "CA1", now + timedelta(seconds=60)))
    floor.notices.presence(3)
    floor.notices.presence(4)                                      # unknown: nothing to say
    [(payload, rooms)] = floor.events_named("presence")
    assert payload == {"counselor": 3, "state": "wrap_up", "since": now.isoformat(), "call": "CA1",
                       "until": (now + timedelta(seconds=60)).isoformat(), "name": "王老师", "lines": ["gaoxin"]}
    assert rooms == ("supervisors", "counselor:3")


def test_publish_names_the_rooms_of_the_counselor_and_the_line():
    floor = Floor()
    floor.notices.publish("call.ended", {"call": "CA1"}, 5, "gaoxin")
    floor.notices.publish("call.voicemail", {"call": "CA2"})
    floor.notices.withdrawn("CA3", 5, "timeout", "您已休息 / on break")
    assert [rooms for _, _, rooms in floor.events.sent] == [("supervisors", "counselor:5", "line:gaoxin"),
                                                            ("supervisors",), ("supervisors", "counselor:5")]
    assert floor.events.sent[-1][1] == {"call": "CA3", "reason": "timeout", "notice": "您已休息 / on break"}
