"""The report as rich tables for a terminal: every figure with the previous period,
then (for all lines) one compact row per line."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from hotline.reports.compare import compare
from hotline.reports.metrics import BY_ID, METRICS, format_value
from hotline.reports.report import OVERALL, Report

LINE_COLUMNS = ("offered", "answered", "abandoned", "answer_rate", "service_level_20", "asa", "rolled_out",
                "repeat_callers")


def print_tables(current: Report, previous: Report | None, console: Console | None = None) -> None:
    console = console or Console()
    console.print(_summary(current, previous))
    if not current.line and current.lines:
        console.print(_per_line(current))
    notes = sorted({note for note in current.overall.notes.values()})
    for note in notes:
        console.print(f"[dim]注 / note: {note}[/]")


def _summary(current: Report, previous: Report | None) -> Table:
    title = f"{current.period.label} — {current.name(current.line or OVERALL)}"
    table = Table(title=title, title_justify="left")
    table.add_column("指标 / Figure")
    table.add_column("本期 / This", justify="right")
    if previous is not None:
        table.add_column("上期 / Previous", justify="right")
        table.add_column("变化 / Change", justify="right")
    changes = compare(current.overall, previous.overall if previous else None)
    for metric in METRICS:
        c = changes[metric.id]
        row = [metric.label, format_value(metric, c.value)]
        if previous is not None:
            colour = "" if c.good is None else ("green" if c.good else "red")
            text = c.describe(metric)
            row += [format_value(metric, c.previous), f"[{colour}]{text}[/]" if colour else text]
        table.add_row(*row)
    return table


def _per_line(current: Report) -> Table:
    table = Table(title="各线路 / By line", title_justify="left")
    table.add_column("线路 / Line")
    for metric_id in LINE_COLUMNS:
        table.add_column(BY_ID[metric_id].zh, justify="right")
    for line_id, figures in current.lines.items():
        cells = [format_value(BY_ID[m], figures.values.get(m)) for m in LINE_COLUMNS]
        table.add_row(current.names.get(line_id, (line_id,))[0], *cells)
    return table
