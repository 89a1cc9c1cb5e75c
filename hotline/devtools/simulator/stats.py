"""The run's summary: outcome counts, wait and webhook-latency percentiles."""
from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

from hotline.devtools.simulator.record import OUTCOMES, CallRecord

SUMMARY_KEYS = ("offered", "answered", "abandoned", "rolled_over", "voicemail", "transferred", "errors",
                "completed", "wait_p50", "wait_p95", "wait_p99", "webhook_p50_ms", "webhook_p99_ms")


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def outcome_counts(records: Iterable[CallRecord]) -> dict[str, int]:
    counts = dict.fromkeys(OUTCOMES, 0)
    for record in records:
        counts[record.outcome] += 1
    return counts


def summarise(records: Sequence[CallRecord], latencies_ms: Sequence[float], **extra: Any) -> dict[str, Any]:
    """One JSON-ready object; `errors` counts calls on which Hotline failed at least once."""
    counts = outcome_counts(records)
    waits = [r.wait_s for r in records if r.wait_s is not None]
    summary: dict[str, Any] = {
        "offered": len(records), "answered": counts["answered"], "abandoned": counts["abandoned"],
        "rolled_over": counts["rolled_over"], "voicemail": counts["voicemail"],
        "transferred": counts["transferred"], "errors": counts["error"], "completed": counts["completed"],
        "failed_requests": sum(len(r.errors) for r in records),
        "wait_p50": _rounded(percentile(waits, 50)), "wait_p95": _rounded(percentile(waits, 95)),
        "wait_p99": _rounded(percentile(waits, 99)),
        "webhook_p50_ms": _rounded(percentile(latencies_ms, 50), 1),
        "webhook_p99_ms": _rounded(percentile(latencies_ms, 99), 1),
        "webhooks": len(latencies_ms),
    }
    summary.update(extra)
    summary["calls"] = [r.to_json() for r in records]
    return summary
