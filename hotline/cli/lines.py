"""`hotline lines check|status` and `hotline schedule timeline` — contracts used by outside checks."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from hotline.routing.directory_loader import DirectoryError, load_directory
from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import ScheduleError, compile_schedule
from hotline.settings import from_env, holidays_dir_from


@click.group()
def lines() -> None:
    """线路目录 / the line directory."""


@lines.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def lines_check(file: Path | None) -> None:
    """校验目录文件 / validate a directory file (exit 1 with the problems)."""
    path = file or from_env().directory_file
    try:
        directory = load_directory(path, holidays_dir=holidays_dir_from())
    except DirectoryError as exc:
        click.echo(f"目录无效 / invalid directory {exc}", err=True)
        sys.exit(1)
    count = sum(len(line.numbers) for line in directory)
    click.echo(f"目录有效 / valid: {path} — {len(directory)} 条线路 / lines, {count} 个号码 / numbers")


@lines.command("status")
@click.option("--at", "at_text", help="ISO 8601 instant (default: now)")
@click.option("--json", "as_json", is_flag=True, help="JSON output")
def lines_status(at_text: str | None, as_json: bool) -> None:
    """每个号码此刻是否开放 / whether every number is open at an instant."""
    settings = from_env()
    at = _parse_instant(at_text, "--at", ZoneInfo("Asia/Shanghai")) if at_text else settings.clock.now()
    try:
        directory = load_directory(settings.directory_file, holidays_dir=settings.holidays_dir)
    except DirectoryError as exc:
        raise click.ClickException(str(exc)) from None
    rows = [_status_row(line, number, at) for line in directory for number in line.numbers]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        mark = "开放 open  " if row["open"] else "关闭 closed"
        kind = "hosted  " if row["hosted"] else "external"
        click.echo(f"{mark} {row['number']:<16} {kind} {row['line']:<16} {row['name']}  "
                   f"→ {row['next_change'] or '—'}")


def _status_row(line, number, at: datetime) -> dict:
    zone = ZoneInfo(line.timezone)
    change = number.schedule.next_change(at)
    return {"line": line.id, "name": line.name, "number": number.e164, "hosted": line.hosted,
            "open": number.schedule.is_open(at),
            "next_change": change.astimezone(zone).isoformat() if change else None}


@click.group()
def schedule() -> None:
    """营业时间 / schedules."""


@schedule.command("timeline")
@click.argument("text")
@click.option("--from", "start_text", required=True, help="ISO 8601 start")
@click.option("--to", "end_text", required=True, help="ISO 8601 end (exclusive)")
@click.option("--tz", "zone", default="Asia/Shanghai", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["auto", "zh", "osm"]), default="auto", show_default=True)
def schedule_timeline(text: str, start_text: str, end_text: str, zone: str, fmt: str) -> None:
    """开放时段 / open intervals of TEXT in [from, to), as JSON.

    Adds "warnings" (what was read leniently, and as what) and "comments" (OSM comments per
    period, open or closed) only when there are any.
    """
    tz = _zone(zone)
    start = _parse_instant(start_text, "--from", tz)
    end = _parse_instant(end_text, "--to", tz)
    if end < start:
        _fail("--to 早于 --from / --to is before --from")
    try:
        compiled = compile_schedule(text, fmt=fmt, tz=zone, calendar=china_calendar(holidays_dir_from()))
    except ScheduleError as exc:
        _fail(str(exc))
    intervals = [[s.astimezone(tz).isoformat(), e.astimezone(tz).isoformat()]
                 for s, e in compiled.intervals(start, end)]
    result: dict = {"intervals": intervals}
    if compiled.warnings:
        result["warnings"] = list(compiled.warnings)
    notes = compiled.notes(start, end)
    if notes:
        result["comments"] = [{"from": s.astimezone(tz).isoformat(), "to": e.astimezone(tz).isoformat(),
                               "open": is_open, "comment": comment} for s, e, is_open, comment in notes]
    click.echo(json.dumps(result, ensure_ascii=False))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        _fail(f"--tz: 未知时区 / unknown time zone {name!r}")


def _parse_instant(text: str, option: str, zone: ZoneInfo | None = None) -> datetime:
    """ISO 8601; a value without offset is read in `zone` (or UTC)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        _fail(f"{option}: 无法识别的时间 / not an ISO 8601 instant: {text!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or timezone.utc)
    return value


def _fail(message: str):
    click.echo(message, err=True)
    sys.exit(1)
