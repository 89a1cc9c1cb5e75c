"""Coverage results: runs of gaps and over-staffing per line, and their totals.

Quarters with the same (kind, required, staffed, open) that follow each other
are merged into one run, so a supervisor reads "16:00-24:00 short 1 seat"
instead of 32 rows; the JSON form is what `hotline roster coverage --json` prints.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hotline.shifts._time import hours_between

GAP, OVER = "gap", "over"


@dataclass(frozen=True)
class CoverageRun:
    """A stretch of a line where staffing differs from the requirement by a constant amount."""

    line_id: str
    kind: str
    start: datetime
    end: datetime
    required: int
    staffed: int
    open: bool = True

    @property
    def shortfall(self) -> int:
        """Seats missing (negative when over-staffed)."""
        return self.required - self.staffed

    @property
    def seat_hours(self) -> float:
        """Missing or surplus seats times the run's length."""
        return abs(self.shortfall) * hours_between(self.start, self.end)

    def message(self) -> str:
        """Bilingual description for CLI and UI."""
        span = f"{self.start:%Y-%m-%d %H:%M} – {self.end:%Y-%m-%d %H:%M}"
        if self.kind == GAP:
            return (f"{self.line_id} {span} 缺 {self.shortfall} 个席位（需要 {self.required}，在岗 {self.staffed}） / "
                    f"{self.line_id} {span} short {self.shortfall} seat(s) (required {self.required}, staffed {self.staffed})")
        closed_zh, closed_en = ("", "") if self.open else ("，热线未开放", ", line closed")
        return (f"{self.line_id} {span} 多 {-self.shortfall} 人（需要 {self.required}，在岗 {self.staffed}{closed_zh}） / "
                f"{self.line_id} {span} over by {-self.shortfall} (required {self.required}, staffed {self.staffed}{closed_en})")

    def to_dict(self) -> dict:
        return {"line_id": self.line_id, "kind": self.kind, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "required": self.required, "staffed": self.staffed,
                "shortfall": self.shortfall, "open": self.open, "seat_hours": round(self.seat_hours, 2)}


@dataclass(frozen=True)
class LineCoverage:
    """Coverage of one line over [start, end)."""

    line_id: str
    start: datetime
    end: datetime
    runs: tuple[CoverageRun, ...]
    open_hours: float

    @property
    def gaps(self) -> tuple[CoverageRun, ...]:
        return tuple(r for r in self.runs if r.kind == GAP)

    @property
    def over(self) -> tuple[CoverageRun, ...]:
        return tuple(r for r in self.runs if r.kind == OVER)

    def to_dict(self) -> dict:
        return {"line_id": self.line_id, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "open_hours": round(self.open_hours, 2),
                "short_seat_hours": round(sum(r.seat_hours for r in self.gaps), 2),
                "over_seat_hours": round(sum(r.seat_hours for r in self.over), 2),
                "runs": [r.to_dict() for r in self.runs]}


@dataclass(frozen=True)
class CoverageReport:
    """Coverage of every line; ok when no line has a gap."""

    lines: tuple[LineCoverage, ...]

    @property
    def gaps(self) -> tuple[CoverageRun, ...]:
        return tuple(r for line in self.lines for r in line.gaps)

    @property
    def over(self) -> tuple[CoverageRun, ...]:
        return tuple(r for line in self.lines for r in line.over)

    @property
    def ok(self) -> bool:
        return not self.gaps

    def line(self, line_id: str) -> LineCoverage:
        return next(c for c in self.lines if c.line_id == line_id)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "lines": [c.to_dict() for c in self.lines]}
