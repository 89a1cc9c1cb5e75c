"""This period against the previous one: the change of every figure, and whether it is good.

A rate's change is given in percentage points (85 % → 80 % is −5.0 pp, not −5.9 %);
a count's or a time's as a relative change. "good" is None when a change has no
better direction (calls offered going up is neither).
"""
from __future__ import annotations

from dataclasses import dataclass

from hotline.reports.figures import Figures
from hotline.reports.metrics import METRICS, Metric


@dataclass(frozen=True)
class Change:
    metric: str
    value: float | None
    previous: float | None
    delta: float | None          # value − previous (a ratio's delta is a fraction: 0.05 = 5 pp)
    relative: float | None       # delta / previous, for counts, seconds and hours
    good: bool | None

    @property
    def direction(self) -> str:
        if self.delta is None:
            return "none"
        return "up" if self.delta > 1e-12 else "down" if self.delta < -1e-12 else "same"

    def describe(self, metric: Metric) -> str:
        """"+12 (+8.0%)", "−5.0 pp", "—" for the page and the printed summary."""
        if self.delta is None:
            return "—"
        if metric.unit == "ratio":
            return f"{self.delta * 100:+.1f} pp"
        number = f"{self.delta:+.0f}" if metric.unit == "count" else f"{self.delta:+.1f}"
        return number if self.relative is None else f"{number} ({self.relative * 100:+.1f}%)"

    def to_dict(self) -> dict:
        return {"value": self.value, "previous": self.previous, "delta": self.delta, "relative": self.relative,
                "good": self.good, "direction": self.direction}


def change(metric: Metric, value: float | None, previous: float | None) -> Change:
    if value is None or previous is None:
        return Change(metric.id, value, previous, None, None, None)
    delta = value - previous
    relative = None if metric.unit == "ratio" or not previous else delta / previous
    good = None
    if metric.better and abs(delta) > 1e-12:
        good = (delta > 0) == (metric.better == "up")
    return Change(metric.id, value, previous, delta, relative, good)


def compare(current: Figures, previous: Figures | None) -> dict[str, Change]:
    """metric id → Change, for every metric of the catalogue."""
    before = previous.values if previous is not None else {}
    return {m.id: change(m, current.values.get(m.id), before.get(m.id)) for m in METRICS}
