"""The triage configuration a running process uses: forms and the referral directory.

Both are files under the config directory (HOTLINE_CONFIG_DIR, default config/, handed
in by the composition root) and are re-read when a file changes, so a center can reword
a question without a restart. The forms come from the same loader the CLI uses
(hotline.triage.forms), so `hotline triage assess` and the console judge answers with
the same form and the same rule.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from hotline.triage.forms import FormDefinition, FormError, load_forms
from hotline.triage.referrals import ReferralDirectory, load_directory


class TriageConfig:
    def __init__(self, config_dir: Path | str, calendar=None, referrals_file: Path | str | None = None) -> None:
        self.calendar = calendar        # the directory's holiday calendar, for institutions' hours
        self.forms_dir = Path(config_dir) / "triage"
        self.referrals_file = Path(referrals_file) if referrals_file else Path(config_dir) / "referrals.yaml"
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple, Any]] = {}

    def _cached(self, kind: str, paths: list[Path], load: Callable[[], Any]):
        """Loaded once per set of (name, modification time): a changed, added or removed
        file means a reload."""
        stamp = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in paths if p.exists()))
        with self._lock:
            hit = self._cache.get(kind)
            if hit and hit[0] == stamp:
                return hit[1]
        value = load()
        with self._lock:
            self._cache[kind] = (stamp, value)
        return value

    def all_forms(self) -> dict[str, dict[int, FormDefinition]]:
        return self._cached("forms", list(self.forms_dir.glob("*.y*ml")), lambda: load_forms(self.forms_dir))

    def get_form(self, form_id: str = "default", version: int | None = None) -> FormDefinition:
        """One form: the given version (older ones stay loadable for saved assessments) or the newest."""
        versions = self.all_forms().get(form_id)
        if not versions:
            raise FormError(f"找不到表单 {form_id!r} / no form with id {form_id!r}")
        chosen = max(versions) if version is None else version
        if chosen not in versions:
            raise FormError(f"表单 {form_id} 没有版本 {version} / form {form_id} has no version {version}")
        return versions[chosen]

    def form_json(self, form_id: str = "default", version: int | None = None) -> dict:
        """The form as the console renders it (labels zh first; ask_when evaluated in the browser)."""
        form = self.get_form(form_id, version)
        return {"id": form.id, "version": form.version, "title": _label(form.title),
                "items": [_item_json(item) for item in form.items]}

    def directory(self) -> ReferralDirectory:
        return self._cached("referrals", [self.referrals_file], 
                            lambda: load_directory(self.referrals_file, calendar=self.calendar))

    def region_code(self, caller_region: str | None) -> str | None:
        """The directory's region for a call's caller_region ("四川省雅安市" → "yaan").

        The record stores the geocoder's description; the directory names regions by code
        and zh/en labels. An exact code or label wins; otherwise the longest zh label (less
        its 市/省 suffix) found inside the text. Unknown → None (province-wide only).
        """
        found = self.directory()
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
