"""Referrals: suggestions for the caller's region, the life cycle by the core's rules,
encrypted notes, overdue reminders; the follow-up job and the supervisors' lists."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.triage.forms import FormError
from hotline.usecases.triage.errors import TriageError
from tests.unit.usecases.fakes_triage import TriageWorld
from tests.unit.usecases.test_triage_assessments import HIGH, MODERATE


@pytest.fixture
def world() -> TriageWorld:
    w = TriageWorld()
    w.live_call("CA1")
    return w


def test_suggestions_are_for_the_callers_region(world):
    ids = [s["id"] for s in world.referrals.suggestions("CA1")]
    assert "chengdu_psychiatric" in ids and not any(i.startswith(("yaan", "zigong")) for i in ids)
    assert world.config.region_code("四川省成都市") == "chengdu"
    assert world.config.region_code("Chengdu") == "chengdu" and world.config.region_code("火星") is None
    assert world.config.region_code(None) is None


def test_a_new_referral_starts_suggested_with_its_reminder(world):
    record = world.referrals.create(7, "CA1", "chengdu_psychiatric", note="母亲陪同")
    assert (record.status, record.caller_key, record.created_by) == ("suggested", world.keyring.caller_key(
        "+8613908170000"), 7)
    assert record.next_follow_up_at == world.clock.now() + timedelta(hours=24)
    assert [h["status"] for h in record.history] == ["suggested"]
    assert world.keyring.decrypt(record.note_encrypted) == "母亲陪同"
    shown = world.referrals.as_dict(record)
    assert shown["allowed"] == ["accepted", "contacted", "declined"] and "note" not in shown
    assert shown["status_label"] == "已建议 / suggested" and shown["institution"]["zh"]
    assert world.referrals.as_dict(record, with_note=True)["note"] == "母亲陪同"


def test_a_later_status_is_reached_through_the_allowed_steps(world):
    record = world.referrals.create(7, "CA1", "emergency_120", status="contacted")
    assert [h["status"] for h in record.history] == ["suggested", "contacted"]
    with pytest.raises(TriageError):
        world.referrals.create(7, "CA1", "emergency_120", status="completed")
    with pytest.raises(TriageError, match="unknown institution"):
        world.referrals.create(7, "CA1", "no_such_place")


def test_the_life_cycle_follows_the_core(world):
    record = world.referrals.create(7, "CA1", "chengdu_psychiatric")
    with pytest.raises(TriageError):
        world.referrals.change_status(7, record.id, "completed")
    world.referrals.change_status(7, record.id, "accepted")
    done = world.referrals.change_status(8, record.id, "completed", note="已住院 / admitted")
    assert done.status == "completed" and done.next_follow_up_at is None
    assert [(h["status"], h["by"]) for h in done.history] == [("suggested", "7"), ("accepted", "7"),
                                                               ("completed", "8")]
    assert world.keyring.decrypt(world.referrals.get(record.id).note_encrypted) == "已住院 / admitted"
    with pytest.raises(LookupError):
        world.referrals.change_status(7, 999, "accepted")


def test_overdue_referrals_come_most_overdue_first(world):
    world.referrals.create(7, "CA1", "chengdu_psychiatric", status="accepted")    # within 48 h
    world.referrals.create(7, "CA1", "chengdu_community")                        # within 24 h
    assert world.referrals.overdue() == []
    world.clock.advance(hours=25)
    assert [r.institution_id for r in world.referrals.overdue()] == ["chengdu_community"]
    world.clock.advance(hours=48)
    assert [r.institution_id for r in world.referrals.overdue()] == ["chengdu_community", "chengdu_psychiatric"]
    listed = world.supervision.overdue_referrals()
    assert listed["now"] == world.clock.now().isoformat() and len(listed["referrals"]) == 2


def test_the_follow_up_falls_due_once_and_alerts_without_sounding(world):
    world.assessments.save(7, "CA1", HIGH)
    assert world.follow_ups.mark_due("CA1") == {"call_sid": "CA1", "status": "due"}
    assert world.follow_ups.mark_due("CA1") == {"call_sid": "CA1", "status": "due"}       # a retried job
    [alert] = world.alerts.of("follow_up")
    assert alert.level == "due" and "回访" in dict(alert.fields)["message"]
    assert world.follow_ups.mark_due("CA-unknown") == {"call_sid": "CA-unknown", "status": "missing"}


def test_supervisors_see_due_follow_ups_until_done(world):
    world.assessments.save(7, "CA1", HIGH)
    assert world.supervision.overdue()["follow_ups"] == []
    world.clock.advance(hours=25)
    [task] = world.supervision.overdue()["follow_ups"]
    assert world.supervision.follow_up_done(task.id, by=1) == {"id": task.id, "status": "done"}
    assert world.supervision.overdue()["follow_ups"] == []
    assert world.supervision.follow_up_done(999, by=1) is None


def test_reviews_list_lowered_assessments_without_their_reasons(world):
    world.live_call("CA2", caller="+8613908170001")
    world.assessments.save(7, "CA1", HIGH, override={"level": "moderate", "reason": "已住院"})
    world.assessments.save(7, "CA2", MODERATE)
    [review] = world.supervision.reviews()
    assert (review["call_sid"], review["level"], review["rule_level"]) == ("CA1", "moderate", "high")
    assert "已住院" not in str(review)
    reviewed = world.supervision.mark_reviewed(review["id"], by=1)
    assert reviewed["reviewed_by"] == 1 and world.supervision.reviews() == []
    assert world.supervision.mark_reviewed(999, by=1) is None


def test_the_overview_shows_risk_alerts_only_and_survives_an_alert_outage(world):
    world.assessments.save(7, "CA1", HIGH)
    world.alerts.raise_alert("coverage", "gap", world.clock.now(), message="缺人")
    assert [a.kind for a in world.supervision.overview()["alerts"]] == ["risk"]
    world.alerts.fail = True
    page = world.supervision.overview()
    assert page["alerts"] == [] and page["now"] == world.clock.now() and {"reviews", "overdue"} <= set(page)


def test_the_form_is_served_as_the_console_renders_it(world):
    form = world.config.form_json("default")
    items = {item["id"]: item for item in form["items"]}
    assert (form["id"], form["version"]) == ("default", 1)
    assert items["method"]["ask_when"] == [{"op": "not_in", "item": "suicidal_thoughts", "values": ["no"]}]
    assert items["emergency_checklist"]["ask_when"] == [{"op": "level_at_least", "level": "imminent"}]
    with pytest.raises(FormError, match="no form with id"):
        world.config.get_form("nope")
    with pytest.raises(FormError, match="has no version 9"):
        world.config.get_form("default", 9)


def test_the_review_page_lists_reviews_at_the_current_instant(world):
    assert world.supervision.review_page() == {"reviews": [], "now": world.clock.now()}
