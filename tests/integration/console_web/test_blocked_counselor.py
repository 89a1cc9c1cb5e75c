"""While a counselor has a blocked record (a high-risk call without its referral), no path
makes them available or offers them a call; Break and Offline stay possible; a database
outage keeps the block (issue #12, item 2, the availability core). Through the console API."""
from __future__ import annotations

import pytest

from tests.integration.console_web.conftest import Desk
from tests.integration.triage.conftest import (HIGH, TEST_REFERRALS, answer_call, assess, refer,  # noqa: F401
                                               usecases)
from tests.integration.voice.conftest import local


@pytest.fixture
def settings(settings):
    """The test referral directory (the shipped one has public numbers only)."""
    return settings.with_(referrals_file=TEST_REFERRALS)


@pytest.fixture
def blocked(floor, desk):
    """li took a call, assessed it high, hung up without a referral: (floor, li, sid)."""
    li = desk("li")
    li.go("available")
    sid = answer_call(floor, li)
    assert assess(li, sid, HIGH).status_code == 200
    assert li.hangup(sid).status_code == 200
    floor.flush()
    return floor, li, sid


def _never_offered(floor, li):
    floor.caller("+8613800000077")
    floor.tick()
    assert floor.state(li.id) != "available" and floor.offered_to(li.id) is None


def test_no_path_makes_a_blocked_counselor_available(blocked, app):
    floor, li, sid = blocked
    assert li.presence("available").status_code == 409               # Available from wrap-up
    assert li.post("/api/console/ready").status_code == 409
    floor.at(local(2026, 11, 23, 10, 30))                              # wrap-up time long over
    _never_offered(floor, li)
    assert li.presence("break").status_code == 200                     # people must be able to stop
    response = li.presence("available")                                # Break → Available
    assert response.status_code == 409 and "尚不能结束通话记录" in response.get_json()["message"]
    _never_offered(floor, li)
    assert li.presence("offline").status_code == 200
    again = Desk(app, li.user)                                         # Offline → sign in again
    assert again.presence("available").status_code == 409
    _never_offered(floor, li)
    assert refer(li, sid, "chengdu_psychiatric", status="contacted").status_code in (200, 201)
    assert again.presence("available").status_code == 200              # the block lifted


def test_a_database_outage_does_not_release_the_block(blocked, monkeypatch):
    floor, li, sid = blocked
    assert li.presence("break").status_code == 200
    guard = usecases(floor).close_guard

    def down(counselor_id):
        raise ConnectionError("database unavailable")

    monkeypatch.setattr(guard, "ready_blockers", down)
    assert li.presence("available").status_code == 409
    floor.at(local(2026, 11, 23, 10, 30))
    _never_offered(floor, li)


def test_a_counselor_stuck_offered_without_an_offer_heals(offered):
    floor, li, sid = offered
    floor.services.redis.delete(floor.services.keys.offer(sid))       # Redis lost the offer key
    floor.tick()                                                       # heals, and the caller is offered again
    assert floor.offered_to(li.id) == sid
    assert floor.services.redis.exists(floor.services.keys.offer(sid))
    assert li.accept(sid).status_code == 200
