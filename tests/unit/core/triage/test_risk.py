"""Table tests for the risk rule: every item and value, refusals, combinations, overrides."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from hotline.triage.risk import (LEVELS, RULE, AnswerError, OverrideError, apply_override,
                                 assess, at_least, level_rank, max_level)

# Written out independently of RULE so that a change to the rule table fails here.
EXPECTED = [
    ("wish_dead", "no", "none"), ("wish_dead", "yes", "low"), ("wish_dead", "refused", "low"),
    ("suicidal_thoughts", "no", "none"), ("suicidal_thoughts", "yes", "low"),
    ("suicidal_thoughts", "refused", "low"),
    ("method", "no", "none"), ("method", "yes", "moderate"), ("method", "refused", "moderate"),
    ("intent", "no", "none"), ("intent", "yes", "high"), ("intent", "refused", "high"),
    ("plan", "no", "none"), ("plan", "yes", "high"), ("plan", "refused", "high"),
    ("behavior", "none", "none"), ("behavior", "lifetime", "moderate"),
    ("behavior", "past_3_months", "high"), ("behavior", "refused", "high"),
    ("harm_others", "none", "none"), ("harm_others", "thoughts", "moderate"),
    ("harm_others", "intent_or_plan", "high"),
    ("danger_now", "no", "none"), ("danger_now", "yes", "imminent"),
]


def test_table_covers_every_item_and_value():
    assert {(i, v) for i, v, _ in EXPECTED} == {(i, v) for i in RULE for v in RULE[i]}


@pytest.mark.parametrize("use_form", [False, True])
@pytest.mark.parametrize("item,value,level", EXPECTED)
def test_each_answer_alone(item, value, level, use_form, form):
    result = assess({item: value}, form if use_form else None)
    assert result.level == level == result.rule_level
    if level == "none":
        assert result.reasons == ()
    else:
        (reason,) = result.reasons
        assert (reason.item, reason.answer, reason.level) == (item, value, level)
        assert reason.zh and reason.en


@pytest.mark.parametrize("item", [i for i in RULE if "refused" in RULE[i]])
def test_refused_counts_as_yes(item):
    counted = "past_3_months" if item == "behavior" else "yes"
    refused = assess({item: "refused"})
    assert refused.level == assess({item: counted}).level
    assert "拒绝回答" in refused.reasons[0].zh and "refused" in refused.reasons[0].en


@pytest.mark.parametrize("answers,level", [
    ({}, "none"),
    ({"wish_dead": "yes", "suicidal_thoughts": "yes"}, "low"),
    ({"suicidal_thoughts": "yes", "method": "yes", "intent": "no", "plan": "no"}, "moderate"),
    ({"suicidal_thoughts": "yes", "method": "yes", "intent": "yes"}, "high"),
    ({"suicidal_thoughts": "refused", "method": "refused", "plan": "yes"}, "high"),
    ({"wish_dead": "no", "behavior": "lifetime"}, "moderate"),
    ({"behavior": "lifetime", "harm_others": "intent_or_plan"}, "high"),
    ({"wish_dead": "no", "suicidal_thoughts": "no", "behavior": "none", "harm_others": "none",
      "danger_now": "no"}, "none"),
    ({"wish_dead": "no", "harm_others": "none", "danger_now": "yes"}, "imminent"),
    ({"harm_others": "thoughts", "danger_now": "yes"}, "imminent"),
])
def test_combinations_highest_wins(answers, level, form):
    assert assess(answers).level == level
    assert assess(answers, form).level == level


def test_reasons_list_every_contributing_answer_most_severe_first():
    result = assess({"wish_dead": "yes", "suicidal_thoughts": "yes", "method": "yes",
                     "behavior": "past_3_months", "harm_others": "none"})
    assert [(r.item, r.level) for r in result.reasons] == [
        ("behavior", "high"), ("method", "moderate"), ("wish_dead", "low"),
        ("suicidal_thoughts", "low")]


def test_missing_keys_count_as_not_asked():
    result = assess({"suicidal_thoughts": "yes"})
    assert result.level == "low"
    assert result.not_asked == ("wish_dead", "method", "intent", "plan", "behavior",
                                "harm_others", "danger_now")
    skipped = assess({"suicidal_thoughts": "no"})
    assert "method" not in skipped.not_asked and "behavior" in skipped.not_asked


def test_none_value_is_not_asked(form):
    assert assess({"intent": None, "wish_dead": "yes"}, form).level == "low"
    assert assess({"intent": None}).level == "none"


def test_method_given_although_thoughts_no_still_counts_and_warns(form):
    """Decision: never miss risk. The rule counts it; the form only warns."""
    answers = {"suicidal_thoughts": "no", "method": "yes", "plan": "yes"}
    assert assess(answers).level == "high"
    result = assess(answers, form)
    assert result.level == "high"
    assert [w.split(":")[0] for w in result.warnings] == ["method", "plan"]
    assert assess({"suicidal_thoughts": "yes", "method": "yes"}, form).warnings == ()


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({}, optional={i: st.sampled_from(sorted(v)) for i, v in RULE.items()}),
       st.lists(st.text(max_size=20), max_size=5), st.text(max_size=50))
def test_highest_wins_and_protective_factors_never_lower(answers, factors, notes):
    expected = max_level(*(RULE[i][v] for i, v in answers.items()))
    assert assess(answers).level == expected
    with_factors = {**answers, "protective_factors": factors, "notes": notes}
    assert assess(with_factors).level == expected
    assert {r.item for r in assess(answers).reasons} == {i for i, v in answers.items()
                                                         if RULE[i][v] != "none"}


def test_protective_factors_with_form(form):
    answers = {"suicidal_thoughts": "yes", "plan": "yes",
               "protective_factors": ["family_support", "in_treatment", "养了一只猫"]}
    assert assess(answers, form).level == "high"


@pytest.mark.parametrize("answers,fragment", [
    ({"method": "maybe"}, "answers.method: 'maybe'"),
    ({"danger_now": True}, "answers.danger_now"),
    ({"behavior": "yes"}, "answers.behavior"),
    ({"danger_now": "refused"}, "answers.danger_now"),
])
def test_bad_values_name_item_and_value(answers, fragment, form):
    for f in (None, form):
        with pytest.raises(AnswerError, match=fragment.replace("(", r"\(")):
            assess(answers, f)


def test_unknown_item_only_rejected_with_form(form):
    assert assess({"mood": "bad"}).level == "none"
    with pytest.raises(AnswerError, match="answers.mood"):
        assess({"mood": "bad"}, form)


def test_answers_must_be_a_mapping(form):
    for f in (None, form):
        with pytest.raises(AnswerError, match="mapping"):
            assess(["wish_dead"], f)


def test_all_errors_reported_together(form):
    with pytest.raises(AnswerError) as info:
        assess({"method": "x", "plan": "y"}, form)
    assert len(info.value.errors) == 2


def test_form_version_recorded_and_summary_shape(form):
    result = assess({"plan": "yes"}, form)
    assert (result.form_id, result.form_version) == ("default", 1)
    summary = result.summary()
    assert list(summary) == ["level", "reasons", "actions"]
    assert summary["reasons"][0] == {"item": "plan", "answer": "yes", "level": "high",
                                     "zh": result.reasons[0].zh, "en": result.reasons[0].en}


def test_repr_keeps_answers_out():
    result = apply_override(assess({"plan": "yes"}), "low", "来电者说是开玩笑 13800000000")
    text = repr(result) + repr(result.reasons) + repr(result.override)
    assert "yes" not in text and "开玩笑" not in text and "13800000000" not in text


# --- overrides ---------------------------------------------------------------------------

def test_raise_needs_no_reason():
    result = apply_override(assess({"wish_dead": "yes"}), "high")
    assert (result.level, result.rule_level, result.needs_review) == ("high", "low", False)
    assert result.actions.referral_required
    assert result.override.lowered is False and result.override.reason is None


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_lowering_without_reason_raises(reason):
    with pytest.raises(OverrideError, match="written reason"):
        apply_override(assess({"plan": "yes"}), "moderate", reason)


def test_lowering_with_reason_needs_review():
    base = assess({"plan": "yes", "wish_dead": "yes"})
    result = apply_override(base, "moderate", "  已与督导电话确认  ", by="c1")
    assert (result.level, result.rule_level, result.needs_review) == ("moderate", "high", True)
    assert result.reasons == base.reasons
    assert result.actions.referral == "suggested"
    assert result.override.reason == "已与督导电话确认" and result.override.by == "c1"


def test_override_compares_with_rule_level_not_previous_override():
    raised = apply_override(assess({"plan": "yes"}), "imminent")
    back = apply_override(raised, "high")
    assert back.needs_review is False and back.level == "high"
    with pytest.raises(OverrideError):
        apply_override(raised, "low")


def test_override_unknown_level():
    with pytest.raises(OverrideError, match="unknown risk level"):
        apply_override(assess({}), "severe", "x")


def test_level_helpers():
    assert [level_rank(l) for l in LEVELS] == [0, 1, 2, 3, 4]
    assert max_level() == "none" and max_level("low", "high", "moderate") == "high"
    assert at_least("high", "moderate") and not at_least("low", "moderate")
    with pytest.raises(ValueError):
        level_rank("HIGH")


def test_to_dict_for_the_store():
    from datetime import datetime, timezone
    at = datetime(2024, 3, 6, 2, 0, tzinfo=timezone.utc)
    result = apply_override(assess({"plan": "yes"}), "moderate", "理由", by="c1", at=at)
    data = result.to_dict()
    assert data["level"] == "moderate" and data["rule_level"] == "high" and data["needs_review"]
    assert data["override"] == {"from_level": "high", "to_level": "moderate", "reason": "理由",
                                "lowered": True, "by": "c1", "at": "2024-03-06T02:00:00+00:00"}
    assert assess({}).to_dict()["override"] is None
