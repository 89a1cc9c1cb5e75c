"""A center's own referral directory from a spreadsheet (`hotline referrals import`).

Rows come as {column: text} from a CSV or XLSX sheet whose first row names the columns;
row numbers are the sheet's (the header is row 1), so an error points where the person
typing the sheet will look. Every problem is collected before anything is written, and
the result is either a whole new directory or nothing (all-or-nothing).

The shipped public numbers (emergency services and national hotlines) are kept unless
the sheet lists the same id: a center's own list must never make 120 disappear.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hotline.triage.referrals import TYPES, Compile, ReferralDirectory, ReferralError, parse_directory

COLUMNS = ("id", "name_zh", "name_en", "type", "region", "phone", "verified", "hours", "tz", "address",
           "notes_zh", "notes_en")
REQUIRED = ("id", "name_zh", "type", "region", "phone", "verified", "hours")
PUBLIC_TYPES = ("emergency", "hotline")
TYPE_WORDS = {"精神专科医院": "psychiatric_hospital", "社区心理健康服务": "community_mental_health",
              "紧急服务": "emergency", "心理援助热线": "hotline"}
YES = {"yes", "y", "true", "1", "是", "已核实"}
NO = {"no", "n", "false", "0", "否", "未核实"}
PHONE_CHARS = set("0123456789X+-() ")


class ReferralImportError(ValueError):
    """The sheet has problems; `problems` names each one's row and column."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}:\n" + "\n".join(f"  - {p}" for p in problems))


def _where(row: int, column: str) -> str:
    return f"第 {row} 行 {column} 列 / row {row}, column {column}"


def import_directory(rows: Sequence[Mapping[str, Any]], header: Sequence[str], base: Mapping[str, Any],
                     source: str, compile: Compile) -> tuple[dict, ReferralDirectory]:
    """The new directory (raw mapping to store, and compiled) from the sheet and the current
    directory `base` (its regions, province-wide code and public numbers)."""
    problems = _header_problems(header)
    if problems:
        raise ReferralImportError(source, problems)
    regions = base.get("regions") or {}
    entries, seen = [], {}
    for index, row in enumerate(rows):
        number = index + 2
        cells = {k: _text(row.get(k)) for k in COLUMNS}
        if not any(cells.values()):
            continue                                   # blank lines between blocks are fine
        entry = _entry(cells, number, regions, compile, problems)
        if entry is None:
            continue
        if entry["id"] in seen:
            problems.append(f"{_where(number, 'id')}：与第 {seen[entry['id']]} 行重复 / "
                            f"duplicates row {seen[entry['id']]}")
            continue
        seen[entry["id"]] = number
        entries.append(entry)
    if not problems and not entries:
        problems.append("表格没有机构行 / the sheet has no institution rows")
    if problems:
        raise ReferralImportError(source, problems)
    kept = [dict(i) for i in base.get("institutions") or []
            if i.get("type") in PUBLIC_TYPES and str(i.get("id")) not in seen]
    raw = {"version": 1, "example_data": False, "province_wide": base.get("province_wide"),
           "regions": {k: dict(v) for k, v in regions.items()}, "institutions": kept + entries}
    try:
        return raw, parse_directory(raw, source, compile)
    except ReferralError as exc:                      # a problem of the kept part: say so plainly
        raise ReferralImportError(source, [str(exc)]) from None


def _header_problems(header: Sequence[str]) -> list[str]:
    names = [_text(h) for h in header]
    problems = [f"第 1 行缺少列 {c} / row 1: missing column {c}" for c in REQUIRED if c not in names]
    problems += [f"第 1 行未知列 {n} / row 1: unknown column {n} (known: {', '.join(COLUMNS)})"
                 for n in names if n and n not in COLUMNS]
    return problems


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _entry(cells: dict[str, str], row: int, regions: Mapping, compile: Compile, problems: list[str]) -> dict | None:
    before = len(problems)
    for column in REQUIRED:
        if not cells[column]:
            problems.append(f"{_where(row, column)}：缺少 / missing")
    if len(problems) > before:
        return None
    kind = TYPE_WORDS.get(cells["type"], cells["type"])
    if kind not in TYPES:
        problems.append(f"{_where(row, 'type')}：未知类型 {cells['type']!r} / unknown type (one of {', '.join(TYPES)})")
    region = _region(cells["region"], regions)
    if region is None:
        problems.append(f"{_where(row, 'region')}：未知地区 {cells['region']!r} / unknown region "
                        f"(one of {', '.join(regions)})")
    verified = _verified(cells["verified"], row, problems)
    phone = cells["phone"]
    if any(c not in PHONE_CHARS for c in phone):
        problems.append(f"{_where(row, 'phone')}：电话格式无效 {phone!r} / invalid phone "
                        "(digits, + - ( ) space, X for unknown)")
    elif "X" in phone and verified:
        problems.append(f"{_where(row, 'verified')}：占位号码不能标为已核实 / a placeholder number cannot be verified")
    tz = cells["tz"] or "Asia/Shanghai"
    if not _zone_ok(tz):
        problems.append(f"{_where(row, 'tz')}：未知时区 {tz!r} / unknown IANA time zone")
    else:
        try:
            compile(cells["hours"], tz=tz)
        except ValueError as exc:
            problems.append(f"{_where(row, 'hours')}：无法解析营业时间（{exc}）/ cannot read the opening hours")
    if len(problems) > before:
        return None
    entry = {"id": cells["id"], "name": {"zh": cells["name_zh"], "en": cells["name_en"] or cells["name_zh"]},
             "type": kind, "region": region, "phone": phone, "phone_verified": verified,
             "hours": cells["hours"], "tz": tz}
    if cells["address"]:
        entry["address"] = cells["address"]
    if cells["notes_zh"] or cells["notes_en"]:
        entry["notes"] = {"zh": cells["notes_zh"] or cells["notes_en"], "en": cells["notes_en"] or cells["notes_zh"]}
    return entry


def _region(text: str, regions: Mapping) -> str | None:
    wanted = text.casefold()
    for code, label in regions.items():
        names = {str(code).casefold()} | {str(v).casefold() for v in (label or {}).values()}
        if wanted in names:
            return str(code)
    return None


def _verified(text: str, row: int, problems: list[str]) -> bool:
    word = text.casefold()
    if word in YES:
        return True
    if word not in NO:
        problems.append(f"{_where(row, 'verified')}：应为 是/否 / must be yes or no, got {text!r}")
    return False


def _zone_ok(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
