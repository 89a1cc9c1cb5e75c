"""Form loading, validation messages, ask_when logic and answer checking."""
from __future__ import annotations

import copy

import pytest
import yaml

from hotline.triage.actions import EMERGENCY_CHECKLIST
from hotline.triage.forms import FormError, get_form, load_form, load_forms, parse_form
from hotline.triage.risk import RULE, AnswerError

from .conftest import CONFIG

RAW = yaml.safe_load((CONFIG / "triage" / "default.yaml").read_text(encoding="utf-8"))


def _index(item_id: str) -> int:
    return next(n for n, i in enumerate(RAW["items"]) if i["id"] == item_id)


def test_default_form_contents(form):
    assert (form.id, form.version) == ("default", 1)
    assert form.item("population_level").values == ("1", "2", "3", "4", "not_applicable")
    assert set(form.item("concerns").values) == {
        "anxiety", "low_mood", "sleep", "relationships", "family_parenting",
        "work_study_stress", "bereavement", "epidemic_fear", "psychiatric_symptoms", "other"}
    assert form.item("concerns").type == "multi"
    for item_id, values in RULE.items():
        assert set(form.item(item_id).values) == set(values)
    assert form.item("protective_factors").type == "list"
    assert form.item("notes").type == "text"
    assert form.item("emergency_checklist").values == tuple(e.id for e in EMERGENCY_CHECKLIST)
    for item in form.items:
        assert item.label.zh and item.label.en
        assert all(o.label.zh and o.label.en for o in item.options)


@pytest.mark.parametrize("answers,asked", [
    ({}, False), ({"suicidal_thoughts": "no"}, False),
    ({"suicidal_thoughts": "yes"}, True), ({"suicidal_thoughts": "refused"}, True),
])
def test_method_intent_plan_asked_when_thoughts_not_no(form, answers, asked):
    for item_id in ("method", "intent", "plan"):
        assert form.is_asked(item_id, answers) is asked
    assert form.is_asked("behavior", answers) and form.is_asked("wish_dead", answers)


def test_multi_condition_and_level_condition(form):
    assert not form.is_asked("concerns_other", {"concerns": ["sleep"]})
    assert form.is_asked("concerns_other", {"concerns": ["sleep", "other"]})
    assert form.is_asked("emergency_checklist", {}, level=None)
    assert form.is_asked("emergency_checklist", {}, level="imminent")
    assert not form.is_asked("emergency_checklist", {}, level="high")
    ids = [i.id for i in form.asked_items({"suicidal_thoughts": "no"}, "low")]
    assert "method" not in ids and "emergency_checklist" not in ids and "notes" in ids


def test_normalize_cleans_answers(form):
    clean = form.normalize({
        "population_level": 2, "concerns": ["sleep", "sleep", "other"],
        "protective_factors": [" family_support ", "", "宠物"], "notes": "x",
        "emergency_checklist": {"location": "家中", "keep_on_line": True}, "plan": None})
    assert clean == {"population_level": "2", "concerns": ["sleep", "other"],
                     "protective_factors": ["family_support", "宠物"], "notes": "x",
                     "emergency_checklist": {"location": "家中", "keep_on_line": True}}


@pytest.mark.parametrize("answers,fragment", [
    ({"population_level": "5"}, "answers.population_level: '5'"),
    ({"population_level": True}, "answers.population_level"),
    ({"concerns": "sleep"}, "answers.concerns: 应为列表 / must be a list"),
    ({"concerns": ["sleep", "boredom"]}, "answers.concerns: 'boredom'"),
    ({"notes": 5}, "answers.notes: 应为文字 / must be text"),
    ({"protective_factors": [1]}, "answers.protective_factors"),
    ({"emergency_checklist": {"pizza": True}}, "unknown entries: pizza"),
    ({"emergency_checklist": {"location": 3}}, "answers.emergency_checklist"),
    ({"emergency_checklist": ["location"]}, "answers.emergency_checklist"),
])
def test_bad_answers(form, answers, fragment):
    with pytest.raises(AnswerError) as info:
        form.normalize(answers)
    assert fragment in str(info.value)


def test_text_answer_not_echoed_in_error(form):
    with pytest.raises(AnswerError) as info:
        form.normalize({"notes": ["我的电话 13800000000"]})
    assert "13800000000" not in str(info.value)


def _mutate(fn):
    """Deep copy first; note the default form shares one option list via a YAML anchor."""
    raw = copy.deepcopy(RAW)
    fn(raw)
    return raw


METHOD = _index("method")
BROKEN = [
    (lambda r: r["items"][3].pop("options"), "items[3].options: 缺少选项 / missing options"),
    (lambda r: r["items"][METHOD].__setitem__("options", [{"value": True, "label": {"zh": "是", "en": "Yes"}}]),
     f"items[{METHOD}].options[0].value: YAML 把此值读成了布尔值"),
    (lambda r: r["items"][0].__setitem__("ask-when", {}), "items[0].ask-when: 未知的键"),
    (lambda r: r["items"][1].__setitem__("id", "population_level"), "items[1].id: 重复的题目"),
    (lambda r: r["items"][0].__setitem__("type", "radio"), "items[0].type: 未知题型"),
    (lambda r: r["items"][0]["label"].pop("en"), "items[0].label: 应为 {zh: …, en: …}"),
    (lambda r: r.__setitem__("version", 0), "version: 版本应为正整数"),
    (lambda r: r.__setitem__("id", "Default"), "id: 标识"),
    (lambda r: r["items"][0].__setitem__("ask_when", {"item": "plan", "in": ["yes"]}),
     "items[0].ask_when[0].item: 'plan' 不是前面的单选/多选题"),
    (lambda r: r["items"][METHOD].__setitem__("ask_when", {"item": "suicidal_thoughts", "in": ["maybe"]}),
     f"items[{METHOD}].ask_when[0].in: 值须为 suicidal_thoughts 的选项"),
    (lambda r: r["items"][METHOD].__setitem__("ask_when", {"item": "suicidal_thoughts"}),
     f"items[{METHOD}].ask_when[0]: 需要且只能有 in 或 not_in 之一"),
    (lambda r: r["items"][0].__setitem__("ask_when", {"level_at_least": "severe"}),
     "items[0].ask_when[0].level_at_least: 未知风险等级"),
    (lambda r: r["items"].pop(METHOD), "items: 缺少风险规则需要的题目 method"),
    (lambda r: r["items"][METHOD].__setitem__("options", r["items"][METHOD]["options"] + [
        {"value": "unsure", "label": {"zh": "不确定", "en": "Unsure"}}]),
     f"items[{METHOD}].options: 风险题目 method 须为单选"),
    (lambda r: r["items"][_index("notes")].__setitem__("options", [{"value": "a", "label": {"zh": "a", "en": "a"}}]),
     "文字题不能有选项"),
    (lambda r: r["items"][0]["options"].append(r["items"][0]["options"][0]), "items[0].options[5].value: 重复的选项值"),
    (lambda r: r["items"][0].__setitem__("required", "yes"), "items[0].required"),
]


@pytest.mark.parametrize("mutation,message", BROKEN)
def test_broken_forms_name_file_path_and_problem(mutation, message):
    with pytest.raises(FormError) as info:
        parse_form(_mutate(mutation), "config/triage/broken.yaml")
    assert str(info.value).startswith("config/triage/broken.yaml: ")
    assert message in str(info.value)


def test_unquoted_yes_in_a_file(tmp_path):
    text = (CONFIG / "triage" / "default.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace('value: "yes"', "value: yes", 1), encoding="utf-8")
    with pytest.raises(FormError, match="bad.yaml: items.*quote it"):
        load_form(path)


def test_yaml_syntax_and_missing_file(tmp_path):
    (tmp_path / "x.yaml").write_text("id: [", encoding="utf-8")
    with pytest.raises(FormError, match="x.yaml: YAML"):
        load_form(tmp_path / "x.yaml")
    with pytest.raises(FormError, match="cannot read"):
        load_form(tmp_path / "missing.yaml")


def _write(path, version):
    path.write_text(yaml.safe_dump({**RAW, "version": version}, allow_unicode=True), encoding="utf-8")


def test_versions_newest_wins_and_old_versions_stay(tmp_path):
    _write(tmp_path / "default.yaml", 2)
    _write(tmp_path / "default.v1.yaml", 1)
    assert sorted(load_forms(tmp_path)["default"]) == [1, 2]
    assert get_form(tmp_path, "default").version == 2
    assert get_form(tmp_path, "default", 1).version == 1
    with pytest.raises(FormError, match="has no version 3"):
        get_form(tmp_path, "default", 3)
    with pytest.raises(FormError, match="no form with id 'other'"):
        get_form(tmp_path, "other")


def test_duplicate_version_is_an_error(tmp_path):
    _write(tmp_path / "a.yaml", 1)
    _write(tmp_path / "b.yaml", 1)
    with pytest.raises(FormError, match="duplicates"):
        load_forms(tmp_path)


def test_shipped_config_dir_loads():
    assert 1 in load_forms(CONFIG / "triage")["default"]
