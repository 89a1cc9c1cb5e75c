"""The emergency checklist written from the telephony: who was brought in, when, and the
outcome; answered emergency services prefill the steps, a call nobody answered never does,
and the counselor's own entries and later saves keep the log."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from hotline.ports import ThirdPartyCall
from hotline.usecases.triage.emergency_log import EmergencyCalls
from tests.unit.usecases.fakes_triage import TriageWorld
from tests.unit.usecases.test_triage_assessments import IMMINENT


@pytest.fixture
def world() -> TriageWorld:
    w = TriageWorld()
    w.live_call("CA1", counselor_id=7)
    return w


def stored(world) -> dict:
    with world.db() as uow:
        return json.loads(world.keyring.decrypt(uow.checklists.get("CA1").values_encrypted))


def call(world, label="third-120", target="120", outcome="answered", after_s=20):
    now = world.clock.now()
    return ThirdPartyCall(label, target, 7, now, outcome, now + timedelta(seconds=after_s))


def test_an_answered_emergency_service_is_logged_and_prefills_the_steps(world):
    log = EmergencyCalls(world.db, world.keyring)
    log.third_party("CA1", call(world, "third-110", "110", "no-answer"))
    values = stored(world)
    assert [(e["target"], e["outcome"]) for e in values["third_parties"]] == [("110", "no-answer")]
    assert "emergency_contacted" not in values and "called_by" not in values   # nobody answered: no tick
    answered = call(world)
    log.third_party("CA1", answered)
    values = stored(world)
    entry = values["third_parties"][1]
    assert entry == {"label": "third-120", "target": "120", "by": 7, "dialled_at": answered.dialled_at.isoformat(),
                     "outcome": "answered", "outcome_at": answered.at.isoformat()}
    assert values["emergency_contacted"].startswith("120 已接通") and "#7" in values["called_by"]
    log.third_party("CA1", ThirdPartyCall("third-120", "120", 7, answered.dialled_at, "failed", answered.at))
    log.third_party("CA1", ThirdPartyCall("third-120", "120", 7, answered.dialled_at, "left",
                                          answered.at + timedelta(minutes=3)))
    entry = stored(world)["third_parties"][1]
    assert entry["outcome"] == "answered" and entry["left_at"] == (answered.at + timedelta(minutes=3)).isoformat()


def test_the_counselors_entries_are_kept_and_a_later_save_keeps_the_log(world):
    world.assessments.save(7, "CA1", IMMINENT | {"emergency_checklist": {"called_by": "同事王 / colleague Wang"}})
    EmergencyCalls(world.db, world.keyring).third_party("CA1", call(world))
    values = stored(world)
    assert values["called_by"] == "同事王 / colleague Wang"                     # never overwritten
    assert values["emergency_contacted"].startswith("120 已接通")
    blockers = world.close_guard.close_blockers("CA1")
    assert blockers and "120/110 contacted" not in blockers[-1]               # that step is done
    # the form was drawn before the outcome arrived: saving it keeps the log and the prefill
    world.assessments.save(7, "CA1", IMMINENT | {"emergency_checklist": {"keep_on_line": True, "location": "锦江区",
                                                                         "emergency_confirmed": True}})
    values = stored(world)
    assert values["third_parties"][0]["outcome"] == "answered" and values["keep_on_line"] is True
    assert not any("checklist" in b for b in world.close_guard.close_blockers("CA1"))
    panel = world.panel.view("CA1")
    assert panel["checklist"]["emergency_contacted"].startswith("120 已接通")
    assert [e["target"] for e in panel["third_parties"]] == ["120"]
