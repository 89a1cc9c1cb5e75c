"""Referral directory, suggestions, and the referral status life cycle.

Counselors must hand a high-risk caller to care that is reachable *now* (转介), so the
directory's opening hours are compiled with the same schedule model as the lines and
suggestions put open institutions first. Everything here is pure: callers pass `at`/`now`
(timezone-aware) and get plain data back; the store persists referrals.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from hotline.triage.forms import Label

TYPES = ("psychiatric_hospital", "community_mental_health", "emergency", "hotline")
STATUSES = ("suggested", "accepted", "contacted", "completed", "declined")
TRANSITIONS: Mapping[str, frozenset[str]] = {
    "suggested": frozenset({"accepted", "contacted", "declined"}),
    "accepted": frozenset({"contacted", "completed", "declined"}),
    "contacted": frozenset({"completed", "declined"}),
    "completed": frozenset(),
    "declined": frozenset(),
}
# When the next follow-up reminder falls due after entering a status; None = no more.
FOLLOW_UP_AFTER: Mapping[str, timedelta | None] = {
    "suggested": timedelta(hours=24), "accepted": timedelta(hours=48),
    "contacted": timedelta(hours=72), "completed": None, "declined": None,
}
Compile = Callable[..., Any]  # compile(text, tz=...) -> Schedule


class ReferralError(ValueError):
    """A bad directory file, an unknown status or an invalid status change."""


def _aware(at: datetime, name: str = "at") -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} 须带时区 / {name} must be timezone-aware")
    return at


@dataclass(frozen=True)
class Institution:
    """One entry of config/referrals.yaml with its compiled opening hours."""

    id: str
    name: Label
    type: str
    region: str
    phone: str
    hours: str
    schedule: Any = field(repr=False, compare=False)
    phone_verified: bool = False
    tz: str = "Asia/Shanghai"
    address: str | None = None
    notes: Label | None = None

    @property
    def dialable(self) -> bool:
        """Only a verified, complete number may be dialled into a caller's call."""
        return self.phone_verified and "X" not in self.phone.upper() and bool(self.phone.strip())


@dataclass(frozen=True)
class Suggestion:
    """An institution ranked for a caller: open now (until closes_at) or opening at opens_at."""

    institution: Institution
    open_now: bool
    local: bool
    opens_at: datetime | None = None
    closes_at: datetime | None = None


@dataclass(frozen=True)
class ReferralDirectory:
    """The institutions callers are referred to (config/referrals.yaml), by region — not the
    line directory of hotline.routing."""

    institutions: tuple[Institution, ...]
    regions: Mapping[str, Label]
    province_wide: str
    example_data: bool = False
    source: str = "<referrals>"

    def region_code(self, name: str | None) -> str | None:
        """Accept a code, a zh name or an en name (any case); None when unknown."""
        wanted = (name or "").strip().casefold()
        for code, label in self.regions.items():
            if wanted in (code.casefold(), label.zh.casefold(), label.en.casefold()):
                return code
        return None

    def suggest(self, region: str | None, at: datetime, limit: int = 5,
                types: Iterable[str] | None = None) -> list[Suggestion]:
        return suggest(self.institutions, self.region_code(region), at, limit,
                       province_wide=self.province_wide, types=types)


def suggest(institutions: Iterable[Institution], region: str | None, at: datetime,
            limit: int = 5, *, province_wide: str = "sichuan",
            types: Iterable[str] | None = None) -> list[Suggestion]:
    """Institutions of the caller's region and province-wide ones: verified numbers first
    (an unverified number is never the first thing a counselor dials), then open now first
    (local before province-wide), then the closed ones by how soon they open. An unknown or
    missing region gives province-wide ones only. Never-opening entries are left out.
    """
    _aware(at)
    wanted = set(types) if types is not None else None
    found = []
    for inst in institutions:
        if inst.region not in (region, province_wide) or (wanted and inst.type not in wanted):
            continue
        found.append(_rank(inst, inst.region == region and region != province_wide, at))
    found = [s for s in found if s.open_now or s.opens_at is not None]
    found.sort(key=lambda s: (not s.institution.phone_verified, not s.open_now,
                              0.0 if s.open_now else s.opens_at.timestamp(),
                              not s.local, TYPES.index(s.institution.type), s.institution.id))
    return found[:limit]


def _rank(inst: Institution, local: bool, at: datetime) -> Suggestion:
    is_open = inst.schedule.is_open(at)
    change = inst.schedule.next_change(at)
    return Suggestion(inst, is_open, local, None if is_open else change, change if is_open else None)


# --- loading ---------------------------------------------------------------------------

def _default_compile(calendar: Any = None) -> Compile:
    """The real schedule compiler, with the mainland China holiday calendar by default."""
    # lazy: only a directory loaded from a file compiles schedules (tests pass their own)
    from hotline.routing.schedule import compile_schedule
    if calendar is None:
        try:
            # optional: the holiday calendar's data may not be installed
            from hotline.routing.calendar.holidays import china_calendar
            calendar = china_calendar()
        except ImportError:
            calendar = None
    return lambda text, tz: compile_schedule(text, tz=tz, calendar=calendar)


def load_directory(path: str | Path, *, compile: Compile | None = None,
                   calendar: Any = None) -> ReferralDirectory:
    """Read and validate config/referrals.yaml; errors name file, key path and problem."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReferralError(f"{path}: 无法读取 / cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ReferralError(f"{path}: YAML 语法错误 / YAML syntax error: {exc}") from None
    return parse_directory(raw, str(path), compile or _default_compile(calendar))


def _fail(src: str, path: str, zh: str, en: str) -> ReferralError:
    return ReferralError(f"{src}: {path}: {zh} / {en}")


def _label(raw: Any, src: str, path: str) -> Label:
    try:
        return Label.from_raw(raw)
    except ValueError as exc:
        raise ReferralError(f"{src}: {path}: {exc}") from None


def parse_directory(raw: Any, source: str, compile: Compile) -> ReferralDirectory:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("institutions"), list):
        raise _fail(source, "(top)", "需要 institutions 列表", "needs an `institutions:` list")
    if not isinstance(raw.get("regions"), Mapping) or not raw["regions"]:
        raise _fail(source, "regions", "缺少地区表", "missing the regions mapping")
    regions = {str(k): _label(v, source, f"regions.{k}") for k, v in raw["regions"].items()}
    province = raw.get("province_wide")
    if province not in regions:
        raise _fail(source, "province_wide", "须为 regions 中的一个地区", "must be one of the regions")
    seen: dict[str, Institution] = {}
    for n, entry in enumerate(raw["institutions"]):
        inst = _institution(entry, source, f"institutions[{n}]", regions, compile)
        if inst.id in seen:
            raise _fail(source, f"institutions[{n}].id", f"重复的 id {inst.id!r}", "duplicate id")
        seen[inst.id] = inst
    return ReferralDirectory(tuple(seen.values()), regions, province, bool(raw.get("example_data")), source)


_INST_KEYS = {"id", "name", "type", "region", "phone", "phone_verified", "hours", "tz",
              "address", "notes"}


def _institution(raw: Any, src: str, path: str, regions: Mapping[str, Label],
                 compile: Compile) -> Institution:
    if not isinstance(raw, Mapping):
        raise _fail(src, path, "应为键值映射", "must be a mapping")
    unknown = sorted(set(map(str, raw)) - _INST_KEYS)
    if unknown:
        raise _fail(src, f"{path}.{unknown[0]}", "未知的键", "unknown key")
    for key in ("id", "name", "type", "region", "phone", "hours"):
        if raw.get(key) in (None, ""):
            raise _fail(src, f"{path}.{key}", "缺少", "missing")
    if raw["type"] not in TYPES:
        raise _fail(src, f"{path}.type", f"未知类型 {raw['type']!r}",
                    f"unknown type (one of {', '.join(TYPES)})")
    if raw["region"] not in regions:
        raise _fail(src, f"{path}.region", f"未知地区 {raw['region']!r}",
                    "unknown region (add it to regions)")
    phone, verified = _phone(raw, src, path)
    tz = _zone(raw.get("tz", "Asia/Shanghai"), src, f"{path}.tz")
    try:
        schedule = compile(str(raw["hours"]), tz=tz)
    except ValueError as exc:
        raise _fail(src, f"{path}.hours", f"无法解析营业时间（{exc}）", "cannot parse the opening hours") from None
    notes = _label(raw["notes"], src, f"{path}.notes") if raw.get("notes") else None
    return Institution(str(raw["id"]), _label(raw["name"], src, f"{path}.name"), raw["type"],
                       raw["region"], phone, str(raw["hours"]), schedule, verified, tz,
                       raw.get("address"), notes)


def _phone(raw: Mapping, src: str, path: str) -> tuple[str, bool]:
    """Placeholders use X for unknown digits and must then be marked unverified."""
    phone, verified = str(raw["phone"]).strip(), raw.get("phone_verified", False)
    if not isinstance(verified, bool):
        raise _fail(src, f"{path}.phone_verified", "应为 true/false", "must be true or false")
    if not phone or any(c not in "0123456789X+-() " for c in phone):
        raise _fail(src, f"{path}.phone", "电话格式无效",
                    "invalid phone (digits, + - ( ) space, X for unknown)")
    if "X" in phone and verified:
        raise _fail(src, f"{path}.phone_verified", "占位号码不能标为已核实",
                    "a placeholder number cannot be verified")
    return phone, verified


def _zone(name: Any, src: str, path: str) -> str:
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(src, path, f"未知时区 {name!r}", "unknown IANA time zone") from None
    return str(name)


# --- referral life cycle ---------------------------------------------------------------

@dataclass(frozen=True)
class StatusChange:
    status: str
    at: datetime
    by: str | None = None


@dataclass(frozen=True)
class Referral:
    """A hand-over of one caller to one institution; immutable, changed via transition()."""

    id: str
    institution_id: str
    status: str
    created_at: datetime
    follow_up_at: datetime | None
    history: tuple[StatusChange, ...] = ()

    @property
    def is_open(self) -> bool:
        return bool(TRANSITIONS[self.status])


def new_referral(referral_id: str, institution_id: str, at: datetime, *,
                 follow_up_after: timedelta | None = None, by: str | None = None) -> Referral:
    """A referral in status "suggested" with its first follow-up reminder."""
    _aware(at)
    after = follow_up_after if follow_up_after is not None else FOLLOW_UP_AFTER["suggested"]
    return Referral(referral_id, institution_id, "suggested", at, at + after,
                    (StatusChange("suggested", at, by),))


def transition(referral: Referral, status: str, at: datetime, *,
               follow_up_after: timedelta | None = None, by: str | None = None) -> Referral:
    """Move to `status` if allowed; the follow-up reminder restarts (none when closed)."""
    _aware(at)
    if status not in TRANSITIONS:
        raise ReferralError(f"未知转介状态 / unknown referral status: {status!r} "
                            f"(one of {', '.join(STATUSES)})")
    allowed = TRANSITIONS[referral.status]
    if status not in allowed:
        options = ", ".join(s for s in STATUSES if s in allowed) or "—"
        raise ReferralError(f"转介 {referral.id}: 不能从 {referral.status} 变为 {status}（允许：{options}）/ "
                            f"referral {referral.id}: invalid transition {referral.status} → {status} "
                            f"(allowed: {options})")
    after = follow_up_after if follow_up_after is not None else FOLLOW_UP_AFTER[status]
    follow_up = at + after if TRANSITIONS[status] and after is not None else None
    return replace(referral, status=status, follow_up_at=follow_up,
                   history=referral.history + (StatusChange(status, at, by),))


def overdue(referrals: Iterable[Referral], now: datetime) -> list[Referral]:
    """Open referrals whose follow-up is due (follow_up_at <= now), most overdue first."""
    _aware(now, "now")
    due = [r for r in referrals if r.is_open and r.follow_up_at is not None and r.follow_up_at <= now]
    return sorted(due, key=lambda r: (r.follow_up_at, r.id))
