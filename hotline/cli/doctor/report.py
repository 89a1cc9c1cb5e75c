"""One check's verdict, and the report `hotline doctor` prints (text or JSON)."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
_RANK = {OK: 0, SKIP: 0, WARN: 1, FAIL: 2}
_MARK = {OK: "✓", WARN: "!", FAIL: "✗", SKIP: "-"}


@dataclass(frozen=True)
class Check:
    """name: what was checked; message: what was found; fix: what to do (bilingual)."""

    name: str
    status: str
    message: str
    fix: str = ""


@dataclass(frozen=True)
class Finding:
    """One observation inside a check; a check is as bad as its worst finding."""

    status: str
    message: str
    fix: str = ""


def combine(name: str, findings: list[Finding], ok_message: str) -> Check:
    """Fold findings into one Check: the worst status, problems first, the fixes joined."""
    problems = [f for f in findings if f.status != OK]
    if not problems:
        notes = [f.message for f in findings if f.message]
        return Check(name, OK, "；".join(notes) if notes else ok_message)
    status = max((f.status for f in problems), key=_RANK.__getitem__)
    ordered = sorted(problems, key=lambda f: -_RANK[f.status])
    return Check(name, status, "；".join(f.message for f in ordered),
                 " ".join(f.fix for f in ordered if f.fix))


@dataclass
class Report:
    production: bool
    production_reason: str
    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for c in self.checks if c.status == FAIL)

    @property
    def warnings(self) -> int:
        return sum(1 for c in self.checks if c.status == WARN)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_json(self) -> str:
        return json.dumps({"ok": self.ok, "production": self.production,
                           "production_reason": self.production_reason, "failed": self.failed,
                           "warnings": self.warnings, "checks": [asdict(c) for c in self.checks]},
                          ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        mode = "生产模式 / production" if self.production else "开发模式 / development"
        lines = [f"Hotline 部署检查 / deployment check — {mode} ({self.production_reason})"]
        for check in self.checks:
            lines.append(f"{_MARK[check.status]} {check.name}: {check.message}")
            if check.fix and check.status in (WARN, FAIL):
                lines.append(f"    → 怎么办 / what to do: {check.fix}")
        lines.append(f"结果 / result: {self.failed} 项失败，{self.warnings} 项警告 / "
                     f"{self.failed} failed, {self.warnings} warning(s)")
        return "\n".join(lines)
