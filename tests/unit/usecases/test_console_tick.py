"""Time passing: lost live state rebuilt, offers not accepted in time moved on, finished
wrap-ups made available unless the close guard blocks, then a dispatch round."""
from __future__ import annotations

from datetime import timedelta

from tests.unit.usecases.console_floor import Floor


def test_an_offer_not_accepted_in_time_goes_to_the_next_counselor_and_this_one_to_break():
    floor = Floor(offer_timeout_s=20)
    floor.caller("CA1")
    floor.counselor(1, idle_s=60)
    floor.counselor(2, idle_s=30)
    floor.time.tick()
    assert floor.offered_to(1) == "CA1"
    floor.clock.advance(seconds=19)
    floor.time.tick()
    assert floor.offered_to(1) == "CA1"                            # still ringing
    floor.clock.advance(seconds=1)
    floor.time.tick()
    assert floor.state(1) == "break" and floor.offered_to(2) == "CA1"
    assert [p["reason"] for p, rooms in floor.events_named("offer.withdrawn")] == ["timeout"]


def test_finished_wrap_ups_become_available_and_get_the_next_caller():
    floor = Floor()
    floor.counselor(1, state="wrap_up", call="CA0", until=floor.clock.now() + timedelta(seconds=10))
    floor.caller("CA1")
    floor.time.tick()
    assert floor.state(1) == "wrap_up"                             # not yet
    floor.clock.advance(seconds=10)
    floor.time.tick()
    assert floor.offered_to(1) == "CA1"
    assert floor.records.kinds("CA0") == ["wrap_up_ended"]
    assert [p["state"] for p, _ in floor.events_named("presence")] == ["available"]


def test_a_counselor_the_close_guard_blocks_stays_in_wrap_up():
    floor = Floor()
    floor.counselor(1, state="wrap_up", call="CA0", until=floor.clock.now())
    floor.counselor(2, state="wrap_up", call="CA9", until=floor.clock.now())
    floor.guard.blockers[1] = ["须先登记转介 / a referral is required"]
    floor.caller("CA1")
    floor.time.tick()
    assert floor.state(1) == "wrap_up" and floor.records.kinds("CA0") == []
    assert floor.offered_to(2) == "CA1"


def test_every_tick_first_rebuilds_lost_live_state():
    floor = Floor()
    floor.time.tick()
    floor.time.tick()
    assert floor.recovery.runs == 2
