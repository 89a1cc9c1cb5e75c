"""`hotline triage …` commands: run the triage risk rule from the command line.

The command calls exactly the function the console calls (hotline.triage.risk.assess
with the form from config/triage/), so drills, scripts and audits see the same level.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click
import yaml

from hotline.settings import config_dir_from_env
from hotline.triage.forms import FormDefinition, FormError, get_form, load_form
from hotline.triage.risk import AnswerError, RiskAssessment, assess, level_label


def config_dir() -> Path:
    """HOTLINE_CONFIG_DIR, or the repository's config/ next to the package (the settings'
    rule; the rest of the settings is not needed to judge answers)."""
    return config_dir_from_env()


def _read_answers(value: str) -> Any:
    """A JSON object given inline, or a path to a .json/.yaml/.yml file."""
    if value.lstrip().startswith("{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"--answers: JSON 无效（第 {exc.lineno} 行第 {exc.colno} 列）/ "
                                       f"invalid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}")
    path = Path(value)
    if not path.is_file():
        raise click.ClickException("--answers: 既不是 JSON 对象也不是已有文件 / "
                                   "is neither a JSON object nor an existing file")
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeError, ValueError, yaml.YAMLError) as exc:
        raise click.ClickException(f"--answers: 无法读取 {path} / cannot read {path}: "
                                   f"{type(exc).__name__}")


def _resolve_form(name: str) -> FormDefinition:
    """`--form` is a form id (optionally id@version) in config/triage/, or a file path."""
    path = Path(name)
    if path.suffix.lower() in (".yaml", ".yml") or os.sep in name or "/" in name:
        return load_form(path)
    form_id, _, version = name.partition("@")
    if version and not version.isdigit():
        raise click.ClickException(f"--form: 版本须为数字 / version must be a number: {name}")
    return get_form(config_dir() / "triage", form_id, int(version) if version else None)


def _print_text(result: RiskAssessment) -> None:
    click.echo(f"风险等级 / Risk level: {level_label(result.level)}")
    click.echo("依据 / Reasons:")
    for reason in result.reasons or ():
        click.echo(f"  - [{level_label(reason.level)}] {reason.item}={reason.answer}: {reason}")
    if not result.reasons:
        click.echo("  - 无风险答案 / no answer indicating risk")
    click.echo("处置 / Actions:")
    for action in result.actions.to_list() or [{"zh": "无", "en": "none"}]:
        click.echo(f"  - {action['zh']} / {action['en']}")
    if result.not_asked:
        click.echo(f"未询问（按“否”计）/ Not asked (counted as no): {', '.join(result.not_asked)}")


@click.group("triage")
def triage() -> None:
    """分诊 / Triage: forms and the risk rule."""


@triage.command("assess")
@click.option("--answers", "answers_arg", required=True, metavar="JSON_OR_FILE",
              help="答案：JSON 对象或 JSON/YAML 文件路径 / answers: a JSON object or a JSON/YAML file.")
@click.option("--form", "form_name", default="default", show_default=True,
              help="表单 id（可写 id@版本）或文件路径 / form id (id@version) in config/triage/, or a path.")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON / print JSON.")
def assess_command(answers_arg: str, form_name: str, as_json: bool) -> None:
    """Assess risk from triage answers.

    With --json, stdout is exactly {"level": str, "reasons": [...], "actions": [...]}.
    Each reason is an object {"item", "answer", "level", "zh", "en"}: the answer that
    produced (part of) the level. Each action is an object {"action", "zh", "en", ...}
    with a stable code (referral_suggested, referral_required, supervisor_alert,
    follow_up + after_hours, sounding_alert, emergency_checklist + items,
    flag_caller_file, priority). Warnings go to stderr. Bad input exits with code 1.
    """
    answers = _read_answers(answers_arg)
    try:
        result = assess(answers, _resolve_form(form_name))
    except (FormError, AnswerError) as exc:
        raise click.ClickException(str(exc)) from None
    for warning in result.warnings:
        click.echo(f"警告 / warning: {warning}", err=True)
    if as_json:
        click.echo(json.dumps(result.summary(), ensure_ascii=False))
    else:
        _print_text(result)
