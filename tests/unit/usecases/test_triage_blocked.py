"""Blocked records: every high-risk record the close guard holds open, for supervisors and
the console; an alert when a counselor leaves with one; declined referrals need a reason."""
from __future__ import annotations

import pytest

from hotline.ports import Presence
from hotline.triage.referrals import STATUSES
from hotline.usecases.triage.referrals import STATUS_HELP
from hotline.usecases.triage.errors import TriageError
from tests.unit.usecases.fakes_triage import TriageWorld
from tests.unit.usecases.test_triage_assessments import CHECKLIST, HIGH, IMMINENT, MODERATE

@pytest.fixture
def world() -> TriageWorld:
    w = TriageWorld()
    for sid in ("CA1", "CA2", "CA3"):
        w.live_call(sid)
    return w

def presence(world, counselor_id, state, call=None, name=""):
    world.presences.set(Presence(counselor_id, state, world.clock.now(), ("chengdu-gaoxin",), name=name, call=call))

def test_every_guarded_record_without_what_it_needs_is_listed_newest_first(world):
    world.assessments.save(7, "CA1", HIGH)
    world.clock.advance(minutes=5)
    world.assessments.save(8, "CA2", IMMINENT | {"emergency_checklist": CHECKLIST})   # needs its referral only
    world.assessments.save(9, "CA3", MODERATE)                                          # never blocks
    presence(world, 7, "break", name="李老师")
    found = world.blocked.blocked_records()
    assert [(r.call_sid, r.counselor_id, r.level) for r in found] == [("CA2", 8, "imminent"), ("CA1", 7, "high")]
    first = found[1]
    assert first.counselor_name == "李老师" and first.counselor_state == "break"
    assert first.line_id == "chengdu-gaoxin" and first.line_name == "成都高新区心理援助热线"
    assert first.message.startswith("尚不能结束通话记录") and "a referral must be recorded" in first.message
    assert found[0].counselor_name == "#8" and found[0].counselor_state is None      # signed out, no name known

def test_a_call_still_going_on_is_not_blocked_and_a_recorded_referral_releases_it(world):
    world.assessments.save(7, "CA1", HIGH)
    presence(world, 7, "on_call", call="CA1")
    assert world.blocked.blocked_records() == []
    presence(world, 7, "wrap_up", call="CA1")
    assert world.blocked.of_counselor(7).call_sid == "CA1"
    world.referrals.create(7, "CA1", "chengdu_psychiatric", status="accepted")
    assert world.blocked.of_counselor(7) is None and world.blocked.blocked_records() == []

def test_leaving_with_a_blocked_record_alerts_once_while_the_alert_is_open(world):
    world.assessments.save(7, "CA1", HIGH)
    presence(world, 7, "break", call="CA1", name="李老师")
    record = world.blocked.counselor_left(7, "break")
    assert record.call_sid == "CA1"
    [alert] = world.alerts.of("blocked")
    fields = dict(alert.fields)
    assert alert.level == "high" and fields["call_sid"] == "CA1" and fields["counselor_id"] == 7
    assert "李老师 已休息" in fields["message"] and "went on break" in fields["message"]
    world.blocked.counselor_left(7, "offline")
    assert len(world.alerts.of("blocked")) == 1            # the open alert already says it

def test_leaving_without_a_blocked_record_raises_nothing_and_an_outage_never_stops_leaving(world):
    world.assessments.save(7, "CA1", MODERATE)
    assert world.blocked.counselor_left(7, "signed_out") is None and world.alerts.of("blocked") == []
    world.assessments.save(7, "CA1", HIGH)
    world.alerts.fail = True
    assert world.blocked.counselor_left(7, "offline") is None       # logged, not raised

def test_a_declined_referral_needs_a_reason_and_goes_to_review(world):
    world.assessments.save(7, "CA1", HIGH)
    with pytest.raises(TriageError, match="拒绝转介须写明原因.*a declined referral needs a reason"):
        world.referrals.create(7, "CA1", "chengdu_psychiatric", status="declined")
    suggested = world.referrals.create(7, "CA1", "chengdu_psychiatric")
    with pytest.raises(TriageError, match="needs a reason"):
        world.referrals.change_status(7, suggested.id, "declined", "   ")
    assert world.supervision.reviews() == []
    world.referrals.change_status(7, suggested.id, "declined", "来电者拒绝就医 / refuses care")
    [review] = world.supervision.reviews()
    assert review["call_sid"] == "CA1" and review["declined_referral"] is True
    assert world.supervision.overview()["blocked"] == []           # declined is recorded: not blocked

def test_the_overview_lists_blocked_records(world):
    world.assessments.save(7, "CA1", HIGH)
    [entry] = world.supervision.overview()["blocked"]
    assert entry["call_sid"] == "CA1" and entry["level"] == "high" and entry["since"]


def test_every_referral_status_is_explained_in_both_languages(world):
    assert set(STATUS_HELP) == set(STATUSES)
    assert all(" / " in text and text.partition(" / ")[0] and text.partition(" / ")[2] for text in STATUS_HELP.values())
    world.assessments.save(7, "CA1", HIGH)
    shown = world.referrals.as_dict(world.referrals.create(7, "CA1", "chengdu_psychiatric"))
    assert shown["status_help"] == STATUS_HELP["suggested"] and "不解除" in shown["status_help"]
