"""Reports as the surfaces use them: computed live, stored, or read back from the store.

The page, the jobs and the command line share these functions, so "the week ending
2026-10-31" is the same figures wherever it is asked for. A stored report is used
only if it was computed after its period had ended (otherwise it is incomplete).
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from hotline.reports.compute import Progress, Report, compute_report, line_names
from hotline.reports.periods import Period, PeriodError
from hotline.reports.persist import load_report, save_report
from hotline.reports.sources import Sources, default_sources
from hotline.reports.tally import UNASSIGNED
from hotline.reports.windows import bounds, default_zone, line_zones, zone

log = logging.getLogger(__name__)


def sources_for(services) -> Sources:
    return default_sources(services.keyring.decrypt)


def home_zone(services) -> str:
    """The zone most lines are in: it decides "yesterday" and the nightly run."""
    return default_zone(line_zones(services.directory))


def today(services) -> date:
    """Today's date in the home zone, by the services' clock (HOTLINE_NOW applies)."""
    return services.now().astimezone(zone(home_zone(services))).date()


def yesterday(services) -> date:
    return today(services) - timedelta(days=1)


def check_line(services, line: str | None) -> str | None:
    """None for all lines; the id if it is a known line, else a bilingual error."""
    if not line or line == "*":
        return None
    if line != UNASSIGNED and services.directory.get(line) is None:
        raise PeriodError(f"未知线路 {line!r} / unknown line {line!r}")
    return line


def period_over_at(services, period: Period) -> datetime:
    """When the period has ended in every zone of the lines."""
    zones = set(line_zones(services.directory).values()) or {home_zone(services)}
    return max(bounds(period, tz)[1] for tz in zones)


def compute(services, period: Period, line: str | None = None, progress: Progress | None = None) -> Report:
    with services.db.session() as session:
        report = compute_report(session, services.directory, period, now=services.now(), line=line,
                                sources=sources_for(services), progress=progress)
    return arrange(services, report)


def compute_and_store(services, period: Period, line: str | None = None, source: str = "on_demand",
                      progress: Progress | None = None) -> tuple[Report, int]:
    report = compute(services, period, line, progress)
    with services.db.session() as session:
        run_id = save_report(session, report, source)
    return report, run_id


def stored_or_live(services, period: Period, line: str | None = None) -> tuple[Report, bool]:
    """(report, stored?): the stored run when complete and fresh, else computed now —
    and kept, when the period is over, so the next view or download is instant."""
    over_at = period_over_at(services, period)
    with services.db.session() as session:
        report = load_report(session, period, line, fresh_after=over_at)
    if report is not None:
        return arrange(services, report), True
    report = compute(services, period, line)
    if report.computed_at >= over_at:
        _keep(services, report)
    return report, False


def _keep(services, report: Report) -> None:
    """Store a live computation; a concurrent viewer storing the same run first is fine."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with services.db.session() as session:
            save_report(session, report, "view")
    except SQLAlchemyError as exc:
        log.info("报告未缓存 / report not kept (%s): %s", type(exc).__name__, report.period.label)


def with_previous(services, period: Period, line: str | None = None) -> tuple[Report, Report, bool]:
    report, stored = stored_or_live(services, period, line)
    previous, _ = stored_or_live(services, period.previous(), line)
    return report, previous, stored


def arrange(services, report: Report) -> Report:
    """Names from the directory; lines in directory order, extra keys (unassigned) last."""
    report.names = line_names(services.directory)
    order = {line.id: n for n, line in enumerate(services.directory)}
    report.lines = dict(sorted(report.lines.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return report
