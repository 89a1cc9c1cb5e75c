#!/usr/bin/env python3
"""How fast the command line starts (issue #18; prints figures, asserts nothing).

Runs each command N times in a fresh interpreter, like hyperfine, after one warm-up run, and
prints the median, the fastest and the slowest wall-clock time against the goal:
`hotline --help` < 0.3 s, `hotline schedule timeline` and `hotline lines status` < 0.5 s.

Usage: .venv/bin/python scripts/bench_cli.py [--runs 10] [--python .venv/bin/python]
Pass another worktree's interpreter (--python /work/wt/base/.venv/bin/python, --cwd that tree)
to compare two versions back to back on the same machine.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = [
    ("hotline --help", ["--help"], 0.3),
    ("hotline schedule timeline", ["schedule", "timeline", "周一至周五 8:00-17:00（节假日除外）",
                                   "--from", "2026-01-01T00:00:00+08:00", "--to", "2026-02-01T00:00:00+08:00"], 0.5),
    ("hotline lines status", ["lines", "status", "--at", "2026-01-05T10:00:00+08:00"], 0.5),
    ("hotline lines check", ["lines", "check"], 0.5),
]


def time_once(python: str, cwd: Path, args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([python, "-m", "hotline", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--cwd", type=Path, default=REPO)
    options = parser.parse_args()
    print(f"{'command':<28} {'median':>8} {'min':>8} {'max':>8}  goal")
    for label, args, goal in CASES:
        time_once(options.python, options.cwd, args)   # warm the page cache and the .pyc files
        runs = [time_once(options.python, options.cwd, args) for _ in range(options.runs)]
        median = statistics.median(runs)
        verdict = "ok" if median < goal else "MISSED"
        print(f"{label:<28} {median:8.3f} {min(runs):8.3f} {max(runs):8.3f}  < {goal} s {verdict}")


if __name__ == "__main__":
    main()
