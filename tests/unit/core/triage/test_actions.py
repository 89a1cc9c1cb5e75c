"""What each level sets off, and when a call record may be closed."""
from __future__ import annotations

from datetime import timedelta

import pytest

from hotline.triage.actions import EMERGENCY_CHECKLIST, actions_for, can_close, checklist_missing
from hotline.triage.risk import LEVELS, apply_override, assess

FULL_CHECKLIST = {"keep_on_line": True, "location": "家中（区县已确认）", "emergency_contacted": "120",
                  "called_by": "咨询师本人", "emergency_confirmed": True}


@pytest.mark.parametrize("level,codes", [
    ("none", []),
    ("low", []),
    ("moderate", ["referral_suggested"]),
    ("high", ["referral_required", "supervisor_alert", "follow_up", "flag_caller_file", "priority"]),
    ("imminent", ["referral_required", "supervisor_alert", "follow_up", "sounding_alert",
                  "emergency_checklist", "flag_caller_file", "priority"]),
])
def test_actions_per_level(level, codes):
    actions = actions_for(level)
    assert [a["action"] for a in actions.to_list()] == codes
    assert all(a["zh"] and a["en"] for a in actions.to_list())


def test_action_data():
    high, imminent = actions_for("high"), actions_for("imminent")
    assert high.follow_up_after == timedelta(hours=24) and high.referral_required
    assert high.supervisor_alert and not high.sounding_alert
    assert high.flag_caller_file and high.priority          # a repeat high-risk caller goes first too
    assert actions_for("moderate").referral_suggested and not actions_for("moderate").referral_required
    assert imminent.emergency_checklist == EMERGENCY_CHECKLIST
    assert imminent.flag_caller_file and imminent.priority and imminent.sounding_alert
    follow = next(a for a in imminent.to_list() if a["action"] == "follow_up")
    assert follow["after_hours"] == 24
    checklist = next(a for a in imminent.to_list() if a["action"] == "emergency_checklist")
    assert checklist["items"] == ["keep_on_line", "location", "emergency_contacted", "called_by",
                                  "emergency_confirmed"]


def test_unknown_level():
    with pytest.raises(ValueError, match="unknown risk level"):
        actions_for("urgent")


@pytest.mark.parametrize("level", ["none", "low", "moderate"])
def test_low_levels_may_always_close(level):
    assessment = apply_override(assess({}), level)
    assert can_close(assessment, [], None) == []


@pytest.mark.parametrize("referrals", [[], [{"status": "suggested"}]])
def test_high_needs_a_recorded_referral(referrals):
    (blocker,) = can_close(assess({"plan": "yes"}), referrals, None)
    assert "转介" in blocker and "referral" in blocker


class _Ref:
    def __init__(self, status):
        self.status = status


@pytest.mark.parametrize("status", ["accepted", "contacted", "completed", "declined"])
def test_high_closes_with_recorded_referral(status):
    assessment = assess({"plan": "yes"})
    assert can_close(assessment, [{"status": status}]) == []
    assert can_close(assessment, [_Ref("suggested"), _Ref(status)]) == []


def test_imminent_needs_referral_and_full_checklist():
    assessment = assess({"danger_now": "yes"})
    blockers = can_close(assessment, [], {"keep_on_line": True, "location": "  ", "called_by": False})
    assert len(blockers) == 2
    assert blockers[1].endswith("emergency checklist incomplete: caller's location obtained, "
                                "120/110 contacted, who made the emergency call, "
                                "emergency services confirmed contact with the caller")
    assert "保持来电者在线" not in blockers[1]
    assert can_close(assessment, [{"status": "contacted"}], FULL_CHECKLIST) == []
    assert can_close(assessment, [{"status": "contacted"}], None) != []


def test_checklist_missing_accepts_true_or_text():
    assert checklist_missing(FULL_CHECKLIST) == []
    assert [e.id for e in checklist_missing({"keep_on_line": "来电者已挂断，已回拨"})] == [
        "location", "emergency_contacted", "called_by", "emergency_confirmed"]


def test_lowering_imminent_drops_checklist_but_keeps_referral():
    lowered = apply_override(assess({"danger_now": "yes"}), "high", "误选，已与来电者核实")
    assert lowered.needs_review
    assert len(can_close(lowered, [], None)) == 1


def test_every_level_has_actions():
    assert [actions_for(level).level for level in LEVELS] == list(LEVELS)
