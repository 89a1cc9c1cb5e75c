"""`hotline report`: a period's figures on the command line, and the nightly schedule.

    hotline report --period week --end 2026-10-31 [--line chengdu] [--format table|json|csv]
    hotline report schedule [--time 02:30] [--enable|--disable]

The figures are computed here, by the same use case the nightly job and the page
use (hotline.usecases.reports), with a progress bar on stderr (so `--format json >
week.json` stays clean).
"""
from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import SQLAlchemyError

from hotline.bootstrap import bootstrap
from hotline.cli.report_table import print_tables
from hotline.reports import export
from hotline.reports.periods import KINDS, PeriodError, period_ending
from hotline.reports.windows import zone


@click.group(invoke_without_command=True)
@click.option("--period", "kind", type=click.Choice(KINDS), default="week", show_default=True,
              help="日/周/月 / day, week (7 days) or month ending --end")
@click.option("--end", "end_text", default="yesterday", show_default=True, metavar="DATE",
              help="最后一天 YYYY-MM-DD / last local date of the period")
@click.option("--line", "line", default=None, metavar="ID", help="只看一条线路 / one line only")
@click.option("--format", "fmt", type=click.Choice(("table", "json", "csv")), default="table", show_default=True)
@click.option("--compare/--no-compare", default=True, show_default=True, help="与上一周期比较 / previous period")
@click.option("--store", is_flag=True, help="保存为报告记录 / also store the figures (as the nightly job does)")
@click.option("--enqueue", is_flag=True, help="交给后台任务计算 / let a worker compute and store it")
@click.pass_context
def report(ctx, kind: str, end_text: str, line: str | None, fmt: str, compare: bool, store: bool,
           enqueue: bool) -> None:
    """报告：来电分析 / call reports for a day, week or month."""
    if ctx.invoked_subcommand is not None:
        return
    hotline = bootstrap()
    try:
        try:
            period_kind, end, line = hotline.reports.filters(kind, end_text, line)
        except PeriodError as exc:
            raise click.ClickException(str(exc)) from None
        if enqueue:
            job_id = hotline.report_jobs.enqueue(period_kind, end, line, source="cli")
            click.echo(f"已提交后台任务 / job queued: {job_id}")
            return
        _report(hotline.reports, period_ending(period_kind, end), line, fmt, compare, store)
    except SQLAlchemyError as exc:
        raise click.ClickException(f"数据库错误（{type(exc).__name__}）：请检查 HOTLINE_DATABASE_URL 并运行 "
                                   f"`hotline db upgrade` / database error ({type(exc).__name__}): check "
                                   f"HOTLINE_DATABASE_URL and run `hotline db upgrade`") from None
    finally:
        hotline.close()


def _report(reports, period, line, fmt, compare, store) -> None:
    with _progress(2 if compare else 1) as step:
        if store:
            current, _ = reports.compute_and_store(period, line, "cli", step(0))
        else:
            current = reports.compute(period, line, step(0))
        previous = reports.compute(period.previous(), line, step(1)) if compare else None
    if fmt == "json":
        click.echo(json.dumps(export.to_json(current, previous), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(export.to_csv(current, previous, reports.labels()).lstrip("\ufeff"))
    else:
        print_tables(current, previous)


class _progress:
    """A rich progress bar on stderr for `parts` computations of 7 steps each."""

    def __init__(self, parts: int) -> None:
        self.parts = parts
        self.bar = Progress(TextColumn("[bold]计算报告 / computing[/]"), BarColumn(), TextColumn("{task.description}"),
                            TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self.task = None

    def __enter__(self):
        self.bar.start()
        self.task = self.bar.add_task("", total=self.parts * 7)
        return self.step

    def step(self, part: int):
        def progress(done: int, total: int, message: str) -> None:
            self.bar.update(self.task, total=self.parts * total, completed=part * total + done, description=message)
        return progress

    def __exit__(self, *exc) -> None:
        self.bar.stop()


@report.command("schedule")
@click.option("--time", "run_at", default=None, metavar="HH:MM", help="每晚运行时间 / nightly local time")
@click.option("--enable/--disable", "enabled", default=None, help="开启或停止 / switch the nightly run on or off")
def schedule(run_at: str | None, enabled: bool | None) -> None:
    """夜间报告任务 / show or change the nightly reports schedule (and register it with RQ)."""
    hotline = bootstrap()
    try:
        settings = hotline.report_jobs.change(run_at=run_at or None, enabled=enabled)
        upcoming = hotline.report_jobs.sync()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        hotline.close()
    tz = settings.timezone
    state = "开启 / on" if settings.enabled else "停止 / off"
    click.echo(f"夜间报告 / nightly reports: {state}, {settings.run_at} ({tz})")
    when = upcoming.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M") if upcoming else "—"
    click.echo(f"下次运行 / next run: {when} ({tz})")
