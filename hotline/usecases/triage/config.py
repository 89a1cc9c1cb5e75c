"""The triage configuration a running process uses: forms and the referral directory.

Both are files under the config directory (HOTLINE_CONFIG_DIR, default config/) and are
re-read when a file changes, so a center can reword a question without a restart. The
forms come from the same loader the CLI uses (hotline.triage.forms), so `hotline triage
assess` and the console judge answers with the same form and the same rule.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from hotline.triage.forms import FormDefinition, FormError, load_forms
from hotline.triage.referrals import Directory, load_directory

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[tuple, Any]] = {}


def forms_dir(services) -> Path:
    return Path(services.settings.config_dir) / "triage"


def referrals_file(services) -> Path:
    return Path(services.settings.config_dir) / "referrals.yaml"


def _stamp(paths: list[Path]) -> tuple:
    """Names and modification times: a changed, added or removed file means a reload."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in paths if p.exists()))


def _cached(kind: str, where: Path, paths: list[Path], load):
    stamp = _stamp(paths)
    with _lock:
        hit = _cache.get((kind, str(where)))
        if hit and hit[0] == stamp:
            return hit[1]
    value = load()
    with _lock:
        _cache[(kind, str(where))] = (stamp, value)
    return value


def all_forms(services) -> dict[str, dict[int, FormDefinition]]:
    directory = forms_dir(services)
    return _cached("forms", directory, list(directory.glob("*.y*ml")), lambda: load_forms(directory))


def get_form(services, form_id: str = "default", version: int | None = None) -> FormDefinition:
    """One form: the given version (older ones stay loadable for saved assessments) or the newest."""
    versions = all_forms(services).get(form_id)
    if not versions:
        raise FormError(f"找不到表单 {form_id!r} / no form with id {form_id!r}")
    chosen = max(versions) if version is None else version
    if chosen not in versions:
        raise FormError(f"表单 {form_id} 没有版本 {version} / form {form_id} has no version {version}")
    return versions[chosen]


def directory(services) -> Directory:
    path = referrals_file(services)
    return _cached("referrals", path, [path], lambda: load_directory(path, calendar=services.holiday_calendar))


def region_code(services, caller_region: str | None) -> str | None:
    """The directory's region for a call's caller_region ("四川省雅安市" → "yaan").

    The record stores the geocoder's description; the directory names regions by code
    and zh/en labels. An exact code or label wins; otherwise the longest zh label (less
    its 市/省 suffix) found inside the text. Unknown → None (province-wide only).
    """
    found = directory(services)
    if not caller_region:
        return None
    exact = found.region_code(caller_region)
    if exact:
        return exact
    best, best_len = None, 0
    for code, label in found.regions.items():
        if code == found.province_wide:
            continue
        short = label.zh.split("（")[0].rstrip("市省区县州")
        if short and short in caller_region and len(short) > best_len:
            best, best_len = code, len(short)
    return best


def form_json(form: FormDefinition) -> dict:
    """The form as the console renders it (labels zh first; ask_when evaluated in the browser)."""
    return {"id": form.id, "version": form.version, "title": _label(form.title),
            "items": [_item_json(item) for item in form.items]}


def _label(label) -> dict | None:
    return {"zh": label.zh, "en": label.en} if label else None


def _item_json(item) -> dict:
    return {"id": item.id, "type": item.type, "label": _label(item.label), "help": _label(item.help),
            "required": item.required,
            "options": [{"value": o.value, "label": _label(o.label), "help": _label(o.help)}
                        for o in item.options],
            "ask_when": [_condition_json(c) for c in item.ask_when]}


def _condition_json(condition) -> dict:
    if condition.op == "level_at_least":
        return {"op": "level_at_least", "level": next(iter(condition.values))}
    return {"op": condition.op, "item": condition.item, "values": sorted(condition.values)}
