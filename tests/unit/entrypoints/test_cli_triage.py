"""`hotline triage assess` through click's CliRunner."""
from __future__ import annotations

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner

from hotline.cli.triage import config_dir, triage

from tests.unit.core.triage.conftest import CONFIG


def run(*args, **env):
    return CliRunner().invoke(triage, ["assess", *args], env=env or None)


def test_json_output_shape():
    result = run("--answers", '{"suicidal_thoughts": "yes", "intent": "refused"}', "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["level", "reasons", "actions"]
    assert data["level"] == "high"
    assert [(r["item"], r["answer"], r["level"]) for r in data["reasons"]] == [
        ("intent", "refused", "high"), ("suicidal_thoughts", "yes", "low")]
    assert all(set(r) == {"item", "answer", "level", "zh", "en"} for r in data["reasons"])
    assert [a["action"] for a in data["actions"]] == ["referral_required", "supervisor_alert", "follow_up",
                                                      "flag_caller_file", "priority"]


@pytest.mark.parametrize("answers,level", [
    ({}, "none"), ({"wish_dead": "yes"}, "low"), ({"behavior": "lifetime"}, "moderate"),
    ({"harm_others": "intent_or_plan"}, "high"), ({"danger_now": "yes"}, "imminent"),
])
def test_levels(answers, level):
    data = json.loads(run("--answers", json.dumps(answers), "--json").stdout)
    assert data["level"] == level


def test_answers_from_json_and_yaml_files(tmp_path):
    (tmp_path / "a.json").write_text('{"plan": "yes"}', encoding="utf-8")
    (tmp_path / "a.yaml").write_text('method: "yes"\nsuicidal_thoughts: "yes"\n', encoding="utf-8")
    assert json.loads(run("--answers", str(tmp_path / "a.json"), "--json").stdout)["level"] == "high"
    assert json.loads(run("--answers", str(tmp_path / "a.yaml"), "--json").stdout)["level"] == "moderate"


def test_form_by_path_and_by_version():
    path = str(CONFIG / "triage" / "default.yaml")
    for form in (path, "default", "default@1"):
        result = run("--answers", '{"plan": "yes"}', "--form", form, "--json")
        assert result.exit_code == 0 and json.loads(result.stdout)["level"] == "high"


def test_text_output_is_bilingual():
    result = run("--answers", '{"suicidal_thoughts": "no", "danger_now": "yes"}')
    assert result.exit_code == 0
    assert "风险等级 / Risk level: 紧急 / imminent" in result.stdout
    assert "完成紧急处置清单 / complete the emergency checklist" in result.stdout
    assert "Not asked" in result.stdout


def test_warning_goes_to_stderr_and_json_stays_clean():
    result = run("--answers", '{"suicidal_thoughts": "no", "method": "yes"}', "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["level"] == "moderate"
    assert "method" in result.stderr and "warning" in result.stderr


@pytest.mark.parametrize("args,fragment", [
    (["--answers", '{"plan": "perhaps"}'], "answers.plan: 'perhaps'"),
    (["--answers", '{"plan": '], "invalid JSON"),
    (["--answers", "no/such/file.json"], "neither a JSON object nor an existing file"),
    (["--answers", "[1, 2]"], "neither a JSON object"),
    (["--answers", '{"plan": "yes"}', "--form", "other"], "no form with id 'other'"),
    (["--answers", '{"plan": "yes"}', "--form", "default@x"], "version must be a number"),
    (["--answers", '{"plan": "yes"}', "--form", "default@9"], "has no version 9"),
    (["--answers", '{"plan": "yes"}', "--form", "missing.yaml"], "cannot read"),
])
def test_bad_input_exits_1_with_message(args, fragment):
    result = run(*args, "--json")
    assert result.exit_code == 1
    assert fragment in result.stderr and result.stdout == ""


def test_missing_answers_is_usage_error():
    assert run("--json").exit_code == 2


def test_yaml_answers_that_are_not_a_mapping(tmp_path):
    (tmp_path / "a.yaml").write_text("- plan\n", encoding="utf-8")
    result = run("--answers", str(tmp_path / "a.yaml"), "--json")
    assert result.exit_code == 1 and "mapping" in result.stderr


def test_config_dir_env(tmp_path, monkeypatch):
    monkeypatch.delenv("HOTLINE_CONFIG_DIR", raising=False)
    assert config_dir() == CONFIG
    (tmp_path / "triage").mkdir()
    raw = yaml.safe_load((CONFIG / "triage" / "default.yaml").read_text(encoding="utf-8"))
    (tmp_path / "triage" / "v2.yaml").write_text(yaml.safe_dump({**raw, "version": 2}), encoding="utf-8")
    shutil.copy(CONFIG / "triage" / "default.yaml", tmp_path / "triage" / "v1.yaml")
    monkeypatch.setenv("HOTLINE_CONFIG_DIR", str(tmp_path))
    assert config_dir() == tmp_path
    result = run("--answers", '{"plan": "yes"}', "--form", "default@2", "--json")
    assert result.exit_code == 0, result.output
