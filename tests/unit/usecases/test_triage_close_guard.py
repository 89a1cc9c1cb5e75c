"""The close guard: what a level requires before the record may close, which call a
counselor in wrap-up is closing, and failing open when the database is down."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from hotline.ports import Presence
from hotline.usecases.triage.close_guard import blocked_message
from tests.unit.usecases.fakes_triage import TriageWorld
from tests.unit.usecases.test_triage_assessments import CHECKLIST, HIGH, IMMINENT, MODERATE


@pytest.fixture
def world() -> TriageWorld:
    w = TriageWorld()
    w.live_call("CA1")
    return w


def wrap_up(world, counselor_id=7, call="CA1"):
    world.presences.set(Presence(counselor_id, "wrap_up", world.clock.now(), ("chengdu-gaoxin",), call=call))


def test_an_unassessed_or_moderate_call_closes(world):
    assert world.close_guard.close_blockers("CA1") == []
    world.assessments.save(7, "CA1", MODERATE)
    assert world.close_guard.close_blockers("CA1") == []


def test_high_waits_for_a_recorded_referral(world):
    world.assessments.save(7, "CA1", HIGH)
    [blocker] = world.close_guard.close_blockers("CA1")
    assert "转介" in blocker and "a referral must be recorded" in blocker
    suggested = world.referrals.create(7, "CA1", "chengdu_psychiatric")
    assert world.close_guard.close_blockers("CA1") == [blocker]          # suggested is not recorded
    world.referrals.change_status(7, suggested.id, "declined", "不愿去医院 / will not go")   # cannot be forced
    assert world.close_guard.close_blockers("CA1") == []


def test_imminent_also_waits_for_every_step_of_the_checklist(world):
    world.assessments.save(7, "CA1", IMMINENT)
    world.referrals.create(7, "CA1", "emergency_120", status="contacted")
    [blocker] = world.close_guard.close_blockers("CA1")
    assert "紧急处置清单未完成" in blocker and "保持来电者在线" in blocker
    partial = {k: v for k, v in CHECKLIST.items() if k != "emergency_confirmed"}
    world.assessments.save(7, "CA1", IMMINENT | {"emergency_checklist": partial})
    [blocker] = world.close_guard.close_blockers("CA1")
    assert "急救/警方确认已联系到来电者" in blocker and "保持来电者在线" not in blocker
    world.assessments.save(7, "CA1", IMMINENT | {"emergency_checklist": CHECKLIST})
    assert world.close_guard.close_blockers("CA1") == []


def test_the_stored_level_decides_after_a_reviewed_lowering(world):
    world.assessments.save(7, "CA1", HIGH, override={"level": "moderate", "reason": "已在住院 / in hospital"})
    assert world.close_guard.close_blockers("CA1") == []


def test_a_counselor_is_held_in_every_state_but_on_a_call(world):
    world.assessments.save(7, "CA1", HIGH)
    assert len(world.close_guard.ready_blockers(7)) == 1                # no presence (signed in again)
    world.presences.set(Presence(7, "on_call", world.clock.now(), ("chengdu-gaoxin",), call="CA1"))
    assert world.close_guard.ready_blockers(7) == []                    # asked again when it ends
    wrap_up(world)
    assert len(world.close_guard.ready_blockers(7)) == 1
    for state in ("break", "offline", "available"):
        world.presences.set(Presence(7, state, world.clock.now(), ("chengdu-gaoxin",)))
        assert len(world.close_guard.ready_blockers(7)) == 1


def test_the_call_just_handled_is_the_latest_answered_or_a_later_assessed_one(world):
    now = world.clock.now()
    world.db.call("CA-old", "k1:x", counselor_id=7, answered_at=now - timedelta(hours=2), received_at=now)
    assert world.close_guard.call_just_handled(7) == "CA-old"
    world.assessments.save(7, "CA1", HIGH)                              # the record of CA1 lags behind
    assert world.close_guard.call_just_handled(7) == "CA1"
    world.db.call("CA-new", "k1:y", counselor_id=7, answered_at=now + timedelta(minutes=5), received_at=now)
    assert world.close_guard.call_just_handled(7) == "CA-new"
    assert world.close_guard.call_just_handled(8) is None


def test_an_outage_raises_and_is_logged_so_the_last_known_block_stands(world, caplog):
    world.assessments.save(7, "CA1", HIGH)
    wrap_up(world)
    world.db.down = True
    with caplog.at_level(logging.ERROR), pytest.raises(ConnectionError):
        world.close_guard.ready_blockers(7)
    assert "cannot check close blockers for counselor 7: ConnectionError" in caplog.text


def test_the_message_joins_zh_and_en_for_the_console():
    message = blocked_message(["甲 / one", "乙 / two"])
    assert message == "尚不能结束通话记录：甲；乙 / the call record cannot be closed yet: one; two"
    assert TriageWorld().close_guard.blocked_message(["甲 / one"]) == blocked_message(["甲 / one"])
