"""Which numbers the simulator dials: the directory's hosted numbers by default.

The directory is loaded with Hotline's own loader; while parts of the routing core
are still missing (the loader then fails to import) the YAML file is read directly,
keeping only what dialling needs: line id, hosted flag, region and numbers.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import phonenumbers
import yaml

log = logging.getLogger(__name__)
_EXTENSION = re.compile(r"\s*(?:[-－—]\s*|转|ext\.?\s*|x)(\d{1,6})\s*号线\s*$", re.I)


@dataclass(frozen=True)
class Target:
    e164: str
    line_id: str = ""
    region: str = ""
    hosted: bool = True
    area_codes: tuple[str, ...] = ()


def load_all_targets(path: Path) -> list[Target]:
    """Every number of the directory file, as dialling targets."""
    try:
        from hotline.routing.directory_loader import load_directory  # optional: the YAML suffices without it
    except ImportError as exc:
        log.debug("directory loader unavailable (%s): reading %s directly", exc, path)
        return _read_yaml(path)
    return [Target(n.e164, line.id, line.region, line.hosted, tuple(line.area_codes))
            for line in load_directory(path) for n in line.numbers]


def select(targets: Iterable[Target], lines: list[str] | None = None,
           numbers: list[str] | None = None) -> list[Target]:
    """--lines / --numbers filtering; default: all numbers of hosted lines."""
    targets = list(targets)
    if numbers:
        known = {t.e164: t for t in targets}
        return [known.get(e164, Target(e164)) for e164 in (to_e164(n) for n in numbers)]
    if lines:
        unknown = sorted(set(lines) - {t.line_id for t in targets})
        if unknown:
            raise ValueError(f"未知线路 / unknown line id(s): {', '.join(unknown)}")
        return [t for t in targets if t.line_id in lines]
    return [t for t in targets if t.hosted]


def to_e164(text: str) -> str:
    """A number as published ('028-12320-4号线', '+862887577510') in E.164."""
    base = _EXTENSION.sub("", text.strip())
    try:
        parsed = phonenumbers.parse(base, "CN")
    except phonenumbers.NumberParseException:
        raise ValueError(f"不是电话号码 / not a phone number: {text!r}") from None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _read_yaml(path: Path) -> list[Target]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    targets = []
    for line in raw.get("lines") or []:
        for item in line.get("numbers") or []:
            number = item.get("number") if isinstance(item, dict) else item
            targets.append(Target(to_e164(str(number)), str(line.get("id", "")), str(line.get("region") or ""),
                                  line.get("hosted") is True, tuple(str(a) for a in line.get("area_codes") or ())))
    return targets
