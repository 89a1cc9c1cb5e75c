"""Saving an assessment: upsert, the peak level, overrides and review, the checklist, the
durable follow-up and flag, and the one-time actions (once across processes, retried
after a failure) — with in-memory ports."""
from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

import hotline.triage.risk
from hotline.triage.risk import OverrideError
from hotline.usecases.triage import assessments as module
from hotline.usecases.triage.errors import TriageError
from tests.unit.usecases.fakes_triage import TriageWorld
from hotline.usecases.triage.risk_actions import risk_alert_message
from tests.unit.usecases.fakes_triage_live import FakeLine

NO = {"wish_dead": "no", "suicidal_thoughts": "no", "behavior": "none", "harm_others": "none", "danger_now": "no"}
MODERATE = NO | {"suicidal_thoughts": "yes", "method": "yes", "intent": "no", "plan": "no"}
HIGH = NO | {"wish_dead": "yes", "suicidal_thoughts": "yes", "method": "yes", "intent": "yes", "plan": "no"}
IMMINENT = HIGH | {"danger_now": "yes"}
CHECKLIST = {"keep_on_line": True, "location": "锦江区 / Jinjiang", "emergency_contacted": "120",
             "called_by": "咨询师 / the counselor", "emergency_confirmed": True}


@pytest.fixture
def world() -> TriageWorld:
    w = TriageWorld()
    w.live_call("CA1")
    return w


def stored(world, sid="CA1"):
    return world.db.tables["assessments"][sid]


def test_the_console_and_the_cli_judge_with_one_function():
    assert module.assess is hotline.triage.risk.assess


def test_a_first_save_stores_the_answers_through_the_keyring(world):
    result, record = world.assessments.save(7, "CA1", MODERATE | {"notes": "失业后的绝望"})
    row = stored(world)
    assert (result.level, row.level, row.rule_level, row.peak_level) == ("moderate", "moderate", "moderate", "moderate")
    assert row.id == record.id and row.counselor_id == 7 and row.caller_key == world.keyring.caller_key("+8613908170000")
    assert json.loads(world.keyring.decrypt(row.answers_encrypted))["notes"] == "失业后的绝望"
    assert row.answers_encrypted.startswith("enc[")
    assert row.reasons == [{"item": "method", "level": "moderate"}, {"item": "suicidal_thoughts", "level": "low"}]
    assert (row.form_id, row.form_version, row.needs_review) == ("default", 1, False)


def test_a_re_save_updates_the_one_row_and_keeps_its_creation_time(world):
    _, first = world.assessments.save(7, "CA1", NO)
    world.clock.advance(minutes=3)
    _, second = world.assessments.save(7, "CA1", MODERATE)
    assert len(world.db.tables["assessments"]) == 1 and second.id == first.id
    assert stored(world).created_at == first.created_at and stored(world).updated_at == world.clock.now()
    assert stored(world).level == "moderate"


def test_the_peak_never_comes_down_and_lowering_goes_to_review(world):
    world.assessments.save(7, "CA1", HIGH)
    result, record = world.assessments.save(7, "CA1", HIGH, override={"level": "moderate", "reason": "已住院"})
    assert (result.level, result.rule_level, record.needs_review) == ("moderate", "high", True)
    assert (record.level, record.peak_level) == ("moderate", "high")
    assert world.keyring.decrypt(record.override_reason_encrypted) == "已住院"
    _, calmer = world.assessments.save(7, "CA1", NO)
    assert calmer.peak_level == "high"


def test_lowering_without_a_reason_is_refused(world):
    with pytest.raises(OverrideError):
        world.assessments.save(7, "CA1", HIGH, override={"level": "moderate"})
    assert world.db.tables["assessments"] == {}


def test_raising_needs_no_review_and_a_done_review_stays_done(world):
    _, raised = world.assessments.save(7, "CA1", MODERATE, override={"level": "high"})
    assert (raised.level, raised.rule_level, raised.needs_review) == ("high", "moderate", False)
    world.assessments.save(7, "CA1", HIGH, override={"level": "low", "reason": "误报 / false alarm"})
    world.supervision.mark_reviewed(stored(world).id, by=1)
    _, again = world.assessments.save(7, "CA1", HIGH)
    assert again.needs_review is False and again.reviewed_by == 1
    _, lowered = world.assessments.save(7, "CA1", HIGH, override={"level": "low", "reason": "再次 / again"})
    assert lowered.needs_review is True and lowered.reviewed_by is None and lowered.reviewed_at is None


def test_the_override_is_stamped_with_the_counselor_and_the_clock(world):
    result = world.assessments.evaluate(MODERATE, override={"level": "high"}, by=7)
    assert (result.override.by, result.override.at) == ("7", world.clock.now())
    assert world.db.commits == 0, "evaluate stores nothing"


def test_the_emergency_checklist_is_saved_with_its_steps(world):
    partial = {k: v for k, v in CHECKLIST.items() if k != "emergency_confirmed"}
    world.assessments.save(7, "CA1", IMMINENT | {"emergency_checklist": partial})
    checklist = world.db.tables["checklists"]["CA1"]
    assert checklist.done == {"keep_on_line": True, "location": True, "emergency_contacted": True,
                              "called_by": True}
    assert json.loads(world.keyring.decrypt(checklist.values_encrypted)) == partial
    assert checklist.updated_by == 7


def test_high_ensures_one_follow_up_in_24_hours_and_imminent_raises_its_level(world):
    world.assessments.save(7, "CA1", HIGH)
    task = world.db.tables["follow_ups"]["CA1"]
    assert (task.level, task.status, task.due_at) == ("high", "scheduled", world.clock.now() + timedelta(hours=24))
    assert task.job_id == "triage-follow-up-CA1"
    [job] = world.jobs.queued
    assert (job["function"], job["args"], job["id"], job["delay"]) == (
        "hotline.jobs.triage.follow_up_due", ("CA1",), "triage-follow-up-CA1", timedelta(hours=24))
    world.assessments.save(7, "CA1", IMMINENT)
    assert world.db.tables["follow_ups"]["CA1"].level == "imminent"
    assert len(world.db.tables["follow_ups"]) == 1 and len(world.jobs.queued) == 1


def test_imminent_flags_the_file_in_the_database_and_the_live_set(world):
    key = world.keyring.caller_key("+8613908170000")
    world.assessments.save(7, "CA1", IMMINENT)
    [found] = world.db.tables["caller_files"].values()
    assert (found.caller_key, found.flagged_level, found.flagged_call_sid) == (key, "imminent", "CA1")
    assert key in world.flagged.members


def test_high_flags_the_file_in_the_database_and_the_live_set_too(world):
    key = world.keyring.caller_key("+8613908170000")
    world.assessments.save(7, "CA1", HIGH)
    [found] = world.db.tables["caller_files"].values()
    assert (found.caller_key, found.flagged_level, found.flagged_call_sid) == (key, "high", "CA1")
    assert key in world.flagged.members
    world.assessments.save(7, "CA1", IMMINENT)                 # raised later: the level follows
    assert [f.flagged_level for f in world.db.tables["caller_files"].values()] == ["imminent"]


def test_an_anonymous_caller_has_no_file_to_flag():
    world = TriageWorld()
    world.live_call("CA9", caller="")
    world.assessments.save(7, "CA9", IMMINENT)
    assert world.db.tables["caller_files"] == {} and world.flagged.members == set()
    assert stored(world, "CA9").actions_done == ["alert:imminent", "follow_up"]


def test_each_action_is_set_off_once_at_the_peak(world):
    world.assessments.save(7, "CA1", HIGH)
    world.assessments.save(7, "CA1", HIGH | {"notes": "again"})
    [alert] = world.alerts.of("risk")
    assert alert.level == "high" and dict(alert.fields)["line_id"] == "chengdu-gaoxin"
    assert "成都高新区心理援助热线" in dict(alert.fields)["message"]
    world.assessments.save(7, "CA1", IMMINENT)
    world.assessments.save(7, "CA1", HIGH, override={"level": "moderate", "reason": "已送医"})
    assert [a.level for a in world.alerts.of("risk")] == ["high", "imminent"]
    assert stored(world).actions_done == ["alert:high", "alert:imminent", "flag", "follow_up"]


def test_an_action_another_process_claimed_is_not_repeated_but_counts_as_done(world):
    world.claims.taken.add(("CA1", "alert:high"))
    world.assessments.save(7, "CA1", HIGH)
    assert world.alerts.of("risk") == []
    assert "alert:high" in stored(world).actions_done


def test_a_failed_action_is_released_and_retried_on_the_next_save(world, caplog):
    world.alerts.fail = True
    with caplog.at_level(logging.ERROR):
        world.assessments.save(7, "CA1", HIGH | {"notes": "家中有药"})
    assert stored(world).actions_done == ["flag", "follow_up"]
    assert ("CA1", "alert:high") not in world.claims.taken
    assert "alert:high" in caplog.text and "家中有药" not in caplog.text
    world.alerts.fail = False
    world.assessments.save(7, "CA1", HIGH)
    assert [a.level for a in world.alerts.of("risk")] == ["high"]
    assert stored(world).actions_done == ["alert:high", "flag", "follow_up"]


def test_two_first_saves_racing_end_in_one_updated_row(world):
    other = TriageWorld()
    other.live_call("CA1")
    _, earlier = other.assessments.save(8, "CA1", NO)
    world.db.race_on_insert = earlier                          # another process wins the insert
    _, record = world.assessments.save(7, "CA1", MODERATE)
    assert len(world.db.tables["assessments"]) == 1
    assert (stored(world).counselor_id, stored(world).level, record.id) == (7, "moderate", stored(world).id)


def test_a_call_nobody_knows_is_refused(world):
    with pytest.raises(TriageError, match="no such call"):
        world.assessments.save(7, "CA-none", NO)


def test_the_live_state_wins_over_a_lagging_record(world):
    world.queues.annotate("CA2", caller_key="k1:live", line="chengdu-gaoxin")
    world.assessments.save(7, "CA2", IMMINENT)
    assert stored(world, "CA2").caller_key == "k1:live" and "k1:live" in world.flagged.members


def test_a_claim_that_cannot_be_released_still_leaves_the_action_undone(world, monkeypatch):
    world.alerts.fail = True

    def down(call_sid, action):
        raise ConnectionError("redis")

    monkeypatch.setattr(world.claims, "release", down)
    world.assessments.save(7, "CA1", HIGH)
    assert "alert:high" not in stored(world).actions_done


def test_a_risk_alert_names_the_line_never_its_id():
    line = FakeLine("chengdu", "成都市心理援助热线", "Chengdu Psychological Aid Hotline")
    assert risk_alert_message("high", line) == "高风险来电 · 成都市心理援助热线 / high-risk call · Chengdu Psychological Aid Hotline"
    assert risk_alert_message("imminent", FakeLine("x", "某热线")) == "紧急风险来电 · 某热线 / imminent-risk call · 某热线"
    assert risk_alert_message("high", None) == "高风险来电 · 未知线路 / high-risk call · unknown line"
