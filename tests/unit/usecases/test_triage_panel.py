"""The console's triage panel of one call: the saved assessment for its counselor, the
referrals, suggestions, and what still blocks closing the record."""
from __future__ import annotations

import pytest

from hotline.ports import DataKeyError
from tests.unit.usecases.fakes_triage import TriageWorld
from tests.unit.usecases.fakes_triage_live import StrictKeyring
from tests.unit.usecases.test_triage_assessments import HIGH


@pytest.fixture
def world() -> TriageWorld:
    w = TriageWorld()
    w.live_call("CA1")
    return w


def test_an_unassessed_call_shows_suggestions_and_no_blockers(world):
    view = world.panel.view("CA1")
    assert view["assessment"] is None and view["referrals"] == [] and view["blockers"] == []
    assert view["blocked_message"] is None and view["suggestions"]
    assert view["caller_key"] == world.keyring.caller_key("+8613908170000")


def test_a_saved_assessment_is_shown_decrypted_with_its_blockers(world):
    world.assessments.save(7, "CA1", HIGH | {"notes": "失业"}, override={"level": "moderate", "reason": "已住院"})
    world.assessments.save(7, "CA1", HIGH | {"notes": "失业"})            # back to the rule: nothing to review
    world.referrals.create(7, "CA1", "chengdu_psychiatric")
    view = world.panel.view("CA1")
    assert view["assessment"]["answers"]["notes"] == "失业" and view["assessment"]["peak_level"] == "high"
    assert view["assessment"]["override_reason"] is None and view["assessment"]["needs_review"] is False
    assert [r["status"] for r in view["referrals"]] == ["suggested"]
    assert len(view["blockers"]) == 1 and view["blocked_message"].startswith("尚不能结束通话记录")


def test_an_anonymous_caller_shows_no_key(world):
    world.live_call("CA9", caller="")
    assert world.panel.view("CA9")["caller_key"] is None


def test_answers_no_configured_key_opens_raise_the_ports_error(world):
    world.assessments.save(7, "CA1", HIGH)
    world.panel.keyring = StrictKeyring("k2")
    with pytest.raises(DataKeyError):
        world.panel.view("CA1")
