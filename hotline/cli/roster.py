"""`hotline roster generate|coverage|seed-demo`: the roster from the shell.

generate runs the same use case as the RQ job, in this process, with a progress bar;
coverage prints the gaps against the directory's hours (or JSON, one object per
gap or over-staffing run); seed-demo prepares the demo's rotation.
"""
from __future__ import annotations

import json
from datetime import date

import click

from hotline.usecases.roster.context import RosterProblem
from hotline.usecases.roster.coverage import runs_json


def _hotline():
    # Imported when a command runs, not at `hotline --help`: the composition root loads the
    # whole application (the CLI starts fast).
    from hotline.bootstrap import bootstrap

    return bootstrap()


def _date(ctx, param, value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD / expected a date YYYY-MM-DD: {value!r}") from None


@click.group()
def roster() -> None:
    """排班 / rotating shifts: generate, coverage, demo data."""


@roster.command("generate")
@click.option("--from", "first", required=True, callback=_date, help="开始日期 / first date (YYYY-MM-DD)")
@click.option("--to", "last", required=True, callback=_date, help="结束日期（含）/ last date, included")
@click.option("--json", "as_json", is_flag=True, help="JSON 输出摘要 / print the summary as JSON")
def generate_cmd(first, last, as_json: bool) -> None:
    """按轮值模式生成班表 / generate the roster from the active patterns."""
    # rich draws the progress bar: loaded only by the command that shows one.
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    hotline = _hotline()
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      TimeElapsedColumn(), transient=as_json, disable=as_json) as bar:
            task = bar.add_task("排班 / roster", total=1000)
            summary = hotline.roster_generation.generate_range(first, last, progress=lambda d, t, m: bar.update(
                task, completed=1000 * d / max(t, 1), description=m or "排班 / roster"))
    except RosterProblem as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        hotline.close()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    click.echo(f"已生成 / generated {summary['created']} 个班次 / shifts for {summary['first']} – {summary['last']} "
               f"（替换 / replaced {summary['deleted']}，未排 / unfilled {summary['unfilled']}，"
               f"违规 / violations {summary['violations']}） in {summary['seconds']} s")
    for message in summary["violation_messages"]:
        click.echo(f"  ! {message}")


@roster.command("coverage")
@click.option("--from", "first", required=True, callback=_date, help="开始日期 / first date (YYYY-MM-DD)")
@click.option("--to", "last", required=True, callback=_date, help="结束日期（含）/ last date, included")
@click.option("--line", "lines", multiple=True, help="只看这些线路 / only these lines (repeatable)")
@click.option("--json", "as_json", is_flag=True, help="JSON：每个缺口或超编一个对象 / one object per run")
def coverage_cmd(first, last, lines: tuple[str, ...], as_json: bool) -> None:
    """对照开放时间检查缺口 / print gaps against the lines' opening hours."""
    hotline = _hotline()
    try:
        report = hotline.roster_coverage.report(first, last, list(lines) or None)
    except RosterProblem as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        hotline.close()
    if as_json:
        click.echo(json.dumps(runs_json(report), ensure_ascii=False, indent=2))
        return
    if not report.lines:
        click.echo("没有排班的线路 / no line has slots yet")
    for line in report.lines:
        click.echo(f"{line.line_id}: 开放 / open {line.open_hours:.1f} h, 缺口 / gaps {len(line.gaps)}, "
                   f"超编 / over {len(line.over)}")
        for run in line.runs:
            click.echo(f"  {run.message()}")


@roster.command("seed-demo")
def seed_demo_cmd() -> None:
    """演示排班（counselor1..4，成都高新区）/ the demo's slots, pattern and roster."""
    # The demo's data lives with the other development tools, loaded only for this command.
    from hotline.devtools.demo_roster import seed_demo

    hotline = _hotline()
    try:
        result = seed_demo(hotline)
    finally:
        hotline.close()
    click.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
