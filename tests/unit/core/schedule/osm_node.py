"""Run opening_hours.js (the OSM reference implementation) from tests through Node.

`reference_intervals` evaluates many expressions in one Node process (startup dominates),
in a chosen time zone, and returns merged open intervals as epoch-second pairs so they
compare directly with `Schedule.intervals`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
SCRIPT = Path(__file__).with_name("osm_reference.js")
MODULE = REPO / "node_modules" / "opening_hours"

# opening_hours.js's own table for country "cn": fixed dates only (no lunar holidays, no
# make-up days). Cross-checks with PH use a HolidayCalendar built from the same dates.
JS_CN_FIXED_HOLIDAYS = [(1, 1), (3, 8), (5, 1), (5, 4), (6, 1), (10, 1), (10, 2), (10, 3)]


def skip_reason() -> str | None:
    """Why the reference cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed; the opening_hours.js cross-check needs Node.js"
    if not (MODULE / "package.json").exists():
        return f"npm package opening_hours missing at {MODULE}; run `npm install` in the repo root"
    return None


def js_cn_holidays(years: range) -> list[date]:
    return [date(y, m, d) for y in years for m, d in JS_CN_FIXED_HOLIDAYS]


def reference_intervals(exprs: list[str], start: datetime, end: datetime, tz: str,
                        country: str | None = None) -> list[list[tuple[int, int]] | str]:
    """For each expression: merged open intervals (epoch seconds), or the JS error text."""
    return [r["error"] if "error" in r else merge([(a // 1000, b // 1000) for a, b, *_ in r["intervals"]])
            for r in reference_details(exprs, start, end, tz, country)]


def reference_details(exprs: list[str], start: datetime, end: datetime, tz: str,
                      country: str | None = None) -> list[dict]:
    """Raw answers: {"intervals": [[from_ms, to_ms, unknown, comment]], "warnings": [...]} or {"error": ...}."""
    request = {"module": str(MODULE), "from": _local_iso(start), "to": _local_iso(end),
               "country": country, "exprs": exprs}
    proc = subprocess.run(["node", str(SCRIPT)], input=json.dumps(request), capture_output=True,
                          text=True, timeout=120, env={**os.environ, "TZ": tz}, check=False)
    if proc.returncode:
        raise RuntimeError(f"osm_reference.js failed: {proc.stderr}")
    return json.loads(proc.stdout)["results"]


def reference_points(exprs: list[str], first: date, days: int, minutes: list[int], tz: str) -> dict[str, str | None]:
    """getState() of each expression at each of `minutes` of each of `days` days from `first`,
    day by day: "0110…" (None where opening_hours.js rejects the expression)."""
    request = {"module": str(MODULE), "exprs": exprs,
               "points": {"from": first.isoformat() + "T00:00:00", "days": days, "minutes": minutes}}
    proc = subprocess.run(["node", str(SCRIPT)], input=json.dumps(request), capture_output=True,
                          text=True, timeout=120, env={**os.environ, "TZ": tz}, check=False)
    if proc.returncode:
        raise RuntimeError(f"osm_reference.js failed: {proc.stderr}")
    return json.loads(proc.stdout)["points"]


def warning_texts(warnings: list[str]) -> list[str]:
    """The message of each opening_hours.js warning, without its '<--- (' position marker."""
    return sorted(w.rsplit("<--- (", 1)[-1].rstrip()[:-1] for w in warnings)


def _local_iso(moment: datetime) -> str:
    """Local wall time without offset: JS parses it in the process zone (TZ)."""
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        elif b > a:
            out.append([a, b])
    return [(a, b) for a, b in out]
