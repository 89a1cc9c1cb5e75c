"""Readable names for breakdown keys: a concern's option value → "焦虑 / Anxiety".

Concerns and population levels are option values of the triage forms, so their
labels are read from those forms (every version, newest wins), and a value that no
form knows any more is shown as it is stored. The forms come in as data (form id →
version → definition, as hotline.triage.forms.load_forms returns them); reading
them from disk is the caller's business.
"""
from __future__ import annotations

from typing import Mapping

from hotline.reports.metrics import WEEKDAYS
from hotline.triage.risk import LEVEL_LABELS, LEVELS

FORM_ITEMS = {"concerns": "concerns", "population_levels": "population_level"}
ABANDON_LABELS = {"0-5": "0–5 秒 / s", "5-20": "5–20 秒 / s", "20-60": "20–60 秒 / s",
                  "60-120": "60–120 秒 / s", "120+": "120 秒以上 / s +"}
Forms = Mapping[str, Mapping[int, object]]     # form id → version → FormDefinition


def risk_labels() -> dict[str, str]:
    return {level: f"{LEVEL_LABELS[level][0]} / {LEVEL_LABELS[level][1]}" for level in LEVELS}


def form_labels(forms: Forms | None) -> dict[str, dict[str, str]]:
    """breakdown → option value → label, from the triage forms (none: the stored values)."""
    labels: dict[str, dict[str, str]] = {name: {} for name in FORM_ITEMS}
    for versions in (forms or {}).values():
        for version in sorted(versions):
            _add_form(labels, versions[version])
    return labels


def _add_form(labels: dict[str, dict[str, str]], form) -> None:
    for breakdown, item_id in FORM_ITEMS.items():
        try:
            item = form.item(item_id)
        except (KeyError, LookupError):
            continue
        for option in item.options or ():
            zh, en = option.label.zh, option.label.en
            if breakdown == "population_levels":   # "第一级：确诊患者…" → "第一级" on a chart axis
                zh, en = zh.split("：")[0].split("（")[0], en.split(":")[0].split(" (")[0]
            labels[breakdown][option.value] = f"{zh} / {en}"


def all_labels(forms: Forms | None) -> dict[str, dict[str, str]]:
    labels = form_labels(forms)
    labels["risk_levels"] = risk_labels()
    labels["abandon_wait"] = dict(ABANDON_LABELS)
    labels["weekday_offered"] = {str(i): f"周{zh} / {en}" for i, (zh, en) in enumerate(WEEKDAYS)}
    labels["hour_offered"] = {f"{h:02d}": f"{h:02d}:00" for h in range(24)}
    return labels


def key_order(breakdown: str, labels: dict[str, str], keys) -> list[str]:
    """Keys in their natural order: the form's order for options, sorted otherwise."""
    known = [k for k in labels if k in keys] if breakdown in ("concerns", "population_levels", "risk_levels",
                                                              "abandon_wait") else []
    return known + sorted(k for k in keys if k not in known)
