"""Every figure of a generated month (and a week, and a day inside it), per line and
overall, on SQLite and PostgreSQL, against the per-record oracle."""
from __future__ import annotations

from datetime import date

import pytest

from hotline.reports.figures import Figures
from hotline.reports.metrics import METRICS
from hotline.reports.periods import period_ending
from tests.integration.reports import oracle
from tests.integration.reports.conftest import LAST, NOW, compute

SERIES = ("day_offered", "day_answered", "day_abandoned", "hour_offered", "hour_answered", "hour_abandoned",
          "weekday_offered", "heat", "abandon_wait", "concerns", "population_levels", "risk_levels")
PERIODS = [("month", LAST), ("week", date(2026, 10, 11)), ("day", date(2026, 10, 5)), ("day", date(2026, 10, 31))]


def assert_matches(figures: Figures, expected: oracle.Expected, lines, repeat: int, where: str) -> None:
    sums, series = expected.total(lines)
    wanted = oracle.Expected.figures(sums)
    wanted["repeat_callers"] = repeat
    for metric in METRICS:
        got, want = figures.values[metric.id], wanted[metric.id]
        if want is None:
            assert got is None, f"{where}: {metric.id} should be None, got {got}"
        else:
            # wrap-up is a difference of two timestamps; SQLite's julianday() keeps ~20 µs
            tolerance = 1e-3 if metric.id == "wrap_up_avg" else 1e-6
            assert got == pytest.approx(want, rel=1e-9, abs=tolerance), f"{where}: {metric.id} {got} != {want}"
    for name in SERIES:
        got = {k: v for k, v in figures.series.get(name, {}).items() if v}
        want = {k: v for k, v in series.get(name, {}).items() if v}
        assert got == pytest.approx(want), f"{where}: breakdown {name}"


@pytest.mark.parametrize("kind,end", PERIODS, ids=[f"{k}-{e}" for k, e in PERIODS])
def test_every_figure_of_every_line_matches_the_oracle(world, kind, end):
    period = period_ending(kind, end)
    report = compute(world.services, period)
    expected = oracle.compute(period, world.calls, world.triage, world.slots, world.shifts, world.directory, NOW)
    ids = [line.id for line in world.directory]
    assert list(report.lines) == ids          # directory order, nothing unassigned in this data
    for line_id in ids:
        assert_matches(report.lines[line_id], expected, [line_id], expected.repeat.get(line_id, 0),
                       f"{kind} {end} {line_id}")
    assert_matches(report.overall, expected, ids, expected.repeat_all, f"{kind} {end} overall")


def test_the_month_has_something_in_every_figure(world):
    """Guard against a vacuous pass: the generated month exercises every figure."""
    report = compute(world.services, period_ending("month", LAST))
    values = report.overall.values
    for metric in METRICS:
        assert values[metric.id], f"{metric.id} is {values[metric.id]!r} for the whole month"
    for name in SERIES:
        assert report.overall.series[name], name


def test_one_line_report_equals_that_line_in_the_all_lines_report(world):
    period = period_ending("week", date(2026, 10, 18))
    everything = compute(world.services, period)
    for line_id in ("chengdu", "chengdu-gaoxin", "ziyang"):
        alone = compute(world.services, period, line_id)
        assert list(alone.lines) == [line_id]
        assert alone.overall.values == pytest.approx(everything.lines[line_id].values)
        assert alone.overall.series == everything.lines[line_id].series
