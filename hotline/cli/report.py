"""`hotline report`: a period's figures on the command line, and the nightly schedule.

    hotline report --period week --end 2026-10-31 [--line chengdu] [--format table|json|csv]
    hotline report schedule [--time 02:30] [--enable|--disable]

The figures are computed here, by the same function the nightly job and the page
use, with a progress bar on stderr (so `--format json > week.json` stays clean).
"""
from __future__ import annotations

import json
import sys

import click
from sqlalchemy.exc import SQLAlchemyError

from hotline.reports.periods import KINDS, PeriodError, parse_end, parse_kind


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
    from hotline.reports.service import check_line, today
    from hotline.bootstrap import bootstrap

    services = bootstrap()
    try:
        try:
            end = parse_end(end_text, today(services))
            line = check_line(services, line)
            period_kind = parse_kind(kind)
        except PeriodError as exc:
            raise click.ClickException(str(exc)) from None
        if enqueue:
            _enqueue(services, period_kind, end, line)
            return
        _report(services, period_kind, end, line, fmt, compare, store)
    except SQLAlchemyError as exc:
        raise click.ClickException(f"数据库错误（{type(exc).__name__}）：请检查 HOTLINE_DATABASE_URL 并运行 "
                                   f"`hotline db upgrade` / database error ({type(exc).__name__}): check "
                                   f"HOTLINE_DATABASE_URL and run `hotline db upgrade`") from None
    finally:
        services.close()


def _enqueue(services, kind, end, line) -> None:
    from hotline.jobs.reports import enqueue_report

    job = enqueue_report(services, kind, end, line, source="cli")
    click.echo(f"已提交后台任务 / job queued: {job.id}")


def _report(services, kind, end, line, fmt, compare, store) -> None:
    from hotline.reports.labels import all_labels
    from hotline.reports.periods import period_ending
    from hotline.reports.service import compute, compute_and_store

    period = period_ending(kind, end)
    with _progress(2 if compare else 1) as step:
        if store:
            current, _ = compute_and_store(services, period, line, "cli", step(0))
        else:
            current = compute(services, period, line, step(0))
        previous = compute(services, period.previous(), line, step(1)) if compare else None
    labels = all_labels(services.settings.config_dir)
    _print(current, previous, fmt, labels)


def _print(current, previous, fmt: str, labels) -> None:
    from hotline.reports import export

    if fmt == "json":
        click.echo(json.dumps(export.to_json(current, previous), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(export.to_csv(current, previous, labels).lstrip("\ufeff"))
    else:
        from hotline.cli.report_table import print_tables

        print_tables(current, previous)


class _progress:
    """A rich progress bar on stderr for `parts` computations of 7 steps each."""

    def __init__(self, parts: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

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
    from hotline.jobs.reports import parse_run_at, sync_schedule
    from hotline.bootstrap import bootstrap
    from hotline.store.reports import get_schedule, update_schedule

    services = bootstrap()
    try:
        with services.db.session() as session:
            row = get_schedule(session)
            new_time = parse_run_at(run_at) if run_at else row.run_at
            new_enabled = row.enabled if enabled is None else enabled
            if run_at or enabled is not None:
                update_schedule(session, enabled=new_enabled, run_at=new_time, timezone=None, by=None,
                                now=services.now())
            tz = row.timezone
        upcoming = sync_schedule(services)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        services.close()
    state = "开启 / on" if new_enabled else "停止 / off"
    click.echo(f"夜间报告 / nightly reports: {state}, {new_time} ({tz})")
    from hotline.reports.windows import zone

    when = upcoming.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M") if upcoming else "—"
    click.echo(f"下次运行 / next run: {when} ({tz})")
